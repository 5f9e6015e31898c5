"""An interrupted `cancu build` leaves the previous store whole and readable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cancu.graph.store import build, load_graph, read_manifest

from .conftest import PLANS


def snapshot(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


@pytest.fixture()
def store_and_big_input(tmp_path):
    store = tmp_path / "store"
    build([str(p) for p in sorted(PLANS.glob("*.txt"))], store)
    big = tmp_path / "many"
    big.mkdir()
    for i in range(150):
        for p in sorted(PLANS.glob("*.txt")):
            shutil.copy(p, big / f"{i:03d}-{p.name}")
    return store, big


def cancu(*args, env=None):
    exe = Path(sys.executable).with_name("cancu")
    return subprocess.Popen([str(exe), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def readers_folders(tmp: Path, wait: float = 10.0) -> list[str]:
    """The reader workers' folders of temporary files left in ``tmp``, once
    the workers had ``wait`` seconds to end."""
    deadline = time.monotonic() + wait
    while True:
        left = sorted(p.name for p in tmp.glob("cancu-reader-*"))
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_interrupted_build_leaves_the_old_store(store_and_big_input, sig):
    store, big = store_and_big_input
    before = snapshot(store)
    tmp = store.parent / "tmp"  # the build's temporary files, the readers' among them
    tmp.mkdir()
    proc = cancu("build", str(big), "--store", str(store), env={**os.environ, "TMPDIR": str(tmp)})
    time.sleep(3)  # 750 files take far longer than this to extract
    assert proc.poll() is None, "the build finished before it could be interrupted"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert err.splitlines()[-1] == f"cancu: interrupted; the store {store} was left as it was."
        assert "Traceback" not in err
    else:
        assert proc.returncode == -signal.SIGKILL
    assert snapshot(store) == before
    assert len(read_manifest(store)["sources"]) == 5
    assert load_graph(store).number_of_nodes() > 0
    # the readers' folders are removed: by the build, or by each reader when the build was killed
    assert readers_folders(tmp) == []


def test_a_swap_cut_between_its_two_renames_is_finished(tmp_path):
    store = tmp_path / "store"
    build([str(PLANS / "phu-tho-2025-ttdn.txt")], store)
    old = snapshot(store)
    # the old store renamed away, the new one complete but not yet renamed in
    new = tmp_path / "store.tmp-999999"
    shutil.copytree(store, new)
    store.rename(tmp_path / "store.old-999999")
    assert not store.exists()
    assert read_manifest(store)["sources"]  # recovers on open
    assert snapshot(store) == old
    assert sorted(os.listdir(tmp_path)) == ["store"]


def test_a_swap_cut_before_the_new_store_was_complete_restores_the_old(tmp_path):
    store = tmp_path / "store"
    build([str(PLANS / "phu-tho-2025-ttdn.txt")], store)
    old = snapshot(store)
    half = tmp_path / "store.tmp-999999"
    (half / "sources").mkdir(parents=True)  # killed before its manifest was written
    store.rename(tmp_path / "store.old-999999")
    assert load_graph(store).number_of_nodes() > 0
    assert snapshot(store) == old
    assert sorted(os.listdir(tmp_path)) == ["store"]
