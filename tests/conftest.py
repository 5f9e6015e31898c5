"""Shared fixtures: the bundled plans (data/plans) and the shared evaluation
material beside the repository (../shared), which CI always has."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
SHARED = ROOT.parent / "shared"

#: the bundled plans by the seed names the gold file uses
SEED_NAMES = {
    "000_284ce30caaf96d7f.txt": "yen-bai-2024-ttdn.txt",
    "001_dfaa92e673619061.txt": "phu-tho-2025-ttdn.txt",
    "002_9fdcfb7b019d657a.txt": "cao-bang-2023-ttdn.txt",
    "003_8437af1b69e885c0.txt": "thua-thien-hue-2024-ttdn-du-thao.txt",
    "004_c9efa82d7878b3ec.txt": "lao-cai-2022-ttdn.txt",
}


# the compiled patterns' cache (extractors/patterncache.py) of this run, in
# a folder of its own: the tests write nothing to the user's cache folder
# (the processes they start inherit it)
if "CANCU_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["CANCU_CACHE_DIR"] = tempfile.mkdtemp(prefix="cancu-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CANCU_CACHE_DIR"], True)


def require(condition: bool, what: str) -> None:
    """Skip when a tool or file is missing, except in CI (CANCU_REQUIRE_TOOLS=1),
    where a missing tool is a failure."""
    if condition:
        return
    if os.environ.get("CANCU_REQUIRE_TOOLS") == "1":
        pytest.fail(f"required for this test but missing: {what}")
    pytest.skip(f"missing: {what}")


def plan_text(name: str) -> str:
    return (PLANS / name).read_text(encoding="utf-8")


def plans_store(root: Path, *extra: Path) -> str:
    """The path of a store that ``cancu build`` made under ``root`` from a copy
    of the bundled plans (and of the files ``extra``), checked to succeed."""
    import shutil

    from click.testing import CliRunner

    from cancu.cli import main

    shutil.copytree(PLANS, root / "plans", ignore=shutil.ignore_patterns("*.md"))
    for f in extra:
        shutil.copy(f, root / "plans")
    r = CliRunner().invoke(main, ["build", str(root / "plans"), "--store", str(root / "store")])
    assert r.exit_code == 0, r.output
    return str(root / "store")


@pytest.fixture(scope="session")
def plans_records():
    """Extraction records of the five bundled plans, by file name."""
    from cancu.extractors.pipeline import extract_paths

    return {Path(r.source).name: r for r in extract_paths([str(PLANS)])}


@pytest.fixture(scope="session")
def wheel_names(wheel_path) -> set[str]:
    """The names inside the wheel that ``pip wheel .`` builds from this checkout."""
    import zipfile

    return set(zipfile.ZipFile(wheel_path).namelist())


@pytest.fixture(scope="session")
def wheel_path(tmp_path_factory):
    """The wheel that ``pip wheel .`` builds from this checkout (from a copy,
    so that no build/ folder is left in the checkout, nor read from it)."""
    import shutil
    import subprocess
    import sys

    ignore = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", "*.egg-info", "__pycache__", ".cancu", "artifacts", ".hypothesis"
    )
    src = tmp_path_factory.mktemp("src") / "cancu"
    shutil.copytree(ROOT, src, ignore=ignore)
    out_dir = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out_dir), "."]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=src)
    assert out.returncode == 0, out.stderr[-2000:]
    return next(out_dir.glob("cancu-*.whl"))
