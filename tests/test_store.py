"""The embedded store: byte-identical rebuilds, incremental updates, pruning."""

import json
import shutil
from pathlib import Path

import pytest

from cancu.graph.errors import StoreError
from cancu.graph.store import build, load_graph, read_manifest

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


def snapshot(store: Path) -> dict:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    plans = root / "plans"
    shutil.copytree(PLANS, plans, ignore=shutil.ignore_patterns("*.md"))
    build([str(plans)], root / "s1")
    return root, plans, snapshot(root / "s1")


def test_manifest(base):
    root, plans, _ = base
    m = read_manifest(root / "s1")
    assert (m["format"], m["version"]) == ("cancu-store", 2)
    assert json.loads((root / "s1" / "cancu-store.json").read_text()) == {"format": "cancu-store", "version": 2}
    assert len(m["sources"]) == 5
    entry = m["sources"][str(plans / "yen-bai-2024-ttdn.txt")]
    assert (entry["province"], entry["year"], entry["status"]) == ("Yên Bái", 2024, "issued")
    assert m["graph"]["nodes"] == load_graph(root / "s1").number_of_nodes()


def test_rebuild_changes_nothing(base, tmp_path):
    root, plans, snap = base
    store = tmp_path / "s"
    shutil.copytree(root / "s1", store)
    report = build([str(plans)], store)
    assert not report.changed and len(report.kept) == 5
    assert snapshot(store) == snap


def test_build_from_scratch_is_byte_identical(base, tmp_path):
    root, plans, snap = base
    build([str(plans)], tmp_path / "s")
    assert snapshot(tmp_path / "s") == snap


def test_build_streams_each_record_to_the_new_store_as_it_is_made(base, tmp_path):
    """Records are written one by one beside the old store while the others are
    still being read, not held until the end: by the time each file is
    reported done, its record is in ``STORE.tmp-PID/sources`` and the graph
    has taken it; the store itself is swapped in only at the end."""
    import os

    from cancu.graph.store import _tmp_of

    root, plans, snap = base
    store = tmp_path / "s"
    seen = []

    def progress(source, done, total):
        sources = _tmp_of(store) / "sources"
        seen.append((len(os.listdir(sources)) if sources.exists() else None, store.exists()))

    build([str(plans)], store, progress=progress)
    assert seen == [(1, False), (2, False), (3, False), (4, False), (5, False)]
    assert snapshot(store) == snap and not _tmp_of(store).exists()
    # a second build keeps every record as it is (hashed, not extracted): nothing is written
    seen.clear()
    report = build([str(plans)], store, progress=progress)
    assert not report.changed and seen == [(None, True)] * 5 and snapshot(store) == snap


def _edges_by_plan(G):
    """Every piece of evidence, by the plan that states it."""
    from cancu.graph.model import occurrences

    out = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        for o in occurrences(d):
            if o.get("source_plan") is None:
                continue  # the lineage of provinces: from the reviewed data file, no text's statement
            out.setdefault(o["source_plan"], set()).add((u, v, k, json.dumps(o, sort_keys=True, ensure_ascii=False)))
    return out


def test_changed_file_replaces_only_its_contributions(base, tmp_path):
    root, _, _ = base
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans, ignore=shutil.ignore_patterns("*.md"))
    store = tmp_path / "s"
    build([str(plans)], store)
    before = _edges_by_plan(load_graph(store))
    f = plans / "cao-bang-2023-ttdn.txt"
    f.write_text(
        f.read_text(encoding="utf-8") + "\nThực hiện Quyết định số 1191/QĐ-TTg ngày 05/8/2020 "
        "của Thủ tướng Chính phủ.\n",
        encoding="utf-8",
    )
    report = build([str(plans)], store)
    assert report.replaced == [str(f)] and len(report.kept) == 4
    after = _edges_by_plan(load_graph(store))
    old_cb = [p for p in before if p.startswith("plan:cao-bang")]
    new_cb = [p for p in after if p.startswith("plan:cao-bang")]
    assert old_cb != new_cb and len(new_cb) == 1
    assert {p: e for p, e in before.items() if p not in old_cb} == {p: e for p, e in after.items() if p not in new_cb}
    assert any(v == "doc:1191/qđ-ttg@2020" for _, v, _, _ in after[new_cb[0]])


def test_new_file_adds_and_prune_removes_only_what_is_gone(base, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans, ignore=shutil.ignore_patterns("*.md"))
    store = tmp_path / "s"
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(PLANS / "yen-bai-2024-ttdn.txt", extra / "copy.txt")
    (plans / "lao-cai-2022-ttdn.txt").rename(extra / "lao-cai.txt")
    build([str(plans)], store)
    report = build([str(plans), str(extra / "lao-cai.txt")], store)
    assert report.added == [str(extra / "lao-cai.txt")]
    assert len(read_manifest(store)["sources"]) == 5
    report = build([str(plans)], store)  # not named: kept without --prune
    assert len(read_manifest(store)["sources"]) == 5 and not report.changed
    report = build([str(plans)], store, prune=True)  # not under the named paths: kept with --prune too
    assert report.pruned == [] and len(read_manifest(store)["sources"]) == 5
    (extra / "lao-cai.txt").unlink()
    (plans / "cao-bang-2023-ttdn.txt").unlink()
    report = build([str(plans)], store, prune=True)  # gone, but only cao-bang is under plans
    assert report.pruned == [str(plans / "cao-bang-2023-ttdn.txt")]
    report = build([str(plans), str(extra)], store, prune=True)
    assert (report.pruned, report.added) == ([str(extra / "lao-cai.txt")], [str(extra / "copy.txt")])
    assert sorted(read_manifest(store)["sources"]) == sorted(
        [str(extra / "copy.txt")] + [str(p) for p in plans.iterdir()]
    )
    G = load_graph(store)
    # copy.txt holds the text of yen-bai-2024-ttdn.txt: one document, both files named
    yb = [d for _, d in G.nodes(data=True) if d.get("ingested") and d.get("province") == "Yên Bái"]
    assert [(d["source"], d["files"]) for d in yb] == [
        (str(extra / "copy.txt"), [str(extra / "copy.txt"), str(plans / "yen-bai-2024-ttdn.txt")])
    ]
    assert [d.get("files") for _, d in G.nodes(data=True) if d.get("ingested") and d.get("province") != "Yên Bái"] == [
        None,
        None,
    ]
    assert not any(d.get("province") == "Lào Cai" for _, d in G.nodes(data=True) if d.get("ingested"))
    assert "doc:07-qc/tu@lao-cai" not in G


def test_missing_store():
    with pytest.raises(StoreError, match="no store at /nonexistent"):
        load_graph("/nonexistent")


def test_a_copy_of_a_plan_is_found_by_either_file_name(tmp_path):
    # two files with the same text are one document; a question names it by either file
    from cancu.graph.query import basis
    from cancu.graph.store import build, load_graph

    from .conftest import PLANS

    src = (PLANS / "yen-bai-2024-ttdn.txt").read_text(encoding="utf-8")
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.txt").write_text(src, encoding="utf-8")
    (folder / "b.txt").write_text(src, encoding="utf-8")
    build([str(folder)], tmp_path / "store")
    G = load_graph(tmp_path / "store")
    assert basis(G, "a.txt") == basis(G, "b.txt") != []


def test_a_file_that_stops_its_reader_while_hashed_is_named_and_the_others_kept(tmp_path, monkeypatch):
    """Unchanged files are hashed HASH_CHUNK at a time; when one of a chunk
    goes past the time limit, the chunk is hashed again file by file, so the
    failure names that file and its record is kept, as are the others'."""
    import time

    from cancu.extractors import pipeline
    from cancu.extractors.pipeline import HASH_CHUNK

    plans = tmp_path / "plans"
    plans.mkdir()
    text = (PLANS / "cao-bang-2023-ttdn.txt").read_text(encoding="utf-8")
    n = HASH_CHUNK + 4
    for i in range(n):  # data/plans/cao-bang-2023-ttdn.txt, each copy with a line of its own
        (plans / f"{i:02d}.txt").write_text(text + f"\nBản sao {i}.\n", encoding="utf-8")
    store = tmp_path / "s"
    assert len(build([str(plans)], store).added) == n
    before = snapshot(store)
    slow = str(plans / "05.txt")
    real = pipeline.read_source

    def read_source(path, max_bytes=None):
        if path == slow:
            time.sleep(30)
        return real(path, max_bytes)

    # a byte order mark changes each file's bytes, not its text: each is hashed through its reader again
    for f in plans.iterdir():
        f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    monkeypatch.setattr(pipeline, "read_source", read_source)  # the forked readers inherit it
    report = build([str(plans)], store, timeout=0.5)
    assert [f for f, _ in report.failed] == [slow]
    assert report.failed[0][1].startswith("reading took longer than the time limit of 0.5 s")
    assert len(report.kept) == n - 1 and not report.changed
    assert snapshot(store) == before  # nothing changed: the store is not written


def test_a_file_whose_bytes_are_unchanged_is_kept_without_being_read_again(base, tmp_path, monkeypatch):
    """The store keeps each file's byte hash (file_sha256, taken before it was
    extracted): a file whose bytes hash the same is not read through its
    reader again; one whose bytes changed is, and its text decides."""
    from cancu.extractors import pipeline

    root, plans, snap = base
    store = tmp_path / "s"
    shutil.copytree(root / "s1", store)
    m = read_manifest(store)
    assert all(len(e["file_sha256"]) == 64 for e in m["sources"].values())

    def unread(path, max_bytes=None):
        raise AssertionError(f"read again: {path}")

    monkeypatch.setattr(pipeline, "read_source", unread)
    report = build([str(plans)], store)
    assert not report.changed and len(report.kept) == 5 and not report.failed
    assert snapshot(store) == snap
