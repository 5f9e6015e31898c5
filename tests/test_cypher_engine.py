"""The load statements and the saved queries on a real openCypher engine:
embedded FalkorDB (falkordblite). Counts per label and type equal the networkx
graph's, loading twice changes nothing, and every saved query gives the
answers of cancu query."""

from __future__ import annotations

import pytest

from cancu.cypher import header, load, names, query_body
from cancu.cypher.loader import database_counts, expected_counts, load_graph, plan
from cancu.graph import query as Q

from .conftest import require
from .cypher_support import falkor_runner, sample_graph


@pytest.fixture(scope="module")
def G():
    return sample_graph()


@pytest.fixture(scope="module")
def db(G, tmp_path_factory):
    runner = falkor_runner(tmp_path_factory.mktemp("falkor") / "cancu.db")
    first = load_graph(G, runner, batch_size=50)
    yield runner, first
    runner.close()


def run(db, name, **params):
    runner, _ = db
    text = load(f"queries/{name}")
    return runner.read(query_body(text), {**header(text)["params"], **params})


def test_counts_per_label_and_type_equal_the_graph(G, db):
    runner, first = db
    assert database_counts(runner) == expected_counts(G)
    assert first.totals["nodes_created"] == G.number_of_nodes()
    assert first.totals["relationships_created"] == G.number_of_edges()
    assert first.batches == len(plan(G, 50)) and first.rows == sum(len(b.rows) for b in plan(G, 50))


def test_loading_twice_creates_nothing(G, db):
    runner, _ = db
    before = runner.read("MATCH (n) RETURN n.id AS id, properties(n) AS p ORDER BY id")
    again = load_graph(G, runner, batch_size=7)
    assert again.totals["nodes_created"] == 0 and again.totals["relationships_created"] == 0
    assert again.totals["labels_added"] == 0
    assert database_counts(runner) == expected_counts(G)
    assert runner.read("MATCH (n) RETURN n.id AS id, properties(n) AS p ORDER BY id") == before


def test_properties_arrive_unchanged(G, db):
    runner, _ = db
    from cancu.graph.rows import to_rows

    rows = {r["id"]: r for name, rs in to_rows(G).items() if name.startswith(":") for r in rs}
    got = {r["id"]: r["p"] for r in runner.read("MATCH (n) RETURN n.id AS id, properties(n) AS p")}
    assert got == rows
    rels = {
        (r["from"], r["to"], r["key"]): {k: v for k, v in r.items() if k not in ("from", "to")}
        for name, rs in to_rows(G).items()
        if not name.startswith(":")
        for r in rs
    }
    got = {
        (r["a"], r["b"], r["p"]["key"]): r["p"]
        for r in runner.read("MATCH (a)-[r]->(b) RETURN a.id AS a, b.id AS b, properties(r) AS p")
    }
    assert got == rels


def test_every_saved_query_runs_with_its_example_parameters(db):
    for name in names():
        if name.startswith("queries/"):
            assert run(db, name.split("/")[1]), name


@pytest.mark.parametrize("target", ["57-KL/TW", "72/2015/NĐ-CP", "22/2016/TT-BTTTT", "47/NQ-CP"])
def test_implements_equals_cancu_query(G, db, target):
    want = Q.implements(G, target)
    got = run(db, "implements", target=target)
    assert [(r["id"], r["hops"]) for r in got] == [(r["id"], r["hops"]) for r in want]
    for g, w in zip(got, want):
        assert g["chain"][0] == w["path"][0] and g["chain"][-1] == w["path"][-1]
        assert g["path"]["nodes"][0] == g["id"] and set(g["path"]["types"]) == {"IMPLEMENTS"}
    if target == "57-KL/TW":
        assert len(got) >= 2 and all(r["evidence"] for r in got)


@pytest.mark.parametrize(
    "target,province,as_of,plans",
    [
        # the Yên Bái 2024 plan is a Lào Cai plan from 1 July 2025 (202/2025/QH15), not before
        ("57-KL/TW", "Lào Cai", "2026-01-01", ["Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …"]),
        (
            "72/2015/NĐ-CP",
            "Lào Cai",
            "2026-01-01",
            [
                "Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …",
                "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …",
            ],
        ),
        ("72/2015/NĐ-CP", "Lào Cai", "2025-06-30", ["Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …"]),
        ("57-KL/TW", "Yên Bái", "2024-12-31", ["Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …"]),
        ("57-KL/TW", "Yên Bái", "2026-01-01", []),
        ("57-KL/TW", "Phú Thọ", "2026-01-01", ["Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …"]),
        # Thừa Thiên Huế renamed Huế on 1 January 2025 (175/2024/QH15)
        (
            "57-KL/TW",
            "Huế",
            "2026-01-01",
            ["Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …"],
        ),
        (
            "57-KL/TW",
            "Thừa Thiên Huế",
            "2024-06-01",
            ["Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …"],
        ),
    ],
)
def test_implements_as_of_equals_cancu_query(G, db, target, province, as_of, plans):
    want = Q.implements(G, target, province=province, as_of=as_of)
    got = run(db, "implements-as-of", target=target, province=province, as_of=as_of)
    assert [r["plan"] for r in got] == [r["name"] for r in want] == plans
    assert [(r["id"], r["hops"], r["province"]) for r in got] == [(r["id"], r["hops"], r["province"]) for r in want]
    for g, w in zip(got, want):
        # the step of the lineage, where the plan's province was merged or renamed
        assert (g["lineage"] is not None) == (w["province_note"] is not None)


@pytest.mark.parametrize("target", ["57-KL/TW", "72/2015/NĐ-CP", "22/2016/TT-BTTTT", "47/NQ-CP"])
def test_cited_by_equals_cancu_query(G, db, target):
    want = Q.cited_by(G, target)
    got = run(db, "cited-by", target=target)
    keys = ("id", "name", "type", "province", "occurrences", "date", "section", "context", "link", "stated_in")
    assert [{k: r[k] for k in keys} for r in got] == [{k: r[k] for k in keys} for r in want]


@pytest.mark.parametrize("plan_name", ["Phú Thọ 2025", "Yên Bái 2024", "Cao Bằng 2023", "lao-cai-2022-ttdn.txt"])
def test_basis_equals_cancu_query(G, db, plan_name):
    want = Q.basis(G, plan_name)
    got = run(db, "basis", plan=plan_name)
    keys = ("id", "key", "name", "date", "issuer", "section", "context")
    assert want and [{k: r[k] for k in keys} for r in got] == [{k: r[k] for k in keys} for r in want]


@pytest.mark.parametrize(
    "source,target", [("Phú Thọ 2025", "57-KL/TW"), ("Yên Bái 2024", "57-KL/TW"), ("Cao Bằng 2023", "72/2015/NĐ-CP")]
)
def test_chain_equals_cancu_query(G, db, source, target):
    want = Q.chain(G, source, target)
    got = run(db, "chain", source=source, target=target)
    assert want and [r["ids"] for r in got] == [r["path_ids"] for r in want]
    assert [r["chain"] for r in got] == [r["path"] for r in want]


@pytest.mark.parametrize("agency", ["Sở Thông tin và Truyền thông", "Công an tỉnh"])
def test_agency_equals_cancu_query(G, db, agency):
    want = Q.agency_tasks(G, agency, as_written=True)
    got = run(db, "agency", agency=agency)
    assert want
    assert sorted((r["plan_id"], r["task"], r["role"], r["agency_id"], r["start"]) for r in got) == sorted(
        (r["plan"], r["task"], r["role"], r["agency"], r["start"]) for r in want
    )


@pytest.mark.parametrize(
    "agency,province,as_of,n",
    [
        # Sở Thông tin và Truyền thông of Lào Cai (2022) and of Yên Bái (2024)
        ("Sở Khoa học và Công nghệ", "Lào Cai", "2026-01-01", 30),
        ("Sở Khoa học và Công nghệ", "Lào Cai", "2025-03-01", 22),
        ("Sở Khoa học và Công nghệ", "Lào Cai", "2025-02-28", 0),
        ("Sở Khoa học và Công nghệ", "Yên Bái", "2026-01-01", 0),
        # the 79 rows of Sở Thông tin và Truyền thông as written (no plan names Sở Khoa học và Công nghệ)
        ("Sở Khoa học và Công nghệ", None, "2026-01-01", 79),
        # Sở Kế hoạch và Đầu tư's 9 rows as written and Sở Tài chính's 2
        ("Sở Tài chính", None, "2026-01-01", 11),
        ("Sở Thông tin và Truyền thông", "Lào Cai", "2026-01-01", 30),
        ("Ủy ban nhân dân thành phố", "Huế", "2026-01-01", 0),
        # Công an tỉnh of the Thừa Thiên Huế draft (2024)
        ("Công an thành phố", "Huế", "2026-01-01", 4),
    ],
)
def test_agency_as_of_equals_cancu_query(G, db, agency, province, as_of, n):
    want = Q.agency_tasks(G, agency, province=province, as_of=as_of)
    got = run(db, "agency-as-of", agency=agency, province=province, as_of=as_of)
    assert sorted((r["plan_id"], r["task"], r["role"], r["agency_id"], r["start"]) for r in got) == sorted(
        (r["plan"], r["task"], r["role"], r["agency"], r["start"]) for r in want
    )
    assert len(want) == n


@pytest.mark.parametrize("plan_name", ["Cao Bằng 2023", "Phú Thọ 2025"])
def test_agencies_equals_cancu_query(G, db, plan_name):
    want = Q.plan_agencies(G, plan_name)
    got = run(db, "agencies", plan=plan_name)
    assert want and sorted((r["start"], r["task"], r["role"], r["agency_id"]) for r in got) == sorted(
        (r["start"], r["task"], r["role"], r["agency"]) for r in want
    )
    assert [r["start"] for r in got] == [r["start"] for r in want]


@pytest.mark.parametrize("top,year", [(8, None), (3, 2024), (12, None)])
def test_matrix_equals_cancu_query(G, db, top, year):
    want = Q.matrix(G, top=top, year=year, as_of="2026-01-01")
    got = run(db, "matrix", top=top, year=year, as_of="2026-01-01")
    cells = {(r["id"], doc): sorted(types) for r in want for doc, types in r["cells"].items()}
    assert {(r["id"], r["document"]): sorted(r["types"]) for r in got} == cells
    assert [r["id"] for r in got][:: len(want[0]["cells"])] == [r["id"] for r in want]


def test_wipe_deletes_the_cancu_graph_only(G, tmp_path):
    from cancu.cypher.loader import wipe

    with falkor_runner(tmp_path / "w.db") as runner:
        runner.write("CREATE (:Other {name: 'kept'})", {})
        load_graph(G, runner, batch_size=500)
        assert wipe(runner) == G.number_of_nodes()
        assert database_counts(runner) == {"Other": 1}
        report = load_graph(G, runner, batch_size=500, wipe_first=True)
        assert report.wiped == 0 and report.totals["nodes_created"] == G.number_of_nodes()


def test_exported_cypher_script_rebuilds_the_graph(G, tmp_path):
    """Replay graph.cypher as cypher-shell would: each :param line sets $rows
    (its literal evaluated by the engine), each statement runs with it."""
    from cancu.cypher.export import write_cypher
    from cancu.cypher.runners import FalkorRunner

    out = tmp_path / "graph.cypher"
    info = write_cypher(G, out, batch_size=100)
    with falkor_runner(tmp_path / "s.db") as runner:
        assert isinstance(runner, FalkorRunner)
        params, statement, ran = {}, [], 0
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.startswith("//") or not line.strip():
                continue
            if line.startswith(":param rows => "):
                params = {"rows": runner.read("RETURN " + line[len(":param rows => ") :] + " AS v")[0]["v"]}
                continue
            statement.append(line)
            if line.endswith(";"):
                text = "\n".join(statement)[:-1]
                if text.startswith("CREATE CONSTRAINT") or text.startswith("CREATE INDEX"):
                    runner.schema(text)
                else:
                    runner.write(text, params)
                ran += 1
                statement = []
        assert ran == info["statements"]
        assert database_counts(runner) == expected_counts(G)
        from cancu.graph.rows import to_rows

        rows = {r["id"]: r for name, rs in to_rows(G).items() if name.startswith(":") for r in rs}
        assert {r["id"]: r["p"] for r in runner.read("MATCH (n) RETURN n.id AS id, properties(n) AS p")} == rows


def test_failed_batch_names_the_batch(G, tmp_path):
    from cancu.cypher.errors import BatchFailed
    from cancu.cypher.runners import FalkorRunner

    class Failing(FalkorRunner):
        def write(self, statement, params):
            if "IMPLEMENTS" in statement:
                return super().write(statement.replace("row.from", "row.from.nope"), params)
            return super().write(statement, params)

    require_runner = falkor_runner(tmp_path / "f.db")
    require_runner.close()
    with Failing(str(tmp_path / "f.db")) as runner:
        with pytest.raises(BatchFailed) as e:
            load_graph(G, runner, batch_size=20)
    batches = plan(G, 20)
    first = next(i for i, b in enumerate(batches) if b.statement == "load/rel-IMPLEMENTS")
    assert e.value.statement == "load/rel-IMPLEMENTS" and e.value.number == 1
    assert e.value.done == first and e.value.total == len(batches)
    assert str(e.value).startswith(f"batch 1 of {batches[first].of} of load/rel-IMPLEMENTS failed: FalkorDB: ")


# -- the diagram and validity, on a decree that replaces and repeals ------------------


@pytest.fixture(scope="module")
def decree_db(tmp_path_factory):
    """The decree of the dev set that replaces and repeals (Nghị định 303/2025/NĐ-CP)
    and a plan based on one of the decrees it replaces (tests/test_validity.py)."""
    from cancu.extractors.pipeline import extract_text
    from cancu.graph.model import build_graph

    from .test_validity import DECREE, PLAN

    require(DECREE.is_file(), f"{DECREE} (the dev set) is missing")
    H = build_graph([extract_text(DECREE.read_text(encoding="utf-8"), str(DECREE)), extract_text(PLAN, "p.txt")])
    runner = falkor_runner(tmp_path_factory.mktemp("falkor-decree") / "cancu.db")
    load_graph(H, runner, batch_size=50)
    yield H, runner
    runner.close()


def _run_on(runner, name, **params):
    text = load(f"queries/{name}")
    return runner.read(query_body(text), {**header(text)["params"], **params})


@pytest.mark.parametrize("target", ["123/2016/NĐ-CP", "303/2025/NĐ-CP", "83/2024/NĐ-CP", "47/2019/NĐ-CP"])
def test_diagram_equals_cancu_query(decree_db, target):
    H, runner = decree_db
    want = Q.diagram(H, target)
    got = _run_on(runner, "diagram", target=target)
    keys = ("direction", "type", "key", "date", "in_force", "occurrences", "context", "section", "start", "id")
    assert want and [{k: r[k] for k in keys} for r in got] == [{k: r[k] for k in keys} for r in want]


@pytest.mark.parametrize("target", ["123/2016/NĐ-CP", "101/2020/NĐ-CP", "47/2019/NĐ-CP"])
def test_in_force_equals_cancu_query(decree_db, target):
    H, runner = decree_db
    want = Q.in_force(H, target)
    got = _run_on(runner, "in-force", target=target)
    keys = ("key", "type", "by", "since", "in_force", "occurrences", "context", "by_id")
    assert [{k: r[k] for k in keys} for r in got] == [{k: r[k] for k in keys} for r in want]
    if target == "123/2016/NĐ-CP":
        assert [r["type"] for r in got] == ["AMENDS", "AMENDS", "REPLACES"]


@pytest.mark.parametrize(
    "source,target",
    [("Thừa Thiên Huế 2024", "57-KL/TW"), ("Yên Bái 2024", "57-KL/TW"), ("Phú Thọ 2025", "72/2015/NĐ-CP")],
)
def test_evidence_equals_cancu_query(G, db, source, target):
    want = Q.evidence(G, source, target)
    got = run(db, "evidence", source=source, target=target)
    keys = ("type", "n", "stated_in", "section", "text", "context", "start", "end")
    assert want and [{k: r[k] for k in keys} for r in got] == [{k: r[k] for k in keys} for r in want]
    if source.startswith("Thừa"):
        assert [r["type"] for r in got].count("IMPLEMENTS") == 6


@pytest.mark.parametrize("name", ["Lào Cai", "Yên Bái", "Thừa Thiên Huế", "Huế"])
def test_lineage_equals_cancu_query(db, name):
    from cancu.graph.lineage import lineage

    got = run(db, "lineage", unit=name)
    want = lineage(name)
    keys = ("unit", "kind", "successor", "since", "act", "sources")
    assert want and [{k: r[k] for k in keys} for r in got] == [{k: r[k] for k in keys} for r in want]
