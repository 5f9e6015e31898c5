"""`cancu query … --neo4j URI`: every question asked of a database gives the
rows the embedded store gives, exactly (hence the same table, JSON and CSV).
The database is a real openCypher engine, embedded FalkorDB, loaded from the
bundled plans with cancu's own load statements; the statements that read it
are cypher/fetch/*.cypher (linted with Neo4j's front end in
test_cypher_lint.py)."""

from __future__ import annotations

import pytest

from cancu.cypher import remote
from cancu.cypher.loader import load_graph
from cancu.graph import query as Q
from cancu.graph.errors import AmbiguousTarget, TargetNotFound

from .cypher_support import falkor_runner, sample_graph


@pytest.fixture(scope="module")
def G():
    return sample_graph()


@pytest.fixture(scope="module")
def runner(G, tmp_path_factory):
    r = falkor_runner(tmp_path_factory.mktemp("remote") / "cancu.db")
    load_graph(G, r, batch_size=100)
    yield r
    r.close()


CASES = [
    ("implements", ("Kết luận 57",), {}),
    ("implements", ("KL 57",), {"province": "Lào Cai", "as_of": "2026-01-01"}),
    ("implements", ("72/2015/NĐ-CP",), {"with_basis": True}),
    ("implements", ("57-KL/TW",), {"depth": 1}),
    ("implements", ("22/2016/TT-BTTTT",), {"province": "Lào Cai", "as_written": True}),
    ("cited_by", ("47/NQ-CP",), {}),
    ("cited_by", ("Kết luận 57",), {"province": "Lào Cai", "as_of": "2026-01-01"}),
    ("cited_by", ("72/2015/NĐ-CP",), {}),
    ("diagram", ("22/2016/TT-BTTTT",), {}),
    ("diagram", ("57-KL/TW",), {}),
    ("in_force", ("31/2020/QĐ-UBND",), {}),
    ("in_force", ("57-KL/TW",), {}),
    ("evidence", ("Yên Bái 2024", "57-KL/TW"), {}),
    ("evidence", ("Thừa Thiên Huế 2024", "57-KL/TW"), {}),
    ("basis", ("Phú Thọ 2025",), {}),
    ("basis", ("lao-cai-2022-ttdn.txt",), {}),
    ("chain", ("Phú Thọ 2025", "57-KL/TW"), {}),
    ("chain", ("Cao Bằng 2023", "72/2015/NĐ-CP"), {"depth": 2}),
    ("plan_agencies", ("Cao Bằng 2023",), {}),
    ("agency_tasks", ("Sở Khoa học và Công nghệ",), {"province": "Lào Cai", "as_of": "2026-01-01"}),
    ("agency_tasks", ("Sở TT&TT",), {}),
    ("agency_tasks", ("Công an thành phố",), {"province": "Huế", "as_of": "2026-01-01"}),
    ("matrix", (), {"top": 8, "as_of": "2026-01-01"}),
    ("matrix", (), {"top": 3, "year": 2024, "targets": ("KL 57",), "as_written": True}),
    ("stats", (), {"top": 5, "as_of": "2026-01-01"}),
]


@pytest.mark.parametrize("question,args,kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_every_question_gives_the_embedded_answer(G, runner, question, args, kwargs):
    want = getattr(Q, question)(G, *args, **kwargs)
    got = remote.ask(runner, question, *args, **kwargs)
    assert got == want
    if question not in ("in_force",) and args != ("57-KL/TW",):
        assert want, "a case whose answer is empty proves little"


@pytest.mark.parametrize(
    "question,args,error",
    [
        ("implements", ("Kết luận 58",), TargetNotFound),
        ("cited_by", ("3089/BTTTT-TTĐN",), AmbiguousTarget),
        ("basis", ("Hà Nội 2030",), TargetNotFound),
        ("agency_tasks", ("Sở Không Có",), TargetNotFound),
    ],
)
def test_a_name_that_matches_none_or_several_says_what_the_embedded_store_says(G, runner, question, args, error):
    with pytest.raises(error) as want:
        getattr(Q, question)(G, *args)
    with pytest.raises(error) as got:
        remote.ask(runner, question, *args)
    assert str(got.value) == str(want.value)
    assert getattr(got.value, "candidates", None) == getattr(want.value, "candidates", None)
