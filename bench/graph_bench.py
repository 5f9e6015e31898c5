"""Build and query times of the knowledge graph on slices of the real corpus
and on a synthetic corpus (python bench/graph_bench.py [CORPUS_DIR]).

Extraction records of the real corpus are cached (JSON lines) so that the
bench measures the graph, not the extractor. The synthetic corpus is made of
extraction records, not texts: each synthetic plan recombines the citations
(real sentences, real keys), links and agency roles of two randomly chosen
real records under a new province, year and content hash (keeping the real
corpus's density of citations per document), because extracting 100,000 texts
would take hours on two cores. Memory is the process's peak resident size
after each row (``ru_maxrss``: it only grows, so each row's figure bounds
that row's peak); tracemalloc would slow the build several times over.
Rows print as they finish.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import tarfile
import tempfile
import time
from pathlib import Path

from cancu.graph import query as q  # noqa: E402
from cancu.graph.model import build_graph  # noqa: E402
from cancu.graph.store import graph_from_json, graph_to_json  # noqa: E402

TARBALL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "vn-legal-2025.tar.xz"


def records_of(corpus: Path, cache: Path, jobs: int) -> list[dict]:
    """Extraction records of every file of ``corpus``, from the cache when it is there."""
    if cache.exists():
        return [json.loads(l) for l in cache.open(encoding="utf-8") if l.strip()]
    from cancu.extractors.pipeline import Failure, extract_paths

    cache.parent.mkdir(parents=True, exist_ok=True)
    out = []
    with open(str(cache) + ".part", "w", encoding="utf-8") as fh:
        for r in extract_paths([str(corpus)], jobs=jobs):
            if not isinstance(r, Failure):
                d = r.to_dict()
                out.append(d)
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    os.replace(str(cache) + ".part", cache)
    return out


def synthetic(records: list[dict], n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    with_cits = [r for r in records if r.get("citations")] or records
    provinces = sorted({(r.get("self") or {}).get("province") for r in records} - {None}) or ["Yên Bái"]
    out = []
    for i in range(n):
        parts = rng.sample(with_cits, k=min(2, len(with_cits)))
        me = dict(parts[0].get("self") or {})
        me.update(key=None, province=rng.choice(provinces), year=rng.randint(2015, 2025))
        rec = {
            "source": f"synthetic/{i:06d}.md",
            "sha256": hashlib.sha256(str(i).encode()).hexdigest(),
            "self": me,
            "citations": [],
            "links": [],
            "agencies": [],
            "named": [],
            "tasks": [],
        }
        for p in parts:
            rec["citations"] += p.get("citations", [])[:4]
            rec["links"] += p.get("links", [])[:2]
            rec["agencies"] += p.get("agencies", [])[:5]
        out.append(rec)
    return out


def measure(fn):
    t = time.perf_counter()
    result = fn()
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return result, dt, peak


def most_cited(G) -> str:
    rows = [r for r in q.stats(G, top=1) if r["metric"] == "most_cited"]
    return rows[0]["name"] if rows else "57-KL/TW"


def bench(name: str, recs: list[dict]) -> dict:
    G, t_build, peak = measure(lambda: build_graph(recs))
    text, t_dump, _ = measure(lambda: graph_to_json(G))
    G2, t_load, _ = measure(lambda: graph_from_json(text))
    target = most_cited(G2)
    q.find_document(G2, target)  # builds the lookup index once, as a long-running process would
    times = []
    for _ in range(5):
        t = time.perf_counter()
        rows = q.implements(G2, target)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    q.matrix(G2, top=10)
    t_matrix = time.perf_counter() - t
    return {
        "corpus": name,
        "docs": len(recs),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "build_s": t_build,
        "build_us_per_doc": 1e6 * t_build / max(1, len(recs)),
        "peak_mb": peak / 2**20,
        "graph_mb": len(text.encode()) / 2**20,
        "write_s": t_dump,
        "load_s": t_load,
        "target": target,
        "implements_ms": 1000 * min(times),
        "answers": len(rows),
        "matrix_ms": 1000 * t_matrix,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", help="unpacked corpus folder (default: unpack ../shared/corpus)")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "cancu_bench_cache", "vn-legal-2025.jsonl"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--synthetic", type=int, default=100_000)
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    corpus = Path(args.corpus) if args.corpus else None
    if corpus is None and not cache.exists():
        tmp = Path(tempfile.mkdtemp(prefix="cancu-corpus-"))
        with tarfile.open(TARBALL) as tf:
            tf.extractall(tmp, filter="data")
        corpus = tmp
    (recs, t_extract, _) = measure(lambda: records_of(corpus, cache, args.jobs))
    recs.sort(key=lambda r: r["source"])
    print(f"{len(recs)} extraction records ({'cache ' + str(cache)}; {t_extract:.1f} s to read or extract)")
    results = []
    cols = [
        "corpus",
        "docs",
        "nodes",
        "edges",
        "build_s",
        "build_us_per_doc",
        "peak_mb",
        "graph_mb",
        "write_s",
        "load_s",
        "implements_ms",
        "answers",
        "matrix_ms",
    ]
    print("  ".join(f"{c:>16}" for c in cols), flush=True)
    slices = [(f"real[:{n}]", recs[:n]) for n in (100, 1000, len(recs))]
    if args.synthetic:
        slices.append((f"synthetic {args.synthetic:,}", None))
    for name, part in slices:
        r = bench(name, part if part is not None else synthetic(recs, args.synthetic))
        results.append(r)
        print("  ".join(f"{r[c]:>16.3f}" if isinstance(r[c], float) else f"{r[c]:>16}" for c in cols), flush=True)
    print("implements target per row:", ", ".join(f"{r['corpus']}: {r['target']}" for r in results))
    print("synthetic rows are extraction records recombined from real ones (no text is extracted).")


if __name__ == "__main__":
    main()
