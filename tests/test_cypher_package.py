"""The Cypher files ship in the wheel (package data), so a plain
``pip install .`` finds them at run time; the load files follow their
templates and cover every label and type."""

from __future__ import annotations

import json
import re

from cancu.cypher import load, names, style
from cancu.extractors.regexes import load_data
from cancu.graph.model import EDGE_TYPES


def test_wheel_holds_every_cypher_file(wheel_names):
    want = {f"cancu/cypher/{n}.cypher" for n in names()} | {"cancu/cypher/style.grass", "cancu/cypher/__init__.py"}
    assert want <= wheel_names, sorted(want - wheel_names)


def test_catalogue_reads_files_through_importlib_resources():
    import cancu.cypher

    assert "importlib" in open(cancu.cypher.__file__, encoding="utf-8").read()
    assert len([n for n in names() if n.startswith("queries/")]) == 13


def test_load_files_follow_their_templates_and_cover_the_model():
    labels = {t["label"] for t in load_data("doc_types.json")["types"]}
    assert {n.split("-", 1)[1] for n in names() if n.startswith("load/label-")} == labels
    # rel-<TYPE>, or rel-<TYPE>-<Base> where a type joins nodes of another base label too
    rels = [n.split("-", 1)[1] for n in names() if n.startswith("load/rel-")]
    assert {r.split("-")[0] for r in rels} == set(EDGE_TYPES)
    assert sorted(r for r in rels if "-" in r) == ["MERGED_INTO-Agency", "RENAMED_TO-Agency", "SPLIT_INTO-Agency"]
    for n in names():
        text = load(n)
        if n.startswith("load/") and n != "load/wipe":
            body = [line for line in text.splitlines() if not line.startswith("//")]
            assert body[0] == "UNWIND $rows AS row", n
            assert re.match(r"^(MERGE|MATCH) \((n|a):[A-Za-z]+ \{id: row\.(id|from)\}\)$", body[1]), n
            assert "+" not in text.replace("// ", ""), n


def test_style_has_a_colour_and_caption_per_label_and_type():
    rules = dict(re.findall(r"^(node\.\w+|relationship\.\w+) \{(.*?)\}", style(), re.S | re.M))
    labels = {"Document", "Agency", "Province", "Task"} | {t["label"] for t in load_data("doc_types.json")["types"]}
    for lbl in labels:
        assert "color:" in rules[f"node.{lbl}"] and "caption:" in rules[f"node.{lbl}"], lbl
    for t in EDGE_TYPES:
        assert "color:" in rules[f"relationship.{t}"], t
    assert json.dumps(style())  # plain text


def test_style_names_each_relationship_in_vietnamese():
    rules = dict(re.findall(r"^relationship\.(\w+) \{(.*?)\}", style(), re.S | re.M))
    assert 'caption: "<type> (thực hiện)"' in rules["IMPLEMENTS"]
    assert 'caption: "<type> (thay thế)"' in rules["REPLACES"]
    assert 'caption: "<type> (nhắc đến)"' in rules["CITES"]
