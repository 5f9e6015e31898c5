"""Robustness run over the real corpus: every file read or failed with a reason.

    python bench/corpus_run.py [CORPUS_DIR]

Without CORPUS_DIR, unpacks ``../shared/corpus/vn-legal-2025.tar.xz`` into a
temporary folder (outside the repository). Extracts every file in one process,
as ``cancu extract`` does, and prints: files read and failed (with the reasons
counted), citations found (by kind of designator), the documents' own types,
the slowest file and the throughput. A crash of the extractor on any file is
reported and makes the exit status 1.
"""

from __future__ import annotations

import collections
import shutil
import sys
import tarfile
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "corpus" / "vn-legal-2025.tar.xz"


def main() -> int:
    from cancu.extractors.pipeline import Failure, extract_file, iter_sources

    tmp = None
    if len(sys.argv) > 1:
        corpus = Path(sys.argv[1])
    else:
        tmp = Path(tempfile.mkdtemp(prefix="cancu-corpus-"))
        with tarfile.open(ARCHIVE) as tar:
            tar.extractall(tmp, filter="data")
        corpus = tmp
    try:
        files = list(iter_sources([str(corpus)]))
        read = crashed = 0
        failures: collections.Counter[str] = collections.Counter()
        kinds: collections.Counter[str] = collections.Counter()
        types: collections.Counter[str] = collections.Counter()
        relations: collections.Counter[str] = collections.Counter()  # per (document, cited document)
        link_relations: collections.Counter[str] = collections.Counter()
        citations = links = agencies = collectives = chars = 0
        slowest = (0.0, "", 0)
        start = time.perf_counter()
        for i, f in enumerate(files, 1):
            t = time.perf_counter()
            try:
                r = extract_file(f)
            except Exception:  # a bug: report it and go on
                crashed += 1
                print(f"CRASH {f}\n{traceback.format_exc()}", file=sys.stderr)
                continue
            dt = time.perf_counter() - t
            if isinstance(r, Failure):
                failures[r.reason] += 1
                continue
            read += 1
            chars += r.chars
            citations += len(r.citations)
            links += len(r.links)
            agencies += len(r.agencies)
            collectives += len(r.collectives)
            cited: dict[str, set[str]] = collections.defaultdict(set)
            for c in r.citations:
                cited[c.key].update(c.relations)
            for rels in cited.values():
                relations.update(rels)
            link_relations.update(l.relation for l in r.links)
            kinds.update(c.kind for c in r.citations)
            types[r.self.doc_type or "(none)"] += 1
            if dt > slowest[0]:
                slowest = (dt, f, r.chars)
            if i % 2000 == 0:
                print(f"  {i:,} / {len(files):,} files", file=sys.stderr)
        elapsed = time.perf_counter() - start
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"files: {len(files):,}; read: {read:,}; failed: {sum(failures.values()):,}; crashed: {crashed}")
    for reason, n in failures.most_common():
        print(f"  failed ({n:,}): {reason}")
    print(
        f"citations: {citations:,} ({', '.join(f'{k} {v:,}' for k, v in kinds.most_common())}); "
        f"links: {links:,}; agency roles: {agencies:,} named bodies, {collectives:,} collectives"
    )
    print("relations (documents citing a document in each role): " + _counts(relations))
    print("links by relation: " + _counts(link_relations))
    print("document types: " + ", ".join(f"{k} {v:,}" for k, v in types.most_common(8)))
    print(f"slowest file: {Path(slowest[1]).name} ({slowest[2]:,} characters, {slowest[0]:.2f} s)")
    print(f"{chars:,} characters in {elapsed:.0f} s: {chars / elapsed / 1e6:.2f} M characters/s, one process")
    return 1 if crashed else 0


def _counts(counter: collections.Counter[str]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


if __name__ == "__main__":
    sys.exit(main())
