"""The legal system's diagram (lược đồ) and validity (hiệu lực): one
relationship per (from, to, type) with all its evidence, what the texts say
replaces, repeals or amends a document, and the findings that follow.

Fixtures are real texts: the decree of ``../shared/eval/dev/e8b69e31579c0186.md``
(Nghị định 303/2025/NĐ-CP, which replaces Nghị định 123/2016/NĐ-CP and
101/2020/NĐ-CP and repeals articles of others, in force from 20 November
2025), the bundled plans, and sentences of the corpus (file named)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors.pipeline import extract_text
from cancu.graph.check import check
from cancu.graph.model import CITATION_TYPES, EVIDENCE_LISTS, build_graph, occurrences
from cancu.graph.query import diagram, implements, in_force

from .conftest import PLANS, ROOT, require

DEV = ROOT.parent / "shared" / "eval" / "dev"
DECREE = DEV / "e8b69e31579c0186.md"

#: a plan's preamble of real sentences: its place-and-date line and its legal
#: basis as the corpus writes them for this decree (vn-legal-2025/0100ab0baf5ddb81.md
#: cites it "Căn cứ theo Nghị định số 123/2016/NĐ-CP ngày 1/9/2016 của Chính phủ
#: quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của bộ, cơ quan ngang bộ")
PLAN = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "Số: 512/KH-UBND\n\nLào Cai, ngày 05 tháng 12 năm 2025\n\nKẾ HOẠCH\n"
    "Căn cứ Nghị định số 123/2016/NĐ-CP ngày 01 tháng 9 năm 2016 của Chính phủ quy định chức năng, "
    "nhiệm vụ, quyền hạn và cơ cấu tổ chức của bộ, cơ quan ngang bộ;\nI. MỤC ĐÍCH\n"
)


@pytest.fixture(scope="module")
def decree():
    require(DECREE.is_file(), f"{DECREE} (the dev set) is missing")
    return extract_text(DECREE.read_text(encoding="utf-8"), str(DECREE))


@pytest.fixture(scope="module")
def G(decree):
    return build_graph([decree, extract_text(PLAN, "lao-cai-512.txt")])


def test_the_decree_states_its_date_and_entry_into_force(decree):
    assert (decree.self.key, decree.self.date) == ("303/2025/NĐ-CP", "2025-11-19")
    assert decree.self.effective["date"] == "2025-11-20"
    assert decree.self.effective["text"] == ("Nghị\nđịnh này có hiệu lực thi hành kể từ ngày 20 tháng 11 năm 2025")


def test_replaced_and_repealed_documents_are_marked_with_by_what_and_since_when(G):
    d = G.nodes["doc:123/2016/nđ-cp"]
    assert d["status_in_force"] == "replaced"
    assert d["replaced_by"] == ["doc:303/2025/nđ-cp"]
    assert d["ended"] == "2025-11-20"
    assert d["amended_by"] == ["doc:101/2020/nđ-cp", "doc:83/2024/nđ-cp"]
    assert G.nodes["doc:158/2018/nđ-cp"]["status_in_force"] == "repealed"
    # nothing is said of 47/2019/NĐ-CP but that it is mentioned
    assert "status_in_force" not in G.nodes["doc:47/2019/nđ-cp"]


def test_diagram_of_an_amended_decree_shows_what_acts_on_it_with_evidence(G):
    rows = [(r["direction"], r["type"], r["key"]) for r in diagram(G, "123/2016/NĐ-CP")]
    assert rows[:4] == [
        ("incoming", "BASED_ON", "Kế hoạch 512/KH-UBND Lào Cai 2025"),
        ("incoming", "AMENDS", "101/2020/NĐ-CP"),
        ("incoming", "AMENDS", "83/2024/NĐ-CP"),
        ("incoming", "REPLACES", "Nghị định 303/2025/NĐ-CP 2025"),
    ]
    replaces = next(r for r in diagram(G, "123/2016/NĐ-CP") if r["type"] == "REPLACES")
    assert replaces["context"].startswith("Nghị định này thay thế các Nghị định sau: Nghị định số 123/2016/NĐ-CP")
    text = DECREE.read_text(encoding="utf-8")
    assert text[replaces["start"] : replaces["end"]] == "Nghị định số 123/2016/NĐ-CP"


def test_in_force_lists_the_acting_documents_since_when(G):
    rows = [(r["type"], r["by"], r["since"]) for r in in_force(G, "123/2016/NĐ-CP")]
    assert rows == [
        ("AMENDS", "101/2020/NĐ-CP", "2020-08-28"),
        ("AMENDS", "83/2024/NĐ-CP", "2024-07-10"),
        ("REPLACES", "Nghị định 303/2025/NĐ-CP 2025", "2025-11-20"),
    ]
    assert in_force(G, "47/2019/NĐ-CP") == []


def test_check_reports_a_plan_relying_on_a_replaced_decree(G):
    found = [f for f in check(G) if f["kind"] == "relies_on_ended"]
    assert [f["message"] for f in found] == [
        "Kế hoạch 512/KH-UBND Lào Cai 2025 (dated 2025-12-05) is based on 123/2016/NĐ-CP, "
        "replaced by 303/2025/NĐ-CP since 2025-11-20"
    ]
    ev = found[0]["evidence"]
    assert ev[0]["source"] == "lao-cai-512.txt" and ev[0]["context"].startswith("Căn cứ Nghị định số 123/2016")
    assert ev[1]["context"].startswith("Nghị định này thay thế các Nghị định sau")


def test_a_plan_dated_before_the_replacement_is_not_reported(decree):
    earlier = PLAN.replace("ngày 05 tháng 12 năm 2025", "ngày 05 tháng 11 năm 2025")
    G = build_graph([decree, extract_text(earlier, "lao-cai-512.txt")])
    assert [f for f in check(G) if f["kind"] == "relies_on_ended"] == []


def test_check_reports_a_document_cited_as_two_types():
    # vn-legal-2025/cb33cfed6092c8ac.md writes the decree as "Quyết định số
    # 95/2017/NĐ-CP"; the second text is the same sentence as its number says
    wrong = (
        '"Quyết định số 95/2017/NĐ-CP của Chính phủ: Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ"'
    )
    right = wrong.replace("Quyết định số", "Nghị định số")
    G = build_graph([extract_text(wrong, "a.md"), extract_text(right, "b.md")])
    (f,) = [f for f in check(G) if f["kind"] == "type_conflict"]
    assert f["message"] == "95/2017/NĐ-CP is cited as 2 types of document: Nghị định, Quyết định"
    assert sorted(e["value"] for e in f["evidence"]) == ["Nghị định", "Quyết định"]


# -- one relationship per relation, on the bundled plans --------------------------


@pytest.fixture(scope="module")
def plans_graph():
    return build_graph(extract_text(p.read_text(encoding="utf-8"), str(p)) for p in sorted(PLANS.glob("*.txt")))


def test_no_two_relationships_share_from_to_and_type(plans_graph):
    G = plans_graph
    assert max(Counter((u, v, d["type"]) for u, v, d in G.edges(data=True)).values()) == 1
    assert all(k == d["type"] for _, _, k, d in G.edges(keys=True, data=True))


def test_evidence_lists_are_kept_in_step(plans_graph):
    lists = set(EVIDENCE_LISTS.values())
    for _, _, d in plans_graph.edges(data=True):
        n = d["occurrences"]
        assert n >= 1
        for k, v in d.items():
            if k in lists:
                assert isinstance(v, list) and len(v) == n, (k, d)
    hue = next(
        n for n, d in plans_graph.nodes(data=True) if d.get("ingested") and d.get("province") == "Thừa Thiên Huế"
    )
    # nine parallel relationships before: one per type now, each with its count
    assert {k: d["occurrences"] for k, d in plans_graph[hue]["doc:57-kl/tw"].items()} == {
        "BASED_ON": 1,
        "CITES": 2,
        "IMPLEMENTS": 6,
    }
    e = plans_graph[hue]["doc:57-kl/tw"]["IMPLEMENTS"]
    occ = occurrences(e)
    assert len(occ) == 6
    assert [o["start"] for o in occ] == sorted(o["start"] for o in occ)
    text = (PLANS / "thua-thien-hue-2024-ttdn-du-thao.txt").read_text(encoding="utf-8")
    assert all("57" in text[o["start"] : o["end"]] for o in occ)


def test_implements_answers_are_those_of_the_plans(plans_graph):
    """The same answers as with one relationship per occurrence (checked
    against the code before this change, 4c54458), each step with its count."""
    G = plans_graph

    def answer(target):
        return [
            (Path(r["source"]).name, r["hops"], [s["occurrences"] for s in r["steps"]]) for r in implements(G, target)
        ]

    assert answer("Kết luận 57") == [
        ("thua-thien-hue-2024-ttdn-du-thao.txt", 1, [6]),
        ("yen-bai-2024-ttdn.txt", 1, [3]),
        ("phu-tho-2025-ttdn.txt", 3, [1, 1, 1]),
    ]
    assert [a[:2] for a in answer("72/2015/NĐ-CP")] == [
        ("lao-cai-2022-ttdn.txt", 1),
        ("phu-tho-2025-ttdn.txt", 1),
        ("yen-bai-2024-ttdn.txt", 1),
    ]
    assert answer("1191/QĐ-TTg") == [
        ("thua-thien-hue-2024-ttdn-du-thao.txt", 1, [5]),
        ("yen-bai-2024-ttdn.txt", 1, [2]),
    ]
    assert CITATION_TYPES == ("BASED_ON", "IMPLEMENTS", "AMENDS", "REPLACES", "REPEALS", "GUIDES", "CITES")


# -- the command line ---------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    require(DECREE.is_file(), f"{DECREE} (the dev set) is missing")
    root = tmp_path_factory.mktemp("validity")
    (root / "in").mkdir()
    (root / "in" / DECREE.name).write_bytes(DECREE.read_bytes())
    (root / "in" / "lao-cai-512.txt").write_text(PLAN, encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(root / "in"), "--store", str(root / "s")])
    assert r.exit_code == 0, r.output
    return str(root / "s")


def test_cli_in_force(store):
    r = CliRunner().invoke(main, ["query", "in-force", "123/2016/NĐ-CP", "--store", store])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].split() == ["key", "type", "by", "since", "in_force", "context"]
    assert lines[3].startswith("123/2016/NĐ-CP  REPLACES  Nghị định 303/2025/NĐ-CP 2025  2025-11-20  replaced")
    r = CliRunner().invoke(main, ["query", "in-force", "47/2019/NĐ-CP", "--store", store])
    assert r.output == "47/2019/NĐ-CP: nothing in the graph replaces, repeals or amends it\n"


def test_cli_diagram_csv_opens_in_excel(store):
    r = CliRunner().invoke(main, ["query", "diagram", "123/2016/NĐ-CP", "--format", "csv", "--store", store])
    assert r.exit_code == 0
    assert r.output_bytes.startswith(b"\xef\xbb\xbfdirection,type,key,date,in_force,occurrences,file,context\n")
    rows = json.loads(
        CliRunner().invoke(main, ["query", "diagram", "123/2016/NĐ-CP", "--format", "json", "--store", store]).output
    )
    assert {(r["type"], r["key"]) for r in rows if r["direction"] == "incoming"} >= {
        ("REPLACES", "Nghị định 303/2025/NĐ-CP 2025"),
        ("BASED_ON", "Kế hoạch 512/KH-UBND Lào Cai 2025"),
    }


def test_an_ingested_document_cited_by_its_number_is_one_node(decree):
    """A plan citing the decree by its number points at the ingested decree's
    node, not at a second one (the sentence as vn-legal-2025 texts cite
    decrees of chức năng, nhiệm vụ: 'Căn cứ Nghị định số … của Chính phủ quy định …')."""
    plan = PLAN.replace("123/2016/NĐ-CP ngày 01 tháng 9 năm 2016", "303/2025/NĐ-CP ngày 19 tháng 11 năm 2025")
    G = build_graph([decree, extract_text(plan, "lao-cai-512.txt")])
    ids = [n for n, d in G.nodes(data=True) if d.get("key") == "303/2025/NĐ-CP"]
    assert ids == ["doc:303/2025/nđ-cp"] and G.nodes[ids[0]]["ingested"] is True
    p = next(n for n, d in G.nodes(data=True) if d.get("ingested") and n != ids[0])
    assert list(G[p][ids[0]]) == ["BASED_ON"]
