"""The parallel path of the pipeline (run_budgeted): each worker holds the
file it reads and the next, so that it goes on while this process takes its
last result; a file's time runs from when its worker starts on it; files a
stopped worker held but had not started go to another; and a store built
with --jobs 2 or 3 is byte for byte the one --jobs 1 builds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from cancu.extractors.pipeline import DEPTH, Failure, run_budgeted
from cancu.graph.store import build

from .conftest import PLANS, ROOT

LINEAGE = ROOT / "tests" / "data" / "lineage"  # real pages of the corpus (see its README.md)


def _nap(item: str) -> str:
    """A task that takes ``item``'s seconds (``name:seconds``) and notes when it
    started, in the folder the name is in."""
    path, seconds = item.rsplit(":", 1)
    Path(path + ".start").write_text(repr(time.time()), encoding="ascii")
    time.sleep(float(seconds))
    return os.path.basename(path)


def started(folder: Path, name: str) -> float:
    return float((folder / f"{name}.start").read_text(encoding="ascii"))


def test_a_worker_goes_on_to_its_next_file_while_the_last_result_is_taken(tmp_path):
    assert DEPTH == 2
    items = [f"{tmp_path / n}:{s}" for n, s in (("a", 0), ("b", 0.2), ("c", 0.2))]
    got = []
    for r in run_budgeted(_nap, items, jobs=1, timeout=30):
        got.append(r)
        if r == "a":  # the results are taken slowly: a second here, for a
            time.sleep(1.0)
            released = time.time()
    assert got == ["a", "b", "c"]
    # c, held by the worker behind b, was started before a was let go: the worker did not wait
    assert started(tmp_path, "b") < started(tmp_path, "c") < released


def test_a_files_time_runs_from_when_it_is_started_not_when_it_is_handed_out(tmp_path):
    # each takes 0.6 s, under a limit of 1 s; the second waits 0.6 s in its worker's hands first
    items = [f"{tmp_path / n}:0.6" for n in ("a", "b")]
    assert list(run_budgeted(_nap, items, jobs=1, timeout=1.0)) == ["a", "b"]


def test_the_files_a_stopped_worker_held_go_to_another(tmp_path):
    items = [f"{tmp_path / n}:{s}" for n, s in (("a", 60), ("b", 0), ("c", 0))]
    results = list(run_budgeted(_nap, items, jobs=1, timeout=1.0))
    assert results[1:] == ["b", "c"]
    assert isinstance(results[0], Failure) and results[0].error == "ReadTimeout"
    assert results[0].source == items[0]
    # b was handed to the first worker with a, and read only once that one was stopped
    assert started(tmp_path, "b") > started(tmp_path, "a") + 1.0


def snapshot(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def test_the_store_is_the_same_with_any_number_of_workers(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(PLANS, src / "plans")
    shutil.copytree(LINEAGE, src / "lineage")
    stores = {}
    for jobs in (1, 2, 3):
        report = build([str(src)], tmp_path / f"s{jobs}", jobs=jobs)
        assert (len(report.added), report.failed) == (21, [])  # 5 plans, 16 pages
        stores[jobs] = snapshot(tmp_path / f"s{jobs}")
    assert len(stores[1]) > 21
    assert stores[2] == stores[1] and stores[3] == stores[1]


def test_without_jobs_a_command_reads_with_one_worker_per_usable_core(monkeypatch):
    from cancu.extractors import pipeline

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert pipeline.usable_cores() == 3
    assert [pipeline.default_jobs(n) for n in (0, 1, 2, 5)] == [1, 1, 2, 3]


def test_extract_and_build_without_jobs_read_on_every_core_with_the_same_output(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from cancu.cli import main
    from cancu.extractors import pipeline

    asked = []
    real = pipeline.run_budgeted

    def noted(task, items, jobs=1, **kw):
        items = list(items)
        if items:
            asked.append((len(items), jobs))
        return real(task, items, jobs=jobs, **kw)

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(pipeline, "run_budgeted", noted)
    runner = CliRunner()
    default = runner.invoke(main, ["extract", str(PLANS), "--format", "jsonl"])
    one = runner.invoke(main, ["extract", str(PLANS), "--format", "jsonl", "--jobs", "1"])
    single = runner.invoke(main, ["extract", str(PLANS / "yen-bai-2024-ttdn.txt"), "--format", "jsonl"])
    assert default.exit_code == one.exit_code == single.exit_code == 0
    assert default.output == one.output
    assert asked == [(5, 2), (5, 1), (1, 1)]
    asked.clear()
    built = runner.invoke(main, ["build", str(PLANS), "--store", str(tmp_path / "store")])
    assert built.exit_code == 0, built.output
    assert asked == [(5, 2)]
