"""`--lang vi` and a Vietnamese locale: headers, relation names, statuses and
messages in Vietnamese through gettext; every message of the command line has
a translation, and the compiled catalogue is the one its source gives."""

import ast
import re
import shutil

import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.extractors.i18n import catalogue_paths, compile_po, parse_po

from .conftest import PLANS, ROOT, plans_store

PO, MO = catalogue_paths("vi")
ENTRIES = parse_po(PO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("i18n")
    return plans_store(root)


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, list(args))


def _cli_tree():
    return ast.parse((ROOT / "cli.py").read_text(encoding="utf-8"))


def test_the_compiled_catalogue_is_the_source_compiled():
    assert MO.read_bytes() == compile_po(PO.read_text(encoding="utf-8"))


def test_every_message_has_a_vietnamese_translation():
    marked = {
        n.args[0].value
        for n in ast.walk(_cli_tree())
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id == "_"
        and n.args
        and isinstance(n.args[0], ast.Constant)
    }
    assert {"reading {typed} as {name}", "no tasks", "no document matches {target}", "candidates"} <= marked
    missing = sorted(m for m in marked if not ENTRIES.get(m))
    assert missing == []


def test_every_column_has_a_vietnamese_name():
    # the column lists the commands print: the lists handed to _emit and _emit_paths, and `columns`
    columns = set()
    roots = []
    for n in ast.walk(_cli_tree()):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("_emit", "_emit_paths"):
            roots += n.args[2:3]
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "columns" for t in n.targets):
            roots.append(n.value)
    for root in roots:
        for n in ast.walk(root):
            if isinstance(n, ast.List):
                columns |= {e.value for e in n.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    assert {"name", "type", "context", "role", "file"} <= columns
    assert sorted(c for c in columns if not ENTRIES.get("column\x04" + c)) == []


def test_implements_in_vietnamese(store):
    r = run("--lang", "vi", "query", "implements", "Ket luan 57", "--store", store)
    assert r.exit_code == 0
    assert r.stderr == "cancu: hiểu 'Ket luan 57' là 57-KL/TW\n"
    lines = r.stdout.splitlines()
    assert lines[0] == "Kế hoạch Thừa Thiên Huế 2024 (dự thảo) — Thông tin đối ngoại trên địa bàn … → 57-KL/TW"
    assert lines[1].startswith(
        "  Kế hoạch Thừa Thiên Huế 2024 (dự thảo) — Thông tin đối ngoại trên địa bàn … -thực hiện-> 57-KL/TW  ("
    )
    assert lines[1].endswith("thua-thien-hue-2024-ttdn-du-thao.txt, mục preamble)")


def test_the_locale_chooses_vietnamese_and_english_stays_the_default(store):
    vi = run("query", "agency", "Sở Ngoại vụ", "--as-written", "--store", store, env={"LANG": "vi_VN.UTF-8"})
    en = run("query", "agency", "Sở Ngoại vụ", "--as-written", "--store", store, env={"LANG": "C.UTF-8"})
    assert vi.stdout.splitlines()[0].split("  ")[0] == "kế hoạch"
    assert re.split(r"\s{2,}", vi.stdout.splitlines()[0].strip()) == [
        "kế hoạch",
        "mục",
        "vai trò",
        "cơ quan",
        "nhiệm vụ",
        "tệp",
    ]
    assert re.split(r"\s{2,}", en.stdout.splitlines()[0].strip()) == [
        "plan_name",
        "section",
        "role",
        "agency_name",
        "title",
        "file",
    ]
    assert (
        " phối hợp  Sở Ngoại vụ " in vi.stdout.splitlines()[1] and " support  Sở Ngoại vụ " in en.stdout.splitlines()[1]
    )
    # --lang wins over the locale
    again = run(
        "--lang", "en", "query", "agency", "Sở Ngoại vụ", "--as-written", "--store", store, env={"LANG": "vi_VN"}
    )
    assert again.stdout == en.stdout


def test_messages_in_vietnamese(store):
    r = run("--lang", "vi", "query", "implements", "Kết luận 99", "--store", store)
    assert r.exit_code == 2
    assert r.output == (
        "Error: không có văn bản nào khớp với 'Kết luận 99'; gần nhất:\n  57-KL/TW  Kết luận  2023-06-15  Bộ Chính trị\n"
    )
    r = run("--lang", "vi", "query", "cited-by", "3089/BTTTT-TTĐN", "--store", store)
    assert r.output.splitlines()[0] == "Error: '3089/BTTTT-TTĐN' chưa rõ: 2 văn bản khớp; các văn bản khớp:"
    r = run("--lang", "vi", "query", "implements", "Kết luận 57", "--type", "Quyết định", "--store", store)
    assert r.stdout == "(không có kế hoạch nào thực hiện Kết luận 57)\n"
    r = run("--lang", "vi", "query", "cited-by", "Kết luận 57", "--store", store)
    head = re.split(r"\s{2,}", r.stdout.splitlines()[0].strip())
    assert head == ["tên", "loại", "số lần", "ngày", "mục", "tệp", "trích đoạn"]
    assert {"căn cứ", "nhắc đến", "thực hiện"} <= {
        w.strip() for line in r.stdout.splitlines()[1:] for w in line.split("  ")
    }


def test_the_build_says_its_summary_in_vietnamese(tmp_path):
    shutil.copytree(PLANS, tmp_path / "plans", ignore=shutil.ignore_patterns("*.md"))
    r = run("--lang", "vi", "build", str(tmp_path / "plans"), "--store", str(tmp_path / "s"))
    assert r.exit_code == 0
    assert r.stdout == f"{tmp_path / 's'}: 5 thêm mới, 0 thay thế, 0 không đổi, 0 bỏ đi, 0 lỗi; 320 nút, 756 quan hệ.\n"


def test_extract_says_its_summary_in_vietnamese():
    r = run("--lang", "vi", "extract", str(PLANS), "--format", "json")
    assert r.exit_code == 0
    assert r.stderr == "đã đọc 5 tệp, 0 lỗi, bỏ qua 1 README.\n"
