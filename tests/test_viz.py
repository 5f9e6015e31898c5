"""`cancu viz` and `cancu annotate`: the pages, the commands' messages, and
the pages opened in headless Chromium (network off): the graph rendered,
opening on documents only, clustered by province beyond a few hundred nodes,
search dimming all but the match and its neighbours; every citation
highlighted, and a crawled Markdown plan (tests/data/plans-md/8718801c503045f9.md)
rendered with every highlight at its exact span. Screenshots go to
tests/artifacts/."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors.annotate import annotate_file, facts, nest, spans
from cancu.extractors.mdview import parse
from cancu.graph import viz
from cancu.graph.query import implements
from cancu.graph.store import load_graph, read_records

from .browser import Page, browser, chromium_path, have_playwright
from .conftest import PLANS, ROOT, plans_store, require

ARTIFACTS = ROOT / "tests" / "artifacts"
#: Kế hoạch 617/KH-UBND of Đồng Tháp (1 December 2025), as crawled: see tests/data/plans-md/README.md
CRAWLED = ROOT / "tests" / "data" / "plans-md" / "8718801c503045f9.md"
EXTERNAL = re.compile(
    r"""<script[^>]*\ssrc\s*=|<link[^>]*\shref\s*=\s*["']?(?:https?:)?//|"""
    r"""url\(\s*["']?(?:https?:)?//|@import""",
    re.I,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("viz")
    return plans_store(root)


@pytest.fixture(scope="module")
def G(store):
    return load_graph(store)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The store of the bundled plans and the crawled Đồng Tháp plan: more
    nodes than the page draws one by one (viz.CLUSTER_AT)."""
    root = tmp_path_factory.mktemp("mixed")
    return plans_store(root, CRAWLED)


@pytest.fixture(scope="module")
def pages(store, tmp_path_factory):
    """The full graph and the focus view on 57-KL/TW, written by the command."""
    out = tmp_path_factory.mktemp("pages")
    for name, extra in (("full", []), ("focus", ["--focus", "57-KL/TW", "--depth", "3"])):
        r = CliRunner().invoke(main, ["viz", *extra, "--out", str(out / f"{name}.html"), "--store", store])
        assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def ctx():
    require(chromium_path() is not None, "chromium (Debian package `chromium`, see .ci/apt-packages)")
    require(have_playwright(), "playwright for Python (pip install -e '.[test]')")
    with browser() as c:
        yield c


def run(*args):
    return CliRunner().invoke(main, list(args))


# -- the library ----------------------------------------------------------------


def test_focus_selects_the_implementing_plans_and_the_documents_between(G):
    H = viz.select(G, focus="57-KL/TW", depth=3)
    plans = {r["id"] for r in implements(G, "57-KL/TW")}
    assert len(plans) == 3 and plans <= set(H)
    assert {"doc:3017/kh-ubnd@2024@phu-tho", "doc:47/nq-cp@2024", "doc:57-kl/tw"} <= set(H)
    assert H.graph["focus"] == "doc:57-kl/tw"
    # every relationship among the selected nodes is kept
    assert H.number_of_edges() == G.subgraph(H.nodes).number_of_edges()


def test_focus_depth_limits_the_chain(G):
    H = viz.select(G, focus="57-KL/TW", depth=1)
    assert "doc:47/nq-cp@2024" in H and "doc:3017/kh-ubnd@2024@phu-tho" not in H


def test_province_and_year_keep_what_those_plans_state(G):
    H = viz.select(G, province="phú thọ", year=2025)
    assert {p for *_, d in H.edges(data=True) for p in d["source_plans"]} == {"plan:phu-tho:2025:ca854672a2dd"}
    assert [n for n, d in H.nodes(data=True) if d.get("ingested")] == ["plan:phu-tho:2025:ca854672a2dd"]


def test_page_is_offline_and_deterministic(G, store):
    subj = viz.subjects(read_records(store).values())
    H = viz.select(G)
    page = viz.to_html(H, "t", subj)
    assert not EXTERNAL.search(page)
    assert "cdn." not in page and "bootstrap" not in page
    assert viz.to_html(viz.select(G), "t", subj) == page
    assert '"randomSeed": 20250615' in page
    assert 'id="legend"' in page and 'id="controls"' in page


def test_network_styles_and_tooltips(G, store):
    net = viz.to_network(viz.select(G, focus="57-KL/TW"), viz.subjects(read_records(store).values()))
    kl = next(n for n in net.nodes if n["id"] == "doc:57-kl/tw")
    assert kl["ntype"] == "Conclusion" and kl["color"]["border"] == "#000000" and kl["cited"] == 5
    assert kl["title"].splitlines()[:5] == [
        "57-KL/TW",
        "Type: Kết luận (Conclusion)",
        "Date: 2023-06-15",
        "Issuer: Bộ Chính trị",
        "Subject: tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới",
    ]
    yb = next(n for n in net.nodes if n["id"].startswith("plan:yen-bai"))
    assert yb["shape"] == "star" and yb["label"] == "Kế hoạch Yên Bái 2024 — Hoạt động thông…"
    e = next(e for e in net.edges if e["from"] == "doc:47/nq-cp@2024" and e["to"] == "doc:57-kl/tw")
    assert e["label"] == "IMPLEMENTS" and e["color"] == viz.EDGE_COLORS["IMPLEMENTS"]
    # the evidence is the item of the enumeration the link stands in, not the whole paragraph
    assert "“Kế hoạch số 3017/KH-UBND ngày 26/7/2024 của UBND tỉnh về việc thực hiện Nghị quyết" in e["title"]
    assert "72/2015/NĐ-CP" not in e["title"]
    assert e["title"].split("\n")[1] == "1 occurrence"
    assert e["title"].split("\n")[3].startswith("  — Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên … (")
    assert e["title"].split("\n")[3].endswith("phu-tho-2025-ttdn.txt), section II.1")
    # size grows with how often a document is cited
    sizes = {n["id"]: n["size"] for n in net.nodes}
    assert sizes["doc:57-kl/tw"] > sizes["doc:47/nq-cp@2024"]


def test_too_large_is_refused(G, tmp_path):
    with pytest.raises(viz.ViewTooLarge) as e:
        viz.view(G, tmp_path / "x.html", max_nodes=100)
    assert (e.value.nodes, e.value.limit) == (G.number_of_nodes(), 100)
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    "focus, citing",
    [
        # Kết luận 57: three of the bundled plans cite it
        ("57-KL/TW", ["phu-tho-2025-ttdn.txt", "thua-thien-hue-2024-ttdn-du-thao.txt", "yen-bai-2024-ttdn.txt"]),
        # Nghị định 72/2015/NĐ-CP: the five bundled plans
        (
            "72/2015/NĐ-CP",
            [
                "cao-bang-2023-ttdn.txt",
                "lao-cai-2022-ttdn.txt",
                "phu-tho-2025-ttdn.txt",
                "thua-thien-hue-2024-ttdn-du-thao.txt",
                "yen-bai-2024-ttdn.txt",
            ],
        ),
        # Kế hoạch 617/KH-UBND of Đồng Tháp: only the crawled page names it
        ("617/KH-UBND", ["8718801c503045f9.md"]),
    ],
)
def test_a_focused_page_reads_only_the_records_citing_what_it_draws(mixed, focus, citing, tmp_path):
    G = load_graph(mixed)
    asked = []

    def records(files):
        asked.append(files)
        return read_records(mixed, only=files).values()

    every = viz.view(G, tmp_path / "every.html", focus=focus, subj=viz.subjects(read_records(mixed).values()))
    some = viz.view(G, tmp_path / "some.html", focus=focus, records=records)
    assert [[os.path.basename(f) for f in files] for files in asked] == [citing]
    assert (tmp_path / "some.html").read_bytes() == (tmp_path / "every.html").read_bytes()
    assert some == {**every, "path": str(tmp_path / "some.html")}


def test_read_records_only_some_paths(mixed):
    every = read_records(mixed)
    one = sorted(every)[0]
    assert read_records(mixed, only=[one, "not/in/the/store.txt"]) == {one: every[one]}
    assert read_records(mixed, only=[]) == {}


# -- the commands ---------------------------------------------------------------


def test_viz_command(store, G, tmp_path):
    out = tmp_path / "kl57.html"
    r = run("viz", "--focus", "57-KL/TW", "--depth", "3", "--out", str(out), "--store", store)
    assert r.exit_code == 0
    H = viz.select(G, focus="57-KL/TW", depth=3)
    assert r.output == f"{out}: {H.number_of_nodes()} nodes, {H.number_of_edges()} relationships.\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_viz_unknown_focus_exits_2(store, tmp_path):
    r = run("viz", "--focus", "Kết luận 58", "--out", str(tmp_path / "x.html"), "--store", store)
    assert r.exit_code == 2
    assert (
        r.output
        == "Error: no document matches 'Kết luận 58'; closest:\n  57-KL/TW  Kết luận  2023-06-15  Bộ Chính trị\n"
    )
    assert not (tmp_path / "x.html").exists()


def test_viz_unknown_province(store, tmp_path):
    r = run("viz", "--province", "Hà Nội", "--out", str(tmp_path / "x.html"), "--store", store)
    assert r.exit_code == 1
    assert r.output == (
        "Error: no plan of province 'Hà Nội' in the graph (provinces: Cao Bằng, Lào Cai, "
        "Phú Thọ, Thừa Thiên Huế, Yên Bái)\n"
    )


def test_viz_too_large(store, tmp_path):
    r = run("viz", "--max-nodes", "100", "--out", str(tmp_path / "x.html"), "--store", store)
    assert r.exit_code == 1
    assert r.output == (
        f"Error: the view has {load_graph(store).number_of_nodes()} nodes, more than the limit "
        "of 100 (--max-nodes): a browser "
        "stops being responsive beyond a few thousand nodes; narrow it with --focus KEY_OR_PLAN, "
        "--province or --year\n"
    )


def test_viz_without_store(tmp_path):
    r = run("viz", "--out", str(tmp_path / "x.html"), "--store", str(tmp_path / "none"))
    assert r.exit_code == 1
    assert (
        r.output
        == f"Error: no store at {tmp_path / 'none'} (run `cancu build PATH... --store {tmp_path / 'none'}` first)\n"
    )


def test_viz_needs_out(store):
    r = run("viz", "--store", store)
    assert r.exit_code == 2 and "Missing option '--out'" in r.output


def test_annotate_command(tmp_path):
    out = tmp_path / "yb.html"
    r = run("annotate", str(PLANS / "yen-bai-2024-ttdn.txt"), "--out", str(out))
    assert r.exit_code == 0
    _, rec = annotate_file(str(PLANS / "yen-bai-2024-ttdn.txt"))
    assert r.output == f"{out}: {len(rec['citations'])} citations, {len(rec['agencies'])} agency roles.\n"


def test_annotate_unreadable_file(tmp_path):
    r = run("annotate", str(tmp_path / "none.txt"), "--out", str(tmp_path / "x.html"))
    assert r.exit_code == 1
    assert r.output == f"cancu: cannot read {tmp_path / 'none.txt'}: no such file\n"


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.glob("*.txt")))
def test_annotate_marks_every_citation(name):
    page, rec = annotate_file(str(PLANS / name))
    kept, dropped = nest(spans(rec))
    assert [s for s in dropped if s.kind == "citation"] == []
    assert page.count('<mark class="entity citation"') == len(rec["citations"])
    assert not EXTERNAL.search(page) and "<script" not in page
    for c in rec["citations"]:
        assert f'href="#key-{re.sub(r"\\s+", "", c["key"]).casefold()}"' in page


# -- in Chromium ----------------------------------------------------------------


SHOWN = "nodes.get({filter: n => !n.hidden}).map(n => n.id)"


def test_full_graph_renders_in_chromium(ctx, pages, G):
    """The full view opens on documents only; the toggle shows the
    agencies, tasks and provinces."""
    p = Page(ctx, pages / "full.html")
    p.wait_stabilized()
    counts = p.counts()
    pairs = len(viz._pairs(G))
    assert (counts["nodes"], counts["edges"]) == (G.number_of_nodes(), pairs)
    assert (counts["network_nodes"], counts["network_edges"]) == (G.number_of_nodes(), pairs)
    assert counts["physics"] is False
    documents = {n for n, d in G.nodes(data=True) if viz.node_type(d) not in viz.OTHER_TYPES}
    assert set(p.page.evaluate(SHOWN)) == documents
    assert p.page.evaluate("nodes.get({filter: n => !n.hidden && OTHER_TYPES[n.ntype]}).length") == 0
    assert p.page.text_content("#view-state") == f"{len(documents)} of {G.number_of_nodes()} nodes shown"
    assert p.page.locator("#legend").is_visible()
    assert p.page.locator("#legend .node-type").count() >= 10
    p.screenshot(ARTIFACTS / "viz-full.png")
    p.page.check("#show-others")
    p.wait_stabilized()
    assert len(p.page.evaluate(SHOWN)) == G.number_of_nodes()
    assert p.page.evaluate("nodes.get({filter: n => !n.hidden && n.ntype === 'Agency'}).length") == sum(
        1 for _, d in G.nodes(data=True) if viz.node_type(d) == "Agency"
    )
    p.page.uncheck("#show-others")
    p.wait_stabilized()
    assert set(p.page.evaluate(SHOWN)) == documents
    assert p.errors == [] and p.external == []


def test_focus_view_renders_in_chromium(ctx, pages, G):
    p = Page(ctx, pages / "focus.html")
    p.wait_stabilized()
    H = viz.select(G, focus="57-KL/TW", depth=3)
    counts = p.counts()
    assert (counts["nodes"], counts["edges"]) == (H.number_of_nodes(), len(viz._pairs(H)))
    ids = set(p.page.evaluate("nodes.getIds()"))
    plans = {r["id"] for r in implements(G, "57-KL/TW")}
    assert len(plans) == 3 and plans <= ids
    assert p.page.locator("#legend").is_visible()
    assert p.errors == [] and p.external == []
    p.screenshot(ARTIFACTS / "viz-focus-57-KL-TW.png")
    # search selects; the type filter hides what is neither of the type nor next to it
    p.page.fill("#search", "47/NQ-CP")
    assert p.page.evaluate("network.getSelectedNodes()") == ["doc:47/nq-cp@2024"]
    assert p.page.text_content("#search-result") == "1 match"
    p.page.select_option("#filter-type", "Resolution")
    shown = set(p.page.evaluate("nodes.get({filter: n => !n.hidden}).map(n => n.id)"))
    assert shown == {
        "doc:47/nq-cp@2024",
        "doc:57-kl/tw",
        "doc:3017/kh-ubnd@2024@phu-tho",
        "plan:phu-tho:2025:ca854672a2dd",
    }
    p.page.click("#reset")
    assert p.page.evaluate("nodes.get({filter: n => n.hidden}).length") == 0
    p.page.uncheck("#filter-rel input[value=CITES]")
    assert p.page.evaluate("edges.get({filter: e => e.hidden}).length") == sum(
        1 for *_, ds in viz._pairs(H) if {d["type"] for d in ds} == {"CITES"}
    )
    assert p.errors == []


def test_same_input_same_layout(ctx, pages):
    positions = []
    for _ in range(2):
        p = Page(ctx, pages / "focus.html")
        p.wait_stabilized()
        positions.append(p.page.evaluate("network.getPositions()"))
        p.page.close()
    assert positions[0] == positions[1]


def test_annotate_page_in_chromium(ctx, tmp_path):
    for plan in sorted(PLANS.glob("*.txt")):
        out = tmp_path / (plan.stem + ".html")
        page, rec = annotate_file(str(plan))
        out.write_text(page, encoding="utf-8")
        p = Page(ctx, out)
        marks = p.page.evaluate("""() => Array.from(document.querySelectorAll('mark.citation')).map(m =>
            ({start: +m.dataset.start, end: +m.dataset.end, text: m.firstChild.textContent,
              href: m.parentElement.getAttribute('href'), bg: getComputedStyle(m).backgroundColor}))""")
        assert len(marks) == len(rec["citations"])
        assert sorted((m["start"], m["end"], m["text"]) for m in marks) == sorted(
            (c["start"], c["end"], c["text"]) for c in rec["citations"]
        )
        assert all(m["bg"] == "rgb(122, 236, 236)" for m in marks)
        assert all(p.page.locator(f'[id="{m["href"][1:]}"]').count() == 1 for m in marks)
        assert p.page.locator("#legend").is_visible()
        assert p.errors == [] and p.external == []
        if plan.name.startswith("phu-tho"):
            p.screenshot(ARTIFACTS / "annotate-phu-tho-2025.png", full_page=True)
        p.page.close()


def test_focus_on_57_has_one_edge_per_pair_with_its_count(G):
    """The Huế plan cites Kết luận 57 fourteen times: one edge, as wide as
    its count, whose tooltip lists the evidence."""
    net = viz.to_network(viz.select(G, focus="57-KL/TW"))
    into = [e for e in net.edges if e["to"] == "doc:57-kl/tw"]
    assert max(Counter(e["from"] for e in into).values()) == 1
    hue = next(e for e in into if e["from"].startswith("plan:thua-thien-hue"))
    occ = sum(d["occurrences"] for d in G[hue["from"]]["doc:57-kl/tw"].values())
    assert hue["occurrences"] == occ > 1
    assert set(hue["etypes"]) == {d["type"] for d in G[hue["from"]]["doc:57-kl/tw"].values()}
    n = G[hue["from"]]["doc:57-kl/tw"]["IMPLEMENTS"]["occurrences"]
    assert hue["width"] > 1.2 and f"IMPLEMENTS (thực hiện): {n} occurrences" in hue["title"].split("\n")


def test_parallel_relationships_are_drawn_as_one_edge(G):
    """The Phú Thọ plan is based on Nghị định 72/2015/NĐ-CP (its preamble)
    and carries it out (section II.1): one edge, both types in its tooltip,
    each with its sentence."""
    net = viz.to_network(viz.select(G))
    pt = next(n for n in G if n.startswith("plan:phu-tho"))
    drawn = [e for e in net.edges if e["from"] == pt and e["to"] == "doc:72/2015/nđ-cp"]
    assert len(drawn) == 1 and G.number_of_edges(pt, "doc:72/2015/nđ-cp") == 2
    e = drawn[0]
    assert (e["etypes"], e["etype"], e["label"], e["occurrences"]) == (
        ["BASED_ON", "IMPLEMENTS"],
        "BASED_ON",
        "BASED_ON + IMPLEMENTS",
        2,
    )
    lines = e["title"].split("\n")
    assert lines[0].endswith("—BASED_ON (căn cứ) + IMPLEMENTS (thực hiện)→ 72/2015/NĐ-CP")
    assert lines[1] == "BASED_ON (căn cứ): 1 occurrence"
    assert (
        lines[2]
        == "“Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động thông tin đối ngoại”"
    )
    assert lines[3].endswith("phu-tho-2025-ttdn.txt), section preamble; as written: Nghị định số 72/2015/NĐ-CP")
    assert lines[4] == "IMPLEMENTS (thực hiện): 1 occurrence"
    assert lines[6].endswith("phu-tho-2025-ttdn.txt), section II.1; as written: Nghị định số 72/2015/NĐ-CP")
    # one drawn edge per ordered pair of nodes; the legend counts relationships
    assert len(net.edges) == len({(u, v) for u, v in G.edges()})
    page = viz.to_html(viz.select(G), "t")
    legend = json.loads(re.search(r"var EDGE_LEGEND = (\[.*?\]);", page).group(1))
    assert {t["type"]: t["count"] for t in legend} == dict(Counter(d["type"] for *_, d in G.edges(data=True)))


def test_full_view_hides_agencies_tasks_and_provinces(G):
    net = viz.to_network(viz.select(G), documents_only=True)
    hidden = {n["id"] for n in net.nodes if n.get("hidden")}
    assert hidden == {n for n, d in G.nodes(data=True) if viz.node_type(d) in ("Agency", "Task", "Province")}
    assert all(n.get("physics") is False for n in net.nodes if n.get("hidden"))
    assert {e["id"] for e in net.edges if e.get("hidden")} == {
        e["id"] for e in net.edges if e["from"] in hidden or e["to"] in hidden
    }
    assert 'id="show-others" type="checkbox">' in viz.to_html(viz.select(G), "t")
    assert 'id="show-others" type="checkbox" checked>' in viz.to_html(viz.select(G, focus="57-KL/TW"), "t")


def test_legend_names_each_relationship_in_vietnamese(G):
    page = viz.to_html(viz.select(G, focus="57-KL/TW"), "t")
    legend = json.loads(re.search(r"var EDGE_LEGEND = (\[.*?\]);", page).group(1))
    assert {t["type"]: t["caption"] for t in legend}["IMPLEMENTS"] == "IMPLEMENTS (thực hiện)"
    assert {t["type"]: t["caption"] for t in legend}["BASED_ON"] == "BASED_ON (căn cứ)"


def test_tooltips_say_how_today_holds_a_province_and_an_agency(G):
    # data/plans/yen-bai-2024-ttdn.txt, issued by UBND tỉnh Yên Bái, assigns Sở Thông tin và Truyền
    # thông; Yên Bái is part of Lào Cai from 1 July 2025 (202/2025/QH15), the department part of Sở
    # Khoa học và Công nghệ from 1 March 2025 (45/2025/NĐ-CP)
    net = viz.to_network(viz.select(G, province="Lào Cai"))
    titles = {n["id"]: n["title"].splitlines() for n in net.nodes}
    yb = next(t for i, t in titles.items() if i.startswith("plan:yen-bai"))
    assert "Province: Yên Bái (Yên Bái, merged into Lào Cai on 2025-07-01)" in yb
    tt = titles["agency:yen-bai:so-thong-tin-va-truyen-thong"]
    assert tt[:4] == [
        "Sở Thông tin và Truyền thông",
        "Type: agency (province)",
        "Province: Yên Bái (Yên Bái, merged into Lào Cai on 2025-07-01)",
        "Today: Sở Khoa học và Công nghệ tỉnh Lào Cai (since 2025-07-01, 202/2025/QH15)",
    ]
    lc = next(t for i, t in titles.items() if i.startswith("plan:lao-cai"))
    assert "Province: Lào Cai" in lc
    node = next(n for n in net.nodes if n["id"] == "agency:yen-bai:so-thong-tin-va-truyen-thong")
    assert node["provinces"] == ["Lào Cai", "Yên Bái"]


# -- clusters and search, in Chromium ---------------------------------------------


def _cluster_groups(H, ids) -> dict[str, set[str]]:
    """The province clusters the page makes of the nodes ``ids``: the
    provinces (viz.cluster_key) of two nodes or more."""
    groups: dict[str, set[str]] = {}
    for n in ids:
        k = viz.cluster_key(H, n)
        if k is not None:
            groups.setdefault(k, set()).add(n)
    return {k: v for k, v in groups.items() if len(v) > 1}


IN_CLUSTER = "ids => Object.fromEntries(ids.map(id => [id, network.clustering.findNode(id)[0]]))"


def test_beyond_a_few_hundred_nodes_the_page_clusters_by_province(ctx, mixed, tmp_path):
    """The bundled plans and the crawled Đồng Tháp plan: documents only, it
    draws each node; with the agencies, tasks and provinces, more than
    CLUSTER_AT nodes, each province's nodes make one cluster, which a
    double click opens."""
    G = load_graph(mixed)
    H = viz.select(G)
    docs = {n for n, d in H.nodes(data=True) if viz.node_type(d) not in viz.OTHER_TYPES}
    assert len(docs) <= viz.CLUSTER_AT < H.number_of_nodes()
    out = tmp_path / "mixed.html"
    viz.write_html(H, out, "mixed")
    p = Page(ctx, out)
    p.wait_stabilized()
    assert set(p.page.evaluate(SHOWN)) == docs and p.page.evaluate("clusters") == []
    p.page.check("#show-others")
    p.wait_stabilized()
    assert len(p.page.evaluate(SHOWN)) == H.number_of_nodes()
    groups = _cluster_groups(H, H.nodes)
    assert "Đồng Tháp" in groups and len(groups) >= 5
    assert sorted(p.page.evaluate("clusters")) == sorted(f"cluster:province:{k}" for k in groups)
    where = p.page.evaluate(IN_CLUSTER, sorted(H.nodes))
    for k, members in groups.items():
        assert {n for n, c in where.items() if c == f"cluster:province:{k}"} == members
    alone = set(H.nodes) - set().union(*groups.values())
    assert all(where[n] == n for n in alone)
    state = p.page.text_content("#view-state")
    assert (
        state
        == f"{H.number_of_nodes()} of {H.number_of_nodes()} nodes shown, {len(groups)} clusters (double-click one to open it)"
    )
    # every agency of the crawled plan is in its province's cluster
    dt = {n for n, d in H.nodes(data=True) if viz.node_type(d) == "Agency" and d.get("province") == "Đồng Tháp"}
    assert dt and dt <= groups["Đồng Tháp"]
    p.screenshot(ARTIFACTS / "viz-clusters.png")
    # a double click on the cluster opens it
    xy = p.page.evaluate(
        """id => { const c = network.getPositions([id])[id]; return network.canvasToDOM(c); }""",
        "cluster:province:Đồng Tháp",
    )
    box = p.page.locator("#mynetwork").bounding_box()
    p.page.mouse.dblclick(box["x"] + xy["x"], box["y"] + xy["y"])
    p.wait_stabilized()
    assert "cluster:province:Đồng Tháp" not in p.page.evaluate("clusters")
    where = p.page.evaluate(IN_CLUSTER, sorted(groups["Đồng Tháp"]))
    assert all(where[n] == n for n in groups["Đồng Tháp"])
    assert p.page.evaluate("network.physics.physicsEnabled") is False
    p.page.uncheck("#show-others")
    p.wait_stabilized()
    assert set(p.page.evaluate(SHOWN)) == docs and p.page.evaluate("clusters") == []
    assert p.errors == [] and p.external == []


def test_what_provinces_leave_is_clustered_by_type(ctx, mixed, tmp_path):
    """Still more nodes than the page draws (here a limit of 10): the nodes
    of no one province, national documents cited from several, cluster by
    type."""
    H = viz.select(load_graph(mixed))
    docs = sorted(n for n, d in H.nodes(data=True) if viz.node_type(d) not in viz.OTHER_TYPES)
    groups = _cluster_groups(H, docs)
    rest = [n for n in docs if not any(n in g for g in groups.values())]
    assert len(docs) > 10 and len(groups) + len(rest) > 10
    by_type: dict[str, set[str]] = {}
    for n in rest:
        by_type.setdefault(viz.node_type(H.nodes[n]), set()).add(n)
    by_type = {t: m for t, m in by_type.items() if len(m) > 1}
    assert by_type
    out = tmp_path / "small-limit.html"
    out.write_text(viz.to_html(H, "t", cluster_at=10), encoding="utf-8")
    p = Page(ctx, out)
    p.wait_stabilized()
    assert sorted(p.page.evaluate("clusters")) == sorted(
        [f"cluster:province:{k}" for k in groups] + [f"cluster:type:{t}" for t in by_type]
    )
    where = p.page.evaluate(IN_CLUSTER, docs)
    for t, members in by_type.items():
        assert {n for n, c in where.items() if c == f"cluster:type:{t}"} == members
    assert p.errors == []


def test_search_dims_all_but_the_match_and_its_neighbours(ctx, pages, G):
    p = Page(ctx, pages / "full.html")
    p.wait_stabilized()
    shown = set(p.page.evaluate(SHOWN))
    p.page.fill("#search", "57-KL/TW")
    assert p.page.text_content("#search-result") == "1 match"
    near = {"doc:57-kl/tw"} | {x for u, v in G.edges() if "doc:57-kl/tw" in (u, v) for x in (u, v) if x in shown}
    assert len(near) > 3
    state = {n["id"]: n for n in p.page.evaluate("nodes.get({filter: n => !n.hidden})")}
    assert {i for i, n in state.items() if not n.get("dimmed")} == near
    assert all(n["color"] == n["base_color"] for i, n in state.items() if i in near)
    assert all(n["color"]["background"] == "#eeeeee" for i, n in state.items() if i not in near)
    lit = p.page.evaluate("edges.get({filter: e => !e.hidden && !e.dimmed}).map(e => [e.from, e.to])")
    assert lit and all("doc:57-kl/tw" in e for e in lit)
    assert p.page.evaluate("edges.get({filter: e => !e.hidden && e.dimmed}).every(e => e.color === '#eeeeee')")
    assert p.page.evaluate("network.getSelectedNodes()") == ["doc:57-kl/tw"]
    p.screenshot(ARTIFACTS / "viz-search.png")
    p.page.fill("#search", "")
    assert p.page.evaluate("nodes.get({filter: n => n.dimmed || n.color !== n.base_color}).length") == 0
    assert p.page.evaluate("edges.get({filter: e => e.dimmed}).length") == 0
    assert p.errors == []


# -- the annotated page of a crawled Markdown plan ----------------------------------


class _Shown(HTMLParser):
    """What a page shows inside each highlight of the element ``root``
    (``#text`` or ``#raw``): (kind, start, end) → the text, its fragments
    joined, the labels left out, a line or block break as a space."""

    def __init__(self, root: str):
        super().__init__()
        self.root, self.depth, self.stack, self.label = root, 0, [], 0
        self.texts: dict[tuple, str] = {}
        self.counts: dict[tuple, int] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth == 0:
            if tag == "div" and a.get("id") == self.root:
                self.depth = 1
            return
        if tag == "div":
            self.depth += 1
        if tag == "mark":
            key = (a["data-kind"], int(a["data-start"]), int(a["data-end"]))
            self.stack.append(key)
            self.texts[key] = self.texts.get(key, "") + " "
            self.counts[key] = int(a.get("data-count", 1))
        elif tag == "span" and a.get("class") == "label":
            self.label += 1
        elif tag in ("br", "p", "td", "th"):
            self.data(" ")

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        if tag == "div":
            self.depth -= 1
        elif tag == "mark":
            self.stack.pop()
        elif tag == "span" and self.label:
            self.label -= 1

    def data(self, d):
        for key in self.stack:
            self.texts[key] += d

    def handle_data(self, d):
        if self.depth and not self.label:
            self.data(d)


def _shown(page: str, root: str = "text") -> _Shown:
    s = _Shown(root)
    s.feed(page)
    return s


def _joined(text: str) -> str:
    return " ".join(text.split())


def test_annotate_crawled_plan_counts_what_the_command_counts(tmp_path):
    """Kế hoạch 617/KH-UBND names 23 agency roles, three mentions holding
    two each (IV.6.a and IV.6.b): the page counts 23, as the command does,
    not one per highlight (20)."""
    out = tmp_path / "dong-thap.html"
    r = run("annotate", str(CRAWLED), "--out", str(out))
    assert r.exit_code == 0
    assert r.output == f"{out}: 6 citations, 23 agency roles.\n"
    page = out.read_text(encoding="utf-8")
    assert re.search(r'id="counts">([^<]*)<', page).group(1) == "6 citations, 5 documents, 23 agency roles"
    legend = dict(re.findall(r'<span class="kind" data-kind="(\w+)">.*?<b>(\d+)</b>', page))
    assert legend == {"citation": "6", "date": "6", "issuer": "6", "lead": "12", "support": "11"}
    shown = _shown(page)
    roles = [(k, c) for k, c in shown.counts.items() if k[0] in ("lead", "support")]
    assert (len(roles), sum(c for _, c in roles)) == (20, 23)
    _, rec = annotate_file(str(CRAWLED))
    assert facts(rec)["lead"] + facts(rec)["support"] == len(rec["agencies"]) == 23
    text = CRAWLED.read_text(encoding="utf-8")
    twice = sorted(_joined(text[s:e]) for (k, s, e), c in roles if c == 2)
    assert twice == ["Hiệp hội Doanh nghiệp tỉnh", "Hội Nông dân tỉnh", "Liên minh Hợp tác xã Tỉnh"]
    start = text.index("Hiệp hội\nDoanh")
    title = re.search(rf'<mark class="entity support"[^>]*title="([^"]*)"[^>]*data-start="{start}"', page).group(1)
    assert title.split("\n") == [
        "Hiệp hội Doanh nghiệp tỉnh: phối hợp, task IV.6.a",
        "Hiệp hội Doanh nghiệp tỉnh: phối hợp, task IV.6.b",
    ]


def test_annotate_crawled_plan_highlights_the_text_of_each_span():
    """Rendered or raw, each highlight shows the source text of its span
    (rendered: its line breaks joined), and every span is highlighted."""
    page, rec = annotate_file(str(CRAWLED))
    text = CRAWLED.read_text(encoding="utf-8")
    kept, dropped = nest(spans(rec))
    assert dropped == [] and "not shown" not in page
    want = {(s.kind, s.start, s.end) for s in kept}
    rendered, raw = _shown(page, "text").texts, _shown(page, "raw").texts
    assert set(rendered) == set(raw) == want
    for k, s, e in want:
        assert _joined(rendered[k, s, e]) == _joined(text[s:e]), (k, s, e)
        assert raw[k, s, e] == " " + text[s:e]  # as it is, line breaks and all
    assert any("\n" in text[s:e] for _, s, e in want)  # some spans cross a line break


def _tables(page: str) -> list[list[list[tuple[str, int]]]]:
    """The tables of #text: rows of (cell text without labels, colspan)."""

    class T(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell, self.label, self.on = [], None, 0, 0

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "div" and a.get("id") == "text":
                self.on = 1
            elif not self.on:
                return
            elif tag == "div":
                self.on += 1
            elif tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell, self.span = "", int(a.get("colspan", 1))
            elif tag == "span" and a.get("class") == "label":
                self.label += 1
            elif tag in ("p", "br") and self.cell:
                self.cell += " "

        def handle_endtag(self, tag):
            if not self.on:
                return
            if tag == "div":
                self.on -= 1
            elif tag in ("td", "th"):
                self.tables[-1][-1].append((_joined(self.cell), self.span))
                self.cell = None
            elif tag == "span" and self.label:
                self.label -= 1

        def handle_data(self, d):
            if self.cell is not None and not self.label:
                self.cell += d

    t = T()
    t.feed(page)
    return t.tables


def test_annotate_crawled_plan_renders_its_structure():
    """The crawler's tables as tables (the header, the signature, the
    appendix of tasks with its section rows across the columns), bold as
    bold, italic as italic, wrapped lines joined into one paragraph."""
    page, _ = annotate_file(str(CRAWLED))
    header, signature, tasks = _tables(page)
    assert header == [
        [("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", 1), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc", 1)],
        [("Số: 617/KH-UBND", 1), ("Đồng Tháp, ngày 01 tháng 12 năm 2025", 1)],
    ]
    assert signature[0][1] == ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Huỳnh Minh Tuấn", 1)
    assert tasks[0] == [
        (c, 1) for c in ("STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành")
    ]
    assert tasks[1] == [("I. NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY", 5)]
    assert tasks[2] == [
        ("1", 1),
        (
            "Triển khai nền tảng đào tạo trực tuyến mở đại trà, cung cấp kiến thức, kỹ năng số, công nghệ số cơ bản "
            "cho người dân, doanh nghiệp.",
            1,
        ),
        ("Sở KH&CN", 1),
        ("Các sở, ban, ngành tỉnh; UBND các xã, phường", 1),
        ("Thường xuyên", 1),
    ]
    numbered = [row[0][0] for row in tasks if len(row) == 5][1:]
    assert numbered == [str(i) for i in range(1, 12)]  # the eleven tasks, each a row of five cells
    assert "<p><b>KẾ HOẠCH</b></p>" in page
    assert (
        "<b>trước ngày 01/6 và 15/11 hằng năm </b><i>(hoặc đột xuất khi có yêu cầu) </i>báo cáo kết quả" in page
    )  # "**trước\nngày 01/6 và 15/11 hằng năm ***(hoặc …) *báo cáo": bold, then italic
    preamble = re.search(r"<p>(Thực hiện .*?)</p>", page).group(1)
    assert re.sub(r"<[^>]+>", "", re.sub(r'<span class="label">[^<]*</span>', "", preamble)) == (
        "Thực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025 của Uỷ ban nhân dân Tỉnh về thực hiện Nghị quyết số "
        "71/NQ-CP ngày 01/5/2025 của Chính phủ và Chương trình hành động số 10-CTr/TU ngày 13/8/2025 của Ban "
        "Thường vụ Tỉnh uỷ về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
        "triển khoa học, công nghệ đổi mới sáng tạo và chuyển đổi số trên địa bàn tỉnh Đồng Tháp;"
    )


def test_markdown_stars_between_spaces_are_text():
    """3a2db039af8c2d05.md of the corpus (Kế hoạch 157/KH-UBND, Cần Thơ):
    "- Tỷ lệ = b/a * 100%;" keeps its star."""
    line = "- Tỷ lệ = b/a * 100%;\n- Điểm = Tỷ lệ * điểm chuẩn."
    [p] = parse(line)
    assert [(line[r.start : r.end], r.style, r.brk) for r in p.runs] == [
        ("- Tỷ lệ = b/a * 100%;", 0, False),
        ("\n", 0, True),
        ("- Điểm = Tỷ lệ * điểm chuẩn.", 0, False),
    ]


def test_annotate_crawled_plan_in_chromium(ctx, tmp_path):
    """In the browser: every highlight shows its span's text; the toggle
    shows the raw text (no script: a checkbox and CSS) with the same
    highlights, and hides the rendered one."""
    page, rec = annotate_file(str(CRAWLED))
    text = CRAWLED.read_text(encoding="utf-8")
    out = tmp_path / "dong-thap.html"
    out.write_text(page, encoding="utf-8")
    p = Page(ctx, out)
    shown = """root => { const out = {};
        const walk = (n, acc) => { for (const c of n.childNodes) {
            if (c.nodeType === 3) acc.push(c.textContent);
            else if (c.classList && c.classList.contains('label')) continue;
            else if (['BR', 'P', 'TD'].includes(c.tagName)) { acc.push(' '); walk(c, acc); }
            else walk(c, acc); } };
        document.querySelectorAll(root + ' mark.entity').forEach(m => {
            const k = [m.dataset.kind, m.dataset.start, m.dataset.end].join(':'); const acc = [' '];
            walk(m, acc); out[k] = (out[k] || '') + acc.join(''); });
        return out; }"""
    kept, _ = nest(spans(rec))
    want = {f"{s.kind}:{s.start}:{s.end}": text[s.start : s.end] for s in kept}
    got = p.page.evaluate(shown, "#text")
    assert {k: _joined(v) for k, v in got.items()} == {k: _joined(v) for k, v in want.items()}
    assert p.page.locator("#text").is_visible() and not p.page.locator("#raw").is_visible()
    assert p.page.locator("#text table").count() == 3
    p.screenshot(ARTIFACTS / "annotate-crawled.png")
    p.page.click("label[for=show-raw]")
    assert p.page.locator("#raw").is_visible() and not p.page.locator("#text").is_visible()
    assert p.page.evaluate(shown, "#raw") == {k: " " + v for k, v in want.items()}
    assert p.page.evaluate("document.getElementById('raw').textContent").startswith("|\n**ỦY BAN NHÂN\nDÂN**")
    p.page.click("label[for=show-raw]")
    assert p.page.locator("#text").is_visible()
    assert p.errors == [] and p.external == []


def test_markdown_runs_of_stars_and_paragraphs_of_markup_only():
    """750314c2c5666d56.md of the corpus (its header, as crawled): "****"
    closes and opens bold, a paragraph of markup only shows nothing, a line
    of dashes in bold is a rule."""
    from cancu.extractors.mdview import render

    text = (
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n\n\n******Độc lập - Tự do - Hạnh ph****úc**\n\n****\n\n"
        "**---------------**\n"
    )
    assert render(text, [], None, None) == (
        '<p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></p><p><b>Độc lập - Tự do - Hạnh phúc</b></p><hr class="md">',
        [],
    )
