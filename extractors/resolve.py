"""Resolve what each citation is to the citing text (giải quyết quan hệ).

* :func:`classify` gives every citation its relation (``based_on`` in the
  preamble, ``implements``, ``amends``, ``mentions``) from its position and the
  cue words before it, and finds the document-to-document links stated inside
  a citation ("Kế hoạch số 3017/KH-UBND ... về việc thực hiện Nghị quyết số
  47/NQ-CP").
* :func:`inherit` lets short mentions ("Quyết định số 1191/QĐ-TTg bao gồm 02
  nội dung") carry the date and issuer of the first full citation of the same
  document in the same text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .find import RawCitation

# The cue words before a citation, most specific first; the last cue in the
# clause decides. "5 năm thực hiện Nghị quyết ...", "kết quả tổ chức thực
# hiện Quyết định ..." publicise what others did: a mention, not implementation.
CUE = re.compile(
    r"""(?P<mentions>(?:kết[ ]quả|\d+[ ]năm|sơ[ ]kết|tổng[ ]kết|đánh[ ]giá)
                    (?:[ ](?:tổ[ ]chức|triển[ ]khai|việc|sau))*[ ](?:thực[ ]hiện|triển[ ]khai))
      | (?P<amends>sửa[ ]đổi|bổ[ ]sung|thay[ ]thế|bãi[ ]bỏ|hủy[ ]bỏ|huỷ[ ]bỏ)
      | (?P<based_on>căn[ ]cứ|xét[ ]đề[ ]nghị)
      | (?P<implements>triển[ ]khai|thực[ ]hiện|thi[ ]hành|bám[ ]sát|quán[ ]triệt|cụ[ ]thể[ ]hóa|chấp[ ]hành
                      |(?<!kèm[ ])theo(?![ ]dõi)|(?:quy[ ]định|hướng[ ]dẫn|nhiệm[ ]vụ|nội[ ]dung)[ ]tại)
    """,
    re.VERBOSE | re.IGNORECASE,
)

_LOWER_START = "a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0-9(\\["
#: a line break that ends a paragraph, not one that wraps a long line: after
#: closing punctuation, or before a line that does not continue in lower case
PARA_NEWLINE = (r"(?=\n)(?:(?<=[.;:!?])\n|\n(?![ \t]*[" + _LOWER_START + r"])"
                r"|\n(?=[ \t]*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđê][.)])[ \t]))")
#: where a clause starts: a paragraph break, a semicolon, a colon or a sentence end
CLAUSE_BOUNDARY = re.compile(PARA_NEWLINE + r"|;|:|(?<=[^\s.])\.(?=\s+[A-ZĐÀ-Ỹ])")
_PARA_NEWLINE = re.compile(PARA_NEWLINE)


def paragraph_start(text: str, pos: int, reach: int = 3000) -> int:
    r"""Start of the paragraph holding ``pos``; hard-wrapped lines (a line
    break inside a sentence, the next line going on in lower case) do not
    end a paragraph.

    >>> t = "Căn cứ Nghị định số\n63/2010/NĐ-CP ngày 08/6/2010;\nThực hiện"
    >>> paragraph_start(t, t.index("63/")), paragraph_start(t, t.index("Thực"))
    (0, 50)
    """
    start = max(0, pos - reach)
    last = None
    for m in _PARA_NEWLINE.finditer(text, start, min(len(text), pos + 40)):
        if m.start() >= pos:  # look past pos so that the lookahead sees the next line
            break
        last = m
    return last.end() if last else (start if start == 0 else text.find("\n", start, pos) + 1)

#: what may stand between two items of one list
LIST_GLUE = re.compile(r"[\s,*_+\-•]*(?:(?:và|hoặc|cùng)\b[\s,*_]*)?$")

#: a document type word that introduces another (unnumbered) document
_OTHER_DOC = re.compile(
    r"(?<!về )(?<!về việc )\b(?:Chương trình|Kế hoạch|Đề án|Nghị quyết|Quyết định|Chiến lược|Quy chế|Quy định|Dự án)\b"
)

_PREAMBLE_IMPLEMENTS = re.compile(r"[\s*_+\-•]*(?:Thực hiện|THỰC HIỆN)\b")


@dataclass
class Classified:
    relation: str
    relations: tuple[str, ...]
    parent: int | None  # index of the citation this one is nested in


@dataclass(frozen=True)
class RawLink:
    source: int  # index of the outer citation
    target: int  # index of the inner citation
    relation: str


def _cue(prefix: str) -> str | None:
    last = None
    for m in CUE.finditer(prefix):
        last = m
    return last.lastgroup if last else None


def _clause_start(text: str, pos: int, floor: int) -> tuple[int, str]:
    """Start of the clause holding ``pos`` and the boundary character before it."""
    best, char = floor, ""
    for m in CLAUSE_BOUNDARY.finditer(text, floor, min(len(text), pos + 40)):
        if m.start() >= pos:
            break
        best, char = m.end(), m.group()
    return best, char


def classify(text: str, cits: list[RawCitation], preamble_end: int) -> tuple[list[Classified], list[RawLink]]:
    """The relation of each citation (in order) and the links between them.

    >>> from extractors.find import find_citations
    >>> t = ("Tiếp tục triển khai thực hiện Kế hoạch số 3017/KH-UBND ngày 26/7/2024 của UBND tỉnh "
    ...      "về việc thực hiện Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ; Kế hoạch 3404/KH-UBND.")
    >>> rels, links = classify(t, find_citations(t), 0)
    >>> [r.relation for r in rels]
    ['implements', 'mentions', 'implements']
    >>> [(l.source, l.target, l.relation) for l in links]
    [(0, 1, 'implements')]
    """
    out: list[Classified] = []
    links: list[RawLink] = []
    breaks = [m.end() for m in _PARA_NEWLINE.finditer(text)] if cits else []
    for i, c in enumerate(cits):
        # the paragraph start: the last paragraph break before the citation
        k = bisect_right(breaks, c.start) - 1
        line_start = breaks[k] if k >= 0 else 0
        clause_start, boundary = _clause_start(text, c.start, line_start)
        in_preamble = c.start < preamble_end
        # the nearest earlier citation in the same clause, if any
        j = i - 1
        same_clause = j >= 0 and cits[j].start >= clause_start
        preamble = None
        if in_preamble:
            # every document named before part I is legal basis; "Thực hiện ..."
            # makes the whole paragraph's list implemented too
            preamble = ("based_on", "implements") if _PREAMBLE_IMPLEMENTS.match(text, line_start) else ("based_on",)
        if same_clause:
            between = text[cits[j].end:c.start]
            tail = text[cits[j].tail_end:c.start] if cits[j].tail_end <= c.start else between
            if LIST_GLUE.fullmatch(tail) or (LIST_GLUE.fullmatch(between.split(",")[-1]) and not _cue(between)):
                # a sibling in a list: same relation as the item before it,
                # and the same link from the document both are nested in
                parent = out[j].parent
                out.append(Classified(out[j].relation, out[j].relations, parent))
                for link in [l for l in links if l.source == parent and l.target == j]:
                    if cits[parent].designator.key != c.designator.key:
                        links.append(RawLink(parent, i, link.relation))
                continue
            _maybe_link(links, cits, j, i, between)
            out.append(Classified("based_on", preamble, j) if preamble else Classified("mentions", ("mentions",), j))
            continue
        if preamble:
            out.append(Classified("based_on", preamble, None))
            continue
        prefix = text[clause_start:c.start]
        cue = _cue(prefix)
        if cue is None and boundary == ";" and LIST_GLUE.fullmatch(prefix):
            prev = _previous_top(out, cits, i, line_start)
            if prev is not None:
                out.append(Classified(out[prev].relation, out[prev].relations, None))
                continue
        relation = cue or "mentions"
        out.append(Classified(relation, (relation,), None))
    return out, links


def _previous_top(out: list[Classified], cits: list[RawCitation], i: int, line_start: int) -> int | None:
    for k in range(i - 1, -1, -1):
        if cits[k].start < line_start:
            return None
        if out[k].parent is None:
            return k
    return None


def _maybe_link(links: list[RawLink], cits: list[RawCitation], outer: int, inner: int, between: str) -> None:
    """Record outer → inner when the words between them state a relation and
    do not introduce another document first."""
    last = None
    for m in CUE.finditer(between):
        last = m
    if last is None or last.lastgroup == "mentions":
        return
    if _OTHER_DOC.search(between[: last.start()]):
        return
    if cits[outer].designator.key == cits[inner].designator.key:
        return
    links.append(RawLink(outer, inner, last.lastgroup))


def inherit(cits: list[RawCitation]) -> list[tuple[str, ...]]:
    """Fill missing dates and issuers from the first occurrence of the same
    document that states them (in place); return, per citation, the fields
    it inherited.

    >>> from extractors.find import find_citations
    >>> t = ("Triển khai Quyết định số 1191/QĐ-TTg ngày 05/8/2020 của Thủ tướng Chính phủ. "
    ...      "Quyết định số 1191/QĐ-TTg bao gồm 02 nội dung.")
    >>> cits = find_citations(t)
    >>> inherit(cits), cits[1].date, cits[1].issuer
    ([(), ('date', 'issuer')], '2020-08-05', 'Thủ tướng Chính phủ')
    """
    first_date: dict[str, RawCitation] = {}
    first_issuer: dict[str, RawCitation] = {}
    first_type: dict[str, str] = {}
    for c in cits:
        k = c.designator.key
        if c.date and k not in first_date:
            first_date[k] = c
        if c.issuer and k not in first_issuer:
            first_issuer[k] = c
        if not c.doc_type_inferred and c.doc_type and k not in first_type:
            first_type[k] = c.doc_type
    out = []
    for c in cits:
        k = c.designator.key
        got = []
        if c.date is None and k in first_date:
            c.date = first_date[k].date
            got.append("date")
        if c.issuer is None and k in first_issuer:
            c.issuer = first_issuer[k].issuer
            got.append("issuer")
        if c.doc_type_inferred and k in first_type:
            c.doc_type = first_type[k]
        out.append(tuple(got))
    return out
