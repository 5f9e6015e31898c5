"""Graph model and entity resolution on the five bundled plans."""

import json
import shutil
from pathlib import Path

import pytest

from cancu.graph.ids import document_id, fold_key
from cancu.graph.model import build_graph, occurrences
from cancu.graph.rows import to_rows
from cancu.graph.store import build, load_graph

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("graph")
    plans = root / "plans"
    shutil.copytree(PLANS, plans, ignore=shutil.ignore_patterns("*.md"))
    store = root / "store"
    report = build([str(plans)], store)
    return {"root": root, "plans": plans, "store": store, "report": report, "G": load_graph(store)}


@pytest.fixture(scope="session")
def G(built):
    return built["G"]


def plan_of(G, province):
    return next(n for n, d in G.nodes(data=True) if d.get("ingested") and d.get("province") == province)


def test_one_node_per_document_however_written():
    assert fold_key("57 – KL/TW") == fold_key("57-kl/tw")
    assert document_id("72/2015/NÐ-CP") == document_id("72/2015/NĐ–CP") == "doc:72/2015/nđ-cp"


def test_year_less_designators_keep_their_year_apart():
    assert document_id("47/NQ-CP", year=2024) != document_id("47/NQ-CP", year=2023)
    assert document_id("1191/QĐ-TTg", year=2020) == "doc:1191/qđ-ttg@2020"


def test_graph_nodes_and_labels(G):
    assert sorted(G.nodes["doc:57-kl/tw"]["labels"]) == ["Conclusion", "Document"]
    assert G.nodes["doc:1191/qđ-ttg@2020"]["key"] == "1191/QĐ-TTg"
    assert "doc:47/nq-cp@2024" in G
    assert "doc:3017/kh-ubnd@2024@phu-tho" in G
    names = sorted(d["name"] for _, d in G.nodes(data=True) if d.get("ingested"))
    assert names == [
        "Kế hoạch Cao Bằng 2023 — Công tác thông tin đối ngoại trên …",
        "Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …",
        "Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …",
        "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …",
        "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …",
    ]


def test_conflicting_dates_are_kept_with_their_source(G):
    d = G.nodes["doc:22/2016/tt-btttt"]
    assert d["dates"] == ["2012-10-19", "2016-10-19"]
    lao_cai = plan_of(G, "Lào Cai")
    dates = {
        o["date"] for u, _, e in G.in_edges("doc:22/2016/tt-btttt", data=True) if u == lao_cai for o in occurrences(e)
    }
    assert dates == {"2012-10-19"}
    # 3089/BTTTT-TTĐN has no year in its number: two dates of two years give two nodes
    assert G.nodes["doc:3089/btttt-ttđn@2024"]["dates"] == ["2024-07-31"]
    assert G.nodes["doc:3089/btttt-ttđn@2023"]["dates"] == ["2023-07-31"]


def test_plan_provenance(G):
    p = plan_of(G, "Yên Bái")
    d = G.nodes[p]
    assert p == "plan:yen-bai:2024:" + d["sha256"][:12]
    assert (d["province"], d["year"], d["status"]) == ("Yên Bái", 2024, "issued")
    assert d["source"].endswith("yen-bai-2024-ttdn.txt")
    assert G.nodes[plan_of(G, "Thừa Thiên Huế")]["status"] == "draft"
    assert G.has_edge(p, "province:yen-bai")


def test_agencies_normalised_and_scoped(G):
    a = G.nodes["agency:thua-thien-hue:so-thong-tin-va-truyen-thong"]
    assert a["name"] == "Sở Thông tin và Truyền thông" and a["scope"] == "province"
    assert "Sở TTTT" in a["aliases"]
    assert G.nodes["agency:national:bo-chinh-tri"]["scope"] == "national"
    assert G.nodes["agency:national:thu-tuong-chinh-phu"]["name"] == "Thủ tướng Chính phủ"
    assert "agency:yen-bai:uy-ban-nhan-dan-tinh" in G
    assert G.has_edge("agency:yen-bai:so-thong-tin-va-truyen-thong", "province:yen-bai")


def test_citation_edges_carry_evidence(G):
    p = plan_of(G, "Yên Bái")
    es = occurrences(G[p]["doc:57-kl/tw"]["IMPLEMENTS"])
    first = min(es, key=lambda e: e["start"])
    assert first["section"] == "preamble"
    assert first["context"].startswith("Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị")
    text = (PLANS / "yen-bai-2024-ttdn.txt").read_text(encoding="utf-8")
    assert text[first["start"] : first["end"]] == "Kết luận số 57-KL/TW"


def test_links_between_documents(G):
    assert list(G["doc:47/nq-cp@2024"]["doc:57-kl/tw"]) == ["IMPLEMENTS"]
    (e,) = occurrences(G["doc:47/nq-cp@2024"]["doc:57-kl/tw"]["IMPLEMENTS"])
    assert e["link"] is True
    assert e["source_plan"] == plan_of(G, "Phú Thọ")
    assert G.has_edge("doc:182-ctr/tu@yen-bai", "doc:57-kl/tw")


def test_graph_does_not_depend_on_record_order(built):
    from cancu.graph.store import graph_to_json, read_records

    recs = list(read_records(built["store"]).values())
    assert graph_to_json(build_graph(recs)) == graph_to_json(build_graph(list(reversed(recs))))


def test_graph_reads_record_types_as_the_store_keeps_them(built):
    from cancu.extractors.models import DocumentRecord
    from cancu.graph.store import graph_to_json, read_records

    stored = read_records(built["store"])
    typed = [DocumentRecord.from_dict(d) for d in stored.values()]
    assert graph_to_json(build_graph(typed)) == graph_to_json(built["G"])


def test_one_merge_rule_whatever_the_order():
    from cancu.graph.model import merge_attrs, settled

    # two plans citing Kết luận 57-KL/TW (data/plans/yen-bai-2024-ttdn.txt, phu-tho-2025-ttdn.txt)
    a = {"labels": ["Conclusion", "Document"], "dates": ["2023-06-15"], "sources": ["plan:yen-bai"], "year": None}
    b = {"labels": ["Document"], "dates": ["2023-06-15"], "sources": ["plan:phu-tho"], "year": 2023}
    ab, ba = merge_attrs(merge_attrs({}, a), b), merge_attrs(merge_attrs({}, b), a)
    assert (
        settled(ab)
        == settled(ba)
        == {
            "labels": ["Conclusion", "Document"],
            "dates": ["2023-06-15"],
            "sources": ["plan:phu-tho", "plan:yen-bai"],
            "year": 2023,
        }
    )


def test_rows_are_neo4j_compatible(G):
    rows = to_rows(G)
    assert {
        "IMPLEMENTS",
        "BASED_ON",
        "CITES",
        "AMENDS",
        "ISSUED_BY",
        "LED_BY",
        "SUPPORTED_BY",
        "HAS_TASK",
        "FOR_PROVINCE",
        "IN_PROVINCE",
    } <= set(rows)
    assert ":Document:Plan" in rows and ":Agency" in rows and ":Task" in rows and ":Province" in rows
    for items in rows.values():
        for r in items:
            for v in r.values():
                assert isinstance(v, (str, int, float, bool, list)), v
                if isinstance(v, list):
                    assert all(isinstance(x, (str, int, float, bool)) for x in v)
    assert json.dumps(rows, ensure_ascii=False)
