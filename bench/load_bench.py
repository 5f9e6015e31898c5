"""Rows per second of batched loading (UNWIND $rows ... MERGE, one transaction
per batch) against row-at-a-time loading (the same statements, one row per
query), on the same engine in one run: embedded FalkorDB (falkordblite; no
Neo4j server runs here). The sample graph is copied COPIES times (ids
suffixed) so that batches are full.

    .venv/bin/python bench/load_bench.py [--copies 20] [--single-rows 3000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx

from cancu.cypher.loader import load_graph, plan  # noqa: E402
from cancu.cypher.runners import FalkorRunner  # noqa: E402


def corpus(copies: int) -> nx.MultiDiGraph:
    from cancu.extractors.pipeline import extract_paths
    from cancu.graph.model import build_graph

    root = Path(__file__).resolve().parent.parent
    G = build_graph(r.to_dict() for r in extract_paths([str(root / "data" / "plans")]))
    big = nx.MultiDiGraph()
    for i in range(copies):
        big.add_nodes_from((f"{n}#{i}", d) for n, d in G.nodes(data=True))
        big.add_edges_from((f"{u}#{i}", f"{v}#{i}", k, d) for u, v, k, d in G.edges(keys=True, data=True))
    return big


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--single-rows", type=int, default=3000, help="rows loaded one at a time")
    ap.add_argument("--sizes", default="100,1000,5000")
    a = ap.parse_args()
    G = corpus(a.copies)
    rows = sum(len(b.rows) for b in plan(G, 1000))
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships, {rows} rows")
    with tempfile.TemporaryDirectory() as tmp:
        db = FalkorRunner(str(Path(tmp) / "bench.db"), graph="g0")
        try:
            results = []
            # row at a time: the first --single-rows rows of the same batches, one query each
            g = db.db.select_graph("single")
            db.graph = g
            for st in __import__("cancu.cypher.loader", fromlist=["x"]).schema_statements():
                db.schema(st)
            sent, t0 = 0, time.perf_counter()
            for b in plan(G, 1):
                if sent >= a.single_rows:
                    break
                db.write(b.text, {"rows": b.rows})
                sent += 1
            dt = time.perf_counter() - t0
            single = sent / dt
            results.append(("row at a time (batch 1)", sent, dt, single))
            for size in [int(s) for s in a.sizes.split(",")]:
                db.graph = db.db.select_graph(f"b{size}")
                r = load_graph(G, db, batch_size=size)
                results.append((f"batched, {size} rows per batch", r.rows, r.seconds, r.rows / r.seconds))
        finally:
            db.close()
    print(f"{'mode':32} {'rows':>7} {'seconds':>8} {'rows/s':>9} {'× row at a time':>16}")
    for name, n, dt, rate in results:
        print(f"{name:32} {n:7d} {dt:8.2f} {rate:9.0f} {rate / single:15.1f}×")


if __name__ == "__main__":
    main()
