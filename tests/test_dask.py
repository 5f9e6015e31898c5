"""`cancu extract --scheduler`: extraction fanned out on a Dask cluster
(dask.distributed) writes the same JSON lines as one process, in the same
order, failures included. The cluster is a real LocalCluster of two worker
processes; its scheduler is reached over TCP as a remote one would be."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from cancu.cli import main

from .conftest import PLANS, ROOT, require

DEV = ROOT.parent / "shared" / "eval" / "dev"


@pytest.fixture(scope="module")
def scheduler():
    try:
        from dask.distributed import LocalCluster
    except ImportError:
        require(False, "dask.distributed (pip install -e '.[test]')")
    import logging

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The bundled plans, the 17 real documents of the dev set (where present)
    and one file that cannot be read (a .docx that is not a zip)."""
    root = tmp_path_factory.mktemp("dask")
    shutil.copytree(PLANS, root / "plans", ignore=shutil.ignore_patterns("*.md"))
    if DEV.is_dir():
        shutil.copytree(DEV, root / "dev")
    (root / "plans" / "hong.docx").write_bytes(b"not a zip archive")
    return root


def extract(inputs, *extra):
    here = os.getcwd()
    os.chdir(inputs)
    try:
        return CliRunner().invoke(main, ["extract", ".", "--format", "jsonl", *extra])
    finally:
        os.chdir(here)


def test_the_cluster_writes_what_one_process_writes(scheduler, inputs):
    one = extract(inputs, "--jobs", "1")
    assert one.exit_code == 1  # the .docx that is not one
    on_dask = extract(inputs, "--scheduler", scheduler)
    assert on_dask.exit_code == 1
    assert on_dask.stdout_bytes == one.stdout_bytes
    assert on_dask.stderr == one.stderr
    lines = on_dask.stdout.splitlines()
    assert len(lines) == 5 + (17 if DEV.is_dir() else 0)
    first = "dev/" if DEV.is_dir() else "plans/"
    assert lines[0].startswith('{"source": "' + first)
    assert one.stderr.splitlines()[0].startswith("cancu: cannot read plans/hong.docx: ")


def test_an_unreachable_scheduler_is_one_line(inputs, monkeypatch):
    from cancu.extractors import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    r = extract(inputs, "--scheduler", "tcp://127.0.0.1:9")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1] == (
        "Error: cannot reach the Dask scheduler tcp://127.0.0.1:9: Timed out trying to connect to "
        "tcp://127.0.0.1:9 after 2 s; or read here without --scheduler"
    )


def test_time_limits_are_said_not_to_hold_on_a_cluster(scheduler, inputs):
    r = extract(inputs, "--scheduler", scheduler, "--timeout", "30")
    assert r.stderr.splitlines()[0] == (
        "cancu: --timeout cannot be enforced on a Dask cluster (its workers' --memory-limit is)"
    )
