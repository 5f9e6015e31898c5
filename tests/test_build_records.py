"""`cancu build --records FILE`: the store built from the JSON lines of
`cancu extract --format jsonl` (made here or on another machine) equals the
store built from the files, byte for byte but for the files' byte hashes
(the files are not read); records already held are kept;
a line that is not a record is one clear line and the others still go in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main

from .conftest import PLANS


def snapshot(store: Path) -> dict:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def same_store(a: Path, b: Path) -> bool:
    """Byte for byte the same records and graph, and the same manifest but for
    the files' byte hashes (``file_sha256``) and the search index, which a
    store built from records cannot know: the files are not read (what its
    index holds instead is tested in test_search.py)."""
    import json

    sa, sb = snapshot(a), snapshot(b)
    ma, mb = (json.loads(s.pop("manifest.json")) for s in (sa, sb))
    for s in (sa, sb):
        s.pop("search.sqlite")
    for m in (ma, mb):
        m.pop("checksum")
        m.pop("search")
        for e in m["sources"].values():
            e.pop("file_sha256", None)
    return sa == sb and ma == mb


def cancu(*args, cwd: Path):
    """Run cancu in the folder ``cwd/work`` (paths in records are relative, as users give them)."""
    here = os.getcwd()
    os.chdir(cwd / "work")
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(here)


@pytest.fixture
def work(tmp_path):
    """A folder with the bundled plans under plans/ and their records in all.jsonl."""
    (tmp_path / "work").mkdir()
    shutil.copytree(PLANS, tmp_path / "work" / "plans", ignore=shutil.ignore_patterns("*.md"))
    r = cancu("extract", "plans", "--format", "jsonl", cwd=tmp_path)
    assert r.exit_code == 0
    (tmp_path / "work" / "all.jsonl").write_text(r.stdout, encoding="utf-8")
    return tmp_path


def test_a_store_from_records_equals_the_store_from_files(work):
    r = cancu("build", "--records", "all.jsonl", "--store", "A", cwd=work)
    assert r.exit_code == 0
    assert r.stdout == "A: 5 added, 0 replaced, 0 unchanged, 0 pruned, 0 failed; 320 nodes, 756 relationships.\n"
    assert cancu("build", "plans", "--store", "B", cwd=work).exit_code == 0
    assert same_store(work / "work" / "A", work / "work" / "B")
    assert b"file_sha256" not in (work / "work" / "A" / "manifest.json").read_bytes()
    assert (work / "work" / "B" / "manifest.json").read_bytes().count(b"file_sha256") == 5
    # the same records again: every one is kept, nothing is written
    before = snapshot(work / "work" / "A")
    r = cancu("build", "--records", "all.jsonl", "--store", "A", cwd=work)
    assert r.stdout == "A: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; 320 nodes, 756 relationships.\n"
    assert snapshot(work / "work" / "A") == before


def test_the_record_of_a_changed_file_replaces_its_own(work):
    w = work / "work"
    assert cancu("build", "--records", "all.jsonl", "--store", "A", cwd=work).exit_code == 0
    # data/plans/cao-bang-2023-ttdn.txt loses its last line; only its record is extracted again
    plan = w / "plans" / "cao-bang-2023-ttdn.txt"
    plan.write_text(plan.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    r = cancu("extract", "plans/cao-bang-2023-ttdn.txt", "--format", "jsonl", cwd=work)
    (w / "one.jsonl").write_text(r.stdout, encoding="utf-8")
    r = cancu("build", "--records", "one.jsonl", "--store", "A", cwd=work)
    assert r.exit_code == 0 and r.stdout.startswith("A: 0 added, 1 replaced, 0 unchanged, 0 pruned, 0 failed;")
    assert cancu("build", "plans", "--store", "B", cwd=work).exit_code == 0
    assert same_store(w / "A", w / "B")


def test_lines_that_are_not_records_are_reported_and_the_rest_built(work):
    w = work / "work"
    lines = (w / "all.jsonl").read_text(encoding="utf-8").splitlines()
    bad = [
        lines[0][:300],  # cut short
        lines[1],
        '{"source": "plans/x.txt", "sha256": "00"}',
        lines[1],
        "[1, 2]",
    ]
    (w / "bad.jsonl").write_text("\n".join(bad) + "\n", encoding="utf-8")
    r = cancu("build", "--records", "bad.jsonl", "--store", "C", cwd=work)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "cancu: cannot read bad.jsonl: line 1 is not JSON",
        "cancu: cannot read bad.jsonl: line 4 gives the record of plans/lao-cai-2022-ttdn.txt again; line 2 is used",
        "cancu: cannot read bad.jsonl: line 5 is not an extraction record (it names no source)",
        "cancu: cannot read plans/x.txt: line 3 of bad.jsonl is not a whole extraction record (it lacks format, "
        "chars, body, self, citations, named, links, agencies, tasks)",
    ]
    assert r.stdout.startswith("C: 1 added, 0 replaced, 0 unchanged, 0 pruned, 4 failed;")


def test_records_with_paths_or_a_missing_file_are_refused(work):
    r = cancu("build", "plans", "--records", "all.jsonl", "--store", "C", cwd=work)
    assert r.exit_code == 2 and r.stderr.endswith(
        "Error: --records FILE builds from those records alone: give no PATHS, --prune or --rebuild.\n"
    )
    r = cancu("build", "--records", "nope.jsonl", "--store", "C", cwd=work)
    assert (r.exit_code, r.stderr) == (1, "Error: cannot read the records nope.jsonl: No such file or directory\n")
    assert not (work / "work" / "C").exists()
