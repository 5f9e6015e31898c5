"""`cancu extract` as a user sees it: exact messages, the closing line and the
exit status, on the bundled plans and on bad files."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from cancu.cli import main

from .conftest import PLANS


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_extract_json_of_the_bundled_plans():
    result = run("extract", str(PLANS), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == "5 files read, 0 failed, 1 README skipped.\n"
    docs = json.loads(result.stdout)
    assert [d["source"].rsplit("/", 1)[1] for d in docs] == [
        "cao-bang-2023-ttdn.txt",
        "lao-cai-2022-ttdn.txt",
        "phu-tho-2025-ttdn.txt",
        "thua-thien-hue-2024-ttdn-du-thao.txt",
        "yen-bai-2024-ttdn.txt",
    ]
    assert sorted(docs[0]) == [
        "agencies",
        "body",
        "chars",
        "citations",
        "collectives",
        "conversion",
        "encoding",
        "format",
        "headline",
        "links",
        "named",
        "self",
        "sha256",
        "source",
        "tasks",
    ]
    # the first line of its body: data/plans/cao-bang-2023-ttdn.txt line 3 (two blank lines before it)
    assert docs[0]["source"].endswith("cao-bang-2023-ttdn.txt") and docs[0]["headline"] == "KẾ HOẠCH"
    # a plan is read whole: no site text around it
    assert docs[0]["body"] == {"start": 0, "end": docs[0]["chars"], "left_out": 0}
    first = docs[0]["citations"][0]
    assert (first["key"], first["doc_type"], first["date"], first["relation"]) == (
        "72/2015/NĐ-CP",
        "Nghị định",
        "2015-09-07",
        "based_on",
    )


def test_extract_jsonl_one_document_per_line():
    result = run("extract", str(PLANS / "phu-tho-2025-ttdn.txt"), "--format", "jsonl")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["self"]["province"] == "Phú Thọ"


def test_extract_table_for_people():
    result = run("extract", str(PLANS / "phu-tho-2025-ttdn.txt"), "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "  Kế hoạch · Phú Thọ · 2025 · issued · Công tác thông tin đối ngoại trên địa bàn tỉnh Phú Thọ năm 2025"
    )
    assert lines[2].split() == ["key", "type", "date", "relation", "section", "issuer"]
    assert lines[3].split() == ["72/2015/NĐ-CP", "Nghị", "định", "2015-09-07", "based_on", "preamble", "Chính", "phủ"]
    assert lines[-2:] == ["  12 citations, 2 links, 3 named documents, 4 agency roles", ""]


def test_bad_files_are_named_and_the_run_goes_on(tmp_path):
    shutil.copy(PLANS / "cao-bang-2023-ttdn.txt", tmp_path / "a-good.txt")
    (tmp_path / "b-empty.txt").write_bytes(b"")
    (tmp_path / "c-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / "d-latin1.txt").write_bytes("Quyết định số 12/QĐ-UBND".encode()[:5] + b"\xe9\xe0 caf\xe9")
    missing = tmp_path / "e-missing.txt"
    result = run("extract", str(tmp_path), str(missing), "--format", "jsonl")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    lines = result.stderr.splitlines()
    assert lines[:2] + lines[3:] == [
        f"cancu: cannot read {tmp_path / 'b-empty.txt'}: empty file",
        f"cancu: cannot read {tmp_path / 'c-binary.txt'}: binary file, not text",
        f"cancu: cannot read {missing}: no such file",
        "1 file read, 4 failed.",
    ]
    assert lines[2].startswith(f"cancu: cannot read {tmp_path / 'd-latin1.txt'}: not valid UTF-8 text")
    assert "Traceback" not in result.output


def test_folder_without_plans_is_an_error(tmp_path):
    (tmp_path / "notes.pdf.bak").write_text("x")
    result = run("extract", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no plan files (.txt, .md, .docx, .doc, .rtf, .pdf, .html, .htm) found in {tmp_path}\n"
    )


def test_help_shows_examples():
    result = run("extract", "--help")
    assert result.exit_code == 0
    assert "  cancu extract data/plans --format table" in result.stdout


def test_build_says_the_same_when_there_is_nothing_to_read(tmp_path):
    (tmp_path / "notes.pdf.bak").write_text("x")
    result = run("build", str(tmp_path), "--store", str(tmp_path / "store"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no plan files (.txt, .md, .docx, .doc, .rtf, .pdf, .html, .htm) found in {tmp_path}\n"
    )


def test_the_json_the_workers_write_is_the_records_own():
    """The workers write each record's JSON (extract_files_rendered); what is
    printed is exactly ``json.dumps(record.to_dict())`` of the record made in
    this process, one line each for jsonl, indented by one for json."""
    from cancu.extractors.pipeline import extract_file

    plans = sorted(str(p) for p in PLANS.glob("*.txt"))
    records = [extract_file(p).to_dict() for p in plans]
    lines = run("extract", *plans, "--format", "jsonl", "--jobs", "2").stdout
    assert lines == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    whole = run("extract", *plans, "--format", "json", "--jobs", "2").stdout
    assert whole == "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, indent=1) for r in records) + "\n]\n"
