"""How large a graph `cancu viz` can draw: time to build the page and to
render it in headless Chromium until the layout has settled, for graphs of
500, 2,000 and 5,000 nodes (python bench/viz_bench.py [--sizes 500,2000,5000]).

The graphs are made of the five bundled plans' extraction records, re-issued
under synthetic provinces and content hashes (so each copy brings its own
plan, tasks, local agencies and local documents, and shares the national
documents with the others, as real provinces do), then trimmed to the exact
size by dropping task nodes of the last copies.

Measured per size: ``build`` (select + styled pyvis network + page, in
Python), page size, ``render`` (from navigation until vis-network's
stabilisation is done and physics is off, ``window.cancuStabilized``), and
``frame`` (mean time of one full redraw afterwards, which is what panning
and zooming cost: above ~100 ms the page feels stuck). Chromium runs with
the network off, as in the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from cancu.graph import viz  # noqa: E402
from cancu.graph.model import build_graph  # noqa: E402


def bundled_records() -> list[dict]:
    from cancu.extractors.pipeline import extract_paths

    return [r.to_dict() for r in extract_paths([str(ROOT / "data" / "plans")])]


def synthetic_graph(records: list[dict], n: int):
    """A graph of exactly ``n`` nodes (see the module docstring)."""
    import networkx as nx

    recs: list[dict] = []
    G = nx.MultiDiGraph()
    i = 0
    while G.number_of_nodes() < n:
        base = records[i % len(records)]
        r = dict(base)
        r["self"] = {**(base.get("self") or {}), "province": f"Tỉnh {i:03d}", "key": None}
        r["sha256"] = hashlib.sha256(f"{base['sha256']}:{i}".encode()).hexdigest()
        r["source"] = f"synthetic/{i:03d}-{Path(base['source']).name}"
        recs.append(r)
        G = build_graph(recs)
        i += 1
    newest = {pid: G.nodes[pid].get("source") for pid, d in G.nodes(data=True) if d.get("ingested")}
    tasks = sorted(
        (x for x, d in G.nodes(data=True) if "Task" in d.get("labels", ())),
        key=lambda x: (newest.get(G.nodes[x].get("plan"), ""), x),
        reverse=True,
    )
    extra = G.number_of_nodes() - n
    if extra > len(tasks):
        raise SystemExit(f"cannot trim to {n} nodes")
    G.remove_nodes_from(tasks[:extra])
    return G


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="500,2000,5000")
    ap.add_argument("--timeout", type=int, default=900, help="seconds to wait for a layout to settle")
    args = ap.parse_args(argv)
    from tests.browser import Page, browser

    records = bundled_records()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, browser() as ctx:
        for n in [int(x) for x in args.sizes.split(",")]:
            G = synthetic_graph(records, n)
            t = time.perf_counter()
            H = viz.select(G)
            # every node drawn, none clustered: what the table of docs/viz.md measures
            page = viz.to_html(H, f"bench {n}", documents_only=False, cluster_at=10**9)
            build = time.perf_counter() - t
            out = Path(tmp) / f"g{n}.html"
            out.write_text(page, encoding="utf-8")
            p = Page(ctx, out)
            render = p.wait_stabilized(args.timeout * 1000)
            counts = p.counts()
            frame = p.page.evaluate("""() => { const t = performance.now();
                for (let i = 0; i < 5; i++) network.renderer._redraw(); return (performance.now() - t) / 5; }""")
            pairs = len({(u, v) for u, v in H.edges()})  # one drawn edge per pair of related nodes
            assert counts["nodes"] == H.number_of_nodes() and counts["edges"] == pairs, counts
            assert not p.errors, p.errors
            p.page.close()
            row = {
                "nodes": H.number_of_nodes(),
                "edges": H.number_of_edges(),
                "build_s": round(build, 2),
                "html_mb": round(len(page.encode()) / 2**20, 1),
                "render_s": round(render, 1),
                "frame_ms": round(frame),
            }
            rows.append(row)
            print(row, flush=True)
    print("\n| nodes | relationships | build (s) | page (MB) | render until settled (s) | one redraw (ms) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['nodes']:,} | {r['edges']:,} | {r['build_s']} | {r['html_mb']} | {r['render_s']} | {r['frame_ms']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
