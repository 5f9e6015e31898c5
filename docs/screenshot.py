"""Regenerate the README's screenshot of the focus view (docs/img/focus-57-KL-TW.png):

    python docs/screenshot.py

Builds the bundled plans into a temporary store, runs
``cancu viz --focus 57-KL/TW --depth 3`` and photographs the page in headless
Chromium (Debian's ``chromium`` with Playwright, network off) once its
layout has settled.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img" / "focus-57-KL-TW.png"


def main() -> int:
    from click.testing import CliRunner

    from cancu.cli import main as cancu
    from tests.browser import Page, browser, chromium_path

    if chromium_path() is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        store, page = f"{tmp}/store", f"{tmp}/focus.html"
        for args in (
            ["build", str(ROOT / "data" / "plans"), "--store", store],
            ["viz", "--focus", "57-KL/TW", "--depth", "3", "--out", page, "--store", store],
        ):
            r = CliRunner().invoke(cancu, args)
            if r.exit_code:
                print(r.output, file=sys.stderr)
                return 1
        with browser(width=1200, height=680) as ctx:
            p = Page(ctx, page)
            p.wait_stabilized()
            if p.errors:
                print("\n".join(p.errors), file=sys.stderr)
                return 1
            p.screenshot(OUT)
    print(OUT.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
