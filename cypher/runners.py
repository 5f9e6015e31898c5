"""Runners (bộ chạy): the one interface the loader and the queries use to talk
to a Cypher engine, so that the same statement text runs on Neo4j (official
driver, Bolt) and on embedded FalkorDB (``falkordblite``, no Bolt).

A runner has ``schema(statement)`` (one statement of ``schema.cypher``),
``write(statement, params)`` (one managed write transaction; returns the
counters), ``read(statement, params)`` (rows as dicts) and ``close()``.
:func:`connect` picks the runner from the URI: ``bolt://``, ``neo4j://``,
``neo4j+s://`` ... for Neo4j, ``falkordblite:PATH`` for an embedded FalkorDB
file. Driver errors become the exceptions of :mod:`cypher.errors`
(:func:`neo4j_error`).
"""
from __future__ import annotations

import re

from . import dialect
from .errors import (AuthFailed, BadUri, CypherError, DatabaseNotFound, EngineMissing, StatementFailed,
                     Unreachable)

#: the URI schemes of the Neo4j driver over Bolt (direct, routing; TLS, TLS self-signed)
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
FALKORDB_SCHEME = "falkordblite"
COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
            "properties_set", "labels_added")


class Runner:
    """The interface; see the module's documentation."""

    engine = "?"
    where = "?"

    def schema(self, statement: str) -> None:
        raise NotImplementedError

    def write(self, statement: str, params: dict) -> dict:
        raise NotImplementedError

    def read(self, statement: str, params: dict | None = None) -> list[dict]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(uri: str, user: str | None = None, password: str | None = None, database: str | None = None,
            timeout: float = 10.0) -> Runner:
    """A runner for ``uri``, checked: it raises :class:`Unreachable`,
    :class:`AuthFailed`, :class:`DatabaseNotFound`, :class:`BadUri` or
    :class:`EngineMissing` before anything is written.

    >>> connect("http://localhost:7474")
    Traceback (most recent call last):
    cypher.errors.BadUri: cannot use the URI 'http://localhost:7474': ...
    """
    scheme = uri.split(":", 1)[0].lower() if ":" in uri else ""
    if scheme == FALKORDB_SCHEME:
        path = uri.split(":", 1)[1]
        path = path[2:] if path.startswith("//") else path
        return FalkorRunner(path, graph=database or "cancu")
    if not re.match(r"^[a-z0-9+]+://", uri) or scheme not in NEO4J_SCHEMES:
        raise BadUri(f"cannot use the URI {uri!r}: it must start with "
                     + ", ".join(f"{s}://" for s in NEO4J_SCHEMES) + f" (or {FALKORDB_SCHEME}:PATH)")
    return Neo4jRunner(uri, user or "neo4j", password or "", database, timeout)


# -- Neo4j ----------------------------------------------------------------------

def _reason(e: BaseException) -> str:
    """The useful part of a driver message: the OS reason when there is one."""
    text = str(e)
    m = re.search(r"\(reason (?:\[Errno -?\d+\] )?([^)]*)\)", text) or re.search(r"\[Errno -?\d+\] ([^\n]*)", text)
    if m:
        return m.group(1).strip()
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__


def neo4j_error(e: BaseException, uri: str, user: str | None, database: str | None) -> CypherError:
    """The cancu exception for an exception of the Neo4j driver."""
    from neo4j import exceptions as X

    db = database or "the default database"
    if isinstance(e, X.AuthError):
        return AuthFailed(f"Neo4j at {uri} refused user {user!r}: wrong user name or password "
                          "(--user/--password, or NEO4J_USERNAME/NEO4J_PASSWORD)")
    if isinstance(e, X.Neo4jError) and e.code == "Neo.ClientError.Database.DatabaseNotFound":
        return DatabaseNotFound(f"Neo4j at {uri} has no database {database!r}: create it "
                                f"(CREATE DATABASE `{database}`) or name another with --database "
                                "(NEO4J_DATABASE); Community Edition has only 'neo4j'")
    if isinstance(e, (X.ServiceUnavailable, X.SessionExpired, OSError)):
        return Unreachable(f"cannot reach Neo4j at {uri}: {_reason(e)}; is the server running and the "
                           "address right? (--uri, or NEO4J_URI)")
    if isinstance(e, X.ConfigurationError):
        return BadUri(f"cannot use the URI {uri!r}: {_reason(e)}")
    if isinstance(e, X.Neo4jError):
        return StatementFailed(f"{e.code}: {e.message}", e.code)
    return StatementFailed(f"{type(e).__name__}: {_reason(e)} (on {db})")


class Neo4jRunner(Runner):
    """The official driver, managed transactions (the driver retries
    transient errors: deadlocks, leader switches)."""

    engine = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None, timeout: float = 10.0):
        try:
            import neo4j
        except ImportError as e:  # pragma: no cover - a dependency of cancu
            raise EngineMissing("the neo4j driver is not installed: pip install neo4j") from e
        self.uri, self.user, self.database = uri, user, database
        self.where = f"{uri} ({database or 'default database'})"
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), connection_timeout=timeout,
                                                     max_transaction_retry_time=30.0)
        except Exception as e:  # malformed URI, bad TLS settings
            raise neo4j_error(e, uri, user, database) from None
        try:
            self.driver.verify_connectivity()
            self.read("RETURN 1 AS ok")
        except CypherError:
            self.close()
            raise
        except Exception as e:
            self.close()
            raise neo4j_error(e, uri, user, database) from None

    def _error(self, e):
        return neo4j_error(e, self.uri, self.user, self.database)

    def _session(self):
        return self.driver.session(database=self.database) if self.database else self.driver.session()

    def schema(self, statement: str) -> None:
        self.write(statement, {})

    def write(self, statement: str, params: dict) -> dict:
        def work(tx):
            c = tx.run(statement, params).consume().counters
            return {k: getattr(c, k) for k in COUNTERS}
        try:
            with self._session() as s:
                return s.execute_write(work)
        except Exception as e:
            raise self._error(e) from None

    def read(self, statement: str, params: dict | None = None) -> list[dict]:
        def work(tx):
            res = tx.run(statement, params or {})
            return [{k: _plain(v) for k, v in zip(r.keys(), r.values())} for r in res]
        try:
            with self._session() as s:
                return s.execute_read(work)
        except Exception as e:
            raise self._error(e) from None

    def close(self) -> None:
        d = getattr(self, "driver", None)
        if d is not None:
            d.close()
            self.driver = None


def _plain(v):
    """Driver values as plain data: a node as its properties, a relationship
    as its properties and ``type``, a path as ``{"nodes": [ids], "types": [...]}``
    (the same for both engines)."""
    kind = type(v).__name__
    if kind == "Path":
        nodes = v.nodes() if callable(v.nodes) else v.nodes
        rels = v.edges() if hasattr(v, "edges") and callable(v.edges) else v.relationships
        return {"nodes": [_props(n).get("id") for n in nodes], "types": [_rtype(r) for r in rels]}
    if kind == "Node":
        return _props(v)
    if kind in ("Relationship", "Edge") or (hasattr(v, "type") and hasattr(v, "start_node")):
        return {**_props(v), "type": _rtype(v)}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _props(x) -> dict:
    p = getattr(x, "properties", None)
    return dict(p) if isinstance(p, dict) else dict(x.items())


def _rtype(r) -> str:
    t = getattr(r, "relation", None) or getattr(r, "type", None)
    return t if isinstance(t, str) else type(r).__name__


# -- FalkorDB (embedded) --------------------------------------------------------------

class FalkorRunner(Runner):
    """An embedded FalkorDB (``falkordblite``: it starts its own server in a
    subprocess) on the file ``path``, graph ``graph``. Each statement is one
    atomic query."""

    engine = "falkordb"

    def __init__(self, path: str | None = None, graph: str = "cancu"):
        try:
            from redislite.falkordb_client import FalkorDB
        except ImportError as e:
            raise EngineMissing("falkordblite is not installed: pip install falkordblite "
                                "(Python 3.12 or later)") from e
        self.where = f"{FALKORDB_SCHEME}:{path or '(temporary)'} (graph {graph})"
        try:
            self.db = FalkorDB(path) if path else FalkorDB()
            self.graph = self.db.select_graph(graph)
        except Exception as e:
            raise Unreachable(f"cannot start the embedded FalkorDB on {path}: {_reason(e)}") from None

    def schema(self, statement: str) -> None:
        for kind, what in dialect.falkordb_schema(statement):
            try:
                if kind == "index":
                    self.graph.query(what)
                else:
                    self.graph.create_node_unique_constraint(*what)
            except Exception as e:
                msg = str(e).lower()
                if "already indexed" in msg or "already exists" in msg or "constraint already" in msg:
                    continue
                raise StatementFailed(f"FalkorDB: {e}") from None

    def write(self, statement: str, params: dict) -> dict:
        try:
            r = self.graph.query(statement, params)
        except Exception as e:
            raise _falkor_error(e, self.where) from None
        return {k: int(getattr(r, k, 0) or 0) for k in COUNTERS}

    def read(self, statement: str, params: dict | None = None) -> list[dict]:
        try:
            r = self.graph.ro_query(statement, params or {})
        except Exception as e:
            raise _falkor_error(e, self.where) from None
        cols = [h[1] if isinstance(h, (list, tuple)) else h for h in r.header]
        cols = [c.decode() if isinstance(c, bytes) else c for c in cols]
        return [{c: _plain(v) for c, v in zip(cols, row)} for row in r.result_set]

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            try:
                db.close()
            finally:
                self.db = None


def _falkor_error(e: BaseException, where: str) -> CypherError:
    if isinstance(e, (ConnectionError, OSError)) or type(e).__name__ in ("ConnectionError", "TimeoutError"):
        return Unreachable(f"lost the embedded FalkorDB at {where}: {_reason(e)}")
    return StatementFailed(f"FalkorDB: {e}")
