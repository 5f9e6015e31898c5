"""Finding what a person means: documents, plans and agencies typed with or
without diacritics, with abbreviations, other separators or a small typo;
the candidates of an unknown or ambiguous name; the filters of every
question; one-line evidence; the names of texts without a number.

The store is built from the bundled plans (data/plans) and from a real VPCP
announcement of the corpus, tests/data/finding/74e2ddc7b11340da.md
(Thông báo 624/TB-VPCP), which cites Nghị quyết 71/NQ-CP once with its date
and elsewhere without.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main

from .conftest import plans_store

FINDING = Path(__file__).resolve().parent / "data" / "finding"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("finding")
    return plans_store(root)


@pytest.fixture(scope="module")
def vpcp(tmp_path_factory):
    root = tmp_path_factory.mktemp("vpcp")
    r = CliRunner().invoke(main, ["build", str(FINDING), "--store", str(root / "store")])
    assert r.exit_code == 0, r.output
    return str(root / "store")


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "typed, key",
    [
        ("Ket luan 57", "57-KL/TW"),  # no diacritics
        ("ket luan so 57", "57-KL/TW"),
        ("Ket lua 57", "57-KL/TW"),  # a typo in the type word
        ("57/KL-TW", "57-KL/TW"),  # other separators
        ("72/2015/ND-CP@2015", "72/2015/NĐ-CP"),  # ND for NĐ
        ("72/2015/nd-cp", "72/2015/NĐ-CP"),
        ("nghi dinh 72/2015", "72/2015/NĐ-CP"),
        ("ND 72", "72/2015/NĐ-CP"),
        ("qd 1191", "1191/QĐ-TTg"),
        ("ke hoach 3017 Phu Tho", "3017/KH-UBND"),  # a plan cited by number and province
    ],
)
def test_a_loose_reading_answers_and_says_so(store, typed, key):
    loose = run("query", "cited-by", typed, "--store", store)
    exact = run("query", "cited-by", key, "--store", store)
    assert (loose.exit_code, exact.exit_code) == (0, 0)
    assert loose.stderr == f"cancu: reading {typed!r} as {key}\n"
    assert exact.stderr == ""
    assert loose.stdout == exact.stdout


@pytest.mark.parametrize("typed", ["Kết luận 57", "KL 57", "kết luận số 57", "57-KL/TW", "57-kl/tw"])
def test_an_exact_spelling_is_answered_quietly(store, typed):
    r = run("query", "implements", typed, "--store", store)
    assert r.exit_code == 0 and r.stderr == ""
    assert (
        r.stdout.splitlines()[0]
        == "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn … → 57-KL/TW"
    )


def test_unknown_lists_the_closest_by_key_type_date_issuer(store):
    r = run("query", "implements", "Ket luan 99", "--store", store)
    assert r.exit_code == 2
    assert (
        r.output
        == "Error: no document matches 'Ket luan 99'; closest:\n  57-KL/TW  Kết luận  2023-06-15  Bộ Chính trị\n"
    )


def test_ambiguous_lists_every_match_and_exits_2(store):
    r = run("query", "cited-by", "cong van 3089", "--store", store)
    assert r.exit_code == 2
    assert r.output == (
        "Error: 'cong van 3089' is ambiguous: 2 matches; candidates:\n"
        "  3089/BTTTT-TTĐN  Công văn  2023-07-31  Bộ Thông tin và Truyền thông\n"
        "  3089/BTTTT-TTĐN  Công văn  2024-07-31  Bộ Thông tin và Truyền thông\n"
    )
    assert "doc:" not in r.output


@pytest.mark.parametrize("typed", ["Yen Bai 2024", "yên bái 2024", "Yen Bia 2024"])
def test_plans_as_people_type_them(store, typed):
    loose = run("query", "basis", typed, "--store", store)
    exact = run("query", "basis", "Yên Bái 2024", "--store", store)
    assert loose.exit_code == 0 and loose.stdout == exact.stdout
    said = (
        ""
        if typed == "yên bái 2024"
        else f"cancu: reading {typed!r} as Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …\n"
    )
    assert loose.stderr == said


@pytest.mark.parametrize(
    "typed, said",
    [("So Ngoai vu", ""), ("SỞ NGOẠI VỤ", ""), ("So Ngoai vi", "cancu: reading 'So Ngoai vi' as Sở Ngoại vụ\n")],
)
def test_agencies_as_people_type_them(store, typed, said):
    loose = run("query", "agency", typed, "--as-written", "--store", store)
    exact = run("query", "agency", "Sở Ngoại vụ", "--as-written", "--store", store)
    assert loose.exit_code == 0 and loose.stdout == exact.stdout and loose.stderr == said
    name = "Kế hoạch Cao Bằng 2023 — Công tác thông tin đối ngoại trên …".split()
    first = exact.stdout.splitlines()[1].split()
    assert first[: len(name) + 1] + first[-1:] == [*name, "II.7.1", "plans/cao-bang-2023-ttdn.txt"]


def test_unknown_agency_says_agency(store):
    r = run("query", "agency", "Sở Hàng không vũ trụ", "--store", store)
    assert r.exit_code == 2
    assert r.output == "Error: no agency matches 'Sở Hàng không vũ trụ'\n"


def test_an_undated_citation_is_the_one_dated_document(vpcp):
    # 74e2ddc7b11340da.md line 131: "... theo Nghị quyết số 71/NQ-CP chưa đảm bảo ..." (no date);
    # line 156-157: "Nghị quyết số 71/NQ-CP ngày 01 tháng 4 năm 2025"
    r = run("query", "cited-by", "71/NQ-CP", "--format", "json", "--store", vpcp)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {x["target"] for x in rows} == {"doc:71/nq-cp@2025"}
    assert [(x["type"], x["occurrences"]) for x in rows] == [("CITES", 35), ("IMPLEMENTS", 2)]
    assert any("71/NQ-CP chưa đảm bảo" in x["context"] for x in rows)


def test_filters_type_year_issuer_province(store):
    def heads(*args):
        r = run("query", "implements", "Kết luận 57", *args, "--store", store)
        assert r.exit_code == 0, r.output
        return [l.split(" — ")[0] for l in r.stdout.splitlines() if not l.startswith(" ")]

    every = ["Kế hoạch Thừa Thiên Huế 2024 (draft)", "Kế hoạch Yên Bái 2024", "Kế hoạch Phú Thọ 2025"]
    assert heads() == every
    assert heads("--type", "ke hoach") == heads("--type", "KH") == every
    assert heads("--year", "2025") == ["Kế hoạch Phú Thọ 2025"]
    assert heads("--issuer", "UBND tinh Yen Bai") == ["Kế hoạch Yên Bái 2024"]
    assert heads("--issuer", "Ủy ban nhân dân tỉnh Phú Thọ") == ["Kế hoạch Phú Thọ 2025"]
    assert heads("--type", "Quyết định") == ["(no plan implements Kết luận 57)"]
    r = run("query", "diagram", "47/NQ-CP", "--type", "KL", "--store", store)
    assert [l.split()[:3] for l in r.stdout.splitlines()[1:]] == [["outgoing", "IMPLEMENTS", "57-KL/TW"]]
    r = run("query", "basis", "Phú Thọ 2025", "--issuer", "Chinh phu", "--province", "Phú Thọ", "--store", store)
    assert r.stdout.splitlines()[1:] == []  # a national decree is of no province
    r = run("query", "agency", "Sở Ngoại vụ", "--year", "2024", "--as-written", "--format", "json", "--store", store)
    assert {x["plan_name"] for x in json.loads(r.stdout)} == {
        "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …"
    }
    r = run("query", "agency", "Sở Ngoại vụ", "--year", "2020", "--as-written", "--store", store)
    assert r.stdout == "(no tasks)\n"


def test_table_evidence_is_one_line_cut_around_the_citation(store):
    # data/plans/phu-tho-2025-ttdn.txt section II.1: a 300-character sentence citing 57-KL/TW at its end
    r = run("query", "cited-by", "Kết luận 57", "--store", store)
    row = next(l for l in r.stdout.splitlines() if l.startswith("Kế hoạch Phú Thọ 2025"))
    assert " plans/phu-tho-2025-ttdn.txt " in row
    assert row.endswith(
        "  …hành động của Chính phủ đến năm 2030 thực hiện Kết luận số 57-KL/TW "
        "ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất…"
    )
    whole = json.loads(run("query", "cited-by", "Kết luận 57", "--format", "json", "--store", store).stdout)
    sentence = next(x["context"] for x in whole if x["name"].startswith("Kế hoạch Phú Thọ 2025"))
    assert sentence.startswith("Kế hoạch số 3017/KH-UBND ngày 26/7/2024") and sentence.endswith(
        "trên địa bàn tỉnh Phú Thọ"
    )


def test_texts_without_a_number_are_named_by_type_province_year_and_title(store, vpcp):
    r = run("query", "stats", "--format", "json", "--store", store)
    assert r.exit_code == 0
    rows = json.loads(run("query", "matrix", "--top", "1", "--format", "json", "--store", store).stdout)
    assert sorted(x["name"] for x in rows) == [
        "Kế hoạch Cao Bằng 2023 — Công tác thông tin đối ngoại trên …",
        "Kế hoạch Lào Cai 2022 — Hoạt động thông tin đối ngoại tỉnh …",
        "Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …",
        "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …",
        "Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …",
    ]


def test_a_type_and_number_means_the_document_the_texts_cite_far_more():
    """ "Nghị quyết 57" on the corpus matches 57-NQ/TW, 57/2022/QH15 and others;
    the texts cite 57-NQ/TW far more often, so that is the one read (and said),
    while two documents cited alike stay ambiguous."""
    from cancu.extractors.pipeline import extract_text
    from cancu.graph.errors import AmbiguousTarget
    from cancu.graph.model import build_graph
    from cancu.graph.query import find_document

    # five corpus pages citing 57-NQ/TW (file, then the words around the citation)
    party = [
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học.\n",  # 8718801c
        "Bố trí chi ngân sách nhà nước năm 2025 cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia "
        "để đáp ứng yêu cầu của Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị.\n",  # 1476f298
        "Ban hành kèm theo Nghị quyết này việc sửa đổi, bổ sung cập nhật Chương trình hành động của Chính phủ thực "
        "hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị.\n",  # 176008cc
        "Chương trình hành động số 10-CTr/TU ngày 13/8/2025 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số "
        "57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n",  # 19206835
        "Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ "
        "Chính trị.\n",  # 001c610b
    ]
    # ac70ccd5a3e5e074.md (an article on the Hồ Chí Minh ring road 4)
    assembly = (
        "Dự án đã được Quốc hội quyết định chủ trương đầu tư tại Nghị quyết 57/2022/QH15 ngày 16 tháng 6 năm 2022.\n"
    )
    texts = [extract_text(t, f"p{i}.txt") for i, t in enumerate(party)] + [extract_text(assembly, "q.txt")]
    G = build_graph(texts)
    assert find_document(G, "Nghi quyet 57") == "doc:57-nq/tw"
    H = build_graph(texts[:1] + texts[-1:])
    with pytest.raises(AmbiguousTarget) as e:
        find_document(H, "Nghi quyet 57")
    assert e.value.candidates == ["doc:57-nq/tw", "doc:57/2022/qh15"]
