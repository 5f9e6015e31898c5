"""Exceptions of loading into Neo4j (or FalkorDB) and of the statement
catalogue. ``cli.py`` turns them into one-line messages and exit codes;
nothing in ``cypher/`` prints.

>>> e = BatchFailed("load/rel-IMPLEMENTS", 3, 5, 12, 40, "boom")
>>> str(e), e.done, e.total
('batch 3 of 5 of load/rel-IMPLEMENTS failed: boom', 12, 40)
"""

from __future__ import annotations

from ..graph.errors import GraphError


class CypherError(GraphError):
    """Base class of the errors of ``cypher/``."""


class UnknownStatement(CypherError):
    """No statement file has this name; ``names`` are those there are."""

    def __init__(self, name: str, names: list[str]):
        super().__init__(f"no Cypher file named {name!r}")
        self.name, self.names = name, list(names)


class ConnectionProblem(CypherError):
    """The database cannot be used at all: nothing was written."""


class Unreachable(ConnectionProblem):
    """No server answers at the URI."""


class AuthFailed(ConnectionProblem):
    """The server refused the user name or password."""


class DatabaseNotFound(ConnectionProblem):
    """The server has no database of that name."""


class BadUri(ConnectionProblem):
    """A URI the driver cannot use (unknown scheme, malformed)."""


class EngineMissing(ConnectionProblem):
    """The engine's Python package is not installed."""


class StatementFailed(CypherError):
    """The engine rejected or failed one statement."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


class LoadFailed(CypherError):
    """Loading stopped part way: ``done`` batches of ``total`` are written.
    Loading is idempotent, so running it again completes it."""

    def __init__(self, message: str, done: int, total: int):
        super().__init__(message)
        self.done, self.total = done, total


class BatchFailed(LoadFailed):
    """One batch failed (after the driver's retries)."""

    def __init__(self, statement: str, number: int, of: int, done: int, total: int, reason: str):
        super().__init__(f"batch {number} of {of} of {statement} failed: {reason}", done, total)
        self.statement, self.number, self.of, self.reason = statement, number, of, reason


class SchemaProblem(CypherError):
    """The graph has a label or type no load statement is written for."""


class ExportFailed(CypherError):
    """An export that cannot be written faithfully (a value no format can
    hold, two node ids that become one); nothing was written."""
