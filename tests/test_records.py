"""The record types across the seam between ``extractors/`` and ``graph/``:
a :class:`DocumentRecord` and its parts round-trip through JSON with one set
of field names (those ``cancu extract`` prints)."""

import json
from dataclasses import fields
from pathlib import Path

import pytest

from cancu.extractors.models import (
    JSON_NAMES,
    ContainedDocument,
    DocumentRecord,
    Link,
    Section,
    SelfInfo,
)
from cancu.extractors.pipeline import extract_paths

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"


@pytest.fixture(scope="module")
def dev_records():
    if not DEV.is_dir():
        pytest.skip("../shared/eval/dev is not here")
    return {Path(r.source).name: r for r in extract_paths([str(DEV)])}


def test_every_plan_record_round_trips(plans_records):
    assert len(plans_records) == 5
    for rec in plans_records.values():
        d = rec.to_dict()
        assert DocumentRecord.from_dict(d) == rec
        assert DocumentRecord.from_dict(json.loads(json.dumps(d, ensure_ascii=False))) == rec
        assert DocumentRecord.from_dict(d).to_dict() == d


def test_every_dev_record_round_trips(dev_records):
    assert len(dev_records) == 17
    for rec in dev_records.values():
        d = json.loads(json.dumps(rec.to_dict(), ensure_ascii=False))
        assert DocumentRecord.from_dict(d) == rec


def test_json_names_are_the_attribute_names(plans_records):
    # the one exception: a Python keyword, ``from``, is the attribute ``from_``
    assert JSON_NAMES == {"from_": "from"}
    rec = plans_records["phu-tho-2025-ttdn.txt"]
    parts = [rec.citations[0], rec.links[0], rec.agencies[0], rec.tasks[0], rec.self]
    parts += [n for n in rec.named[:1]]
    for part in parts:
        assert list(part.to_dict()) == [JSON_NAMES.get(f.name, f.name) for f in fields(part)]
    # (the two not serialised: the text its offsets refer to, and that text cleaned)
    assert [f.name for f in fields(DocumentRecord) if f.name not in ("text", "cleaned")] == [
        "source",
        "self",
        "citations",
        "named",
        "links",
        "agencies",
        "tasks",
        "collectives",
        "encoding",
        "sha256",
        "chars",
        "body",
        "format",
        "conversion",
        "headline",
    ]


def test_link_of_a_real_sentence(plans_records):
    # data/plans/phu-tho-2025-ttdn.txt line 14: "Kế hoạch số 3017/KH-UBND ngày 26/7/2024 của UBND tỉnh
    # về việc thực hiện Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ ..."
    rec = plans_records["phu-tho-2025-ttdn.txt"]
    link = next(l for l in rec.links if l.from_ == "3017/KH-UBND")
    assert (link.from_, link.to, link.relation, link.source_year, link.target_year) == (
        "3017/KH-UBND",
        "47/NQ-CP",
        "implements",
        2024,
        2024,
    )
    d = link.to_dict()
    assert list(d) == ["relation", "source_year", "target_year", "start", "end", "context", "from", "to"]
    assert (d["from"], d["to"]) == ("3017/KH-UBND", "47/NQ-CP")
    assert Link.from_dict(d) == link


def test_self_is_typed(plans_records):
    rec = plans_records["phu-tho-2025-ttdn.txt"]
    assert isinstance(rec.self, SelfInfo)
    assert (rec.self.doc_type, rec.self.province, rec.self.year) == ("Kế hoạch", "Phú Thọ", 2025)
    assert list(rec.self.to_dict()) == [
        "doc_type",
        "key",
        "province",
        "year",
        "status",
        "issuer",
        "signer",
        "title",
        "contains",
        "date",
        "effective",
    ]


def test_cover_letter_is_a_contained_document(plans_records):
    # data/plans/thua-thien-hue-2024-ttdn-du-thao.txt opens with the cover letter 3155/STTTT-TTBCXB
    rec = plans_records["thua-thien-hue-2024-ttdn-du-thao.txt"]
    (letter,) = rec.self.contains
    assert letter == ContainedDocument(
        doc_type="Công văn",
        key="3155/STTTT-TTBCXB",
        date="2023-11-17",
        issuer="Sở Thông tin và Truyền thông tỉnh Thừa Thiên Huế",
        signer="Nguyễn Xuân Sơn",
        title="V/v góp ý về dự thảo Kế hoạch hoạt động thông tin đối ngoại trên địa bàn tỉnh Thừa Thiên Huế năm 2024",
        start=0,
        end=1421,
    )
    assert rec.self.to_dict()["contains"] == [letter.to_dict()]
    assert SelfInfo.from_dict(rec.self.to_dict()) == rec.self


def test_tasks_are_the_outline(plans_records):
    rec = plans_records["phu-tho-2025-ttdn.txt"]
    assert rec.tasks and all(isinstance(s, Section) for s in rec.tasks)
    assert [s.to_dict() for s in rec.tasks] == rec.to_dict()["tasks"]


def test_the_spacy_components_give_the_record_extract_text_gives():
    """extract_text runs the stages on the text alone; the spaCy pipeline runs
    the same stages as components on a Doc: both give the same record."""
    from cancu.extractors.clean import clean
    from cancu.extractors.pipeline import extract_text, load_pipeline, record_from_doc

    text = (ROOT / "data" / "plans" / "yen-bai-2024-ttdn.txt").read_text(encoding="utf-8")
    ct = clean(text)
    doc = load_pipeline()(ct.text)
    assert [c.designator.key for c in doc._.raw_citations][:3] == ["57-KL/TW", "72/2015/NĐ-CP", "22/2016/TT-BTTTT"]
    via_spacy = record_from_doc(doc, ct, "yen-bai").to_dict()
    direct = extract_text(text, "yen-bai").to_dict()
    for d in (via_spacy, direct):
        d.pop("body", None), d.pop("sha256", None), d.pop("headline", None)  # extract_text reads them off the page
    assert via_spacy == direct
    assert len(doc.spans["citations"]) == len(direct["citations"]) == 24


def test_the_frozen_record_parts_are_dataclasses_made_faster(plans_records):
    """The record parts made by ``models.frozen`` (a dataclass whose
    ``__init__`` writes the instance's dict) take the arguments the dataclass
    declares, refuse assignment, compare, hash, copy and pickle as frozen
    dataclasses do."""
    import dataclasses
    import inspect
    import pickle

    from cancu.extractors.models import AgencyMention, BodySpan, NamedDocument

    rec = plans_records["phu-tho-2025-ttdn.txt"]
    parts = [rec.links[0], rec.agencies[0], rec.tasks[0], rec.self, rec.named[0], rec.body]
    for cls in (Link, AgencyMention, Section, SelfInfo, NamedDocument, BodySpan, ContainedDocument):
        assert cls.__init__.__qualname__ == f"{cls.__name__}.__init__"  # ours, not the dataclass's
        params = list(inspect.signature(cls).parameters.values())
        assert [(p.name, p.default) for p in params] == [
            (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default) for f in fields(cls)
        ]
    for part in parts:
        assert dataclasses.is_dataclass(part)
        with pytest.raises(dataclasses.FrozenInstanceError):
            part.start = 0
        copy = dataclasses.replace(part)
        assert copy == part and hash(copy) == hash(part) and copy is not part
        assert pickle.loads(pickle.dumps(part)) == part
    # the Phú Thọ plan's first agency, as written (data/plans/phu-tho-2025-ttdn.txt)
    ag = rec.agencies[0]
    assert AgencyMention(ag.name, ag.role, ag.task, ag.start, ag.end, ag.text) == dataclasses.replace(
        ag, task_title=None, canonical=None
    )
