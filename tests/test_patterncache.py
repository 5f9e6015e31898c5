"""The compiled patterns' cache (extractors/patterncache.py): a pattern from
the cache is the pattern ``re.compile`` makes; a cache that is damaged, from
another Python, refused by the engine or cannot be written changes nothing
of what is found; a second run compiles nothing and writes nothing."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys

import pytest

from cancu.extractors import patterncache as pc
from cancu.extractors import regexes as rx

from .conftest import PLANS

#: from data/plans/yen-bai-2024-ttdn.txt, its bases (căn cứ)
SENTENCE = (
    "Căn cứ Nghị định số 80/2021/NĐ-CP ngày 26/8/2021 của Chính phủ quy định chi tiết và hướng dẫn "
    "thi hành một số điều của Luật Hỗ trợ doanh nghiệp nhỏ và vừa;"
)

#: a child process that compiles the designator pattern and says what it found
#: and how many patterns it had to compile itself
CHILD = """
import sys
from cancu.extractors import patterncache as pc, regexes as rx
text = sys.stdin.read()
found = [m.group() for m in rx.designator_regex().finditer(text)]
print(pc._added, found)
"""


def _child(cache, text: str = SENTENCE) -> tuple[int, list[str]]:
    env = {**os.environ, "CANCU_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], input=text, capture_output=True, text=True, env=env, check=True
    ).stdout
    added, found = out.split(" ", 1)
    return int(added), eval(found)


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """This process's cache state, emptied, with its file under ``tmp_path``."""
    monkeypatch.setenv("CANCU_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pc, "_entries", None)
    monkeypatch.setattr(pc, "_added", 0)
    monkeypatch.setattr(pc, "_compiled", {})
    return tmp_path


def test_a_second_process_takes_every_pattern_from_the_cache(tmp_path):
    first = _child(tmp_path)
    assert first[1] == ["80/2021/NĐ-CP"]
    assert first[0] > 0  # compiled, then written
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [pc.cache_file().name]
    before = files[0].read_bytes()
    second = _child(tmp_path)
    assert second == (0, ["80/2021/NĐ-CP"])
    assert files[0].read_bytes() == before  # nothing new: not written again


def test_a_pattern_from_the_cache_is_the_one_re_compile_makes(fresh):
    source, flags = rx.designator_regex().pattern, re.VERBOSE
    made = pc.compile_pattern(source, flags)
    assert pc._added == 1 and pc.save()
    pc._entries, pc._compiled = None, {}  # a new process, as far as the cache knows
    again = pc.compile_pattern(source, flags)
    assert pc._added == 0 and again is not made  # from the file, not this process
    assert again == made == re.compile(source, flags)
    assert (again.groups, again.groupindex) == (made.groups, made.groupindex)
    text = (PLANS / "yen-bai-2024-ttdn.txt").read_text(encoding="utf-8")
    assert [m.span() for m in again.finditer(text)] == [m.span() for m in re.compile(source, flags).finditer(text)]


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # an empty file
        b"\x00garbage",  # not marshal's
        marshal.dumps(("cancu-patterns", 1, "cpython-99-1-4", 0, {})),  # another Python's
    ],
    ids=["empty", "garbage", "another-python"],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_written_again(tmp_path, damage):
    path = tmp_path / _name(tmp_path)
    path.write_bytes(damage)
    assert _child(tmp_path)[1] == ["80/2021/NĐ-CP"]
    assert path.read_bytes() != damage
    assert _child(tmp_path)[0] == 0


def _name(folder) -> str:
    env = {**os.environ, "CANCU_CACHE_DIR": str(folder)}
    code = "from cancu.extractors import patterncache as pc; print(pc.cache_file().name)"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()


def test_a_program_the_engine_refuses_is_compiled_again(fresh):
    source = r"(?<![\w])tỉnh\s+(?P<name>Yên Bái|Lào Cai)(?![\w])"
    pc._entries = {(source, 0): (32, [1, 2, 3, 99999], 1, {"name": 1}, (None, "name"))}
    p = pc.compile_pattern(source)
    assert p.search("Ủy ban nhân dân tỉnh Yên Bái ban hành").group("name") == "Yên Bái"
    assert p == re.compile(source) and pc._added == 1


def test_no_cache_when_its_folder_is_empty_or_cannot_be_written(fresh, monkeypatch):
    monkeypatch.setenv("CANCU_CACHE_DIR", "")
    assert pc.cache_file() is None
    assert pc.compile_pattern(r"Quyết định\s+số").match("Quyết định số 1")
    assert pc.save() is False
    blocked = fresh / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CANCU_CACHE_DIR", str(blocked))
    assert pc.compile_pattern(r"Thông tư\s+số").match("Thông tư số 2")
    assert pc.save() is False  # nothing raised, nothing written
    assert blocked.read_text() == "not a folder"


def test_a_documents_own_words_do_not_fill_the_cache(tmp_path):
    """A second process extracting the same files compiles nothing and writes
    nothing; and the patterns made of a document's own title words
    (selfinfo's ``_line_filter``, compiled by ``re.compile``) are not in the
    cache, where every document would add its own."""
    code = """
import sys
from cancu.extractors import patterncache as pc
from cancu.extractors.pipeline import extract_file
for f in sys.argv[1:]:
    extract_file(f)
print(pc._added)
"""
    files = [str(p) for p in sorted(PLANS.glob("*.txt"))]
    env = {**os.environ, "CANCU_CACHE_DIR": str(tmp_path)}

    def run():
        out = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, text=True, env=env, check=True)
        return int(out.stdout)

    assert run() > 0
    path = tmp_path / _name(tmp_path)
    cached = path.read_bytes()
    assert run() == 0
    assert path.read_bytes() == cached
    header, entries = marshal.loads(cached)
    joint = r"[^\w\n]*\s+[^\w\n]*"  # between two title words in the title filter
    assert [p for p, _ in entries if joint in p] == []


def test_a_pattern_asked_again_is_the_same_object(fresh):
    source = r"(?<![\w])Sở\s+(?P<name>Tài chính|Nội vụ)(?![\w])"
    first = pc.compile_pattern(source)
    assert pc.compile_pattern(source) is first
    # data/plans/yen-bai-2024-ttdn.txt, line 204
    sentence = "lập dự toán kinh phí gửi Sở Tài chính thẩm định, trình Ủy ban nhân dân tỉnh xem xét, quyết định."
    assert first.search(sentence).group("name") == "Tài chính"
