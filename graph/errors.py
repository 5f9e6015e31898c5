"""Exceptions of the graph library (lỗi). ``cli.py`` turns them into one-line
messages and exit codes; nothing in ``graph/`` prints.

>>> e = AmbiguousTarget("47/NQ-CP", ["doc:47/nq-cp@2023", "doc:47/nq-cp@2024"])
>>> isinstance(e, GraphError), e.candidates
(True, ['doc:47/nq-cp@2023', 'doc:47/nq-cp@2024'])
"""

from __future__ import annotations

from ..extractors.errors import CancuError


class GraphError(CancuError):
    """Base class of the errors of the graph, the store and the queries."""


#: the words of the store's messages for the calls that fix them (``setting``)
BUILD = "build(paths, store)"
REBUILD = "build(rebuild=True)"
REBUILD_PATHS = "build(paths, rebuild=True)"
#: ... and for the store folder to choose
OTHER_STORE = "another store"
FOR_STORE = "for the store"


class StoreError(GraphError):
    """A store folder that is missing, unreadable or of an unknown format;
    ``store`` names it when the message tells what to do with it, in the
    words ``setting`` (:data:`BUILD`, :data:`REBUILD` ...).

    >>> e = StoreError("no store at s (run build(paths, store) first)", store="s", setting=BUILD)
    >>> e.store, e.setting
    ('s', 'build(paths, store)')
    """

    def __init__(self, message: str, *, store: str | None = None, setting: str | None = None):
        super().__init__(message)
        self.store = store
        self.setting = setting


class StoreRefused(StoreError):
    """A folder a build must not write into: not empty and not a store, or
    holding the inputs being built, or holding the current folder. Nothing
    was written; ``setting`` is the message's words for the store to choose
    instead (:data:`OTHER_STORE`, :data:`FOR_STORE`)."""

    def __init__(self, store: str, message: str, setting: str | None = None):
        super().__init__(message, store=store, setting=setting)


class StoreLocked(StoreError):
    """Another build holds the store's lock (``STORE.lock``); ``pid`` is the
    holder's process id when the lock file names one."""

    def __init__(self, store: str, lock: str, pid: int | None):
        who = f"pid {pid}" if pid else "another process"
        super().__init__(
            f"the store {store} is being written by another cancu build ({who}, lock file {lock}); "
            "try again when it has finished",
            store=store,
        )
        self.lock, self.pid = lock, pid


class StoreDamaged(StoreError):
    """A store file that is missing or does not match the manifest (its
    checksum, its shape): ``file`` names it, ``problem`` says what is wrong,
    and the message tells how to rebuild (``setting``: :data:`REBUILD`, or
    :data:`REBUILD_PATHS` when the paths must be named again,
    ``paths_needed``).

    >>> print(StoreDamaged(".cancu", "graph.json", "is missing"))
    the store .cancu is damaged: .cancu/graph.json is missing; rebuild it with build(rebuild=True)
    """

    def __init__(self, store: str, file: str, problem: str, paths_needed: bool = False):
        where = f"{store.rstrip('/')}/{file}"
        fix = REBUILD_PATHS if paths_needed else REBUILD
        super().__init__(
            f"the store {store} is damaged: {where} {problem}; rebuild it with {fix}", store=store, setting=fix
        )
        self.file, self.problem, self.paths_needed = file, problem, paths_needed


class StoreVersion(StoreError):
    """A store written by another version of the store format."""

    def __init__(self, store: str, version, reads: int):
        newer = isinstance(version, int) and version > reads
        hint = "upgrade cancu, or rebuild it" if newer else "rebuild it"
        super().__init__(
            f"{store} is a cancu store of version {version}; this cancu reads version {reads}: {hint} with {REBUILD}",
            store=store,
            setting=REBUILD,
        )
        self.version = version


class TargetError(GraphError):
    """A target (a document, plan or agency named by a person) that does not
    name exactly one node; ``candidates`` are the closest node ids."""

    def __init__(self, target: str, candidates: list[str], message: str):
        super().__init__(message)
        self.target = target
        self.candidates = list(candidates)


class TargetNotFound(TargetError):
    """Nothing in the graph matches the target."""

    def __init__(self, target: str, candidates: list[str] = (), what: str = "document"):
        super().__init__(target, list(candidates), f"no {what} matches {target!r}")
        self.what = what


class AmbiguousTarget(TargetError):
    """Several nodes match the target."""

    def __init__(self, target: str, candidates: list[str]):
        super().__init__(target, candidates, f"{target!r} is ambiguous: {len(candidates)} matches")
