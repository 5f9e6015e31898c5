"""The extraction pipeline: the stages that find a text's citations, their
relations and links, named documents, the text's own description and the
agencies of its tasks (:data:`STAGES`, each a plain function of this package
tested on its own), run on the text by :func:`extract_text`, and the files,
processes and budgets around them.

The same stages are spaCy components in :mod:`.spacy_components`
(:func:`load_pipeline`), for programs that work with spaCy Docs; extraction
does not build a Doc (tokens never matter to the matching, which works on
the text, and every span is a character offset), nor import spaCy.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import patterncache
from .agencies import find_assignments
from .body import Body, find_body, mask_outside
from .clean import CleanText, clean
from .errors import BadFileName, InputError, OutOfMemory, ReaderCrashed, ReadTimeout, WorkerError, name_problem
from .find import RawCitation, find_citations, find_designators
from .models import AgencyMention, BodySpan, Citation, DocumentRecord, Link, NamedDocument, Section, SelfInfo
from .named import find_named
from .outline import SectionIndex, outline, preamble_end
from .patterncache import compile_pattern
from .readers import DEFAULT_MAX_BYTES, SUFFIXES, read_document
from .resolve import Evidence, classify, inherit
from .selfinfo import describe

#: seconds one file may take to be read and extracted (``timeout``)
DEFAULT_TIMEOUT = 60.0
#: the least memory a reader process may take beyond its start (see :func:`memory_limit`)
MIN_MEMORY = 2 * 1024**3

_EXTENSIONS = (
    ("clean", None),
    ("sections", []),
    ("preamble_end", 0),
    ("raw_citations", []),
    ("designators", []),
    ("relations", []),
    ("raw_links", []),
    ("inherited", []),
    ("named", []),
    ("self_info", None),
    ("agencies", []),
    ("collectives", []),
)


class Extraction:
    """What the components find in one text, before it becomes a record: the
    same names as the Doc extensions (``doc._.sections`` ...), so that one
    stage function serves both :func:`extract_text`, which runs the stages
    on the text alone, and the spaCy components, which run them on a Doc's
    ``doc._``."""

    def __init__(self) -> None:
        for name, default in _EXTENSIONS:
            setattr(self, name, list(default) if isinstance(default, list) else default)


def outline_stage(text: str, x) -> None:
    """The outline (mục, phần) and where the preamble ends."""
    x.sections = outline(text)
    x.preamble_end = preamble_end(text)


def citations_stage(text: str, x) -> None:
    """Designators, and the citations around them."""
    x.designators = find_designators(text)
    x.raw_citations = find_citations(text, x.designators)


def self_stage(text: str, x) -> None:
    """The document's own description; its references to itself dropped."""
    info = describe(text, [d for d in x.designators if d.own_number])
    x.self_info = info
    x.raw_citations = drop_own_references(x.raw_citations, info)


def relations_stage(text: str, x) -> None:
    """Each citation's relation, the links between cited documents, and what
    short mentions inherit."""
    x.relations, x.raw_links = classify(text, x.raw_citations, x.preamble_end)
    x.inherited = inherit(x.raw_citations)


def named_stage(text: str, x) -> None:
    """Documents named without a number."""
    cits = x.raw_citations
    x.named = find_named(
        text,
        [(c.start, c.end) for c in cits],
        tuple(c.subject_start for c in cits if c.subject_start is not None),
    )


def agencies_stage(text: str, x) -> None:
    """The agencies that tasks assign, and the collectives."""
    x.agencies, x.collectives = find_assignments(text, x.sections, x.preamble_end)


#: the stages in order, by the name of their spaCy component
STAGES: tuple[tuple[str, Callable[[str, object], None]], ...] = (
    ("cancu_outline", outline_stage),
    ("cancu_citations", citations_stage),
    ("cancu_self", self_stage),
    ("cancu_relations", relations_stage),
    ("cancu_named", named_stage),
    ("cancu_agencies", agencies_stage),
)


def run_stages(text: str) -> Extraction:
    """Every stage on ``text``, without building a spaCy Doc (tokens never
    matter to the matching: this is what :func:`extract_text` runs).

    >>> x = run_stages("Căn cứ Nghị định số 72/2015/NĐ-CP;\\nI. MỤC ĐÍCH\\n")
    >>> [c.designator.key for c in x.raw_citations], [r.relation for r in x.relations]
    (['72/2015/NĐ-CP'], ['based_on'])
    """
    x = Extraction()
    for _, stage in STAGES:
        stage(text, x)
    return x


def drop_own_references(cits: list[RawCitation], info: dict) -> list[RawCitation]:
    """A document's references to itself ("Kèm theo Quyết định số
    5042/QĐ-BNNMT" heading its own appendix; ``info["own_keys"]``: every key
    :func:`describe` found the text using for itself) are not citations."""
    own = {info.get("key")} | {c.get("key") for c in info.get("contains", [])} | set(info.get("own_keys", ()))
    own.discard(None)
    return [c for c in cits if c.designator.key not in own] if own else cits


COMPONENTS = tuple(name for name, _ in STAGES)


def load_pipeline():
    """The pipeline as spaCy components (``spacy.blank("vi")`` with the
    whitespace tokenizer and cancu's stages; no model is downloaded), from
    :mod:`.spacy_components`: spaCy is imported only here, so that
    extracting, which runs the same stages without a Doc
    (:func:`run_stages`), starts without it."""
    from .spacy_components import load_pipeline as load

    return load()


# -- from a spaCy Doc to the record ------------------------------------------

_SENT_END = compile_pattern(r"[.!?…][\"”’)\]*]*[ \t]+(?=[A-ZĐÀ-Ỹ\"“(*])")
#: a sentence's last mark: a full stop (or ! ? …) before a space or the end
_SENT_LAST = compile_pattern(r"[.!?…](?=[\"”’)\]*]*(?:\s|$))")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``: from the line start or the
    last sentence end before it, to the first sentence end or line end after.

    >>> t = "Mục đích. Thực hiện Kết luận số 57-KL/TW của Bộ Chính trị. Tiếp theo"
    >>> a, b = sentence_span(t, t.index("Kết"), t.index(" của"))
    >>> t[a:b]
    'Thực hiện Kết luận số 57-KL/TW của Bộ Chính trị.'
    """
    line_start = text.rfind("\n", 0, start) + 1
    s = line_start
    for m in _SENT_END.finditer(text, line_start, start):
        s = m.end()
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    m = _SENT_LAST.search(text, end, line_end)
    e = m.end() if m else line_end
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _to_citation(ct: CleanText, rc: RawCitation, cls, inherited, section: str | None, evidence: Evidence) -> Citation:
    src = ct.source
    a, b = ct.span(rc.start, rc.end)
    # the evidence: the sentence, or a bounded part of a long one (Evidence
    # finds the text's boundaries once: a scan per citation was quadratic)
    (cs, ce), (ss, se) = evidence.context(rc.start, rc.end)
    ca, cb = ct.span(cs, ce)
    sa, sb = ct.span(ss, se)
    d = rc.designator
    year = d.year
    if year is None and rc.date:
        year = int(rc.date[:4])
    mention = (
        "short" if set(inherited) >= {"date", "issuer"} or (rc.date_span is None and rc.issuer_span is None) else "full"
    )
    date_a = date_b = iss_a = iss_b = None
    if rc.date_span and "date" not in inherited:
        date_a, date_b = ct.span(*rc.date_span)
    if rc.issuer_span and "issuer" not in inherited:
        iss_a, iss_b = ct.span(*rc.issuer_span)
    return Citation(
        key=d.key,
        kind=d.kind,
        number=d.number,
        symbol=d.symbol,
        doc_type=rc.doc_type,
        year=year,
        date=rc.date,
        issuer=rc.issuer,
        subject=rc.subject,
        relation=cls.relation,
        relations=tuple(cls.relations),
        text=src[a:b],
        start=a,
        end=b,
        context=src[ca:cb],
        context_start=ca,
        context_end=cb,
        section=section,
        mention=mention,
        inherited=tuple(inherited),
        doc_type_inferred=rc.doc_type_inferred,
        date_text=src[date_a:date_b] if date_a is not None else None,
        date_start=date_a,
        date_end=date_b,
        issuer_start=iss_a,
        issuer_end=iss_b,
        sentence_start=sa,
        sentence_end=sb,
    )


def record_from_doc(doc, ct: CleanText, source: str) -> DocumentRecord:
    """Turn a Doc processed by :func:`load_pipeline` into a
    :class:`DocumentRecord` whose offsets are into the source text."""
    from .spacy_components import text_of

    return record_from(doc._, text_of(doc), ct, source)


def record_from(x, text: str, ct: CleanText, source: str) -> DocumentRecord:
    """Turn what the stages found in ``text`` (an :class:`Extraction`, or a
    Doc's ``doc._``) into a :class:`DocumentRecord` whose offsets are into
    the source text."""
    index = SectionIndex(x.sections)
    pre_end = x.preamble_end

    def section_of(pos: int) -> str | None:
        if pos < pre_end:
            return "preamble"
        s = index.at(pos)
        return s.id if s else None

    raw = x.raw_citations
    evidence = Evidence(text)
    cits = [
        _to_citation(ct, rc, cls, inh, section_of(rc.start), evidence)
        for rc, cls, inh in zip(raw, x.relations, x.inherited)
    ]
    links = []
    for rl in x.raw_links:
        outer, inner = cits[rl.source], cits[rl.target]
        # the span from the first of the two to the last: the acting document
        # comes second in the passive voice ("A, được sửa đổi, bổ sung bởi B")
        first, last = sorted((raw[rl.source], raw[rl.target]), key=lambda r: r.start)
        (cs, ce), _ = evidence.context(first.start, max(first.end, last.end))
        ca, cb = ct.span(cs, ce)
        links.append(
            Link(
                relation=rl.relation,
                source_year=outer.year,
                target_year=inner.year,
                start=min(outer.start, inner.start),
                end=max(outer.end, inner.end),
                context=ct.source[ca:cb],
                from_=outer.key,
                to=inner.key,
            )
        )
    named = []
    for n in x.named:
        a, b = ct.span(n.start, n.end)
        named.append(NamedDocument(n.name, n.doc_type, a, b, n.context, ct.source[a:b]))

    def to_source(ag: AgencyMention) -> AgencyMention:
        a, b = ct.span(ag.start, ag.end)
        # built field by field: dataclasses.replace costs ten times more
        return AgencyMention(ag.name, ag.role, ag.task, a, b, ct.source[a:b], ag.task_title, ag.canonical)

    agencies = [to_source(ag) for ag in x.agencies]
    collectives = [to_source(ag) for ag in x.collectives]
    tasks = []
    for s in x.sections:
        a, b = ct.span(s.start, s.end)
        tasks.append(Section(s.id, s.title, s.level, a, b))
    info = dict(x.self_info or {})
    info.pop("own_keys", None)  # read by drop_own_references; not part of the record
    contains = []
    for c in info.get("contains", []):
        a, b = ct.span(c["start"], c["end"])
        contains.append({**c, "start": a, "end": b})
    info["contains"] = contains
    if info.get("effective"):
        a, b = ct.span(info["effective"]["start"], info["effective"]["end"])
        info["effective"] = {**info["effective"], "start": a, "end": b, "text": ct.source[a:b]}
    return DocumentRecord(
        source=source,
        self=SelfInfo.from_dict(info),
        citations=cits,
        named=named,
        links=_dedupe_links(links),
        agencies=agencies,
        collectives=collectives,
        tasks=tasks,
        chars=len(ct.source),
    )


def _dedupe_links(links: list[Link]) -> list[Link]:
    seen, out = set(), []
    for l in links:
        k = (l.from_, l.to, l.relation, l.start)
        if k not in seen:
            seen.add(k)
            out.append(l)
    return out


def extract_text(text: str, source: str = "<text>", *, keep_cleaned: bool = False) -> DocumentRecord:
    """Extract everything from one text; with ``keep_cleaned``, the record
    keeps the cleaned text the stages read (``cleaned``).

    >>> r = extract_text("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\nI. MỤC ĐÍCH\\n")
    >>> c = r.citations[0]
    >>> (c.key, c.doc_type, c.date, c.issuer, c.relation, c.text)
    ('72/2015/NĐ-CP', 'Nghị định', '2015-09-07', 'Chính phủ', 'based_on', 'Nghị định số 72/2015/NĐ-CP')
    """
    ct = clean(text)
    # a page saved from a legal portal: read the document only; the site
    # text around it is blanked (offsets unchanged) and counted in rec.body
    # (found on the text as written: its lines are the page's lines)
    body = find_body(ct.source)
    cleaned = range(len(ct.text) + 1)
    inner = Body(bisect_left(cleaned, body.start, key=ct.to_source), bisect_left(cleaned, body.end, key=ct.to_source))
    masked = mask_outside(ct.text, inner)
    rec = record_from(run_stages(masked), masked, ct, source)
    rec.body = BodySpan(body.start, body.end, body.start + len(ct.source) - body.end)
    rec.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    rec.headline = headline(ct.source, body.start, body.end)
    if keep_cleaned:
        rec.cleaned = ct
    return rec


_EMPHASIS = compile_pattern(r"\*\*|__|`")
_LEADING_MARKS = compile_pattern(r"^[\s#>*•|\-–]+")


def headline(text: str, start: int = 0, end: int | None = None) -> str | None:
    """The first line of a document's body that says something (dòng đầu):
    markdown marks and spacing taken away, at most 200 characters; what
    names a text that has no title of its own, such as a portal's article.

    >>> headline("# Theo Nghị quyết số 57-NQ/TW, quan điểm chỉ đạo là gì?\\n\\n**Theo** ...")
    'Theo Nghị quyết số 57-NQ/TW, quan điểm chỉ đạo là gì?'
    >>> headline("\\n- \\n|---|\\n") is None
    True
    """
    for line in _lines(text, start, len(text) if end is None else end):
        words = " ".join(_LEADING_MARKS.sub("", _EMPHASIS.sub("", line)).split())
        if words.endswith(":") and len(words.split()) <= 4:  # a label: "Kính gửi:", "Số hiệu:"
            continue
        if sum(ch.isalpha() for ch in words) >= 3:
            return words[:200]
    return None


def _lines(text: str, start: int, end: int) -> Iterator[str]:
    """The lines of ``text[start:end]``, as ``str.splitlines`` gives them,
    read a piece at a time: the first line that says something is near the
    top, and splitting a whole long text took 1 % of an extraction.

    >>> list(_lines("a\\r\\nb\\rc\\u2028d\\n\\ne", 0, 11)) == "a\\r\\nb\\rc\\u2028d\\n\\ne".splitlines()
    True
    """
    size = 1024
    end = min(end, len(text))  # as a slice takes it: no piece past the text's end
    while start < end:
        stop = min(end, start + size)
        lines = text[start:stop].splitlines(keepends=True)
        if stop < end:
            lines.pop()  # it may go on after the piece (or be the "\\r" of a "\\r\\n")
            if not lines:
                size *= 2
                continue
        for line in lines:
            parts = line.splitlines()
            yield parts[0] if parts else ""
            start += len(line)


# -- files -----------------------------------------------------------------


def read_source(path: str | os.PathLike, max_bytes: int | None = None) -> tuple[str, str]:
    """Read one file of any supported format (see :mod:`.readers`), in this
    process and without a time limit (:func:`hash_paths` reads under one);
    ``(text, encoding)``. Raises :class:`InputError`."""
    doc = read_document(path, DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    return doc.text, doc.encoding


def _skipped(name: str) -> bool:
    """Word's lock files (``~$plan.docx``) and LibreOffice's (``.~lock.plan.docx#``)."""
    return name.startswith(("~$", ".~lock."))


def is_readme(name: str) -> bool:
    """A folder's README (README.md, readme.txt): notes about the plans, not a
    plan. Skipped when a folder is read, read when named."""
    return Path(name).stem.casefold() == "readme"


def iter_sources(paths: Iterable[str | os.PathLike], skipped: list[str] | None = None) -> Iterator[str]:
    """The files named, and the files with a :data:`SUFFIXES` suffix under
    the folders named (recursively), each folder's files in sorted order. A
    path that does not exist, or a sub-folder that cannot be listed, is
    yielded as is, so that reading it reports the error. READMEs found in
    folders are left out and, when ``skipped`` is a list, appended to it."""
    for p in paths:
        p = Path(p)
        if os.path.isdir(p):  # False, not an exception, for a path that cannot be looked at
            found: list[Path] = []

            def unlisted(err: OSError) -> None:
                if err.filename:
                    found.append(Path(err.filename))  # noqa: B023 (called within this iteration only)

            for folder, _dirs, names in os.walk(p, onerror=unlisted):
                for n in names:
                    f = Path(folder, n)
                    if f.suffix.lower() in SUFFIXES and not _skipped(n) and os.path.isfile(f):
                        if is_readme(n):
                            if skipped is not None:
                                skipped.append(str(f))
                            continue
                        found.append(f)
            for f in sorted(set(found)):
                yield str(f)
        else:
            yield str(p)


#: a few lines that make every component build its patterns
_WARM_UP = (
    "KẾ HOẠCH\nCăn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\nI. MỤC ĐÍCH\n"
    "1. Nhiệm vụ\n- Đơn vị chủ trì: Sở Thông tin và Truyền thông tỉnh Yên Bái.\n"
)


@dataclass(frozen=True)
class Failure:
    """A file that could not be extracted, and why: ``reason`` is one line
    for people; ``error`` names the exception class (``CorruptFile``,
    ``ReadTimeout`` ...) and ``traceback`` is its traceback, kept by the
    process that read the file (None when the reader was stopped from
    outside: there is none); ``setting`` is the exception's
    (:attr:`~.errors.CancuError.setting`: the words of ``reason`` for what
    gets past it, such as ``max_bytes``), or :data:`TRACEBACK`."""

    source: str
    reason: str
    error: str | None = field(default=None, compare=False)
    traceback: str | None = field(default=None, compare=False, repr=False)
    setting: str | None = field(default=None, compare=False)


#: the words of an internal error's reason for where its traceback is
TRACEBACK = "see Failure.traceback"


def _failure(path: str, e: BaseException, reason: str | None = None, setting: str | None = None) -> Failure:
    import traceback

    tb = "".join(traceback.format_exception(e)).rstrip()
    if reason is None:
        reason, setting = e.reason, getattr(e, "setting", None)
    return Failure(path, reason, type(e).__name__, tb, setting)


def _internal(path: str, e: BaseException, step: str) -> Failure:
    """A bug met while reading or extracting ``path``, as its :class:`Failure`:
    the reason says where to find the traceback (:data:`TRACEBACK`).

    >>> f = _internal("plan.txt", ValueError("boom"), "extracting")
    >>> f.reason
    'internal error while extracting (ValueError: boom); see Failure.traceback'
    >>> f.setting == TRACEBACK, f.error, f.traceback.splitlines()[-1]
    (True, 'ValueError', 'ValueError: boom')
    """
    what = " ".join(str(e).split())  # one line, whatever the exception says
    return _failure(path, e, f"internal error while {step} ({type(e).__name__}: {what}); {TRACEBACK}", TRACEBACK)


def extract_file(path: str, max_bytes: int | None = None, *, keep_cleaned: bool = False) -> DocumentRecord | Failure:
    """Extract one file, in this process and without a time limit (see
    :func:`extract_paths` for that); a file that cannot be read gives a
    :class:`Failure`, and so does a name that is not valid UTF-8.

    The record names the file's ``format``, ``encoding`` and legacy
    ``conversion``, and keeps the extracted ``text`` its offsets refer to.
    ``max_bytes`` is the size limit (default
    :data:`~.readers.DEFAULT_MAX_BYTES`); ``keep_cleaned``: see :func:`extract_text`."""
    problem = name_problem(path)
    if problem:
        return _failure(path, BadFileName(path, problem))
    try:
        doc = read_document(path, DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    except InputError as e:
        return _failure(path, e)
    except MemoryError:
        raise
    except Exception as e:  # a reader bug, not bad input: report it and go on
        return _internal(path, e, "reading")
    try:
        rec = extract_text(doc.text, path, keep_cleaned=keep_cleaned)
    except MemoryError:
        raise
    except Exception as e:  # a bug, not bad input: report it and go on
        return _internal(path, e, "extracting")
    rec.encoding, rec.format, rec.conversion, rec.text = doc.encoding, doc.format, doc.conversion, doc.text
    return rec


def text_hash(path: str, max_bytes: int | None = None) -> str | Failure:
    """The content hash of a file's text (what :func:`extract_text` records
    as ``sha256``), without extracting; a :class:`Failure` when the file
    cannot be read."""
    problem = name_problem(path)
    if problem:
        return _failure(path, BadFileName(path, problem))
    try:
        text, _ = read_source(path, max_bytes)
    except InputError as e:
        return _failure(path, e)
    except MemoryError:
        raise
    except Exception as e:
        return _internal(path, e, "reading")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def memory_limit(max_bytes: int | None = None) -> int:
    """The memory a reader process may take beyond what it holds when it
    starts: 100 times the size limit, at least :data:`MIN_MEMORY` (2 GiB).
    Extracting a 20 MB text (the default size limit) takes about 1.2 GB.

    >>> memory_limit() == 2 * 1024 ** 3, memory_limit(100 * 1024 ** 2) == 10_000 * 1024 ** 2
    (True, True)
    """
    return max(MIN_MEMORY, 100 * (DEFAULT_MAX_BYTES if max_bytes is None else max_bytes))


def extract_paths(
    paths: Iterable[str],
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    max_bytes: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = None,
) -> Iterator[DocumentRecord | Failure]:
    """Extract every file under ``paths``, in sorted order, with ``jobs``
    worker processes. Yields a record or a :class:`Failure` per file, in
    that order whatever the workers' pace; ``progress(file, done, total)``
    (tiến độ) is called once each file's result is taken (when the loop
    over them comes back for the next): ``done`` of ``total`` files are.

    Every file is read and extracted under a budget: a worker that takes
    longer than ``timeout`` seconds on one file (None: no limit) is killed,
    the file reported as a :class:`~.errors.ReadTimeout` failure, and a new
    worker takes the next file; a worker may use ``max_memory`` bytes beyond
    its start (default :func:`memory_limit`; 0: no limit; enforced with
    ``RLIMIT_AS`` on Linux only). ``max_bytes`` is the
    size limit of a file (default 20 MiB)."""
    yield from extract_files(
        list(iter_sources(paths)), jobs, progress, max_bytes=max_bytes, timeout=timeout, max_memory=max_memory
    )


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system
    tells it, else every core the machine has): what ``cancu extract`` and
    ``cancu build`` read with when ``--jobs`` is not given."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # Windows, macOS
        return max(1, os.cpu_count() or 1)


def default_jobs(files: int) -> int:
    """The worker processes for reading ``files`` files when none are asked
    for: one per usable core, never more than the files (one file is read
    by one worker, so that a single file starts no idle process).

    >>> default_jobs(1), default_jobs(0)
    (1, 1)
    """
    return max(1, min(usable_cores(), files))


def extract_files(
    files: Iterable[str],
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    max_bytes: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = None,
) -> Iterator[DocumentRecord | Failure]:
    """:func:`extract_paths` of files already found (by
    :func:`iter_sources`): each of ``files`` is read as it is, in its
    order, and no folder is searched again."""
    yield from read_files(
        extract_file, files, jobs, progress, max_bytes=max_bytes, timeout=timeout, max_memory=max_memory
    )


@dataclass(frozen=True)
class RenderedRecord:
    """The record of one file as ``cancu extract`` prints it (bản ghi đã
    viết ra): ``data``, the record's JSON (``json`` gives it as text), made
    by the worker that extracted the file, so that the process that prints
    only writes it (making it took that process a quarter of a core beside
    two workers);
    ``text``, the text the record's offsets refer to, kept only when asked
    for (``--dump-text``): otherwise it does not cross to that process."""

    source: str
    #: the JSON text as UTF-8 bytes, or as the text itself when it holds a
    #: lone surrogate UTF-8 cannot encode: bytes cross from the worker to the
    #: printing process as they are, where decoding the text (to unpickle it)
    #: and encoding it again (to print it) took 1.9 ms per round of the five
    #: plans, a core's fortieth beside the workers
    data: bytes | str
    text: str | None = None

    @property
    def json(self) -> str:
        """The record's JSON text."""
        return self.data if isinstance(self.data, str) else self.data.decode("utf-8")


def extract_rendered(
    path: str, max_bytes: int | None = None, *, indent: int | None = None, keep_text: bool = False
) -> RenderedRecord | Failure:
    """:func:`extract_file`, with the record written as JSON
    (``DocumentRecord.to_dict``, non-ASCII kept, ``indent`` as
    ``json.dumps`` takes it).

    >>> r = extract_rendered("data/plans/yen-bai-2024-ttdn.txt")
    >>> r.source, r.json.startswith('{"source": "data/plans/yen-bai-2024-ttdn.txt"'), r.text
    ('data/plans/yen-bai-2024-ttdn.txt', True, None)
    >>> r.data[:11], r.data.decode("utf-8") == r.json
    (b'{"source": ', True)
    """
    rec = extract_file(path, max_bytes)
    if isinstance(rec, Failure):
        return rec
    # (a record is a tree: checking it for cycles took a sixth of the writing)
    written = json.dumps(rec.to_dict(), ensure_ascii=False, indent=indent, check_circular=False)
    try:
        data: bytes | str = written.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: printed (or refused) as the text is
        data = written
    return RenderedRecord(rec.source, data, rec.text if keep_text else None)


def extract_files_rendered(
    files: Iterable[str],
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    indent: int | None = None,
    keep_text: bool = False,
    max_bytes: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = None,
) -> Iterator[RenderedRecord | Failure]:
    """:func:`extract_files`, each record written as JSON in its worker
    (:func:`extract_rendered`): what ``cancu extract --format json|jsonl``
    prints, the same text as ``json.dumps(record.to_dict(), ...)`` in this
    process."""
    task = functools.partial(extract_rendered, indent=indent, keep_text=keep_text)
    yield from read_files(task, files, jobs, progress, max_bytes=max_bytes, timeout=timeout, max_memory=max_memory)


def read_files(
    task: Callable[..., object],
    files: Iterable[str],
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    max_bytes: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = None,
) -> Iterator:
    """``task(file, max_bytes=max_bytes)`` for each of ``files``, in their
    order, in worker processes under the reading budgets of
    :func:`extract_paths` (the memory limit by default from ``max_bytes``,
    :func:`memory_limit`): what :func:`extract_files` runs with
    :func:`extract_file`, a build with the task that also makes what the
    store writes of a record, the search index with the reading of a text."""
    yield from run_budgeted(
        functools.partial(task, max_bytes=max_bytes),
        [os.fspath(f) for f in files],
        jobs=jobs,
        progress=progress,
        timeout=timeout,
        max_memory=memory_limit(max_bytes) if max_memory is None else max_memory,
    )


def extract_one(
    path: str, *, max_bytes: int | None = None, timeout: float | None = DEFAULT_TIMEOUT, max_memory: int | None = None
) -> DocumentRecord | Failure:
    """One file (a folder is not searched: it is a failure), read and
    extracted in a worker process under the budgets of :func:`extract_paths`."""
    task = functools.partial(extract_file, max_bytes=max_bytes)
    results = run_budgeted(
        task,
        [os.fspath(path)],
        timeout=timeout,
        max_memory=memory_limit(max_bytes) if max_memory is None else max_memory,
    )
    try:
        return next(results)
    finally:
        results.close()


#: files hashed by one worker per job (:func:`hash_paths`): a file's hash takes
#: less than a millisecond, about what handing a file to a worker costs
HASH_CHUNK = 16


def _hash_chunk(paths: tuple[str, ...], max_bytes: int | None = None) -> list[str | Failure]:
    return [text_hash(p, max_bytes) for p in paths]


def hash_paths(
    files: Iterable[str],
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    max_bytes: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = None,
) -> Iterator[tuple[str, str | Failure]]:
    """``(file, text hash or Failure)`` for each of ``files``, in their
    order, read under the same budgets as :func:`extract_paths` (a file
    whose reading loops is stopped, not waited for).

    Workers take :data:`HASH_CHUNK` files at a time, under ``timeout`` for
    the whole chunk (hashing a file takes milliseconds); when a chunk's
    reader is stopped (past its time, out of memory, crashed), its files are
    hashed again one by one, each under ``timeout``, so that the failure
    names the file it belongs to and a looping file costs twice its limit,
    not a chunk's worth."""
    files = list(files)
    memory = memory_limit(max_bytes) if max_memory is None else max_memory
    chunks = [tuple(files[i : i + HASH_CHUNK]) for i in range(0, len(files), HASH_CHUNK)]
    results = run_budgeted(
        functools.partial(_hash_chunk, max_bytes=max_bytes),
        chunks,
        jobs=jobs,
        timeout=timeout,
        max_memory=memory,
    )
    done = 0
    for chunk, res in zip(chunks, results):
        if isinstance(res, Failure):  # one of its files stopped the reader: find which, alone
            one = functools.partial(text_hash, max_bytes=max_bytes)
            res = list(run_budgeted(one, list(chunk), timeout=timeout, max_memory=memory))
        for f, r in zip(chunk, res):
            yield f, r
            done += 1
            if progress:
                progress(f, done, len(files))


# -- worker processes under a time and memory budget -------------------------------


#: files a worker holds at once (:func:`run_budgeted`): the one it reads and the
#: next, so that it goes on while the parent takes its last result
DEPTH = 2


def run_budgeted(
    task: Callable[[str], object],
    files: list[str],
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int = 0,
    start_method: str | None = None,
) -> Iterator[object]:
    """``task(file)`` for each file, in worker processes that are killed
    past ``timeout`` seconds on one file and limited to ``max_memory``
    bytes (0: no limit); yields the results in the order of ``files``. A
    file whose worker was killed, ran out of memory or crashed yields a
    :class:`Failure` (:class:`~.errors.ReadTimeout`,
    :class:`~.errors.OutOfMemory`, :class:`~.errors.ReaderCrashed`) and
    the next file gets a new worker. ``progress(file, done, total)`` is
    called once each result is taken (see :func:`extract_paths`).

    The workers persist from file to file (on POSIX they are forked from
    this process, after the pipeline is loaded here, so a new one costs a
    few milliseconds). Each holds :data:`DEPTH` files: it starts on the
    next as soon as it sends a result, while this process takes that
    result (writes it, adds it to the graph), so no worker waits for it.
    A file's time runs from when its worker is seen to start on it; files
    a stopped worker held but had not started are handed to another.
    ``task`` must be picklable where processes are spawned (Windows;
    ``start_method="spawn"`` does it here too)."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    n = len(files)
    if n == 0:
        return
    if start_method is None:
        start_method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(start_method)
    if ctx.get_start_method() == "fork":
        extract_text(_WARM_UP)  # compile every lazily built pattern once, here: forked workers share them
    slots: list[_Worker | None] = [None] * min(max(1, jobs), n)
    window = 4 * len(slots) + 4  # files handed out ahead of the next one to yield
    results: dict[int, object] = {}
    again: list[tuple[int, str]] = []  # files a stopped worker held but had not started, by their order
    given = out = 0
    false_starts = 0
    try:

        def next_job() -> tuple[int, str] | None:
            nonlocal given
            if again:
                return again.pop(0)
            if given < min(n, out + window):
                given += 1
                return given - 1, files[given - 1]
            return None

        def hand_out() -> None:
            for depth in range(1, DEPTH + 1):  # a file to every idle worker before a second to any
                for k, w in enumerate(slots):
                    if w is None and (again or given < n):
                        w = slots[k] = _Worker(ctx, task, max_memory)
                    if w is not None and w.ready and len(w.jobs) < depth:
                        job = next_job()
                        if job is None:
                            return
                        w.give(*job, timeout)

        def stopped(k: int, w: _Worker) -> None:
            """Worker ``k`` is stopped: the files it held but had not started go to another."""
            w.stop(kill=True)
            slots[k] = None
            again.extend(w.jobs[1:])
            again.sort()

        while out < n:
            hand_out()
            live = [w for w in slots if w is not None and (w.jobs or not w.ready)]
            deadlines = [w.deadline for w in live if w.deadline is not None]
            pause = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([w.conn for w in live] + [w.proc.sentinel for w in live], pause))
            now = time.monotonic()
            for k, w in enumerate(slots):
                if w is None or w not in live:
                    continue
                message = _NOTHING
                if w.conn in ready or (w.proc.sentinel in ready and w.conn.poll()):
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        message = _NOTHING
                elif w.proc.sentinel not in ready and not (w.deadline is not None and now >= w.deadline):
                    continue  # still working, within its time
                if isinstance(message, str) and message == _READY:
                    w.ready, false_starts = True, 0
                    continue
                if not w.jobs:  # died before it was ready
                    false_starts += 1
                    w.stop()
                    slots[k] = None
                    if false_starts > 2:
                        raise WorkerError(
                            f"cannot start a process to read files in (exit status "
                            f"{w.proc.exitcode}); run with jobs=1, or report this",
                            setting="jobs=1",
                        )
                    continue
                seq, path = w.jobs[0]
                if message is not _NOTHING:
                    got, result = message
                    if isinstance(result, str) and result == _OUT_OF_MEMORY:
                        result = _budget_failure(OutOfMemory(path, _memory_reason(max_memory), limit=max_memory))
                        stopped(k, w)
                    else:
                        w.done(timeout)
                elif w.proc.sentinel in ready:
                    w.proc.join(1)
                    result = _budget_failure(
                        ReaderCrashed(
                            path,
                            f"the reader stopped unexpectedly ({_exit_of(w.proc.exitcode)}); the file may be damaged",
                        )
                    )
                    stopped(k, w)
                else:  # past its deadline
                    stopped(k, w)
                    result = _budget_failure(
                        ReadTimeout(
                            path,
                            f"reading took longer than the time limit of {timeout:g} s (see timeout); "
                            "the file may be damaged",
                            setting="timeout",
                            limit=timeout,
                        )
                    )
                results[seq] = result
            # the idle workers start on their next file before the results
            # are handed on, so that reading goes on while they are written
            hand_out()
            while out in results:
                yield results.pop(out)
                out += 1
                if progress:
                    progress(files[out - 1], out, n)
    finally:
        for w in slots:
            if w is not None:
                w.stop(kill=bool(w.jobs))


_READY = "cancu-reader-ready"
_OUT_OF_MEMORY = "cancu-reader-out-of-memory"
_NOTHING = object()


def _budget_failure(e: InputError) -> Failure:
    return Failure(e.path, e.reason, type(e).__name__, None, e.setting)


def _memory_reason(max_memory: int) -> str:
    return f"reading needed more memory than the limit of {max_memory / 1024**2:,.0f} MiB; the file may be damaged"


def _exit_of(code: int | None) -> str:
    """A worker's exit as words: ``killed by SIGSEGV``, ``exit status 1``."""
    import signal

    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


class _Worker:
    """One worker process and the parent's end of its pipe; ``jobs`` are the
    ``(seq, file)`` it holds, the first the one it works on, ``deadline``
    when that one must be done. The
    worker's temporary files (LibreOffice's) go to a folder of its own,
    removed when it is stopped, killed or not."""

    def __init__(self, ctx, task, max_memory: int):
        import tempfile

        parent_end, child_end = ctx.Pipe()
        self.tmp = tempfile.mkdtemp(prefix="cancu-reader-")
        self.proc = ctx.Process(
            target=_worker_main, args=(child_end, task, max_memory, self.tmp), name="cancu-reader", daemon=True
        )
        self.proc.start()
        child_end.close()
        self.conn = parent_end
        self.ready = False
        self.jobs: list[tuple[int, str]] = []
        self.deadline: float | None = None

    def give(self, seq: int, path: str, timeout: float | None) -> None:
        self.conn.send((seq, path))
        self.jobs.append((seq, path))
        if len(self.jobs) == 1:
            self.deadline = None if timeout is None else time.monotonic() + timeout

    def done(self, timeout: float | None) -> None:
        """The first file's result is in: the worker is on the next one now."""
        self.jobs.pop(0)
        self.deadline = None if timeout is None or not self.jobs else time.monotonic() + timeout

    def stop(self, kill: bool = False) -> None:
        if not kill and self.proc.exitcode is None:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
            else:
                self.proc.join(5)
        if self.proc.exitcode is None:
            _kill(self.proc)
        self.conn.close()
        self.proc.join(5)
        import shutil

        shutil.rmtree(self.tmp, ignore_errors=True)


def _kill(proc) -> None:
    """Kill a worker and what it started (LibreOffice): its process group on
    POSIX, where a worker leads its own."""
    import signal

    try:
        if hasattr(os, "killpg") and os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signal.SIGKILL)
            return
    except OSError:
        pass
    try:
        proc.kill()
    except OSError:
        pass


def _worker_main(conn, task, max_memory: int, tmp: str | None = None) -> None:
    """A worker: take a file from ``conn``, run ``task`` on it, send back
    ``(seq, result)``; None from the parent ends it. Temporary files go
    under ``tmp``."""
    import signal
    import tempfile
    import warnings

    try:
        if tmp:
            tempfile.tempdir = tmp
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        if hasattr(os, "setpgid"):
            try:
                os.setpgid(0, 0)  # a group of its own, so a kill takes LibreOffice with it
            except OSError:
                pass
        _stop_with_parent(tmp)
        warnings.simplefilter("ignore")
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # nothing may reach the parent's output
        extract_text(_WARM_UP)  # every lazily built pattern, before the first file (spawned workers build them here)
        _limit_memory(max_memory)
        conn.send(_READY)
        while True:
            item = conn.recv()
            if item is None:
                patterncache.save()  # what this reader compiled that the cache had not (it ends without atexit)
                return
            seq, path = item
            try:
                result = task(path)
            except MemoryError:
                result = _OUT_OF_MEMORY
            except Exception as e:  # a bug: reported as the file's failure
                result = _internal(path, e, "reading")
            try:
                conn.send((seq, result))
            except MemoryError:
                result = _OUT_OF_MEMORY
                conn.send((seq, result))
            if result is _OUT_OF_MEMORY:
                return  # a fresh worker takes the next file
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the parent went away


def _stop_with_parent(tmp: str | None = None) -> None:
    """End this worker (and its process group) when the parent process dies,
    even in the middle of a file: a thread waits on the parent's sentinel.
    The worker's folder of temporary files, ``tmp``, which the parent would
    have removed, is removed first."""
    import multiprocessing as mp
    import threading
    from multiprocessing.connection import wait

    parent = mp.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        if tmp:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        if hasattr(os, "killpg") and os.getpgrp() == os.getpid():
            import signal

            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, name="cancu-parent-watch", daemon=True).start()


def _limit_memory(max_memory: int) -> None:
    """Limit this process's address space to what it holds now plus
    ``max_memory`` bytes (POSIX ``RLIMIT_AS``; Linux measures what it
    holds). Elsewhere, and when it cannot be measured, nothing is limited:
    the time limit still holds."""
    if not max_memory:
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as f:
            used = int(f.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = used + max_memory
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or limit < soft:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, IndexError, AttributeError):
        return
