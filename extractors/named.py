"""Documents cited by name only, with no number (văn bản được nêu tên).

"Luật bảo vệ bí mật nhà nước", "Công ước Liên hợp quốc về Luật Biển năm
1982", "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng": a
capitalised document-type word that no designator follows, with the name
running to the end of its phrase.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import regexes as rx
from .models import NamedDocument

_STOP = re.compile(
    r"""[;\n“”"]|\.(?:\s|$)|\s\(|,\s(?=[a-zđà-ỹ])|
        \s(?:trong|trên[ ]địa[ ]bàn|để|nhằm|tại|theo|đã|được|thông[ ]qua|với|cho|khi|sau|từ)\s|
        \s(?:và|hoặc)\s(?=[a-zđà-ỹ0-9])|\s(?:và|hoặc|,)\s(?=(?:Luật|Bộ[ ]luật|Nghị[ ]định|Nghị[ ]quyết|Hiệp[ ]định|Công[ ]ước)\s)|
        ,\s(?=(?:Luật|Bộ[ ]luật|Nghị[ ]định|Hiệp[ ]định|Công[ ]ước)\s)|\s(?:bảo[ ]đảm|đảm[ ]bảo|thuộc)\s""",
    re.VERBOSE,
)
_DESIGNATOR_NEAR = re.compile(r"^[ \t]*(?:[a-zđà-ỹ]+[ \t]+){0,4}(?:số|Số)?[ \t]*:?[ \t]*\[?\d")


@lru_cache(maxsize=None)
def _named_regex() -> re.Pattern:
    types = rx.load_data("doc_types.json")["named_types"]
    initials = "".join(sorted({t[0] for t in types}))
    # the initial first: most positions fail on one character test
    return re.compile(r"(?=[" + initials + r"])(?<![\w])(?P<type>" + rx.alternation(types) + r")(?=[ \t])")


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
    taken_starts = sorted(taken)
    subject_starts = set(subjects)
    last_end = -1
    for m in _named_regex().finditer(text):
        start = m.start()
        if any(a <= start < b for a, b in taken_starts) or start in subject_starts or start < last_end:
            continue
        after = text[m.end():m.end() + 60]
        if _DESIGNATOR_NEAR.match(after):
            continue  # a numbered citation, found elsewhere
        before = text[max(0, start - 6):start]
        if re.search(r"(?:các|những|Các)\s$", before):
            continue  # a generic plural: "các Tuyên bố chung"
        window = text[m.end():m.end() + 220]
        stop = _STOP.search(window)
        name = (m.group() + (window[: stop.start()] if stop else window)).rstrip(" ,*_")
        words = name.split()
        if len(words) < len(m.group().split()) + 2:
            continue  # a bare type word: "Luật", "Đề án này"
        if words[len(m.group().split())] in ("này", "đó", "trên", "số"):
            continue
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, start) + 1
        out.append(NamedDocument(re.sub(r"\s+", " ", name), m.group("type"), start, start + len(name),
                                 text[line_start:line_end].strip(), name))
        last_end = start + len(name)
    return out
