"""The graph as rows (dòng), for loaders such as Neo4j: one list of node
rows per label set and one list of relationship rows per type. Property
values are Neo4j-compatible: strings, numbers, booleans and lists of them;
``None`` is left out (Neo4j stores no nulls).
"""

from __future__ import annotations

import json

import networkx as nx


def _value(v):
    if isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, (list, tuple)):
        if all(isinstance(x, (str, int, float, bool)) for x in v):
            return list(v)
        return [json.dumps(x, ensure_ascii=False, sort_keys=True) for x in v]
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def _props(d: dict, skip: tuple[str, ...] = ()) -> dict:
    return {k: _value(v) for k, v in sorted(d.items()) if v is not None and k not in skip}


def to_rows(G: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """``{":Document:Plan": [{"id": ..., ...}], "IMPLEMENTS": [{"from": ...,
    "to": ..., "key": ..., ...}], ...}``: node rows keyed by their labels
    (``:`` joined, as Cypher writes them), relationship rows by type; every
    list sorted by id.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("doc:a", labels=["Document", "Decree"], key="A", dates=["2020-01-01"], year=None)
    >>> G.add_node("plan:p", labels=["Document", "Plan"], name="P")
    >>> _ = G.add_edge("plan:p", "doc:a", key="IMPLEMENTS:1", type="IMPLEMENTS", start=1)
    >>> rows = to_rows(G)
    >>> rows[":Decree:Document"]
    [{'id': 'doc:a', 'dates': ['2020-01-01'], 'key': 'A'}]
    >>> rows["IMPLEMENTS"]
    [{'from': 'plan:p', 'to': 'doc:a', 'key': 'IMPLEMENTS:1', 'start': 1}]
    """
    out: dict[str, list[dict]] = {}
    for n in sorted(G.nodes):
        d = G.nodes[n]
        label = ":" + ":".join(sorted(d.get("labels", ["Node"])))
        out.setdefault(label, []).append({"id": n, **_props(d, ("labels",))})
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        out.setdefault(d.get("type", "RELATED"), []).append({"from": u, "to": v, "key": k, **_props(d, ("type",))})
    return out
