"""What is cited, and where it is seen.

A :class:`Designator` is the cited document's number and symbol (số, ký hiệu):
what the knowledge graph keys a document node on. A :class:`Citation` is one
place in one text where a document is cited (trích dẫn): the evidence, with
exact character offsets into the source text. Both are frozen.

A :class:`DocumentRecord` is everything extracted from one text; it and its
parts round-trip through JSON: ``X.from_dict(x.to_dict()) == x``. The JSON
names are the attribute names, with one exception, in one place
(:data:`JSON_NAMES`): an attribute whose JSON name is a Python keyword ends
in ``_`` (``Link.from_`` is ``"from"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, dataclass_transform

if TYPE_CHECKING:
    from .clean import CleanText

#: attribute name → JSON name, where the JSON name is a Python keyword
JSON_NAMES = {"from_": "from"}


@dataclass_transform(frozen_default=True)
def frozen(cls: type) -> type:
    """``@dataclass(frozen=True)``, made in a third of the time.

    A frozen dataclass's own ``__init__`` sets each field through
    ``object.__setattr__`` (its ``__setattr__`` refuses): 3.8 µs for an
    eight-field :class:`AgencyMention` here, against 1.2 µs for writing the
    fields into the instance's ``__dict__``, which is what this ``__init__``
    does. Everything else is the dataclass's own (fields, ``==``, hash,
    ``repr``, ``dataclasses.replace``); a class with a field it cannot write
    that way (no ``__init__`` argument, a ``default_factory``, a
    keyword-only field, ``__post_init__``) keeps the dataclass's
    ``__init__``.

    >>> @frozen
    ... class Span:
    ...     start: int
    ...     end: int = 0
    >>> s = Span(3)
    >>> s, s == Span(3, 0), hash(s) == hash(Span(3, 0))
    (Span(start=3, end=0), True, True)
    >>> s.end = 4
    Traceback (most recent call last):
    dataclasses.FrozenInstanceError: cannot assign to field 'end'
    """
    cls = dataclass(frozen=True)(cls)
    fs = fields(cls)
    if hasattr(cls, "__post_init__") or any(not f.init or f.kw_only or f.default_factory is not MISSING for f in fs):
        return cls
    defaults = {f"_d_{f.name}": f.default for f in fs if f.default is not MISSING}
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_d_{f.name}" for f in fs)
    body = "".join(f"\n    d[{f.name!r}] = {f.name}" for f in fs)
    scope: dict = {}
    exec(f"def __init__(self, {params}):\n    d = self.__dict__{body}", defaults, scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init
    return cls


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

    @classmethod
    def from_dict(cls, d: dict) -> Citation:
        """The citation of :meth:`to_dict`'s output."""
        return cls(**{**d, "relations": tuple(d["relations"]), "inherited": tuple(d.get("inherited", ()))})


# slots, not a __dict__ per citation: a text may cite thousands of documents
_CITATION_FIELDS = tuple(f.name for f in fields(Citation))
_citation_values = attrgetter(*_CITATION_FIELDS)


def _to_json(obj) -> dict:
    """The JSON object of a flat record part: its fields in order, named by
    :data:`JSON_NAMES`."""
    names, values = _json_layout(type(obj))
    return dict(zip(names, values(obj)))


@cache
def _json_layout(cls) -> tuple[tuple[str, ...], Callable]:
    """The JSON names of the fields of ``cls``, in order, and a getter of
    their values (a record holds thousands of parts: ``fields()`` once per
    class, not per part)."""
    names = tuple(f.name for f in fields(cls))
    return tuple(JSON_NAMES.get(n, n) for n in names), attrgetter(*names)  # every part has several fields


def _from_json(cls, d: dict):
    """The record part ``cls`` of a JSON object of :func:`_to_json`."""
    named = ((f.name, JSON_NAMES.get(f.name, f.name)) for f in fields(cls))
    return cls(**{a: d[j] for a, j in named if j in d})


@frozen
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
        return _to_json(self)

    @classmethod
    def from_dict(cls, d: dict) -> NamedDocument:
        return _from_json(cls, d)


@frozen
class Link:
    """A document-to-document relation stated inside a citation: "Kế hoạch số
    3017/KH-UBND ... về việc thực hiện Nghị quyết số 47/NQ-CP" gives
    3017/KH-UBND → 47/NQ-CP (implements).

    ``from_`` (JSON ``"from"``) is the key of the citing document, ``to`` the
    key of the cited one; ``source_year``/``target_year`` their years.
    """

    relation: str
    source_year: int | None
    target_year: int | None
    start: int  # offsets of the evidence: from the first of the two citations to the end of the last
    end: int
    context: str
    from_: str  # key of the citing document
    to: str  # key of the cited document

    def to_dict(self) -> dict:
        return _to_json(self)

    @classmethod
    def from_dict(cls, d: dict) -> Link:
        return _from_json(cls, d)


@frozen
class Section:
    """A heading of the text's outline (mục): ``II.3.1`` "Phối hợp triển khai ..."
    (a record's ``tasks``)."""

    id: str
    title: str
    level: int
    start: int
    end: int  # end of the section's body

    def to_dict(self) -> dict:
        return _to_json(self)

    @classmethod
    def from_dict(cls, d: dict) -> Section:
        return _from_json(cls, d)


@frozen
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
    #: the body this name stands for, however the text writes it: abbreviations
    #: expanded, the province dropped ("UBND tỉnh Lai Châu" → "Ủy ban nhân dân
    #: tỉnh"), so that one body merges across documents
    canonical: str | None = None

    def to_dict(self) -> dict:
        return _to_json(self)

    @classmethod
    def from_dict(cls, d: dict) -> AgencyMention:
        return _from_json(cls, d)


@frozen
class ContainedDocument:
    """A document bound before the text's own one, e.g. the cover letter
    (công văn) that sends a plan: its type, designator, date, issuer, signer,
    title ("V/v ...") and its span ``start``/``end`` in the source text."""

    doc_type: str | None
    key: str | None
    date: str | None
    issuer: str | None
    signer: str | None
    title: str | None
    start: int
    end: int

    def to_dict(self) -> dict:
        return _to_json(self)

    @classmethod
    def from_dict(cls, d: dict) -> ContainedDocument:
        return _from_json(cls, d)


@frozen
class SelfInfo:
    """The text's description of itself (thông tin văn bản), as
    :func:`extractors.selfinfo.describe` reads it from its heading: type
    (``Kế hoạch``), own designator, province, year, ``status`` (``issued`` or
    ``draft``, dự thảo), issuing body, signer, title, and the documents bound
    before it (``contains``)."""

    doc_type: str | None = None
    key: str | None = None
    province: str | None = None
    year: int | None = None
    status: str | None = None
    issuer: str | None = None
    signer: str | None = None
    title: str | None = None
    contains: tuple[ContainedDocument, ...] = ()
    #: the date of its place-and-date line ("Hà Tĩnh, ngày 01 tháng 12 năm
    #: 2025"), ISO; None when it has none (a draft's "ngày … tháng")
    date: str | None = None
    #: its own entry into force as it states it ("Nghị định này có hiệu lực
    #: thi hành kể từ ngày …"): ``{date, start, end}`` in the source text, or None
    effective: dict | None = None

    def to_dict(self) -> dict:
        d = _to_json(self)
        d["contains"] = [c.to_dict() for c in self.contains]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> SelfInfo:
        """The self description of :meth:`to_dict`'s output (or of
        :func:`extractors.selfinfo.describe`).

        >>> SelfInfo.from_dict({"doc_type": "Kế hoạch", "year": 2024, "contains": []}).to_dict()["year"]
        2024
        """
        contains = tuple(ContainedDocument.from_dict(c) for c in d.get("contains", ()))
        return cls(**{**{k: v for k, v in d.items() if k != "contains"}, "contains": contains})


@frozen
class BodySpan:
    """Where the document lies in its file (phần nội dung văn bản):
    ``[start, end)`` in source offsets; ``left_out`` counts the characters of
    site text around it (a portal's banner, metadata table, privacy notice)
    that extraction did not read. A file with no site text has ``start`` 0,
    ``end`` its length and nothing left out.

    >>> BodySpan.from_dict(BodySpan(934, 7358, 5285).to_dict())
    BodySpan(start=934, end=7358, left_out=5285)
    """

    start: int
    end: int
    left_out: int = 0

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "left_out": self.left_out}

    @classmethod
    def from_dict(cls, d: dict) -> BodySpan:
        return cls(d["start"], d["end"], d.get("left_out", 0))


@dataclass
class DocumentRecord:
    """Everything extracted from one source text.

    ``tasks`` are the headings of its outline (:class:`Section`), the tasks
    (nhiệm vụ) its agencies are assigned to.

    >>> from cancu.extractors.pipeline import extract_text
    >>> r = extract_text("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\nI. MỤC ĐÍCH\\n")
    >>> DocumentRecord.from_dict(r.to_dict()) == r
    True
    """

    source: str
    self: SelfInfo
    citations: list[Citation] = field(default_factory=list)
    named: list[NamedDocument] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    tasks: list[Section] = field(default_factory=list)
    #: generic collectives given a role that name no body (tập thể: "các sở,
    #: ban, ngành", "Ủy ban nhân dân cấp xã"), kept apart from ``agencies``
    collectives: list[AgencyMention] = field(default_factory=list)
    encoding: str | None = None
    sha256: str | None = None
    chars: int = 0
    #: where the document lies in the file (site text around it is not read)
    body: BodySpan | None = None
    #: how the file was read: ``txt``, ``md``, ``docx``, ``doc``, ``pdf``, ``html``
    format: str | None = None
    #: the legacy encoding converted to Unicode (``tcvn3-to-unicode``, ``vni-to-unicode``)
    conversion: str | None = None
    #: the first line of its body (:func:`extractors.pipeline.headline`): the
    #: name of a text with no title of its own
    headline: str | None = None
    #: the extracted text every offset refers to (not serialised: ``--dump-text`` writes it)
    text: str | None = field(default=None, repr=False, compare=False)
    #: that text as the stages read it (:class:`~.clean.CleanText`), kept only
    #: when asked for (not serialised: a build's search rows are cut from it)
    cleaned: CleanText | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "conversion": self.conversion,
            "sha256": self.sha256,
            "chars": self.chars,
            "body": self.body.to_dict() if self.body else None,
            "self": self.self.to_dict(),
            "headline": self.headline,
            "citations": [c.to_dict() for c in self.citations],
            "named": [n.to_dict() for n in self.named],
            "links": [l.to_dict() for l in self.links],
            "agencies": [a.to_dict() for a in self.agencies],
            "collectives": [a.to_dict() for a in self.collectives],
            "tasks": [s.to_dict() for s in self.tasks],
        }

    @classmethod
    def from_dict(cls, d: dict) -> DocumentRecord:
        """The record of :meth:`to_dict`'s output (e.g. a store's
        ``sources/<id>.json``)."""
        return cls(
            source=d["source"],
            self=SelfInfo.from_dict(d.get("self") or {}),
            citations=[Citation.from_dict(c) for c in d.get("citations", ())],
            named=[NamedDocument.from_dict(n) for n in d.get("named", ())],
            links=[Link.from_dict(l) for l in d.get("links", ())],
            agencies=[AgencyMention.from_dict(a) for a in d.get("agencies", ())],
            tasks=[Section.from_dict(s) for s in d.get("tasks", ())],
            collectives=[AgencyMention.from_dict(a) for a in d.get("collectives", ())],
            encoding=d.get("encoding"),
            sha256=d.get("sha256"),
            chars=d.get("chars", 0),
            body=BodySpan.from_dict(d["body"]) if d.get("body") else None,
            format=d.get("format"),
            conversion=d.get("conversion"),
            headline=d.get("headline"),
        )
