"""Regenerate the screenshots of docs/img/ in headless Chromium:

    python docs/screenshot.py [--corpus DIR]

- ``focus-57-KL-TW.png``: ``cancu viz --focus 57-KL/TW --depth 3`` on the
  bundled plans (data/plans);
- ``annotate-8718801c503045f9.png`` and ``annotate-8718801c503045f9-tasks.png``:
  ``cancu annotate`` on a crawled Markdown plan, Kế hoạch 617/KH-UBND of
  Đồng Tháp (tests/data/plans-md/8718801c503045f9.md): the top of the page
  (the counts, the header table, the preamble's citations) and its appendix
  of tasks (the agencies leading and supporting each);
- ``corpus-plans.png``: ``cancu viz`` (the full view) of the corpus' plans,
  the pages of the real corpus (``--corpus``, by default
  /tmp/corpus/vn-legal-2025, unpacked from ../shared/corpus/vn-legal-2025.tar.xz)
  that the extraction reads as a Kế hoạch; they are looked for among the
  pages whose first 4,000 characters say "KẾ HOẠCH" or "/KH-" (on
  vn-legal-2025 these hold all 21 that a scan of every page finds).

Each page is opened from disk with the network off (Debian's ``chromium``
driven by Playwright, tests/browser.py) and photographed once its layout
has settled; a page that logs an error stops the script.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
CRAWLED = ROOT / "tests" / "data" / "plans-md" / "8718801c503045f9.md"
CORPUS = Path("/tmp/corpus/vn-legal-2025")
#: a plan says so near its top
PLAN_HINT = re.compile(r"KẾ HOẠCH|/KH-")
sys.path.insert(0, str(ROOT))  # tests/browser.py


class Failed(Exception):
    """A step that went wrong, with the one line that says why."""


def cancu(*args: str) -> str:
    from click.testing import CliRunner

    from cancu.cli import main

    r = CliRunner().invoke(main, list(args))
    if r.exit_code:
        raise Failed(f"cancu {' '.join(args)}: {r.output.strip()}")
    return r.output


def corpus_plans(corpus: Path) -> list[Path]:
    """The pages of ``corpus`` that the extraction reads as a Kế hoạch."""
    from cancu.extractors.pipeline import Failure, extract_file

    if not corpus.is_dir():
        raise Failed(
            f"no corpus at {corpus} (unpack it: mkdir -p /tmp/corpus && tar -xJf "
            "../shared/corpus/vn-legal-2025.tar.xz -C /tmp/corpus, or pass --corpus DIR)"
        )
    out = []
    for path in sorted(corpus.glob("*.md")):
        with open(path, encoding="utf-8", errors="replace") as f:
            if not PLAN_HINT.search(f.read(4000)):
                continue
        rec = extract_file(str(path))
        if not isinstance(rec, Failure) and getattr(rec.self, "doc_type", None) == "Kế hoạch":
            out.append(path)
    if not out:
        raise Failed(f"no plan (Kế hoạch) among the pages of {corpus}")
    return out


def photograph(ctx, page: Path, out: Path, graph: bool, scroll_to: str | None = None) -> None:
    from tests.browser import Page

    p = Page(ctx, page)
    if graph:
        p.wait_stabilized()
    if scroll_to:
        p.page.evaluate(
            """t => { const el = Array.from(document.querySelectorAll('#text p'))
                .find(e => e.textContent.includes(t));
                window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12); }""",
            scroll_to,
        )
    if p.errors:
        raise Failed(f"{page.name}: " + "; ".join(p.errors))
    p.screenshot(out)
    p.page.close()
    print(out.relative_to(ROOT))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS, help=f"the unpacked corpus (default {CORPUS})")
    args = ap.parse_args(argv)
    args.corpus = args.corpus.resolve()
    os.chdir(ROOT)  # the pages name their files from the repository
    from tests.browser import browser, chromium_path

    if chromium_path() is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            plans = corpus_plans(args.corpus)
            store = str(tmp / "store")
            cancu("build", str(ROOT / "data" / "plans"), "--store", store)
            cancu("viz", "--focus", "57-KL/TW", "--depth", "3", "--out", str(tmp / "focus.html"), "--store", store)
            cancu("annotate", str(CRAWLED.relative_to(ROOT)), "--out", str(tmp / "annotate.html"))
            (tmp / "plans").mkdir()
            for path in plans:
                shutil.copy(path, tmp / "plans")
            corpus_store = str(tmp / "corpus-store")
            cancu("build", str(tmp / "plans"), "--store", corpus_store)
            print(cancu("viz", "--out", str(tmp / "corpus.html"), "--store", corpus_store).strip())
            with browser(width=1200, height=680) as ctx:
                photograph(ctx, tmp / "focus.html", IMG / "focus-57-KL-TW.png", graph=True)
            with browser(width=1200, height=900) as ctx:
                photograph(ctx, tmp / "annotate.html", IMG / f"annotate-{CRAWLED.stem}.png", graph=False)
                photograph(
                    ctx,
                    tmp / "annotate.html",
                    IMG / f"annotate-{CRAWLED.stem}-tasks.png",
                    graph=False,
                    scroll_to="DANH MỤC CÁC NHIỆM VỤ",
                )
            with browser(width=1400, height=900) as ctx:
                photograph(ctx, tmp / "corpus.html", IMG / "corpus-plans.png", graph=True)
    except Failed as e:
        print(f"screenshot: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
