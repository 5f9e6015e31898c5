"""The designator grammar kept as data (extractors/data/designators.json):
every pattern matches one of its examples and every example matches a pattern,
the way reporters-db keeps its regexes honest."""

from __future__ import annotations

import re

import pytest

from cancu.extractors import regexes as rx
from cancu.extractors.find import canonical_key, find_designators

from .conftest import ROOT

PATTERNS = rx.load_data("designators.json")["patterns"]
EXAMPLES = [(p["name"], ex) for p in PATTERNS for ex in p["examples"]]


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p["name"] for p in PATTERNS])
def test_every_pattern_matches_one_of_its_examples(pattern):
    regex = re.compile(rx.fill(pattern["regex"]), re.VERBOSE)
    assert pattern["examples"], "a pattern without examples"
    assert any(regex.fullmatch(ex) for ex in pattern["examples"])


@pytest.mark.parametrize("name, example", EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_example_is_found_whole_by_the_grammar(name, example):
    found = [m for m in find_designators(f"số {example} ngày")]
    assert [canonical_key(f"số {example} ngày"[m.start : m.end]) for m in found] == [canonical_key(example)]
    assert found[0].designator.kind == next(p["kind"] for p in PATTERNS if p["name"] == name)


def test_doc_type_codes_cover_the_party_and_administrative_examples():
    codes = set(rx.type_codes())
    for p in PATTERNS:
        if p["kind"] in ("administrative", "party"):
            for ex in p["examples"]:
                code = re.split(r"[/-]", ex)[1]
                assert code in codes, ex


@pytest.mark.parametrize(
    "text, key",
    [
        ("Kết luận số 57-\n\nKL/TW ngày", "57-KL/TW"),
        ("Số: 3155/STTTT- TTBCXB", "3155/STTTT-TTBCXB"),
        ("Nghị định số 146/2025- NĐ-CP ngày 12/6/2025", "146/2025/NĐ-CP"),
    ],
)
def test_canonical_keys(text, key):
    (m,) = find_designators(text)
    assert m.designator.key == key


@pytest.mark.parametrize(
    "text",
    [
        "Biển số xe | 11-K1/Y1 |",  # a licence plate
        "theo Mẫu số 01/TB-ĐKT ban hành kèm theo",  # a form, not a document
        "Kỷ niệm Ngày Quốc tế lao động (01/5/1886-01/5/2024)",  # dates
        "phần đất tại số 150/2 đường Nguyễn Ảnh Thủ",  # a house number
    ],
)
def test_not_designators(text):
    from cancu.extractors.find import find_citations

    assert find_citations(text) == []


def test_designator_matches_finds_what_trying_every_position_finds():
    """The fast scan (from the slash or hyphen after each number) gives the
    regex's own ``finditer`` matches, on the bundled plans and the real
    corpus pages kept under tests/data, and on the shapes around a number
    that it walks back over (a letter after the digits, a space before the
    slash, a sub-number after a dot, a number inside a word)."""
    from cancu.extractors.regexes import designator_matches, designator_regex

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "plans").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data").rglob("*.md"))]
    texts.append("số 12a/QĐ-UBND, số 15 /2024/NĐ-CP, 66.2/2025/NQ-CP, ABC12/KH, x-3/KH-UBND, 1.2.3/QĐ, 07-CT/TU")
    regex = designator_regex()
    found = 0
    for t in texts:
        fast = [(m.start(), m.end(), m.lastgroup) for m in designator_matches(t)]
        assert fast == [(m.start(), m.end(), m.lastgroup) for m in regex.finditer(t)]
        found += len(fast)
    assert found == 429  # the designators of those texts (a scan that found none would pass the loop)
