"""Every Cypher statement cancu ships or sends passes Neo4j's own Cypher front
end: ``lintCypherQuery`` of the npm package @neo4j-cypher/language-support
(pinned in tests/node/package.json; .ci/test runs ``npm ci`` there), run with
node, with each statement's parameters and the graph's labels, relationship
types and property keys declared. Any diagnostic, error or warning (unknown
label, cartesian product ...), fails."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from cancu.cypher import header, load, names, query_body, statements
from cancu.cypher.export import cypher_script
from cancu.cypher.loader import COUNT_NODES, COUNT_RELS, WIPE_BATCH, plan, schema_statements
from cancu.extractors.regexes import load_data
from cancu.graph.model import EDGE_TYPES, VALIDITY_PROPERTIES
from cancu.graph.rows import to_rows

from .conftest import ROOT, require
from .cypher_support import sample_graph

NODE_DIR = ROOT / "tests" / "node"


def lint(items: list[dict], schema: dict) -> list[dict]:
    node = shutil.which("node")
    require(node is not None, "node (Debian package nodejs)")
    require(
        (NODE_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(),
        "@neo4j-cypher/language-support (run: npm ci --prefix tests/node)",
    )
    out = subprocess.run(
        [node, str(NODE_DIR / "lint.mjs")],
        input=json.dumps({"statements": items, "schema": schema}),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=NODE_DIR,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def G():
    return sample_graph()


@pytest.fixture(scope="module")
def schema(G):
    labels = {"Document", "Agency", "Province", "Task"} | {t["label"] for t in load_data("doc_types.json")["types"]}
    # VALIDITY_PROPERTIES and "files" (a text held by two files, graph.model.finalize) are properties
    # of the model that the bundled plans happen not to carry
    keys = {"id", "props", "rows", "row", "from", "to", "key", "files", *VALIDITY_PROPERTIES}
    for _name, rows in to_rows(G).items():
        for r in rows:
            keys |= set(r)
    return {"labels": sorted(labels), "relationshipTypes": sorted(EDGE_TYPES), "propertyKeys": sorted(keys)}


def _statements(G) -> list[dict]:
    items = []
    for name in names():
        text = load(name)
        if name == "schema":
            items += [{"name": f"schema: {s}", "query": s} for s in statements(text)]
        elif name.startswith(("queries/", "fetch/")):
            h = header(text)
            assert h["title"] and h["answers"] and h["params"] and h["same_as"], f"{name}: incomplete header"
            params = set(__import__("re").findall(r"\$(\w+)", query_body(text)))
            assert params == set(h["params"]), f"{name}: parameters and :param lines differ"
            items.append({"name": name, "query": text, "parameters": h["params"]})
            items.append({"name": name + " (body)", "query": query_body(text), "parameters": h["params"]})
        elif name == "load/wipe":
            items.append({"name": name, "query": text, "parameters": {"limit": WIPE_BATCH}})
        else:
            items.append({"name": name, "query": text, "parameters": {"rows": []}})
    # exactly what the loader sends
    seen = set()
    for b in plan(G, 100):
        if b.statement not in seen:
            seen.add(b.statement)
            items.append({"name": f"sent {b.statement}", "query": b.text, "parameters": {"rows": b.rows[:3]}})
    items += [{"name": f"sent schema {i}", "query": s} for i, s in enumerate(schema_statements())]
    items += [{"name": "counts nodes", "query": COUNT_NODES}, {"name": "counts rels", "query": COUNT_RELS}]
    return items


def test_every_statement_passes_neo4j_front_end(G, schema):
    items = _statements(G)
    assert len(items) > 60
    bad = [r for r in lint(items, schema) if r["diagnostics"]]
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def test_exported_script_passes_neo4j_front_end(G, schema):
    parts = [p for p in cypher_script(G, batch_size=200) if not p.startswith("//")]
    items = [{"name": f"script part {i}", "query": p, "parameters": {"rows": []}} for i, p in enumerate(parts)]
    bad = [r for r in lint(items, schema) if r["diagnostics"]]
    assert not bad, json.dumps(bad[:5], ensure_ascii=False, indent=1)


def test_the_linter_does_catch_mistakes(schema):
    """The check is real: a typo in a label, an undeclared parameter and a
    syntax error are each reported."""
    res = lint(
        [
            {"name": "label", "query": "MATCH (n:Documnet) RETURN n"},
            {"name": "param", "query": "UNWIND $rows AS row RETURN row"},
            {
                "name": "syntax",
                "query": "UNWIND $rows AS row MERGE (n:Document {id: row.id) RETURN n",
                "parameters": {"rows": []},
            },
        ],
        schema,
    )
    assert all(r["diagnostics"] for r in res), res
