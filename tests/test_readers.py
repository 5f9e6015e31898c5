"""The same plan read from .docx, .pdf, .html and .doc gives the same
citations as its .txt (acceptance of the input formats)."""

from __future__ import annotations

import subprocess

import pytest

from cancu.extractors.pipeline import Failure, extract_file
from cancu.extractors.readers import _Line, libreoffice, read_document, repair_lines
from tests.fixtures_inputs import keys_dates, make_docx, make_html, make_pdf, need_tool, plan_text

PLANS = ["yen-bai-2024-ttdn", "thua-thien-hue-2024-ttdn-du-thao"]


@pytest.fixture(scope="module")
def txt_records():
    from cancu.extractors.pipeline import extract_text

    return {p: extract_text(plan_text(p), p) for p in PLANS}


def _check_offsets(rec):
    for c in rec.citations:
        assert rec.text[c.start : c.end] == c.text


@pytest.mark.parametrize("plan", PLANS)
def test_docx_same_citations(tmp_path, txt_records, plan):
    path = make_docx(plan_text(plan), tmp_path / f"{plan}.docx")
    rec = extract_file(str(path))
    assert not isinstance(rec, Failure), rec
    assert (rec.format, rec.encoding, rec.conversion) == ("docx", "unicode", None)
    assert keys_dates(rec) == keys_dates(txt_records[plan])
    _check_offsets(rec)


def test_docx_appendix_table_keeps_rows(tmp_path, txt_records):
    plan = "thua-thien-hue-2024-ttdn-du-thao"
    path = make_docx(plan_text(plan), tmp_path / "hue.docx")
    text = read_document(path).text
    assert "STT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp" in text
    rec = extract_file(str(path))
    table_roles = {(a.name, a.role) for a in txt_records[plan].agencies if a.task and a.task.startswith("PL")}
    assert table_roles, "the .txt plan has appendix-table roles"
    assert table_roles <= {(a.name, a.role) for a in rec.agencies}


def test_docx_merged_cells_not_repeated(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("PHỤ LỤC")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["STT", "Nhiệm vụ", "Đơn vị chủ trì"], ["1", "Tuyên truyền", "Sở Ngoại vụ"], ["2", "Quảng bá", ""]]
    ):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    t.cell(1, 2).merge(t.cell(2, 2))
    d.save(tmp_path / "m.docx")
    lines = read_document(tmp_path / "m.docx").text.split("\n")
    assert lines[1:] == ["STT\tNhiệm vụ\tĐơn vị chủ trì", "1\tTuyên truyền\tSở Ngoại vụ", "2\tQuảng bá\t"]


@pytest.mark.parametrize("plan", ["yen-bai-2024-ttdn", "phu-tho-2025-ttdn"])
def test_pdf_same_citations(tmp_path, txt_records, plan):
    path = make_pdf(plan_text(plan), tmp_path / f"{plan}.pdf")
    rec = extract_file(str(path))
    assert not isinstance(rec, Failure), rec
    assert rec.format == "pdf"
    from cancu.extractors.pipeline import extract_text

    expected = txt_records.get(plan) or extract_text(plan_text(plan), plan)
    assert keys_dates(rec) == keys_dates(expected)
    _check_offsets(rec)


def test_pdf_lines_rejoined(tmp_path):
    text = read_document(make_pdf(plan_text("yen-bai-2024-ttdn"), tmp_path / "y.pdf")).text
    # a paragraph wrapped over several lines by the layout is one line again
    assert (
        "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất "
        "lượng, hiệu quả công tác thông tin đối ngoại; Nghị định số 72/2015/NĐ-CP"
    ) in text
    assert "\nI. MỤC ĐÍCH, YÊU CẦU\n" in text


def test_repair_designator_broken_at_line_end():
    w = 5.0
    lines = [
        _Line("Thực hiện Kết luận số 57-", 0, 500, 100, 110),
        _Line("KL/TW ngày 15/6/2023 và Nghị định số 72/2015/", 0, 500, 85, 95),
        _Line("NĐ-CP ngày 07/9/2015.", 0, 110, 70, 80),
        _Line("- Mục tiêu", 0, 50, 55, 65),
    ]
    assert repair_lines(lines, [False] * 4) == (
        "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 và Nghị định số 72/2015/NĐ-CP ngày 07/9/2015.\n- Mục tiêu"
    )
    assert w


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1258"])
def test_html_main_content_only(tmp_path, txt_records, encoding):
    plan = "yen-bai-2024-ttdn"
    text = plan_text(plan)
    if encoding != "utf-8":
        import unicodedata

        text = unicodedata.normalize("NFD", text)  # windows-1258 writes tones as combining marks
    path = make_html(text, tmp_path / "page.html", encoding=encoding if encoding == "utf-8" else "utf-8")
    if encoding != "utf-8":
        from tests.fixtures_inputs import to_cp1258

        raw = path.read_bytes().decode("utf-8").replace('charset="utf-8"', 'charset="windows-1258"')
        path.write_bytes(to_cp1258(raw))
    rec = extract_file(str(path))
    assert not isinstance(rec, Failure), rec
    assert rec.format == "html"
    assert keys_dates(rec) == keys_dates(txt_records[plan])
    keys = {c.key for c in rec.citations}
    assert not keys & {"999/QĐ-UBND", "888/2099/NĐ-CP", "777/2099/TT-BTC", "666/UBND-VX"}
    assert "Trang chủ" not in rec.text and "Bản quyền" not in rec.text
    _check_offsets(rec)


def test_html_table_rows(tmp_path):
    plan = "thua-thien-hue-2024-ttdn-du-thao"
    text = read_document(make_html(plan_text(plan), tmp_path / "hue.html")).text
    assert "STT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp" in text


def test_doc_through_libreoffice(tmp_path, txt_records):
    need_tool(libreoffice() is not None, "LibreOffice (libreoffice-writer-nogui)")
    plan = "yen-bai-2024-ttdn"
    src = make_docx(plan_text(plan), tmp_path / "plan.docx")
    out = tmp_path / "out"
    subprocess.run(
        [
            libreoffice(),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    rec = extract_file(str(out / "plan.doc"))
    assert not isinstance(rec, Failure), rec
    assert rec.format == "doc"
    assert keys_dates(rec) == keys_dates(txt_records[plan])


def test_doc_without_libreoffice(tmp_path, monkeypatch):
    import cancu.extractors.readers as readers

    monkeypatch.setattr(readers, "libreoffice", lambda: None)
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    rec = extract_file(str(path))
    assert isinstance(rec, Failure)
    assert "LibreOffice" in rec.reason and "not installed" in rec.reason
