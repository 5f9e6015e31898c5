"""`cancu build`, `cancu query`, `cancu check` as a user sees them."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    shutil.copytree(PLANS, root / "plans", ignore=shutil.ignore_patterns("*.md"))
    r = CliRunner().invoke(main, ["build", str(root / "plans"), "--store", str(root / "store")])
    assert r.exit_code == 0, r.output
    assert r.output == (
        f"{root / 'store'}: 5 added, 0 replaced, 0 unchanged, 0 pruned, 0 failed; 320 nodes, 756 relationships.\n"
    )
    return str(root / "store")


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_implements_json(store):
    r = run("query", "implements", "Kết luận 57", "--format", "json", "--store", store)
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert [(x["name"], x["path"]) for x in rows] == [
        (
            "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …",
            ["Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …", "57-KL/TW"],
        ),
        (
            "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …",
            ["Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …", "57-KL/TW"],
        ),
        (
            "Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …",
            ["Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …", "3017/KH-UBND", "47/NQ-CP", "57-KL/TW"],
        ),
    ]
    assert all(s["context"] for x in rows for s in x["steps"])


def test_implements_table_shows_path_and_evidence(store):
    r = run("query", "implements", "1191/QĐ-TTg", "--store", store)
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn … → 1191/QĐ-TTg"
    assert lines[1].startswith(
        "  Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn … -IMPLEMENTS-> 1191/QĐ-TTg  ("
    )
    assert lines[1].endswith("thua-thien-hue-2024-ttdn-du-thao.txt, section II.2)")
    assert lines[3] == "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh … → 1191/QĐ-TTg"


def test_with_basis_marks_basis_rows(store):
    r = run("query", "implements", "Nghị định 72", "--with-basis", "--store", store)
    heads = [l for l in r.output.splitlines() if not l.startswith(" ")]
    assert heads[-2:] == [
        "Kế hoạch Cao Bằng 2023 — Công tác thông tin đối ngoại trên … → 72/2015/NĐ-CP   [legal basis only: BASED_ON]",
        "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn … → 72/2015/NĐ-CP   [legal basis only: BASED_ON]",
    ]


def test_unknown_target_exits_2(store):
    r = run("query", "implements", "Kết luận 58", "--store", store)
    assert r.exit_code == 2
    assert (
        r.output
        == "Error: no document matches 'Kết luận 58'; closest:\n  57-KL/TW  Kết luận  2023-06-15  Bộ Chính trị\n"
    )


def test_ambiguous_target_exits_2(store):
    r = run("query", "cited-by", "3089/BTTTT-TTĐN", "--store", store)
    assert r.exit_code == 2
    # listed by key, type, date and issuer, never by an internal id
    assert r.output == (
        "Error: '3089/BTTTT-TTĐN' is ambiguous: 2 matches; candidates:\n"
        "  3089/BTTTT-TTĐN  Công văn  2023-07-31  Bộ Thông tin và Truyền thông\n"
        "  3089/BTTTT-TTĐN  Công văn  2024-07-31  Bộ Thông tin và Truyền thông\n"
    )


def test_missing_store_one_line(tmp_path):
    r = run("query", "stats", "--store", str(tmp_path / "none"))
    assert r.exit_code == 1
    assert (
        r.output
        == f"Error: no store at {tmp_path / 'none'} (run `cancu build PATH... --store {tmp_path / 'none'}` first)\n"
    )


def test_cited_by_csv(store):
    r = run("query", "cited-by", "47/NQ-CP", "--format", "csv", "--store", store)
    # UTF-8 with a byte order mark: Excel reads the Vietnamese text as UTF-8
    assert r.output_bytes.startswith("\ufeff".encode())
    assert r.output.splitlines()[:2] == [
        "\ufeffname,type,occurrences,date,section,file,context",
        r.output.splitlines()[1],
    ]
    assert r.output.splitlines()[1].startswith(
        "Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …,CITES,1,2024-04-15,II.1,"
    )


def test_basis_table(store):
    r = run("query", "basis", "Phú Thọ 2025", "--store", store)
    assert r.output.splitlines() == [
        "key              name                     date        issuer                        section   in_force",
        "72/2015/NĐ-CP    Nghị định 72/2015/NĐ-CP  2015-09-07  Chính phủ                     preamble  in force",
        "1966/KH-UBND     Kế hoạch 1966/KH-UBND    2022-05-31  UBND tỉnh                     preamble  in force",
        "3837/BTTTT-TTĐN  Văn bản 3837/BTTTT-TTĐN  2024-09-16  Bộ Thông tin và Truyền thông  preamble  in force",
    ]


def test_chain_agencies_agency_stats(store):
    r = run("query", "chain", "Phú Thọ 2025", "57-KL/TW", "--format", "json", "--store", store)
    assert [x["hops"] for x in json.loads(r.output)] == [1, 2, 3]
    r = run("query", "agencies", "Phú Thọ 2025", "--format", "csv", "--store", store)
    assert r.output.splitlines()[:2] == [
        "\ufeffsection,role,agency_name,title",
        "IV.1,lead,Sở Thông tin và Truyền thông,Sở Thông tin và Truyền thông",
    ]
    r = run("query", "agency", "Sở TTTT", "--format", "json", "--store", store)
    assert r.exit_code == 0 and len(json.loads(r.output)) > 10
    r = run("query", "stats", "--store", store)
    assert "plans                         5" in r.output.splitlines()


def test_matrix_table(store):
    r = run("query", "matrix", "--top", "2", "--target", "KL 57", "--store", store)
    # grouped by today's province: the Yên Bái plan under Lào Cai, the Thừa Thiên Huế draft under Huế
    assert r.output.splitlines() == [
        "plan                                                                       province  22/2016/TT-BTTTT  72/2015/NĐ-CP  57-KL/TW  file",
        "Kế hoạch Cao Bằng 2023 — Công tác thông tin đối ngoại trên …               Cao Bằng  B                 B              -         plans/cao-bang-2023-ttdn.txt",
        "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …  Huế       B                 B              BCI       plans/thua-thien-hue-2024-ttdn-du-thao.txt",
        "Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …               Lào Cai   BI                BI             -         plans/lao-cai-2022-ttdn.txt",
        "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …               Lào Cai   BI                BI             BCI       plans/yen-bai-2024-ttdn.txt",
        "Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …                Phú Thọ   I                 BI             C         plans/phu-tho-2025-ttdn.txt",
    ]
    r = run("query", "matrix", "--top", "2", "--as-written", "--province", "Yên Bái", "--store", store)
    assert r.output.splitlines() == [
        "plan                                                          province  22/2016/TT-BTTTT  72/2015/NĐ-CP  file",
        "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …  Yên Bái   BI                BI             plans/yen-bai-2024-ttdn.txt",
    ]


def test_check(store):
    r = run("check", "--store", store)
    assert r.exit_code == 0
    heads = [l for l in r.output.splitlines() if not l.startswith(" ")]
    assert heads == [
        "date_conflict: 22/2016/TT-BTTTT is cited with 2 dates: 2012-10-19, 2016-10-19",
        "date_conflict: 3089/BTTTT-TTĐN is cited with the same day and month in different years: "
        "2023-07-31, 2024-07-31 (kept as separate documents)",
        "year_mismatch: 22/2016/TT-BTTTT has 2016 in its number but is dated 2012-10-19",
        "3 findings.",
    ]
    r = run("check", "--format", "json", "--store", store)
    assert [f["kind"] for f in json.loads(r.output)] == ["date_conflict", "date_conflict", "year_mismatch"]


def test_rebuild_reports_unchanged(store, tmp_path):
    shutil.copytree(PLANS, tmp_path / "plans", ignore=shutil.ignore_patterns("*.md"))
    s = str(tmp_path / "s")
    run("build", str(tmp_path / "plans"), "--store", s)
    r = run("build", str(tmp_path / "plans"), "--store", s)
    assert r.output == f"{s}: 0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed; 320 nodes, 756 relationships.\n"


def test_cited_by_province_follows_the_merger(store):
    # the Yên Bái 2024 plan (data/plans/yen-bai-2024-ttdn.txt) cites Kết luận 57; Yên Bái is part of
    # Lào Cai from 1 July 2025 (Nghị quyết 202/2025/QH15)
    r = run("query", "cited-by", "Kết luận 57", "--province", "Lào Cai", "--format", "csv", "--store", store)
    assert r.exit_code == 0
    import csv

    rows = [row[:5] for row in csv.reader(r.output.lstrip("\ufeff").splitlines())]
    note = "(Yên Bái, merged into Lào Cai on 2025-07-01)"
    assert rows == [
        ["name", "province", "province_note", "type", "occurrences"],
        ["Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …", "Yên Bái", note, "BASED_ON", "1"],
        ["Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …", "Yên Bái", note, "CITES", "2"],
        ["182-CTr/TU", "Yên Bái", note, "IMPLEMENTS", "1"],
        ["Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …", "Yên Bái", note, "IMPLEMENTS", "3"],
    ]
    for extra in (["--as-written"], ["--as-of", "2025-06-30"]):
        r = run("query", "cited-by", "Kết luận 57", "--province", "Lào Cai", *extra, "--store", store)
        assert (r.exit_code, r.output) == (0, "(nothing cites Kết luận 57 in Lào Cai)\n")
    r = run("query", "cited-by", "Kết luận 57", "--province", "Lào Cai", "--as-of", "1/7/2025", "--store", store)
    assert r.exit_code == 2 and r.output.endswith(
        "Error: Invalid value for --as-of: '1/7/2025' is not a date (YYYY-MM-DD, e.g. 2026-01-01)\n"
    )


def test_an_unreachable_database_is_one_line_with_status_3():
    r = run("query", "implements", "Kết luận 57", "--neo4j", "bolt://127.0.0.1:9")
    assert r.exit_code == 3
    assert r.output == (
        "Error: cannot reach Neo4j at bolt://127.0.0.1:9: Connection refused; is the server running and the "
        "address right? (--neo4j URI)\n"
    )
