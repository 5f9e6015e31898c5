"""Property-based tests of the extractor: on arbitrary text and on mutated
sentences of the sample plans it never raises, every span lies inside the
text and equals its ``text``, and keys are canonical."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cancu.extractors.legacy import from_unicode, to_unicode
from cancu.extractors.pipeline import extract_text
from tests.fixtures_inputs import PLANS

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SENTENCES = sorted(
    {
        s.strip()
        for p in sorted(PLANS.glob("*.txt"))
        for s in re.split(r"(?<=[.;:])\s+|\n", p.read_text(encoding="utf-8"))
        if "số" in s and 20 < len(s) < 400
    }
)
_NOISE = st.sampled_from(
    [
        "\u00a0",
        "\u2013",
        "\u2014",
        "\u00d0",
        "\u00ad",
        "\ufeff",
        "\u200b",
        "\r\n",
        "\n",
        "\t",
        "  ",
        "-",
        "/",
        "số ",
        "Nghị định ",
        "\u0301",
        "\u0323",
        "Đ",
        "ngày 07/9/2015 ",
    ]
)


def check(text: str) -> None:
    rec = extract_text(text)
    for c in rec.citations:
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert 0 <= c.context_start <= c.context_end <= len(text)
        assert text[c.context_start : c.context_end] == c.context
        if c.date_start is not None:
            assert 0 <= c.date_start <= c.date_end <= len(text)
        assert c.key and not re.search(r"\s", c.key)
        assert not re.search("[\u2010-\u2015\u2212\u00d0\u00ad]", c.key)
    for a in rec.agencies:
        assert text[a.start : a.end] == a.text
    for n in rec.named:
        assert text[n.start : n.end] == n.text


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_arbitrary_text(text):
    check(text)


@SETTINGS
@given(st.text(alphabet="0123456789/-–.,;:()\n NĐCPQKLTWUBNDHsốngàyNghịđịnhQuyếtThôngtư", max_size=300))
def test_citation_alphabet(text):
    check(text)


@SETTINGS
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=4), st.data())
def test_mutated_plan_sentences(sentences, data):
    text = "\n".join(sentences)
    for _ in range(data.draw(st.integers(0, 8))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "swap"]))
        if op == "insert":
            text = text[:i] + data.draw(_NOISE) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + data.draw(st.integers(1, 5)) :]
        elif i + 1 < len(text):
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    check(text)


@SETTINGS
@given(st.sampled_from(_SENTENCES), st.sampled_from(["tcvn3", "vni"]))
def test_legacy_round_trip_keeps_keys(sentence, enc):
    plain = {c.key for c in extract_text(sentence).citations}
    converted = to_unicode(from_unicode(sentence, enc), enc)
    check(converted)
    assert {c.key for c in extract_text(converted).citations} == plain
