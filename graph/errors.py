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
