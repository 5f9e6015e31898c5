"""The outline of a plan: its numbered headings (mục, nhiệm vụ) and its preamble.

Vietnamese administrative texts number their parts ``I.``, ``1.``, ``1.1.``,
``a)`` (Nghị định 30/2020/NĐ-CP, Phụ lục I); appendix tables number their task
rows ``1``, ``4.1``. A heading's id joins its numbers: ``II.3.1``, ``IV.2.a``,
``PL.4.1`` for an appendix row. The preamble (phần căn cứ) is everything
before the first part ``I.`` (or before "QUYẾT ĐỊNH:" / "Điều 1." in a
decision).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .models import Section
from .patterncache import compile_pattern

_ROMAN = r"(?P<roman>I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)"
HEADING = compile_pattern(
    r"""^[ \t]*(?:[*_]+[ \t]*)?
    (?: (?P<article>Điều[ \t]+\d{1,3}[a-z]?)[.:][ \t*_]*
      | """
    + _ROMAN
    + r"""\.[ \t]+
      | (?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?[ \t]+(?=\S)
      | (?P<letter>[a-zđê])\)[ \t]+
    )
    (?P<title>[^\n]*)$""",
    re.VERBOSE | re.MULTILINE,
)
#: :data:`HEADING` after the line break that ends the line before: a search
#: for it skips at C speed from one line break to the next (``^`` has every
#: character tried)
_HEADING_AFTER_BREAK = compile_pattern(r"\n" + HEADING.pattern.removeprefix("^"), HEADING.flags)


def _headings(text: str, end: int):
    """``(line start, match)`` for each match of :data:`HEADING` in
    ``text[:end]``, as its ``finditer`` gives them."""
    first = HEADING.match(text, 0, end)
    if first:
        yield 0, first
    for m in _HEADING_AFTER_BREAK.finditer(text, first.end() if first else 0, end):
        yield m.start() + 1, m


APPENDIX = compile_pattern(r"^[ \t]*(?:[*_]+[ \t]*)?(?:PHỤ LỤC|Phụ lục)\b", re.MULTILINE)
TABLE_ROW = compile_pattern(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})\t(?P<title>[^\t\n]*)", re.MULTILINE)
PREAMBLE_END = compile_pattern(
    r"^[ \t]*(?:[*_]+[ \t]*)?(?:(?:I|1)\.[ \t]+\S|QUYẾT ĐỊNH[ \t]*:|QUYẾT NGHỊ[ \t]*:|Điều 1\.)",
    re.MULTILINE,
)


_APPENDIX_AFTER_BREAK = compile_pattern(r"\n(?=" + APPENDIX.pattern + ")", APPENDIX.flags)
_PREAMBLE_END_AFTER_BREAK = compile_pattern(r"\n(?=" + PREAMBLE_END.pattern + ")", PREAMBLE_END.flags)


def _line_search(pattern: re.Pattern, after_break: re.Pattern, text: str) -> re.Match | None:
    """``pattern.search(text)`` for a multi-line pattern whose every match
    starts at a line's start: tried at the first line, then only at the line
    ``after_break`` (the pattern behind a line break) finds.

    >>> _line_search(APPENDIX, _APPENDIX_AFTER_BREAK, "Kế hoạch\\n**PHỤ LỤC I**").start()
    9
    """
    m = pattern.match(text)
    if m is None and (b := after_break.search(text)) is not None:
        m = pattern.match(text, b.end())
    return m


def outline(text: str) -> list[Section]:
    """The headings of ``text`` in order, each with its id and the extent of
    its body (up to the next heading of the same or a higher level).

    >>> [s.id for s in outline("I. MỤC ĐÍCH\\n1. Mục đích\\na) Một\\nII. NỘI DUNG\\n1.1. Hai\\n")]
    ['I', 'I.1', 'I.1.a', 'II', 'II.1.1']
    """
    heads: list[tuple[int, int, str, str]] = []  # (start, level, id, title)
    appendix = _line_search(APPENDIX, _APPENDIX_AFTER_BREAK, text)
    body_end = appendix.start() if appendix else len(text)
    roman = None
    seen_roman: dict[str, int] = {}
    arabic: str | None = None
    for start, m in _headings(text, body_end):
        title = m.group("title").strip(" *_\t")
        if m.group("article"):
            # an article (điều) of a decision, decree or law
            roman, arabic = re.sub(r"\s+", " ", m.group("article")), None
            heads.append((start, 1, roman, title))
        elif m.group("roman"):
            r = m.group("roman")
            seen_roman[r] = seen_roman.get(r, 0) + 1
            roman = r if seen_roman[r] == 1 else f"{r}#{seen_roman[r]}"
            arabic = None
            heads.append((start, 1, roman, title))
        elif m.group("num"):
            num = m.group("num")
            if not _looks_like_heading(title):
                continue
            arabic = num
            sid = f"{roman}.{num}" if roman else num
            heads.append((start, 1 + num.count(".") + 1, sid, title))
        else:
            if arabic is None and roman is None:
                continue
            parent = f"{roman}.{arabic}" if roman and arabic else (roman or arabic)
            heads.append((start, 5, f"{parent}.{m.group('letter')}", title))
    if appendix:
        heads.append(
            (appendix.start(), 1, "PL", text[appendix.start() : text.find("\n", appendix.start())].strip(" *_"))
        )
        for m in TABLE_ROW.finditer(text, appendix.start()):
            heads.append(
                (
                    m.start(),
                    2 + m.group("num").count("."),
                    f"PL.{m.group('num')}",
                    re.sub(r"</?\w+>", "", m.group("title")).strip(),
                )
            )
    # each section ends where the next heading of its level or a higher one
    # starts: found with a stack of the open sections, in one pass
    ends = [len(text)] * len(heads)
    open_: list[int] = []
    for i, (start, level, _, _) in enumerate(heads):
        while open_ and heads[open_[-1]][1] >= level:
            ends[open_.pop()] = start
        open_.append(i)
    return [Section(sid, short_title(title), level, start, end) for (start, level, sid, title), end in zip(heads, ends)]


#: the longest title kept whole (characters): a numbered paragraph is no
#: title, and every agency of its task repeats the title in the output
TITLE_MAX = 1000


def short_title(title: str, limit: int = TITLE_MAX) -> str:
    """``title``, or its first words up to ``limit`` characters and "…".

    >>> short_title("Tuyên truyền về biển, đảo", 20)
    'Tuyên truyền về…'
    """
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit)
    return title[: cut if cut > 0 else limit - 1].rstrip(" ,;:") + "…"


def _looks_like_heading(title: str) -> bool:
    """A numbered line is a heading when it starts like words, not like a date
    or an amount ("1. 000 đồng", "15/11 ...")."""
    return bool(title) and not title[0].isdigit() and title[0] not in "/%"


def preamble_end(text: str) -> int:
    """Where the preamble (phần căn cứ) stops: the first part heading ``I.``
    (or "1." when a text has no Roman parts), "QUYẾT ĐỊNH:" or "Điều 1."."""
    m = _line_search(PREAMBLE_END, _PREAMBLE_END_AFTER_BREAK, text)
    return m.start() if m else 0


class SectionIndex:
    """Finds the innermost section that holds an offset."""

    def __init__(self, sections: list[Section]):
        self.sections = sections
        self._starts = [s.start for s in sections]

    def at(self, offset: int) -> Section | None:
        k = bisect_right(self._starts, offset) - 1
        while k >= 0:
            s = self.sections[k]
            if s.start <= offset < s.end:
                # prefer the deepest section starting at or before offset
                return s
            k -= 1
        return None
