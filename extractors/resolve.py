"""Resolve what each citation is to the citing text (giải quyết quan hệ).

* :func:`classify` gives every citation its relations (``based_on``,
  ``implements``, ``amends``, ``replaces``, ``repeals``, ``guides``,
  ``mentions``: the vocabulary of the official relation diagrams) from the
  opening of its paragraph and the cue words before it, and finds the
  document-to-document links the text states ("Kế hoạch số 3017/KH-UBND ... về
  việc thực hiện Nghị quyết số 47/NQ-CP"; "Nghị định số A (được sửa đổi, bổ
  sung bởi Nghị định số B)"). The grammar is data: ``data/relations.json``.
* :func:`inherit` lets short mentions ("Quyết định số 1191/QĐ-TTg bao gồm 02
  nội dung") carry the date and issuer of the first full citation of the same
  document in the same text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .find import RawCitation
from .patterncache import compile_pattern
from .vocabulary import (
    SPACES,
    cue_relation,
    ends_effect_regex,
    opening_regex,
    opening_relations,
    partial_object_regex,
    passive_regex,
    proposal_regex,
    relation_cue_regex,
    relation_grammar,
)

# The cue words before a citation, most specific first; the nearest cue that
# may govern it decides (``data/relations.json``). "5 năm thực hiện Nghị quyết
# ...", "kết quả tổ chức thực hiện Quyết định ..." publicise what others did: a
# mention, not implementation.
CUE = relation_cue_regex()

_LOWER_START = "a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0-9(\\["
#: a line break that ends a paragraph, not one that wraps a long line: after
#: closing punctuation, or before a line that does not continue in lower case
#: (the break first, then what stands around it: a search skips at C speed
#: from one line break to the next)
PARA_NEWLINE = (
    r"\n(?:(?<=[.;:!?]\n)|(?![ \t]*[" + _LOWER_START + r"])"
    r"|(?=[ \t]*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđê][.)])[ \t]))"
)
#: where a clause starts: a paragraph break, a semicolon, a colon or a sentence
#: end (a full stop after a letter: each opens with its character, which a
#: search skips to)
CLAUSE_BOUNDARY = compile_pattern(PARA_NEWLINE + r"|;|:|\.(?<=[^\s.]\.)(?=\s+[A-ZĐÀ-Ỹ])")
_PARA_NEWLINE = compile_pattern(PARA_NEWLINE)


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
LIST_GLUE = compile_pattern(r"[\s,*_+\-•]*(?:(?:và|hoặc|cùng)\b[\s,*_]*)?$", re.IGNORECASE)
#: a list goes on right before a citation: "..., Nghị định số B", "... và Chương trình số C"
_LIST_GOES_ON = compile_pattern(r"(?:,|;|\bvà|\bhoặc|\bcùng)[\s*_]*$", re.IGNORECASE)
#: markup and bullets before a paragraph's first word
_LEAD = compile_pattern(r"[\s*_+\-•>|#]*")
_MARKUP = compile_pattern(r"[*_]")
_SEMICOLON = compile_pattern(";")
#: the cues of a coordinated verb list: "Bãi bỏ, sửa đổi, thay thế ..."
_CUE_GLUE = compile_pattern(r"[\s,]*(?:(?:và|hoặc)\s+)?$")

#: the relations in their canonical order
RELATIONS = tuple(relation_grammar()["relations"])
#: relations a text states about what it acts on: they need their cue close
#: to the citation (``ACT_REACH`` characters, no clause boundary between)
ACTS = frozenset({"amends", "replaces", "repeals", "guides"})
ACT_REACH = 100
#: how far before a citation any other cue may govern it, in its clause
CUE_REACH = 240
#: how far before an amending cue a proposal word makes it a proposal
PROPOSAL_REACH = 40
#: how far a document's description reaches: a cue further than this after
#: its designator, date and issuer starts a clause of its own ("Công văn số
#: A ngày ... về việc tham gia ý kiến ..., Bộ Nội vụ đã hướng dẫn ... theo
#: Công văn số B")
NEST_REACH = 160

PASSIVE = passive_regex()
OPENING = opening_regex()
PROPOSAL = proposal_regex()
PARTIAL = partial_object_regex()
ENDS_EFFECT = ends_effect_regex()
_PASSIVE_VERB = (
    ("replaces", compile_pattern(r"thay[ ]thế", re.I)),
    ("repeals", compile_pattern(r"bãi[ ]bỏ", re.I)),
    ("guides", compile_pattern(r"hướng[ ]dẫn|quy[ ]định[ ]chi[ ]tiết", re.I)),
)


#: what ends the name before a designator ("Luật Phí và lệ phí số")
_NAME_END = compile_pattern(r"[\s*_]+(?:số|Số|SỐ)?[\s*_:]*$")
#: the types a document is named by without its number (văn bản gọi tên)
_NAMED_TYPE = compile_pattern(r"(?:Luật|Bộ luật|Pháp lệnh|Hiến pháp)\s\S")
#: the object of an act's verb: "(một số điều) của <name>"
_OBJECT = compile_pattern(
    r"[\s,]*(?:(?:một[ ]số|các)[ ](?:điều|khoản|nội[ ]dung)(?:[ ]và[ ]\w+)?[ ])?(?:của[ ])?"
    r"(?P<name>(?:Luật|Bộ[ ]luật|Pháp[ ]lệnh|Hiến[ ]pháp|các[ ]\w+[ ]\w+)[^;:(),\d]{2,150}?)(?=\s*(?:[,.;*]|$))"
)
#: "các nghị định liên quan đến <subject>", "các thông tư về <subject>"
_PLURAL = compile_pattern(
    r"các (?P<type>nghị định|thông tư|quyết định|nghị quyết|luật) (?:liên quan đến|về) (?P<subject>.+)"
)
#: the verbs of acts, looked for before the cues are read
_ACT_WORD = compile_pattern(
    r"sửa\s+đổi|bổ\s+sung|hướng\s+dẫn|quy\s+định\s+chi\s+tiết|thay\s+thế|bãi\s+bỏ|hủy\s+bỏ", re.I
)
_CLAUSE_STOP = compile_pattern(r";|\.(?:\s|$)|\n\s*\n|\(")


def _folded(s: str) -> str:
    """A name compared: spaces collapsed, case folded, markup and trailing punctuation left out."""
    return SPACES.sub(" ", _MARKUP.sub("", s)).strip(" ,.;").casefold()


@dataclass
class Classified:
    relation: str
    relations: tuple[str, ...]
    parent: int | None  # index of the citation this one is nested in


@dataclass(frozen=True)
class RawLink:
    source: int  # index of the acting citation (from)
    target: int  # index of the citation acted on (to)
    relation: str


def _ordered(rels) -> tuple[str, ...]:
    return tuple(sorted(set(rels), key=RELATIONS.index))


def cue_relations(text: str, lo: int, hi: int) -> tuple[str, ...] | None:
    """The relations the cue words of ``text[lo:hi]`` give a citation that
    starts at ``hi``: the nearest cue that may govern it (a cue of an act,
    amends/replaces/repeals/guides, only when close to the citation), with
    the cues coordinated with it ("Bãi bỏ, sửa đổi, thay thế một số điều");
    an act proposed or awaited ("tham mưu sửa đổi", "khi có Thông tư mới
    thay thế") is a mention; replacing words or points is an amendment.
    None when no cue governs it.

    >>> t = "Bãi bỏ, sửa đổi, thay thế một số điều, phụ lục của Thông tư số 02/2023/TT-BTP"
    >>> cue_relations(t, 0, t.index("Thông tư"))
    ('amends', 'repeals')
    >>> t = "tham mưu UBND tỉnh sửa đổi, bổ sung hoặc thay thế Quyết định số 15/2021/QĐ-UBND"
    >>> cue_relations(t, 0, t.index("Quyết định"))
    ('mentions',)
    """
    matches = list(CUE.finditer(text, max(lo, hi - CUE_REACH - 40), hi))
    for k in range(len(matches) - 1, -1, -1):
        m = matches[k]
        rel = cue_relation(m)
        gap = text[m.end() : hi]
        if rel in ACTS and (len(gap) > ACT_REACH or ";" in gap or ":" in gap.rstrip(" *_:")):
            continue
        if len(gap) > CUE_REACH:
            return None
        if rel == "mentions":
            return ("mentions",)
        if rel not in ACTS:
            return (rel,)
        # the coordinated verbs before it
        group = [m]
        while k > 0 and _CUE_GLUE.fullmatch(text, matches[k - 1].end(), group[0].start()):
            k -= 1
            group.insert(0, matches[k])
        rels = {cue_relation(g) for g in group} - {"mentions", "based_on", "implements"}
        if not rels:
            return (rel,)
        proposal = None
        for pm in PROPOSAL.finditer(text, max(lo, group[0].start() - PROPOSAL_REACH), group[0].start()):
            proposal = pm
        # "tham mưu UBND tỉnh sửa đổi ...": a proposal; "Rà soát, tham mưu, sửa
        # đổi Quyết định ...": a list of tasks, the act among them
        if proposal and not re.fullmatch(r"\s*,\s*", text[proposal.end() : group[0].start()]):
            return ("mentions",)
        if "replaces" in rels and PARTIAL.search(gap):
            rels = (rels - {"replaces"}) | {"amends"}
        return _ordered(rels)
    return None


def _opening(text: str, line_start: int) -> tuple[str, ...] | None:
    """The relations an opening at the paragraph's start gives ("Căn cứ":
    based_on; "Thực hiện", "Triển khai": based_on and implements; "Xét",
    "Theo đề nghị": mentions), or None."""
    m = OPENING.match(text, _LEAD.match(text, line_start).end())
    return opening_relations()[int(m.lastgroup[1:])] if m else None


def _passive_relation(verbs: str) -> str:
    for rel, rx in _PASSIVE_VERB:
        if rx.match(verbs.split("được", 1)[-1].strip()):
            return rel
    return "amends"


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


class _Classifier:
    """The relation of each citation of one text and the links between them
    (see :func:`classify`)."""

    def __init__(self, text: str, cits: list[RawCitation], preamble_end: int):
        self.text, self.cits, self.preamble_end = text, cits, preamble_end
        self.out: list[Classified] = []
        self.links: list[RawLink] = []
        #: a nested citation's link: (from, to, relation, passive)
        self.nest: dict[int, tuple[int, int, str, bool]] = {}
        self.sibling_of: dict[int, int] = {}
        #: a document's first nested object of an act (amends, replaces, repeals, guides)
        self.first_act: dict[int, int] = {}

    # -- the cases -------------------------------------------------------------

    def top(self, i: int, rels: tuple[str, ...]) -> None:
        self.out.append(Classified(rels[0], rels, None))

    def sibling(self, i: int, j: int) -> None:
        """``i`` is the next item of the list ``j`` stands in: the same relation,
        nested where ``j`` is, with the same link."""
        self.sibling_of[i] = j
        o = self.out[j]
        self.out.append(Classified(o.relation, o.relations, o.parent))
        if j in self.nest:
            src, tgt, rel, passive = self.nest[j]
            if passive:
                self._link(i, tgt, rel, passive, nested=i)
            else:
                self._link(src, i, rel, passive, nested=i)

    def nested(self, i: int, parent: int) -> None:
        self.out.append(Classified("mentions", ("mentions",), parent))

    def _link(self, src: int, tgt: int, rel: str, passive: bool, nested: int) -> None:
        """Link ``src`` → ``tgt``, unless both are one document (a name that
        holds the document again: "Luật sửa đổi ... của Luật Đất đai số
        31/2024/QH15, Luật Nhà ở số ...", whose list is then no link either)
        or ``src`` is older than ``tgt`` (no document acts on a later one)."""
        if self.cits[src].designator.key == self.cits[tgt].designator.key:
            return
        self.nest[nested] = (src, tgt, rel, passive)
        if not passive and rel in ACTS:
            self.first_act.setdefault(src, nested)
        if self._older(src, tgt):
            return
        self.links.append(RawLink(src, tgt, rel))

    def _anchor(self, j: int, agent: int) -> int:
        """The document a passive verb after ``j`` acts on: ``j`` or the one it
        is nested in, the nearest of the agent's kind (a Party document is
        amended by a Party document, a state one by a state one)."""
        party = self.cits[agent].designator.kind == "party"
        k: int | None = j
        while k is not None:
            if (self.cits[k].designator.kind == "party") == party:
                return k
            k = self.out[k].parent
        return j

    def after(self, i: int, j: int) -> None:
        """``i`` follows ``j`` in one clause: the next item of its list, the
        acting document of a passive verb, or a document nested in ``j``'s
        description."""
        text, c, p = self.text, self.cits[i], self.cits[j]
        core = p.core_end or p.end
        if LIST_GLUE.fullmatch(text, core, c.start) or LIST_GLUE.fullmatch(text, max(p.tail_end, core), c.start):
            return self.sibling(i, j)
        passive = None
        for m in PASSIVE.finditer(text, core, c.start):
            passive = m
        if passive and c.start - passive.end() <= 160 and ";" not in text[passive.end() : c.start]:
            anchor = self._anchor(j, i)
            self.nested(i, anchor)
            self._link(i, anchor, _passive_relation(passive.group()), True, nested=i)
            return
        rels = cue_relations(text, core, c.start)
        if rels and rels != ("mentions",):
            cues = list(CUE.finditer(text, core, c.start))
            if cues[-1].start() - core > NEST_REACH:
                return self.top(i, rels)
            cue_end = cues[-1].end()
            if _LIST_GOES_ON.search(text, cue_end, c.start) and not self.out[j].parent:
                # "... Nghị quyết số 197 về ... tổ chức thi hành pháp luật và Nghị định số 289"
                return self.sibling(i, j)
            self.nested(i, j)
            self._link(j, i, rels[0], False, nested=i)
            return
        if rels is None and re.search(r",|\bvà\b", text[core : c.start]):
            return self.sibling(i, j)
        self.nested(i, j)

    def named_targets(self) -> None:
        """Link a document to one it acts on by name only, when the text
        cites that one with its number elsewhere: "Nghị định số 120/2016/NĐ-CP
        quy định chi tiết và hướng dẫn thi hành một số điều của Luật phí và lệ
        phí" guides the "Luật Phí và lệ phí số 97/2015/QH13" of another
        clause; "Nghị định số 48/2013/NĐ-CP ... sửa đổi, bổ sung một số điều
        của các nghị định liên quan đến kiểm soát thủ tục hành chính" amends
        the "Nghị định số 63/2010/NĐ-CP ... về kiểm soát thủ tục hành chính"
        it follows. Only a name that exactly one cited document bears."""
        text, cits = self.text, self.cits
        by_name: dict[str, set[str]] = {}
        by_subject: dict[tuple[str, str], set[str]] = {}
        first: dict[str, int] = {}
        for k, c in enumerate(cits):
            first.setdefault(c.designator.key, k)
            name = _NAME_END.sub("", text[c.start : c.des_start])
            if c.start < c.des_start and _NAMED_TYPE.match(name):
                by_name.setdefault(_folded(name), set()).add(c.designator.key)
            if c.subject and c.doc_type:
                by_subject.setdefault((c.doc_type.casefold(), _folded(c.subject)), set()).add(c.designator.key)
        if not by_name and not by_subject:
            return
        linked = {(l.source, l.target) for l in self.links}
        for i, c in enumerate(cits):
            a = c.core_end or c.end
            stop = min(cits[i + 1].start if i + 1 < len(cits) else len(text), a + 300)
            m = _CLAUSE_STOP.search(text, a, stop)
            region = text[a : m.start() if m else stop]
            if not _ACT_WORD.search(region):
                continue
            for cue in CUE.finditer(region):
                if cue_relation(cue) not in ACTS:
                    continue
                obj = _OBJECT.match(region, cue.end())
                if obj is None:
                    continue  # "sửa đổi, bổ sung một số điều của ...": the object follows the last verb
                name = _folded(obj.group("name"))
                keys = by_name.get(name, set())
                plural = _PLURAL.match(name)
                if not keys and plural:
                    keys = by_subject.get((plural.group("type"), plural.group("subject")), set())
                keys = keys - {c.designator.key}
                if len(keys) == 1:
                    k = first[next(iter(keys))]
                    if (i, k) not in linked and not self._older(i, k):
                        self.links.append(RawLink(i, k, cue_relation(cue)))
                break

    def _older(self, src: int, tgt: int) -> bool:
        a, b = self.cits[src].designator, self.cits[tgt].designator
        return bool(a.year and b.year and a.year < b.year)

    def passive_after_semicolon(self, i: int, clause_start: int, line_start: int) -> bool:
        """A passive verb in a clause before its first citation names the
        acting document of the citation before it in the paragraph, whose
        description held a ";" ("Thông tư số 38/2015/TT-BTC ... quy định về thủ tục hải quan;
        kiểm tra, giám sát hải quan; ... (được sửa đổi, bổ sung bởi khoản 59
        Điều 1 Thông tư số 39/2018/TT-BTC"). Whether it did (and was read)."""
        c = self.cits[i]
        if i == 0 or self.cits[i - 1].start < line_start:
            return False
        m = max(PASSIVE.finditer(self.text, clause_start, c.start), key=lambda x: x.start(), default=None)
        if m is None or c.start - m.end() > 160:
            return False
        anchor = self._anchor(i - 1, i)
        self.nested(i, anchor)
        self._link(i, anchor, _passive_relation(m.group()), True, nested=i)
        return True

    def ends_effect(self, i: int) -> bool:
        """Whether the text declares ``i`` ended right after it ("... hết hiệu lực kể từ")."""
        c = self.cits[i]
        nxt = self.cits[i + 1].start if i + 1 < len(self.cits) else len(self.text)
        a = c.core_end or c.end
        window = self.text[a : min(nxt, a + 80)]
        m = ENDS_EFFECT.search(window)
        return bool(m) and not re.search(r"[;:]|\.\s", window[: m.start()])

    def run(self) -> tuple[list[Classified], list[RawLink]]:
        text, cits = self.text, self.cits
        # the paragraph breaks up to the line of the last citation (what
        # decides a break reads no further than the line after it)
        last = text.find("\n", max(c.start for c in cits)) if cits else -1
        breaks = [m.end() for m in _PARA_NEWLINE.finditer(text, 0, len(text) if last < 0 else last + 1)] if cits else []
        para = scanned = -1
        clause_start, boundary = 0, ""
        opening: tuple[str, ...] | None = None
        prev_top: int | None = None  # the last top-level citation of the paragraph
        colon_list = False
        tops = 0
        for i, c in enumerate(cits):
            k = bisect_right(breaks, c.start) - 1
            line_start = breaks[k] if k >= 0 else 0
            if line_start != para or c.start < scanned:
                para, scanned = line_start, line_start
                clause_start, boundary = line_start, ""
                opening = _opening(text, line_start) if line_start < self.preamble_end else None
                prev_top, colon_list, tops = None, False, 0
            for m in CLAUSE_BOUNDARY.finditer(text, scanned, min(len(text), c.start + 40)):
                if m.start() >= c.start:
                    break
                clause_start, boundary = m.end(), m.group()
                colon_list = colon_list or boundary == ":"
            scanned = max(scanned, c.start)
            if i > 0 and cits[i - 1].start >= clause_start and cits[i - 1].start >= line_start:
                self.after(i, i - 1)
            else:
                prefix_glue = LIST_GLUE.fullmatch(text, clause_start, c.start)
                if boundary == ";" and prefix_glue and prev_top is not None:
                    child = self.first_act.get(prev_top)
                    # a list of what the paragraph's one top document amends,
                    # replaces, repeals or guides goes on ("Nghị định số 83 ...
                    # sửa đổi ... của Nghị định A ...; Nghị định B"); a list of
                    # top documents goes on at the top
                    if child is not None and tops == 1 and not colon_list and opening is None:
                        self.sibling(i, child)  # "sửa đổi ... của Nghị định A ...; Nghị định B"
                    else:
                        self.sibling(i, prev_top)
                elif self.passive_after_semicolon(i, clause_start, line_start):
                    pass
                elif opening is not None:
                    self.top(i, opening)
                else:
                    rels = cue_relations(text, clause_start, c.start)
                    if rels is None and boundary in (";", ":"):
                        rels = cue_relations(text, line_start, c.start)
                    self.top(i, rels or ("mentions",))
            if self.out[i].parent is None:
                prev_top = i
                tops += 1
        self.named_targets()
        # "Nghị định số A, Nghị định số B hết hiệu lực kể từ ...": the list ends
        for i in range(len(cits) - 1, -1, -1):
            if self.out[i].parent is None and self.ends_effect(i):
                k: int | None = i
                while k is not None:
                    o = self.out[k]
                    if "repeals" not in o.relations:
                        rels = _ordered(set(o.relations) - {"mentions"} | {"repeals"})
                        self.out[k] = Classified(rels[0], rels, o.parent)
                    k = self.sibling_of.get(k)
        return self.out, self.links


def classify(text: str, cits: list[RawCitation], preamble_end: int) -> tuple[list[Classified], list[RawLink]]:
    """The relation of each citation (in order) and the links between them.

    A paragraph before the body that opens with "Căn cứ" makes the documents
    it cites the text's legal basis (``based_on``); "Thực hiện" / "Triển
    khai" makes them ``based_on`` and ``implements``; "Xét" / "Theo đề nghị"
    only ``mentions`` them. Elsewhere the cue words before a citation decide
    (:func:`cue_relations`). A document named inside another's description
    ("Kế hoạch số A ... về việc thực hiện Nghị quyết số B") is a mention,
    with a link from A to B; the passive voice ("Nghị định số A (được sửa
    đổi, bổ sung bởi Nghị định số B)") links B to A.

    >>> from cancu.extractors.find import find_citations
    >>> t = ("Tiếp tục triển khai thực hiện Kế hoạch số 3017/KH-UBND ngày 26/7/2024 của UBND tỉnh "
    ...      "về việc thực hiện Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ; Kế hoạch 3404/KH-UBND.")
    >>> rels, links = classify(t, find_citations(t), 0)
    >>> [r.relation for r in rels]
    ['implements', 'mentions', 'implements']
    >>> [(l.source, l.target, l.relation) for l in links]
    [(0, 1, 'implements')]
    >>> t = "Căn cứ Nghị định số 120/2016/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số 82/2023/NĐ-CP;"
    >>> rels, links = classify(t, find_citations(t), len(t))
    >>> [r.relations for r in rels], [(l.source, l.target, l.relation) for l in links]
    ([('based_on',), ('mentions',)], [(1, 0, 'amends')])
    """
    return _Classifier(text, cits, preamble_end).run()


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

#: the longest evidence kept as is (characters): a citation's context is the
#: item of an enumeration it stands in (its sentence split at ";") when that
#: is at most this long, else the clause (split at ":" too) when that is at
#: most this long, else :data:`CONTEXT_WINDOW` characters of the clause around it
CONTEXT_MAX = 1000
#: how much of a longer clause is kept: this many characters, from
#: :data:`CONTEXT_BEFORE` characters before the citation
CONTEXT_WINDOW = 400
CONTEXT_BEFORE = 150

#: a sentence end before a citation (after it: :data:`_SENT_STOP`)
_SENT_END = compile_pattern(r"[.!?…][\"”’)\]*]*[ \t]+(?=[A-ZĐÀ-Ỹ\"“(*])")
_SENT_STOP = compile_pattern(r"[.!?…](?=[\"”’)\]*]*(?:\s|$))")


class Evidence:
    """The evidence of what a text cites, found in linear time: the
    boundaries of lines, sentences and clauses are found once per text, and
    each citation's context is bounded, so that neither time nor memory grow
    with the square of a long line.

    :meth:`sentence` is the sentence holding a span: from the line start or
    the last sentence end before it, to the first sentence end or line end
    after it. :meth:`context` is the evidence kept for it: the item of an
    enumeration it stands in (the sentence split at ``;``) when at most
    :data:`CONTEXT_MAX` characters long, else the clause the span stands in
    (between ``;``, ``:`` and sentence ends) when that is at most as long,
    else :data:`CONTEXT_WINDOW` characters of the clause, from
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
        self._semis: dict[int, list[int]] = {}  # per sentence
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
        citation to another): the context is the item of an enumeration the
        span stands in (the sentence split at ``;``) when at most
        :data:`CONTEXT_MAX` long, else the clause (split at ``:`` too), else
        a window of it."""
        ss, se = self.sentence(start, end)
        text = self.text
        if ss not in self._semis:  # the semicolons of each sentence, found once
            self._semis[ss] = [m.start() for m in _SEMICOLON.finditer(text[ss:se])]
        semis = self._semis[ss]
        k = bisect_left(semis, start - ss)
        a = ss + semis[k - 1] + 1 if k > 0 else ss
        k = bisect_left(semis, end - ss)
        b = ss + semis[k] if k < len(semis) else se
        a, b = self._strip(a, b, start, end)
        if b - a <= CONTEXT_MAX:
            return (a, b), (ss, se)
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
