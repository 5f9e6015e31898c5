"""Headless Chromium for the page tests, the README screenshot
(docs/screenshot.py) and the viz benchmark (bench/viz_bench.py): Debian's
``chromium`` driven by Playwright for Python (no browser download), with the
network off and a fresh profile.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The ``chromium`` binary (Debian package ``chromium``), or None."""
    return shutil.which("chromium")


def have_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def browser(width: int = 1400, height: int = 900):
    """A Playwright browser context on a fresh user-data-dir, offline."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="cancu-chromium-")
    try:
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=ARGS,
                offline=True,
                viewport={"width": width, "height": height},
            )
            try:
                yield ctx
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """A page opened from a file, with what it logged: ``errors`` (console
    errors and uncaught exceptions) and ``external`` (requests to anything
    but the file itself and data: URLs)."""

    def __init__(self, ctx, path: str | Path):
        self.page = ctx.new_page()
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page.on(
            "console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        url = Path(path).resolve().as_uri()

        def on_request(req):
            if req.url != url and not req.url.startswith(("data:", "blob:", "about:")):
                self.external.append(req.url)

        self.page.on("request", on_request)
        t = time.perf_counter()
        self.page.goto(url, wait_until="load")
        self.load_seconds = time.perf_counter() - t

    def wait_stabilized(self, timeout_ms: int = 120_000) -> float:
        """Wait until the graph page's layout has settled (physics off); the
        seconds it took since the page started loading."""
        t = time.perf_counter()
        self.page.wait_for_function("window.cancuStabilized === true", timeout=timeout_ms, polling=100)
        return self.load_seconds + time.perf_counter() - t

    def counts(self) -> dict:
        """Nodes and edges in the page's vis DataSets and in the network."""
        return self.page.evaluate("""() => ({nodes: nodes.length, edges: edges.length,
            network_nodes: network.body.data.nodes.length, network_edges: network.body.data.edges.length,
            physics: network.physics.physicsEnabled})""")

    def screenshot(self, path: str | Path, full_page: bool = False) -> Path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=full_page)
        return Path(path)
