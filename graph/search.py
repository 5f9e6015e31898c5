"""Full-text search (tìm kiếm toàn văn) over every text in the store: one
SQLite file, ``search.sqlite``, with an FTS5 index of the sentences of each
ingested text, written by the build beside the other store files
(:class:`IndexWriter`) and read by :func:`search`.

The index holds one row per sentence of a text's body (the document, not
the site text around it): its source offsets, its section (mục), the keys
of the documents it cites and its exact text. The words are indexed without
their diacritics (không dấu), so that "chuyen doi so" finds "chuyển đổi
số": the text is put in NFC with ``đ``/``Đ`` written ``d``/``D``
(:func:`searchable`), and FTS5's ``unicode61`` tokenizer takes the other
marks off (``remove_diacritics 2``: every Vietnamese letter, tones and
all). A query goes through the same two steps, so both sides always read
a word the same way. Hits are ranked with FTS5's ``bm25``.

The file is written afresh by every build that writes the store, in the
order of the sources' paths, so the same texts always give the same bytes
(with the same SQLite library). The rows of a source whose record is kept
are copied from the old index (its file is not read again), and only a
source whose text changed is split into sentences again. See
``docs/search.md``.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import sqlite3
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..extractors.clean import CleanText, clean
from ..extractors.models import Section
from ..extractors.outline import PREAMBLE_END, SectionIndex
from ..extractors.pipeline import _SENT_END as SENTENCE_END
from ..extractors.vocabulary import fold, load_data, official_province, plain
from .errors import GraphError, StoreDamaged, StoreError

#: the index's file in the store
SEARCH = "search.sqlite"
#: the layout of its tables and rows (``PRAGMA user_version``): an index of
#: another version is not read, and its rows are not carried into a new one
VERSION = 1
#: ``PRAGMA application_id``: "cncu"
APPLICATION_ID = 0x636E6375
#: the longest row (characters): a longer sentence is cut at a space
ROW_MAX = 4000
#: the rows whose words one statement indexes, while the build goes on (:meth:`IndexWriter._index_words`)
WORDS_BATCH = 200_000
#: the bytes of words FTS5 holds in memory before it writes them (its ``hashsize``)
WORDS_HELD = 16 * 1024 * 1024
#: hits returned when no limit is given
DEFAULT_LIMIT = 20

_SCHEMA = (
    # one row per source, in the order of the paths; its sentences are rows first..last
    "CREATE TABLE docs(id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE, sha256 TEXT, "
    "whole INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, key TEXT, name TEXT, "
    "doc_type TEXT, province TEXT, year INTEGER, status TEXT)",
    "CREATE TABLE sentences(id INTEGER PRIMARY KEY, doc INTEGER NOT NULL, start INTEGER NOT NULL, "
    "stop INTEGER NOT NULL, section TEXT, cites TEXT NOT NULL, text TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE words USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2')",
)
#: what :func:`searchable` replaces: the d-stroke, which FTS5 does not take as
#: a d with a mark, and the invisible characters that join words
_REPLACE = (
    ("đ", "d"),
    ("Đ", "D"),
    ("\u00d0", "D"),
    ("\u00f0", "d"),
    ("\u00ad", " "),
    ("\u200b", " "),
    ("\u2060", " "),
    ("\ufeff", " "),
)
_WORD = re.compile(r"(?:[^\W_][\u0300-\u036f]*)+")
_MARKS = re.compile(r"[\u0300-\u036f]+")
_ALNUM = re.compile(r"[^\W_]")
#: a heading's number before its title ("I.", "1.2.", "a)", "Điều 3."): not a sentence of its own
_LABEL = re.compile(
    r"[\s*_#|]*(?:(?:Điều|Chương|Mục|Phần)[ \t]+)?(?:[IVXLCDM]{1,6}|\d{1,3}(?:\.\d{1,3}){0,3}|[a-zđ])[.)][\s*_]*"
)


class SearchQueryError(GraphError):
    """A search that cannot be run as asked: a query with no word in it, a
    document type that does not exist."""


# -- the words ----------------------------------------------------------------------


def searchable(text: str) -> str:
    """A text as the index reads it: NFC, ``đ``/``Đ`` (and the look-alike
    ``Ð``) written ``d``/``D``, a soft hyphen or a zero-width space a space;
    FTS5 takes off the other marks and the case.

    >>> searchable("Chuyển đổi số ĐỒNG BỘ")
    'Chuyển dổi số DỒNG BỘ'
    """
    text = unicodedata.normalize("NFC", text)
    for char, replacement in _REPLACE:
        if char in text:  # str.translate is slow on non-ASCII text; replace is not
            text = text.replace(char, replacement)
    return text


def _key(word: str) -> str:
    """A word as the index compares it (what ``unicode61 remove_diacritics 2``
    makes of :func:`searchable`'s form, for the Latin letters).

    >>> _key("ĐỔI"), _key("Hoà")
    ('doi', 'hoa')
    """
    return plain(_MARKS.sub("", unicodedata.normalize("NFD", word)))


def query_words(query: str) -> list[str]:
    """The words of a query as the index compares them; FTS5's own syntax
    (quotes, ``*``, ``-``, ``:``, ``AND`` …) is only text here.

    >>> query_words('Chuyển đổi "số" NOT*')
    ['chuyen', 'doi', 'so', 'not']
    """
    return [_key(w) for w in _WORD.findall(unicodedata.normalize("NFC", query))]


def match_expression(phrases: Sequence[str]) -> str:
    """The FTS5 query of ``phrases``: each a phrase (its words in a row),
    all of them in one sentence. Raises :class:`SearchQueryError` for a
    phrase with no word.

    >>> match_expression(["chuyển đổi số", "Yên Bái"])
    '"chuyen doi so" AND "yen bai"'
    """
    parts = []
    for p in phrases:
        ws = query_words(p)
        if not ws:
            raise SearchQueryError(f"there is no word to search for in {p!r}")
        parts.append('"' + " ".join(ws) + '"')
    if not parts:
        raise SearchQueryError("there is no word to search for")
    return " AND ".join(parts)


def find_phrase(text: str, phrases: Sequence[str]) -> tuple[int, int] | None:
    """Where the first of ``phrases`` found in ``text`` stands in it (as the
    index matches: without diacritics or case), or None.

    >>> t = "Đẩy mạnh chuyển đổi số trong công tác"
    >>> a, b = find_phrase(t, ["chuyen doi so"]); t[a:b]
    'chuyển đổi số'
    """
    words = list(_WORD.finditer(text))
    keys = [_key(m.group(0)) for m in words]
    for p in phrases:
        want = query_words(p)
        n = len(want)
        for i in range(len(keys) - n + 1 if n else 0):
            if keys[i : i + n] == want:
                return words[i].start(), words[i + n - 1].end()
    return None


# -- the rows of a text ----------------------------------------------------------------


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]``, as the extractor reads them:
    each line, cut after a sentence end followed by a capital, but not
    after a heading's number ("I.", "1.2."); trailing spaces, lines without
    a letter or digit left out, and a sentence longer than :data:`ROW_MAX`
    cut at a space.

    >>> t = "KẾ HOẠCH\\nI. MỤC ĐÍCH\\nMục đích. Thực hiện Kết luận số 57-KL/TW.\\n|\\n"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['KẾ HOẠCH', 'I. MỤC ĐÍCH', 'Mục đích.', 'Thực hiện Kết luận số 57-KL/TW.']
    """
    end = len(text) if end is None else end
    out = []
    # the sentence ends of the whole span at once: none holds a line break, nor
    # looks past one, so they are the ends each line's own search would find
    ends = [m.end() for m in SENTENCE_END.finditer(text, start, end)]
    k, n = 0, len(ends)
    pos = start
    for line in text[start:end].split("\n"):
        a, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line:  # a blank line
            continue
        if k == n or ends[k] > line_end:  # (most lines) one sentence, or none
            b = a + len(line.rstrip())
            if b > a and b - a <= ROW_MAX:
                if line[0].isalnum() or _ALNUM.search(text, a, b):
                    out.append((a, b))
                continue
        cuts = [a]
        while k < n and ends[k] <= line_end:
            e = ends[k]
            k += 1
            if not (len(cuts) == 1 and _LABEL.fullmatch(text, cuts[0], e)):
                cuts.append(e)
        cuts.append(line_end)
        for a, b in zip(cuts, cuts[1:]):
            while b > a and text[b - 1].isspace():
                b -= 1
            while b - a > ROW_MAX:
                cut = text.rfind(" ", a + 1, a + ROW_MAX)
                cut = cut if cut > a else a + ROW_MAX
                if _has_alnum(text, a, cut):
                    out.append((a, cut))
                a = cut + 1 if text[cut] == " " else cut
            if b > a and _has_alnum(text, a, b):
                out.append((a, b))
    return out


def _has_alnum(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` (not empty) holds a letter or a digit (most open with one)."""
    return text[a].isalnum() or _ALNUM.search(text, a, b) is not None


def _cited_in(cits: list[dict], a: int, b: int, lo: int) -> tuple[list[str], int]:
    """The keys (once each, in order) of the citations starting in ``[a, b)``,
    from the ``lo``-th on (citations sorted by start); the next ``lo``."""
    while lo < len(cits) and cits[lo]["start"] < a:
        lo += 1
    keys: list[str] = []
    i = lo
    while i < len(cits) and cits[i]["start"] < b:
        if cits[i]["key"] not in keys:
            keys.append(cits[i]["key"])
        i += 1
    return keys, lo


def rows_of(
    rec: dict, text: str | None, cleaned: CleanText | None = None
) -> tuple[list[tuple[int, int, str | None, str, str]], bool]:
    """The index rows of one source, ``(start, stop, section, cites, text)``,
    and whether they are its whole text: with ``text`` (the text its record's
    offsets refer to), every sentence of its body; without it (a record
    read from ``--records``), the sentences its record keeps: the evidence
    of each citation. ``cleaned`` is ``clean(text)`` when the caller holds
    it already (the extraction made it).

    >>> from cancu.extractors.pipeline import extract_text
    >>> t = "KẾ HOẠCH\\nCăn cứ Nghị định số 72/2015/NĐ-CP của Chính phủ;\\nI. MỤC ĐÍCH\\nChuyển đổi số.\\n"
    >>> rec = extract_text(t, "kh.txt").to_dict()
    >>> for row in rows_of(rec, t)[0]:
    ...     print(row)
    (0, 8, 'preamble', '[]', 'KẾ HOẠCH')
    (9, 57, 'preamble', '["72/2015/NĐ-CP"]', 'Căn cứ Nghị định số 72/2015/NĐ-CP của Chính phủ;')
    (58, 69, 'I', '[]', 'I. MỤC ĐÍCH')
    (70, 84, 'I', '[]', 'Chuyển đổi số.')
    >>> rows_of(rec, None)
    ([(9, 56, 'preamble', '["72/2015/NĐ-CP"]', 'Căn cứ Nghị định số 72/2015/NĐ-CP của Chính phủ')], False)
    """
    cits = sorted(rec.get("citations") or (), key=lambda c: (c["start"], c["end"]))
    rows = []
    if text is None:
        spans: dict[tuple[int, int], tuple[str | None, str]] = {}
        for c in cits:
            spans.setdefault((c["context_start"], c["context_end"]), (c.get("section"), c["context"]))
        for (a, b), (section, context) in sorted(spans.items()):
            keys, _ = _cited_in(cits, a, b, 0)
            rows.append((a, b, section, _dumps(keys), context))
        return rows, False
    # the sentences of the text the extractor read: cleaned (NFC, one dash, the
    # lines of a hard-wrapped text joined), its body only; offsets into the source
    ct = clean(text) if cleaned is None else cleaned
    body = rec.get("body") or {}
    offsets = range(len(ct.text) + 1)
    start = bisect_left(offsets, body.get("start", 0), key=ct.to_source)
    end = bisect_left(offsets, body.get("end", len(text)), key=ct.to_source)
    m = PREAMBLE_END.search(ct.text, start, end)
    pre_end = m.start() if m else 0
    index = SectionIndex([Section.from_dict(s) for s in rec.get("tasks") or ()])
    lo = 0
    same = ct.keeps_offsets  # (most texts: cleaning moved no offset)
    for a, b in sentence_spans(ct.text, start, end):
        sa, sb = (a, b) if same else ct.span(a, b)
        if a < pre_end:
            section = "preamble"
        else:
            s = index.at(sa)
            section = s.id if s else None
        keys, lo = _cited_in(cits, sa, sb, lo)
        rows.append((sa, sb, section, _dumps(keys), text[sa:sb]))
    return rows, True


def _dumps(keys: list[str]) -> str:
    return json.dumps(keys, ensure_ascii=False, separators=(",", ":")) if keys else "[]"


def describe_record(rec: dict) -> tuple:
    """``(key, name, doc_type, province, year, status)`` of a record's text."""
    from .model import document_name

    me = rec.get("self") or {}
    d = {
        "doc_types": [me["doc_type"]] if me.get("doc_type") else [],
        "key": me.get("key"),
        "ingested": True,
        "province": me.get("province"),
        "year": me.get("year"),
        "status": me.get("status"),
        "title": me.get("title"),
        "headline": None if me.get("title") else rec.get("headline"),
    }
    return me.get("key"), document_name(d), me.get("doc_type"), me.get("province"), me.get("year"), me.get("status")


# -- checking and opening the file -----------------------------------------------------


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read a block at a time.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "x"
    >>> _ = f.write_bytes(b"abc")
    >>> file_sha256(f)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(store: Path, entry, shown: str) -> Path:
    """The index file of a store, checked against its manifest ``entry``
    (``{file, checksum, …}``); :class:`StoreDamaged` naming it when it is
    missing or does not match, :class:`StoreError` when it cannot be read.

    >>> import tempfile
    >>> try:
    ...     verify(Path(tempfile.mkdtemp()), {"file": SEARCH, "checksum": "0" * 64}, "s")
    ... except StoreDamaged as e:
    ...     print(e.file, e.problem)
    search.sqlite is missing
    """
    if not (isinstance(entry, dict) and entry.get("file") == SEARCH and isinstance(entry.get("checksum"), str)):
        raise StoreDamaged(shown, "manifest.json", 'has no valid "search" entry', paths_needed=True)
    path = Path(store) / SEARCH
    try:
        sha = file_sha256(path)
    except FileNotFoundError:
        raise StoreDamaged(shown, SEARCH, "is missing") from None
    except OSError as e:
        raise StoreError(f"cannot read {os.path.join(shown, SEARCH)}: {e.strerror or e}") from None
    if sha != entry["checksum"]:
        raise StoreDamaged(shown, SEARCH, "does not match its checksum in manifest.json")
    return path


def index_problem(store: Path, entry, shown: str, texts: Iterable[str] = ()) -> str | None:
    """What is wrong with a store's index, for a build to make it again:
    missing (a store made before the index was, or the file is gone),
    damaged, or holding only the cited sentences of one of ``texts`` (a
    source built from records whose file is read now); None when sound.

    >>> index_problem(Path("."), None, ".")
    'is missing'
    """
    if entry is None:
        return "is missing"
    try:
        path = verify(store, entry, shown)
    except StoreDamaged as e:
        return e.problem
    texts = set(texts)
    if not texts:
        return None
    try:
        con = _open_read_only(path)
        try:
            partial = [s for (s,) in con.execute("SELECT source FROM docs WHERE whole = 0") if s in texts]
        finally:
            con.close()
    except sqlite3.Error as e:
        return f"cannot be read ({e})"
    if partial:
        n = len(partial)
        return f"holds only the cited sentences of {n} source{'s' if n > 1 else ''} built from records"
    return None


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that reads ``path`` and never writes it, nor anything
    beside it (``immutable``: no lock, no journal)."""
    con = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    con.execute("PRAGMA query_only = 1")
    return con


def _version(con: sqlite3.Connection) -> tuple[int, int]:
    return con.execute("PRAGMA application_id").fetchone()[0], con.execute("PRAGMA user_version").fetchone()[0]


# -- writing ---------------------------------------------------------------------------


def read_text(path: str, max_bytes: int | None = None):
    """The text of one file as :func:`~cancu.extractors.pipeline.extract_file`
    reads it (what its record's offsets refer to), or a Failure: run in a
    reader process by :class:`IndexWriter`."""
    from ..extractors.errors import InputError
    from ..extractors.pipeline import Failure, read_source

    try:
        return read_source(path, max_bytes)[0]
    except InputError as e:
        return Failure(path, e.reason)


class IndexWriter:
    """The index of a new store, written source by source in the order of
    the paths (:meth:`add`), then closed and synced (:meth:`finish`).

    ``old`` is the old store's index, checked against its manifest (None
    when there is none, or it is damaged): the rows of a kept source whose
    whole text it holds are copied from it. The text of the other kept
    sources (``kept``: path → manifest entry) is read from their files when
    ``read`` gives the budget of the readers (``max_bytes``, ``timeout``);
    without it (a build from records) or when a file cannot be read, the
    index holds the sentences their records keep.
    """

    def __init__(
        self, path: Path, old: Path | None = None, kept: dict[str, dict] | None = None, read: dict | None = None
    ):
        self.path = Path(path)
        self.con: sqlite3.Connection | None = None
        self.old: sqlite3.Connection | None = None
        self.docs = self.rows = 0
        self.worded = 0  # the rows whose words are indexed
        self.old_path = old
        if old is not None:
            try:
                self.old = _open_read_only(old)
                if _version(self.old) != (APPLICATION_ID, VERSION):
                    self.old.close()
                    self.old = None
            except sqlite3.Error:
                self.old = None
        if self.old is None:
            self.old_path = None
        need = [p for p in sorted(kept or {}) if self._old_rows(p, kept[p].get("sha256")) is None]
        self._texts: Iterator | None = None
        self._need = need if read is not None else []
        self._read = read

    def _old_rows(self, path: str, sha256: str | None) -> tuple[int, int] | None:
        """The rows of ``path``'s whole text in the old index, when they are
        of this text (``sha256``)."""
        if self.old is None:
            return None
        try:
            got = self.old.execute("SELECT sha256, whole, first, last FROM docs WHERE source = ?", (path,)).fetchone()
        except sqlite3.Error:
            return None
        if got is None or not got[1] or got[0] != sha256:
            return None
        return got[2], got[3]

    def open(self) -> None:
        """Make the file (in the new store's folder)."""
        if self.con is not None:
            return
        self.con = con = sqlite3.connect(self.path.absolute().as_uri(), uri=True, isolation_level=None)
        con.create_function("searchable", 1, searchable, deterministic=True)
        con.execute("PRAGMA page_size = 4096")
        con.execute("PRAGMA journal_mode = OFF")  # the whole folder is thrown away if the build stops
        con.execute("PRAGMA synchronous = OFF")  # the file is synced by finish()
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {VERSION}")
        if self.old_path is not None:  # the rows of kept sources are copied from it
            con.execute("ATTACH DATABASE ? AS old", (self.old_path.absolute().as_uri() + "?mode=ro&immutable=1",))
        con.execute("BEGIN")
        for statement in _SCHEMA:
            con.execute(statement)
        # FTS5 holds the words of 1 MB of text before it writes a segment, and then merges
        # those segments again and again: 16 MB takes half the time on the corpus
        con.execute(f"INSERT INTO words(words, rank) VALUES ('hashsize', {WORDS_HELD})")

    def _next_text(self, path: str) -> str | None:
        """The text of the next kept source to read, read in a reader process."""
        if not self._need or self._need[0] != path:
            return None
        self._need.pop(0)
        if self._texts is None:
            from ..extractors.pipeline import read_files

            self._texts = read_files(read_text, [path, *self._need], **self._read)
        got = next(self._texts)
        return got if isinstance(got, str) else None

    def add(self, path: str, rec: dict, text: str | None = None, kept: bool = False) -> None:
        """Index the source ``path``: its record and, for a record just
        made, the text its offsets refer to; a ``kept`` record's rows are
        copied from the old index, or made from its text read again."""
        self.open()
        con = self.con
        first, doc = self.rows + 1, self.docs + 1
        old = self._old_rows(path, rec.get("sha256")) if text is None and kept else None
        if old is not None:  # copied as they are, renumbered
            con.execute(
                "INSERT INTO sentences SELECT id + ?, ?, start, stop, section, cites, text FROM old.sentences "
                "WHERE id BETWEEN ? AND ? ORDER BY id",
                (first - old[0], doc, *old),
            )
            n, whole = old[1] - old[0] + 1, True
        else:
            if text is None and kept:
                text = self._next_text(path)
                if text is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() != rec.get("sha256"):
                    text = None  # changed since its record was made: its record's sentences only
            rows, whole = rows_of(rec, text)
            self.add_rows(path, rec.get("sha256"), describe_record(rec), rows, whole)
            return
        self._add_doc(path, rec.get("sha256"), describe_record(rec), n, whole)

    def add_rows(self, path: str, sha256: str | None, described: tuple, rows: list, whole: bool) -> None:
        """Index the source ``path`` from its rows (:func:`rows_of`) and
        :func:`describe_record`, made elsewhere (in a build's reader process)."""
        self.open()
        first, doc = self.rows + 1, self.docs + 1
        self.con.executemany(
            "INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)", ((first + i, doc, *r) for i, r in enumerate(rows))
        )
        self._add_doc(path, sha256, described, len(rows), whole)

    def add_call(self, call: bytes) -> None:
        """Run a call that :func:`index_call` made (in a reader process)."""
        import pickle

        name, args = pickle.loads(call)
        _CALLS[name](self, *args)

    def _add_doc(self, path: str, sha256: str | None, described: tuple, n: int, whole: bool) -> None:
        first = self.rows + 1
        self.docs += 1
        self.rows += n
        self.con.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.docs, path, sha256, int(whole), first, self.rows, *described),
        )
        if self.rows - self.worded >= WORDS_BATCH:
            self._index_words()

    def _index_words(self) -> None:
        """Index the words of the rows added since the last time, in one
        statement: FTS5 writes what it holds at each statement's end, so one
        per source would make thousands of small segments to merge (twice the
        time on the corpus), while one for the whole index would leave every
        word to the end of the build. The rows go by :data:`WORDS_BATCH`, in
        the order of the paths, so the same texts give the same file."""
        if self.rows > self.worded:
            self.con.execute(
                "INSERT INTO words(rowid, text) SELECT id, searchable(text) FROM sentences WHERE id > ? ORDER BY id",
                (self.worded,),
            )
            self.worded = self.rows

    def finish(self) -> dict:
        """Merge the index into one segment, close the file and sync it;
        its manifest entry ``{file, checksum, documents, sentences}``."""
        self.open()
        self._close_readers()
        con = self.con
        self._index_words()
        con.execute("COMMIT")
        if self.old_path is not None:
            con.execute("DETACH DATABASE old")
        con.execute("INSERT INTO words(words) VALUES ('optimize')")
        con.close()
        self.con = None
        with open(self.path, "rb+") as f:
            os.fsync(f.fileno())
        return {"file": SEARCH, "checksum": file_sha256(self.path), "documents": self.docs, "sentences": self.rows}

    def _close_readers(self) -> None:
        if self._texts is not None:
            self._texts.close()
            self._texts = None
        if self.old is not None:
            self.old.close()
            self.old = None

    def abort(self) -> None:
        """Stop: close everything (the caller removes the folder)."""
        self._close_readers()
        if self.con is not None:
            self.con.close()
            self.con = None


#: the calls of an index writer that :func:`index_call` makes
_CALLS = {name: getattr(IndexWriter, name) for name in ("open", "add", "add_rows", "finish")}


#: bytes of calls an :class:`IndexProcess` holds for its process, beyond which
#: the build waits for that process to take them (the index's back-pressure;
#: a batch of words takes the process a few seconds, in which the build sends
#: it a few megabytes of rows: the bound adds little to a national build's peak)
CALLS_HELD = 64 * 1024 * 1024


class IndexProcess:
    """An :class:`IndexWriter` run in a process of its own (chỉ mục ghi
    song song), forked from the build: the same calls, in the same order,
    so the same file, while the build goes on merging the graph and its
    readers go on extracting. Indexing the sentences' words is a third of
    a build's own work, and in one process the readers waited for it.

    Each call is sent at once when the pipe takes it, else held (up to
    :data:`CALLS_HELD` bytes) and sent at the next call: the build never
    waits for a batch of words to be indexed. :meth:`finish` sends the
    rest and waits for the file's manifest entry; an error the index met
    (a full disk) is raised there, as the in-process writer would have
    raised it. :meth:`abort` kills the process. It ignores SIGINT (the
    build stops it) and dies with the build (Linux: ``PR_SET_PDEATHSIG``;
    elsewhere, when its pipe closes). Only where processes are forked:
    :func:`index_writer` chooses."""

    def __init__(self, path: Path, old: Path | None = None, kept: dict[str, dict] | None = None, read=None):
        import multiprocessing as mp
        from collections import deque

        calls_r, calls_w = os.pipe()
        reply_r, reply_w = os.pipe()
        _bigger_pipe(calls_w)
        self._proc = mp.get_context("fork").Process(
            target=_index_main,
            args=(calls_r, calls_w, reply_r, reply_w, (path, old, kept, read)),
            name="cancu-index",
            daemon=False,  # it starts readers of its own (the texts of kept sources)
        )
        self._proc.start()
        os.close(calls_r)
        os.close(reply_w)
        os.set_blocking(calls_w, False)
        self._w, self._reply = calls_w, reply_r
        self._held: deque[memoryview] = deque()
        self._bytes = 0
        self._closed = False
        # a build that ends without finishing or aborting its index (a bug)
        # must not wait at exit for a process that waits for its calls
        atexit.register(self.abort)

    def _call(self, name: str, *args) -> None:
        self.add_call(index_call(name, *args))

    def add_call(self, data: bytes) -> None:
        """Send a call :func:`index_call` made, as it is."""
        self._held.append(memoryview(len(data).to_bytes(8, "little") + data))
        self._bytes += len(data) + 8
        self._send(wait=self._bytes > CALLS_HELD)

    def _send(self, wait: bool) -> None:
        """Write what the pipe takes now; with ``wait``, all of it."""
        import select

        while self._held:
            chunk = self._held[0]
            try:
                k = os.write(self._w, chunk)
            except BlockingIOError:
                if not wait:
                    return
                select.select([], [self._w], [])
                continue
            except BrokenPipeError:
                raise StoreError(f"the search index's process stopped ({_ended(self._proc)})") from None
            self._bytes -= k
            if k == len(chunk):
                self._held.popleft()
            else:
                self._held[0] = chunk[k:]

    def open(self) -> None:
        self._call("open")

    def add(self, path: str, rec: dict, text: str | None = None, kept: bool = False) -> None:
        self._call("add", path, rec, text, kept)

    def add_rows(self, path: str, sha256: str | None, described: tuple, rows: list, whole: bool) -> None:
        self._call("add_rows", path, sha256, described, rows, whole)

    def finish(self) -> dict:
        import pickle

        self._call("finish")
        self._send(wait=True)
        os.close(self._w)
        self._closed = True
        atexit.unregister(self.abort)
        with os.fdopen(self._reply, "rb") as f:
            reply = f.read()
        self._proc.join()
        if not reply:
            raise StoreError(f"the search index's process stopped ({_ended(self._proc)})")
        ok, value = pickle.loads(reply)
        if not ok:
            raise value
        return value

    def abort(self) -> None:
        atexit.unregister(self.abort)
        if self._proc.exitcode is None:
            self._proc.kill()
        self._proc.join()
        if not self._closed:
            self._closed = True
            for fd in (self._w, self._reply):
                try:
                    os.close(fd)
                except OSError:
                    pass


def index_call(name: str, *args) -> bytes:
    """One call of an index writer (:class:`IndexWriter` method ``name``
    with ``args``), pickled: what :class:`IndexProcess` sends its process,
    and what a build's reader makes of a source's rows, which the build hands
    on unread (``add_call``).

    >>> import pickle
    >>> pickle.loads(index_call("add_rows", "kh.txt", None, (), [], False))
    ('add_rows', ('kh.txt', None, (), [], False))
    """
    import pickle

    if name not in _CALLS:
        raise ValueError(f"not a call of the index: {name}")
    return pickle.dumps((name, args), protocol=pickle.HIGHEST_PROTOCOL)


def index_writer(path: Path, old: Path | None = None, kept: dict[str, dict] | None = None, read=None):
    """The writer of a new store's index: an :class:`IndexProcess` where
    processes are forked (POSIX), else an :class:`IndexWriter` in this
    process (Windows); both write the same file."""
    import multiprocessing as mp

    if "fork" in mp.get_all_start_methods():
        return IndexProcess(path, old, kept, read)
    return IndexWriter(path, old, kept, read)


def _bigger_pipe(fd: int) -> None:
    """A pipe of 1 MiB where Linux allows it (64 KiB otherwise): fewer waits."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1024 * 1024)
    except (ImportError, OSError):
        pass


def _ended(proc) -> str:
    from ..extractors.pipeline import _exit_of

    proc.join(1)
    return _exit_of(proc.exitcode)


def _index_main(calls_r: int, calls_w: int, reply_r: int, reply_w: int, args: tuple) -> None:
    """The index's process: each call read from the pipe is made on an
    :class:`IndexWriter`; after an error, the calls are read and dropped
    until ``finish``, which replies with the error."""
    import pickle
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops it
    os.close(calls_w)
    os.close(reply_r)
    _die_with_parent()
    writer = IndexWriter(*args)
    failed: BaseException | None = None
    with os.fdopen(calls_r, "rb", buffering=1024 * 1024) as calls:
        while True:
            head = calls.read(8)
            if len(head) < 8:
                writer.abort()  # the build went away
                return
            name, a = pickle.loads(calls.read(int.from_bytes(head, "little")))
            if failed is None:
                try:
                    got = getattr(writer, name)(*a)
                except BaseException as e:  # sent back to the build, raised there
                    failed = e
                    writer.abort()
            if name == "finish":
                reply = (True, got) if failed is None else (False, failed)
                break
    try:
        data = pickle.dumps(reply)
    except Exception:  # an error that cannot be pickled: its words
        data = pickle.dumps((False, StoreError(f"the search index could not be written: {reply[1]}")))
    with os.fdopen(reply_w, "wb") as f:
        f.write(data)


def _die_with_parent() -> None:
    """Be killed when the build dies (Linux); elsewhere the closed pipe ends it.
    (Not the readers' watching thread, :func:`~cancu.extractors.pipeline._stop_with_parent`:
    this process forks readers of its own, and forking with a thread running may deadlock.)"""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, 9) != 0:  # PR_SET_PDEATHSIG, SIGKILL
            return
    except (OSError, AttributeError):
        return
    import multiprocessing as mp

    parent = mp.parent_process()
    if parent is not None and parent.pid != os.getppid():
        os._exit(1)  # the build died before the signal was asked for


# -- searching -------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One sentence that matches a search.

    ``file`` is the source as the store lists it, ``document`` the text's
    name (its type, own designator, province, year), ``section`` the part
    of its outline (``preamble`` for the căn cứ), ``sentence`` the sentence
    on one line (its whitespace collapsed), ``start``/``end`` the sentence in
    the source text and ``match_start``/``match_end`` the first match in it;
    ``cites`` the keys of the documents the sentence cites; ``score`` its
    bm25 relevance (higher is better)."""

    file: str
    document: str
    key: str | None
    doc_type: str | None
    province: str | None
    year: int | None
    section: str | None
    sentence: str
    start: int
    end: int
    match_start: int | None
    match_end: int | None
    cites: tuple[str, ...]
    score: float

    def to_dict(self) -> dict:
        d = asdict(self)
        d["cites"] = list(self.cites)
        return d

    def excerpt(self, width: int = 160, phrases: Sequence[str] = ()) -> str:
        """The sentence cut to about ``width`` characters around the match,
        at spaces, with "…" where it was cut.

        >>> h = Hit("a.txt", "Kế hoạch", None, None, None, None, None, "x " * 100 + "chuyển đổi số" + " y" * 100,
        ...         0, 0, None, None, (), 1.0)
        >>> e = h.excerpt(40, ["chuyen doi so"]); e
        '…x x x x chuyển đổi số y y y y y y y y…'
        """
        return excerpt(self.sentence, phrases, width)


def excerpt(sentence: str, phrases: Sequence[str] = (), width: int = 160) -> str:
    """``sentence`` cut to about ``width`` characters, the first match of
    ``phrases`` a third of the way in, at spaces, with "…" where cut.

    >>> excerpt("Căn cứ Nghị định số 72/2015/NĐ-CP của Chính phủ về quản lý", ["nghi dinh"], 30)
    'Căn cứ Nghị định số…'
    """
    if len(sentence) <= width:
        return sentence
    at = find_phrase(sentence, phrases) if phrases else None
    a, b = at or (0, 0)
    start = max(0, min(a - max(0, width - (b - a)) // 3, len(sentence) - width))
    end = min(len(sentence), start + width)
    if start > 0:
        sp = sentence.find(" ", start, a) if a > start else -1
        start = sp + 1 if sp >= 0 else start
    if end < len(sentence):
        sp = sentence.rfind(" ", max(b, start + 1), end)
        end = sp if sp > 0 else end
    return ("…" if start > 0 else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")


@dataclass(frozen=True)
class Results:
    """The hits of a search, best first, and how many sentences match in all."""

    hits: list[Hit]
    total: int
    phrases: tuple[str, ...] = ()


def doc_types(typed: str) -> list[str]:
    """The document types (loại văn bản) that ``typed`` names: a type's
    name or its code, with or without diacritics. Raises
    :class:`SearchQueryError` when it names none.

    >>> doc_types("KH"), doc_types("ke hoach"), doc_types("QD")
    (['Kế hoạch'], ['Kế hoạch'], ['Quyết định'])
    """
    data = load_data("doc_types.json")
    want = plain(typed)
    names = sorted(
        {
            t["name"]
            for t in data["types"]
            if want == plain(t["name"]) or any(want == plain(c) for c in t.get("codes", ()))
        }
        | {name for code, name in data.get("abbreviations", {}).items() if want == plain(code)}
    )
    if not names:
        raise SearchQueryError(
            f"{typed!r} is not a document type (a type is named as written, such as Kế hoạch, "
            "or by its code, such as KH)"
        )
    return names


def _provinces_matching(con: sqlite3.Connection, province: str) -> list[str]:
    """The provinces written in the index's texts that are ``province``,
    as typed or as the vocabulary spells it, or that are held by it today
    (a Yên Bái plan is found under Lào Cai since their merger)."""
    from .lineage import unit_on

    want = {fold(province), fold(official_province(province) or province)}
    out = []
    for (p,) in con.execute("SELECT DISTINCT province FROM docs WHERE province IS NOT NULL ORDER BY province"):
        if fold(p) in want or fold(unit_on(p)[0]) in want:
            out.append(p)
    return out


def search(
    store: str | os.PathLike,
    query: str | Sequence[str],
    *,
    doc_type: str | None = None,
    province: str | None = None,
    year: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Results:
    """The sentences of the store's texts that hold ``query``, best first
    (bm25), at most ``limit`` of them, and how many match in all.

    ``query`` is a phrase or several: a sentence matches when it holds each
    phrase, its words in a row, whatever their diacritics and case
    ("chuyen doi so" finds "Chuyển đổi số"). ``doc_type`` keeps the texts
    of that type (a name or a code: "Kế hoạch", "KH"), ``province`` those
    of that province as written or as held today, ``year`` those of that
    year. Raises :class:`SearchQueryError` for a query with no word or an
    unknown type, :class:`StoreError` for a store without a (sound) index.

    >>> import os, tempfile
    >>> from cancu.graph.store import build
    >>> folder = tempfile.mkdtemp()
    >>> plan = os.path.join(folder, "kh.txt")
    >>> _ = open(plan, "w", encoding="utf-8").write(
    ...     "KẾ HOẠCH\\nCăn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;\\n"
    ...     "I. NHIỆM VỤ\\n1. Đẩy mạnh chuyển đổi số trong công tác thông tin đối ngoại.\\n")
    >>> _ = build([plan], os.path.join(folder, "store"))
    >>> r = search(os.path.join(folder, "store"), "chuyen doi so")
    >>> r.total, r.hits[0].section, r.hits[0].sentence
    (1, 'I.1', '1. Đẩy mạnh chuyển đổi số trong công tác thông tin đối ngoại.')
    """
    from .store import _consistent, _shown

    phrases = (query,) if isinstance(query, str) else tuple(query)
    expression = match_expression(phrases)
    types = doc_types(doc_type) if doc_type is not None else None
    store = Path(store)
    shown = _shown(store)

    def read(m: dict) -> Results:
        entry = m.get("search")
        if entry is None:
            from .errors import BUILD

            raise StoreError(
                f"the store {shown} has no search index (an older cancu built it); build it again to make one: {BUILD}",
                store=str(store),
                setting=BUILD,
            )
        path = verify(store, entry, shown)
        con = _open_read_only(path)
        try:
            if _version(con) != (APPLICATION_ID, VERSION):
                raise StoreDamaged(shown, SEARCH, "is not a search index this cancu reads")
            return _run(con, expression, phrases, types, province, year, limit)
        except sqlite3.DatabaseError as e:
            raise StoreDamaged(shown, SEARCH, f"cannot be read ({e})") from None
        finally:
            con.close()

    return _consistent(store, read)


def _run(con, expression, phrases, types, province, year, limit) -> Results:
    where, args = ["words MATCH ?"], [expression]
    if types is not None:
        where.append(f"d.doc_type IN ({', '.join('?' * len(types))})")
        args += types
    if province is not None:
        names = _provinces_matching(con, province)
        where.append(f"d.province IN ({', '.join('?' * len(names))})" if names else "0")
        args += names
    if year is not None:
        where.append("d.year = ?")
        args.append(year)
    joins = "FROM words JOIN sentences s ON s.id = words.rowid JOIN docs d ON d.id = s.doc"
    cond = " AND ".join(where)
    total = con.execute(f"SELECT count(*) {joins} WHERE {cond}", args).fetchone()[0]
    found = con.execute(
        "SELECT d.source, d.name, d.key, d.doc_type, d.province, d.year, s.section, s.text, s.start, s.stop, "
        f"s.cites, bm25(words) AS rank {joins} WHERE {cond} ORDER BY rank, s.id LIMIT ?",
        [*args, limit],
    ).fetchall()
    hits = []
    for source, name, key, dt, prov, yr, section, text, start, stop, cites, rank in found:
        at = find_phrase(text, phrases)
        hits.append(
            Hit(
                file=source,
                document=name,
                key=key,
                doc_type=dt,
                province=prov,
                year=yr,
                section=section,
                sentence=" ".join(text.split()),
                start=start,
                end=stop,
                match_start=start + at[0] if at else None,
                match_end=start + at[1] if at else None,
                cites=tuple(json.loads(cites)),
                score=round(-rank, 4),
            )
        )
    return Results(hits, total, tuple(phrases))
