"""`cancu query chain` on a plan whose citations fan out: 10 layers of 4
resolutions, each carrying out every resolution of the next layer
("Thực hiện Nghị quyết số … về việc thực hiện Nghị quyết số …", as in
data/plans), 25 KB of text and 349,525 paths. The paths are capped
(--limit), counted without listing them, and memory and time do not grow
with the number of paths (issue 9, item 8)."""

from __future__ import annotations

import json
import time
import tracemalloc

import networkx as nx
import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.graph import query as Q

LAYERS, WIDTH = 10, 4


def resolution(layer: int, j: int) -> str:
    return f"Nghị quyết số {layer * 10 + j}/NQ-CP ngày {j + 1}/{layer % 12 + 1}/{2000 + layer}"


def layered_plan(layers: int = LAYERS, width: int = WIDTH) -> str:
    """A plan that carries out the ``width`` resolutions of layer 1, each of
    which carries out every resolution of layer 2, and so on to layer
    ``layers``."""
    lines = [
        "KẾ HOẠCH",
        "CÔNG TÁC THÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN TỈNH PHÚ THỌ NĂM 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG THỰC HIỆN",
    ]
    lines += [
        f"- Thực hiện {resolution(1, j)} của Chính phủ về Chương trình hành động của Chính phủ." for j in range(width)
    ]
    for i in range(1, layers):
        for j in range(width):
            for k in range(width):
                lines.append(
                    f"- Thực hiện {resolution(i, j)} của Chính phủ về việc thực hiện "
                    f"{resolution(i + 1, k)} của Chính phủ."
                )
    return "\n".join(lines) + "\n"


def paths_up_to(depth: int) -> int:
    """Closed form: a path of h hops to the first resolution of the last layer
    enters at layer 11 - h and picks one of 4 resolutions in each of the h - 1
    layers after it."""
    return sum(WIDTH ** (h - 1) for h in range(1, depth + 1))


TARGET = f"{LAYERS * 10}/NQ-CP"  # the first resolution of the last layer


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("fan")
    (root / "plans").mkdir()
    text = layered_plan()
    (root / "plans" / "layered.txt").write_text(text, encoding="utf-8")
    assert 24_000 < len(text.encode("utf-8")) < 26_000  # the 25 KB plan of the issue
    r = CliRunner().invoke(main, ["build", str(root / "plans"), "--store", str(root / "store")])
    assert r.exit_code == 0, r.output
    return str(root / "store")


@pytest.fixture(scope="module")
def G(store):
    from cancu.graph.store import load_graph

    return load_graph(store)


def chain(store, *args):
    return CliRunner().invoke(main, ["query", "chain", "layered.txt", TARGET, "--store", store, *args])


def test_the_plan_has_ten_layers_of_four(G):
    docs = [n for n, d in G.nodes(data=True) if "Resolution" in d.get("labels", ())]
    assert len(docs) == LAYERS * WIDTH
    links = [(u, v) for u, v, t in G.edges(data="type") if t == "IMPLEMENTS" and u.startswith("doc:")]
    assert len(set(links)) == (LAYERS - 1) * WIDTH * WIDTH
    plan = Q.find_plan(G, "layered.txt")
    assert len(set(G.successors(plan)) & set(docs)) == LAYERS * WIDTH


def test_count_is_exact_and_needs_no_listing(G):
    assert [Q.count_chains(G, "layered.txt", TARGET, depth=d).n for d in range(1, 11)] == [
        1,
        5,
        21,
        85,
        341,
        1365,
        5461,
        21845,
        87381,
        349525,
    ]
    assert Q.count_chains(G, "layered.txt", TARGET, depth=10) == Q.PathCount(349_525, exact=True)
    assert paths_up_to(10) == 349_525


@pytest.mark.parametrize("depth", [3, 6])
def test_count_equals_networkx_enumeration(G, depth):
    """networkx lists every simple path (once per parallel edge: the set keeps
    each node sequence once); the count and the uncapped listing agree."""
    plan, target = Q.find_plan(G, "layered.txt"), Q.find_document(G, TARGET)
    V = nx.subgraph_view(G, filter_edge=lambda u, v, k: G[u][v][k].get("type") in Q.CITATION_TYPES)
    want = {tuple(p) for p in nx.all_simple_paths(V, plan, target, cutoff=depth)}
    assert Q.count_chains(G, "layered.txt", TARGET, depth=depth).n == len(want) == paths_up_to(depth)
    rows = Q.chain(G, "layered.txt", TARGET, depth=depth, limit=None)
    assert [tuple(r["path_ids"]) for r in rows] == sorted(want, key=lambda p: (len(p), p))


def test_cli_caps_the_paths_and_says_how_many_more(store):
    r = chain(store, "--depth", "10", "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert len(rows) == 100
    # shortest first: 1 path of 1 hop, 4 of 2, 16 of 3, 64 of 4, then 15 of the 256 of 5
    assert [sum(1 for x in rows if x["hops"] == h) for h in range(1, 6)] == [1, 4, 16, 64, 15]
    assert rows[0]["path"] == ["Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …", TARGET]
    assert all(s["context"].startswith("- Thực hiện Nghị quyết số ") for x in rows for s in x["steps"])
    assert r.stderr == "100 of 349525 paths shown (349425 more); raise --limit to see more, or lower --depth\n"


def test_limit_option(store):
    r = chain(store, "--depth", "10", "--limit", "3", "--format", "csv")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "\ufeffhops,path" and len(r.stdout.splitlines()) == 4
    assert r.stderr == "3 of 349525 paths shown (349522 more); raise --limit to see more, or lower --depth\n"
    r = chain(store, "--depth", "3", "--limit", "21")  # exactly all of them: nothing more to say
    assert r.exit_code == 0 and r.stderr == ""
    assert sum(1 for line in r.stdout.splitlines() if not line.startswith(" ")) == 21
    r = chain(store, "--depth", "3", "--limit", "20")
    assert r.stderr == "20 of 21 paths shown (1 more); raise --limit to see more, or lower --depth\n"
    r = chain(store, "--limit", "0")
    assert r.exit_code == 2 and "Invalid value for '--limit'" in r.stderr


def _measure(G, depth):
    best_t, peak = float("inf"), 0
    for _ in range(3):
        tracemalloc.start()
        t0 = time.perf_counter()
        rows = Q.chain(G, "layered.txt", TARGET, depth=depth, limit=100)
        n = Q.count_chains(G, "layered.txt", TARGET, depth=depth).n
        best_t = min(best_t, time.perf_counter() - t0)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return rows, n, best_t, peak


def test_memory_and_time_do_not_grow_with_the_paths(G):
    """Depth 5 has 341 paths, depth 10 has 349,525 (1,025 times as many); both
    show 100. The work is linear in the rows shown and in depth × edges, so
    depth 10 may cost about twice depth 5: the bound is 5 times that. (Listing
    every path, as cancu did, took 22 MB and 1.6 s at depth 7 and grows 4× per
    level: gigabytes at depth 10.)"""
    rows5, n5, t5, m5 = _measure(G, 5)
    rows10, n10, t10, m10 = _measure(G, 10)
    assert (len(rows5), n5, len(rows10), n10) == (100, 341, 100, 349_525)
    assert m10 < 5 * 2 * m5, (m5, m10)
    assert m10 < 20 * 2**20
    assert t10 < 5 * 2 * t5 + 0.05, (t5, t10)


CYCLE = """KẾ HOẠCH
CÔNG TÁC THÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN TỈNH YÊN BÁI NĂM 2024
I. NỘI DUNG
- Thực hiện Nghị quyết số 11/NQ-CP ngày 02/3/2020 của Chính phủ về việc thực hiện Nghị quyết số 12/NQ-CP ngày 05/3/2021 của Chính phủ.
- Thực hiện Nghị quyết số 12/NQ-CP ngày 05/3/2021 của Chính phủ về việc thực hiện Nghị quyết số 11/NQ-CP ngày 02/3/2020 của Chính phủ.
- Thực hiện Nghị quyết số 11/NQ-CP ngày 02/3/2020 của Chính phủ về việc thực hiện Nghị quyết số 13/NQ-CP ngày 09/4/2022 của Chính phủ.
- Thực hiện Nghị quyết số 12/NQ-CP ngày 05/3/2021 của Chính phủ về việc thực hiện Nghị quyết số 13/NQ-CP ngày 09/4/2022 của Chính phủ.
"""


@pytest.fixture(scope="module")
def cyclic(tmp_path_factory):
    root = tmp_path_factory.mktemp("cycle")
    (root / "plans").mkdir()
    (root / "plans" / "cycle.txt").write_text(CYCLE, encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(root / "plans"), "--store", str(root / "store")])
    assert r.exit_code == 0, r.output
    return str(root / "store")


def test_cycles_are_counted_path_by_path(cyclic, monkeypatch):
    """11/NQ-CP and 12/NQ-CP carry each other out: walks are not all simple
    paths there, so the paths are counted one by one (exact within the
    budget, else a lower bound that says so)."""
    from cancu.graph.store import load_graph

    G = load_graph(cyclic)
    plan, target = Q.find_plan(G, "cycle.txt"), Q.find_document(G, "13/NQ-CP")
    V = nx.subgraph_view(G, filter_edge=lambda u, v, k: G[u][v][k].get("type") in Q.CITATION_TYPES)
    want = sorted({tuple(p) for p in nx.all_simple_paths(V, plan, target, cutoff=4)}, key=lambda p: (len(p), p))
    assert len(want) == 5  # plan → 13; → 11 → 13; → 12 → 13; → 11 → 12 → 13; → 12 → 11 → 13
    assert Q.count_chains(G, "cycle.txt", "13/NQ-CP") == Q.PathCount(5, exact=True)
    assert [tuple(r["path_ids"]) for r in Q.chain(G, "cycle.txt", "13/NQ-CP")] == want
    monkeypatch.setattr(Q, "CHAIN_SEARCH_BUDGET", 6)
    count = Q.count_chains(G, "cycle.txt", "13/NQ-CP")
    assert not count.exact and count.n < 5
    r = CliRunner().invoke(main, ["query", "chain", "cycle.txt", "13/NQ-CP", "--store", cyclic, "--limit", "1"])
    assert r.exit_code == 0
    assert r.stderr == (
        f"1 of at least {count.n} paths shown (the documents cite each other in a cycle, and "
        "counting stopped at its budget); raise --limit to see more\n"
    )
