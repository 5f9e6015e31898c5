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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .find import RawCitation
from .vocabulary import relation_cue_regex

# The cue words before a citation, most specific first; the last cue in the
# clause decides (``data/cues.json``). "5 năm thực hiện Nghị quyết ...", "kết
# quả tổ chức thực hiện Quyết định ..." publicise what others did: a mention,
# not implementation.
CUE = relation_cue_regex()

_LOWER_START = "a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0-9(\\["
#: a line break that ends a paragraph, not one that wraps a long line: after
#: closing punctuation, or before a line that does not continue in lower case
PARA_NEWLINE = (
    r"(?=\n)(?:(?<=[.;:!?])\n|\n(?![ \t]*[" + _LOWER_START + r"])"
    r"|\n(?=[ \t]*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđê][.)])[ \t]))"
)
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


class Clauses:
    """The clause boundaries (:data:`CLAUSE_BOUNDARY`) of ``text[lo:hi]``,
    found once.

    >>> t = "Căn cứ X; căn cứ Y: Z. Thực hiện W"
    >>> c = Clauses(t)
    >>> [c.start(t.index(x), 0) for x in "XYZW"], c.end(t.index("X"), len(t))
    ([(0, ''), (9, ';'), (19, ':'), (22, '.')], 8)
    """

    def __init__(self, text: str, lo: int = 0, hi: int | None = None):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.chars: list[str] = []
        for m in CLAUSE_BOUNDARY.finditer(text, lo, len(text) if hi is None else hi):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.chars.append(m.group())

    def start(self, pos: int, floor: int) -> tuple[int, str]:
        """Start of the clause holding ``pos`` (not before ``floor``), and the
        boundary character before it (``""`` at ``floor``)."""
        k = bisect_left(self.starts, pos) - 1
        if k >= 0 and self.starts[k] >= floor:
            return self.ends[k], self.chars[k]
        return floor, ""

    def end(self, pos: int, ceiling: int) -> int:
        """Where the clause holding ``pos`` ends (its boundary), at most ``ceiling``."""
        k = bisect_left(self.starts, pos)
        return min(self.starts[k], ceiling) if k < len(self.starts) else ceiling


def classify(text: str, cits: list[RawCitation], preamble_end: int) -> tuple[list[Classified], list[RawLink]]:
    """The relation of each citation (in order) and the links between them.

    >>> from cancu.extractors.find import find_citations
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
    link_of: dict[tuple[int, int], list[str]] = {}  # (source, target) → relations of links[]
    breaks = [m.end() for m in _PARA_NEWLINE.finditer(text)] if cits else []
    # the clause start: the last boundary before the citation in its
    # paragraph; citations come in order, so each paragraph is read once, on
    # from where the citation before stopped (reading it again from the
    # paragraph's start for each citation took quadratic time)
    para = scanned = -1
    clause_start, boundary = 0, ""
    for i, c in enumerate(cits):
        # the paragraph start: the last paragraph break before the citation
        k = bisect_right(breaks, c.start) - 1
        line_start = breaks[k] if k >= 0 else 0
        if line_start != para or c.start < scanned:
            para, scanned = line_start, line_start
            clause_start, boundary = line_start, ""
        for m in CLAUSE_BOUNDARY.finditer(text, scanned, min(len(text), c.start + 40)):
            if m.start() >= c.start:
                break
            clause_start, boundary = m.end(), m.group()
        scanned = max(scanned, c.start)
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
            between = text[cits[j].end : c.start]
            tail = text[cits[j].tail_end : c.start] if cits[j].tail_end <= c.start else between
            if LIST_GLUE.fullmatch(tail) or (LIST_GLUE.fullmatch(between.split(",")[-1]) and not _cue(between)):
                # a sibling in a list: same relation as the item before it,
                # and the same link from the document both are nested in
                parent = out[j].parent
                out.append(Classified(out[j].relation, out[j].relations, parent))
                for relation in list(link_of.get((parent, j), ())):
                    if cits[parent].designator.key != c.designator.key:
                        links.append(RawLink(parent, i, relation))
                        link_of.setdefault((parent, i), []).append(relation)
                continue
            if _maybe_link(links, cits, j, i, between):
                link_of.setdefault((j, i), []).append(links[-1].relation)
            out.append(Classified("based_on", preamble, j) if preamble else Classified("mentions", ("mentions",), j))
            continue
        if preamble:
            out.append(Classified("based_on", preamble, None))
            continue
        prefix = text[clause_start : c.start]
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


def _maybe_link(links: list[RawLink], cits: list[RawCitation], outer: int, inner: int, between: str) -> bool:
    """Record outer → inner when the words between them state a relation and
    do not introduce another document first; whether it did."""
    last = None
    for m in CUE.finditer(between):
        last = m
    if last is None or last.lastgroup == "mentions":
        return False
    if _OTHER_DOC.search(between[: last.start()]):
        return False
    if cits[outer].designator.key == cits[inner].designator.key:
        return False
    links.append(RawLink(outer, inner, last.lastgroup))
    return True


def inherit(cits: list[RawCitation]) -> list[tuple[str, ...]]:
    """Fill missing dates and issuers from the first occurrence of the same
    document that states them (in place); return, per citation, the fields
    it inherited.

    >>> from cancu.extractors.find import find_citations
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


# -- evidence ------------------------------------------------------------------

#: the longest evidence kept as is (characters): a citation's context is its
#: sentence when the sentence is at most this long (every sentence of the
#: sample plans is), else the clause it stands in when that is at most this
#: long, else :data:`CONTEXT_WINDOW` characters of the clause around it
CONTEXT_MAX = 1000
#: how much of a longer clause is kept: this many characters, from
#: :data:`CONTEXT_BEFORE` characters before the citation
CONTEXT_WINDOW = 400
CONTEXT_BEFORE = 150

#: a sentence end before a citation (after it: :data:`_SENT_STOP`)
_SENT_END = re.compile(r"[.!?…][\"”’)\]*]*[ \t]+(?=[A-ZĐÀ-Ỹ\"“(*])")
_SENT_STOP = re.compile(r"[.!?…](?=[\"”’)\]*]*(?:\s|$))")


class Evidence:
    """The evidence of what a text cites, found in linear time: the
    boundaries of lines, sentences and clauses are found once per text, and
    each citation's context is bounded, so that neither time nor memory grow
    with the square of a long line.

    :meth:`sentence` is the sentence holding a span: from the line start or
    the last sentence end before it, to the first sentence end or line end
    after it. :meth:`context` is the evidence kept for it: the sentence when
    it is at most :data:`CONTEXT_MAX` characters long, else the clause the
    span stands in (between ``;``, ``:`` and sentence ends) when that is at
    most as long, else :data:`CONTEXT_WINDOW` characters of the clause, from
    :data:`CONTEXT_BEFORE` characters before the span, at word boundaries.

    >>> t = "Mục đích. Thực hiện Kết luận số 57-KL/TW của Bộ Chính trị. Tiếp theo"
    >>> ev = Evidence(t)
    >>> a, b = ev.sentence(t.index("Kết"), t.index(" của"))
    >>> t[a:b]
    'Thực hiện Kết luận số 57-KL/TW của Bộ Chính trị.'
    >>> ev.context(t.index("Kết"), t.index(" của")) == ((a, b), (a, b))
    True
    >>> t = "Căn cứ " + "; ".join(f"Nghị định số {i}/2015/NĐ-CP của Chính phủ" for i in range(1, 60)) + "."
    >>> (a, b), (s, e) = Evidence(t).context(t.index("7/2015"), t.index("7/2015") + 12)
    >>> t[a:b], (s, e) == (0, len(t))
    ('Nghị định số 7/2015/NĐ-CP của Chính phủ', True)
    """

    def __init__(self, text: str):
        self.text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        # per line holding a citation, read once: its sentence ends (where the
        # next sentence starts) and its full stops
        self._lines: dict[int, tuple[list[int], list[int]]] = {}
        self._clauses: dict[int, Clauses] = {}  # per long sentence
        self._trimmed: dict[tuple[int, int], int] = {}
        self._clause_trimmed: dict[tuple[int, int], tuple[int, int]] = {}

    def _line(self, pos: int) -> tuple[int, int, list[int], list[int]]:
        """The line holding ``pos``: its start and end, the ends of the
        sentence ends in it and the offsets of its full stops."""
        k = bisect_left(self._newlines, pos)
        line_start = self._newlines[k - 1] + 1 if k > 0 else 0
        line_end = self._newlines[k] if k < len(self._newlines) else len(self.text)
        if line_start not in self._lines:
            self._lines[line_start] = (
                [m.end() for m in _SENT_END.finditer(self.text, line_start, line_end)],
                [m.start() for m in _SENT_STOP.finditer(self.text, line_start, line_end)],
            )
        return (line_start, line_end) + self._lines[line_start]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding ``text[start:end]``, trailing spaces left out."""
        line_start, _, ends, _ = self._line(start)
        # the last sentence end whose next letter is before start
        j = bisect_left(ends, start) - 1
        s = ends[j] if j >= 0 else line_start
        _, line_end, _, stops = self._line(end)
        k = bisect_left(stops, end)
        e = stops[k] + 1 if k < len(stops) else line_end
        key = (s, e)
        if key not in self._trimmed:  # spaces before the end are trimmed once per sentence
            while e > s and self.text[e - 1].isspace():
                e -= 1
            self._trimmed[key] = e
        return s, self._trimmed[key]

    def context(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """``((context_start, context_end), (sentence_start, sentence_end))``
        for the span ``text[start:end]`` (a citation, or a link from one
        citation to another)."""
        ss, se = self.sentence(start, end)
        if se - ss <= CONTEXT_MAX:
            return (ss, se), (ss, se)
        text = self.text
        if ss not in self._clauses:
            self._clauses[ss] = Clauses(text, ss, se)
        clauses = self._clauses[ss]
        cs, _ = clauses.start(start, ss)
        ce = max(clauses.end(end, se), end)
        key = (cs, ce)
        if key not in self._clause_trimmed:  # once per clause
            self._clause_trimmed[key] = self._strip(cs, ce, start, end)
        a, b = self._clause_trimmed[key]
        a, b = min(a, start), max(b, end)
        if b - a > CONTEXT_MAX:
            lo, hi = a, b
            a = max(lo, start - CONTEXT_BEFORE, end - CONTEXT_WINDOW)
            b = max(end, min(hi, a + CONTEXT_WINDOW))
            if a > lo and not text[a - 1].isspace():  # from a word's start
                while a < start and not text[a - 1].isspace():
                    a += 1
            if b < hi and not text[b].isspace():  # to a word's end
                while b > end and not text[b].isspace():
                    b -= 1
            a, b = self._strip(a, b, start, end)
        return (a, b), (ss, se)

    def _strip(self, a: int, b: int, start: int, end: int) -> tuple[int, int]:
        """``text[a:b]`` without the spaces at its ends (never past the span)."""
        while a < start and self.text[a].isspace():
            a += 1
        while b > end and self.text[b - 1].isspace():
            b -= 1
        return a, b
