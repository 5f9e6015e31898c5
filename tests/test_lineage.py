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


def test_every_one_of_the_63_provinces_resolves_to_one_of_the_34():
    from cancu.graph.lineage import unit_on

    old = [p["name"] for p in provinces()]
    assert len(old) == 63
    # before Huế's change every province is its own; after 1 July 2025 each is one of 34, none unresolved
    assert {unit_on(p, "2024-12-31")[0] for p in old} == set(old)
    today = {p: unit_on(p, "2026-01-01")[0] for p in old}
    assert len(set(today.values())) == 34 and set(today.values()) - set(old) == {"Huế"}
    assert (today["Yên Bái"], today["Hòa Bình"], today["Tiền Giang"], today["Thừa Thiên Huế"]) == (
        "Lào Cai",
        "Phú Thọ",
        "Đồng Tháp",
        "Huế",
    )
    # every unit that is not its own today got there by a stated change with its act
    for p, unit in today.items():
        steps = unit_on(p, "2026-01-01")[1]
        assert (unit != p) == bool(steps) and all(s["act"] and s["sources"] for s in steps), p


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
        "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh … → 57-KL/TW   (Yên Bái, merged into Lào Cai on 2025-07-01)"
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
        "Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …",
        "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …",
    ]
    net = viz.to_network(viz.select(G))
    yb = next(x for x in net.nodes if x["id"].startswith("plan:yen-bai"))
    assert yb["provinces"] == ["Lào Cai", "Yên Bái"]
    lineage_edges = [(e["from"], e["to"], e["etype"]) for e in net.edges if e["etype"] in ("MERGED_INTO", "RENAMED_TO")]
    assert sorted(e for e in lineage_edges if e[0].startswith("province:")) == [
        ("province:thua-thien-hue", "province:hue", "RENAMED_TO"),
        ("province:yen-bai", "province:lao-cai", "MERGED_INTO"),
    ]
    # and the agencies' lineage: the department, then its province
    assert {
        ("agency:yen-bai:so-thong-tin-va-truyen-thong", "agency:yen-bai:so-khoa-hoc-va-cong-nghe", "MERGED_INTO"),
        ("agency:yen-bai:so-khoa-hoc-va-cong-nghe", "agency:lao-cai:so-khoa-hoc-va-cong-nghe", "MERGED_INTO"),
    } <= set(lineage_edges)


# -- ministries and provincial departments (extractors/data/agency_lineage.json) ------------

AGENCY_LINEAGE = load_data("agency_lineage.json")


def _passages():
    for c in AGENCY_LINEAGE["changes"] + AGENCY_LINEAGE["ended"]:
        yield from c["sources"]
    for act in AGENCY_LINEAGE["acts"].values():
        yield from act["cited_in"]
        if "date_source" in act:
            yield act["date_source"]
    for s in AGENCY_LINEAGE["since"].values():
        yield s["source"]


@pytest.mark.parametrize("passage", list(_passages()), ids=lambda p: f"{p['file'][-19:]}:{p['start']}")
def test_every_agency_change_is_quoted_at_its_offsets_in_the_corpus_page(passage):
    text = (DATA / Path(passage["file"]).name).read_text(encoding="utf-8")
    assert text[passage["start"] : passage["end"]] == passage["quote"]


def test_every_agency_change_names_known_bodies_and_cites_its_act():
    from cancu.extractors.agency_names import canonical_agency
    from cancu.graph.ids import slug

    for c in AGENCY_LINEAGE["changes"]:
        for name in (c["unit"], c["successor"]):
            assert slug(canonical_agency(name)[0]) == slug(name), name
        assert c["act"] in AGENCY_LINEAGE["acts"]
        assert c["kind"] in (MERGED_INTO, SPLIT_INTO) and (c["kind"] == SPLIT_INTO) == ("functions" in c)
    # the two acts whose own text the corpus lacks say so; it cites them
    assert {a: v["text_in_corpus"] for a, v in AGENCY_LINEAGE["acts"].items()} == {
        "176/2025/QH15": False,
        "45/2025/NĐ-CP": False,
        "203/2025/QH15": False,
    }


def test_a_department_follows_its_own_merger_then_its_province_s():
    from cancu.graph.lineage import agency_on

    name, prov, steps = agency_on("Sở Thông tin và Truyền thông", "Yên Bái", "2026-01-01")
    assert (name, prov) == ("Sở Khoa học và Công nghệ", "Lào Cai")
    assert [(s["unit"], s["kind"], s["successor"], s["since"], s["act"]) for s in steps] == [
        (
            "Sở Thông tin và Truyền thông tỉnh Yên Bái",
            "MERGED_INTO",
            "Sở Khoa học và Công nghệ tỉnh Yên Bái",
            "2025-03-01",
            "45/2025/NĐ-CP",
        ),
        (
            "Sở Khoa học và Công nghệ tỉnh Yên Bái",
            "MERGED_INTO",
            "Sở Khoa học và Công nghệ tỉnh Lào Cai",
            "2025-07-01",
            "202/2025/QH15",
        ),
    ]
    assert agency_on("Sở Thông tin và Truyền thông", "Yên Bái", "2025-02-28")[:2] == (
        "Sở Thông tin và Truyền thông",
        "Yên Bái",
    )
    # a ministry; the part of its work that went elsewhere (SPLIT_INTO) takes none of its tasks
    assert agency_on("Bộ Lao động – Thương binh và Xã hội", None, "2025-03-01")[:2] == ("Bộ Nội vụ", None)
    # a province merged into a centrally-run city: its "Ủy ban nhân dân tỉnh" is the city's
    assert agency_on("Ủy ban nhân dân tỉnh", "Hải Dương", "2026-01-01")[:2] == (
        "Ủy ban nhân dân thành phố",
        "Hải Phòng",
    )


def test_the_graph_holds_each_department_s_successor_with_its_act(store):
    from cancu.graph.store import load_graph

    G = load_graph(store)
    e = G["agency:yen-bai:so-thong-tin-va-truyen-thong"]["agency:yen-bai:so-khoa-hoc-va-cong-nghe"]["MERGED_INTO"]
    assert (e["since"], e["act"], e["sources"]) == (
        "2025-03-01",
        "45/2025/NĐ-CP",
        ["vn-legal-2025/723d0bb4cec0d64a.md"],
    )
    e = G["agency:yen-bai:so-thong-tin-va-truyen-thong"]["agency:yen-bai:so-van-hoa-the-thao-va-du-lich"]["SPLIT_INTO"]
    assert (e["functions"], e["act"]) == ("báo chí", "45/2025/NĐ-CP")
    e = G["agency:yen-bai:so-khoa-hoc-va-cong-nghe"]["agency:lao-cai:so-khoa-hoc-va-cong-nghe"]["MERGED_INTO"]
    assert (e["since"], e["act"]) == ("2025-07-01", "202/2025/QH15")


def test_query_agency_in_lao_cai_includes_its_predecessors_marked(store):
    def run(*args):
        return CliRunner().invoke(main, ["query", "agency", "Sở Khoa học và Công nghệ", *args, "--store", store])

    r = run("--province", "Lào Cai", "--as-of", "2026-01-01")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split() == ["plan_name", "section", "role", "agency_name", "agency_as_of", "title", "file"]
    assert lines[1].startswith(
        "Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …  II.1.2.c  support  Sở Thông tin và Truyền thông  Sở Khoa học và Công nghệ tỉnh Lào Cai"
    )
    rows = json.loads(run("--province", "Lào Cai", "--format", "json").output)
    notes = sorted({(x["plan_name"], x["agency_note"]) for x in rows})
    assert notes == [
        (
            "Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …",
            "(Sở Thông tin và Truyền thông tỉnh Lào Cai, merged into Sở Khoa học và Công nghệ tỉnh Lào Cai on "
            "2025-03-01)",
        ),
        (
            "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …",
            "(Sở Thông tin và Truyền thông tỉnh Yên Bái, merged into Sở Khoa học và Công nghệ tỉnh Yên Bái on "
            "2025-03-01, then merged into Sở Khoa học và Công nghệ tỉnh Lào Cai on 2025-07-01)",
        ),
    ]
    assert [x["text"] for x in rows if "Yên Bái 2024" in x["plan_name"]][0] == "Sở Thông tin và Truyền thông"
    assert run("--province", "Lào Cai", "--as-written").output == "(no tasks)\n"
    assert run("--province", "Lào Cai", "--as-of", "2025-02-28").output == "(no tasks)\n"
    # between the two mergers, Lào Cai's own department only
    between = json.loads(run("--province", "Lào Cai", "--as-of", "2025-06-30", "--format", "json").output)
    assert {x["plan_name"] for x in between} == {"Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …"}


def test_query_lineage_of_a_department():
    r = CliRunner().invoke(main, ["query", "lineage", "Sở Thông tin và Truyền thông"])
    assert r.exit_code == 0
    assert r.output.splitlines() == [
        "unit                          kind         successor                        functions  since       act            sources",
        "Sở Thông tin và Truyền thông  MERGED_INTO  Sở Khoa học và Công nghệ                    2025-03-01  45/2025/NĐ-CP  vn-legal-2025/723d0bb4cec0d64a.md",
        "Sở Thông tin và Truyền thông  SPLIT_INTO   Sở Văn hóa, Thể thao và Du lịch  báo chí    2025-03-01  45/2025/NĐ-CP  vn-legal-2025/723d0bb4cec0d64a.md",
    ]


HUE_DECISION = DATA / "f40e7ad008712591.md"


def test_a_2025_hue_decision_is_issued_by_the_city_and_names_no_old_unit():
    """Quyết định 125/2025/QĐ-UBND of 24 November 2025, headed "ỦY BAN NHÂN DÂN
    THÀNH PHỐ HUẾ": issuer and province are the city's; the check has nothing
    to report (it once read "Huế" as short for Thừa Thiên Huế)."""
    from cancu.extractors.pipeline import extract_text
    from cancu.graph.check import check
    from cancu.graph.model import build_graph

    rec = extract_text(HUE_DECISION.read_text(encoding="utf-8"), str(HUE_DECISION))
    assert (rec.self.issuer, rec.self.province, rec.self.date) == ("Ủy ban nhân dân thành phố Huế", "Huế", "2025-11-24")
    G = build_graph([rec])
    pid = next(n for n, d in G.nodes(data=True) if d.get("ingested"))
    assert [a for a in G.successors(pid) if "ISSUED_BY" in G[pid][a]] == ["agency:hue:uy-ban-nhan-dan-thanh-pho-hue"]
    assert [f for f in check(G) if f["kind"] == "names_old_unit"] == []


def test_check_reports_a_plan_that_names_a_merged_body_after_the_merger_as_information():
    """No corpus text dated after a 2025 merger names a merged body as its
    issuer or lead (every one found names the new bodies), so this reads the
    real Yên Bái 2024 plan with its date moved to 1 August 2025, the
    transition the check is for."""
    from dataclasses import replace

    from cancu.extractors.pipeline import extract_text
    from cancu.graph.check import check
    from cancu.graph.model import build_graph

    from .conftest import PLANS

    path = PLANS / "yen-bai-2024-ttdn.txt"
    rec = extract_text(path.read_text(encoding="utf-8"), str(path))
    # the plan states its year (2024) but no day: nothing to compare
    assert rec.self.date is None and not [f for f in check(build_graph([rec])) if f["level"] == "information"]
    rec.self = replace(rec.self, date="2025-08-01")
    found = [f for f in check(build_graph([rec])) if f["kind"] == "names_old_unit"]
    assert {f["level"] for f in found} == {"information"}
    assert sorted(f["message"].split(" names ", 1)[1] for f in found) == [
        "Sở Kế hoạch và Đầu tư as its lead: since 2025-03-01 (45/2025/NĐ-CP) that is Sở Tài chính tỉnh Lào Cai",
        "Sở Thông tin và Truyền thông as its lead: since 2025-03-01 (45/2025/NĐ-CP) that is Sở Khoa học và Công "
        "nghệ tỉnh Lào Cai",
        "Ủy ban nhân dân tỉnh Yên Bái as its issuer: since 2025-07-01 (202/2025/QH15) that is Ủy ban nhân dân "
        "tỉnh Lào Cai",
    ]
    first = next(f for f in found if "Sở Thông tin" in f["message"])
    assert first["evidence"][0]["value"] == "Sở Thông tin và Truyền thông"
