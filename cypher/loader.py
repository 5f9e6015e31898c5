"""Loading the graph into Neo4j (nạp): schema first, then batches of rows,
each batch one managed transaction running one statement file of
``cypher/load/`` (``UNWIND $rows AS row MERGE ...``): nodes by their base
label, the subtype labels of documents, then relationships by type.

The rows come from :func:`graph.rows.to_rows` only; this module just groups
them by statement and cuts them into batches. Every statement MERGEs on the
node id (and, for a relationship, on its two ends and its ``key``), so loading
the same graph twice creates nothing new, and running a load again after a
failure completes it.

>>> from cancu.graph.query import example_graph
>>> batches = plan(example_graph(), batch_size=2)
>>> [(b.statement, b.number, b.of, len(b.rows)) for b in batches][:3]
[('load/node-Document', 1, 3, 2), ('load/node-Document', 2, 3, 2), ('load/node-Document', 3, 3, 2)]
>>> sorted({b.statement for b in batches})[:4]
['load/label-Conclusion', 'load/label-Decree', 'load/label-Plan', 'load/label-Resolution']
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from ..graph.rows import to_rows
from . import load, names, statements
from .errors import BatchFailed, ConnectionProblem, CypherError, LoadFailed, SchemaProblem, StatementFailed
from .runners import COUNTERS, Runner

#: every node has exactly one of these labels; it carries the node's key (``id``)
BASE_LABELS = ("Document", "Agency", "Province", "Task")
DEFAULT_BATCH = 1000
WIPE_BATCH = 10000


@dataclass
class Batch:
    """One transaction: ``rows`` for statement file ``statement``; it is
    batch ``number`` of ``of`` of that statement."""

    statement: str
    rows: list[dict]
    number: int
    of: int

    @property
    def text(self) -> str:
        return load(self.statement)


@dataclass
class LoadReport:
    """What a load did: counters summed over every batch (``nodes_created``,
    ``relationships_created``, ``properties_set``, ``labels_added`` ...), per
    statement too, the rows and batches sent, the nodes wiped first."""

    engine: str = ""
    where: str = ""
    totals: dict = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    by_statement: dict = field(default_factory=dict)
    rows: int = 0
    batches: int = 0
    wiped: int = 0
    seconds: float = 0.0

    def created(self) -> dict[str, int]:
        """Nodes created per base label and relationships created per type."""
        out = {}
        for name, c in self.by_statement.items():
            kind, _, what = name.removeprefix("load/").partition("-")
            if kind == "node":
                out[what] = c["nodes_created"]
            elif kind == "rel":  # rel-MERGED_INTO and rel-MERGED_INTO-Agency are one type
                t = what.split("-")[0]
                out[t] = out.get(t, 0) + c["relationships_created"]
        return out


def group_rows(G: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """The parameter rows of each load statement, from :func:`to_rows`:
    ``load/node-<Base>``: ``{id, props}``; ``load/label-<Label>``: ``{id}``;
    ``load/rel-<TYPE>``: ``{from, to, key, props}``, or
    ``load/rel-<TYPE>-<Base>`` where one type joins nodes of several base
    labels (``MERGED_INTO`` between provinces and between agencies), chosen
    by the base label of the start node. Raises :class:`SchemaProblem` for a
    label or type that has no statement file."""
    known = set(names())
    out: dict[str, list[dict]] = {}

    def base_of(n: str) -> str:
        return next((lbl for lbl in G.nodes[n].get("labels", ()) if lbl in BASE_LABELS), "")

    for name, rows in to_rows(G).items():
        if name.startswith(":"):
            labels = name[1:].split(":")
            bases = [lbl for lbl in labels if lbl in BASE_LABELS]
            if len(bases) != 1:
                raise SchemaProblem(f"nodes labelled {name} have no base label (one of {', '.join(BASE_LABELS)})")
            extra = [lbl for lbl in labels if lbl != bases[0]]
            for lbl in extra:
                if f"load/label-{lbl}" not in known:
                    raise SchemaProblem(f"no load statement for the label {lbl}: add cypher/load/label-{lbl}.cypher")
            out.setdefault(f"load/node-{bases[0]}", []).extend({"id": r["id"], "props": r} for r in rows)
            for lbl in extra:
                out.setdefault(f"load/label-{lbl}", []).extend({"id": r["id"]} for r in rows)
        else:
            if f"load/rel-{name}" not in known:
                raise SchemaProblem(
                    f"no load statement for the relationship type {name}: add cypher/load/rel-{name}.cypher"
                )
            for r in rows:
                statement = f"load/rel-{name}-{base_of(r['from'])}"
                out.setdefault(statement if statement in known else f"load/rel-{name}", []).append(
                    {
                        "from": r["from"],
                        "to": r["to"],
                        "key": r["key"],
                        "props": {k: v for k, v in r.items() if k not in ("from", "to")},
                    }
                )
    for rows in out.values():
        rows.sort(key=lambda r: (r.get("id", ""), r.get("from", ""), r.get("to", ""), r.get("key", "")))
    return out


def _order(name: str) -> tuple:
    kind = name.split("/")[-1].split("-")[0]
    base = name.split("-", 1)[1]
    return ({"node": 0, "label": 1, "rel": 2}[kind], BASE_LABELS.index(base) if kind == "node" else 0, name)


def plan(G: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH) -> list[Batch]:
    """Every batch of a load, in order: nodes, labels, relationships."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    out = []
    for name, rows in sorted(group_rows(G).items(), key=lambda kv: _order(kv[0])):
        chunks = [rows[i : i + batch_size] for i in range(0, len(rows), batch_size)]
        out += [Batch(name, c, i + 1, len(chunks)) for i, c in enumerate(chunks)]
    return out


def schema_statements() -> list[str]:
    """The statements of ``schema.cypher`` (Neo4j dialect)."""
    return statements(load("schema"))


def wipe(runner: Runner) -> int:
    """Delete the cancu graph (nodes labelled Document, Agency, Province or
    Task, with their relationships) in batches; returns the nodes deleted."""
    total = 0
    while True:
        c = runner.write(load("load/wipe"), {"limit": WIPE_BATCH})
        total += c["nodes_deleted"]
        if not c["nodes_deleted"]:
            return total


def load_graph(
    G: nx.MultiDiGraph,
    runner: Runner,
    batch_size: int = DEFAULT_BATCH,
    wipe_first: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> LoadReport:
    """Load ``G`` through ``runner``: the schema, then (with ``wipe_first``)
    delete the old cancu graph, then every batch of :func:`plan`.
    ``progress(batch, done, total)`` (tiến độ) is called after each batch:
    ``done`` of the ``total`` rows (nodes, labels, relationships) are
    loaded, ``batch`` names the last (``load/node-Document 2/3``).

    Raises :class:`LoadFailed` (:class:`BatchFailed` names the batch) when a
    statement fails part way; ``done`` batches were written and committed
    before it. Connection problems found before anything is written raise
    :class:`ConnectionProblem` as they are."""
    t0 = time.perf_counter()
    batches = plan(G, batch_size)
    rows = sum(len(b.rows) for b in batches)
    report = LoadReport(engine=runner.engine, where=runner.where)
    for st in schema_statements():
        try:
            runner.schema(st)
        except ConnectionProblem:
            raise
        except CypherError as e:
            raise LoadFailed(
                f"creating the schema failed on '{st}': {e}; nothing was loaded", 0, len(batches)
            ) from None
    if wipe_first:
        try:
            report.wiped = wipe(runner)
        except CypherError as e:
            failed = LoadFailed(
                f"deleting the old graph (wipe_first) failed: {e}; part of it may be deleted, nothing new was loaded",
                0,
                len(batches),
            )
            failed.setting = "wipe_first"  # the words of the message for the parameter (CancuError.setting)
            raise failed from None
    for i, b in enumerate(batches):
        try:
            c = runner.write(b.text, {"rows": b.rows})
        except (StatementFailed, ConnectionProblem) as e:
            raise BatchFailed(b.statement, b.number, b.of, i, len(batches), str(e)) from None
        per = report.by_statement.setdefault(b.statement, dict.fromkeys(COUNTERS, 0))
        for k in COUNTERS:
            per[k] += c[k]
            report.totals[k] += c[k]
        report.rows += len(b.rows)
        report.batches += 1
        if progress:
            progress(f"{b.statement} {b.number}/{b.of}", report.rows, rows)
    report.seconds = time.perf_counter() - t0
    return report


def expected_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and relationships per type of ``G``: what a database
    holds after loading it.

    >>> from cancu.graph.query import example_graph
    >>> G = example_graph()
    >>> c = expected_counts(G)
    >>> c["Document"] == sum("Document" in d["labels"] for _, d in G.nodes(data=True)), c["IMPLEMENTS"]
    (True, 4)
    """
    out: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        for lbl in d.get("labels", ()):
            out[lbl] = out.get(lbl, 0) + 1
    for _, _, t in G.edges(data="type"):
        out[t] = out.get(t, 0) + 1
    return dict(sorted(out.items()))


#: counts of a loaded database per label and per type (run once per label/type, so the
#: statement text stays fixed; labels and types come from :func:`expected_counts`)
COUNT_NODES = "MATCH (n) RETURN labels(n) AS labels, count(*) AS n"
COUNT_RELS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"


def database_counts(runner: Runner) -> dict[str, int]:
    """Nodes per label and relationships per type in the database."""
    out: dict[str, int] = {}
    for r in runner.read(COUNT_NODES):
        for lbl in r["labels"]:
            out[lbl] = out.get(lbl, 0) + r["n"]
    for r in runner.read(COUNT_RELS):
        out[r["type"]] = out.get(r["type"], 0) + r["n"]
    return dict(sorted(out.items()))
