"""`cancu viz` and `cancu annotate`: the pages, the commands' messages, and
the pages opened in headless Chromium (network off): the graph rendered,
every citation highlighted, nothing logged. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors.annotate import annotate_file, nest, spans
from cancu.graph import viz
from cancu.graph.query import implements
from cancu.graph.store import load_graph, read_records

from .browser import Page, browser, chromium_path, have_playwright
from .conftest import PLANS, ROOT, require

ARTIFACTS = ROOT / "tests" / "artifacts"
EXTERNAL = re.compile(
    r"""<script[^>]*\ssrc\s*=|<link[^>]*\shref\s*=\s*["']?(?:https?:)?//|"""
    r"""url\(\s*["']?(?:https?:)?//|@import""",
    re.I,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("viz")
    shutil.copytree(PLANS, root / "plans", ignore=shutil.ignore_patterns("*.md"))
    r = CliRunner().invoke(main, ["build", str(root / "plans"), "--store", str(root / "store")])
    assert r.exit_code == 0, r.output
    return str(root / "store")


@pytest.fixture(scope="module")
def G(store):
    return load_graph(store)


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
    assert yb["shape"] == "star" and yb["label"] == "Kế hoạch Yên Bái 2024"
    e = next(e for e in net.edges if e["from"] == "doc:47/nq-cp@2024" and e["to"] == "doc:57-kl/tw")
    assert e["label"] == "IMPLEMENTS" and e["color"] == viz.EDGE_COLORS["IMPLEMENTS"]
    # the evidence is the item of the enumeration the link stands in, not the whole paragraph
    assert "“Kế hoạch số 3017/KH-UBND ngày 26/7/2024 của UBND tỉnh về việc thực hiện Nghị quyết" in e["title"]
    assert "72/2015/NĐ-CP" not in e["title"]
    assert e["title"].split("\n")[1] == "1 occurrence"
    assert e["title"].split("\n")[3].startswith("  — Kế hoạch Phú Thọ 2025 (")
    assert e["title"].split("\n")[3].endswith("phu-tho-2025-ttdn.txt), section II.1")
    # size grows with how often a document is cited
    sizes = {n["id"]: n["size"] for n in net.nodes}
    assert sizes["doc:57-kl/tw"] > sizes["doc:47/nq-cp@2024"]


def test_too_large_is_refused(G, tmp_path):
    with pytest.raises(viz.ViewTooLarge) as e:
        viz.view(G, tmp_path / "x.html", max_nodes=100)
    assert (e.value.nodes, e.value.limit) == (G.number_of_nodes(), 100)
    assert not (tmp_path / "x.html").exists()


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
    assert r.output == "Error: no document matches 'Kết luận 58'; closest: doc:57-kl/tw (Kết luận 57-KL/TW)\n"
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


def test_full_graph_renders_in_chromium(ctx, pages, G):
    p = Page(ctx, pages / "full.html")
    p.wait_stabilized()
    counts = p.counts()
    assert (counts["nodes"], counts["edges"]) == (G.number_of_nodes(), G.number_of_edges())
    assert (counts["network_nodes"], counts["network_edges"]) == (G.number_of_nodes(), G.number_of_edges())
    assert counts["physics"] is False
    assert p.page.locator("#legend").is_visible()
    assert p.page.locator("#legend .node-type").count() >= 10
    assert p.errors == [] and p.external == []
    p.screenshot(ARTIFACTS / "viz-full.png")


def test_focus_view_renders_in_chromium(ctx, pages, G):
    p = Page(ctx, pages / "focus.html")
    p.wait_stabilized()
    H = viz.select(G, focus="57-KL/TW", depth=3)
    counts = p.counts()
    assert (counts["nodes"], counts["edges"]) == (H.number_of_nodes(), H.number_of_edges())
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
        1 for *_, d in H.edges(data=True) if d["type"] == "CITES"
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


def test_focus_on_57_has_one_edge_per_plan_and_type_with_its_count(G):
    """The Huế plan cites Kết luận 57 fourteen times: one IMPLEMENTS edge,
    as wide as its count, whose tooltip lists the evidence."""
    net = viz.to_network(viz.select(G, focus="57-KL/TW"))
    into = [e for e in net.edges if e["to"] == "doc:57-kl/tw"]
    pairs = Counter((e["from"], e["etype"]) for e in into)
    assert max(pairs.values()) == 1
    implements = {e["from"]: e["occurrences"] for e in into if e["etype"] == "IMPLEMENTS"}
    hue = next(n for n in implements if n.startswith("plan:thua-thien-hue"))
    assert implements[hue] == G[hue]["doc:57-kl/tw"]["IMPLEMENTS"]["occurrences"] > 1
    e = next(e for e in into if e["from"] == hue and e["etype"] == "IMPLEMENTS")
    assert e["width"] > 1.2 and f"{implements[hue]} occurrences" in e["title"]


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
