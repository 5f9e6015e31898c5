"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI, Windows-1258, UTF-16 and
NFD text give the same citations as the Unicode plan."""

from __future__ import annotations

import unicodedata

import pytest

from cancu.extractors.legacy import decode_8bit, detect, from_unicode, syllable_score, to_unicode
from cancu.extractors.pipeline import Failure, extract_file, extract_text
from cancu.extractors.readers import read_document
from tests.fixtures_inputs import keys_dates, make_docx, make_html, plan_text, to_cp1258

PLANS = ["yen-bai-2024-ttdn", "cao-bang-2023-ttdn", "lao-cai-2022-ttdn"]


@pytest.fixture(scope="module")
def expected():
    return {p: keys_dates(extract_text(plan_text(p), p)) for p in PLANS}


def test_known_words():
    assert to_unicode("QuyÕt ®Þnh", "tcvn3") == "Quyết định"
    assert to_unicode("Quyeát ñònh", "vni") == "Quyết định"
    assert to_unicode("KÕ HO¹CH", "tcvn3") == "KẾ HOẠCH"  # capitals typed in .VnTimeH
    assert to_unicode("TÆNH ÑOÀNG THAÙP", "vni") == "TỈNH ĐỒNG THÁP"


def test_every_letter_round_trips():
    from cancu.extractors.legacy import _letters

    for uni, tcvn3, _vni in _letters():
        assert to_unicode(from_unicode(uni, "vni"), "vni") == uni
        if tcvn3:
            assert to_unicode("m" + tcvn3, "tcvn3") == "m" + uni  # not at a sentence start


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_legacy_txt_same_citations(tmp_path, expected, plan, enc):
    path = tmp_path / f"{plan}.txt"
    path.write_bytes(from_unicode(plan_text(plan), enc).encode("cp1252", errors="replace"))
    rec = extract_file(str(path))
    assert not isinstance(rec, Failure), rec
    assert (rec.encoding, rec.conversion) == (enc, f"{enc}-to-unicode")
    assert keys_dates(rec) == expected[plan]
    assert rec.to_dict()["conversion"] == f"{enc}-to-unicode"


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_legacy_saved_as_utf8(tmp_path, expected, enc):
    plan = PLANS[0]
    path = tmp_path / "p.txt"
    path.write_text(from_unicode(plan_text(plan), enc), encoding="utf-8")
    rec = extract_file(str(path))
    assert rec.conversion == f"{enc}-to-unicode"
    assert keys_dates(rec) == expected[plan]


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_legacy_docx_and_html(tmp_path, expected, enc):
    plan = PLANS[0]
    legacy = from_unicode(plan_text(plan), enc)
    for path in (make_docx(legacy, tmp_path / "p.docx"), make_html(legacy, tmp_path / "p.html")):
        rec = extract_file(str(path))
        assert not isinstance(rec, Failure), rec
        assert rec.conversion == f"{enc}-to-unicode", path
        assert keys_dates(rec) == expected[plan]


def test_mixed_document_converts_only_legacy_lines():
    text = "Kế hoạch số 12/KH-UBND của Ủy ban nhân dân tỉnh\n" + from_unicode(
        "Thực hiện Quyết định số 33/2018/QĐ-UBND ngày 12/12/2018 của Ủy ban nhân dân tỉnh về việc", "tcvn3"
    )
    assert detect(text) == "tcvn3"
    out = to_unicode(text, "tcvn3")
    assert out.startswith("Kế hoạch số 12/KH-UBND của Ủy ban")
    assert "Quyết định số 33/2018/QĐ-UBND" in out


@pytest.mark.parametrize("plan", PLANS)
def test_unicode_plans_are_not_converted(plan):
    assert detect(plan_text(plan)) is None
    assert syllable_score(plan_text(plan))[0] > 0.95


def test_windows_1258(tmp_path, expected):
    plan = PLANS[0]
    path = tmp_path / "p.txt"
    path.write_bytes(to_cp1258(plan_text(plan)))
    rec = extract_file(str(path))
    assert not isinstance(rec, Failure), rec
    assert rec.encoding == "cp1258" and rec.conversion is None
    assert keys_dates(rec) == expected[plan]
    for c in rec.citations:
        assert rec.text[c.start : c.end] == c.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom(tmp_path, expected, codec):
    plan = PLANS[0]
    path = tmp_path / "p.txt"
    path.write_bytes(plan_text(plan).encode(codec))
    rec = extract_file(str(path))
    assert keys_dates(rec) == expected[plan]


def test_nfd_text(tmp_path, expected):
    plan = PLANS[0]
    path = tmp_path / "p.txt"
    path.write_text(unicodedata.normalize("NFD", plan_text(plan)), encoding="utf-8")
    rec = extract_file(str(path))
    assert keys_dates(rec) == expected[plan]
    text = read_document(path).text
    assert not unicodedata.is_normalized("NFC", text)  # offsets refer to the file's own text
    for c in rec.citations:
        assert text[c.start : c.end] == c.text


def test_not_vietnamese_8bit_is_refused():
    assert decode_8bit("Ærøskøbing ÿ þ ð".encode("latin-1")) is None
