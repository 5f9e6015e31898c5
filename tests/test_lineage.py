"""Changes of administrative units read from real texts (extractors/lineage.py):
the 2025 provincial mergers of Nghị quyết 202/2025/QH15 as the corpus states
them, compared with the reviewed table the identity reader uses
(data/self_layout.json, province_changes), and commune mergers, whole and in
part. The texts are pages of the corpus, copied in tests/data/lineage/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors.lineage import MERGED_INTO, SPLIT_INTO, _grammar, _units, find_changes, merged_provinces
from cancu.extractors.vocabulary import load_data, provinces

DATA = Path(__file__).resolve().parent / "data" / "lineage"
GRAMMAR = load_data("lineage.json")


@pytest.mark.parametrize("ex", GRAMMAR["statement"]["examples"], ids=lambda ex: ex["name"])
def test_every_example_statement_is_read_as_annotated(ex):
    statement, _, _ = _grammar()
    m = statement.search(ex["text"])
    assert m and m.group("name") == ex["name"] and re.sub(r"\s+", " ", m.group("level")) == ex["level"]
    units = _units(m.group("units"))
    assert [u for u, _ in units] == ex["units"]
    assert [u for u, part in units if part] == ex.get("parts", [])


@pytest.mark.parametrize("text", GRAMMAR["statement"]["not"])
def test_what_is_no_statement_of_a_change(text):
    assert _grammar()[0].search(text) is None


def _corpus_mergers():
    changes = []
    for name in ("6fc2e6b950cd0f97.md", "960950f2308929a4.md"):
        changes += find_changes((DATA / name).read_text(encoding="utf-8"), name)
    return changes


def test_the_provincial_mergers_read_from_the_texts_equal_the_reviewed_table():
    table = load_data("self_layout.json")["province_changes"]["merged"]
    read = merged_provinces(_corpus_mergers())
    assert read == {k: sorted(v) for k, v in sorted(table.items())}
    assert len(read) == 23
    # 63 provinces become 34: 29 merged into another; the 11 others are left as they were
    merged_away = {p for ps in read.values() for p in ps}
    assert len(merged_away) == 29
    names = {p["name"] for p in provinces()}
    assert merged_away <= names and set(read) <= names


def test_every_statement_keeps_its_file_and_offsets():
    text = (DATA / "6fc2e6b950cd0f97.md").read_text(encoding="utf-8")
    yen_bai = next(c for c in _corpus_mergers() if c.unit == "Yên Bái")
    assert (yen_bai.kind, yen_bai.successor, yen_bai.level, yen_bai.source) == (
        MERGED_INTO,
        "Lào Cai",
        "tỉnh",
        "6fc2e6b950cd0f97.md",
    )
    assert text[yen_bai.start : yen_bai.end] == yen_bai.text
    assert yen_bai.text == (
        "Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của tỉnh Yên Bái và tỉnh Lào Cai "
        "thành tỉnh mới có tên gọi là tỉnh Lào Cai"
    )
    # the page quotes the resolution without its number: no act is guessed
    assert yen_bai.act is None


def test_commune_mergers_whole_and_in_part_with_the_resolution_they_cite():
    changes = find_changes((DATA / "0203d6d28a4e90eb.md").read_text(encoding="utf-8"), "0203d6d28a4e90eb.md")
    sai_gon = [(c.unit, c.kind) for c in changes if c.successor == "Sài Gòn"]
    assert sai_gon == [("Bến Nghé", MERGED_INTO), ("Đa Kao", SPLIT_INTO), ("Nguyễn Thái Bình", SPLIT_INTO)]
    tan_dinh = [(c.unit, c.kind, c.same_name) for c in changes if c.successor == "Tân Định"]
    assert tan_dinh == [("Tân Định", MERGED_INTO, True), ("Đa Kao", SPLIT_INTO, False)]
    assert {c.act for c in changes} == {"1685/NQ-UBTVQH15"} and {c.level for c in changes} == {"phường"}


def test_cli_lineage_build():
    r = CliRunner().invoke(main, ["lineage", "build", str(DATA / "960950f2308929a4.md"), "--format", "jsonl"])
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert {(x["unit"], x["successor"]) for x in rows if x["unit"] == "Hà Giang"} == {("Hà Giang", "Tuyên Quang")}
    assert r.stderr == f"{len(rows)} changes of units; 0 files failed.\n"
    r = CliRunner().invoke(main, ["lineage", "build", str(DATA / "missing.md")])
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"cancu: cannot read {DATA / 'missing.md'}: no such file"


# -- the lineage in the graph and in the questions ---------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from .conftest import PLANS

    s = tmp_path_factory.mktemp("lineage") / "store"
    r = CliRunner().invoke(main, ["build", str(PLANS), "--store", str(s)])
    assert r.exit_code == 0, r.output
    return str(s)


def test_the_graph_holds_each_province_s_successor_with_its_act(store):
    from cancu.graph.store import load_graph

    G = load_graph(store)
    e = G["province:yen-bai"]["province:lao-cai"]["MERGED_INTO"]
    assert (e["since"], e["act"]) == ("2025-07-01", "202/2025/QH15")
    assert e["sources"] == ["vn-legal-2025/6fc2e6b950cd0f97.md", "vn-legal-2025/960950f2308929a4.md"]
    e = G["province:thua-thien-hue"]["province:hue"]["RENAMED_TO"]
    assert (e["since"], e["act"]) == ("2025-01-01", "175/2024/QH15")
    # the plan stays a Yên Bái plan, as written
    yb = next(n for n, d in G.nodes(data=True) if d.get("ingested") and d.get("year") == 2024 and "yen-bai" in n)
    assert G.nodes[yb]["province"] == "Yên Bái"


def test_implements_in_lao_cai_includes_the_yen_bai_plan_marked(store):
    def run(*args):
        return CliRunner().invoke(main, ["query", "implements", "Kết luận 57", *args, "--store", store])

    r = run("--province", "Lào Cai", "--as-of", "2026-01-01")
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == (
        "Kế hoạch Yên Bái 2024 → 57-KL/TW   (Yên Bái, merged into Lào Cai on 2025-07-01)"
    )
    assert run("--province", "Lào Cai", "--as-written").output == "(no plan implements Kết luận 57 in Lào Cai)\n"
    assert run("--province", "Lào Cai", "--as-of", "2025-06-30").output == (
        "(no plan implements Kết luận 57 in Lào Cai)\n"
    )
    phu_tho = json.loads(run("--province", "Phú Thọ", "--format", "json").output)
    assert [(Path(x["source"]).name, x["province_note"]) for x in phu_tho] == [("phu-tho-2025-ttdn.txt", None)]
    # Thừa Thiên Huế is Huế since 1 January 2025
    hue = json.loads(run("--province", "Huế", "--format", "json").output)
    assert [x["province_note"] for x in hue] == ["(Thừa Thiên Huế, renamed Huế on 2025-01-01)"]
    r = run("--as-of", "2026-13-01")
    assert r.exit_code == 2 and "'2026-13-01' is not a date (YYYY-MM-DD, e.g. 2026-01-01)" in r.output


def test_query_lineage():
    r = CliRunner().invoke(main, ["query", "lineage", "Phú Thọ"])
    assert r.exit_code == 0
    assert [line.split()[:2] for line in r.output.splitlines()[1:]] == [["Hòa", "Bình"], ["Vĩnh", "Phúc"]]
    rows = json.loads(CliRunner().invoke(main, ["query", "lineage", "Phú Thọ", "--format", "json"]).output)
    assert {(x["unit"], x["kind"], x["successor"], x["act"]) for x in rows} == {
        ("Hòa Bình", "MERGED_INTO", "Phú Thọ", "202/2025/QH15"),
        ("Vĩnh Phúc", "MERGED_INTO", "Phú Thọ", "202/2025/QH15"),
    }
    r = CliRunner().invoke(main, ["query", "lineage", "Atlantis"])
    assert r.exit_code == 2


def test_stats_count_plans_under_today_s_provinces_or_as_written(store):
    def provinces_of(*args):
        r = CliRunner().invoke(main, ["query", "stats", *args, "--format", "json", "--store", store])
        assert r.exit_code == 0
        return {x["name"]: x["value"] for x in json.loads(r.output) if x["metric"] == "province"}

    assert provinces_of("--as-of", "2026-01-01") == {"Cao Bằng": 1, "Huế": 1, "Lào Cai": 2, "Phú Thọ": 1}
    assert provinces_of("--as-written") == {
        "Cao Bằng": 1,
        "Lào Cai": 1,
        "Phú Thọ": 1,
        "Thừa Thiên Huế": 1,
        "Yên Bái": 1,
    }
    assert provinces_of("--as-of", "2024-12-31") == provinces_of("--as-written")


def test_viz_finds_a_merged_province_s_plans_under_today_s_province(store):
    from cancu.graph import viz
    from cancu.graph.store import load_graph

    G = load_graph(store)
    H = viz.select(G, province="Lào Cai")
    assert sorted(G.nodes[n]["name"] for n in H if H.nodes[n].get("ingested")) == [
        "Kế hoạch Lào Cai 2022",
        "Kế hoạch Yên Bái 2024",
    ]
    net = viz.to_network(viz.select(G))
    yb = next(x for x in net.nodes if x["id"].startswith("plan:yen-bai"))
    assert yb["provinces"] == ["Lào Cai", "Yên Bái"]
    lineage_edges = [(e["from"], e["to"], e["etype"]) for e in net.edges if e["etype"] in ("MERGED_INTO", "RENAMED_TO")]
    assert sorted(lineage_edges) == [
        ("province:thua-thien-hue", "province:hue", "RENAMED_TO"),
        ("province:yen-bai", "province:lao-cai", "MERGED_INTO"),
    ]
