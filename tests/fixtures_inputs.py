"""Build the input fixtures of the reader tests from the sample plans: the
same plan as .docx (tab lines become a table), .pdf (text layer), .html, .doc
(through LibreOffice), and in legacy encodings."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def plan_text(name: str) -> str:
    return (PLANS / f"{name}.txt").read_text(encoding="utf-8")


def need_tool(available: bool, what: str) -> None:
    """Skip without ``what``, or fail when CI says tools are required
    (``CANCU_REQUIRE_TOOLS=1``)."""
    if available:
        return
    if os.environ.get("CANCU_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{what} is required (CANCU_REQUIRE_TOOLS=1) but not installed")
    pytest.skip(f"{what} not installed")


def keys_dates(rec) -> set[tuple[str, str | None]]:
    return {(c.key, c.date) for c in rec.citations}


def make_docx(text: str, path: Path) -> Path:
    """Paragraphs, and runs of tab-separated lines as a table."""
    import docx

    d = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            rows = [l.split("\t") for l in lines[i:j]]
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            i = j
        else:
            d.add_paragraph(lines[i])
            i += 1
    d.save(path)
    return path


def make_pdf(text: str, path: Path) -> Path:
    """A text-layer PDF (DejaVu Sans covers Vietnamese), lines wrapped by the layout."""
    need_tool(FONT.exists(), "the DejaVu font (fonts-dejavu-core)")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    for para in text.split("\n"):
        pdf.multi_cell(0, 6, para.replace("\t", "  ") or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def make_html(text: str, path: Path, encoding: str = "utf-8") -> Path:
    """A portal page: header, menu, sidebar of links, footer, and the plan in
    an article (tab lines as a table)."""
    from html import escape

    body = []
    rows: list[str] = []
    for line in text.split("\n") + [""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            body.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            body.append(f"<p>{escape(line)}</p>")
    page = f"""<!DOCTYPE html><html><head><meta charset="{encoding}"><title>Kế hoạch</title>
<script>var x = "Quyết định số 999/QĐ-UBND";</script><style>p {{ margin: 0 }}</style></head>
<body><header class="site-header">Cổng thông tin điện tử tỉnh · Nghị định số 888/2099/NĐ-CP</header>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/van-ban">Văn bản</a></li></ul></nav>
<div class="container"><div class="sidebar"><a href="/a">Thông tư số 777/2099/TT-BTC ngày 01/01/2099</a></div>
<div class="content"><article>{"".join(body)}</article></div></div>
<footer>Bản quyền thuộc UBND tỉnh. Công văn số 666/UBND-VX</footer></body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes: base letters (â ê ô ă ơ ư đ) precomposed, tones as
    combining marks, as Windows writes them."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", decomposed[:-1])
            try:
                out.append(base.encode("cp1258") + decomposed[-1].encode("cp1258"))
            except UnicodeEncodeError:
                out.append(b"?")
    return b"".join(out)
