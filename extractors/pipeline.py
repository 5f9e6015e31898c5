"""The extraction pipeline: a spaCy ``Language`` whose components find a
plan's citations, their relations and links, named documents, the plan's own
description and the agencies of its tasks.

Each component is a thin ``@Language.factory`` wrapper around a plain function
of this package (tested on its own). The tokenizer is a whitespace tokenizer
written for speed (spaCy's Vietnamese tokenizer without pyvi splits on
whitespace too, but in pure Python at a quarter of a million characters a
second); tokens never matter to the matching, which works on the text, and
every span stays exact because spans are character offsets.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

from .agencies import find_agencies
from .clean import CleanText, clean, decode
from .errors import InputError
from .find import RawCitation, find_citations, find_designators
from .models import AgencyMention, Citation, DocumentRecord, Link, NamedDocument, Section
from .named import find_named
from .outline import SectionIndex, outline, preamble_end
from .readers import DEFAULT_MAX_BYTES, read_document
from .resolve import classify, inherit
from .selfinfo import describe

#: file name suffixes read from folders
SUFFIXES = (".txt", ".md", ".docx", ".doc", ".pdf", ".html", ".htm", ".rtf")
#: files larger than this are refused (characters are cheap, but a 100 MB
#: "plan" is a mistake worth reporting); ``cancu extract --max-size`` sets it
MAX_BYTES = DEFAULT_MAX_BYTES

for _name, _default in (("clean", None), ("sections", []), ("preamble_end", 0), ("raw_citations", []),
                        ("designators", []), ("relations", []), ("raw_links", []), ("inherited", []),
                        ("named", []), ("self_info", None), ("agencies", [])):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

class WhitespaceTokenizer:
    r"""Split on whitespace only, keeping the text exact (``doc.text == text``).

    spaCy's own ``Tokenizer`` with no prefix, suffix, infix or exception
    rules does exactly this, in compiled code: about three times faster than
    building the word list in Python, and fifteen times faster than the
    Vietnamese tokenizer's pure-Python whitespace split.

    >>> import spacy
    >>> doc = WhitespaceTokenizer(spacy.blank("en").vocab)("Kết luận số 57-\n\nKL/TW")
    >>> [t.text for t in doc], doc.text == "Kết luận số 57-\n\nKL/TW"
    (['Kết', 'luận', 'số', '57-', '\n\n', 'KL/TW'], True)
    """

    def __init__(self, vocab):
        self.vocab = vocab
        self._split = Tokenizer(vocab)

    def __call__(self, text: str) -> Doc:
        doc = self._split(text)
        doc.user_data["cancu_text"] = text  # Doc.text rebuilds the string on every call
        return doc


def text_of(doc: Doc) -> str:
    """The Doc's text, built once (``doc.text`` joins every token each time)."""
    text = doc.user_data.get("cancu_text")
    if text is None:
        text = doc.user_data["cancu_text"] = doc.text
    return text


@registry.tokenizers("cancu.whitespace.v1")
def create_whitespace_tokenizer():
    def make(nlp):
        return WhitespaceTokenizer(nlp.vocab)
    return make


@Language.factory("cancu_outline", assigns=["doc._.sections", "doc._.preamble_end"])
def make_outline(nlp, name):
    def component(doc: Doc) -> Doc:
        doc._.sections = outline(text_of(doc))
        doc._.preamble_end = preamble_end(text_of(doc))
        return doc
    return component


@Language.factory("cancu_citations", assigns=["doc._.designators", "doc._.raw_citations", "doc.spans"])
def make_citations(nlp, name):
    def component(doc: Doc) -> Doc:
        doc._.designators = find_designators(text_of(doc))
        doc._.raw_citations = find_citations(text_of(doc), doc._.designators)
        spans = [doc.char_span(c.start, c.end, label="CITATION", alignment_mode="expand")
                 for c in doc._.raw_citations]
        doc.spans["citations"] = [s for s in spans if s is not None]
        return doc
    return component


@Language.factory("cancu_relations", requires=["doc._.raw_citations"],
                  assigns=["doc._.relations", "doc._.raw_links", "doc._.inherited"])
def make_relations(nlp, name):
    def component(doc: Doc) -> Doc:
        rels, links = classify(text_of(doc), doc._.raw_citations, doc._.preamble_end)
        doc._.relations, doc._.raw_links = rels, links
        doc._.inherited = inherit(doc._.raw_citations)
        return doc
    return component


@Language.factory("cancu_named", requires=["doc._.raw_citations"], assigns=["doc._.named"])
def make_named(nlp, name):
    def component(doc: Doc) -> Doc:
        cits = doc._.raw_citations
        doc._.named = find_named(text_of(doc), [(c.start, c.end) for c in cits],
                                 tuple(c.subject_start for c in cits if c.subject_start is not None))
        return doc
    return component


@Language.factory("cancu_self", requires=["doc._.designators", "doc._.raw_citations"],
                  assigns=["doc._.self_info", "doc._.raw_citations"])
def make_self(nlp, name):
    def component(doc: Doc) -> Doc:
        info = describe(text_of(doc), [d for d in doc._.designators if d.own_number])
        doc._.self_info = info
        doc._.raw_citations = drop_own_references(doc._.raw_citations, info)
        return doc
    return component


def drop_own_references(cits: list[RawCitation], info: dict) -> list[RawCitation]:
    """A document's references to itself ("Kèm theo Quyết định số
    5042/QĐ-BNNMT" heading its own appendix) are not citations."""
    own = {info.get("key")} | {c.get("key") for c in info.get("contains", [])}
    own.discard(None)
    return [c for c in cits if c.designator.key not in own] if own else cits


@Language.factory("cancu_agencies", requires=["doc._.sections"], assigns=["doc._.agencies"])
def make_agencies(nlp, name):
    def component(doc: Doc) -> Doc:
        doc._.agencies = find_agencies(text_of(doc), doc._.sections, doc._.preamble_end)
        return doc
    return component


COMPONENTS = ("cancu_outline", "cancu_citations", "cancu_self", "cancu_relations", "cancu_named", "cancu_agencies")


@lru_cache(maxsize=None)
def load_pipeline() -> Language:
    """The pipeline: ``spacy.blank("vi")`` with the whitespace tokenizer and
    cancu's components; no model is downloaded."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "cancu.whitespace.v1"}}})
    nlp.max_length = 10 ** 9  # no parser or NER: long texts cost only linear time
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


# -- from a spaCy Doc to the record ------------------------------------------

_SENT_END = re.compile(r"[.!?…][\"”’)\]*]*[ \t]+(?=[A-ZĐÀ-Ỹ\"“(*])")


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
    m = re.compile(r"[.!?…](?=[\"”’)\]*]*(?:\s|$))").search(text, end, line_end)
    e = m.end() if m else line_end
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _to_citation(ct: CleanText, rc: RawCitation, cls, inherited, section: str | None) -> Citation:
    src = ct.source
    a, b = ct.span(rc.start, rc.end)
    cs, ce = sentence_span(ct.text, rc.start, rc.end)
    ca, cb = ct.span(cs, ce)
    d = rc.designator
    year = d.year
    if year is None and rc.date:
        year = int(rc.date[:4])
    mention = "short" if set(inherited) >= {"date", "issuer"} or (
        rc.date_span is None and rc.issuer_span is None) else "full"
    date_a = date_b = iss_a = iss_b = None
    if rc.date_span and "date" not in inherited:
        date_a, date_b = ct.span(*rc.date_span)
    if rc.issuer_span and "issuer" not in inherited:
        iss_a, iss_b = ct.span(*rc.issuer_span)
    return Citation(
        key=d.key, kind=d.kind, number=d.number, symbol=d.symbol, doc_type=rc.doc_type, year=year,
        date=rc.date, issuer=rc.issuer, subject=rc.subject, relation=cls.relation,
        relations=tuple(cls.relations), text=src[a:b], start=a, end=b,
        context=src[ca:cb], context_start=ca, context_end=cb, section=section,
        mention=mention, inherited=tuple(inherited), doc_type_inferred=rc.doc_type_inferred,
        date_text=src[date_a:date_b] if date_a is not None else None, date_start=date_a, date_end=date_b,
        issuer_start=iss_a, issuer_end=iss_b,
    )


def record_from_doc(doc: Doc, ct: CleanText, source: str) -> DocumentRecord:
    """Turn a processed Doc into a :class:`DocumentRecord` whose offsets are
    into the source text."""
    text = text_of(doc)
    index = SectionIndex(doc._.sections)
    pre_end = doc._.preamble_end

    def section_of(pos: int) -> str | None:
        if pos < pre_end:
            return "preamble"
        s = index.at(pos)
        return s.id if s else None

    raw = doc._.raw_citations
    cits = [_to_citation(ct, rc, cls, inh, section_of(rc.start))
            for rc, cls, inh in zip(raw, doc._.relations, doc._.inherited)]
    links = []
    for rl in doc._.raw_links:
        outer, inner = cits[rl.source], cits[rl.target]
        cs, ce = sentence_span(text, raw[rl.source].start, raw[rl.target].end)
        ca, cb = ct.span(cs, ce)
        links.append(Link(outer.key, inner.key, rl.relation, outer.year, inner.year,
                          outer.start, inner.end, ct.source[ca:cb]))
    named = []
    for n in doc._.named:
        a, b = ct.span(n.start, n.end)
        named.append(NamedDocument(n.name, n.doc_type, a, b, n.context, ct.source[a:b]))
    agencies = []
    for ag in doc._.agencies:
        a, b = ct.span(ag.start, ag.end)
        agencies.append(AgencyMention(ag.name, ag.role, ag.task, a, b, ct.source[a:b], ag.task_title))
    sections = []
    for s in doc._.sections:
        a, b = ct.span(s.start, s.end)
        sections.append(Section(s.id, s.title, s.level, a, b))
    info = dict(doc._.self_info or {})
    for item in info.get("contains", []):
        item["start"], item["end"] = ct.span(item["start"], item["end"])
    return DocumentRecord(source=source, self=info, citations=cits, named=named,
                          links=_dedupe_links(links), agencies=agencies, sections=sections,
                          chars=len(ct.source))


def _dedupe_links(links: list[Link]) -> list[Link]:
    seen, out = set(), []
    for l in links:
        k = (l.source, l.target, l.relation, l.start)
        if k not in seen:
            seen.add(k)
            out.append(l)
    return out


def extract_text(text: str, source: str = "<text>") -> DocumentRecord:
    """Extract everything from one text.

    >>> r = extract_text("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\nI. MỤC ĐÍCH\\n")
    >>> c = r.citations[0]
    >>> (c.key, c.doc_type, c.date, c.issuer, c.relation, c.text)
    ('72/2015/NĐ-CP', 'Nghị định', '2015-09-07', 'Chính phủ', 'based_on', 'Nghị định số 72/2015/NĐ-CP')
    """
    ct = clean(text)
    doc = load_pipeline()(ct.text)
    rec = record_from_doc(doc, ct, source)
    rec.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return rec


# -- files -----------------------------------------------------------------

def read_source(path: str | os.PathLike, max_bytes: int | None = None) -> tuple[str, str]:
    """Read one file of any supported format (see :mod:`.readers`);
    ``(text, encoding)``. Raises :class:`InputError`."""
    doc = read_document(path, MAX_BYTES if max_bytes is None else max_bytes)
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
        if p.is_dir():
            found: list[Path] = []

            def unlisted(err: OSError) -> None:
                if err.filename:
                    found.append(Path(err.filename))

            for folder, _dirs, names in os.walk(p, onerror=unlisted):
                for n in names:
                    f = Path(folder, n)
                    if f.suffix.lower() in SUFFIXES and not _skipped(n) and f.is_file():
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
_WARM_UP = ("KẾ HOẠCH\nCăn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\nI. MỤC ĐÍCH\n"
            "1. Nhiệm vụ\n- Đơn vị chủ trì: Sở Thông tin và Truyền thông tỉnh Yên Bái.\n")


@dataclass(frozen=True)
class Failure:
    """A file that could not be extracted, and why."""

    source: str
    reason: str


def extract_file(path: str, max_bytes: int | None = None) -> DocumentRecord | Failure:
    """Extract one file; a file that cannot be read gives a :class:`Failure`.

    The record names the file's ``format``, ``encoding`` and legacy
    ``conversion``, and keeps the extracted ``text`` its offsets refer to.
    ``max_bytes`` defaults to :data:`MAX_BYTES` (read at call time, so that
    ``cancu extract --max-size`` reaches worker processes too)."""
    try:
        doc = read_document(path, MAX_BYTES if max_bytes is None else max_bytes)
    except InputError as e:
        return Failure(path, e.reason)
    try:
        rec = extract_text(doc.text, path)
    except Exception as e:  # a bug, not bad input: report it and go on
        return Failure(path, f"internal error while extracting ({type(e).__name__}: {e}); "
                             "run with --debug for the traceback")
    rec.encoding, rec.format, rec.conversion, rec.text = doc.encoding, doc.format, doc.conversion, doc.text
    return rec


def extract_paths(paths: Iterable[str], jobs: int = 1,
                  progress: Callable[[int], None] | None = None) -> Iterator[DocumentRecord | Failure]:
    """Extract every file under ``paths``, in sorted order, with ``jobs``
    processes. Yields a record or a :class:`Failure` per file."""
    files = list(iter_sources(paths))
    if jobs <= 1 or len(files) < 2:
        for f in files:
            yield extract_file(f)
            if progress:
                progress(1)
        return
    import multiprocessing as mp
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    if ctx.get_start_method() == "fork":
        # compile every lazily built pattern once, here: forked workers share them
        extract_text(_WARM_UP)
    with ctx.Pool(jobs, initializer=load_pipeline) as pool:
        for result in pool.imap(extract_file, files, chunksize=8):
            yield result
            if progress:
                progress(1)
