"""Against a live Neo4j server (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
NEO4J_DATABASE): load, counts, idempotence, saved queries = cancu query.
Skipped when NEO4J_URI is unset; CI deselects them (-m "not neo4j"). They
delete the cancu graph (Document, Agency, Province, Task nodes) of that
database; other data is kept. See docs/neo4j.md for starting a server."""

from __future__ import annotations

import os

import pytest

from cancu.cypher import header, load, query_body
from cancu.graph import query as Q

from .cypher_support import sample_graph

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def G():
    return sample_graph()


@pytest.fixture(scope="module")
def runner():
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no live Neo4j server")
    from cancu.cypher.runners import connect

    r = connect(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USERNAME", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        os.environ.get("NEO4J_DATABASE") or None,
    )
    yield r
    r.close()


@pytest.fixture(scope="module")
def loaded(G, runner):
    from cancu.cypher.loader import load_graph

    return load_graph(G, runner, batch_size=100, wipe_first=True)


def test_load_counts_and_twice(G, runner, loaded):
    from cancu.cypher.loader import database_counts, expected_counts, load_graph

    assert loaded.totals["nodes_created"] == G.number_of_nodes()
    assert loaded.totals["relationships_created"] == G.number_of_edges()
    assert database_counts(runner) == expected_counts(G)
    again = load_graph(G, runner, batch_size=33)
    assert again.totals["nodes_created"] == 0 and again.totals["relationships_created"] == 0
    assert database_counts(runner) == expected_counts(G)


def test_constraints_exist(runner, loaded):
    names = {r["name"] for r in runner.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"document_id", "agency_id", "province_id", "task_id"} <= names


def _run(runner, name, **params):
    text = load(f"queries/{name}")
    return runner.read(query_body(text), {**header(text)["params"], **params})


def test_saved_queries_equal_cancu_query(G, runner, loaded):
    got = _run(runner, "implements", target="57-KL/TW")
    assert [(r["id"], r["hops"]) for r in got] == [(r["id"], r["hops"]) for r in Q.implements(G, "57-KL/TW")]
    got = _run(runner, "cited-by", target="72/2015/NĐ-CP")
    assert [(r["id"], r["type"], r["occurrences"]) for r in got] == [
        (r["id"], r["type"], r["occurrences"]) for r in Q.cited_by(G, "72/2015/NĐ-CP")
    ]
    for province, as_of in (("Lào Cai", "2026-01-01"), ("Lào Cai", "2025-06-30"), ("Huế", "2026-01-01")):
        got = _run(runner, "implements-as-of", target="72/2015/NĐ-CP", province=province, as_of=as_of)
        want = Q.implements(G, "72/2015/NĐ-CP", province=province, as_of=as_of)
        assert [(r["id"], r["hops"]) for r in got] == [(r["id"], r["hops"]) for r in want]
    got = _run(runner, "agency-as-of", agency="Sở Khoa học và Công nghệ", province="Lào Cai", as_of="2026-01-01")
    want = Q.agency_tasks(G, "Sở Khoa học và Công nghệ", province="Lào Cai", as_of="2026-01-01")
    assert len(got) == len(want) == 30
    got = _run(runner, "basis", plan="Phú Thọ 2025")
    assert [r["id"] for r in got] == [r["id"] for r in Q.basis(G, "Phú Thọ 2025")]
    got = _run(runner, "chain", source="Phú Thọ 2025", target="57-KL/TW")
    assert [r["ids"] for r in got] == [r["path_ids"] for r in Q.chain(G, "Phú Thọ 2025", "57-KL/TW")]
    got = _run(runner, "matrix", top=8, year=None)
    want = {(r["id"], d): sorted(t) for r in Q.matrix(G, top=8) for d, t in r["cells"].items()}
    assert {(r["id"], r["document"]): sorted(r["types"]) for r in got} == want
    for name, params, mine in (
        ("diagram", {"target": "22/2016/TT-BTTTT"}, lambda: Q.diagram(G, "22/2016/TT-BTTTT")),
        ("in-force", {"target": "31/2020/QĐ-UBND"}, lambda: Q.in_force(G, "31/2020/QĐ-UBND")),
        (
            "evidence",
            {"source": "Yên Bái 2024", "target": "57-KL/TW"},
            lambda: Q.evidence(G, "Yên Bái 2024", "57-KL/TW"),
        ),
    ):
        got = _run(runner, name, **params)
        want = mine()
        assert want and [(r["type"], r.get("context")) for r in got] == [(r["type"], r.get("context")) for r in want]


def test_wrong_password_is_one_clear_error():
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no live Neo4j server")
    from cancu.cypher.errors import AuthFailed
    from cancu.cypher.runners import connect

    with pytest.raises(AuthFailed, match="wrong user name or password"):
        connect(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"), "surely-not-the-password")


def test_missing_database_is_one_clear_error():
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no live Neo4j server")
    from cancu.cypher.errors import DatabaseNotFound
    from cancu.cypher.runners import connect

    with pytest.raises(DatabaseNotFound, match="has no database 'cancu-no-such-db'"):
        connect(
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USERNAME", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            "cancu-no-such-db",
        )


def test_every_question_asked_of_neo4j_gives_the_embedded_answer(G, runner, loaded):
    """`cancu query … --neo4j`: the cases of tests/test_remote.py, on a live server."""
    from cancu.cypher import remote

    from .test_remote import CASES

    for question, args, kwargs in CASES:
        assert remote.ask(runner, question, *args, **kwargs) == getattr(Q, question)(G, *args, **kwargs), question
