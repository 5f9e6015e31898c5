"""Changes of administrative units read from real texts (extractors/lineage.py):
the 2025 provincial mergers of Nghị quyết 202/2025/QH15 as the corpus states
them, compared with the reviewed table the identity reader uses
(data/self_layout.json, province_changes), and commune mergers, whole and in
part. The texts are pages of the corpus, copied in tests/data/lineage/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors.lineage import MERGED_INTO, SPLIT_INTO, _grammar, _units, find_changes, merged_provinces
from cancu.extractors.vocabulary import load_data, provinces

DATA = Path(__file__).resolve().parent / "data" / "lineage"
GRAMMAR = load_data("lineage.json")


@pytest.mark.parametrize("ex", GRAMMAR["statement"]["examples"], ids=lambda ex: ex["name"])
def test_every_example_statement_is_read_as_annotated(ex):
    statement, _, _ = _grammar()
    m = statement.search(ex["text"])
    assert m and m.group("name") == ex["name"] and re.sub(r"\s+", " ", m.group("level")) == ex["level"]
    units = _units(m.group("units"))
    assert [u for u, _ in units] == ex["units"]
    assert [u for u, part in units if part] == ex.get("parts", [])


@pytest.mark.parametrize("text", GRAMMAR["statement"]["not"])
def test_what_is_no_statement_of_a_change(text):
    assert _grammar()[0].search(text) is None


def _corpus_mergers():
    changes = []
    for name in ("6fc2e6b950cd0f97.md", "960950f2308929a4.md"):
        changes += find_changes((DATA / name).read_text(encoding="utf-8"), name)
    return changes


def test_the_provincial_mergers_read_from_the_texts_equal_the_reviewed_table():
    table = load_data("self_layout.json")["province_changes"]["merged"]
    read = merged_provinces(_corpus_mergers())
    assert read == {k: sorted(v) for k, v in sorted(table.items())}
    assert len(read) == 23
    # 63 provinces become 34: 29 merged into another; the 11 others are left as they were
    merged_away = {p for ps in read.values() for p in ps}
    assert len(merged_away) == 29
    names = {p["name"] for p in provinces()}
    assert merged_away <= names and set(read) <= names


def test_every_statement_keeps_its_file_and_offsets():
    text = (DATA / "6fc2e6b950cd0f97.md").read_text(encoding="utf-8")
    yen_bai = next(c for c in _corpus_mergers() if c.unit == "Yên Bái")
    assert (yen_bai.kind, yen_bai.successor, yen_bai.level, yen_bai.source) == (
        MERGED_INTO,
        "Lào Cai",
        "tỉnh",
        "6fc2e6b950cd0f97.md",
    )
    assert text[yen_bai.start : yen_bai.end] == yen_bai.text
    assert yen_bai.text == (
        "Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của tỉnh Yên Bái và tỉnh Lào Cai "
        "thành tỉnh mới có tên gọi là tỉnh Lào Cai"
    )
    # the page quotes the resolution without its number: no act is guessed
    assert yen_bai.act is None


def test_commune_mergers_whole_and_in_part_with_the_resolution_they_cite():
    changes = find_changes((DATA / "0203d6d28a4e90eb.md").read_text(encoding="utf-8"), "0203d6d28a4e90eb.md")
    sai_gon = [(c.unit, c.kind) for c in changes if c.successor == "Sài Gòn"]
    assert sai_gon == [("Bến Nghé", MERGED_INTO), ("Đa Kao", SPLIT_INTO), ("Nguyễn Thái Bình", SPLIT_INTO)]
    tan_dinh = [(c.unit, c.kind, c.same_name) for c in changes if c.successor == "Tân Định"]
    assert tan_dinh == [("Tân Định", MERGED_INTO, True), ("Đa Kao", SPLIT_INTO, False)]
    assert {c.act for c in changes} == {"1685/NQ-UBTVQH15"} and {c.level for c in changes} == {"phường"}


def test_cli_lineage_build():
    r = CliRunner().invoke(main, ["lineage", "build", str(DATA / "960950f2308929a4.md"), "--format", "jsonl"])
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert {(x["unit"], x["successor"]) for x in rows if x["unit"] == "Hà Giang"} == {("Hà Giang", "Tuyên Quang")}
    assert r.stderr == f"{len(rows)} changes of units; 0 files failed.\n"
    r = CliRunner().invoke(main, ["lineage", "build", str(DATA / "missing.md")])
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"cancu: cannot read {DATA / 'missing.md'}: no such file"
