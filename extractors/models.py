"""What is cited, and where it is seen.

A :class:`Designator` is the cited document's number and symbol (số, ký hiệu):
what the knowledge graph keys a document node on. A :class:`Citation` is one
place in one text where a document is cited (trích dẫn): the evidence, with
exact character offsets into the source text. Both are frozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter

#: relation of a citing text to a cited document (quan hệ)
RELATIONS = ("based_on", "implements", "amends", "mentions")


@dataclass(frozen=True, order=True, slots=True)
class Designator:
    """A document's number and symbol (số, ký hiệu), e.g. ``57-KL/TW``.

    ``key`` is the canonical designator as officially written: no "số", no
    spaces or line breaks, ``-`` for every dash, ``Đ`` for ``Ð``.
    ``kind`` is one of ``normative`` (year in the number, ``72/2015/NĐ-CP``),
    ``administrative`` (``1191/QĐ-TTg``), ``party`` (``57-KL/TW``) or
    ``official_letter`` (``3089/BTTTT-TTĐN``).
    """

    key: str
    kind: str
    number: str
    symbol: str
    year: int | None = None  # the year written in the number, if any
    type_code: str | None = None  # QĐ, NQ, KL ... (None for official letters)

    @property
    def has_year(self) -> bool:
        return self.year is not None


@dataclass(frozen=True, slots=True)
class Citation:
    """One occurrence of a cited numbered document in a text (trích dẫn).

    ``start``/``end`` delimit ``text`` in the source text (the type word, "số"
    and the designator: ``Kết luận số 57-KL/TW``). ``context`` is the evidence:
    the sentence it stands in, or, when the sentence is longer than
    :data:`extractors.resolve.CONTEXT_MAX` characters, the clause it stands in,
    cut to that many characters around it; ``context_start``/``context_end``
    delimit it in the source text, ``sentence_start``/``sentence_end`` the
    whole sentence. ``mention`` is ``full`` when the occurrence states a date or
    an issuer, ``short`` when it repeats only type and designator; a short
    mention inherits the date and issuer of the first full one and lists them
    in ``inherited``.
    """

    key: str
    kind: str
    number: str
    symbol: str
    doc_type: str | None
    year: int | None
    date: str | None
    issuer: str | None
    subject: str | None
    relation: str
    relations: tuple[str, ...]
    text: str
    start: int
    end: int
    context: str
    context_start: int
    context_end: int
    section: str | None = None
    mention: str = "full"
    inherited: tuple[str, ...] = ()
    doc_type_inferred: bool = False
    date_text: str | None = None
    date_start: int | None = None
    date_end: int | None = None
    issuer_start: int | None = None
    issuer_end: int | None = None
    #: the whole sentence the citation stands in (``context`` may be a part of it)
    sentence_start: int | None = None
    sentence_end: int | None = None

    def to_dict(self) -> dict:
        d = dict(zip(_CITATION_FIELDS, _citation_values(self)))  # much cheaper than dataclasses.asdict
        d["relations"] = list(self.relations)
        d["inherited"] = list(self.inherited)
        return d


# slots, not a __dict__ per citation: a text may cite thousands of documents
_CITATION_FIELDS = tuple(f.name for f in fields(Citation))
_citation_values = attrgetter(*_CITATION_FIELDS)


@dataclass(frozen=True)
class NamedDocument:
    """A document referred to by name only, with no number (văn bản không số):
    "Luật Bảo vệ bí mật nhà nước", "Công ước Liên hợp quốc về Luật Biển năm 1982"."""

    name: str  # whitespace made single spaces
    doc_type: str
    start: int
    end: int
    context: str
    text: str = ""  # the name as written: ``source[start:end]``

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Link:
    """A document-to-document relation stated inside a citation: "Kế hoạch số
    3017/KH-UBND ... về việc thực hiện Nghị quyết số 47/NQ-CP" gives
    3017/KH-UBND → 47/NQ-CP (implements)."""

    source: str  # key of the citing document ("from")
    target: str  # key of the cited document ("to")
    relation: str
    source_year: int | None
    target_year: int | None
    start: int  # offsets of the evidence: from the outer citation to the inner one
    end: int
    context: str

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["from"] = d.pop("source")
        d["to"] = d.pop("target")
        return d


@dataclass(frozen=True)
class Section:
    """A heading of the text's outline (mục): ``II.3.1`` "Phối hợp triển khai ..."."""

    id: str
    title: str
    level: int
    start: int
    end: int  # end of the section's body

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class AgencyMention:
    """A body named as leading (``lead``, "chủ trì") or supporting (``support``,
    "phối hợp") a task (nhiệm vụ)."""

    name: str
    role: str
    task: str | None
    start: int
    end: int
    text: str
    task_title: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class DocumentRecord:
    """Everything extracted from one source text."""

    source: str
    self: dict
    citations: list[Citation] = field(default_factory=list)
    named: list[NamedDocument] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    encoding: str | None = None
    sha256: str | None = None
    chars: int = 0
    #: how the file was read: ``txt``, ``md``, ``docx``, ``doc``, ``pdf``, ``html``
    format: str | None = None
    #: the legacy encoding converted to Unicode (``tcvn3-to-unicode``, ``vni-to-unicode``)
    conversion: str | None = None
    #: the extracted text every offset refers to (not serialised: ``--dump-text`` writes it)
    text: str | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "conversion": self.conversion,
            "sha256": self.sha256,
            "chars": self.chars,
            "self": self.self,
            "citations": [c.to_dict() for c in self.citations],
            "named": [n.to_dict() for n in self.named],
            "links": [l.to_dict() for l in self.links],
            "agencies": [a.to_dict() for a in self.agencies],
            "tasks": [s.to_dict() for s in self.sections],
        }
