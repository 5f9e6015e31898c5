"""The national scale, measured in one run (python bench/national.py).

    python bench/national.py [--sizes 1000,14000,160000] [--jobs 2] [--corpus DIR] [--work DIR]

Makes corpora of each size from the real corpus (``../shared/corpus``, or
``--corpus DIR``): copy k of every document is its own text with every
designator number moved by k × 50,000 ("Nghị định số 72/2015/NĐ-CP" →
"Nghị định số 50072/2015/NĐ-CP" in copy 1), so that each copy cites its own
documents as densely as the corpus does and the keys of different copies do
not collide; no prose is invented. Then, for each size, measures:

* ``cancu build DIR --jobs N`` from nothing: wall time, peak resident memory
  of the largest process (the build; its readers are small), store size;
* the same build after one file changed (its last line dropped): wall time;
* ``cancu query implements`` on the most-cited document, ``query diagram``,
  ``cancu check`` and ``cancu viz --focus``: each command's wall time (start,
  loading the store and the answer), and ``implements`` alone in a process
  that has the graph loaded already.

Peak memory is ``ru_maxrss`` of the command's process tree, read by a fresh
wrapper process per command. Rows print as they finish; the corpora and
stores are left under ``--work`` (default: a temporary folder, removed at
the end unless ``--keep``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "corpus" / "vn-legal-2025.tar.xz"
CANCU = [sys.executable, "-m", "cancu"]
#: a designator's number: "72" of 72/2015/NĐ-CP, 1191/QĐ-TTg, 57-KL/TW, 3089/BTTTT-TTĐN
NUMBER = re.compile(r"(?<![\w/.\-])(\d{1,6})(?=(?:/(?:19|20)\d{2})?/[A-ZĐ]|-[A-ZĐ]{1,8}/)")
STEP = 50_000

_WRAP = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    "sys.stderr.write(r.stderr.decode('utf-8', 'replace')[-2000:])\n"
)


def renumbered(text: str, k: int) -> str:
    """``text`` with every designator number below STEP moved by ``k`` × STEP.

    >>> renumbered("Căn cứ Nghị định số 72/2015/NĐ-CP; Kết luận số 57-KL/TW; ngày 15/6/2023", 1)
    'Căn cứ Nghị định số 50072/2015/NĐ-CP; Kết luận số 50057-KL/TW; ngày 15/6/2023'
    """
    if k == 0:
        return text
    return NUMBER.sub(lambda m: str(int(m[1]) + k * STEP) if int(m[1]) < STEP else m[1], text)


def make_corpus(source: list[Path], n: int, out: Path) -> int:
    """``n`` documents under ``out`` (copy k of the corpus in ``out/k/``); returns characters."""
    out.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        k, f = divmod(i, len(source))
        dest = out / f"{k:02d}" / source[f].name
        text = renumbered(source[f].read_text(encoding="utf-8", errors="replace"), k)
        dest.parent.mkdir(exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def timed(args: list[str], env=None) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one command; its failure is reported."""
    r = subprocess.run([sys.executable, "-c", _WRAP, *args], capture_output=True, text=True, env=env)
    secs, rss, code = r.stdout.split()
    if int(code) not in (0, 1):
        sys.stderr.write(f"{' '.join(args)} exited with {code}:\n{r.stderr}\n")
    return float(secs), int(rss) * 1024


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def most_cited(store: Path) -> str:
    code = (
        "import json, sys\n"
        "from cancu.graph.store import load_graph\n"
        "from cancu.graph import query as q\n"
        "G = load_graph(sys.argv[1])\n"
        "rows = [r for r in q.stats(G, top=1) if r['metric'] == 'most_cited']\n"
        "print(rows[0]['name'])\n"
    )
    return subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True).stdout.strip()


def in_process(store: Path, target: str) -> dict:
    code = (
        "import json, sys, time\n"
        "from cancu.graph.store import load_graph\n"
        "from cancu.graph import query as q\n"
        "t = time.perf_counter(); G = load_graph(sys.argv[1]); load = time.perf_counter() - t\n"
        "q.implements(G, sys.argv[2])\n"  # the lookup tables of a graph are built on its first question
        "best = min((lambda t0: (q.implements(G, sys.argv[2]), time.perf_counter() - t0)[1])(time.perf_counter())"
        " for _ in range(5))\n"
        "print(json.dumps({'load': load, 'implements': best, 'nodes': G.number_of_nodes(),"
        " 'edges': G.number_of_edges(), 'plans': len(q.implements(G, sys.argv[2]))}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(store), target], capture_output=True, text=True)
    return json.loads(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,14000,160000")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="cancu-national-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = a.corpus
    if corpus is None:
        corpus = work / "real"
        if not corpus.exists():
            with tarfile.open(ARCHIVE) as tar:
                tar.extractall(corpus, filter="data")
    source = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".md", ".txt", ".html", ".htm"))
    print(f"{len(source):,} real documents; {os.cpu_count()} cores; --jobs {a.jobs}", flush=True)
    head = (
        f"{'documents':>10} {'chars':>14} {'build s':>8} {'peak MB':>8} {'store MB':>9} {'rebuild s':>10} "
        f"{'nodes':>9} {'rels':>9} {'load s':>7} {'impl ms':>8} {'impl cmd s':>10} {'diagram s':>10} "
        f"{'check s':>8} {'viz s':>7}"
    )
    print(head, flush=True)
    try:
        for n in (int(x) for x in a.sizes.split(",")):
            docs = work / f"corpus-{n}"
            store = work / f"store-{n}"
            shutil.rmtree(store, ignore_errors=True)
            chars = (
                make_corpus(source, n, docs)
                if not docs.exists()
                else sum(p.stat().st_size for p in docs.rglob("*") if p.is_file())
            )
            build, peak = timed([*CANCU, "build", str(docs), "--store", str(store), "--jobs", str(a.jobs)])
            stored = size_of(store)
            one = sorted(docs.rglob("*.md"))[n // 2]
            text = one.read_text(encoding="utf-8")
            one.write_text(text.rstrip("\n").rsplit("\n", 1)[0] + "\n", encoding="utf-8")
            rebuild, _ = timed([*CANCU, "build", str(docs), "--store", str(store), "--jobs", str(a.jobs)])
            one.write_text(text, encoding="utf-8")
            target = most_cited(store)
            inp = in_process(store, target)
            impl, _ = timed([*CANCU, "query", "implements", target, "--store", str(store), "--format", "json"])
            diag, _ = timed([*CANCU, "query", "diagram", target, "--store", str(store), "--format", "json"])
            chk, _ = timed([*CANCU, "check", "--store", str(store), "--format", "json"])
            html = work / f"viz-{n}.html"
            vz, _ = timed([*CANCU, "viz", "--focus", target, "--out", str(html), "--store", str(store)])
            print(
                f"{n:>10,} {chars:>14,} {build:>8.1f} {peak / 1e6:>8.0f} {stored / 1e6:>9.0f} {rebuild:>10.1f} "
                f"{inp['nodes']:>9,} {inp['edges']:>9,} {inp['load']:>7.1f} {inp['implements'] * 1000:>8.1f} "
                f"{impl:>10.1f} {diag:>10.1f} {chk:>8.1f} {vz:>7.1f}",
                flush=True,
            )
            print(f"{'':>10} most-cited document: {target} ({inp['plans']} plans implement it)", flush=True)
    finally:
        if not a.keep and a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
