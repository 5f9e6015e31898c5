"""Throughput of citation extraction, measured in one run beside eyecite.

    python bench/extract_bench.py [--mb 20]

Builds a corpus of the five bundled plans repeated to at least ``--mb``
megabytes of text (in a temporary folder), then measures characters per second
of:

1. a bare scan with the compiled designator regex (the floor of any approach),
2. the tokenizer alone (cancu's whitespace tokenizer, and spaCy's own
   Vietnamese tokenizer without pyvi for comparison),
3. the whole extraction in-process (``extract_text`` on every file),
4. the whole ``cancu extract DIR --format jsonl`` process with default options
   (start-up, reading, extraction and JSON output included; one worker per
   usable core), and with ``--jobs 1``,
5. eyecite's ``get_citations`` (the reference extractor for US law) on its own
   test opinion, ``../shared/bench/us-supreme-court-opinion.txt``, best of
   three at the start of the run and three at its end;

and prints each as a ratio to eyecite; then the time of a one-file ``cancu
extract`` (start-up included). eyecite is installed for the benchmark
only: ``pip install '.[bench]'``.

The ``cancu`` processes run as an installed cancu runs: with its modules'
bytecode cached (``pip install`` compiles it; here it is written once, by a
first run, under a temporary ``PYTHONPYCACHEPREFIX``, whatever
``PYTHONDONTWRITEBYTECODE`` says), and with the compiled patterns that first
run keeps (``extractors/patterncache.py``, under a temporary
``CANCU_CACHE_DIR``), so that start-up does not count the compiling of every
module and pattern again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPINION = ROOT.parent / "shared" / "bench" / "us-supreme-court-opinion.txt"


def best_of(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def make_corpus(folder: Path, mb: float) -> tuple[list[str], int]:
    plans = sorted((ROOT / "data" / "plans").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in plans]
    per_round = sum(len(t) for t in texts)
    rounds = int(mb * 1_000_000 // per_round) + 1
    out = []
    for r in range(rounds):
        for p, t in zip(plans, texts):
            f = folder / f"{r:04d}-{p.name}"
            f.write_text(t, encoding="utf-8")
            out.append(t)
    return out, rounds * per_round


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="size of the repeated corpus, in millions of characters")
    a = ap.parse_args()
    try:
        from eyecite import get_citations
    except ImportError:
        print("eyecite is not installed: pip install '.[bench]'", file=sys.stderr)
        return 2
    if not OPINION.exists():
        print(f"missing {OPINION}", file=sys.stderr)
        return 2

    import spacy

    from cancu.extractors import regexes as rx
    from cancu.extractors.clean import clean
    from cancu.extractors.pipeline import extract_text, load_pipeline, usable_cores

    rows = []
    opinion = OPINION.read_text(encoding="utf-8")
    get_citations(opinion[:2000])  # warm up (loads reporters-db)
    # eyecite is timed at the start and again at the end, best of both: the
    # machine's speed drifts over a run of minutes, and the best time is the
    # one least slowed by it (the ratios are the more conservative for it)
    t_eye = best_of(lambda: get_citations(opinion))

    tmp = Path(tempfile.mkdtemp(prefix="cancu-bench-"))
    try:
        corpus = tmp / "corpus"  # the texts, apart from the bytecode
        corpus.mkdir()
        texts, n = make_corpus(corpus, a.mb)
        regex = rx.designator_regex()
        t = best_of(lambda: [sum(1 for _ in regex.finditer(x)) for x in texts], 1)
        rows.append(("bare designator regex scan", n, t))

        nlp = load_pipeline()
        cleaned = [clean(x).text for x in texts]
        t = best_of(lambda: [nlp.make_doc(x) for x in cleaned], 1)
        rows.append(("tokenizer alone (cancu whitespace)", n, t))
        vi = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
        vi.max_length = 10**9
        sample = cleaned[: max(5, len(cleaned) // 10)]
        t = best_of(lambda: [vi.make_doc(x) for x in sample], 1)
        rows.append(("tokenizer alone (spaCy vi, no pyvi)", sum(map(len, sample)), t))

        t = best_of(lambda: [extract_text(x) for x in texts], 1)
        rows.append(("whole extraction, in process", n, t))

        cancu = shutil.which("cancu") or str(Path(sys.executable).with_name("cancu"))
        one = ROOT / "data" / "plans" / "yen-bai-2024-ttdn.txt"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        env["CANCU_CACHE_DIR"] = str(tmp / "patterns")  # the compiled patterns, kept by the first run too
        subprocess.run(  # writes the bytecode
            [cancu, "extract", str(one)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        for label, extra in (
            (f"cancu extract process, default options ({usable_cores()} workers)", []),
            ("cancu extract process, --jobs 1", ["--jobs", "1"]),
        ):
            start = time.perf_counter()
            with open(os.devnull, "w") as devnull:
                subprocess.run(
                    [cancu, "extract", str(corpus), "--format", "jsonl", *extra],
                    stdout=devnull,
                    stderr=subprocess.DEVNULL,
                    env=env,
                    check=True,
                )
            rows.append((label, n, time.perf_counter() - start))
        # one file, as a person runs it: start-up, reading, extraction and output (best of three)

        def one_file():
            with open(os.devnull, "w") as devnull:
                subprocess.run(
                    [cancu, "extract", str(one)], stdout=devnull, stderr=subprocess.DEVNULL, env=env, check=True
                )

        t_one = best_of(one_file)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    t_eye = min(t_eye, best_of(lambda: get_citations(opinion)))
    eye = len(opinion) / t_eye
    rows.insert(0, ("eyecite get_citations (US opinion)", len(opinion), t_eye))

    print(f"{'what':42s} {'chars':>12s} {'seconds':>9s} {'Mchar/s':>9s} {'× eyecite':>10s}")
    for label, chars, secs in rows:
        rate = chars / secs
        print(f"{label:42s} {chars:12,d} {secs:9.2f} {rate / 1e6:9.2f} {rate / eye:10.1f}")
    whole = rows[-2][1] / rows[-2][2]
    single = rows[-1][1] / rows[-1][2]
    print(
        f"\ncancu extract (default options) runs at {whole / eye:.1f}× eyecite's characters per second "
        f"(target: at least 25×), {single / eye:.1f}× on one process; {usable_cores()} usable cores."
    )
    print(f"one-file cancu extract ({one.name}, start-up included): {t_one:.2f} s (target: at most 0.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
