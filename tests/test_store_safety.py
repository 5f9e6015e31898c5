"""The store never loses a user's data (issue 9, items 1-4, 12, 13): a build
writes only into a store, prunes only what is gone, one build at a time;
damaged store files are found, named in one line and repaired. Every
hostile folder or file is made here by the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cancu.cli import main
from cancu.graph.errors import StoreError
from cancu.graph.store import (
    MANIFEST,
    MARKER,
    StoreLock,
    build,
    graph_to_json,
    load_graph,
    read_manifest,
    read_records,
    source_file,
)

from .conftest import PLANS

CANCU = str(Path(sys.executable).with_name("cancu"))
NAMES = sorted(p.name for p in PLANS.glob("*.txt"))
SUMMARY = "320 nodes, 756 relationships."


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the store and whatever is beside it)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args):
    return CliRunner().invoke(main, list(args))


def no_traceback(r) -> bool:
    return r.exception is None or isinstance(r.exception, SystemExit)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """``plans/`` (the five bundled plans) and ``s``, their store, built
    with relative paths from the folder that holds both."""
    root = tmp_path_factory.mktemp("base")
    (root / "plans").mkdir()
    for n in NAMES:
        shutil.copy(PLANS / n, root / "plans" / n)
    here = os.getcwd()
    os.chdir(root)
    try:
        build(["plans"], "s")
    finally:
        os.chdir(here)
    return root, snapshot(root / "s")


@pytest.fixture()
def site(base, tmp_path, monkeypatch):
    """A fresh copy of the base folder, as the current folder."""
    root, _ = base
    shutil.copytree(root / "plans", tmp_path / "plans")
    shutil.copytree(root / "s", tmp_path / "s")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def record_name(plan: str) -> str:
    return source_file(f"plans/{plan}")


# -- 1. only a store is written --------------------------------------------------------


def test_a_folder_of_someone_s_files_is_refused_and_kept(site):
    (site / "data" / "notes").mkdir(parents=True)
    (site / "data" / "notes" / "a.txt").write_text("ghi chú", encoding="utf-8")
    (site / "data" / "graph.json").write_text("{}", encoding="utf-8")  # looks like a store's file, is not one
    before = snapshot(site)
    r = run("build", "plans", "--store", "data")
    assert (r.exit_code, r.output) == (
        1,
        "Error: data is not a cancu store and is not empty; choose an empty or new folder for --store\n",
    )
    assert snapshot(site) == before and sorted(os.listdir(site)) == ["data", "plans", "s"]


@pytest.mark.parametrize(
    "inputs, store, named",
    [
        (["plans"], "plans", "plans"),
        (["data/plans"], "data", "data/plans"),
        (["data/plans/yen-bai-2024-ttdn.txt"], "data/plans", "data/plans/yen-bai-2024-ttdn.txt"),
    ],
)
def test_a_folder_holding_the_inputs_is_refused(site, inputs, store, named):
    shutil.copytree(site / "plans", site / "data" / "plans")
    before = snapshot(site)
    r = run("build", *inputs, "--store", store)
    assert (r.exit_code, r.output) == (
        1,
        f"Error: the store folder {store} holds inputs being built ({named}); choose another --store\n",
    )
    assert snapshot(site) == before


def test_an_input_that_links_into_the_store_is_refused(site):
    """A file found under PATHS that is a link to a file of the store is an
    input the store holds (its folder is not: links are resolved file by
    file, not only by folder)."""
    (site / "more").mkdir()
    os.symlink(site / "s" / MANIFEST, site / "more" / "manifest.txt")
    before = snapshot(site)
    r = run("build", "plans", "more", "--store", "s")
    assert (r.exit_code, r.output) == (
        1,
        "Error: the store folder s holds inputs being built (more/manifest.txt); choose another --store\n",
    )
    assert snapshot(site) == before


def test_the_current_folder_is_refused_without_a_traceback(site, monkeypatch):
    before = snapshot(site)
    r = run("build", "plans", "--store", ".")
    assert (r.exit_code, r.output) == (
        1,
        "Error: the store folder . holds the current folder; choose a folder inside it for --store, such as .cancu\n",
    )
    (site / "empty").mkdir()
    monkeypatch.chdir(site / "empty")
    r = run("build", "../plans", "--store", ".")
    assert (r.exit_code, r.output) == (
        1,
        "Error: the store folder . holds the current folder; choose a folder inside it for --store, such as .cancu\n",
    )
    r = run("build", "../plans", "--store", "..")
    assert (r.exit_code, r.output) == (
        1,
        "Error: the store folder .. holds the current folder; choose a folder inside it for --store, such as .cancu\n",
    )
    assert no_traceback(r) and snapshot(site) == {**before}


def test_a_store_under_a_file_is_refused(site):
    (site / "notes.txt").write_text("x", encoding="utf-8")
    r = run("build", "plans", "--store", "notes.txt/store")
    assert (r.exit_code, r.output) == (
        1,
        "Error: the store folder notes.txt/store cannot be made: notes.txt is a file; choose another --store\n",
    )


def test_an_empty_folder_and_a_store_are_written(site, base):
    (site / "new").mkdir()
    r = run("build", "plans", "--store", "new")
    assert (r.exit_code, r.output) == (0, f"new: 5 added, 0 replaced, 0 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    assert snapshot(site / "new") == base[1]
    r = run("build", "plans", "--store", "new")
    assert (r.exit_code, r.output) == (0, f"new: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    assert sorted(os.listdir(site)) == ["new", "plans", "s"]  # no lock file, no leftover


def test_folders_beside_the_store_that_a_build_did_not_write_are_left_alone(site):
    for name in ("s.old-2019", "s.tmp-1"):  # a user's names that look like a build's leftovers
        (site / name).mkdir()
        (site / name / "ke-hoach.docx").write_bytes(b"PK\x03\x04 not ours")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # a pid no live build holds
    dead.wait()
    (site / f"s.old-{dead.pid}").mkdir()  # one a killed build left: only the store's layout
    (site / f"s.old-{dead.pid}" / "sources").mkdir()
    r = run("build", "plans", "--store", "s")
    assert r.exit_code == 0
    assert run("query", "stats", "--store", "s").exit_code == 0
    assert sorted(os.listdir(site)) == ["plans", "s", "s.old-2019", "s.tmp-1"]
    assert (site / "s.tmp-1" / "ke-hoach.docx").read_bytes() == b"PK\x03\x04 not ours"


# -- 2. a mistyped path prunes nothing ---------------------------------------------------


def test_a_mistyped_path_with_prune_is_an_error_and_prunes_nothing(site, base):
    (site / "plans" / "lao-cai-2022-ttdn.txt").unlink()  # gone: would be pruned by a good run
    r = run("build", "plnas", "--prune", "--store", "s")
    assert r.exit_code == 1 and no_traceback(r)
    assert r.stderr == "cancu: cannot read plnas: no such file or folder; nothing was pruned\n"
    assert r.stdout == f"s: 0 added, 0 replaced, 0 unchanged, 0 pruned, 1 failed; {SUMMARY}\n"
    assert snapshot(site / "s") == base[1]
    r = run("build", "plans", "plnas", "--prune", "--store", "s")
    assert (r.exit_code, r.stdout) == (1, f"s: 0 added, 0 replaced, 4 unchanged, 0 pruned, 1 failed; {SUMMARY}\n")
    assert snapshot(site / "s") == base[1]
    r = run("build", "plans", "--prune", "--store", "s")  # every path there: the gone file is pruned
    four = build(["plans"], "four")  # the store of what is left, made from scratch
    assert (r.exit_code, r.stdout) == (
        0,
        f"s: 0 added, 0 replaced, 4 unchanged, 1 pruned, 0 failed; {four.nodes} nodes, {four.edges} relationships.\n",
    )
    assert snapshot(site / "s") == snapshot(site / "four")
    assert sorted(read_manifest(site / "s")["sources"]) == [f"plans/{n}" for n in NAMES if "lao-cai" not in n]


def test_prune_keeps_the_sources_outside_the_named_paths(site):
    (site / "more").mkdir()
    shutil.copy(site / "plans" / "lao-cai-2022-ttdn.txt", site / "more" / "lc.txt")
    assert run("build", "more", "--store", "s").exit_code == 0
    r = run("build", "plans", "--prune", "--store", "s")
    assert (r.exit_code, r.stdout) == (0, f"s: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    assert "more/lc.txt" in read_manifest(site / "s")["sources"]


# -- 3. one writer at a time ----------------------------------------------------------------

WAITING = re.compile(
    r"cancu: the store t is being written by another cancu build \(pid \d+\); "
    r"waiting for it to finish \(Ctrl-C to stop\)\n"
)


def test_builds_started_together_lose_no_source(site):
    for i in range(3):
        (site / f"in{i}").mkdir()
        for n in NAMES:
            shutil.copy(site / "plans" / n, site / f"in{i}" / f"{i}-{n}")
    procs = [
        subprocess.Popen(
            [CANCU, "build", f"in{i}", "--store", "t"],
            cwd=site,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    for out, err in outs:
        assert out == f"t: 5 added, 0 replaced, 0 unchanged, 0 pruned, 0 failed; {SUMMARY}\n"
        assert err == "" or WAITING.fullmatch(err), err
    # the last build to write kept what the others added before it: no source is lost
    assert sorted(read_manifest(site / "t")["sources"]) == sorted(f"in{i}/{i}-{n}" for i in range(3) for n in NAMES)
    assert load_graph(site / "t").number_of_nodes() == 320
    assert sorted(os.listdir(site)) == ["in0", "in1", "in2", "plans", "s", "t"]


def test_a_second_build_waits_for_the_first_and_says_so(site):
    lock = StoreLock("s").acquire()
    try:
        proc = subprocess.Popen(
            [CANCU, "build", "plans", "--store", "s"],
            cwd=site,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(proc.stderr.readline()), daemon=True)
        reader.start()
        reader.join(120)
        assert line == [
            f"cancu: the store s is being written by another cancu build (pid {os.getpid()}); "
            "waiting for it to finish (Ctrl-C to stop)\n"
        ]
        assert proc.poll() is None  # still waiting
    finally:
        lock.release()
    out, err = proc.communicate(timeout=300)
    assert (proc.returncode, out, err) == (
        0,
        f"s: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; {SUMMARY}\n",
        "",
    )
    assert not (site / "s.lock").exists()


def test_no_wait_refuses_in_one_line_while_another_build_holds_the_store(site, base):
    with StoreLock("s"):
        r = run("build", "plans", "--store", "s", "--no-wait")
        assert (site / "s.lock").read_text() == f"{os.getpid()}\n"
    assert (r.exit_code, r.output) == (
        1,
        f"Error: the store s is being written by another cancu build "
        f"(pid {os.getpid()}, lock file {site / 's.lock'}); try again when it "
        "has finished\n",
    )
    assert snapshot(site / "s") == base[1] and not (site / "s.lock").exists()


def test_the_lock_file_of_a_dead_build_is_taken_over(site):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (site / "s.lock").write_text(f"{dead.pid}\n")
    r = run("build", "plans", "--store", "s", "--no-wait")
    assert (r.exit_code, r.output) == (0, f"s: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    assert not (site / "s.lock").exists()


def test_a_worker_of_a_killed_build_does_not_keep_the_store_locked(site):
    script = (
        "import os, signal, sys, time\n"
        "from cancu.graph.store import StoreLock\n"
        "StoreLock('s').acquire()\n"
        "child = os.fork()  # as the pipeline forks its reader workers\n"
        "if child == 0:\n"
        "    os.close(1), os.close(2)  # let the test read the parent's output to its end\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    p = subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True, text=True, timeout=120)
    child = int(p.stdout)
    try:
        assert p.returncode == -signal.SIGKILL
        os.kill(child, 0)  # the worker still runs
        r = run("build", "plans", "--store", "s", "--no-wait")
        assert (r.exit_code, r.output) == (0, f"s: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    finally:
        os.kill(child, signal.SIGKILL)


def test_readers_never_fail_while_builds_swap_the_store(site):
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "from pathlib import Path\nfrom cancu.graph.store import build\n"
                "src = Path('plans/yen-bai-2024-ttdn.txt').read_text(encoding='utf-8')\n"
                "for i in range(6):\n"
                "    Path('plans/extra.txt').write_text(src + '\\nCăn cứ Quyết định số %d/QĐ-UBND ngày 01/02/2024 "
                "của UBND tỉnh Yên Bái;\\n' % (100 + i), encoding='utf-8')\n"
                "    build(['plans'], 's')\n"
            ),
        ],
        cwd=site,
    )
    reads = 0
    try:
        while writer.poll() is None:
            G = load_graph("s")  # each read checks the graph against the manifest it read
            recs = read_records("s")
            assert G.number_of_nodes() >= 320 and len(recs) in (5, 6)
            reads += 1
    finally:
        writer.wait(timeout=600)
    assert writer.returncode == 0 and reads > 0
    assert len(read_manifest("s")["sources"]) == 6


# -- 4. damaged files are found and repaired ----------------------------------------------------

DAMAGED_GRAPH = (
    "Error: the store s is damaged: s/graph.json does not match its checksum in manifest.json; "
    "rebuild it with `cancu build --rebuild --store s`\n"
)
REPAIRED_GRAPH = "cancu: s/graph.json does not match its checksum in manifest.json; made again from the sources\n"


def test_a_graph_with_edges_removed_is_refused_then_repaired(site, base):
    g = json.loads((site / "s" / "graph.json").read_text(encoding="utf-8"))
    g["edges"] = g["edges"][10:]
    (site / "s" / "graph.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")  # still valid JSON
    for args in (["query", "stats"], ["check"], ["query", "implements", "Kết luận 57"]):
        r = run(*args, "--store", "s")
        assert (r.exit_code, r.output) == (1, DAMAGED_GRAPH) and no_traceback(r)
    r = run("build", "plans", "--store", "s")
    assert (r.exit_code, r.stderr) == (0, REPAIRED_GRAPH)
    assert r.stdout == f"s: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed, 1 repaired; {SUMMARY}\n"
    assert snapshot(site / "s") == base[1]


def test_a_truncated_graph_is_not_unchanged(site, base):
    data = (site / "s" / "graph.json").read_bytes()
    (site / "s" / "graph.json").write_bytes(data[: len(data) // 2])
    r = run("build", "plans", "--store", "s")
    assert (r.exit_code, r.stderr) == (0, REPAIRED_GRAPH)
    assert r.stdout == f"s: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed, 1 repaired; {SUMMARY}\n"
    assert snapshot(site / "s") == base[1]
    assert run("query", "stats", "--store", "s").exit_code == 0


def _forge_edges(site, change) -> None:
    """Change the relationships of ``s/graph.json`` (``change(edges)``) as a
    forger would who updates the graph's checksum in the manifest but not its
    counts."""
    from cancu.graph.store import manifest_bytes

    g = json.loads((site / "s" / "graph.json").read_text(encoding="utf-8"))
    change(g["edges"])
    data = json.dumps(g, ensure_ascii=False).encode("utf-8")
    (site / "s" / "graph.json").write_bytes(data)
    m = read_manifest("s")
    m["graph"]["checksum"] = __import__("hashlib").sha256(data).hexdigest()
    (site / "s" / MANIFEST).write_bytes(manifest_bytes(m))


def _damaged_counts(edges: int) -> str:
    return (
        f"Error: the store s is damaged: s/graph.json has 320 nodes and {edges} "
        "relationships; manifest.json says 320 and 756; rebuild it with "
        "`cancu build --rebuild --store s`\n"
    )


def test_counts_that_disagree_with_the_manifest_are_named(site):
    _forge_edges(site, lambda edges: edges.__delitem__(slice(0, 10)))
    r = run("query", "stats", "--store", "s")
    assert (r.exit_code, r.output) == (1, _damaged_counts(746))


def test_a_relationship_listed_twice_is_counted_once(site):
    """The loader counts relationships as it adds them (not by walking the
    graph): one that a forged file lists twice in place of another is one
    edge, and the count disagrees with the manifest's."""
    _forge_edges(site, lambda edges: edges.__setitem__(1, edges[0]))
    r = run("query", "stats", "--store", "s")
    assert (r.exit_code, r.output) == (1, _damaged_counts(755))


def test_rebuild_without_paths_makes_the_store_again_from_the_sources_it_lists(site, base):
    (site / "s" / "graph.json").write_bytes(b"")
    (site / "s" / record_name("phu-tho-2025-ttdn.txt")).write_text("{}", encoding="utf-8")
    r = run("build", "--rebuild", "--store", "s")
    assert (r.exit_code, r.output) == (0, f"s: 0 added, 5 replaced, 0 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    assert snapshot(site / "s") == base[1]
    r = run("build", "--store", "s")
    assert r.exit_code == 2 and r.output.endswith(
        "Error: Missing argument 'PATHS...' (they may be left out only with --rebuild or --records).\n"
    )


def test_an_edited_manifest_is_found(site):
    text = (site / "s" / MANIFEST).read_text(encoding="utf-8")
    (site / "s" / MANIFEST).write_text(text.replace('"Yên Bái"', '"Yên Báy"'), encoding="utf-8")
    r = run("query", "stats", "--store", "s")
    assert (r.exit_code, r.output) == (
        1,
        "Error: the store s is damaged: s/manifest.json does not match its own "
        "checksum (it was edited or damaged); rebuild it with "
        "`cancu build --rebuild --store s`\n",
    )


# -- 12. a damaged manifest or record: one line naming the file and the fix ------------------------

COMMANDS = {
    "stats": ["query", "stats"],
    "implements": ["query", "implements", "Kết luận 57"],
    "check": ["check"],
    "viz": ["viz", "--out", "v.html"],
    "export": ["export", "--format", "graphml", "--out", "g.graphml"],
    "build": ["build", "plans"],
}


def _damage(store: Path, how: str) -> tuple[str, str]:
    """Damage ``store``; (store file, the problem as the message says it)."""
    mf = store / MANIFEST
    rec = store / record_name("phu-tho-2025-ttdn.txt")
    if how == "manifest-list":
        mf.write_text("[1, 2]\n")
        return MANIFEST, "is a JSON list, not a manifest"
    if how == "manifest-no-sources":
        m = json.loads(mf.read_text(encoding="utf-8"))
        del m["sources"]
        mf.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
        return MANIFEST, 'has no "sources" object'
    if how == "manifest-truncated":
        data = mf.read_bytes()[:300]
        mf.write_bytes(data)
        try:
            json.loads(data)
        except json.JSONDecodeError as e:
            return MANIFEST, f"is not valid JSON ({e.msg} at line {e.lineno})"
    if how == "manifest-deleted":
        mf.unlink()
        return MANIFEST, "is missing"
    if how == "record-truncated":
        rec.write_bytes(rec.read_bytes()[:100])
        return rec.relative_to(store).as_posix(), (
            "(the record of plans/phu-tho-2025-ttdn.txt) does not match its checksum in manifest.json"
        )
    if how == "record-deleted":
        rec.unlink()
        return rec.relative_to(store).as_posix(), "(the record of plans/phu-tho-2025-ttdn.txt) is missing"
    raise AssertionError(how)


@pytest.fixture(scope="module")
def intact_outputs(base):
    """What each reading command prints on the intact store."""
    root, _ = base
    here = os.getcwd()
    os.chdir(root)
    try:
        out = {name: run(*args, "--store", "s") for name, args in COMMANDS.items() if name not in ("viz", "build")}
    finally:
        os.chdir(here)
    for f in ("g.graphml",):
        (root / f).unlink()
    return {k: (r.exit_code, r.output) for k, r in out.items()}


@pytest.mark.parametrize("how", ["manifest-list", "manifest-no-sources", "manifest-truncated", "manifest-deleted"])
def test_a_damaged_manifest_is_one_line_for_every_command(site, how):
    name, problem = _damage(site / "s", how)
    before = snapshot(site)
    for cmd, args in COMMANDS.items():
        r = run(*args, "--store", "s")
        assert (cmd, r.exit_code, r.output) == (
            cmd,
            1,
            f"Error: the store s is damaged: s/{name} {problem}; "
            "rebuild it with `cancu build PATH... --rebuild --store s`\n",
        )
        assert no_traceback(r)
    assert snapshot(site) == before  # nothing written: no v.html, no g.graphml, the store as it was
    r = run("build", "plans", "--rebuild", "--store", "s")
    assert (r.exit_code, r.output) == (0, f"s: 5 added, 0 replaced, 0 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    assert run("query", "stats", "--store", "s").exit_code == 0


@pytest.mark.parametrize("how", ["record-truncated", "record-deleted"])
def test_a_damaged_record_is_named_by_its_reader_and_repaired_by_build(site, base, intact_outputs, how):
    name, problem = _damage(site / "s", how)
    for cmd in ("stats", "implements", "check", "export"):  # they read graph.json, which is sound
        r = run(*COMMANDS[cmd], "--store", "s")
        assert (r.exit_code, r.output) == intact_outputs[cmd]
    r = run(*COMMANDS["viz"], "--store", "s")
    assert (r.exit_code, r.output) == (
        1,
        f"Error: the store s is damaged: s/{name} {problem}; rebuild it with `cancu build --rebuild --store s`\n",
    )
    assert not (site / "v.html").exists()
    r = run(*COMMANDS["build"], "--store", "s")
    assert (r.exit_code, r.stderr) == (0, f"cancu: s/{name} {problem}; made again from the sources\n")
    assert r.stdout == f"s: 0 added, 0 replaced, 4 unchanged, 0 pruned, 0 failed, 1 repaired; {SUMMARY}\n"
    assert snapshot(site / "s") == base[1]


def test_a_damaged_record_whose_file_is_gone_is_dropped_and_said(site):
    _damage(site / "s", "record-truncated")
    (site / "plans" / "phu-tho-2025-ttdn.txt").unlink()
    r = run("build", "plans", "--store", "s")
    assert r.exit_code == 1
    assert r.stderr == (
        "cancu: cannot read plans/phu-tho-2025-ttdn.txt: no such file; dropped from the store "
        "(its record there is damaged)\n"
    )
    four = build(["plans"], "four")  # the store of what is left, made from scratch
    assert (
        r.stdout == f"s: 0 added, 0 replaced, 4 unchanged, 0 pruned, 1 failed; {four.nodes} nodes, "
        f"{four.edges} relationships.\n"
    )
    assert snapshot(site / "s") == snapshot(site / "four")


def test_a_store_of_the_old_version_says_rebuild_and_rebuild_upgrades_it(site, base):
    s = site / "s"
    (s / MARKER).unlink()
    m = json.loads((s / MANIFEST).read_text(encoding="utf-8"))
    m["version"] = 1
    del m["checksum"], m["graph"]["checksum"]
    for e in m["sources"].values():
        del e["checksum"]
    (s / MANIFEST).write_text(json.dumps(m, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    message = (
        "Error: s is a cancu store of version 1; this cancu reads version 2: rebuild it with "
        "`cancu build --rebuild --store s`\n"
    )
    for args in (["query", "stats"], ["viz", "--out", "v.html"], ["build", "plans"]):
        r = run(*args, "--store", "s")
        assert (r.exit_code, r.output) == (1, message)
    r = run("build", "--rebuild", "--store", "s")
    assert (r.exit_code, r.output) == (0, f"s: 0 added, 5 replaced, 0 unchanged, 0 pruned, 0 failed; {SUMMARY}\n")
    assert snapshot(s) == base[1]


# -- 13. --max-size; file names that are not UTF-8 ------------------------------------------------


def test_build_max_size_refuses_large_files_and_keeps_their_records(site, base):
    sizes = {n: (site / "plans" / n).stat().st_size for n in NAMES}
    r = run("build", "plans", "--store", "s", "--max-size", "1k")
    assert r.exit_code == 1
    assert r.stderr == "".join(
        f"cancu: cannot read plans/{n}: file too large ({sizes[n]:,} bytes; the limit is 1,024, see --max-size)\n"
        for n in NAMES
    )
    assert r.stdout == f"s: 0 added, 0 replaced, 0 unchanged, 0 pruned, 5 failed; {SUMMARY}\n"
    assert snapshot(site / "s") == base[1]
    r = run("build", "plans", "--store", "new", "--max-size", "1k")  # nothing read: no store is made
    assert (r.exit_code, r.stdout) == (
        1,
        "new: 0 added, 0 replaced, 0 unchanged, 0 pruned, 5 failed; 0 nodes, 0 relationships.\n",
    )
    assert not (site / "new").exists()
    report = build(["plans"], "other", max_bytes=1024)  # a parameter: nothing lingers after the call
    assert (len(report.failed), build(["plans"], "other").added) == (5, [f"plans/{n}" for n in NAMES])


def test_file_names_that_are_not_utf8_fail_in_one_line_and_harm_no_store(site, base):
    folder = os.fsencode(site / "lạ")
    os.mkdir(folder)
    shutil.copy(site / "plans" / "yen-bai-2024-ttdn.txt", os.path.join(folder, b"k\xe9-ho\xff.txt"))  # Latin-1
    with open(os.path.join(folder, b"r\xf6ng.txt"), "wb"):
        pass
    why = "the file name is not valid UTF-8 (rename the file; cancu keeps names as UTF-8 text)"
    for store, summary in (("u", "0 nodes, 0 relationships."), ("s", SUMMARY)):
        r = run("build", "lạ", "--store", store)
        assert r.exit_code == 1 and no_traceback(r)
        assert r.stderr == (
            f"cancu: cannot read lạ/k\\xe9-ho\\xff.txt: {why}\ncancu: cannot read lạ/r\\xf6ng.txt: {why}\n"
        )
        assert r.stdout == f"{store}: 0 added, 0 replaced, 0 unchanged, 0 pruned, 2 failed; {summary}\n"
    assert not (site / "u").exists() and snapshot(site / "s") == base[1]


# -- random damage (hypothesis) ---------------------------------------------------------------------

TARGETS = [MANIFEST, "graph.json", MARKER, "record"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.sampled_from(TARGETS),
    op=st.sampled_from(["truncate", "flip", "drop-byte", "delete", "json-list", "empty"]),
    at=st.floats(0, 1),
    byte=st.integers(0, 255),
)
def test_random_damage_is_found_or_harmless_and_build_restores_the_store(base, target, op, at, byte):
    root, good = base
    G0 = graph_to_json(load_graph(root / "s"))
    work = Path(tempfile.mkdtemp())
    here = os.getcwd()
    try:
        shutil.copytree(root / "plans", work / "plans")
        shutil.copytree(root / "s", work / "s")
        os.chdir(work)
        f = Path("s") / (record_name("cao-bang-2023-ttdn.txt") if target == "record" else target)
        data = f.read_bytes()
        i = min(int(at * len(data)), len(data) - 1)
        if op == "delete":
            f.unlink()
        else:
            f.write_bytes(
                {
                    "truncate": data[:i],
                    "flip": data[:i] + bytes([byte]) + data[i + 1 :],
                    "drop-byte": data[:i] + data[i + 1 :],
                    "json-list": b"[]\n",
                    "empty": b"",
                }[op]
            )
        damaged = snapshot(Path("s"))
        try:  # a reader returns the graph as it was, or says what is damaged
            assert graph_to_json(load_graph("s")) == G0
        except StoreError as e:
            assert "\n" not in str(e) and str(e).startswith(("the store s is damaged: s/", "s is a cancu store of"))
        try:  # a build restores the store byte for byte, or refuses and leaves it as it was
            build(["plans"], "s")
        except StoreError as e:
            assert "\n" not in str(e) and str(e).endswith(e.setting)  # the library's words for the fix ...
            assert e.setting in ("build(rebuild=True)", "build(paths, rebuild=True)")  # ... cli.py says its own
            assert snapshot(Path("s")) == damaged
            build(["plans"], "s", rebuild=True)
        assert snapshot(Path("s")) == good
        assert sorted(os.listdir(work)) == ["plans", "s"]
    finally:
        os.chdir(here)
        shutil.rmtree(work, ignore_errors=True)


def test_a_file_that_became_unreadable_is_tried_again_at_every_build(tmp_path, monkeypatch):
    """A plan whose file is damaged after its record was made keeps that
    record (its old reading), and the next build, with the file still
    damaged, reports it again rather than counting the damaged bytes as
    the record's own ("unchanged"), also when the store was written again
    meanwhile (another plan was added)."""
    from .fixtures_inputs import make_docx

    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    plan = make_docx((PLANS / "phu-tho-2025-ttdn.txt").read_text(encoding="utf-8"), tmp_path / "plans" / "p.docx")
    assert run("build", "plans", "--store", "s").exit_code == 0
    kept = read_records("s")["plans/p.docx"]
    plan.write_bytes(b"PK\x03\x04 a docx cut off by a failed copy")
    shutil.copy(PLANS / "yen-bai-2024-ttdn.txt", tmp_path / "plans" / "y.txt")
    for added, unchanged in ((1, 0), (0, 1)):
        r = run("build", "plans", "--store", "s")
        assert (r.exit_code, r.stdout.split(";")[0]) == (
            1,
            f"s: {added} added, 0 replaced, {unchanged} unchanged, 0 pruned, 1 failed",
        )
        assert r.stderr.startswith("cancu: cannot read plans/p.docx: ")
        assert read_records("s")["plans/p.docx"] == kept
