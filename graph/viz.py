"""Interactive HTML views of the graph (trực quan hóa): one self-contained
file that opens offline, drawn by vis-network through pyvis.

:func:`select` picks what to draw (the whole graph, the plans of a province
or a year, the neighbourhood of a document or plan); :func:`to_network`
styles it as a pyvis ``Network`` (a colour and shape per node type, size by
how often a document is cited, colour and label per relationship type,
tooltips with the evidence); :func:`to_html` renders the page with every
script and style inlined (vis-network from pyvis's own bundled copy, no CDN,
no bootstrap), a legend, a search and filter panel, and a seeded layout
that stabilises and then switches physics off; :func:`write_html` writes
it. A view without a focus opens on documents only (the agencies, tasks and
provinces behind a toggle); beyond :data:`CLUSTER_AT` nodes shown, the page
clusters them by province (:func:`cluster_key`), then by type; a search dims
all but the matches and their neighbours.

The page keeps pyvis's globals: ``nodes`` and ``edges`` (the vis
``DataSet`` objects, one entry per node and one per pair of related nodes of
the selected graph, the relationships between them in ``etypes``) and
``network``; ``clusters`` holds the ids of the cluster nodes drawn;
``window.cancuStabilized`` becomes ``true`` once the layout has settled.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import networkx as nx

from ..extractors.vocabulary import fold, load_data, scheme
from .errors import GraphError
from .ids import fold_key
from .model import EDGE_TYPES, aggregate, is_citation, occurrences

#: views larger than this are refused by default (see docs/viz.md for the measurements)
MAX_NODES = 3000
#: the vis-network layout seed: the same graph always gets the same layout
SEED = 20250615
#: default depth of a focus view
DEFAULT_DEPTH = 3

#: node type → (shape, colour), from the one colour scheme of the vocabulary
#: layer (``extractors/data/scheme.json``, also written into style.grass);
#: document subtypes not listed use ``Document``'s
NODE_STYLE = {label: (d["shape"], d["color"]) for label, d in scheme()["labels"].items()}
#: relationship type → colour
EDGE_COLORS = {t: d["color"] for t, d in scheme()["relationships"].items()}
_TEMPLATE = Path(__file__).with_name("templates") / "viz.html"


class ViewError(GraphError):
    """A view that cannot be drawn: nothing selected, or too large."""


class EmptyView(ViewError):
    """The filters select no plan."""


class ViewTooLarge(ViewError):
    """More nodes than a browser lays out and keeps responsive;
    ``nodes`` and ``limit`` say how many."""

    def __init__(self, nodes: int, limit: int):
        super().__init__(f"the view has {nodes} nodes, more than the limit of {limit}")
        self.nodes, self.limit = nodes, limit


# -- what to draw --------------------------------------------------------------


def select(
    G: nx.MultiDiGraph,
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    province: str | None = None,
    year: int | None = None,
) -> nx.MultiDiGraph:
    """The part of ``G`` to draw, as a new graph.

    ``province`` and ``year`` keep the plans of that province and year and
    what they state (every relationship whose ``source_plan`` is one of
    them, with its two ends). ``focus`` (a key, "Kết luận 57", a plan's
    file name or "Yên Bái 2024", resolved as ``cancu query`` does) keeps the
    documents that lead to it and that it leads to through citations
    (every type of :data:`~graph.model.CITATION_TYPES`), at most ``depth``
    steps each way, and every relationship among them: for a conclusion,
    the plans that carry it out and the documents in between.

    Raises :class:`~graph.errors.TargetNotFound` /
    :class:`~graph.errors.AmbiguousTarget` for an unknown focus and
    :class:`EmptyView` when the filters match no plan.

    >>> from cancu.graph.query import example_graph
    >>> G = example_graph()
    >>> H = select(G, focus="57-KL/TW", depth=3)
    >>> sorted(n for n in H if n.startswith("doc:")), sum(1 for n in H if H.nodes[n].get("ingested"))
    (['doc:3017/kh-ubnd@2024@phu-tho', 'doc:47/nq-cp@2024', 'doc:57-kl/tw'], 2)
    >>> select(G, province="Cao Bằng")
    Traceback (most recent call last):
    cancu.graph.viz.EmptyView: no plan of province 'Cao Bằng' in the graph (provinces: Phú Thọ, Yên Bái)
    """
    from .lineage import unit_on

    H = G
    if province is not None or year is not None:
        keep = set()
        for n, d in G.nodes(data=True):
            if not d.get("ingested"):
                continue
            if province is not None and fold(province) not in {
                fold(d.get("province") or ""),
                fold(unit_on(d["province"])[0]) if d.get("province") else "",
            }:
                continue  # the province as written, or today's that holds it (lineage.md)
            if year is not None and d.get("year") != year:
                continue
            keep.add(n)
        if not keep:
            provs = sorted({d["province"] for _, d in G.nodes(data=True) if d.get("ingested") and d.get("province")})
            years = sorted({d["year"] for _, d in G.nodes(data=True) if d.get("ingested") and d.get("year")})
            what = " and ".join(
                x
                for x in (
                    f"province {province!r}" if province is not None else "",
                    f"year {year}" if year is not None else "",
                )
                if x
            )
            hint = f"provinces: {', '.join(provs)}" if province is not None else f"years: {', '.join(map(str, years))}"
            raise EmptyView(f"no plan of {what} in the graph ({hint})")
        H = nx.MultiDiGraph()
        for n in sorted(keep):
            H.add_node(n, **G.nodes[n])
        for u, v, k, d in G.edges(keys=True, data=True):
            occ = [o for o in occurrences(d) if o.get("source_plan") in keep]
            if occ:  # the relationship with the evidence of the kept plans only
                for x in (u, v):
                    if x not in H:
                        H.add_node(x, **G.nodes[x])
                H.add_edge(u, v, key=k, **aggregate(d["type"], occ))
    if focus is not None:
        from .query import _find_any

        t = _find_any(H, focus)
        keep = {t}
        for step in (_citing, _cited):
            frontier = {t}
            for _ in range(depth):
                frontier = {x for n in frontier for x in step(H, n)} - keep
                if not frontier:
                    break
                keep |= frontier
        H = H.subgraph(keep).copy()
        H.graph["focus"] = t
    elif H is G:
        H = G.copy()
    return H


def _citing(G, n):
    return (u for u in G.predecessors(n) if any(is_citation(d) for d in G[u][n].values()))


def _cited(G, n):
    return (v for v in G.successors(n) if any(is_citation(d) for d in G[n][v].values()))


# -- styling -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vietnamese_names() -> dict[str, str]:
    """Subtype label → the shortest Vietnamese type word for it."""
    out: dict[str, str] = {}
    for t in load_data("doc_types.json")["types"]:
        if t["label"] not in out or len(t["name"]) < len(out[t["label"]]):
            out[t["label"]] = t["name"]
    return out


def node_type(d: dict) -> str:
    """The type a node is drawn as: ``IngestedPlan`` for the plans read,
    else its document subtype (``Decree``, ``Conclusion`` ...; ``Document``
    when it has none or an unstyled one), ``Agency``, ``Task`` or
    ``Province``.

    >>> node_type({"labels": ["Document", "Plan"], "ingested": True}), node_type({"labels": ["Agency"]})
    ('IngestedPlan', 'Agency')
    >>> node_type({"labels": ["Document", "Treaty"]}), node_type({"labels": ["Conclusion", "Document"]})
    ('Document', 'Conclusion')
    """
    labels = d.get("labels", ())
    if d.get("ingested"):
        return "IngestedPlan"
    for l in labels:
        if l != "Document" and l in NODE_STYLE:
            return l
    if "Document" in labels:
        return "Document"
    return labels[0] if labels else "Document"


def type_caption(t: str) -> str:
    """The legend's caption of a node type.

    >>> type_caption("Conclusion"), type_caption("IngestedPlan"), type_caption("Agency")
    ('Conclusion (Kết luận)', 'Plan read (kế hoạch)', 'Agency (cơ quan)')
    """
    fixed = {
        "IngestedPlan": "Plan read (kế hoạch)",
        "Agency": "Agency (cơ quan)",
        "Task": "Task (nhiệm vụ)",
        "Province": "Province (tỉnh)",
        "Document": "Other document (văn bản)",
    }
    if t in fixed:
        return fixed[t]
    vi = _vietnamese_names().get(t)
    return f"{t} ({vi})" if vi else t


def subjects(records) -> dict[str, list[tuple[int | None, str]]]:
    """The subject (trích yếu) of each cited document, from extraction
    records (``read_records(store).values()``): folded key → ``[(year,
    subject)]``, one per citation that states one; the graph itself does
    not keep subjects.

    >>> subjects([{"citations": [{"key": "57-KL/TW", "year": 2023, "subject": "về thông tin đối ngoại"}]}])
    {'57-kl/tw': [(2023, 'về thông tin đối ngoại')]}
    """
    out: dict[str, list] = {}
    for rec in records:
        for c in rec.get("citations", ()):
            if c.get("subject"):
                item = (c.get("year"), c["subject"])
                out.setdefault(fold_key(c["key"]), []).append(item)
    return out


def citing_sources(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> list[str]:
    """The source files whose records give the subjects of the documents
    ``H`` draws (a part of ``G``): those of every text that cites a document
    of the same key, sorted. What :func:`subjects` needs to read instead of
    every record of a store (at 160,000 documents, half of ``cancu viz
    --focus``): each citation puts its text's node among its document's
    ``sources``, so the texts citing a key are found in ``G``.

    >>> from cancu.graph.query import example_graph
    >>> G = example_graph()
    >>> H = G.subgraph(["doc:57-kl/tw"])
    >>> citing_sources(G, H)
    ['a.txt', 'b.txt']
    >>> citing_sources(G, G.subgraph(["agency:national:chinh-phu"]))
    []
    """
    keys = {
        fold_key(d["key"])
        for _, d in H.nodes(data=True)
        if d.get("key") and not d.get("ingested") and "Document" in d.get("labels", ())
    }
    if not keys:
        return []
    texts = {
        p for _, d in G.nodes(data=True) if d.get("key") and fold_key(d["key"]) in keys for p in d.get("sources", ())
    }
    files = set()
    for p in texts:
        if p in G:
            d = G.nodes[p]
            files.update(f for f in (d.get("source"), *d.get("files", ())) if f)
    return sorted(files)


def _subject(d: dict, subj: dict) -> str | None:
    """The subject most plans state for the document (of its year), the
    shortest of equals."""
    cands = subj.get(fold_key(d.get("key") or ""), [])
    same_year = [s for y, s in cands if d.get("year") is None or y == d.get("year")] or [s for _, s in cands]
    if not same_year:
        return None
    counts = Counter(same_year)
    return min(counts, key=lambda s: (-counts[s], len(s), s))


def _short(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def cited_counts(G: nx.MultiDiGraph) -> Counter:
    """How many distinct plans or documents cite each node."""
    c = Counter()
    for v in G:
        c[v] = sum(1 for u in G.predecessors(v) if any(is_citation(d) for d in G[u][v].values()))
    return c


def validity_lines(G, d: dict) -> list[str]:
    """What the graph's relations say of a document's force (hiệu lực)."""
    out = []
    for field, word in (("replaced_by", "Replaced (thay thế) by"), ("repealed_by", "Repealed (bãi bỏ) by")):
        if d.get(field):
            out.append(f"{word} " + ", ".join(_name(G, a) if a in G else a for a in d[field]))
    if d.get("ended"):
        out.append(f"Not in force since {d['ended']}")
    if d.get("amended_by"):
        out.append("Amended (sửa đổi, bổ sung) by " + ", ".join(_name(G, a) if a in G else a for a in d["amended_by"]))
    return out


def _node_title(G, n: str, d: dict, t: str, cited: int, subj: dict) -> str:
    lines = []
    if "Document" in d.get("labels", ()):
        lines.append(d.get("key") or d.get("name") or n)
        types = ", ".join(d.get("doc_types") or []) or _vietnamese_names().get(t, "")
        lines.append(f"Type: {types} ({t})" if types else f"Type: {t}")
        if d.get("ingested"):
            lines.append(f"Plan: {d.get('name')}")
            if d.get("title"):
                lines.append(f"Subject: {_short(d['title'], 300)}")
            if d.get("status"):
                lines.append(f"Status: {d['status']}")
            lines.append(_province_line(d.get("province")))
            if d.get("source"):
                lines.append(f"Source: {d['source']}")
        lines += validity_lines(G, d)
        if d.get("dates"):
            lines.append("Date: " + ", ".join(d["dates"]))
        elif d.get("year"):
            lines.append(f"Year: {d['year']}")
        issuers = sorted(
            {
                G.nodes[v].get("name", v)
                for v in G.successors(n)
                if any(e.get("type") == "ISSUED_BY" for e in G[n][v].values())
            }
        )
        if not issuers:  # agencies left out of the view: the issuers the citations state
            issuers = sorted(
                {i for _, _, e in G.in_edges(n, data=True) if is_citation(e) for i in e.get("issuers", ()) if i}
            )
        if issuers:
            lines.append("Issuer: " + "; ".join(issuers))
        if not d.get("ingested"):
            s = _subject(d, subj)
            if s:
                lines.append(f"Subject: {_short(s, 300)}")
        lines.append(f"Cited by: {cited}")
    elif t == "Agency":
        lines += [d.get("name", n), f"Type: agency ({d.get('scope') or '?'})"]
        lines.append(_province_line(d.get("province")))
        held = _held_by(d)
        if held:
            lines.append(held)
        if d.get("aliases"):
            lines.append("Also written: " + "; ".join(d["aliases"][:6]))
    elif t == "Task":
        lines += [
            f"Task {d.get('section')}",
            _short(d.get("title"), 300),
            f"Plan: {G.nodes[d['plan']].get('name')}" if d.get("plan") in G else "",
        ]
    else:
        lines += [d.get("name", n), f"Type: {t}"]
    lines.append(f"id: {n}")
    return "\n".join(l for l in lines if l)


#: the pieces of evidence a tooltip lists (the rest are counted)
TOOLTIP_EVIDENCE = 6


def _edge_title(G, u: str, v: str, ds: list[dict]) -> str:
    """The relationships from ``u`` to ``v`` (one drawn edge), each with its
    Vietnamese name, how often the texts state it, and each statement: the
    clause, the plan and section it stands in."""
    names = []
    for d in ds:
        t = d.get("type")
        vi = scheme()["relationships"].get(t, {}).get("vi")
        names.append(f"{t}{f' ({vi})' if vi else ''}")
    lines = [f"{_name(G, u)} —{' + '.join(names)}→ {_name(G, v)}"]
    for name, d in zip(names, ds):
        n = d.get("occurrences", 1)
        count = f"{n} occurrence{'s' if n != 1 else ''}"
        lines.append(count if len(ds) == 1 else f"{name}: {count}")
        occ = occurrences(d)
        for e in occ[:TOOLTIP_EVIDENCE]:
            sp = e.get("source_plan")
            where = G.nodes[sp].get("name", sp) if sp in G else sp
            src = G.nodes[sp].get("source") if sp in G else None
            if e.get("context"):
                lines.append(f"“{_short(e['context'], 300)}”")
            if sp:
                lines.append(
                    f"  — {where}"
                    + (f" ({src})" if src else "")
                    + (f", section {e['section']}" if e.get("section") else "")
                    + (f"; as written: {e['text']}" if e.get("text") and is_citation(d) else "")
                )
        if len(occ) > TOOLTIP_EVIDENCE:
            lines.append(f"… and {len(occ) - TOOLTIP_EVIDENCE} more")
    return "\n".join(lines)


def _name(G, n: str) -> str:
    d = G.nodes[n]
    return d.get("key") if d.get("key") and not d.get("ingested") else d.get("name", n)


def _label(d: dict, n: str, t: str) -> str:
    if t == "Task":
        return d.get("section") or "task"
    if d.get("key") and not d.get("ingested"):
        return d["key"]
    return d.get("name") or n


def _province_line(province: str | None) -> str:
    """A tooltip's province, with how today's holds it: "Province: Yên Bái
    (Yên Bái, merged into Lào Cai on 2025-07-01)"; "" without one."""
    from .lineage import note, unit_on

    if not province:
        return ""
    steps = unit_on(province)[1]
    return f"Province: {province}" + (f" {note(province, steps)}" if steps else "")


def _held_by(d: dict) -> str:
    """Which body holds an agency's work today (lineage.md), or "": "Today:
    Sở Khoa học và Công nghệ tỉnh Lào Cai (since 2025-07-01, 202/2025/QH15)"."""
    from .lineage import agency_on

    steps = agency_on(d.get("name", ""), d.get("province"))[2] if d.get("name") else []
    if not steps:
        return ""
    last = steps[-1]
    return f"Today: {last['successor']} (since {last['since']}, {last['act']})"


def _provinces(G, n: str, d: dict) -> list[str]:
    """The provinces the page's filter finds a node under: those of the texts
    that state it, as written and as today's provinces hold them (a Yên Bái
    2024 plan is found under Lào Cai too)."""
    from .lineage import unit_on

    ps = {G.nodes[p].get("province") for p in d.get("sources", ()) if p in G}
    if d.get("province"):
        ps.add(d["province"])
    ps.discard(None)
    return sorted(ps | {unit_on(p)[0] for p in ps})


#: node types that are not documents: behind the page's toggle in a view
#: without a focus, which opens on documents only
OTHER_TYPES = ("Agency", "Task", "Province")


def cluster_key(H: nx.MultiDiGraph, n: str) -> str | None:
    """The province a node is clustered under (see :func:`to_html`): the
    one province of the texts that state it (as written), a plan's own, a
    province node's name; None for a node the texts of several provinces
    state (a national decree cited across provinces), or of none.

    >>> from cancu.graph.query import example_graph
    >>> G = example_graph()
    >>> cluster_key(G, "doc:57-kl/tw"), cluster_key(G, "doc:3017/kh-ubnd@2024@phu-tho")
    (None, 'Phú Thọ')
    """
    d = H.nodes[n]
    if "Province" in d.get("labels", ()):
        return d.get("name")
    ps = {H.nodes[p].get("province") for p in d.get("sources", ()) if p in H}
    if d.get("province"):
        ps.add(d["province"])
    ps.discard(None)
    return next(iter(ps)) if len(ps) == 1 else None


def _pairs(H: nx.MultiDiGraph) -> list[tuple[str, str, list[dict]]]:
    """The relationships of ``H`` by ordered pair of nodes, each pair's in
    the order of :data:`~graph.model.EDGE_TYPES`, pairs sorted."""
    by: dict[tuple[str, str], list[dict]] = {}
    for u, v, d in H.edges(data=True):
        by.setdefault((u, v), []).append(d)
    rank = {t: i for i, t in enumerate(EDGE_TYPES)}
    return [
        (u, v, sorted(ds, key=lambda d: (rank.get(d.get("type"), 99), str(d.get("type")))))
        for (u, v), ds in sorted(by.items())
    ]


def to_network(H: nx.MultiDiGraph, subj: dict | None = None, height: str = "100vh", documents_only: bool = False):
    """``H`` as a styled pyvis ``Network``: one vis node per node and one
    vis edge per pair of nodes (the relationships of every type from one
    node to another drawn as one edge, ``etypes`` listing them and its
    tooltip each with its evidence; ``etype`` the first), in sorted order,
    with tooltips (``title``) and the properties the page reads
    (``ntype``, ``provinces``, ``cluster``, ``base_color``, ``etypes``).
    ``documents_only`` hides the agencies, tasks and provinces
    (:data:`OTHER_TYPES`) and their relationships, out of the layout too
    (``physics`` false).

    >>> from cancu.graph.query import example_graph
    >>> H = select(example_graph(), focus="KL 57")
    >>> net = to_network(H)
    >>> len(net.nodes), len(net.edges) == len(_pairs(H)), net.nodes[0]["label"], net.nodes[0]["ntype"]
    (5, True, '3017/KH-UBND', 'Plan')
    """
    from pyvis.network import Network

    subj = subj or {}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    cited = cited_counts(H)
    focus = H.graph.get("focus")
    node_ids = sorted(H.nodes)
    hidden = set()
    for n in node_ids:
        d = H.nodes[n]
        t = node_type(d)
        shape, color = NODE_STYLE.get(t, NODE_STYLE["Document"])
        if t == "IngestedPlan":
            size = 28
        elif t in ("Task",):
            size = 7
        elif t in ("Agency", "Province"):
            size = 12
        else:
            size = 10 + 6 * math.sqrt(cited[n])
        opts = {}
        if d.get("status_in_force") in ("replaced", "repealed"):  # no longer in force: a dashed border
            opts = {"shapeProperties": {"borderDashes": [4, 3]}, "borderWidth": 3, "in_force": False}
        if n == focus:
            opts.update({"borderWidth": 4, "color": {"background": color, "border": "#000000"}})
        if documents_only and t in OTHER_TYPES:
            hidden.add(n)
            opts.update({"hidden": True, "physics": False})
        color = opts.pop("color", color)
        net.add_node(
            n,
            label=_short(_label(d, n, t), 40),
            shape=shape,
            color=color,
            base_color=color,
            size=round(size, 1),
            title=_node_title(H, n, d, t, cited[n], subj),
            ntype=t,
            provinces=_provinces(H, n, d),
            cluster=cluster_key(H, n),
            cited=cited[n],
            **opts,
        )
    for i, (u, v, ds) in enumerate(_pairs(H)):
        types = [d.get("type") or "?" for d in ds]
        occ = sum(d.get("occurrences", 1) for d in ds)
        sp = next((p for d in ds for p in (d.get("source_plans") or [])), None)
        extra = {"width": round(1.2 + math.log2(occ), 2), "occurrences": occ}
        if u in hidden or v in hidden:
            extra.update({"hidden": True, "physics": False})
        color = EDGE_COLORS.get(types[0], "#999999")
        net.add_edge(
            u,
            v,
            id=f"e{i}",
            label=" + ".join(types),
            title=_edge_title(H, u, v, ds),
            color=color,
            base_color=color,
            etype=types[0],
            etypes=types,
            eprovince=(H.nodes[sp].get("province") if sp in H else None),
            **extra,
        )
    return net


# -- the page ------------------------------------------------------------------


def _options(n_nodes: int) -> dict:
    """vis-network options for ``n_nodes`` nodes shown: seeded layout,
    Barnes-Hut physics that stabilises in fewer iterations as the graph
    grows (and, beyond a few dozen nodes, pulls its many small components
    closer together, so that the view is not mostly white space), straight
    edges and no edge-drag redraws on large graphs."""
    big = n_nodes > 1000
    small = n_nodes <= 60
    return {
        "layout": {"randomSeed": SEED, "improvedLayout": n_nodes <= 150},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000 if small else -3000,
                "centralGravity": 0.25 if small else 0.8,
                "springLength": 140 if small else 100,
                "springConstant": 0.04,
                "damping": 0.3,
                "avoidOverlap": 0.1,
            },
            "stabilization": {
                "enabled": True,
                "iterations": int(max(100, min(1000, 200000 / max(n_nodes, 1)))),
                "updateInterval": 25,
                "fit": True,
            },
            "minVelocity": 1.0,
        },
        "nodes": {"font": {"size": 14, "face": "DejaVu Sans, Arial, sans-serif"}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 2},
            "smooth": False,
            "width": 1.2,
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


def _asset(rel: str) -> str:
    import pyvis

    text = (Path(pyvis.__file__).parent / "templates" / rel).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


def _json(obj) -> str:
    """JSON safe inside a <script> element."""
    return (
        json.dumps(obj, ensure_ascii=False, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


#: beyond this many nodes shown, the page clusters them by province, then by type
CLUSTER_AT = 300


def to_html(
    H: nx.MultiDiGraph,
    title: str = "cancu graph",
    subj: dict | None = None,
    documents_only: bool | None = None,
    cluster_at: int = CLUSTER_AT,
) -> str:
    """The page of ``H``: one HTML document with no external resource
    (vis-network's script and style inlined from pyvis's bundled copy), the
    graph, a legend (``#legend``) of the node and relationship types drawn,
    and a search and filter panel (``#controls``: by text, type, province,
    relationship). The same graph gives the same bytes.

    A view without a focus opens on documents only (``documents_only``, by
    default when ``H`` has no focus): the checkbox ``#show-others`` shows the
    agencies, tasks and provinces. When more than ``cluster_at`` nodes
    (:data:`CLUSTER_AT`) are shown, the page draws the nodes of one province (:func:`cluster_key`)
    as one cluster node, and if that still leaves too many, the rest by type;
    a double click opens a cluster. A search selects the matching nodes and
    dims all but them and their neighbours.

    >>> from cancu.graph.query import example_graph
    >>> import re
    >>> page = to_html(select(example_graph(), focus="KL 57"), "KL 57")
    >>> re.findall(r"<script[^>]*\\ssrc=|<link[^>]*\\shref=", page), 'id="legend"' in page
    ([], True)
    """
    import html as _html

    if documents_only is None:
        documents_only = H.graph.get("focus") is None
    net = to_network(H, subj, documents_only=documents_only)
    nodes, edges, _heading, _height, _width, _options_json = net.get_network_data()
    types_present = Counter(n["ntype"] for n in nodes)
    rels_present = Counter(t for e in edges for t in e["etypes"])
    order = list(NODE_STYLE)
    node_legend = [
        {
            "type": t,
            "caption": type_caption(t),
            "shape": NODE_STYLE.get(t, NODE_STYLE["Document"])[0],
            "color": NODE_STYLE.get(t, NODE_STYLE["Document"])[1],
            "count": types_present[t],
        }
        for t in sorted(types_present, key=lambda t: (order.index(t) if t in order else 99, t))
    ]
    edge_legend = [
        {
            "type": t,
            "caption": f"{t} ({vi})" if (vi := scheme()["relationships"].get(t, {}).get("vi")) else t,
            "color": EDGE_COLORS.get(t, "#999999"),
            "count": rels_present[t],
        }
        for t in sorted(rels_present, key=lambda t: (EDGE_TYPES.index(t) if t in EDGE_TYPES else 99, t))
    ]
    provinces = sorted({p for n in nodes for p in n.get("provinces", ())})
    page = _TEMPLATE.read_text(encoding="utf-8")
    parts = {
        "TITLE": _html.escape(title),
        "VIS_CSS": _asset("lib/vis-9.1.2/vis-network.css"),
        "VIS_JS": _asset("lib/vis-9.1.2/vis-network.min.js"),
        "NODES": _json(nodes),
        "EDGES": _json(edges),
        "OPTIONS": _json(_options(sum(1 for n in nodes if not n.get("hidden")))),
        "NODE_LEGEND": _json(node_legend),
        "EDGE_LEGEND": _json(edge_legend),
        "PROVINCES": _json(provinces),
        "SUMMARY": _html.escape(f"{len(nodes)} nodes, {H.number_of_edges()} relationships"),
        "SHOW_OTHERS": "" if documents_only else " checked",
        "CLUSTER_AT": str(int(cluster_at)),
        "FOCUS": _json(H.graph.get("focus")),
        "TYPE_CAPTIONS": _json({t: type_caption(t) for t in types_present}),
    }
    # one pass, so that nothing substituted is substituted again
    import re

    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], page)


def write_html(
    H: nx.MultiDiGraph, out: str | os.PathLike, title: str = "cancu graph", subj: dict | None = None
) -> dict:
    """Write the page of ``H`` to ``out``; returns ``{"path", "nodes",
    "edges", "bytes"}``."""
    page = to_html(H, title, subj)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(page, encoding="utf-8")
    return {
        "path": str(out),
        "nodes": H.number_of_nodes(),
        "edges": H.number_of_edges(),
        "bytes": len(page.encode("utf-8")),
    }


def view(
    G: nx.MultiDiGraph,
    out: str | os.PathLike,
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    province: str | None = None,
    year: int | None = None,
    subj: dict | None = None,
    max_nodes: int = MAX_NODES,
    records: Callable[[list[str]], Iterable[dict]] | None = None,
) -> dict:
    """:func:`select`, then :func:`write_html`, refusing (:class:`ViewTooLarge`)
    a view of more than ``max_nodes`` nodes; what ``cancu viz`` does.

    The cited documents' subjects come from ``subj`` (:func:`subjects`), or,
    without it, from ``records(files)``: the extraction records of the
    :func:`citing_sources` of the view (``read_records(store, only=files)``)."""
    H = select(G, focus=focus, depth=depth, province=province, year=year)
    if H.number_of_nodes() > max_nodes:
        raise ViewTooLarge(H.number_of_nodes(), max_nodes)
    if subj is None and records is not None:
        subj = subjects(records(citing_sources(G, H)))
    bits = [
        x
        for x in (
            f"focus {focus} (depth {depth})" if focus else "",
            province or "",
            str(year) if year is not None else "",
        )
        if x
    ]
    title = "cancu: " + (", ".join(bits) if bits else "the whole graph")
    report = write_html(H, out, title, subj)
    report["focus"] = H.graph.get("focus")
    return report
