"""Exceptions of the graph library (lỗi). ``cli.py`` turns them into one-line
messages and exit codes; nothing in ``graph/`` prints.

>>> e = AmbiguousTarget("47/NQ-CP", ["doc:47/nq-cp@2023", "doc:47/nq-cp@2024"])
>>> isinstance(e, GraphError), e.candidates
(True, ['doc:47/nq-cp@2023', 'doc:47/nq-cp@2024'])
"""
from __future__ import annotations

from extractors.errors import CancuError


class GraphError(CancuError):
    """Base class of the errors of the graph, the store and the queries."""


class StoreError(GraphError):
    """A store folder that is missing, unreadable or of an unknown format."""


class StoreRefused(StoreError):
    """A folder a build must not write into: not empty and not a store, or
    holding the inputs being built, or holding the current folder. Nothing
    was written."""

    def __init__(self, store: str, message: str):
        super().__init__(message)
        self.store = store


class StoreLocked(StoreError):
    """Another build holds the store's lock (``STORE.lock``); ``pid`` is the
    holder's process id when the lock file names one."""

    def __init__(self, store: str, lock: str, pid: int | None):
        who = f"pid {pid}" if pid else "another process"
        super().__init__(f"the store {store} is being written by another cancu build ({who}, lock file {lock}); "
                         "try again when it has finished")
        self.store, self.lock, self.pid = store, lock, pid


class StoreDamaged(StoreError):
    """A store file that is missing or does not match the manifest (its
    checksum, its shape): ``file`` names it, ``problem`` says what is wrong,
    and the message tells how to rebuild.

    >>> print(StoreDamaged(".cancu", "graph.json", "is missing"))
    the store .cancu is damaged: .cancu/graph.json is missing; rebuild it with `cancu build --rebuild --store .cancu`
    """

    def __init__(self, store: str, file: str, problem: str, paths_needed: bool = False):
        where = f"{store.rstrip('/')}/{file}"
        fix = f"cancu build{' PATH...' if paths_needed else ''} --rebuild --store {store}"
        super().__init__(f"the store {store} is damaged: {where} {problem}; rebuild it with `{fix}`")
        self.store, self.file, self.problem = store, file, problem


class StoreVersion(StoreError):
    """A store written by another version of the store format."""

    def __init__(self, store: str, version, reads: int):
        newer = isinstance(version, int) and version > reads
        hint = "upgrade cancu, or rebuild it" if newer else "rebuild it"
        super().__init__(f"{store} is a cancu store of version {version}; this cancu reads version {reads}: "
                         f"{hint} with `cancu build --rebuild --store {store}`")
        self.store, self.version = store, version


class TargetError(GraphError):
    """A target (a document, plan or agency named by a person) that does not
    name exactly one node; ``candidates`` are the closest node ids."""

    def __init__(self, target: str, candidates: list[str], message: str):
        super().__init__(message)
        self.target = target
        self.candidates = list(candidates)


class TargetNotFound(TargetError):
    """Nothing in the graph matches the target."""

    def __init__(self, target: str, candidates: list[str] = ()):
        super().__init__(target, list(candidates), f"no document matches {target!r}")


class AmbiguousTarget(TargetError):
    """Several nodes match the target."""

    def __init__(self, target: str, candidates: list[str]):
        super().__init__(target, candidates, f"{target!r} is ambiguous: {len(candidates)} matches")
