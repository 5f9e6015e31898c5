"""The embedded store (kho): a folder, ``.cancu/`` by default, that holds
the extraction record of every source and the merged graph. No server.

Layout (format ``cancu-store``, version 2; see ``docs/store.md``)::

    .cancu/
      cancu-store.json     the marker: {"format": "cancu-store", "version": 2}
      manifest.json        format, version, one entry per source, counts, checksums
      sources/<id>.json    one source's extraction record (its contribution)
      graph.json           the merged graph: sorted nodes, sorted edges
      search.sqlite        the full-text index of the texts (see cancu.graph.search)

Every file is written with sorted keys and no timestamps, so building the
same files twice gives a byte-identical store. A build writes a new folder
beside the old one and swaps them, so an interrupted build leaves the old
store as it was; it holds ``STORE.lock`` (beside the store) while it runs,
so two builds never write one store at once. The manifest records the
sha256 of every other file; readers verify what they read, and a build
verifies what it keeps.

A build refuses a folder that is not empty and not a store, that holds one
of its inputs, or that holds the current folder: it never deletes what it
did not write.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from ..extractors.models import DocumentRecord
from .errors import (
    BUILD,
    FOR_STORE,
    OTHER_STORE,
    REBUILD_PATHS,
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreRefused,
    StoreVersion,
)
from .model import build_graph, no_cycle_collection
from .search import SEARCH, index_problem, index_writer
from .search import verify as verify_search

if TYPE_CHECKING:
    from ..extractors.pipeline import Failure

FORMAT = "cancu-store"
VERSION = 2
DEFAULT_STORE = ".cancu"
#: the marker file, written first into a new store
MARKER = "cancu-store.json"
MANIFEST = "manifest.json"
_MARKER_BYTES = b'{"format":"cancu-store","version":2}\n'  # dumps({"format": FORMAT, "version": VERSION})
GRAPH = "graph.json"
_RECORD_NAME = re.compile(r"[0-9a-f]{16}\.json")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SEAL = re.compile(rb'\{\n "checksum": "([0-9a-f]{64})",\n')


@dataclass
class BuildReport:
    """What a build did: sources added, replaced (content changed), kept
    (unchanged), pruned and failed (path, reason); store files that did not
    match their checksum and were written again (``repaired``); sources
    whose damaged record could not be made again from their file
    (``dropped``, also in ``failed``); and the graph's size."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.pruned or self.repaired or self.dropped)


def dumps(obj) -> str:
    """Canonical JSON: sorted keys, UTF-8 text, no spaces.

    >>> dumps({"b": 1, "a": "Đ"})
    '{"a":"Đ","b":1}'
    """
    # (what the store holds is a tree: not checked for cycles, a sixth of the writing)
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)


def _bytes(text: str) -> bytes:
    """UTF-8 bytes of JSON text. A file name that is not UTF-8 reaches Python
    as lone surrogates; they are written as JSON escapes (``\\udcff``),
    which read back as the same name.

    >>> _bytes(dumps({"source": b"k\\xe9.txt".decode("utf-8", "surrogateescape")}))
    b'{"source":"k\\\\udce9.txt"}'
    """
    return text.encode("utf-8", "backslashreplace")


def source_file(path: str) -> str:
    """The name of a source's file in ``sources/``: a hash of its path.

    >>> source_file("data/plans/yen-bai-2024-ttdn.txt")
    'sources/d70dc18212f3106d.json'
    """
    return "sources/" + hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:16] + ".json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown(store) -> str:
    """A store path as messages print it (a name that is not UTF-8 as ``\\xNN``)."""
    from ..extractors.errors import shown

    return shown(str(store))


# -- what a folder is ----------------------------------------------------------


def _read_json(p: Path):
    try:
        return json.loads(p.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None


def store_kind(store: str | os.PathLike) -> str:
    """``"new"`` (no such folder), ``"empty"``, ``"store"`` (it has the
    marker, or the manifest of a cancu store of any version) or
    ``"foreign"`` (anything else: a build must not write into it)."""
    p = Path(store)
    if not p.exists():
        return "new"
    if not p.is_dir():
        return "foreign"
    try:
        if not any(p.iterdir()):
            return "empty"
    except OSError:
        return "foreign"
    for name in (MARKER, MANIFEST):
        data = _read_json(p / name)
        if isinstance(data, dict) and data.get("format") == FORMAT:
            return "store"
    return "foreign"


def _inside(child: str, parent: str) -> bool:
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


def _real_paths(paths: Iterable[str]) -> Iterable[tuple[str, str]]:
    """``(path, os.path.realpath(path))`` for each path, each folder resolved
    once: a file that is not a link is where its folder really is (resolving
    160,000 files one by one took 5 s of each check of a national build).

    >>> [r == os.path.realpath(p) for p, r in _real_paths(["a/b.txt", "a/../c.txt", "."])]
    [True, True, True]
    """
    folders: dict[str, str] = {}
    for p in paths:
        head, name = os.path.split(os.path.abspath(p))
        if name in ("", ".", "..") or ".." in Path(p).parts or os.path.islink(p):
            yield p, os.path.realpath(p)  # resolved as a whole: a link, or a ".." that may follow one
            continue
        if head not in folders:
            folders[head] = os.path.realpath(head)
        yield p, os.path.join(folders[head], name)


def check_store_folder(store: str | os.PathLike, inputs: Iterable[str] = ()) -> str:
    """Refuse (:class:`StoreRefused`) a folder a build must not write into;
    else return its :func:`store_kind` (``new``, ``empty`` or ``store``).

    A build replaces the whole store folder, so it must hold nothing but a
    store: not the inputs, not the current folder, not someone's files.
    """
    shown = _shown(store)
    real = os.path.realpath(store)
    if _inside(os.path.realpath(os.getcwd()), real):
        raise StoreRefused(
            shown,
            f"the store folder {shown} holds the current folder; choose a folder inside it {FOR_STORE}, such as .cancu",
            FOR_STORE,
        )
    for f, where in _real_paths(inputs):
        if _inside(where, real):
            raise StoreRefused(
                shown, f"the store folder {shown} holds inputs being built ({f}); choose {OTHER_STORE}", OTHER_STORE
            )
    for up in Path(store).parents:
        if up.exists() or up.is_symlink():
            if not up.is_dir():
                raise StoreRefused(
                    shown, f"the store folder {shown} cannot be made: {up} is a file; choose {OTHER_STORE}", OTHER_STORE
                )
            break
    kind = store_kind(store)
    if kind == "foreign":
        what = (
            "is not a folder"
            if Path(store).exists() and not Path(store).is_dir()
            else "is not a cancu store and is not empty"
        )
        raise StoreRefused(shown, f"{shown} {what}; choose an empty or new folder {FOR_STORE}", FOR_STORE)
    return kind


# -- the writers' lock -----------------------------------------------------------


def lock_path(store: str | os.PathLike) -> Path:
    """The lock file of a store: ``STORE.lock`` beside it (the store folder
    itself is swapped by rename, so the lock cannot live inside it)."""
    p = Path(os.path.abspath(store))
    return p.with_name(p.name + ".lock")


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _LOCK_AT = 1 << 20  # lock a byte past the pid, so that others can still read it

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


#: the lock files this process holds. A process forked from it (a reader
#: worker) closes its copies at once: it must not keep a store locked after
#: the build that holds the lock has died.
_HELD: set[int] = set()


def _close_held_locks() -> None:  # in a forked child
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_locks)


def _pid_in(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 64).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class StoreLock:
    """The exclusive lock of the writers of one store: ``STORE.lock`` beside
    it, locked with ``flock`` (``msvcrt.locking`` on Windows) and naming
    the holder's pid.

    The operating system releases the lock when its holder dies, however it
    dies, so a lock file left by a killed build (a stale lock: its pid is
    gone) is simply taken over. The holder removes the file when it is done.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with StoreLock(d + "/s") as lock:
    ...     StoreLock(d + "/s").acquire(wait=False)
    Traceback (most recent call last):
    cancu.graph.errors.StoreLocked: the store .../s is being written by another cancu build (pid ...); try again ...
    >>> os.path.exists(d + "/s.lock")
    False
    """

    def __init__(self, store: str | os.PathLike):
        self.store = _shown(store)
        self.path = lock_path(store)
        self.fd: int | None = None

    def try_acquire(self) -> int | None:
        """Take the lock if it is free: ``None`` when taken, else the pid of
        the holder (0 when the lock file does not name one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
            if not _try_lock(fd):
                pid = _pid_in(fd)
                os.close(fd)
                return pid or 0
            try:  # the previous holder may have removed the file between our open and our lock
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except OSError:
                same = False
            if not same:
                _unlock(fd)
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            self.fd = fd
            _HELD.add(fd)
            return None

    def acquire(
        self, wait: bool = True, on_wait: Callable[[int | None], None] | None = None, poll: float = 0.1
    ) -> StoreLock:
        """Take the lock; when another build holds it, wait for it (calling
        ``on_wait(pid)`` once) or, with ``wait=False``, raise
        :class:`StoreLocked`."""
        told = False
        while True:
            holder = self.try_acquire()
            if holder is None:
                return self
            if not wait:
                raise StoreLocked(self.store, str(self.path), holder or None)
            if on_wait and not told:
                on_wait(holder or None)
                told = True
            time.sleep(poll)

    def release(self) -> None:
        if self.fd is None:
            return
        try:  # while still holding it: a waiter that opened this file sees it is gone and opens again
            os.unlink(self.path)
        except OSError:
            pass
        _HELD.discard(self.fd)
        _unlock(self.fd)
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> StoreLock:
        return self if self.fd is not None else self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


# -- recovery of a swap cut short --------------------------------------------------


def _leftovers(store: Path) -> tuple[list[Path], list[Path]]:
    parent = store.parent
    tmps, olds = [], []
    try:
        names = os.listdir(parent)
    except OSError:
        return [], []
    for n in sorted(names):
        m = re.fullmatch(re.escape(store.name) + r"\.(tmp|old)-(\d+)", n)
        if m and _ours(parent / n):
            (tmps if m.group(1) == "tmp" else olds).append(parent / n)
    return tmps, olds


def _ours(folder: Path) -> bool:
    """A ``.tmp-PID``/``.old-PID`` folder that a build wrote: it has the
    marker or a cancu manifest, or holds nothing but the store's layout (a
    build killed before its first file). Anything else is left alone; a
    folder that another build removes while it is looked at is not ours to
    touch either."""
    try:
        if not folder.is_dir() or store_kind(folder) == "store":
            return folder.is_dir()
        for p in folder.iterdir():
            if p.name in (MARKER, MANIFEST, GRAPH, SEARCH):
                continue
            if p.name == "sources" and p.is_dir() and all(_RECORD_NAME.fullmatch(q.name) for q in p.iterdir()):
                continue
            return False
    except OSError:  # removed meanwhile by the build that wrote it
        return False
    return True


def recover(store: str | os.PathLike) -> None:
    """Finish or undo a swap that a killed build left half done.

    A build writes the new store beside the old one (``STORE.tmp-PID``,
    marker first, manifest last), then renames the old one away
    (``STORE.old-PID``) and the new one in. Killed between the two renames,
    the store folder is missing: the complete new store is renamed in, else
    the old one back. Leftover ``.tmp-*``/``.old-*`` folders are removed once
    the store is whole; only folders a build wrote are touched. Call it
    holding the store's lock (readers use :func:`_settle`).
    """
    store = Path(os.path.abspath(store))
    if not store.parent.exists():
        return
    tmps, olds = _leftovers(store)
    if not store.exists():
        done = [t for t in tmps if (t / MANIFEST).exists()]
        if done:
            done[-1].rename(store)
        elif olds:
            olds[-1].rename(store)
    if store.exists():
        for leftover in tmps + olds:
            if leftover.exists() and not _owned_by_live_build(leftover):
                shutil.rmtree(leftover, ignore_errors=True)


def _owned_by_live_build(folder: Path) -> bool:
    """A ``.tmp-PID`` folder that a running build is still writing."""
    pid = folder.name.rsplit("-", 1)[-1]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError, OverflowError):
        return False
    return True


def _settle(store: Path, timeout: float = 10.0) -> None:
    """Before a read: when a build left a swap half done, finish it (taking
    the lock, so as not to race a live build); when a live build is between
    its two renames, wait for the store to be back."""
    tmps, olds = _leftovers(Path(os.path.abspath(store)))
    if not tmps and not olds:
        return
    lock = StoreLock(store)
    try:
        holder = lock.try_acquire()
    except OSError:  # cannot write beside the store: read what is there
        return
    if holder is None:
        try:
            recover(store)
        finally:
            lock.release()
        return
    deadline = time.monotonic() + timeout
    while not Path(store).exists() and time.monotonic() < deadline:
        time.sleep(0.02)


# -- reading -----------------------------------------------------------------


def _kind_of(value) -> str:
    return {
        dict: "object",
        list: "list",
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def parse_manifest(store: str | os.PathLike, data: bytes) -> dict:
    """Check the manifest's bytes; the manifest, or :class:`StoreDamaged`
    (naming what is wrong) or :class:`StoreVersion`."""
    shown = _shown(store)

    def bad(problem: str):
        return StoreDamaged(shown, MANIFEST, problem, paths_needed=True)

    try:
        with no_cycle_collection():  # a national store's lists a few hundred thousand sources
            m = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad("is not UTF-8 text") from None
    except ValueError as e:
        raise bad(f"is not valid JSON ({e.msg} at line {e.lineno})") from None
    if not isinstance(m, dict):
        raise bad(f"is a JSON {_kind_of(m)}, not a manifest")
    if m.get("format") != FORMAT:
        raise bad(f"is not a {FORMAT} manifest (its format is {m.get('format')!r})")
    if m.get("version") != VERSION:
        raise StoreVersion(shown, m.get("version"), VERSION)
    sources, graph = m.get("sources"), m.get("graph")
    if not isinstance(sources, dict):
        raise bad('has no "sources" object' if sources is None else f'has a {_kind_of(sources)} as "sources"')
    for path, e in sources.items():
        if not (
            isinstance(e, dict)
            and e.get("file") == source_file(path)
            and isinstance(e.get("checksum"), str)
            and _HEX64.fullmatch(e["checksum"])
            and isinstance(e.get("sha256"), str)
        ):
            raise bad(f"has a damaged entry for {path}")
    if not (
        isinstance(graph, dict)
        and graph.get("file") == GRAPH
        and isinstance(graph.get("checksum"), str)
        and _HEX64.fullmatch(graph["checksum"])
        and isinstance(graph.get("nodes"), int)
        and isinstance(graph.get("edges"), int)
    ):
        raise bad('has no valid "graph" entry')
    sealed = _SEAL.match(data)
    if not sealed or _sha(b"{\n" + data[sealed.end() :]) != sealed.group(1).decode("ascii"):
        raise StoreDamaged(shown, MANIFEST, "does not match its own checksum (it was edited or damaged)")
    return m


def manifest_bytes(manifest: dict) -> bytes:
    """The bytes of a manifest, sealed: its first entry, ``checksum``, is the
    sha256 of the bytes that follow it (with ``{`` before them), so any
    change to the manifest shows.

    >>> data = manifest_bytes({"format": "cancu-store", "version": 2})
    >>> lines = data.decode().splitlines(); lines[1][:14], lines[2:]
    (' "checksum": "', [' "format": "cancu-store",', ' "version": 2', '}'])
    >>> lines[1][14:78] == _sha(b'{\\n "format": "cancu-store",\\n "version": 2\\n}\\n')
    True
    """
    body = _bytes(
        json.dumps({k: v for k, v in manifest.items() if k != "checksum"}, ensure_ascii=False, sort_keys=True, indent=1)
        + "\n"
    )
    return b'{\n "checksum": "' + _sha(body).encode("ascii") + b'",\n' + body[2:]


_SEAL_HEAD = b'{\n "checksum": "'


def write_manifest(path: Path, manifest: dict) -> None:
    """Write :func:`manifest_bytes` of ``manifest`` to ``path``, synced, a
    piece at a time: the manifest of a large store (160,000 sources) is a
    text of 80 MB, which would be held four times over at once.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); m = {"format": FORMAT, "sources": {"a.txt": {"sha256": "e"}}}
    >>> write_manifest(d / MANIFEST, m); (d / MANIFEST).read_bytes() == manifest_bytes(m)
    True
    """
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    chunks = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=1).iterencode(body)
    head = len(_SEAL_HEAD) + 64 + len(b'",\n')
    with open(path, "wb") as f:
        f.write(b" " * head)  # the seal, written once the rest is hashed
        checksum = _write_pieces(f, itertools.chain(chunks, ["\n"]), skip=2)  # the body's "{\n" stands in the seal
        f.seek(0)
        f.write(_SEAL_HEAD + checksum.encode("ascii") + b'",\n')
        f.flush()
        os.fsync(f.fileno())


def _manifest_bytes(store: Path) -> bytes:
    """The manifest's bytes, or :class:`StoreError` when there is no store."""
    p = store / MANIFEST
    try:
        return p.read_bytes()
    except FileNotFoundError:
        _settle(store)  # a build may be between the two renames of its swap
        if p.exists():
            return _manifest_bytes(store)
        if store_kind(store) == "store":  # the marker without the manifest
            raise StoreDamaged(_shown(store), MANIFEST, "is missing", paths_needed=True) from None
        raise StoreError(f"no store at {store} (run {BUILD} first)", store=str(store), setting=BUILD) from None
    except NotADirectoryError:
        raise StoreError(f"no store at {store} ({store} is a file)") from None
    except OSError as e:
        raise StoreError(f"cannot read {p}: {e.strerror or e}") from None


def _verified(store: Path, name: str, checksum: str, what: str = "") -> bytes:
    """The bytes of a store file, checked against the manifest."""
    try:
        data = (store / name).read_bytes()
    except FileNotFoundError:
        raise StoreDamaged(_shown(store), name, f"{what}is missing") from None
    except OSError as e:
        raise StoreError(f"cannot read {os.path.join(_shown(store), name)}: {e.strerror or e}") from None
    if _sha(data) != checksum:
        raise StoreDamaged(_shown(store), name, f"{what}does not match its checksum in {MANIFEST}")
    return data


def _consistent(store: Path, read: Callable[[dict], object], tries: int = 3):
    """``read(manifest)`` against one manifest. A build that swaps the store
    while we read makes a file disagree with the manifest read before it:
    then the manifest has changed too, and we read again."""
    store = Path(store)
    _settle(store)
    for attempt in range(tries):
        data = _manifest_bytes(store)
        try:
            return read(parse_manifest(store, data))
        except StoreDamaged:
            if attempt == tries - 1:
                raise
            try:
                again = (store / MANIFEST).read_bytes()
            except OSError:
                again = None
            if again == data:
                raise
            _settle(store)


def read_manifest(store: str | os.PathLike) -> dict:
    """The manifest of a store. Raises :class:`StoreError` (no store),
    :class:`StoreDamaged` or :class:`StoreVersion`."""
    store = Path(store)
    _settle(store)
    return parse_manifest(store, _manifest_bytes(store))


def _record(store: Path, path: str, entry: dict) -> dict:
    data = _verified(store, entry["file"], entry["checksum"], f"(the record of {path}) ")
    try:
        rec = json.loads(data.decode("utf-8"))
    except ValueError:  # matches its checksum yet is not JSON: the manifest was edited too
        raise StoreDamaged(_shown(store), entry["file"], f"(the record of {path}) is not valid JSON") from None
    if not isinstance(rec, dict):
        raise StoreDamaged(_shown(store), entry["file"], f"(the record of {path}) is not a record")
    return rec


def read_records(
    store: str | os.PathLike, manifest: dict | None = None, only: Iterable[str] | None = None
) -> dict[str, dict]:
    """Path → extraction record of every source in the store (with ``only``,
    of those of its paths the store holds), each checked against its
    checksum. Raises :class:`StoreError`."""
    store = Path(store)
    wanted = None if only is None else set(only)

    def read(m: dict) -> dict[str, dict]:
        sources = m["sources"]
        paths = sources if wanted is None else sorted(wanted.intersection(sources))
        return {path: _record(store, path, sources[path]) for path in paths}

    return read(manifest) if manifest is not None else _consistent(store, read)


def _graph_parts(G: nx.MultiDiGraph):
    """The pieces of :func:`graph_to_json`'s text, in order, one node or edge
    at a time (so that a large graph is written without its text in memory)."""
    yield '{"format":"cancu-graph","version":1,\n"nodes":[\n'
    for i, n in enumerate(sorted(G.nodes)):
        yield (",\n" if i else "") + dumps({"id": n, **G.nodes[n]})
    yield '\n],\n"edges":[\n'
    for i, (u, v, k) in enumerate(sorted(G.edges(keys=True))):
        yield (",\n" if i else "") + dumps({"from": u, "to": v, "key": k, **G[u][v][k]})
    yield "\n]}\n"


def graph_to_json(G: nx.MultiDiGraph) -> str:
    """The graph as canonical JSON text, one node or edge per line."""
    return "".join(_graph_parts(G))


def write_graph(G: nx.MultiDiGraph, path: Path) -> str:
    """Write :func:`graph_to_json`'s bytes to ``path`` piece by piece, synced;
    returns their sha256."""
    with open(path, "wb") as f:
        return _write_pieces(f, _graph_parts(G))


def _write_pieces(f, parts: Iterable[str], skip: int = 0) -> str:
    """Write the UTF-8 bytes of ``parts`` to the open file ``f`` a megabyte at
    a time, but for their first ``skip`` bytes, which are only hashed; flush
    and sync it; the sha256 of all of them."""
    h = hashlib.sha256()
    buf: list[bytes] = []
    size = 0
    for part in parts:
        b = _bytes(part)
        h.update(b)
        if skip:
            b, skip = b[skip:], max(0, skip - len(b))
        buf.append(b)
        size += len(b)
        if size > 1 << 20:
            f.write(b"".join(buf))
            buf, size = [], 0
    f.write(b"".join(buf))
    f.flush()
    os.fsync(f.fileno())
    return h.hexdigest()


def graph_from_json(text: str) -> nx.MultiDiGraph:
    """The inverse of :func:`graph_to_json`.

    >>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="K", type="CITES")
    'K'
    >>> list(graph_from_json(graph_to_json(G)).edges(keys=True, data=True))
    [('a', 'b', 'K', {'type': 'CITES'})]
    """
    return _graph_and_size(text)[0]


def _graph_and_size(text: str) -> tuple[nx.MultiDiGraph, int, int]:
    """:func:`graph_from_json`, and how many nodes and relationships it has
    (counted as they are added: networkx counts a multigraph's edges by
    walking them all)."""
    from .model import shared

    with no_cycle_collection():
        data = json.loads(text)
        G = nx.MultiDiGraph()
        pool: dict[str, str] = {}  # the strings many relationships repeat, held once
        for d in data.pop("nodes"):
            nid = d.pop("id")
            G.add_node(nid, **d)
        edges = data.pop("edges")
        again = 0  # relationships listed twice (a damaged file): one edge each
        for i in range(len(edges)):  # in the file's order; each parsed edge let go as it is added
            d, edges[i] = edges[i], None
            u, v, k = d.pop("from"), d.pop("to"), d.pop("key")
            again += G.has_edge(u, v, k)
            G.add_edge(u, v, key=k, **shared(d, pool))
    return G, G.number_of_nodes(), len(edges) - again


def _graph(store: Path, m: dict) -> nx.MultiDiGraph:
    g = m["graph"]
    data = _verified(store, GRAPH, g["checksum"])
    try:
        G, nodes, edges = _graph_and_size(data.decode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise StoreDamaged(_shown(store), GRAPH, f"cannot be read ({type(e).__name__})") from None
    if (nodes, edges) != (g["nodes"], g["edges"]):
        raise StoreDamaged(
            _shown(store),
            GRAPH,
            f"has {nodes} nodes and {edges} relationships; {MANIFEST} says {g['nodes']} and {g['edges']}",
        )
    return G


def load_graph(store: str | os.PathLike = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph of a store, checked against the manifest. Raises
    :class:`StoreError` (:class:`StoreDamaged` naming the file)."""
    store = Path(store)
    return _consistent(store, lambda m: _graph(store, m))


# -- building -------------------------------------------------------------------------


def _old_paths(store: Path) -> list[str]:
    """The source paths a manifest lists, of any version, however damaged
    the rest is (for ``--rebuild``)."""
    m = _read_json(store / MANIFEST)
    if isinstance(m, dict) and isinstance(m.get("sources"), dict):
        return [p for p in m["sources"] if isinstance(p, str)]
    return []


def _gone(f: str) -> bool:
    """The file no longer exists, as opposed to: cannot be seen now (a
    folder on the way that cannot be searched or listed)."""
    p = path = os.path.abspath(f)
    while True:
        try:
            os.lstat(p)
        except FileNotFoundError:
            parent = os.path.dirname(p)
            if parent == p:
                return True
            p = parent
            continue
        except OSError:
            return False
        if p == path:
            return False
        try:  # the nearest folder that exists: may we see what is in it?
            os.listdir(p)
        except OSError:
            return False
        return True


#: the time limit of reading one file: the pipeline's own default
DEFAULT = "default"


def _budget(max_bytes: int | None, timeout) -> dict:
    """The keyword arguments of the pipeline's budgeted readers."""
    kw: dict = {"max_bytes": max_bytes}
    if timeout != DEFAULT:
        kw["timeout"] = timeout
    return kw


def build(
    paths: Iterable[str],
    store: str | os.PathLike = DEFAULT_STORE,
    prune: bool = False,
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    *,
    max_bytes: int | None = None,
    timeout: float | None | str = DEFAULT,
    rebuild: bool = False,
    wait: bool = True,
    on_wait: Callable[[int | None], None] | None = None,
    on_repair: Callable[[str, str], None] | None = None,
    files: Iterable[str] | None = None,
    records: str | os.PathLike | None = None,
) -> BuildReport:
    """Extract the sources under ``paths`` into ``store`` and rewrite its graph.

    Unchanged sources (same path, same content hash, a record that matches
    its checksum) are not extracted again; a changed source replaces its own
    record; sources in the store but not under ``paths`` are kept. With
    ``prune``, a source under one of ``paths`` whose file is gone (not
    merely unreadable) is dropped; when a named path does not exist, nothing
    is pruned. A kept record or a graph that does not match its checksum is
    made again from the source files (``on_repair(store file, problem)``).
    With ``rebuild`` nothing of the old store is trusted but the records
    that match their checksums: every source it lists and every file under
    ``paths`` is extracted again (``paths`` may then be empty), and a sound
    record is kept only for a file that cannot be read.

    The build holds the store's lock (:class:`StoreLock`): with ``wait`` it
    waits for another build (``on_wait(pid)``), else raises
    :class:`StoreLocked`. It raises :class:`StoreRefused` for a folder that
    is not a store (nothing is written) and, without ``rebuild``,
    :class:`StoreDamaged`/:class:`StoreVersion` for a manifest it cannot
    trust. ``progress(file, done, total)`` (tiến độ) is called as each
    file is settled: kept unchanged, failed, or extracted and its record
    written and taken by the graph; ``total`` counts the files under
    ``paths`` (or the records) and, once they are sorted out, the other
    sources to extract again; it may grow then, never shrink.
    Files are read, to hash or to extract them, in worker processes under
    the pipeline's budgets: ``max_bytes`` is the size limit of a file,
    ``timeout`` the time limit of reading one (None: no limit;
    :data:`DEFAULT`: the pipeline's). A source that cannot be read is
    reported as it is met, ``on_failure(Failure)`` (its ``setting`` names
    what may get past it), and listed in ``report.failed``.

    ``files`` are the files under ``paths`` when the caller has found them
    already (:func:`~cancu.extractors.pipeline.iter_sources`): the paths are
    then not searched again.

    With ``records`` (a JSON-lines file of extraction records, as ``cancu
    extract --format jsonl`` writes them, on this machine or another), the
    store is built from those records instead of from files: ``paths`` must
    be empty; a record whose source and content hash the store holds
    already is kept, any other replaces or adds its source's record; the
    store's other sources are kept. A line that is not a record is reported
    (``on_failure``, with its line number) and skipped. See :func:`index_records`.
    """
    from ..extractors.pipeline import Failure, hash_paths, iter_sources, read_files

    paths = [str(p) for p in paths]
    store = Path(store)
    report = BuildReport()
    index: dict[str, RecordLine] = {}
    bad: list[Failure] = []
    if records is not None:
        if paths or rebuild or prune:
            raise ValueError("build: records are built as they are: no paths, rebuild or prune with them")
        records = str(records)
        check_store_folder(store, [records])
        index, bad = index_records(records)
        named_files = sorted(index)
    else:
        named_files = sorted(set(iter_sources(paths) if files is None else map(str, files)))
        check_store_folder(store, paths + named_files)

    def fail(f: str, why: str, setting: str | None = None) -> None:
        report.failed.append((f, why))
        if on_failure:
            on_failure(Failure(f, why, setting=setting))

    def repaired(name: str, why: str) -> None:
        report.repaired.append(name)
        if on_repair:
            on_repair(name, why)

    done, total = 0, len(named_files)

    def settled(f: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(f, done, total)

    try:
        lock = StoreLock(store).acquire(wait=wait, on_wait=on_wait)
    except OSError as e:
        raise StoreError(f"cannot write the store {store}: {e.strerror or e}") from None
    with lock:
        recover(store)
        # another build may have made it meanwhile
        kind = check_store_folder(store, [records] if records is not None else paths + named_files)
        for f in bad:
            fail(f.source, f.reason, f.setting)
        old = None
        if kind == "store":
            try:
                old = read_manifest(store)
            except StoreError:
                if not rebuild:
                    raise
        missing = [p for p in paths if not os.path.lexists(p)]
        for p in missing:
            fail(p, "no such file or folder" + ("; nothing was pruned" if prune else ""))
        files = [f for f in named_files if f not in missing]
        trusted: dict[str, dict] = old["sources"] if old else {}
        listed = set(_old_paths(store)) if kind == "store" else set()  # what the store held, trusted or not
        others = sorted((set(trusted) | (listed if rebuild else set())) - set(files))
        if rebuild and not files and not others:
            why = f"its {MANIFEST} is damaged" if kind == "store" else "it is not a store yet"
            raise StoreError(
                f"no sources to rebuild {store} from ({why}); name them: {REBUILD_PATHS}",
                store=str(store),
                setting=REBUILD_PATHS,
            )
        roots = [os.path.abspath(p) for p in paths if p not in missing]

        sound: dict[str, bool] = {}  # path → its record matches its checksum (checked once, not kept)
        damaged: dict[str, str] = {}  # path → what is wrong with its record

        def record_of(f: str) -> bool:
            """Whether its record in the store matches its checksum."""
            if f not in trusted:
                return False
            if f not in sound:
                try:  # its bytes (read again, and parsed, when it is kept: see _StoreWriter.link)
                    _verified(store, trusted[f]["file"], trusted[f]["checksum"], f"(the record of {f}) ")
                    sound[f] = True
                except StoreDamaged as e:
                    sound[f], damaged[f] = False, e.problem
            return sound[f]

        keep: dict[str, dict] = {}  # path → manifest entry of a record kept as it is

        def unchanged(f: str) -> None:
            keep[f] = trusted[f]
            report.kept.append(f)
            settled(f)

        def keep_or_drop(f: str, reason: str, setting: str | None = None) -> None:
            """``f`` cannot be read now: keep its sound record, else it is lost."""
            # the record keeps the hash of the bytes it was made from, not of
            # the bytes that cannot be read now: the next build tries them again
            raw.pop(f, None)
            if record_of(f):
                keep[f] = trusted[f]
                fail(f, reason, setting)
            elif f in listed:
                report.dropped.append(f)
                fail(
                    f,
                    f"{reason}; dropped from the store (its record there "
                    f"{'is damaged' if f in damaged else 'cannot be verified'})",
                    setting,
                )
            else:
                fail(f, reason, setting)

        raw: dict[str, str | None] = {}  # path → sha256 of the file's bytes, read before it is extracted

        def raw_of(f: str) -> str | None:
            if records is not None:  # the files are not here: their bytes are not known
                return None
            if f not in raw:
                raw[f] = file_sha256(f, max_bytes)
            return raw[f]

        todo = [f for f in files if rebuild or f not in trusted]
        to_hash = []
        for f in files:
            if rebuild or f not in trusted:
                continue
            now, known = raw_of(f), trusted[f].get("file_sha256")
            if known is not None and now == known and record_of(f):
                unchanged(f)  # the same bytes as when its record was made: not read again
            else:
                to_hash.append(f)
        hashed = (
            ((f, index[f].sha256) for f in to_hash)
            if records is not None
            else hash_paths(to_hash, jobs=jobs, **_budget(max_bytes, timeout))
        )
        for f, sha in hashed:
            if isinstance(sha, Failure):
                keep_or_drop(f, sha.reason, sha.setting)
                settled(f)
                continue
            if sha == trusted[f]["sha256"] and record_of(f):
                unchanged(f)
            else:  # changed, or its record is damaged
                todo.append(f)
        for f in others:  # in the store, not found under PATHS now
            if prune and not missing and any(_inside(os.path.abspath(f), r) for r in roots) and _gone(f):
                report.pruned.append(f)
            elif not rebuild and record_of(f):
                keep[f] = trusted[f]  # not named this time: kept
            elif records is not None:  # nothing to extract it from
                keep_or_drop(f, f"its record in the store cannot be trusted and {records} has none")
            elif os.path.lexists(f):
                todo.append(f)  # to be trusted again, it is extracted again
            else:
                keep_or_drop(f, "no such file")
        total = done + len(todo)  # each file is kept, failed or to be extracted now
        if (
            old is not None
            and not todo
            and not report.changed
            and not rebuild
            and _intact(store, old, report, repaired, files if records is None else ())
        ):
            return report
        if not todo and not keep:
            if kind == "store" and (report.dropped or rebuild):
                raise StoreError(f"nothing could be read to rebuild {store} from; it was left as it was")
            if kind != "store":
                return report  # nothing read, nothing to keep: no store is made

        # (the bytes of what is extracted now are hashed by the readers, before
        # they read them: make_for_store; the build hashed them one by one
        # before the readers started, 28 s of 160,000 files)
        writer = _StoreWriter(store, raw, keep, None if records is not None else _budget(max_bytes, timeout))
        made = 0  # records extracted now

        def in_order() -> Iterable[DocumentRecord]:
            """Every record of the new store, in the order of the paths, one at a
            time: each new one written as it is extracted, each kept one read
            back from the old store, so that no more than one is held."""
            nonlocal made
            kept = iter(sorted(keep))
            nxt = next(kept, None)
            made_now = (
                _records_of(records, index, sorted(todo))
                if records is not None
                else read_files(make_for_store, sorted(todo), jobs=jobs, **_budget(max_bytes, timeout))
            )
            for res in made_now:
                f = res.source
                while nxt is not None and nxt < f:
                    yield writer.link(nxt, keep[nxt])
                    nxt = next(kept, None)
                if isinstance(res, Failure):
                    keep_or_drop(f, res.reason, res.setting)
                    if f in keep:  # a sound old record, at its place in the order
                        yield writer.link(f, keep[f])
                    settled(f)
                    continue
                if isinstance(res, Made):
                    writer.put_made(res)
                    res = res.record
                else:  # a record of --records
                    writer.put(f, res.to_dict())
                made += 1
                if f in damaged:
                    repaired(trusted[f]["file"], damaged[f])
                elif f in listed:
                    report.replaced.append(f)
                else:
                    report.added.append(f)
                yield res
                settled(f)  # its record is written and the graph has taken it
            while nxt is not None:
                yield writer.link(nxt, keep[nxt])
                nxt = next(kept, None)

        try:
            G = build_graph(in_order())
            if (
                old is not None
                and not report.changed
                and not rebuild
                and _intact(store, old, report, repaired, files if records is None else ())
            ):
                writer.abort()  # every file to extract failed, and its old record is kept
                return report
            if not made and not keep:
                writer.abort()
                if kind == "store" and (report.dropped or rebuild):
                    raise StoreError(f"nothing could be read to rebuild {store} from; it was left as it was")
                return report
            graph = writer.write_graph(G)
            G.clear()  # the index and the manifest are written without the graph in memory
            del G  # (clear, not del alone: the graph's views hold it in a cycle)
            writer.finish(graph)
        except OSError as e:
            writer.abort()
            raise StoreError(f"cannot write the store {store}: {e.strerror or e}; it was left as it was") from None
        except BaseException:
            writer.abort()
            raise
        report.nodes, report.edges = graph["nodes"], graph["edges"]
        return report


@dataclass
class Made:
    """A source extracted for the store in a reader process, with what the
    store writes of it made there too, so that the building process, which
    takes every record in turn, only writes them: the record (its text let
    go), the bytes of its file, its manifest facts, its search rows as the
    index's call (:func:`~.search.index_call`: pickled here, so that the
    building process hands them on to the index's process as they are,
    without reading them), and the sha256 of the source file's bytes, taken
    before it was read (:func:`file_sha256`)."""

    source: str
    record: DocumentRecord
    data: bytes
    facts: dict
    index_call: bytes
    file_sha256: str | None = None


def record_facts(rec: dict) -> dict:
    """What the manifest says of a record besides its file: its text's hash,
    province, year and status, and how many citations, links and agencies it
    holds."""
    me = rec.get("self") or {}
    return {
        "sha256": rec.get("sha256"),
        "province": me.get("province"),
        "year": me.get("year"),
        "status": me.get("status"),
        "counts": {
            "citations": len(rec.get("citations", [])),
            "links": len(rec.get("links", [])),
            "agencies": len(rec.get("agencies", [])),
        },
    }


def make_for_store(path: str, max_bytes: int | None = None) -> Made | Failure:
    """Extract ``path`` (:func:`~cancu.extractors.pipeline.extract_file`)
    and make its record's bytes and search rows: the task a build's reader
    processes run."""
    from ..extractors.pipeline import extract_file
    from .search import describe_record, index_call, rows_of

    raw = file_sha256(path, max_bytes)  # before the file is read (hashed here, by the reader, not in the build)
    res = extract_file(path, max_bytes, keep_cleaned=True)
    if not isinstance(res, DocumentRecord):
        return res
    rec = res.to_dict()
    rows, whole = rows_of(rec, res.text, res.cleaned)
    res.text = res.cleaned = None
    facts = record_facts(rec)
    call = index_call("add_rows", path, facts["sha256"], describe_record(rec), rows, whole)
    return Made(path, res, _bytes(dumps(rec) + "\n"), facts, call, raw)


def file_sha256(path: str, max_bytes: int | None = None) -> str | None:
    """The sha256 of a regular file's bytes (None for anything else, a file
    over ``max_bytes`` or one that cannot be read). A build stores it beside
    each record, taken before the file is read for its record: a file whose
    bytes hash the same next time is kept without being read through its
    reader again, and one changed meanwhile hashes differently."""
    import stat

    from ..extractors.readers import DEFAULT_MAX_BYTES

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > (DEFAULT_MAX_BYTES if max_bytes is None else max_bytes):
            return None
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class RecordLine:
    """Where one extraction record is in a JSON-lines file: its 1-based
    ``line``, byte ``offset`` and ``length``, and the ``sha256`` of the
    source it was extracted from."""

    line: int
    offset: int
    length: int
    sha256: str | None


def index_records(path: str) -> tuple[dict[str, RecordLine], list[Failure]]:
    """The records of a JSON-lines file (``cancu extract --format jsonl``),
    by their source, read once without keeping them, and a failure for each
    line that is not one (``"FILE, line N: ..."``); a source given twice is
    taken from its first line. Raises :class:`StoreError` when the file
    cannot be read.

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "r.jsonl")
    >>> _ = open(f, "w", encoding="utf-8").write('{"source": "a.txt", "sha256": "ab"}\\nnot json\\n')
    >>> index, bad = index_records(f)
    >>> index["a.txt"].line, [b.reason for b in bad]
    (1, ['line 2 is not JSON'])
    """
    from ..extractors.pipeline import Failure

    out: dict[str, RecordLine] = {}
    bad: list[Failure] = []
    try:
        with open(path, "rb") as fh:
            offset = 0
            for n, raw in enumerate(fh, 1):
                start, offset = offset, offset + len(raw)
                if not raw.strip():
                    continue
                try:
                    d = json.loads(raw)
                except ValueError:
                    bad.append(Failure(path, f"line {n} is not JSON"))
                    continue
                src = d.get("source") if isinstance(d, dict) else None
                if not isinstance(src, str) or not src:
                    bad.append(Failure(path, f"line {n} is not an extraction record (it names no source)"))
                elif src in out:
                    bad.append(Failure(path, f"line {n} gives the record of {src} again; line {out[src].line} is used"))
                else:
                    sha = d.get("sha256")
                    out[src] = RecordLine(n, start, len(raw), sha if isinstance(sha, str) else None)
    except OSError as e:
        raise StoreError(f"cannot read the records {path}: {e.strerror or e}") from None
    return out, bad


#: what every record of ``cancu extract --format jsonl`` has (``DocumentRecord.to_dict``)
RECORD_FIELDS = (
    "source",
    "format",
    "sha256",
    "chars",
    "body",
    "self",
    "citations",
    "named",
    "links",
    "agencies",
    "tasks",
)


def _records_of(path: str, index: dict[str, RecordLine], sources: list[str]) -> Iterable[DocumentRecord | Failure]:
    """The records of ``sources`` from the JSON-lines file ``path``, in that
    order, each read at its offset; a Failure for one that is not a whole
    record."""
    from ..extractors.pipeline import Failure

    with open(path, "rb") as fh:
        for src in sources:
            at = index[src]
            fh.seek(at.offset)
            d = json.loads(fh.read(at.length))
            lacking = [k for k in RECORD_FIELDS if k not in d]
            if not lacking and not _HEX64.fullmatch(str(d["sha256"])):
                lacking = ["a sha256 of 64 hex digits"]
            try:
                rec = None if lacking else DocumentRecord.from_dict(d)
            except (KeyError, TypeError, ValueError, AttributeError) as e:
                lacking = [f"{e}" if isinstance(e, KeyError) else "fields of the right kinds"]
            if lacking:
                rec = Failure(
                    src, f"line {at.line} of {path} is not a whole extraction record (it lacks {', '.join(lacking)})"
                )
            yield rec


def _intact(
    store: Path, old: dict, report: BuildReport, repaired: Callable[[str, str], None], texts: Iterable[str] = ()
) -> bool:
    """Nothing changed: whether the old store may stand as it is, its graph,
    marker and search index checked (a damaged one is reported by
    ``repaired`` and the store must be written again from its records; so
    must an index that lacks the text of one of ``texts``, the files read
    now)."""
    try:
        _verified(store, GRAPH, old["graph"]["checksum"])
    except StoreDamaged as e:
        repaired(GRAPH, e.problem)
    try:
        marker = (store / MARKER).read_bytes()
    except FileNotFoundError:
        marker = None
    if marker != _MARKER_BYTES:
        repaired(MARKER, "is missing" if marker is None else "is damaged")
    problem = index_problem(store, old.get("search"), _shown(store), texts)
    if problem:
        repaired(SEARCH, problem)
    if report.changed:
        return False
    report.nodes, report.edges = old["graph"]["nodes"], old["graph"]["edges"]
    return True


#: whether each record file is synced as it is written: where the system has
#: ``sync`` (POSIX), the build syncs once, before it writes the manifest, instead
#: of once per file (a third of a build's own time on the corpus went to them)
_SYNC_EACH = not hasattr(os, "sync")


def _write_file(path: Path, data: bytes, sync: bool = True) -> None:
    with open(path, "wb") as f:
        f.write(data)
        if sync:
            f.flush()
            os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # pragma: no cover - folders cannot be opened on Windows
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _tmp_of(store: Path) -> Path:
    store = Path(os.path.abspath(store))
    return store.with_name(store.name + f".tmp-{os.getpid()}")


class _StoreWriter:
    """The new store, written beside the old one (``STORE.tmp-PID``) record
    by record as a build makes them (marker first, manifest last, every file
    synced), then swapped in by :meth:`finish`; :meth:`abort` removes it.
    The folder is made at the first record, so a build that writes nothing
    leaves nothing behind. The search index is written alongside
    (:class:`~.search.IndexWriter`): ``kept`` are the manifest entries of the
    records to be kept, ``read`` the readers' budget for the texts of those
    the old index does not hold (None: a build from records, which reads no
    file)."""

    def __init__(
        self,
        store: Path,
        raw: dict[str, str | None] | None = None,
        kept: dict[str, dict] | None = None,
        read: dict | None = None,
    ):
        self.raw = raw or {}
        self.given = Path(store)  # as the user named it, for messages
        self.store = Path(os.path.abspath(store))
        self.tmp = _tmp_of(self.store)
        self.sources: dict[str, dict] = {}
        self.started = False
        self.search = index_writer(self.tmp / SEARCH, self._old_search(), kept, read)

    def _old_search(self) -> Path | None:
        """The old store's index, when its manifest lists it and it matches."""
        try:
            entry = read_manifest(self.store).get("search")
            return verify_search(self.store, entry, _shown(self.given)) if entry is not None else None
        except StoreError:
            return None

    def _start(self) -> None:
        if self.started:
            return
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        _write_file(self.tmp / MARKER, _MARKER_BYTES)
        (self.tmp / "sources").mkdir()
        self.started = True
        self.search.open()

    def _entry(
        self, path: str, facts: dict, name: str, checksum: str, was: dict | None = None, raw: str | None = None
    ) -> None:
        raw = raw or self.raw.get(path) or (was or {}).get("file_sha256")
        self.sources[path] = {"file": name, "checksum": checksum, **facts}
        if raw:
            self.sources[path]["file_sha256"] = raw

    def put(self, path: str, rec: dict, text: str | None = None) -> None:
        """Write the record just made for ``path`` (and index ``text``, the
        text its offsets refer to, when it is known)."""
        self._start()
        name = source_file(path)
        data = _bytes(dumps(rec) + "\n")
        _write_file(self.tmp / name, data, sync=_SYNC_EACH)
        self._entry(path, record_facts(rec), name, _sha(data))
        self.search.add(path, rec, text)

    def put_made(self, made: Made) -> None:
        """Write a record a reader process made, with its search rows."""
        self._start()
        name = source_file(made.source)
        _write_file(self.tmp / name, made.data, sync=_SYNC_EACH)
        self._entry(made.source, made.facts, name, _sha(made.data), raw=made.file_sha256)
        self.search.add_call(made.index_call)

    def link(self, path: str, entry: dict) -> dict:
        """Keep the record of ``path`` (its old manifest ``entry``) as it is: read
        and verified from the old store, hard-linked into the new one (copied
        where the file system allows no link); returns it."""
        rec = _record(self.given, path, entry)
        self._start()
        name = source_file(path)
        try:
            os.link(self.store / name, self.tmp / name)
        except OSError:
            shutil.copyfile(self.store / name, self.tmp / name)
        self._entry(path, record_facts(rec), name, entry["checksum"], entry)
        self.search.add(path, rec, kept=True)
        return rec

    def write_graph(self, G: nx.MultiDiGraph) -> dict:
        """Write the graph; its manifest entry. The graph is not needed
        after it (:meth:`finish` takes the entry): a caller lets it go
        before the index and the manifest are finished."""
        self._start()
        labels: dict[str, int] = {}
        for _, d in G.nodes(data=True):
            for l in d.get("labels", []):
                labels[l] = labels.get(l, 0) + 1
        types: dict[str, int] = {}
        for _, _, t in G.edges(data="type"):
            types[t] = types.get(t, 0) + 1
        return {
            "file": GRAPH,
            "checksum": write_graph(G, self.tmp / GRAPH),
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "labels": labels,
            "types": types,
        }

    def finish(self, graph: dict) -> None:
        """Finish the index, write the manifest (``graph``: the entry
        :meth:`write_graph` gave), then swap the new store in."""
        self._start()
        tmp, store = self.tmp, self.store
        search = self.search.finish()
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "sources": {p: self.sources.pop(p) for p in sorted(self.sources)},
            "graph": graph,
            "search": search,
        }
        if not _SYNC_EACH:  # every file written so far, on disk before the manifest that lists them
            os.sync()
        _fsync_dir(tmp / "sources")
        write_manifest(tmp / MANIFEST, manifest)
        _fsync_dir(tmp)
        old = store.with_name(store.name + f".old-{os.getpid()}")
        if store.exists():
            store.rename(old)
        tmp.rename(store)
        _fsync_dir(store.parent)
        if old.exists():
            shutil.rmtree(old)

    def abort(self) -> None:
        self.search.abort()
        shutil.rmtree(self.tmp, ignore_errors=True)
