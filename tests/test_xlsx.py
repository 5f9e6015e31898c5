"""`--format xlsx`: every question can write an Excel workbook, with the
cells of its CSV (whole sentences, Vietnamese intact), the same bytes for
the same answer."""

import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cancu.cli import main

from .conftest import plans_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("xlsx")
    return plans_store(root)


def run(*args):
    return CliRunner().invoke(main, list(args))


def sheet(data: bytes) -> list[list[str]]:
    ws = load_workbook(io.BytesIO(data)).active
    return [["" if c.value is None else str(c.value) for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize(
    "question",
    [
        ["cited-by", "Kết luận 57"],
        ["agency", "Sở Ngoại vụ", "--as-written"],
        ["basis", "Phú Thọ 2025"],
        ["matrix", "--top", "2"],
        ["diagram", "47/NQ-CP"],
    ],
)
def test_the_workbook_holds_the_csv_cells(store, question):
    book = run("query", *question, "--format", "xlsx", "--store", store)
    table = run("query", *question, "--format", "csv", "--store", store)
    assert book.exit_code == 0 and table.exit_code == 0
    assert sheet(book.stdout_bytes) == list(csv.reader(io.StringIO(table.stdout.lstrip("\ufeff"))))
    assert run("query", *question, "--format", "xlsx", "--store", store).stdout_bytes == book.stdout_bytes


def test_vietnamese_headers_and_sentences(store):
    book = run("--lang", "vi", "query", "cited-by", "Kết luận 57", "--format", "xlsx", "--store", store)
    rows = sheet(book.stdout_bytes)
    assert rows[0] == ["tên", "loại", "số lần", "ngày", "mục", "tệp", "trích đoạn"]
    # data/plans/yen-bai-2024-ttdn.txt line 6, the clause up to its semicolon
    assert [
        "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất lượng, hiệu quả "
        "công tác thông tin đối ngoại"
    ] == [r[6] for r in rows if r[0].startswith("Kế hoạch Yên Bái 2024") and r[1] == "BASED_ON"]
    assert load_workbook(io.BytesIO(book.stdout_bytes)).active["C2"].value == 1  # a count stays a number
