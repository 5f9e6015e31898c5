"""Clean text for matching while keeping offsets into the source (làm sạch).

Real plans arrive with decomposed Unicode (NFD), the look-alike ``Ð``
(U+00D0) for ``Đ``, every kind of dash, non-breaking spaces, byte-order marks
and UTF-16. Matching runs on a cleaned copy; :class:`CleanText` maps every
offset in the copy back to the source, so a citation's ``text`` is always
``source[start:end]``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from .errors import DecodeError
from .patterncache import compile_pattern

#: one-for-one replacements: they never change offsets
_TRANSLATE = str.maketrans(
    {
        "\u00d0": "Đ",  # Ð (Icelandic eth) written for Đ
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\u00ad": " ",  # soft hyphen
        "\ufeff": " ",  # stray byte-order mark inside the text
        "\u200b": " ",  # zero-width space
    }
)

_REPLACEMENTS = tuple((chr(k), v) for k, v in _TRANSLATE.items())

_CLUSTER = compile_pattern(
    r"[^\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f][\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


@dataclass(frozen=True)
class CleanText:
    """A cleaned copy of a source text and the map back to it.

    ``to_source(i)`` gives the source offset of cleaned offset ``i``.

    >>> ct = clean("Ke\u0302\u0301 hoa\u0323ch 12/KH\u2013UBND")
    >>> ct.text
    'Kế hoạch 12/KH-UBND'
    >>> s = ct.text.index("12/")
    >>> ct.source[ct.to_source(s):ct.to_source(len(ct.text))]
    '12/KH–UBND'
    """

    source: str
    text: str
    # sorted cleaned offsets where the map changes, and the source offset there
    _marks: tuple[int, ...] = ()
    _deltas: tuple[int, ...] = ()

    def to_source(self, i: int) -> int:
        if not self._marks:
            return i
        k = bisect_right(self._marks, i) - 1
        if k < 0:
            return i
        # from each mark on, offsets advance together until the next mark;
        # a mark sits at the start and at the end of every composed cluster
        return self._deltas[k] + (i - self._marks[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_source(start), self.to_source(end)

    @property
    def keeps_offsets(self) -> bool:
        """Whether each offset of the cleaned text is the same in the source
        (cleaning composed no character).

        >>> clean("Kế hoạch").keeps_offsets, clean("Ke\u0302\u0301 hoa\u0323ch").keeps_offsets
        (True, False)
        """
        return not self._marks


#: a line break in the middle of a sentence of a hard-wrapped text: after a
#: word (no closing punctuation, no markup), before a line that does not open
#: a list item, a heading, a table row or a bold block (the break first, then
#: what stands around it: a search skips at C speed from one break to the next)
_WRAP = compile_pattern(
    r"\n(?<=[^\s.;:!?*|]\n)(?=[ ]*(?!\d{1,2}(?:\.\d{1,2})*[.)]?[ \t]|[a-zđê][.)][ \t])[^\s|#>*+\-•])"
)
#: share of lines that wrap mid-sentence above which a text is hard-wrapped,
#: and the fewest such breaks that make one
HARD_WRAP_SHARE = 0.15
HARD_WRAP_MIN = 8


def reflow(text: str) -> str:
    r"""Join the lines of a hard-wrapped text (web pages saved as text wrap
    every 80 characters, inside designators, dates and agency names) by
    turning mid-sentence line breaks into spaces; same length, so offsets
    hold. Texts with a paragraph per line are left as they are, and so is
    the break after a heading in capitals ("KẾ HOẠCH" / "Thực hiện ...").

    >>> reflow("Căn cứ Nghị định số\n63/2010/NĐ-CP của Bộ\nTư pháp;\n- Một\n" * 4)[:45]
    'Căn cứ Nghị định số 63/2010/NĐ-CP của Bộ Tư p'
    >>> reflow("KẾ HOẠCH\nThực hiện Kết luận số 57-KL/TW;\nI. MỤC ĐÍCH\n")
    'KẾ HOẠCH\nThực hiện Kết luận số 57-KL/TW;\nI. MỤC ĐÍCH\n'
    """
    lines = text.count("\n") - text.count("\n\n") + 1
    wraps = _WRAP.findall(text)
    if len(wraps) < max(HARD_WRAP_MIN, HARD_WRAP_SHARE * lines):
        return text

    def join(m: re.Match) -> str:
        before = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        end = text.find("\n", m.end())
        after = text[m.end() : end if end >= 0 else len(text)]
        if before.isupper() and not after.isupper():
            return "\n"  # a heading in capitals, then its text
        return " "

    return _WRAP.sub(join, text)


def clean(source: str) -> CleanText:
    """Clean ``source`` for matching (NFC, one dash, one D-stroke, plain
    spaces, hard-wrapped lines joined)."""
    text = source
    for char, replacement in _REPLACEMENTS:
        if char in text:  # str.translate is slow on non-ASCII text; replace is not
            text = text.replace(char, replacement)
    if unicodedata.is_normalized("NFC", text):
        return CleanText(source, reflow(text))
    # compose cluster by cluster, remembering where offsets shift
    out: list[str] = []
    marks: list[int] = []
    deltas: list[int] = []
    pos = 0  # in source
    cpos = 0  # in cleaned
    for m in _CLUSTER.finditer(text):
        if m.start() > pos:
            chunk = _nfc_same_length(text[pos : m.start()])
            out.append(chunk)
            cpos += len(chunk)
        composed = unicodedata.normalize("NFC", m.group())
        marks.append(cpos)
        deltas.append(m.start())
        out.append(composed)
        cpos += len(composed)
        # after the cluster, source and cleaned offsets differ by this much
        marks.append(cpos)
        deltas.append(m.end())
        pos = m.end()
    if pos < len(text):
        out.append(_nfc_same_length(text[pos:]))
    return CleanText(source, reflow("".join(out)), tuple(marks), tuple(deltas))


def _nfc_same_length(chunk: str) -> str:
    """NFC of a chunk without combining marks, unless that would change its
    length (then the chunk is kept as it is, so offsets stay exact)."""
    composed = unicodedata.normalize("NFC", chunk)
    return composed if len(composed) == len(chunk) else chunk


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode a file's bytes to text; returns ``(text, encoding)``.

    Handles UTF-8 with or without a byte-order mark and UTF-16 (with a BOM, or
    without one when the NUL bytes give it away). Bytes that are not UTF-8
    are read in the 8-bit Vietnamese encoding they make most sense in:
    Windows-1258 (``cp1258``), or the legacy font encodings TCVN3 (ABC) and
    VNI, which are converted to Unicode (the encoding returned is then
    ``tcvn3`` or ``vni``; see :mod:`extractors.legacy`). Line endings become ``\\n``
    (as Python's text mode reads them), so offsets agree with
    ``open(path, encoding=...).read()``. Raises :class:`DecodeError` with the
    reason when the bytes are not text.
    """
    if not data:
        raise DecodeError(name, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = _decode(data[3:], "utf-8", name), "utf-8-sig"
    elif data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        text, enc = _decode(data, "utf-16", name), "utf-16"
    elif _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = _decode(data, enc, name)
    else:
        try:
            text, enc = _decode(data, "utf-8", name), "utf-8"
        except DecodeError as e:
            text, enc = _decode_legacy(data, name, e)
    if "\x00" in text:
        raise DecodeError(name, "binary file (contains NUL bytes), not text")
    if not text.strip():
        raise DecodeError(name, "no text (only whitespace)")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, enc


def _decode_legacy(data: bytes, name: str, error: DecodeError) -> tuple[str, str]:
    """Bytes that are not UTF-8: Windows-1258, TCVN3 or VNI, or ``error``."""
    if b"\x00" in data[:4096]:
        raise error
    from .legacy import decode_8bit

    found = decode_8bit(data)
    if found is None:
        raise DecodeError(
            name,
            error.reason.replace("save it as UTF-8", "nor Windows-1258, TCVN3 or VNI Vietnamese; save it as UTF-8"),
        )
    return found


def _looks_utf16(data: bytes) -> bool:
    sample = data[:2000]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    return max(even_nuls, odd_nuls) > 0.3 * half and min(even_nuls, odd_nuls) < 0.05 * half


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        if b"\x00" in data[:4096]:
            raise DecodeError(name, "binary file, not text") from None
        raise DecodeError(
            name,
            f"not valid {encoding.upper()} text (byte {e.start}: {data[e.start : e.start + 1]!r}); save it as UTF-8",
        ) from None
