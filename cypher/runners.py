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

import logging
import re
import threading
import warnings

from . import dialect
from .errors import AuthFailed, BadUri, CypherError, DatabaseNotFound, EngineMissing, StatementFailed, Unreachable

#: the URI schemes of the Neo4j driver over Bolt (direct, routing; TLS, TLS self-signed)
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
FALKORDB_SCHEME = "falkordblite"
#: seconds the Neo4j driver keeps retrying a transaction that failed with a transient error
#: (deadlock, leader switch) before cancu reports it
MAX_RETRY_TIME = 30.0
COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
)


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


def connect(
    uri: str, user: str | None = None, password: str | None = None, database: str | None = None, timeout: float = 10.0
) -> Runner:
    """A runner for ``uri``, checked: it raises :class:`Unreachable`,
    :class:`AuthFailed`, :class:`DatabaseNotFound`, :class:`BadUri` or
    :class:`EngineMissing` before anything is written.

    >>> connect("http://localhost:7474")
    Traceback (most recent call last):
    cancu.cypher.errors.BadUri: cannot use the URI 'http://localhost:7474': ...
    """
    scheme = uri.split(":", 1)[0].lower() if ":" in uri else ""
    if scheme == FALKORDB_SCHEME:
        path = uri.split(":", 1)[1]
        path = path[2:] if path.startswith("//") else path
        return FalkorRunner(path, graph=database or "cancu")
    if not re.match(r"^[a-z0-9+]+://", uri) or scheme not in NEO4J_SCHEMES:
        raise BadUri(
            f"cannot use the URI {uri!r}: it must start with "
            + ", ".join(f"{s}://" for s in NEO4J_SCHEMES)
            + f" (or {FALKORDB_SCHEME}:PATH)"
        )
    check_uri(uri)
    return Neo4jRunner(uri, user or "neo4j", password or "", database, timeout)


def check_uri(uri: str) -> None:
    """Raise :class:`BadUri` for a Neo4j URI whose host or port cannot be
    read, before the driver sees it.

    >>> check_uri("neo4j://[::1")
    Traceback (most recent call last):
    cancu.cypher.errors.BadUri: cannot use the URI 'neo4j://[::1': the IPv6 address has no closing bracket (as in neo4j://[::1]:7687)
    >>> check_uri("bolt://localhost:99999")
    Traceback (most recent call last):
    cancu.cypher.errors.BadUri: cannot use the URI 'bolt://localhost:99999': the port must be a number from 1 to 65535
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as e:
        raise BadUri(
            f"cannot use the URI {uri!r}: "
            + (
                "the IPv6 address has no closing bracket (as in neo4j://[::1]:7687)"
                if "IPv6" in str(e)
                else "the port must be a number from 1 to 65535"
            )
        ) from None
    if port == 0:
        raise BadUri(f"cannot use the URI {uri!r}: the port must be a number from 1 to 65535")
    if not parts.hostname:
        raise BadUri(f"cannot use the URI {uri!r}: it names no host (as in bolt://localhost:7687)")
    if any(c.isspace() for c in parts.netloc):
        raise BadUri(f"cannot use the URI {uri!r}: the host name holds a space")


# -- Neo4j ----------------------------------------------------------------------


def _quiet_driver() -> None:
    """cancu reports every failure in one line of its own: the driver's log
    records (its retry warnings, "Unable to retrieve routing information")
    and warnings (server notifications) are not printed."""
    log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = False
    from neo4j.warnings import Neo4jWarning, PreviewWarning

    warnings.filterwarnings("ignore", category=Neo4jWarning)
    warnings.filterwarnings("ignore", category=PreviewWarning)


def _causes(e: BaseException):
    """``e``, then what caused it: ``__cause__``, ``__context__`` (unless
    suppressed) and the members of exception groups, each once."""
    seen, todo = set(), [e]
    while todo:
        x = todo.pop(0)
        if x is None or id(x) in seen:
            continue
        seen.add(id(x))
        yield x
        todo += list(getattr(x, "exceptions", ()))
        todo.append(x.__cause__ if x.__cause__ is not None or x.__suppress_context__ else x.__context__)


def _reason(e: BaseException) -> str:
    """The useful part of a driver message: the OS reason when there is one."""
    for x in _causes(e):
        if isinstance(x, OSError) and not isinstance(x, TimeoutError) and x.errno is not None and x.strerror:
            return x.strerror
    text = str(e)
    m = re.search(r"\(reason (?:\[Errno -?\d+\] )?([^)]*)\)", text) or re.search(r"\[Errno -?\d+\] ([^\n]*)", text)
    if m:
        return m.group(1).strip()
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__


def _timed_out(e: BaseException) -> str | None:
    """``"connect"`` when the TCP connection timed out, ``"answer"`` when the
    server accepted it but did not answer in time, else None."""
    chain = list(_causes(e))
    if any("Timed out trying to establish connection" in str(x) for x in chain):
        return "connect"
    if any(isinstance(x, TimeoutError) or type(x).__name__ == "SocketDeadlineExceededError" for x in chain):
        return "answer"
    return None


def neo4j_error(
    e: BaseException, uri: str, user: str | None, database: str | None, timeout: float | None = None
) -> CypherError:
    """The cancu exception for an exception of the Neo4j driver; ``timeout``
    is the connection timeout, for the messages."""
    from neo4j import exceptions as X

    db = database or "the default database"
    within = f" within {timeout:g} s" if timeout else ""
    if isinstance(e, X.AuthError):
        err = AuthFailed(
            f"Neo4j at {uri} refused user {user!r}: wrong user name or password "
            "(user/password, or NEO4J_USERNAME/NEO4J_PASSWORD)"
        )
        err.setting = "user/password"
        return err
    if isinstance(e, X.Neo4jError) and e.code == "Neo.ClientError.Database.DatabaseNotFound":
        err = DatabaseNotFound(
            f"Neo4j at {uri} has no database {database!r}: create it "
            f"(CREATE DATABASE `{database}`) or name another with database "
            "(NEO4J_DATABASE); Community Edition has only 'neo4j'"
        )
        err.setting = "another with database"
        return err
    if isinstance(e, (X.ServiceUnavailable, X.SessionExpired, OSError)):
        how = _timed_out(e)
        if how == "answer":
            err = Unreachable(
                f"Neo4j at {uri} accepted the connection but did not answer{within}: is it a "
                "Neo4j server, and the port its Bolt port (7687)? (uri, or NEO4J_URI)"
            )
            err.setting = "(uri,"
            return err
        reason = f"no connection{within}" if how == "connect" else _reason(e)
        err = Unreachable(
            f"cannot reach Neo4j at {uri}: {reason}; is the server running and the address right? (uri, or NEO4J_URI)"
        )
        err.setting = "(uri,"
        return err
    if isinstance(e, X.ConfigurationError):
        return BadUri(f"cannot use the URI {uri!r}: {_reason(e).rstrip('. ')}")
    if isinstance(e, X.Neo4jError):
        if getattr(e, "classification", None) == "TransientError" or (e.code or "").startswith("Neo.TransientError"):
            return StatementFailed(
                f"{e.code}: {e.message} (still failing after the driver's retries for {MAX_RETRY_TIME:g} s)", e.code
            )
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
        _quiet_driver()
        self.uri, self.user, self.database, self.timeout = uri, user, database, timeout
        self.where = f"{uri} ({database or 'default database'})"
        try:
            # connection_timeout bounds the TCP connect only; the acquisition timeout bounds the
            # Bolt handshake and login too (by default 60 s), so a server that accepts and never
            # answers fails after ``timeout`` seconds
            self.driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout,
                max_transaction_retry_time=MAX_RETRY_TIME,
            )
        except ValueError as e:  # an address the driver cannot parse
            raise BadUri(f"cannot use the URI {uri!r}: {_reason(e)}") from None
        except Exception as e:  # malformed URI, bad TLS settings
            raise neo4j_error(e, uri, user, database, timeout) from None
        try:
            self._check(timeout)
        except CypherError:
            self.close()
            raise
        except ValueError as e:
            self.close()
            raise BadUri(f"cannot use the URI {uri!r}: {_reason(e)}") from None
        except Exception as e:
            self.close()
            raise neo4j_error(e, uri, user, database, timeout) from None

    def _check(self, timeout: float) -> None:
        """Connect, log in and run ``RETURN 1`` on the database, all within
        ``1.5 × timeout`` seconds: the driver bounds the connection and the
        handshake, not the answer to a query, so the check runs in a thread
        and closing the driver ends it if the server falls silent."""
        done, failed = threading.Event(), []

        def work():
            try:
                self.driver.verify_connectivity()
                with self._session() as s:  # the database exists; auto-commit: no retries
                    s.run("RETURN 1 AS ok").consume()
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                failed.append(e)
            finally:
                done.set()

        threading.Thread(target=work, name="cancu-neo4j-check", daemon=True).start()
        if not done.wait(timeout * 1.5):
            err = Unreachable(
                f"Neo4j at {self.uri} accepted the connection but did not answer within "
                f"{timeout * 1.5:g} s: is it a Neo4j server, and the port its Bolt port (7687)? "
                "(uri, or NEO4J_URI)"
            )
            err.setting = "(uri,"
            raise err
        if failed:
            raise failed[0]

    def _error(self, e):
        return neo4j_error(e, self.uri, self.user, self.database, self.timeout)

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
            raise EngineMissing("falkordblite is not installed: pip install falkordblite (Python 3.12 or later)") from e
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
