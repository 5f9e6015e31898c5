"""The readers under budgets (issue 9, items 5, 6, 11 and 13): every file is
read in a worker process that is stopped past a time limit and held to a
memory limit; a .docx may not unpack to more than its limit; a file name that
is not UTF-8, or holds a newline, is reported on one line; a file cannot be
read for lack of permission gives one "permission denied" line.

Every hostile input is made here. Each budget test measures the time and the
peak memory (of cancu and its workers, from ``wait4``) of a run on good
files, and bounds the hostile run by five times as much (or the good run plus
the memory limit): generous bounds, which only a reader that hangs, reads a
bomb out or leaks catches."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors import pipeline
from cancu.extractors.pipeline import Failure, extract_paths, run_budgeted
from cancu.extractors.readers import libreoffice
from tests.fixtures_inputs import PLANS, make_docx, make_pdf, need_tool, plan_text

CANCU = Path(sys.executable).with_name("cancu")
GOOD = "phu-tho-2025-ttdn"


# -- hostile inputs ---------------------------------------------------------------


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with a
    correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font "
    b"/Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
)
_TEXT = b"BT /F1 12 Tf 72 720 Td (Ke hoach so 12/KH-UBND ngay 01/01/2024) Tj ET"


def looping_pdf() -> bytes:
    """600 bytes: the page's content stream has ``/Length 5 0 R``, and
    object 5 is ``5 0 R``, a reference to itself; pdfminer follows it forever."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _PAGE % b"[0 0 612 792]",
            b"<< /Length 5 0 R >>\nstream\n" + _TEXT + b"\nendstream",
            b"5 0 R",
        ]
    )


def pdf_with_bad_mediabox() -> bytes:
    """A readable PDF whose page box has three numbers: pdfminer logs
    "Invalid MediaBox in /Page, defaulting to US Letter"."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _PAGE % b"[0 0 612]",
            b"<< /Length %d >>\nstream\n" % len(_TEXT) + _TEXT + b"\nendstream",
        ]
    )


def pdf_inflating_to(megabytes: int) -> bytes:
    """A PDF whose content stream is ``megabytes`` MiB of spaces, deflated
    to about a thousandth of that."""
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(z.compress(chunk) for _ in range(megabytes)) + z.flush()
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


_PARAGRAPH = "<w:p><w:r><w:t>Thực hiện Kế hoạch số 12/KH-UBND ngày 01/01/2024 của UBND tỉnh.</w:t></w:r></w:p>".encode()


def docx_bomb(path: Path, megabytes: int, tmp: Path) -> Path:
    """A real .docx (python-docx's template) whose body is ``megabytes`` MiB
    of paragraphs: a few hundred kilobytes on disk."""
    src = make_docx("Kế hoạch số 1/KH-UBND", tmp / "template.docx")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename != "word/document.xml":
                zout.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>")
            block = _PARAGRAPH * 8000
            with zout.open("word/document.xml", "w") as f:
                f.write(head + b"<w:body>")
                for _ in range(megabytes * (1 << 20) // len(block) + 1):
                    f.write(block)
                f.write(tail)
    return path


def lie_in_zip_directory(path: Path, member: str, size: int) -> None:
    """Make the ZIP directory declare ``size`` bytes for ``member`` (whose
    data inflates to far more), with the CRC of its first ``size`` bytes, so
    that the lie is not caught before ``size`` bytes."""
    with zipfile.ZipFile(path) as z:
        head = z.open(member).read(size)
    data = bytearray(path.read_bytes())
    i = data.find(b"PK\x01\x02")
    while i >= 0:
        n = struct.unpack_from("<H", data, i + 28)[0]
        if bytes(data[i + 46 : i + 46 + n]) == member.encode():
            struct.pack_into("<I", data, i + 16, zlib.crc32(head))
            struct.pack_into("<I", data, i + 24, size)
        i = data.find(b"PK\x01\x02", i + 4)
    path.write_bytes(bytes(data))


# -- running cancu, measured ------------------------------------------------------------


class Run:
    def __init__(self, code: int, out: str, err: str, seconds: float, peak_mb: float):
        self.code, self.out, self.err, self.seconds, self.peak_mb = code, out, err, seconds, peak_mb

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


#: runs a command and writes the peak resident memory of it and its
#: descendants (``RUSAGE_CHILDREN``) to a file: a process of its own, so that
#: the peak is not that of pytest's image, which a child forked from pytest
#: carries until it executes cancu
_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[2:]).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(rc if rc >= 0 else 128 - rc)\n"
)


def cancu(*args: str | bytes, prefix: tuple[str, ...] = (), limit: float = 180) -> Run:
    """Run cancu in a process of its own: exit status, output, wall time and
    the peak resident memory of cancu and of every worker it waited for (the
    largest of them)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = os.path.join(tmp, "peak")
        with open(os.path.join(tmp, "out"), "w+b") as out, open(os.path.join(tmp, "err"), "w+b") as err:
            start = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-c", _LAUNCHER, peak_file, *prefix, str(CANCU), *args],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                proc.wait(limit)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                pytest.fail(f"cancu {' '.join(map(str, args))} did not finish within {limit} s")
            seconds = time.monotonic() - start
            out.seek(0)
            err.seek(0)
            with open(peak_file, encoding="ascii") as f:
                peak = int(f.read()) / (1024 * 1024 if sys.platform == "darwin" else 1024)
            return Run(proc.returncode, out.read().decode("utf-8"), err.read().decode("utf-8"), seconds, peak)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("good")
    shutil.copy(PLANS / f"{GOOD}.txt", d / "good.txt")
    return d / "good.txt"


@pytest.fixture(scope="module")
def baseline(good) -> Run:
    """cancu on one good plan: what a run costs without anything hostile."""
    run = cancu("extract", str(good), "--format", "jsonl")
    assert run.code == 0 and run.lines == ["1 file read, 0 failed."]
    return run


def sources(jsonl: str) -> list[str]:
    return [json.loads(line)["source"] for line in jsonl.splitlines()]


# -- 5. a time and a memory budget per file ------------------------------------------------


def test_the_looping_pdf_hangs_pdfminer_when_nothing_stops_it(tmp_path):
    (tmp_path / "loop.pdf").write_bytes(looping_pdf())
    code = "from cancu.extractors.readers import read_document; read_document('loop.pdf')"
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", code], cwd=tmp_path, timeout=4, capture_output=True)


def test_a_looping_pdf_is_stopped_at_the_time_limit_and_the_other_files_land(tmp_path, good, baseline):
    loop = tmp_path / "a-loop.pdf"
    loop.write_bytes(looping_pdf())
    other = tmp_path / "b-good.txt"
    shutil.copy(good, other)
    run = cancu("extract", str(loop), str(other), str(good), "--format", "jsonl", "--timeout", "2")
    assert run.code == 1
    assert run.lines == [
        f"cancu: cannot read {loop}: reading took longer than the time limit of 2 s "
        "(see --timeout); the file may be damaged",
        "2 files read, 1 failed.",
    ]
    assert sources(run.out) == [str(other), str(good)]
    assert run.seconds < 5 * (baseline.seconds + 2)
    assert run.peak_mb < 5 * baseline.peak_mb


def test_build_with_a_looping_pdf_stores_the_other_files(tmp_path, good, baseline):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(good, d / "good.txt")
    make_pdf(plan_text("yen-bai-2024-ttdn"), d / "plan.pdf")
    store = tmp_path / "store"
    first = cancu("build", str(d), "--store", str(store))
    assert first.code == 0, first.err
    (d / "loop.pdf").write_bytes(looping_pdf())
    (d / "plan.pdf").write_bytes(looping_pdf())  # a stored source, now looping: hashing it must stop too
    run = cancu("build", str(d), "--store", str(store), "--timeout", "2")
    assert run.code == 1
    why = "reading took longer than the time limit of 2 s (see --timeout); the file may be damaged"
    assert run.lines == [f"cancu: cannot read {d / 'plan.pdf'}: {why}", f"cancu: cannot read {d / 'loop.pdf'}: {why}"]
    assert run.out.startswith(f"{store}: 0 added, 0 replaced, 1 unchanged, 0 pruned, 2 failed; ")
    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["sources"]) == [str(d / "good.txt"), str(d / "plan.pdf")]  # the old record is kept
    assert run.seconds < 5 * (baseline.seconds + 2 + 2)


def test_the_order_stays_with_several_workers_and_a_stopped_one(tmp_path):
    names = []
    for i, plan in enumerate(["cao-bang-2023-ttdn", "lao-cai-2022-ttdn", "yen-bai-2024-ttdn"]):
        shutil.copy(PLANS / f"{plan}.txt", tmp_path / f"{i}b-{plan}.txt")
        names.append(str(tmp_path / f"{i}b-{plan}.txt"))
    (tmp_path / "0a-loop.pdf").write_bytes(looping_pdf())
    (tmp_path / "1a-empty.txt").write_bytes(b"")
    results = list(extract_paths([str(tmp_path)], jobs=2, timeout=2))
    assert [(type(r).__name__, r.source) for r in results] == [
        ("Failure", str(tmp_path / "0a-loop.pdf")),
        ("DocumentRecord", names[0]),
        ("Failure", str(tmp_path / "1a-empty.txt")),
        ("DocumentRecord", names[1]),
        ("DocumentRecord", names[2]),
    ]
    assert [r.error for r in results if isinstance(r, Failure)] == ["ReadTimeout", "DecodeError"]
    alone = {r.source: r.to_dict() for r in extract_paths(names, timeout=None)}
    assert {r.source: r.to_dict() for r in results if not isinstance(r, Failure)} == alone


def test_a_file_over_the_memory_limit_is_stopped_and_the_next_one_lands(tmp_path, good, baseline):
    text = "\n".join(plan_text(p.stem) for p in sorted(PLANS.glob("*.txt")))
    big = tmp_path / "a-big.txt"
    # about 8 MB: some 130 MB to extract (the stages build no spaCy Doc: a
    # 5 MB file once took 400 MB, now 80 MB)
    big.write_text(text * (6_400_000 // len(text) + 1), encoding="utf-8")
    unlimited = cancu("extract", str(big), "--format", "jsonl")
    assert unlimited.code == 0
    assert unlimited.peak_mb > baseline.peak_mb + 3 * 32, "the big file must need much more memory than the limit"
    run = cancu("extract", str(big), str(good), "--format", "jsonl", "--max-memory", "32M")
    assert run.code == 1
    assert run.lines == [
        f"cancu: cannot read {big}: reading needed more memory than the limit of 32 MiB; the file may be damaged",
        "1 file read, 1 failed.",
    ]
    assert sources(run.out) == [str(good)]
    assert run.peak_mb < baseline.peak_mb + 32 + 50
    assert run.seconds < 5 * unlimited.seconds


def test_a_pdf_that_inflates_past_the_memory_limit(tmp_path, good, baseline):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_inflating_to(512))
    assert bomb.stat().st_size < 1024 * 1024
    run = cancu("extract", str(bomb), str(good), "--format", "jsonl", "--max-memory", "128M", "--timeout", "30")
    assert run.code == 1
    assert run.lines == [
        f"cancu: cannot read {bomb}: reading needed more memory than the limit of 128 MiB; the file may be damaged",
        "1 file read, 1 failed.",
    ]
    assert sources(run.out) == [str(good)]
    assert run.peak_mb < baseline.peak_mb + 128 + 50
    assert run.seconds < 5 * baseline.seconds


def _segfault(path: str):
    import faulthandler

    if path.endswith("crash"):
        faulthandler.disable()
        os.kill(os.getpid(), signal.SIGSEGV)
    return path.upper()


def test_a_reader_that_crashes_is_one_failure_and_a_new_worker_goes_on(tmp_path):
    results = list(run_budgeted(_segfault, ["a", "b-crash", "c"], timeout=30))
    assert results[0] == "A" and results[2] == "C"
    assert results[1] == Failure(
        "b-crash", "the reader stopped unexpectedly (killed by SIGSEGV); the file may be damaged"
    )
    assert results[1].error == "ReaderCrashed"


def test_spawned_workers_as_on_windows_keep_the_budget(tmp_path, good):
    loop = tmp_path / "loop.pdf"
    loop.write_bytes(looping_pdf())
    import functools

    task = functools.partial(pipeline.extract_file, max_bytes=None)
    results = list(run_budgeted(task, [str(loop), str(good)], timeout=3, start_method="spawn"))
    assert isinstance(results[0], Failure) and results[0].error == "ReadTimeout"
    assert results[1].source == str(good) and len(results[1].citations) == 12


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone meanwhile
        return b""


def test_a_stopped_libreoffice_conversion_leaves_no_process_and_no_folder(tmp_path, monkeypatch):
    need_tool(libreoffice() is not None, "LibreOffice (libreoffice-writer-nogui)")
    src = make_docx(plan_text(GOOD), tmp_path / "plan.docx")
    subprocess.run(
        [
            libreoffice(),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # the workers' temporary folders go here
    [result] = extract_paths([str(tmp_path / "plan.doc")], timeout=0.3)  # LibreOffice takes a second to start
    assert result == Failure(
        str(tmp_path / "plan.doc"),
        "reading took longer than the time limit of 0.3 s (see timeout); the file may be damaged",
    )
    assert (result.error, result.setting) == ("ReadTimeout", "timeout")
    deadline = time.monotonic() + 10
    while any(str(temp).encode() in _cmdline(p) for p in os.listdir("/proc") if p.isdigit()):
        assert time.monotonic() < deadline, "LibreOffice outlived the worker that started it"
        time.sleep(0.1)
    assert os.listdir(temp) == []
    [again] = extract_paths([str(tmp_path / "plan.doc")])
    assert again.format == "doc" and len(again.citations) == 12
    assert os.listdir(temp) == []


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(c) for c in f.read().split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_worker_dies_with_a_killed_cancu(tmp_path):
    loop = tmp_path / "loop.pdf"
    loop.write_bytes(looping_pdf())
    proc = subprocess.Popen(
        [str(CANCU), "extract", str(loop), "--timeout", "600"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not _children(proc.pid):
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.05)
        worker = _children(proc.pid)[0]
        time.sleep(1)  # deep in the loop
        assert _alive(worker)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    while _alive(worker):
        assert time.monotonic() < deadline, "the worker outlived cancu"
        time.sleep(0.05)


def test_one_file_under_the_budget(tmp_path, good):
    (tmp_path / "loop.pdf").write_bytes(looping_pdf())
    assert pipeline.extract_one(tmp_path / "loop.pdf", timeout=1) == Failure(
        str(tmp_path / "loop.pdf"),
        "reading took longer than the time limit of 1 s (see timeout); the file may be damaged",
    )
    assert pipeline.extract_one(tmp_path) == Failure(str(tmp_path), "is a folder")
    assert pipeline.extract_one(good).to_dict() == pipeline.extract_file(str(good)).to_dict()


def test_the_limits_are_parameters_not_a_module_global(tmp_path):
    assert not hasattr(pipeline, "MAX_BYTES")
    (tmp_path / "plan.txt").write_text(plan_text(GOOD), encoding="utf-8")
    size = (tmp_path / "plan.txt").stat().st_size
    [small] = extract_paths([str(tmp_path)], max_bytes=1000)
    assert small == Failure(
        str(tmp_path / "plan.txt"), f"file too large ({size:,} bytes; the limit is 1,000, see max_bytes)"
    )
    assert (small.error, small.setting) == ("FileTooLarge", "max_bytes")  # the parameter the reason names
    [whole] = extract_paths([str(tmp_path)])
    assert len(whole.citations) == 12


def test_timeout_must_be_positive(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--timeout", "0"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == ("Error: Invalid value for '--timeout': 0.0 is not in the range x>0.")


def test_debug_shows_why_a_stopped_file_has_no_traceback(tmp_path):
    (tmp_path / "loop.pdf").write_bytes(looping_pdf())
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "loop.pdf"), "--timeout", "1", "--debug"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"cancu: cannot read {tmp_path / 'loop.pdf'}: reading took longer than the time limit of 1 s "
        "(see --timeout); the file may be damaged",
        "(no traceback: the reader was stopped from outside, ReadTimeout)",
        "0 files read, 1 failed.",
    ]


# -- 6. a .docx that unpacks to gigabytes -----------------------------------------------------


def test_a_docx_bomb_is_refused_before_it_is_inflated(tmp_path, good, baseline):
    bomb = docx_bomb(tmp_path / "bomb.docx", 200, tmp_path)
    on_disk = bomb.stat().st_size
    declared = sum(i.file_size for i in zipfile.ZipFile(bomb).infolist())
    assert on_disk < 1024 * 1024 and declared > 200 * 1024 * 1024
    run = cancu("extract", str(bomb), str(good), "--format", "jsonl")
    assert run.code == 1
    assert run.lines == [
        f"cancu: cannot read {bomb}: too large once unpacked ({declared:,} bytes in its ZIP "
        f"directory, from {on_disk:,} on disk: a ZIP bomb?); the limit is 104,857,600 "
        "(5 × --max-size)",
        "1 file read, 1 failed.",
    ]
    assert sources(run.out) == [str(good)]
    assert run.seconds < 5 * baseline.seconds
    assert run.peak_mb < 2 * baseline.peak_mb


def test_a_docx_whose_zip_directory_lies_is_not_inflated_beyond_it(tmp_path, good, baseline):
    liar = docx_bomb(tmp_path / "liar.docx", 200, tmp_path)
    lie_in_zip_directory(liar, "word/document.xml", 1_000_000)
    naive = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, sys, zipfile; "
            "zipfile.ZipFile(sys.argv[1]).read('word/document.xml'); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)",
            str(liar),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(naive.stdout) > 200, "read at once, the member is inflated whole before being cut"
    run = cancu("extract", str(liar), str(good), "--format", "jsonl")
    assert run.code == 1
    assert run.lines == [f"cancu: cannot read {liar}: corrupt or truncated Word (.docx) file", "1 file read, 1 failed."]
    assert sources(run.out) == [str(good)]
    assert run.peak_mb < baseline.peak_mb + 50
    assert run.seconds < 5 * baseline.seconds


def test_a_docx_whose_text_is_over_the_limit_stops_while_it_is_read(tmp_path):
    docx = docx_bomb(tmp_path / "long.docx", 12, tmp_path)  # under the 16 MiB it may unpack to
    start = time.monotonic()
    [result] = extract_paths([str(docx)], max_bytes=1024 * 1024)
    assert result == Failure(str(docx), "its text is longer than the limit of 1,048,576 characters (see max_bytes)")
    assert result.setting == "max_bytes"
    assert time.monotonic() - start < 30


def test_a_docx_compressed_with_a_method_word_does_not_write(tmp_path):
    src = make_docx(plan_text(GOOD), tmp_path / "plan.docx")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp_path / "lzma.docx", "w", zipfile.ZIP_LZMA) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item))
    [result] = extract_paths([str(tmp_path / "lzma.docx")])
    assert result == Failure(
        str(tmp_path / "lzma.docx"),
        "not a Word .docx file (its ZIP uses compression method 14, which Word does not write)",
    )


def test_an_ordinary_docx_still_reads_the_same(tmp_path):
    src = make_docx(plan_text(GOOD), tmp_path / "plan.docx")
    [budgeted] = extract_paths([str(src)])
    direct = pipeline.extract_file(str(src))
    assert budgeted.to_dict() == direct.to_dict() and len(direct.citations) == 12


# -- 11. file names that are not UTF-8, or that hold a newline ------------------------------------


@pytest.fixture
def odd_names(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    raw = os.fsencode(d)
    shutil.copy(PLANS / f"{GOOD}.txt", os.path.join(raw, b"k\xe9-ho\xb9ch.txt"))  # Latin-1 / TCVN3 bytes
    shutil.copy(PLANS / f"{GOOD}.txt", d / "hai\ndòng.txt")
    (d / "rỗng\r\n.txt").write_bytes(b"")
    shutil.copy(PLANS / "cao-bang-2023-ttdn.txt", d / "a.txt")
    return d


def test_extract_reports_odd_names_on_one_line_each_and_goes_on(odd_names):
    d = odd_names
    result = CliRunner().invoke(main, ["extract", str(d), "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"cancu: cannot read {d}/k\\xe9-ho\\xb9ch.txt: the file name is not valid UTF-8 (rename the file; "
        "cancu keeps names as UTF-8 text)",
        f"cancu: cannot read {d}/rỗng\\r\\n.txt: empty file",
        "2 files read, 2 failed.",
    ]
    docs = json.loads(result.stdout_bytes.decode("utf-8"))
    assert [x["source"] for x in docs] == [f"{d}/a.txt", f"{d}/hai\ndòng.txt"]
    table = CliRunner().invoke(main, ["extract", f"{d}/hai\ndòng.txt", "--format", "table"])
    assert table.stdout.splitlines()[0] == f"{d}/hai\\ndòng.txt"


def test_build_reports_odd_names_and_keeps_a_whole_store(odd_names, tmp_path):
    d = odd_names
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", str(d), "--store", str(store)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f"cancu: cannot read {d}/k\\xe9-ho\\xb9ch.txt: the file name is not valid UTF-8 (rename the file; "
        "cancu keeps names as UTF-8 text)",
        f"cancu: cannot read {d}/rỗng\\r\\n.txt: empty file",
    ]
    assert len(lines) == 2
    assert result.stdout.startswith(f"{store}: 2 added, 0 replaced, 0 unchanged, 0 pruned, 2 failed; ")
    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["sources"]) == [f"{d}/a.txt", f"{d}/hai\ndòng.txt"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("store")) == ["store"] + (
        ["store.lock"] if (tmp_path / "store.lock").exists() else []
    )
    assert len(os.listdir(os.fsencode(d))) == 4  # nothing of the input was lost


def test_a_name_that_is_not_utf8_on_the_command_line(tmp_path, good):
    raw = os.path.join(os.fsencode(tmp_path), b"k\xe9-hoach.txt")
    shutil.copy(good, raw)
    proc = subprocess.run(
        [os.fsencode(CANCU), b"extract", raw, os.fsencode(good), b"--format", b"json"], capture_output=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stderr.decode("utf-8").splitlines() == [
        f"cancu: cannot read {tmp_path}/k\\xe9-hoach.txt: the file name is not valid UTF-8 (rename the file; "
        "cancu keeps names as UTF-8 text)",
        "1 file read, 1 failed.",
    ]
    assert [x["source"] for x in json.loads(proc.stdout.decode("utf-8"))] == [str(good)]


# -- 13. files that cannot be read, and pdfminer's log lines -----------------------------------------


def without_root_powers() -> tuple[str, ...]:
    """A prefix that runs a command without the powers that let root read
    any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); nothing for other users,
    whom chmod already stops."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("tests run as root need setpriv (util-linux) to read files as a user would")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")


def test_unreadable_files_named_on_the_command_line_are_one_line_each(tmp_path, good):
    locked = tmp_path / "locked.txt"
    shutil.copy(good, locked)
    locked.chmod(0)
    closed = tmp_path / "closed"
    closed.mkdir()
    shutil.copy(good, closed / "plan.txt")
    closed.chmod(0)
    prefix = without_root_powers()
    try:
        check = subprocess.run([*prefix, "cat", str(locked)], capture_output=True)
        assert check.returncode != 0, "the file must be unreadable to the test's cancu"
        run = cancu("extract", str(locked), str(closed / "plan.txt"), str(good), "--format", "jsonl", prefix=prefix)
        assert run.code == 1
        assert run.lines == [
            f"cancu: cannot read {locked}: permission denied",
            f"cancu: cannot read {closed / 'plan.txt'}: permission denied",
            "1 file read, 2 failed.",
        ]
        assert sources(run.out) == [str(good)]
        store = tmp_path / "store"
        run = cancu("build", str(locked), str(good), "--store", str(store), prefix=prefix)
        assert run.code == 1
        assert run.lines == [f"cancu: cannot read {locked}: permission denied"]
        assert run.out.startswith(f"{store}: 1 added, 0 replaced, 0 unchanged, 0 pruned, 1 failed; ")
        page = tmp_path / "page.html"
        run = cancu("annotate", str(locked), "--out", str(page), prefix=prefix)
        assert (run.code, run.lines) == (1, [f"cancu: cannot read {locked}: permission denied"])
        assert not page.exists()
    finally:
        closed.chmod(0o755)
        locked.chmod(0o644)


def test_annotate_a_folder_where_a_file_is_expected(tmp_path):
    (tmp_path / "plans").mkdir()
    result = CliRunner().invoke(main, ["annotate", str(tmp_path / "plans"), "--out", str(tmp_path / "p.html")])
    assert result.exit_code == 1
    assert result.stderr == f"cancu: cannot read {tmp_path / 'plans'}: is a folder\n"
    assert not (tmp_path / "p.html").exists()


def test_pdfminer_log_lines_stay_off_stderr(tmp_path):
    pdf = tmp_path / "box.pdf"
    pdf.write_bytes(pdf_with_bad_mediabox())
    plain = subprocess.run(
        [
            sys.executable,
            "-c",
            "import io, sys; from pdfminer.high_level import extract_text; extract_text(sys.argv[1])",
            str(pdf),
        ],
        capture_output=True,
        text=True,
    )
    assert plain.stderr == "Invalid MediaBox in /Page, defaulting to US Letter\n"
    run = cancu("extract", str(pdf), "--format", "jsonl")
    assert (run.code, run.err) == (0, "1 file read, 0 failed.\n")
    assert [c["key"] for c in json.loads(run.out)["citations"]] == ["12/KH-UBND"]


def test_reading_a_pdf_leaves_the_programs_logging_as_it_was(tmp_path):
    from cancu.extractors.readers import read_document

    pdf = tmp_path / "box.pdf"
    pdf.write_bytes(pdf_with_bad_mediabox())
    log = logging.getLogger("pdfminer")
    before = (log.propagate, list(log.handlers), log.level)
    assert "12/KH-UBND" in read_document(pdf).text
    assert (log.propagate, list(log.handlers), log.level) == before
