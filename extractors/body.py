"""The document inside a saved page (phần nội dung văn bản).

Pages saved from legal portals hold the document between site text: a
copyright banner and the portal's metadata table above it; related
documents, comparison help, attached files, the portal's contact details, a
privacy notice (which cites Nghị định 13/2023/NĐ-CP) and login prompts below
it. :func:`find_body` finds where the document begins — its header block, the
issuer's name beside the national motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
(Nghị định 30/2020/NĐ-CP) or "ĐẢNG CỘNG SẢN VIỆT NAM" (Hướng dẫn 36-HD/VPTW)
— and where it ends: before the first site text after it. The patterns are
data (``data/site_text.json``), each with examples.

Offsets always refer to the whole file: :func:`mask_outside` blanks what lies
outside the body (newlines kept), so that every extractor sees the document
only and every span still points into the file as read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .patterncache import compile_pattern
from .regexes import load_data

#: how far into the text a header block or head site text is looked for
HEAD_WINDOW = 20_000
#: header lines walked back from the motto to the issuer's name
HEADER_LINES = 8
#: markup that may split the words of a motto or fill a header line
_MARKS = r"[\s*_|#>\\-]"
#: at most this much text (markup aside) may stand between the head site text
#: and the header block: a motto further down is a form or a quotation
HEADER_GAP = 300


@dataclass(frozen=True)
class Body:
    """Where the document lies in the text: ``[start, end)``.

    ``start`` is 0 and ``end`` the text's length when nothing around the
    document was recognised as site text.
    """

    start: int
    end: int

    def to_dict(self, length: int) -> dict:
        """``{start, end, left_out}``: ``left_out`` counts the characters
        before and after the body (nothing is dropped silently)."""
        return {"start": self.start, "end": self.end, "left_out": self.start + (length - self.end)}


@cache
def _patterns() -> tuple[re.Pattern, list[re.Pattern], re.Pattern, re.Pattern]:
    data = load_data("site_text.json")
    mottos = []
    for m in data["mottos"]:
        words = []
        for w in m["words"].split():
            # the old tone-mark placement: HOÀ for HÒA
            w = re.escape(w).replace("HÒA", "(?:HÒA|HOÀ)")
            words.append(w)
        mottos.append(f"{_MARKS}*".join(words).replace(f"{_MARKS}*", f"{_MARKS}+"))
    motto = compile_pattern("|".join(f"(?:{m})" for m in mottos))
    head = [compile_pattern(h["pattern"], re.M) for h in data["head"]]
    # one scan for every tail: the earliest match of the alternation is the
    # earliest of any of them
    tail = compile_pattern("|".join(f"(?:{t['pattern']})" for t in data["tail"]), re.M)
    title = compile_pattern(data["generated_title"]["pattern"], re.M)
    return motto, head, tail, title


@cache
def _after_breaks() -> tuple[list[re.Pattern], re.Pattern]:
    """The head and tail patterns (which match at a line's start only, ``^``)
    as the line break before such a match: a search skips at C speed from one
    line break to the next, where ``^`` would be tried at every character."""
    _, head, tail, _ = _patterns()
    return [compile_pattern(r"\n(?=" + h.pattern + ")", h.flags) for h in head], compile_pattern(
        r"\n(?=" + tail.pattern + ")", tail.flags
    )


def _line_finditer(pattern: re.Pattern, after_break: re.Pattern, text: str, pos: int = 0, endpos: int | None = None):
    """The matches ``pattern.finditer(text, pos, endpos)`` gives, for a
    multi-line pattern whose every match starts at a line's start;
    ``after_break`` finds the line break before each such line (see
    :func:`_after_breaks`).

    >>> tail = _patterns()[2]
    >>> [m.start() for m in _line_finditer(tail, _after_breaks()[1], "## Văn bản liên quan\\nx\\n## Văn bản liên quan")]
    [0, 23]
    """
    end = len(text) if endpos is None else min(endpos, len(text))
    bound = pos  # no match starts before the last one's end
    if pos == 0 and (m := pattern.match(text, 0, end)):
        yield m
        bound = m.end()
    for b in after_break.finditer(text, max(pos - 1, 0), end):
        if b.end() >= bound and (m := pattern.match(text, b.end(), end)):
            yield m
            bound = m.end()


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _header_start(text: str, motto_at: int, floor: int) -> int:
    """The first line of the header block that holds the motto at
    ``motto_at``: the issuer's name in capitals stands on the lines before it
    (a two-column table saved as text)."""
    start = _line_start(text, motto_at)
    i = start
    for _ in range(HEADER_LINES):
        if i <= floor:
            break
        prev = _line_start(text, i - 1)
        line = re.sub(_MARKS, "", text[prev:i])
        if not line:  # markup only: part of the block if capitals come before it
            i = prev
            continue
        if any(c.islower() for c in line):
            break
        i = prev
        start = prev
    return max(start, floor)


def _own_line(text: str, m: re.Match) -> bool:
    """A motto of a header stands on its own line(s): only markup beside it
    ("I- ĐẢNG CỘNG SẢN VIỆT NAM RA ĐỜI ..." is a heading, not a header)."""
    before = text[_line_start(text, m.start()) : m.start()]
    eol = text.find("\n", m.end())
    after = text[m.end() : eol if eol >= 0 else len(text)]
    return not re.sub(_MARKS, "", before) and not re.sub(_MARKS, "", after)


def find_body(text: str) -> Body:
    """Where the document lies in ``text``.

    >>> page = ("Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT.\\n"
    ...         "Đang tải văn bản...\\n**ỦY BAN NHÂN DÂN**\\nTỈNH AN GIANG\\n|\\n"
    ...         "**CỘNG HÒA XÃ HỘI\\nCHỦ NGHĨA VIỆT NAM**\\nSố: 2015/QĐ-UBND\\n"
    ...         "Căn cứ Nghị định số 63/2010/NĐ-CP.\\n## Văn bản liên quan\\n"
    ...         "Nghị định 13/2023/NĐ-CP về Bảo vệ dữ liệu cá nhân")
    >>> b = find_body(page)
    >>> page[b.start:b.end].splitlines()[0], page[b.start:b.end].splitlines()[-1]
    ('**ỦY BAN NHÂN DÂN**', 'Căn cứ Nghị định số 63/2010/NĐ-CP.')
    >>> find_body("Căn cứ Luật Tổ chức chính quyền địa phương;")
    Body(start=0, end=43)
    """
    motto, head, tail, title = _patterns()
    head_breaks, tail_break = _after_breaks()
    floor = 0
    for h, hb in zip(head, head_breaks):
        for m in _line_finditer(h, hb, text, 0, HEAD_WINDOW):
            floor = max(floor, m.end())
    start = floor
    for m in motto.finditer(text, floor, floor + HEAD_WINDOW):
        if not _own_line(text, m):
            continue
        hs = _header_start(text, m.start(), floor)
        if len(re.sub(_MARKS, "", text[floor:hs])) <= HEADER_GAP:
            start = hs
        break
    # skip the line break that ends the head site text
    while start < len(text) and start == floor and floor and text[start] == "\n":
        start += 1
        floor = start
    m = next(_line_finditer(tail, tail_break, text, start), None)
    end = m.start() if m else len(text)
    if end < len(text):
        end = _trim_back(text, start, end, title)
    return Body(start, end)


def _trim_back(text: str, start: int, end: int, title: re.Pattern) -> int:
    """Move ``end`` back over markup-only lines and a portal's generated
    title standing right before the tail."""
    dropped_title = False
    while end > start:
        prev = _line_start(text, end - 1)
        line = text[prev:end].rstrip("\n")
        if not re.sub(_MARKS, "", line):
            end = prev
            continue
        if not dropped_title and title.fullmatch(line.strip()):
            dropped_title = True
            end = prev
            continue
        break
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return end


def mask_outside(text: str, body: Body) -> str:
    """``text`` with everything outside ``body`` blanked: each character
    becomes a space, line breaks stay, so offsets and line numbers hold.

    >>> mask_outside("ab\\ncd\\nef", Body(3, 5))
    '  \\ncd\\n  '
    """
    if body.start == 0 and body.end == len(text):
        return text
    blank = compile_pattern(r"[^\n]")
    return blank.sub(" ", text[: body.start]) + text[body.start : body.end] + blank.sub(" ", text[body.end :])
