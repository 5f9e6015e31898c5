"""The questions of ``cancu query`` asked of a Neo4j database (truy vấn trên
Neo4j) instead of the embedded store: ``cancu query … --neo4j URI``.

A question reads a small part of the graph: the documents around its
target, a plan's citations and tasks, an agency's tasks. :func:`ask` reads
that part from the database with the statements of ``cypher/fetch/`` (node
by id, relationships into or out of a set of nodes, by type, each through
the label's unique id, so the database does the expansion through its
indexes), rebuilds it as a networkx graph with every property as loaded,
and answers with the same function of :mod:`cancu.graph.query` as on the
embedded store. The rows, and so the table, JSON and CSV, are the same: the
tests check every question on embedded FalkorDB against the embedded
answer, and on a live Neo4j when ``NEO4J_URI`` is set.

What a question reads (``PART``): ``implements`` the documents that carry
the target out, level by level to ``depth``; ``chain`` the citations from
the source, level by level; ``cited-by``, ``diagram``, ``in-force`` and
``evidence`` the relationships at the target; ``basis`` and ``agencies``
the plan's; ``agency`` every agency and the tasks of those it matches;
``matrix`` and ``stats`` every plan with what it cites, in brief (and
``stats`` the database's counts). ``lineage`` reads no graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import networkx as nx

from ..graph import query as Q
from ..graph.errors import AmbiguousTarget, TargetNotFound
from ..graph.model import CITATION_TYPES
from . import load, query_body
from .runners import Runner

#: the base label of a node, by the prefix of its id
_BASE = {"doc": "Document", "plan": "Document", "agency": "Agency", "task": "Task", "province": "Province"}
KINDS = ("Document", "Agency", "Province", "Task")
_VALIDITY_REFS = ("replaced_by", "repealed_by", "amended_by")


def in_store_order(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` with its nodes in the order of their ids and its relationships in
    the order of (from, to, type), as the embedded store holds them, so that
    rows that tie in a question's sort come in the store's order."""
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, G.nodes[n]) for n in sorted(G.nodes))
    H.add_edges_from((u, v, k, d) for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]))
    return H


def _add_node(G: nx.MultiDiGraph, node_id: str, labels: Iterable[str], props: dict) -> None:
    """A node as the database holds it, as the store holds it: its labels sorted,
    no ``id`` property, no nulls."""
    G.add_node(node_id, labels=sorted(labels), **{k: v for k, v in props.items() if k != "id" and v is not None})


def _add_brief(G: nx.MultiDiGraph, row: dict) -> None:
    """A document of documents.cypher or candidates.cypher, with its issuers
    (by name: what a list of candidates shows)."""
    _add_node(G, row["id"], row["labels"], row["props"])
    for name in sorted(row.get("issuers") or ()):
        a = f"issuer:{name}"
        G.add_node(a, labels=["Agency"], name=name)
        G.add_edge(row["id"], a, key="ISSUED_BY", type="ISSUED_BY")


def _base(node_id: str) -> str | None:
    return _BASE.get(node_id.split(":", 1)[0])


class Part:
    """The part of a database's graph a question reads, as a networkx graph
    (``G``) that grows as it is fetched: nodes whole, relationships with all
    their properties (the shape of the embedded store's graph)."""

    def __init__(self, runner: Runner):
        self.runner = runner
        self.G = nx.MultiDiGraph()
        self.whole: set[str] = set()  # nodes fetched with every property

    def _run(self, name: str, **params) -> list[dict]:
        return self.runner.read(query_body(load(f"fetch/{name}")), params)

    def _node(self, node_id: str, labels: Iterable[str], props: dict) -> None:
        _add_node(self.G, node_id, labels, props)
        self.whole.add(node_id)

    def nodes(self, ids: Iterable[str]) -> None:
        """Fetch the nodes of ``ids`` whole (those not fetched yet)."""
        by_base: dict[str, list[str]] = {}
        for n in sorted(set(ids) - self.whole):
            if _base(n):
                by_base.setdefault(_base(n), []).append(n)
        for base, group in sorted(by_base.items()):
            for r in self._run(f"nodes-{base}", ids=group):
                self._node(r["id"], r["labels"], r["props"])

    def _relationships(self, way: str, ids: Iterable[str], types: Iterable[str], base: str) -> set[str]:
        """Fetch the relationships of ``types`` ``way`` ("into" or "out") the nodes
        of ``ids`` (of label ``base``), with the nodes at their other ends;
        returns those nodes."""
        ids = sorted(set(ids))
        if not ids:
            return set()
        other = "from" if way == "into" else "to"
        out = set()
        for r in self._run(f"{way}-{base}", ids=ids, types=list(types)):
            self._node(r[other], r[f"{other}_labels"], r[f"{other}_props"])
            attrs = {k: v for k, v in r["props"].items() if k != "key"}
            self.G.add_edge(r["from"], r["to"], key=r["props"].get("key", r["type"]), type=r["type"], **attrs)
            out.add(r[other])
        return out

    def into(self, ids: Iterable[str], types: Iterable[str], base: str = "Document") -> set[str]:
        """The relationships of ``types`` into the nodes of ``ids``, and the nodes they come from."""
        return self._relationships("into", ids, types, base)

    def out_of(self, ids: Iterable[str], types: Iterable[str], base: str = "Document") -> set[str]:
        """The relationships of ``types`` out of the nodes of ``ids``, and the nodes they go to."""
        return self._relationships("out", ids, types, base)

    def agencies(self) -> None:
        """Fetch every agency whole."""
        for r in self._run("agencies", limit=10_000_000):
            self._node(r["id"], r["labels"], r["props"])

    def levels(self, start: str, depth: int, step: Callable[[list[str]], set[str]]) -> None:
        """Fetch, level by level, what ``step`` reaches from ``start`` in at most
        ``depth`` steps (a breadth-first search through the database)."""
        seen, frontier = {start}, [start]
        for _ in range(depth):
            found = step(frontier) - seen
            seen |= found
            frontier = sorted(found)
            if not frontier:
                break

    def finish(self) -> nx.MultiDiGraph:
        """Fetch what the rows name beside the nodes read: the texts that state
        each relationship (their ``source``), the documents that end a
        document's force, the plan of each task."""
        refs = set()
        for _, d in self.G.nodes(data=True):
            for f in _VALIDITY_REFS:
                refs.update(d.get(f, ()))
            if d.get("plan"):
                refs.add(d["plan"])
        for _, _, d in self.G.edges(data=True):
            refs.update(p for p in d.get("source_plans", ()) if p)
        self.nodes(refs)
        return in_store_order(self.G)

    # -- the documents a person names ---------------------------------------------

    def _brief(self, ingested: bool) -> nx.MultiDiGraph:
        G = nx.MultiDiGraph()
        for r in self._run("documents", ingested=ingested):
            _add_brief(G, r)
        return G

    def _resolve(self, find: Callable[[nx.MultiDiGraph, str], str], text: str, plans: bool, docs: bool) -> str:
        """The node ``find`` gives for ``text`` among the candidates the database
        holds (the documents of its number, and the plans when ``plans``);
        when it finds none or several there, among every document, so that
        the answer and the message (with the closest names) are the embedded
        store's."""
        t = re.sub(r"\s+", " ", text).strip()
        number = re.search(r"\d+", t)
        H = self._brief(ingested=True) if plans else nx.MultiDiGraph()
        if docs:
            for r in self._run("candidates", text=t, number=number.group() if number else None):
                _add_brief(H, r)
        try:
            found = find(H, text)
        except (TargetNotFound, AmbiguousTarget):
            every = self._brief(ingested=False)
            try:
                found = find(every, text)
            except (TargetNotFound, AmbiguousTarget) as e:  # as the embedded store says it
                e.graph = every  # the candidates' names, for the message
                raise
        self.nodes([found])
        return found

    def document(self, text: str) -> str:
        """The document a person names (:func:`cancu.graph.query.find_document`)."""
        return self._resolve(Q.find_document, text, plans=False, docs=True)

    def plan(self, text: str) -> str:
        """The plan a person names (:func:`cancu.graph.query.find_plan`)."""
        return self._resolve(Q.find_plan, text, plans=True, docs=False)

    def any(self, text: str) -> str:
        """A plan, else a document, a person names."""
        return self._resolve(Q._find_any, text, plans=True, docs=True)


# -- each question: the part it reads, then the embedded store's answer -------------


def _implements(P: Part, target: str, depth: int = Q.DEFAULT_DEPTH, with_basis: bool = False, **kw):
    t = P.document(target)
    # the breadth-first search of graph.query.implements, level by level
    P.levels(t, depth, lambda frontier: P.into(frontier, Q.CARRIES_OUT))
    if with_basis:
        P.into([t], ("BASED_ON",))
    return Q.implements(P.finish(), t, depth=depth, with_basis=with_basis, **kw)


def _cited_by(P: Part, target: str, **kw):
    t = P.document(target)
    P.into([t], CITATION_TYPES)
    return Q.cited_by(P.finish(), t, **kw)


def _diagram(P: Part, target: str):
    t = P.document(target)
    P.into([t], Q.DIAGRAM_TYPES)
    P.out_of([t], Q.DIAGRAM_TYPES)
    return Q.diagram(P.finish(), t)


def _in_force(P: Part, target: str):
    t = P.document(target)
    P.into([t], ("REPLACES", "REPEALS", "AMENDS"))
    return Q.in_force(P.finish(), t)


def _evidence(P: Part, source: str, target: str):
    s, t = P.any(source), P.document(target)
    P.out_of([s], Q.DIAGRAM_TYPES)
    # only the relationships s → t are asked about: the texts stating the others need not be read
    P.G.remove_edges_from([(u, v, k) for u, v, k in list(P.G.edges(keys=True)) if v != t])
    return Q.evidence(P.finish(), s, t)


def _basis(P: Part, plan: str):
    p = P.plan(plan)
    P.out_of([p], ("BASED_ON",))
    return Q.basis(P.finish(), p)


def _chain(P: Part, source: str, target: str, depth: int = Q.DEFAULT_DEPTH, limit: int | None = Q.DEFAULT_CHAIN_LIMIT):
    s, t = P.any(source), P.document(target)
    _within(P, s, depth)
    return Q.chain(P.finish(), s, t, depth=depth, limit=limit)


def _within(P: Part, s: str, depth: int) -> None:
    """Every node within ``depth`` citation steps of ``s``, with its citations:
    where every path from ``s`` of at most ``depth`` steps lies."""
    P.levels(s, depth, lambda frontier: P.out_of(frontier, CITATION_TYPES))


def _count_chains(P: Part, source: str, target: str, depth: int = Q.DEFAULT_DEPTH):
    s, t = P.any(source), P.document(target)
    _within(P, s, depth)
    return Q.count_chains(P.finish(), s, t, depth=depth)


def _document_key(P: Part, target: str):
    t = P.document(target)
    return Q.document_key(P.finish(), t)


def _plan_agencies(P: Part, plan: str):
    p = P.plan(plan)
    tasks = P.out_of([p], ("HAS_TASK",))
    P.out_of(tasks, ("LED_BY", "SUPPORTED_BY"), base="Task")
    return Q.plan_agencies(P.finish(), p)


def _agency_tasks(P: Part, name: str, **kw):
    P.agencies()
    # the bodies the name means (with their lineage), then the tasks of those alone
    matched = [m[0] for m in Q.matching_agencies(P.G, name, **kw)]
    P.into(matched, ("LED_BY", "SUPPORTED_BY"), base="Agency")
    return Q.agency_tasks(P.finish(), name, **kw)


def _plans_in_brief(P: Part) -> nx.MultiDiGraph:
    G = P.G
    for n, d in P._brief(ingested=True).nodes(data=True):
        G.add_node(n, **d)
    for r in P._run("plan-citations", types=list(CITATION_TYPES)):
        if r["to"] not in G:
            _add_node(G, r["to"], r["to_labels"], r["to_props"])
        G.add_edge(r["from"], r["to"], key=r["type"], type=r["type"])
    return in_store_order(G)


def _matrix(P: Part, top: int = 10, year: int | None = None, targets: tuple[str, ...] = (), **kw):
    ids = tuple(P.document(t) for t in targets)
    G = _plans_in_brief(P)
    return Q.matrix(G, top=top, year=year, targets=ids, **kw)


def _stats(P: Part, top: int = 10, **kw):
    rows = Q.stats(_plans_in_brief(P), top=top, **kw)
    labels = {r["label"]: r["n"] for r in P._run("counts-labels", kinds=list(KINDS))}
    types = {r["type"]: r["n"] for r in P._run("counts-types", kinds=list(KINDS))}
    counted = [
        {"metric": "nodes", "name": "", "value": sum(labels.get(k, 0) for k in KINDS)},
        {"metric": "edges", "name": "", "value": sum(types.values())},
        *({"metric": "label", "name": k, "value": v} for k, v in sorted(labels.items())),
        *({"metric": "type", "name": k, "value": v} for k, v in sorted(types.items())),
    ]
    return counted + [r for r in rows if r["metric"] not in ("nodes", "edges", "label", "type")]


#: each question of cancu query, by the name of its function in cancu.graph.query
PART = {
    "implements": _implements,
    "cited_by": _cited_by,
    "diagram": _diagram,
    "in_force": _in_force,
    "evidence": _evidence,
    "basis": _basis,
    "chain": _chain,
    "count_chains": _count_chains,
    "document_key": _document_key,
    "plan_agencies": _plan_agencies,
    "agency_tasks": _agency_tasks,
    "matrix": _matrix,
    "stats": _stats,
}


def ask(runner: Runner, question: str, *args, only: dict | None = None, **kwargs) -> list[dict]:
    """The rows of ``cancu.graph.query.<question>(G, *args, **kwargs)``, read
    from the database of ``runner`` instead of the embedded store: the same
    rows, and the same :class:`~cancu.graph.errors.TargetNotFound` /
    :class:`~cancu.graph.errors.AmbiguousTarget` for a name that matches
    none or several. ``only`` holds the filters of
    :func:`cancu.graph.query.keep` (type, year, issuer, province)."""
    rows = PART[question](Part(runner), *args, **kwargs)
    if only and any(v is not None for v in only.values()):
        # the documents the rows are about, with their issuers
        P = Part(runner)
        ids = {r[Q.ROW_DOCUMENT[question]] for r in rows}
        P.nodes(ids)
        P.out_of(ids, ("ISSUED_BY",))
        rows = Q.keep(P.G, rows, question, **only)
    return rows
