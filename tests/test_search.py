"""`cancu search`: the full-text index of the store (search.sqlite), on the
bundled plans (data/plans) and on four pages of the real corpus copied into
tests/data/search (vn-legal-2025: 556b2fb4a0149576.md, Kế hoạch 0124/KH-UBND
of Đắk Lắk; ce4ad96dbd9a518d.md, Quyết định 2610/QĐ-UBND of Cần Thơ;
856f6487c18d75d0.md, Quyết định 2020/QĐ-UBND of Lào Cai, a page with the
portal's text around the document; 99ab397713e2ce12.md, Nghị quyết
77/2025/NQ-HĐND of Hà Nội; all of 2025, the first three hard-wrapped)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors.pipeline import extract_file
from cancu.graph.errors import StoreDamaged, StoreError
from cancu.graph.search import SEARCH, SearchQueryError, search
from cancu.graph.store import build, manifest_bytes, read_manifest

from .conftest import PLANS, ROOT

PAGES = ROOT / "tests" / "data" / "search"
NAMES = sorted(p.name for p in PLANS.glob("*.txt"))


def snapshot(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def where(results) -> list[tuple[str, str | None, str]]:
    return [(Path(h.file).name, h.section, h.sentence) for h in results.hits]


def docs(store: Path) -> list[tuple]:
    con = sqlite3.connect(f"file:{store / SEARCH}?mode=ro&immutable=1", uri=True)
    try:
        return con.execute("SELECT source, whole, last - first + 1 FROM docs ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder with a copy of the bundled plans (plans/) and of the corpus
    pages (pages/), and the store of both (s), built with relative paths."""
    root = tmp_path_factory.mktemp("search")
    shutil.copytree(PLANS, root / "plans", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(PAGES, root / "pages")
    here = os.getcwd()
    os.chdir(root)
    try:
        build(["plans", "pages"], "s")
    finally:
        os.chdir(here)
    return root


@pytest.fixture()
def here(site, monkeypatch):
    monkeypatch.chdir(site)
    return site


# -- what is found ----------------------------------------------------------------------


#: the Kế hoạch that hold "chuyển đổi số", best first (Đắk Lắk's II.3.c writes it "chuyển đối số")
CHUYEN_DOI_SO_IN_PLANS = [
    ("phu-tho-2025-ttdn.txt", "II.3"),
    ("thua-thien-hue-2024-ttdn-du-thao.txt", "II.3.b"),
    ("556b2fb4a0149576.md", "II.3.a"),
    ("phu-tho-2025-ttdn.txt", "I.2"),
    ("556b2fb4a0149576.md", "I.1.b"),
    ("556b2fb4a0149576.md", "II.3.c"),
    ("phu-tho-2025-ttdn.txt", "II.2.1"),
    ("yen-bai-2024-ttdn.txt", "II.6.6"),
]
PHU_THO_I_2 = (
    "Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số; tận dụng lợi thế và mặt tích cực của các kênh truyền "
    "thông mới, phù hợp với xu thế để quảng bá hình ảnh, góp phần nâng cao hiệu quả hiệu suất lan tỏa."
)


def test_a_phrase_finds_its_sentences_ranked_with_their_file_section_and_offsets(here):
    r = search("s", "chuyển đổi số", doc_type="KH")
    assert r.total == 8
    assert [(Path(h.file).name, h.section) for h in r.hits] == CHUYEN_DOI_SO_IN_PLANS
    assert [h.sentence for h in r.hits[:2]] == [
        "3. Ứng dụng công nghệ thông tin, chuyển đổi số trong công tác thông tin đối ngoại",
        "- Tập trung tuyên truyền kết quả cải thiện môi trường đầu tư kinh doanh, nâng cao các chỉ số chỉ số PCI, "
        "PAR INDEX, PAPI, SIPAS... của tỉnh; kết quả nhiệm vụ Chuyển đổi số tỉnh Thừa Thiên Huế.",
    ]
    # a sentence cut after "Tiếp tục đổi mới nội dung, phương thức theo hướng đa dạng, hấp dẫn, sáng tạo, hiệu quả."
    assert r.hits[3].sentence == PHU_THO_I_2
    assert [h.score for h in r.hits] == sorted((h.score for h in r.hits), reverse=True)
    for h in r.hits:  # the offsets are the sentence's and the match's in the source text
        text = (here / h.file).read_text(encoding="utf-8")
        assert " ".join(text[h.start : h.end].split()) == h.sentence
        assert " ".join(text[h.match_start : h.match_end].split()).lower() in ("chuyển đổi số", "chuyển đối số")
    first = r.hits[0]
    assert (first.file, first.document, first.key, first.doc_type, first.province, first.year, first.cites) == (
        "plans/phu-tho-2025-ttdn.txt",
        "Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …",
        None,
        "Kế hoạch",
        "Phú Thọ",
        2025,
        (),
    )
    assert search("s", "chuyển đổi số", doc_type="KH", limit=3).hits == r.hits[:3]


def test_diacritics_and_case_do_not_matter(here):
    want = where(search("s", "chuyển đổi số", limit=50))
    assert len(want) == 24
    for typed in ("chuyen doi so", "CHUYỂN ĐỔI SỐ", "Chuyen Doi So", "chuyển  đổi\nsố"):
        assert where(search("s", typed, limit=50)) == want
    # đ is a d: "Đẩy mạnh" typed without diacritics
    r = search("s", "day manh ung dung cong nghe thong tin", province="Phú Thọ")
    assert where(r) == [("phu-tho-2025-ttdn.txt", "I.2", PHU_THO_I_2)]


def test_a_query_is_phrases_in_a_row_and_every_phrase_must_be_there(here):
    assert search("s", "số đổi chuyển").total == 0  # the words, not in their order
    both = search("s", ["chuyển đổi số", "quảng bá hình ảnh"])
    assert where(both) == [("phu-tho-2025-ttdn.txt", "I.2", PHU_THO_I_2)]
    # FTS5's own syntax is only text: quotes, AND, NOT, *, NEAR( are words or nothing
    assert search("s", '"Kết luận" AND NOT 57*').total == 0
    assert search("s", 'NEAR("chuyển đổi số"').total == 0
    assert search("s", "kết luận* số 57-KL/TW:").total == search("s", "Kết luận số 57 KL TW").total == 12
    for nothing in ("---", "", '"*"'):
        with pytest.raises(SearchQueryError) as e:
            search("s", nothing)
        assert str(e.value) == f"there is no word to search for in {nothing!r}"


def test_each_hit_names_the_documents_its_sentence_cites(here):
    r = search("s", "Kết luận số 57-KL/TW", province="Yên Bái")
    assert [(Path(h.file).name, h.section, h.cites) for h in r.hits] == [
        ("yen-bai-2024-ttdn.txt", "II.2", ("57-KL/TW",)),
        ("yen-bai-2024-ttdn.txt", "IV.2", ("57-KL/TW",)),
        ("yen-bai-2024-ttdn.txt", "II.2", ("182-CTr/TU", "57-KL/TW")),
        ("yen-bai-2024-ttdn.txt", "preamble", ("57-KL/TW", "72/2015/NĐ-CP", "22/2016/TT-BTTTT", "33/2018/QĐ-UBND")),
    ]
    # every hit's cites are the citations of its record that start in its sentence, in order
    for source in (f"plans/{n}" for n in NAMES):
        rec = extract_file(source)
        for h in search("s", "số", limit=10_000).hits:
            if h.file != source:
                continue
            keys = [c.key for c in sorted(rec.citations, key=lambda c: c.start) if h.start <= c.start < h.end]
            assert list(h.cites) == list(dict.fromkeys(keys))


def test_every_citation_stands_in_a_sentence_of_its_own_section(here):
    """The index's sentences are the extractor's: a citation's sentence starts
    in the row that holds it, and the row has the citation's section."""
    con = sqlite3.connect(f"file:{here / 's' / SEARCH}?mode=ro&immutable=1", uri=True)
    checked = 0
    for source in [f"plans/{n}" for n in NAMES] + [f"pages/{p.name}" for p in sorted(PAGES.iterdir())]:
        for c in extract_file(source).citations:
            rows = con.execute(
                "SELECT s.start, s.stop, s.section, s.cites FROM sentences s JOIN docs d ON d.id = s.doc "
                "WHERE d.source = ? AND s.start <= ? AND ? < s.stop",
                (source, c.start, c.start),
            ).fetchall()
            assert len(rows) == 1, (source, c.key)
            start, stop, section, cites = rows[0]
            assert start <= c.sentence_start < stop and section == c.section and c.key in json.loads(cites)
            checked += 1
    con.close()
    assert checked == 117


def test_hard_wrapped_pages_are_searched_as_the_extractor_reads_them(here):
    """ce4ad96dbd9a518d.md wraps every 80 characters: its sentences are
    joined, and a phrase broken across two lines is found."""
    r = search("s", "Chương trình Chuyển đổi số quốc gia", year=2025, doc_type="QĐ")
    assert [(h.file, h.document, h.section, h.cites, h.sentence) for h in r.hits] == [
        (
            "pages/ce4ad96dbd9a518d.md",
            "Quyết định 2610/QĐ-UBND Cần Thơ 2025",
            "preamble",
            ("749/QĐ-TTg",),
            "*Căn cứ Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ phê duyệt “Chương "
            "trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030”;*",
        )
    ]
    text = (here / "pages" / "ce4ad96dbd9a518d.md").read_text(encoding="utf-8")
    h = r.hits[0]
    assert text[h.match_start : h.match_end] == "Chương\ntrình Chuyển đổi số quốc gia"


def test_the_portal_text_around_a_document_is_not_indexed(here):
    page = (here / "pages" / "856f6487c18d75d0.md").read_text(encoding="utf-8")
    assert "Ngày công báo" in page  # the portal's metadata table, before the document
    assert search("s", "Ngày công báo").total == 0
    assert search("s", "Quyết định 2020/QĐ-UBND năm 2025 công bố Danh mục").total == 0  # the related list after it


def test_filters_by_province_type_and_year(here):
    def files(**kw):
        return sorted({Path(h.file).name for h in search("s", "chuyển đổi số", limit=100, **kw).hits})

    assert files(province="Yen Bai") == ["yen-bai-2024-ttdn.txt"]
    # Yên Bái is part of Lào Cai since the 2025 merger: its plan is found under both
    assert files(province="Lào Cai") == ["856f6487c18d75d0.md", "yen-bai-2024-ttdn.txt"]
    assert files(province="Ha Noi") == ["99ab397713e2ce12.md"]
    assert files(doc_type="ke hoach", year=2025) == ["556b2fb4a0149576.md", "phu-tho-2025-ttdn.txt"]
    assert files(doc_type="Nghị quyết") == files(doc_type="NQ") == ["99ab397713e2ce12.md"]
    assert files(year=2024) == ["thua-thien-hue-2024-ttdn-du-thao.txt", "yen-bai-2024-ttdn.txt"]
    assert files(year=2023) == []
    with pytest.raises(SearchQueryError) as e:
        search("s", "chuyển đổi số", doc_type="XYZ")
    assert str(e.value) == (
        "'XYZ' is not a document type (a type is named as written, such as Kế hoạch, or by its code, such as KH)"
    )


# -- built and updated with the store ---------------------------------------------------


def test_two_builds_of_the_same_files_give_the_same_index(site, tmp_path):
    build([str(site / "plans"), str(site / "pages")], tmp_path / "a")
    build([str(site / "plans"), str(site / "pages")], tmp_path / "b")
    assert (tmp_path / "a" / SEARCH).read_bytes() == (tmp_path / "b" / SEARCH).read_bytes()
    entry = read_manifest(tmp_path / "a")["search"]
    assert (entry["file"], entry["documents"]) == (SEARCH, 9)


@pytest.fixture()
def work(tmp_path, monkeypatch):
    shutil.copytree(PLANS, tmp_path / "plans", ignore=shutil.ignore_patterns("*.md"))
    monkeypatch.chdir(tmp_path)
    build(["plans"], "s")
    return tmp_path


def test_a_changed_file_replaces_its_rows_and_the_others_are_carried_over_unread(work, monkeypatch):
    from cancu.extractors import pipeline

    before = docs(work / "s")
    assert search("s", "góp phần nâng cao hiệu quả hiệu suất lan tỏa").total == 1
    plan = work / "plans" / "phu-tho-2025-ttdn.txt"
    text = plan.read_text(encoding="utf-8")
    old = "góp phần nâng cao hiệu quả hiệu suất lan tỏa."
    assert text.count(old) == 1
    plan.write_text(text.replace(old, "góp phần quảng bá đất Tổ Hùng Vương."), encoding="utf-8")
    real = pipeline.read_source

    def read_source(path, max_bytes=None):  # an unchanged file is not read, neither for its record nor its rows
        if not path.endswith("phu-tho-2025-ttdn.txt"):
            raise AssertionError(f"read again: {path}")
        return real(path, max_bytes)

    monkeypatch.setattr(pipeline, "read_source", read_source)
    report = build(["plans"], "s")
    assert (report.replaced, len(report.kept)) == (["plans/phu-tho-2025-ttdn.txt"], 4)
    assert search("s", "góp phần nâng cao hiệu quả hiệu suất lan tỏa").total == 0
    assert where(search("s", "đất Tổ Hùng Vương")) == [
        ("phu-tho-2025-ttdn.txt", "I.2", PHU_THO_I_2.replace(old, "góp phần quảng bá đất Tổ Hùng Vương."))
    ]
    after = docs(work / "s")
    assert [a for a in after if "phu-tho" not in a[0]] == [b for b in before if "phu-tho" not in b[0]]
    assert all(whole for _, whole, _ in after)
    monkeypatch.setattr(pipeline, "read_source", real)
    build(["plans"], "scratch")  # the same index as a build from scratch of the files as they are now
    assert (work / "s" / SEARCH).read_bytes() == (work / "scratch" / SEARCH).read_bytes()


def test_a_pruned_file_takes_its_rows_with_it(work):
    assert {Path(h.file).name for h in search("s", "Lào Cai", limit=100).hits} >= {"lao-cai-2022-ttdn.txt"}
    (work / "plans" / "lao-cai-2022-ttdn.txt").unlink()
    report = build(["plans"], "s", prune=True)
    assert report.pruned == ["plans/lao-cai-2022-ttdn.txt"]
    assert "lao-cai-2022-ttdn.txt" not in {Path(h.file).name for h in search("s", "Lào Cai", limit=100).hits}
    assert [d[0] for d in docs(work / "s")] == [f"plans/{n}" for n in NAMES if "lao-cai" not in n]
    build(["plans"], "four")
    assert snapshot(work / "s") == snapshot(work / "four")


def test_a_damaged_index_is_said_and_the_next_build_makes_it_again_from_the_texts(work):
    good = snapshot(work / "s")
    f = work / "s" / SEARCH
    data = f.read_bytes()
    f.write_bytes(data[:4096] + bytes([data[4096] ^ 0xFF]) + data[4097:])
    with pytest.raises(StoreDamaged) as e:
        search("s", "chuyển đổi số")
    assert str(e.value) == (
        "the store s is damaged: s/search.sqlite does not match its checksum in manifest.json; "
        "rebuild it with build(rebuild=True)"
    )
    said = []
    report = build(["plans"], "s", on_repair=lambda name, why: said.append((name, why)))
    assert said == [(SEARCH, "does not match its checksum in manifest.json")]
    assert len(report.kept) == 5 and not report.added and not report.replaced
    assert snapshot(work / "s") == good
    f.unlink()
    report = build(["plans"], "s")
    assert report.repaired == [SEARCH] and snapshot(work / "s") == good


def test_a_store_made_before_the_index_gets_one_at_its_next_build(work):
    good = snapshot(work / "s")
    m = read_manifest("s")
    del m["search"], m["checksum"]
    (work / "s" / "manifest.json").write_bytes(manifest_bytes(m))
    (work / "s" / SEARCH).unlink()
    with pytest.raises(StoreError) as e:
        search("s", "chuyển đổi số")
    assert str(e.value) == (
        "the store s has no search index (an older cancu built it); build it again to make one: build(paths, store)"
    )
    r = CliRunner().invoke(main, ["search", "chuyển đổi số", "--store", "s"])
    assert (r.exit_code, r.output) == (
        1,
        "Error: the store s has no search index (an older cancu built it); build it again to make one: "
        "`cancu build PATH... --store s`\n",
    )
    report = build(["plans"], "s")
    assert report.repaired == [SEARCH] and len(report.kept) == 5
    assert snapshot(work / "s") == good


def test_a_store_built_from_records_indexes_the_sentences_the_records_keep(work):
    """Records (``cancu extract --format jsonl``) hold no text: their index has
    each citation's evidence; a build of the files later indexes the texts."""
    r = CliRunner().invoke(main, ["extract", "plans", "--format", "jsonl"])
    (work / "all.jsonl").write_text(r.stdout, encoding="utf-8")
    build([], "r", records="all.jsonl")
    assert [(d[0], d[1]) for d in docs(work / "r")] == [(f"plans/{n}", 0) for n in NAMES]
    assert search("r", "chuyển đổi số").total == 0  # no citation stands in those sentences
    hits = search("r", "Kết luận số 57-KL/TW", province="Yên Bái").hits
    assert [(h.section, h.cites, h.sentence) for h in hits] == [  # each citation's evidence (its clause)
        (
            "II.2",
            ("57-KL/TW",),
            "Phối hợp với Bộ Thông tin và Truyền thông triển khai Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính "
            "trị về tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại sau khi Thủ tướng Chính phủ "
            "ban hành Chương trình hành động của Chính phủ thực hiện Kết luận số 57-KL/TW của Bộ Chính trị",
        ),
        (
            "preamble",
            ("57-KL/TW",),
            "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất lượng, hiệu "
            "quả công tác thông tin đối ngoại",
        ),
        (
            "IV.2",
            ("57-KL/TW",),
            "- Chủ động tham mưu cho Ủy ban nhân dân tỉnh ban hành Kế hoạch sau khi Thủ tướng Chính phủ ban hành "
            "Chương trình hành động của Chính phủ thực hiện Kết luận số 57-KL/TW của Bộ Chính trị.",
        ),
        (
            "II.2",
            ("182-CTr/TU", "57-KL/TW"),
            "+ Triển khai có hiệu quả các nội dung của Chương trình hành động số 182-CTr/TU ngày 27/10/2023 của Tỉnh "
            "ủy thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất lượng, hiệu "
            "quả công tác thông tin đối ngoại trong tình hình mới.",
        ),
    ]
    said = []  # the same texts: the records are kept, their texts read for the index
    report = build(["plans"], "r", on_repair=lambda name, why: said.append((name, why)))
    assert len(report.kept) == 5 and not report.added and not report.replaced
    assert said == [(SEARCH, "holds only the cited sentences of 5 sources built from records")]
    assert [(d[0], d[1]) for d in docs(work / "r")] == [(f"plans/{n}", 1) for n in NAMES]
    assert (work / "r" / SEARCH).read_bytes() == (work / "s" / SEARCH).read_bytes()


def test_an_interrupted_build_leaves_the_old_index(work):
    good = snapshot(work / "s")
    want = where(search("s", "chuyển đổi số"))
    big = work / "many"
    big.mkdir()
    for i in range(150):
        for n in NAMES:
            shutil.copy(work / "plans" / n, big / f"{i:03d}-{n}")
    exe = Path(sys.executable).with_name("cancu")
    proc = subprocess.Popen([str(exe), "build", "many", "--store", "s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    tmp = [p for p in work.iterdir() if p.name.startswith("s.tmp-")]
    while not (tmp and (tmp[0] / SEARCH).exists()) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the new index is being written beside the old one
        tmp = [p for p in work.iterdir() if p.name.startswith("s.tmp-")]
    assert proc.poll() is None, "the build finished before it could be interrupted"
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert snapshot(work / "s") == good
    assert where(search("s", "chuyển đổi số")) == want  # and the next reader clears what the build left
    assert sorted(p.name for p in work.iterdir()) == ["many", "plans", "s"]


# -- the index's own process ---------------------------------------------------------------


def test_the_index_written_in_its_own_process_is_the_one_written_in_the_build(site, tmp_path, monkeypatch):
    from cancu.graph import search as search_module
    from cancu.graph import store as store_module

    inputs = [str(site / "plans"), str(site / "pages")]
    built = []
    real = search_module.index_writer

    def seen(*args):
        w = real(*args)
        built.append(type(w).__name__)
        return w

    monkeypatch.setattr(store_module, "index_writer", seen)
    build(inputs, tmp_path / "apart")
    monkeypatch.setattr(store_module, "index_writer", search_module.IndexWriter)  # in the build's own process
    build(inputs, tmp_path / "within")
    assert built == ["IndexProcess"]
    assert snapshot(tmp_path / "apart") == snapshot(tmp_path / "within")


def test_an_error_of_the_index_process_is_raised_when_the_index_is_finished(tmp_path):
    from cancu.graph.search import IndexProcess

    index = IndexProcess(tmp_path / "no such folder" / SEARCH)
    index.open()
    index.add_rows("a.txt", None, (None,) * 7, [], True)  # taken, and dropped after the error
    with pytest.raises(sqlite3.OperationalError, match="unable to open database file"):
        index.finish()


def test_an_index_process_that_was_killed_is_said_at_the_next_call(tmp_path):
    from cancu.graph.search import IndexProcess

    index = IndexProcess(tmp_path / SEARCH)
    index.open()
    os.kill(index._proc.pid, signal.SIGKILL)
    index._proc.join(10)
    with pytest.raises(StoreError) as e:
        index.finish()
    assert str(e.value) == "the search index's process stopped (killed by SIGKILL)"
    index.abort()  # and aborting it afterwards is harmless


def test_a_process_that_leaves_its_index_unfinished_still_exits(tmp_path):
    code = (
        "from pathlib import Path\n"
        "from cancu.graph.search import IndexProcess\n"
        f"IndexProcess(Path({str(tmp_path / SEARCH)!r})).open()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_the_index_process_dies_with_the_build(tmp_path):
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from cancu.graph.search import IndexProcess\n"
        f"index = IndexProcess(Path({str(tmp_path / SEARCH)!r}))\n"
        "index.open()\n"
        "print(index._proc.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    child = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (ProcessLookupError, FileNotFoundError):
            break
        if state == "Z":  # dead, not yet reaped by whoever adopted it
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f"the index process {child} outlived the build")


# -- the command line -----------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, ["search", *args])


def test_cli_table(here):
    r = run("chuyen doi so", "--province", "Yên Bái", "--store", "s")
    assert r.exit_code == 0
    assert r.output == (
        "file                         document                                                      section  cites  sentence\n"
        "plans/yen-bai-2024-ttdn.txt  Kế hoạch Yên Bái 2024 — Hoạt động thông tin đối ngoại tỉnh …  II.6.6   -      …tỉnh trong năm 2024 trong các lĩnh "
        "vực: chính trị, kinh tế, xã hội, giáo dục, khoa học, y tế, du lịch, văn hóa, thể thao, tôn giáo, dân tộc, "
        "chuyển đổi số...\n"
    )


def test_cli_table_says_when_there_are_more(here):
    r = run("chuyển đổi số", "--type", "KH", "--limit", "1", "--store", "s")
    assert r.exit_code == 0
    assert r.output == (
        "file                         document                                                     section  cites  sentence\n"
        "plans/phu-tho-2025-ttdn.txt  Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …  II.3     -      3. Ứng dụng công nghệ thông tin, chuyển "
        "đổi số trong công tác thông tin đối ngoại\n"
        "(1 of 8 sentences; --limit shows more)\n"
    )


def test_cli_json_keeps_whole_sentences(here):
    r = run("Chương trình Chuyển đổi số quốc gia", "--format", "json", "--store", "s")
    assert r.exit_code == 0
    out = json.loads(r.output)
    assert (out["query"], out["total"]) == (["Chương trình Chuyển đổi số quốc gia"], 1)
    hit = out["hits"][0]
    del hit["score"]
    assert hit == {
        "file": "pages/ce4ad96dbd9a518d.md",
        "document": "Quyết định 2610/QĐ-UBND Cần Thơ 2025",
        "key": "2610/QĐ-UBND",
        "doc_type": "Quyết định",
        "province": "Cần Thơ",
        "year": 2025,
        "section": "preamble",
        "sentence": "*Căn cứ Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ phê duyệt "
        "“Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030”;*",
        "start": hit["start"],
        "end": hit["end"],
        "match_start": hit["match_start"],
        "match_end": hit["match_end"],
        "cites": ["749/QĐ-TTg"],
    }
    text = (here / "pages" / "ce4ad96dbd9a518d.md").read_text(encoding="utf-8")
    assert " ".join(text[hit["start"] : hit["end"]].split()) == hit["sentence"]
    assert text[hit["match_start"] : hit["match_end"]] == "Chương\ntrình Chuyển đổi số quốc gia"


def test_cli_no_hits_bad_query_and_no_store(here):
    r = run("zzqx", "--store", "s")
    assert (r.exit_code, r.output) == (0, "(no sentence holds “zzqx”)\n")
    r = run("--store", "s", "--", "---")
    assert (r.exit_code, r.output) == (1, "Error: there is no word to search for in '---'\n")
    r = run("chuyển đổi số", "--type", "XYZ", "--store", "s")
    assert r.exit_code == 1 and r.output.startswith("Error: 'XYZ' is not a document type")
    r = run("chuyển đổi số", "--store", "nope")
    assert (r.exit_code, r.output) == (1, "Error: no store at nope (run `cancu build PATH... --store nope` first)\n")
    assert "Traceback" not in r.output


def test_cli_csv_gives_whole_sentences(here):
    import csv
    import io

    r = run("chuyển đổi số", "--type", "KH", "--limit", "2", "--format", "csv", "--store", "s")
    assert r.exit_code == 0 and r.output.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(r.output[1:])))
    assert rows[0] == ["file", "document", "section", "cites", "sentence", "start", "end", "score"]
    assert [row[:5] for row in rows[1:]] == [
        [
            "plans/phu-tho-2025-ttdn.txt",
            "Kế hoạch Phú Thọ 2025 — Công tác thông tin đối ngoại trên …",
            "II.3",
            "",
            "3. Ứng dụng công nghệ thông tin, chuyển đổi số trong công tác thông tin đối ngoại",
        ],
        [
            "plans/thua-thien-hue-2024-ttdn-du-thao.txt",
            "Kế hoạch Thừa Thiên Huế 2024 (draft) — Thông tin đối ngoại trên địa bàn …",
            "II.3.b",
            "",
            "- Tập trung tuyên truyền kết quả cải thiện môi trường đầu tư kinh doanh, nâng cao các chỉ số chỉ số PCI, "
            "PAR INDEX, PAPI, SIPAS... của tỉnh; kết quả nhiệm vụ Chuyển đổi số tỉnh Thừa Thiên Huế.",
        ],
    ]
    text = (here / "plans" / "phu-tho-2025-ttdn.txt").read_text(encoding="utf-8")
    assert text[int(rows[1][5]) : int(rows[1][6])] == rows[1][4]


def test_a_sentence_longer_than_a_row_is_cut_at_spaces():
    """The Yên Bái plan's first sentence (545 characters), eight times on one
    line without a sentence end: rows of at most ROW_MAX characters, cut at
    spaces, that together give the line back."""
    from cancu.graph.search import ROW_MAX, sentence_spans

    first = (PLANS / "yen-bai-2024-ttdn.txt").read_text(encoding="utf-8").split("\n")[5]
    assert first.startswith("Thực hiện Kết luận số 57-KL/TW") and len(first) == 545
    line = ", ".join([first.rstrip(";")] * 8)
    spans = sentence_spans(line)
    assert [b - a for a, b in spans] == [3998, 367]
    assert all(b - a <= ROW_MAX and line[a] != " " and line[b - 1] != " " for a, b in spans)
    assert " ".join(line[a:b] for a, b in spans) == line


def test_words_indexed_in_batches_find_what_one_batch_finds_and_stay_deterministic(site, tmp_path, monkeypatch):
    from cancu.graph import search as search_module

    inputs = [str(site / "plans"), str(site / "pages")]
    build(inputs, tmp_path / "one")  # the nine texts hold fewer rows than a batch: one statement
    monkeypatch.setattr(search_module, "WORDS_BATCH", 50)  # a statement every 50 rows or so: dozens of them
    build(inputs, tmp_path / "many")
    build(inputs, tmp_path / "again")
    assert (tmp_path / "many" / SEARCH).read_bytes() == (tmp_path / "again" / SEARCH).read_bytes()
    for query in ("chuyển đổi số", "thông tin đối ngoại", "Ủy ban nhân dân tỉnh"):
        one, many = search(tmp_path / "one", query, limit=50), search(tmp_path / "many", query, limit=50)
        assert one.total == many.total > 0
        assert [(h.file, h.start, h.end, h.score) for h in one.hits] == [
            (h.file, h.start, h.end, h.score) for h in many.hits
        ]
