"""Documents cited by name only, with no number (văn bản được nêu tên).

"Luật bảo vệ bí mật nhà nước", "Công ước Liên hợp quốc về Luật Biển năm
1982", "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng": a
capitalised document-type word that no designator follows, with the name
running to the end of its phrase.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

from . import regexes as rx
from .models import NamedDocument
from .patterncache import compile_pattern
from .resolve import CONTEXT_BEFORE, CONTEXT_MAX, CONTEXT_WINDOW
from .vocabulary import SPACES

_STOP = compile_pattern(
    r"""[;\n“”"]|\.(?:\s|$)|\s\(|,\s(?=[a-zđà-ỹ])|
        \s(?:trong|trên[ ]địa[ ]bàn|để|nhằm|tại|theo|đã|được|thông[ ]qua|với|cho|khi|sau|từ)\s|
        \s(?:và|hoặc)\s(?=[a-zđà-ỹ0-9])|
        \s(?:và|hoặc|,)\s(?=(?:Luật|Bộ[ ]luật|Nghị[ ]định|Nghị[ ]quyết|Hiệp[ ]định|Công[ ]ước)\s)|
        ,\s(?=(?:Luật|Bộ[ ]luật|Nghị[ ]định|Hiệp[ ]định|Công[ ]ước)\s)|\s(?:bảo[ ]đảm|đảm[ ]bảo|thuộc)\s""",
    re.VERBOSE,
)
_DESIGNATOR_NEAR = compile_pattern(r"^[ \t]*(?:[a-zđà-ỹ]+[ \t]+){0,4}(?:số|Số)?[ \t]*:?[ \t]*\[?\d")
_PLURAL_BEFORE = compile_pattern(r"(?:các|những|Các)\s$")  # "các Tuyên bố chung"


@cache
def _named_regex() -> re.Pattern:
    types = rx.load_data("doc_types.json")["named_types"]
    # each type word's initial first, then the look-behind for the letter
    # before it ("(?<!\w.)": no word character before the initial): the
    # pattern opens with the initials, which a search skips to at C speed;
    # the words sharing an initial are one alternative (in their order), so
    # that at a capital letter only its own words are tried
    ordered = sorted(set(types), key=lambda w: (-len(w), w))  # longest first, as rx.alternation
    by_initial: dict[str, list[str]] = {}
    for w in ordered:
        by_initial.setdefault(w[0], []).append(re.escape(w[1:]))
    words = [re.escape(a) + r"(?<!\w.)(?:" + "|".join(rests) + ")" for a, rests in by_initial.items()]
    return compile_pattern(r"(?P<type>(?:" + "|".join(words) + r"))(?=[ \t])")


def find_named(text: str, taken: list[tuple[int, int]], subjects: tuple[int, ...] = ()) -> list[NamedDocument]:
    """Named documents in cleaned ``text``; ``taken`` are the spans of numbered
    citations (their heads), which are not named documents; ``subjects`` are
    where citations' subjects start: a document named as the very subject of
    a numbered one ("Quyết định số 1079/QĐ-TTg ... phê duyệt Đề án ...") is
    that document's content, not a document of its own.

    >>> [n.name for n in find_named("Chấp hành nghiêm Luật bảo vệ bí mật nhà nước trong các hoạt động.", [])]
    ['Luật bảo vệ bí mật nhà nước']
    """
    out: list[NamedDocument] = []
    # whether an offset is in a taken span, in O(log n): the spans sorted by
    # start, and the furthest end reached by each prefix of them
    taken_starts = sorted(taken)
    starts = [a for a, _ in taken_starts]
    reach: list[int] = []
    for _, b in taken_starts:
        reach.append(max(reach[-1], b) if reach else b)
    subject_starts = set(subjects)
    newlines: list[int] | None = None  # the line breaks, found when a name needs its line
    last_end = -1
    for m in _named_regex().finditer(text):
        start = m.start()
        k = bisect_right(starts, start) - 1
        if (k >= 0 and reach[k] > start) or start in subject_starts or start < last_end:
            continue
        after = text[m.end() : m.end() + 60]
        if _DESIGNATOR_NEAR.match(after):
            continue  # a numbered citation, found elsewhere
        before = text[max(0, start - 6) : start]
        if _PLURAL_BEFORE.search(before):
            continue  # a generic plural: "các Tuyên bố chung"
        window = text[m.end() : m.end() + 220]
        stop = _STOP.search(window)
        name = (m.group() + (window[: stop.start()] if stop else window)).rstrip(" ,*_")
        words = name.split()
        if len(words) < len(m.group().split()) + 2:
            continue  # a bare type word: "Luật", "Đề án này"
        if words[len(m.group().split())] in ("này", "đó", "trên", "số"):
            continue
        if newlines is None:
            newlines = [m.start() for m in re.finditer("\n", text)]
        k = bisect_left(newlines, start)
        line_end = newlines[k] if k < len(newlines) else len(text)
        line_start = newlines[k - 1] + 1 if k > 0 else 0
        out.append(
            NamedDocument(
                SPACES.sub(" ", name),
                m.group("type"),
                start,
                start + len(name),
                line_context(text, line_start, line_end, start, start + len(name)),
                name,
            )
        )
        last_end = start + len(name)
    return out


def line_context(text: str, line_start: int, line_end: int, start: int, end: int) -> str:
    """The evidence of a name at ``text[start:end]``: its line, stripped;
    of a line longer than :data:`~extractors.resolve.CONTEXT_MAX`, only
    :data:`~extractors.resolve.CONTEXT_WINDOW` characters around the name
    (from :data:`~extractors.resolve.CONTEXT_BEFORE` before it, at word
    boundaries).

    >>> t = "x " * 900 + "Luật Biển Việt Nam" + " y" * 900
    >>> c = line_context(t, 0, len(t), 1800, 1818)
    >>> len(c) <= 400, c[-30:], c.count("Luật Biển Việt Nam")
    (True, ' y y y y y y y y y y y y y y y', 1)
    """
    if line_end - line_start <= CONTEXT_MAX:
        return text[line_start:line_end].strip()
    a = max(line_start, start - CONTEXT_BEFORE)
    b = max(end, min(line_end, a + CONTEXT_WINDOW))
    if a > line_start and not text[a - 1].isspace():
        while a < start and not text[a - 1].isspace():
            a += 1
    if b < line_end and not text[b].isspace():
        while b > end and not text[b].isspace():
            b -= 1
    return text[a:b].strip()
