"""Legacy Vietnamese encodings (bảng mã cũ): TCVN3 (ABC), VNI and Windows-1258.

Before Unicode, Vietnamese documents were typed in 8-bit *font* encodings:
TCVN3 (TCVN 5712:1993 VN3, the "ABC" fonts ``.VnTime``, ``.VnArial``) writes
each toned letter as one Latin-1 character ("QuyÕt ®Þnh" is "Quyết định");
VNI-Windows (``VNI-Times``) writes a base letter followed by a mark character
("Quyeát ñònh"). Word files, web pages and text files made from such documents
still carry those characters: they look right only in the old font. This
module detects them by a score (how many words read as valid Vietnamese
syllables before and after converting) and converts them to Unicode.

The character maps are data: ``data/legacy_vietnamese.json`` lists each
Vietnamese letter with its TCVN3 and VNI forms.

>>> to_unicode("QuyÕt ®Þnh sè 72/2015/N§-CP", "tcvn3")
'Quyết định số 72/2015/NĐ-CP'
>>> to_unicode("Quyeát ñònh soá 72/2015/NÑ-CP", "vni")
'Quyết định số 72/2015/NĐ-CP'
>>> detect("Thùc hiÖn QuyÕt ®Þnh sè 33/2018/Q§-UBND cña ñy ban nh©n d©n tØnh")
'tcvn3'
>>> detect("Thực hiện Quyết định số 33/2018/QĐ-UBND của Ủy ban nhân dân tỉnh") is None
True
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from itertools import filterfalse, islice
from pathlib import Path

from .patterncache import compile_pattern

#: the legacy encodings this module converts, by the name a record carries
LEGACY = ("tcvn3", "vni")

_DATA = Path(__file__).parent / "data" / "legacy_vietnamese.json"

#: a character only Unicode Vietnamese text has (ă ơ ư đ ĩ ũ and the toned
#: letters of Latin Extended Additional): a line holding one is Unicode already
_UNICODE_VI = compile_pattern(r"[\u0100-\u01b0\u1ea0-\u1ef9]")

#: bytes 0x80-0x9F read as Latin-1 are C1 controls; a Windows file means the
#: cp1252 punctuation there (quotes, dashes, ellipsis)
_C1 = {i: bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(0x80, 0xA0)}


@cache
def _letters() -> tuple[tuple[str, str | None, str], ...]:
    rows = json.loads(_DATA.read_text(encoding="utf-8"))["letters"]
    return tuple((u, t, v) for u, t, v in rows)


@cache
def _decoder(encoding: str) -> tuple[dict[str, str], re.Pattern]:
    """The legacy form → Unicode letter map of ``encoding`` and a pattern
    matching any legacy form (longest first)."""
    table: dict[str, str] = {}
    for uni, tcvn3, vni in _letters():
        form = tcvn3 if encoding == "tcvn3" else vni
        if form:
            table[form] = uni
    if encoding == "vni":
        # a capital base letter with a lower-case mark ("Aù") is still a capital
        for form, uni in list(table.items()):
            if len(form) == 2 and form[0].isupper():
                table.setdefault(form[0] + form[1].lower(), uni)
    elif encoding != "tcvn3":
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    keys = sorted(table, key=len, reverse=True)
    return table, compile_pattern("|".join(map(re.escape, keys)))


@cache
def _encoder(encoding: str) -> dict[str, str]:
    """Unicode letter → legacy form; TCVN3 capitals it lacks take the
    lower-case code, as the ``.VnTimeH`` capital fonts draw them."""
    table: dict[str, str] = {}
    rows = {u: (t, v) for u, t, v in _letters()}
    for uni, (tcvn3, vni) in rows.items():
        if encoding == "tcvn3":
            table[uni] = tcvn3 or rows[uni.lower()][0]
        elif encoding == "vni":
            table[uni] = vni
        else:
            raise ValueError(f"unknown legacy encoding {encoding!r}")
    return table


def from_unicode(text: str, encoding: str) -> str:
    """Write Unicode ``text`` in a legacy encoding, as an old font would show
    it (used to make test fixtures; NFC input expected).

    >>> from_unicode("Quyết định", "tcvn3"), from_unicode("Quyết định", "vni")
    ('QuyÕt ®Þnh', 'Quyeát ñònh')
    """
    table = _encoder(encoding)
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def to_unicode(text: str, encoding: str) -> str:
    """Convert legacy ``text`` (``tcvn3`` or ``vni``) to Unicode.

    Lines that already hold Unicode Vietnamese letters are kept as they are, so
    a document mixing old and new fonts converts only its old parts. TCVN3
    has no toned capitals: words typed in capitals come out with lower-case
    toned letters ("HOạCH"), which are put back in capitals.
    """
    table, pattern = _decoder(encoding)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line or _UNICODE_VI.search(line):
            continue
        if any("\x80" <= ch <= "\x9f" for ch in line):
            line = line.translate(_C1)
        line = pattern.sub(lambda m: table[m.group()], line)
        lines[i] = _restore_capitals(line) if encoding == "tcvn3" else line
    return "\n".join(lines)


_WORD = compile_pattern(r"\S+")


def _capital_word(word: str) -> bool:
    """Written in capitals, save toned letters TCVN3 could only give in
    lower case: ``HOạCH``, ``QUYếT``."""
    letters = [c for c in word if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and all(c.isupper() or not c.isascii() for c in letters) and any(c.islower() for c in letters)


@cache
def _tcvn3_capitals() -> frozenset[str]:
    return frozenset(u for u, t, _ in _letters() if u.isupper() and t)


class _Capitals:
    def __contains__(self, ch: str) -> bool:
        return ch in _tcvn3_capitals()


_TCVN3_CAPITALS = _Capitals()


def _restore_capitals(line: str) -> str:
    """Upper-case the words of a TCVN3 line typed in capitals (same length)."""
    words = list(_WORD.finditer(line))
    if not words:
        return line
    # capital words with a Vietnamese letter ("HOạCH", "YÊN"; not "UBND")
    caps = [
        _capital_word(m.group())
        or (m.group().isupper() and not m.group().isascii() and sum(c.isalpha() for c in m.group()) >= 2)
        for m in words
    ]
    out = list(line)
    for k, m in enumerate(words):
        w = m.group()
        fix = caps[k] and not w.isupper()
        if (
            not fix
            and w[:1].isupper()
            and all(c.isupper() or not c.isascii() for c in w if c.isalpha())
            and any(c.islower() for c in w)
        ):
            # "Kế" between capital words ("KẾ HOạCH") is a capital word too
            fix = (k > 0 and caps[k - 1]) or (k + 1 < len(words) and caps[k + 1])
        if not fix and not w[0].isascii() and w[0].islower() and w[0].upper() not in _TCVN3_CAPITALS:
            # a toned capital TCVN3 lacks, at the start of a line or sentence
            before = line[: m.start()].rstrip()
            fix = not before.strip("-+•*.)0123456789 \t") or before[-1] in ".!?"
            if fix:
                w = w[0].upper() + w[1:]
                out[m.start()] = w[0]
                continue
        if fix:
            upper = w.upper()
            if len(upper) == len(w):
                out[m.start() : m.end()] = upper
    return "".join(out)


# -- detection ---------------------------------------------------------------

_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_TONED = frozenset(
    c
    for c in _VOWELS
    if len(unicodedata.normalize("NFD", c)) > 1
    and unicodedata.normalize("NFD", c)[-1] in "\u0300\u0301\u0303\u0309\u0323"
)
#: a Vietnamese syllable (âm tiết): initial consonant, one to three vowels, final
_SYLLABLE = compile_pattern(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[{_VOWELS}]{{1,3}}(?:ch|ng|nh|[cmnpt])?"
)
_TOKEN = compile_pattern(r"[^\s\d.,;:!?()\[\]{}\"'“”‘’/\\\-–—…*+=<>|_%&@#]+")


def syllable_score(text: str) -> tuple[float, int]:
    """``(share, count)``: of the ``count`` words with a non-ASCII character,
    the share that are valid Vietnamese syllables.

    >>> syllable_score("Quyết định số 12")
    (1.0, 3)
    >>> syllable_score("QuyÕt ®Þnh thùc hiÖn")  # "thùc" reads as a syllable
    (0.25, 4)
    """
    text = unicodedata.normalize("NFC", text)
    words = list(filterfalse(str.isascii, _TOKEN.findall(text)))  # (each word by map and filter, in C)
    count, valid = len(words), sum(map(is_syllable, words))
    return (valid / count if count else 0.0), count


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """A word written as one Vietnamese syllable: in one case (or capitalised),
    of the syllable's shape, with one tone mark at most (a text repeats a few
    thousand syllables: each is judged once).

    >>> is_syllable("Quyết"), is_syllable("QuyÕt"), is_syllable("hIệu")
    (True, False, False)
    """
    w = word.lower()
    cased = word.islower() or word.isupper() or word[1:].islower()
    return bool(cased and _SYLLABLE.fullmatch(w) and sum(c in _TONED for c in w) <= 1)


#: characters that TCVN3 and VNI text is full of and Unicode Vietnamese text
#: almost never holds: Latin-1 symbols (TCVN3 writes "đ" as "®", tones as
#: "¸ ¹ µ ¶ ·") and non-Vietnamese Latin-1 letters (VNI writes "đ" as "ñ")
_LEGACY_MARKS = compile_pattern(
    "[\u00a1-\u00bf\u00d1\u00d6\u00de\u00df\u00e4-\u00e7\u00eb\u00ee\u00ef"
    "\u00f0\u00f1\u00f6\u00f8\u00fb\u00fc\u00fe\u00ff]"
)


def detect(text: str, sample: int = 50_000) -> str | None:
    """The legacy encoding ``text`` is written in (``tcvn3``, ``vni``), or
    None when it reads as Unicode Vietnamese (or as neither).

    >>> detect("Quyết định số 12/QĐ-UBND ngày 15/6/2023"), detect("QuyÕt ®Þnh sè 12/Q§-UBND")
    (None, 'tcvn3')
    """
    part = text[:sample]
    marks = sum(1 for _ in islice(_LEGACY_MARKS.finditer(part), 3))  # (three are enough to know)
    if marks < 3:
        return None  # every legacy text is dense with these; Unicode text is not
    base, _ = syllable_score(part)
    if base > 0.75:
        return None  # Unicode Vietnamese already: no conversion can beat it by a quarter (its share ≤ 1)
    best: tuple[float, str] | None = None
    for enc in LEGACY:
        share, count = syllable_score(to_unicode(part, enc))
        if count >= 3 and share >= 0.75 and share >= base + 0.25 and (best is None or share > best[0]):
            best = (share, enc)
    return best[1] if best else None


def fix_legacy(text: str) -> tuple[str, str | None]:
    """``(text, conversion)``: ``text`` converted to Unicode when it is
    written in a legacy encoding, with the encoding's name, else unchanged
    with None."""
    enc = detect(text)
    if enc is None:
        return text, None
    return to_unicode(text, enc), enc


def decode_8bit(data: bytes, sample: int = 50_000) -> tuple[str, str] | None:
    """Decode bytes that are not UTF-8 as the 8-bit Vietnamese encoding they
    read best in: Windows-1258 (``cp1258``), TCVN3 or VNI; ``(text, name)``,
    or None when none gives Vietnamese."""
    candidates: list[tuple[str, str]] = []
    try:
        candidates.append((data.decode("cp1258"), "cp1258"))
    except UnicodeDecodeError:
        pass
    latin = data.decode("latin-1")
    for enc in LEGACY:
        candidates.append((to_unicode(latin, enc), enc))
    best: tuple[float, str, str] | None = None
    for text, enc in candidates:
        share, count = syllable_score(text[:sample])
        if count >= 1 and share >= 0.6 and (best is None or share > best[0]):
            best = (share, text, enc)
    return (best[1], best[2]) if best else None
