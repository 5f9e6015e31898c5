"""The data files of the vocabulary layer (extractors/data): every pattern
matches its examples, no entry is listed twice, every name is written in the
new tone-mark placement (it folds to itself under ``vocabulary.fold``).

Old spellings ("Tỉnh uỷ", "Thanh Hoá", "Sở Văn hoá, ...") are legitimate only
as aliases, as texts write them: each then folds to its own entry's name."""

import re

import pytest

from cancu.extractors.agencies import CUE, HEAD, VERB_STOP, known_agencies
from cancu.extractors.resolve import CUE as RELATION_CUE
from cancu.extractors.vocabulary import (
    cues,
    fold,
    head_words,
    load_data,
    province_in,
    provinces,
    relation_cue_regex,
    request_regex,
    verb_stop_regex,
)


def _plain(name: str) -> str:
    """The name with spaces collapsed and case folded, nothing else."""
    return re.sub(r"\s+", " ", name).strip().casefold()


# -- cues.json -----------------------------------------------------------------


def test_the_relation_cues_are_compiled_once_and_shared():
    assert RELATION_CUE is relation_cue_regex()
    assert VERB_STOP is verb_stop_regex() and CUE is request_regex()


def test_a_count_of_years_of_implementation_is_a_mention_not_an_implementation():
    # ../shared/eval/dev texts: "kết quả thực hiện Nghị quyết Đại hội ..."
    text = "hội nhập quốc tế, kết quả thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"
    assert [m.lastgroup for m in RELATION_CUE.finditer(text)] == ["mentions"]


@pytest.mark.parametrize("group", ["verb_stops", "requests"])
def test_every_role_cue_matches_its_examples(group):
    regex = {"verb_stops": VERB_STOP, "requests": CUE}[group]
    for ex in cues()["agency_roles"][group]["examples"]:
        assert regex.search(ex["text"]).group() == ex["match"]


def test_every_head_word_example_opens_a_body():
    for ex in cues()["agency_roles"]["head_words"]["examples"]:
        m = HEAD.match(ex["text"])
        assert m and ex["text"].startswith(ex["match"])


@pytest.mark.parametrize("group", ["head_words", "verb_stops", "requests"])
def test_no_cue_word_is_listed_twice(group):
    words = cues()["agency_roles"][group]["words"]
    assert len(words) == len(set(words))
    folded = [fold(w) for w in words]
    twice = sorted(w for w, f in zip(words, folded) if folded.count(f) > 1)
    # head words are matched case-sensitively: both cases are written
    assert twice == (["Tỉnh Đoàn", "Tỉnh đoàn"] if group == "head_words" else [])


def test_every_verb_stop_stops_a_list_and_no_body_name_holds_one():
    for w in cues()["agency_roles"]["verb_stops"]["words"]:
        assert VERB_STOP.fullmatch(w), w
    # data/plans/lao-cai-2022-ttdn.txt: the list stops at "trong", not inside a name
    line = "Sở Thông tin và Truyền thông, Công an tỉnh và các đơn vị liên quan trong việc tham mưu"
    assert VERB_STOP.search(line).group() == "trong"


def test_the_old_spellings_of_head_words_fold_to_a_listed_word():
    group = cues()["agency_roles"]["head_words"]
    new = {fold(w) for w in group["words"]}
    old_spellings = ["Tỉnh uỷ", "Toà án", "Uỷ ban", "Đảng uỷ", "Huyện uỷ", "Thành uỷ"]
    assert group["old_spellings"] == old_spellings
    for old in group["old_spellings"]:
        assert fold(old) in new and fold(old) != _plain(old)
    assert all(fold(w) == _plain(w) for w in group["words"])
    assert head_words()[-6:] == tuple(old_spellings)


# -- provinces.json --------------------------------------------------------------


def test_province_names_fold_to_themselves_and_are_unique():
    names = [p["name"] for p in provinces()]
    assert len(names) == len(set(names)) == 63
    assert all(fold(n) == _plain(n) for n in names)
    spellings = [s for p in provinces() for s in (p["name"], *p.get("aliases", []))]
    assert len(spellings) == len(set(spellings))
    # under the fold, only the old spellings meet their names (next test)
    assert len(spellings) - len({fold(s) for s in spellings}) == 3


def test_the_old_spelling_aliases_of_provinces_fold_to_their_name():
    old = {a: p["name"] for p in provinces() for a in p.get("aliases", []) if fold(a) != _plain(a)}
    assert old == {"Hoà Bình": "Hòa Bình", "Khánh Hoà": "Khánh Hòa", "Thanh Hoá": "Thanh Hóa"}
    assert all(fold(a) == fold(n) for a, n in old.items())


def test_every_province_is_found_by_its_names():
    for p in provinces():
        for s in (p["name"], *p.get("aliases", [])):
            assert province_in(f"Ủy ban nhân dân tỉnh {s}") == p["name"], s


# -- agencies.jsonl ----------------------------------------------------------------


def test_agency_names_fold_to_themselves_and_are_unique():
    names = [a.name for a in known_agencies()]
    assert len(names) == len(set(names))
    assert all(fold(n) == _plain(n) for n in names)


def test_the_old_spelling_aliases_of_agencies_fold_to_their_name():
    for a in known_agencies():
        assert len(a.aliases) == len(set(a.aliases)), a.name
        for alias in a.aliases:
            if fold(alias) != _plain(alias):  # "Ban Tuyên giáo Tỉnh uỷ"
                assert fold(alias) == fold(a.name), alias


def test_load_data_is_the_one_loader():
    from cancu.extractors import regexes

    assert regexes.load_data is load_data
    assert load_data("cues.json") is cues()
