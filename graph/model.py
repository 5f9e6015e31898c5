"""The graph model (mô hình đồ thị): a networkx ``MultiDiGraph`` built from
extraction records.

Each record gives a *contribution* (:func:`contribution`): the nodes and
edges that one source text states. The graph is the merge of the
contributions (:func:`merge_attrs`, the one merge rule of node attributes), so that it depends only on the set of
records, never on their order, and a source's part can be replaced without
touching the others. Names follow Neo4j conventions: node ``labels``
(``Document`` + a subtype such as ``Plan`` or ``Decree``; ``Agency``,
``Province``, ``Task``) and edge ``type`` (``BASED_ON``, ``IMPLEMENTS`` ...).
See ``docs/schema.md``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache

import networkx as nx

from ..extractors.models import Citation, DocumentRecord
from ..extractors.vocabulary import fold, issued_with_regex, load_data, province_in
from .agencies import known_aliases, normalize_agency
from .ids import (
    agency_id,
    clean_key,
    document_id,
    fold_key,
    is_local_key,
    kind_of_key,
    needs_year,
    plan_id,
    province_id,
    split_key,
)
from .lineage import LINEAGE_TYPES, add_lineage

#: extraction relation → relationship type (the relations of the official
#: "Lược đồ": căn cứ, thực hiện, sửa đổi bổ sung, thay thế, bãi bỏ, hướng
#: dẫn; and nhắc đến for a mention)
REL_TYPES = {
    "based_on": "BASED_ON",
    "implements": "IMPLEMENTS",
    "amends": "AMENDS",
    "replaces": "REPLACES",
    "repeals": "REPEALS",
    "guides": "GUIDES",
    "mentions": "CITES",
}
#: relationship types of a citation (plan or document to document)
CITATION_TYPES = ("BASED_ON", "IMPLEMENTS", "AMENDS", "REPLACES", "REPEALS", "GUIDES", "CITES")
#: the decision or resolution that issues a document (ban hành kèm theo)
ISSUES = "ISSUES"
#: the types that end a document's force (hiệu lực)
ENDING_TYPES = ("REPLACES", "REPEALS")
#: the properties of a document that only a graph with such documents holds:
#: its own date and entry into force, and what the relations say of its force
VALIDITY_PROPERTIES = ("date", "effective", "ended", "status_in_force", "replaced_by", "repealed_by", "amended_by")


def is_citation(attrs: dict) -> bool:
    """Whether an edge is a citation (trích dẫn: căn cứ, thực hiện, sửa đổi,
    nhắc đến …) rather than an agency, task or province edge: the one test of
    it, given the edge's attributes.

    >>> is_citation({"type": "IMPLEMENTS"}), is_citation({"type": "LED_BY"})
    (True, False)
    """
    return attrs.get("type") in CITATION_TYPES


#: every relationship type
EDGE_TYPES = CITATION_TYPES + (
    ISSUES,
    "ISSUED_BY",
    "LED_BY",
    "SUPPORTED_BY",
    "HAS_TASK",
    "FOR_PROVINCE",
    "IN_PROVINCE",
    # the lineage of provinces (graph/lineage.py): sáp nhập, đổi tên, chia tách
    *LINEAGE_TYPES,
)
ROLE_TYPES = {"lead": "LED_BY", "support": "SUPPORTED_BY"}


@lru_cache(maxsize=1)
def _type_labels() -> tuple[dict, dict]:
    by_name, by_code = {}, {}
    for t in load_data("doc_types.json")["types"]:
        by_name.setdefault(t["name"].casefold(), t["label"])
        for c in t["codes"]:
            by_code.setdefault(c.casefold(), t["label"])
    return by_name, by_code


def subtype_label(doc_type: str | None, key: str | None = None, kind: str | None = None) -> str | None:
    """The subtype label of a document: from its type word, else from the type
    code in its key.

    >>> subtype_label("Kết luận"), subtype_label(None, "47/NQ-CP"), subtype_label(None, "3089/BTTTT-TTĐN")
    ('Conclusion', 'Resolution', 'OfficialLetter')
    """
    by_name, by_code = _type_labels()
    if doc_type and doc_type.casefold() in by_name:
        return by_name[doc_type.casefold()]
    if key:
        code = split_key(key)["type_code"]
        if code and code.casefold() in by_code:
            return by_code[code.casefold()]
        if (kind or kind_of_key(key)) == "official_letter":
            return "OfficialLetter"
    return None


def _labels(*labels: str | None) -> list[str]:
    return sorted({l for l in labels if l})


def _doc_node(key: str, kind: str, year: int | None, province: str | None, doc_type: str | None) -> dict:
    parts = split_key(key)
    node = {
        "labels": _labels("Document", subtype_label(doc_type, key, kind)),
        "spellings": [clean_key(key)],
        "kind": kind,
        "number": parts["number"],
        "type_code": parts["type_code"],
        "doc_types": [doc_type] if doc_type else [],
    }
    if parts["year"] is not None or needs_year(kind):
        node["year"] = parts["year"] if parts["year"] is not None else year
    if province and is_local_key(key):
        node["province"] = province
    return node


def contribution(record: DocumentRecord) -> tuple[str, dict[str, dict], list[tuple[str, str, str, dict]]]:
    """What one extraction record states: ``(plan id, nodes, edges)``.

    ``nodes`` maps node id → attributes; each edge is ``(from, to, key,
    attributes)`` with ``attributes["type"]`` its relationship type. Every
    edge carries ``source_plan``, the id of the ingested text that states it.

    >>> from cancu.extractors.pipeline import extract_text
    >>> rec = extract_text("KẾ HOẠCH\\nThực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị;\\n"
    ...                    "I. MỤC ĐÍCH\\n", "kh.txt")
    >>> pid, nodes, edges = contribution(rec)
    >>> sorted(nodes)[0], [(e[1], e[3]["type"]) for e in edges if e[1].startswith("doc:")][:2]
    ('agency:national:bo-chinh-tri', [('doc:57-kl/tw', 'BASED_ON'), ('doc:57-kl/tw', 'IMPLEMENTS')])
    """
    me = record.self
    prov, year, sha = me.province, me.year, record.sha256 or ""
    own_key = me.key
    if own_key:
        pid = document_id(own_key, kind_of_key(own_key), year, prov)
    else:
        pid = plan_id(prov, year, sha)
    nodes: dict[str, dict] = {}
    edges: list[tuple[str, str, str, dict]] = []

    def add(nid: str, attrs: dict) -> None:
        merge_attrs(nodes.setdefault(nid, {}), attrs)

    plan = {
        "labels": _labels("Document", subtype_label(me.doc_type, own_key)),
        "ingested": True,
        "source": record.source,
        "files": [record.source],
        "sha256": sha,
        "encoding": record.encoding,
        "chars": record.chars,
        "status": me.status,
        "title": me.title,
        "headline": None if me.title else record.headline,
        "signer": me.signer,
        "date": me.date,
        "effective": me.effective["date"] if me.effective else None,
        "doc_types": [me.doc_type] if me.doc_type else [],
    }
    if own_key:
        plan.update(_doc_node(own_key, kind_of_key(own_key), year, prov, me.doc_type))
    plan["year"] = year
    if prov:
        plan["province"] = prov
    add(pid, plan)
    base = {"source_plan": pid}
    if prov:
        add(province_id(prov), {"labels": ["Province"], "name": prov})
        edges.append((pid, province_id(prov), "FOR_PROVINCE", {"type": "FOR_PROVINCE", **base}))
    if me.issuer:
        ag_id = _agency(add, edges, me.issuer, prov, base, day=me.date)
        edges.append(
            (
                pid,
                ag_id,
                f"ISSUED_BY:{pid}:self",
                {"type": "ISSUED_BY", "issuer": me.issuer, "evidence": "self", **base},
            )
        )

    # citations
    by_key: dict[tuple[str, int | None], str] = {}
    by_start: dict[int, Citation] = {}
    for c in record.citations:
        cprov = prov
        if c.issuer and is_local_key(c.key) and "issuer" not in c.inherited:
            # the issuer's province as named on the cited text's date (Huế, a city from 2025)
            cprov = province_on_day(province_in(c.issuer), c.date) or prov
        did = document_id(c.key, c.kind, c.year, cprov)
        by_key.setdefault((fold_key(c.key), c.year), did)
        by_key.setdefault((fold_key(c.key), None), did)
        by_start[c.start] = c
        node = _doc_node(c.key, c.kind, c.year, cprov, c.doc_type)
        stated_date = c.date if "date" not in c.inherited else None
        stated_issuer = c.issuer if "issuer" not in c.inherited else None
        node["dates"] = [c.date] if c.date else []
        add(did, node)
        ev = {
            "context": c.context,
            "section": c.section,
            "start": c.start,
            "end": c.end,
            "text": c.text,
            "date": stated_date,
            "issuer": stated_issuer,
            "mention": c.mention,
            "cited_as": c.key,
            "doc_type": c.doc_type if not c.doc_type_inferred else None,
            **base,
        }
        for rel in c.relations:
            t = REL_TYPES[rel]
            edges.append((pid, did, f"{t}:{pid}:{c.start}", {"type": t, **ev}))
        if c.doc_type in _ISSUING_TYPES and issued_with_regex().search(c.context or ""):
            # "(Ban hành kèm theo Quyết định số ...)": that decision issues this text
            edges.append((did, pid, f"{ISSUES}:{pid}:{c.start}", {"type": ISSUES, **ev}))
        if stated_issuer:
            ag = _agency(add, edges, stated_issuer, cprov, base, day=c.date)
            edges.append(
                (
                    did,
                    ag,
                    f"ISSUED_BY:{pid}:{c.start}",
                    {
                        "type": "ISSUED_BY",
                        "issuer": stated_issuer,
                        "context": c.context,
                        "start": c.start,
                        "end": c.end,
                        "evidence": "citation",
                        **base,
                    },
                )
            )

    # a decision bound before the text's own one issues it
    for cd in me.contains:
        if cd.key and cd.doc_type in _ISSUING_TYPES:
            did = document_id(cd.key, kind_of_key(cd.key), year, prov)
            add(did, _doc_node(cd.key, kind_of_key(cd.key), year, prov, cd.doc_type))
            edges.append(
                (did, pid, f"{ISSUES}:{pid}:{cd.start}", {"type": ISSUES, "start": cd.start, "end": cd.end, **base})
            )

    # document-to-document links
    for l in record.links:
        ends = []
        for key, yr in ((l.from_, l.source_year), (l.to, l.target_year)):
            nid = by_key.get((fold_key(key), yr)) or by_key.get((fold_key(key), None))
            if nid is None:
                kind = kind_of_key(key)
                nid = document_id(key, kind, yr, prov)
                add(nid, _doc_node(key, kind, yr, prov, None))
            ends.append(nid)
        t = REL_TYPES[l.relation]
        outer = by_start.get(l.start)
        edges.append(
            (
                ends[0],
                ends[1],
                f"{t}:{pid}:{l.start}:{l.end}",
                {
                    "type": t,
                    "context": l.context,
                    "start": l.start,
                    "end": l.end,
                    "section": outer.section if outer else None,
                    "link": True,
                    **base,
                },
            )
        )

    # tasks and agencies; the generic collectives ("các sở, ban, ngành") are
    # Agency nodes too, marked ``collective``, so that the graph keeps who was
    # given each task while queries can keep them apart
    for m, collective in [*((m, False) for m in record.agencies), *((m, True) for m in record.collectives)]:
        tid = f"task:{pid}:{m.task or '-'}"
        add(tid, {"labels": ["Task"], "plan": pid, "section": m.task or "-", "title": m.task_title})
        edges.append((pid, tid, "HAS_TASK", {"type": "HAS_TASK", **base}))
        ag = _agency(add, edges, m.name, prov, base, m.text, collective, day=me.date)
        t = ROLE_TYPES.get(m.role, "SUPPORTED_BY")
        edges.append((tid, ag, f"{t}:{m.start}", {"type": t, "text": m.text, "start": m.start, "end": m.end, **base}))
    return pid, {nid: settled(attrs) for nid, attrs in nodes.items()}, edges


#: the types of document that issue another bound with them
_ISSUING_TYPES = ("Quyết định", "Nghị quyết")


def province_on_day(province: str | None, day: str | None) -> str | None:
    """``province`` as named on the ISO ``day`` (tỉnh Thừa Thiên Huế is thành
    phố Huế from 2025; a merged province is named after the one it joined
    from 1 July 2025), or as written without a day.

    >>> province_on_day("Thừa Thiên Huế", "2025-11-21"), province_on_day("Yên Bái", "2024-05-02")
    ('Huế', 'Yên Bái')
    """
    from datetime import date

    from ..extractors.selfinfo import province_on

    if not province or not day:
        return province
    return province_on(province, date.fromisoformat(day))


def _agency(
    add,
    edges,
    raw: str,
    province: str | None,
    base: dict,
    text: str | None = None,
    collective: bool = False,
    day: str | None = None,
) -> str:
    """The node of a body a text names, its province resolved to the unit of
    the text's ``day``: "Ủy ban nhân dân thành phố Huế" of 2025 is of Huế;
    the names as written stay in ``aliases`` and in the mentions."""
    a = normalize_agency(raw, province)
    if a["province"] and day:
        resolved = province_on_day(a["province"], day)
        if resolved != a["province"]:
            a = {**a, "province": resolved, "id": agency_id(a["name"], resolved)}
    aliases = set(known_aliases().get(a["name"], ()))
    for form in (a["alias"], text):
        if form and form != a["name"]:
            aliases.add(form)
    node = {"labels": ["Agency"], "name": a["name"], "scope": a["scope"], "aliases": sorted(aliases)}
    if collective:
        node["collective"] = True
    if a["province"]:
        node["province"] = a["province"]
        add(f"province:{a['id'].split(':')[1]}", {"labels": ["Province"], "name": a["province"]})
        edges.append((a["id"], f"province:{a['id'].split(':')[1]}", "IN_PROVINCE", {"type": "IN_PROVINCE", **base}))
    add(a["id"], node)
    return a["id"]


def merge_attrs(out: dict, new: dict) -> dict:
    """Merge the attribute map ``new`` into ``out`` (in place; returns
    ``out``) without depending on their order: the one merge rule of node
    attributes. List facts are gathered in sets (so that merging the n-th
    plan citing a document costs O(1), not O(n)), ``True`` wins, and of two
    different scalars the smaller is kept (facts that may conflict are lists,
    never scalars). :func:`settled` turns the sets into sorted lists.

    >>> a = merge_attrs({}, {"dates": ["2020-01-01"], "year": 2020, "ingested": None})
    >>> settled(merge_attrs(a, {"dates": ["2019-01-01"], "year": 2019, "ingested": True}))
    {'dates': ['2019-01-01', '2020-01-01'], 'year': 2019, 'ingested': True}
    """
    for k, v in new.items():
        old = out.get(k)
        if isinstance(v, list):
            if isinstance(old, set):
                old.update(v)
            elif old is None:
                out[k] = set(v)
            else:  # a scalar met a list: keep the list's meaning
                out[k] = set(v) | {old}
        elif old is None:
            out[k] = v
        elif isinstance(old, set):
            continue
        elif v is not None and v != old:
            out[k] = v if (isinstance(v, bool) and v) else min(old, v, key=lambda x: (str(type(x)), str(x)))
    return out


def settled(attrs: dict) -> dict:
    """``attrs`` with the sets of :func:`merge_attrs` made sorted lists.

    >>> settled({"labels": {"Plan", "Document"}, "year": 2024})
    {'labels': ['Document', 'Plan'], 'year': 2024}
    """
    return {k: sorted(v, key=str) if isinstance(v, set) else v for k, v in attrs.items()}


def finalize(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Derive the display attributes (``key``, ``name``) once every
    contribution is merged; returns ``G``.

    An ingested text keeps ``files`` (every path it was read from, sorted)
    only when more than one file holds it: two copies of one text are one
    document, and ``source`` names the first of them.

    >>> G = nx.MultiDiGraph(); G.add_node("plan:x", ingested=True, source="a.txt", files=["a.txt"])
    >>> G.add_node("plan:y", ingested=True, source="b.txt", files=["b.txt", "c/b.txt"])
    >>> G = finalize(G); "files" in G.nodes["plan:x"], G.nodes["plan:y"]["files"]
    (False, ['b.txt', 'c/b.txt'])
    """
    for _nid, d in G.nodes(data=True):
        files = {f for f in [*(d.pop("files", None) or ()), d.get("source")] if f}
        if len(files) > 1:
            d["files"] = sorted(files)
        labels = d.get("labels", [])
        if "Document" in labels:
            if d.get("spellings"):
                d["key"] = sorted(d["spellings"])[0]
            d["name"] = document_name(d)
        elif "Task" in labels:
            d["name"] = f"{d.get('section')} {d.get('title') or ''}".strip()
    return G


def document_name(d: dict) -> str:
    """The display name of a document node: its type and key; for an
    ingested text also its province, year and status, and when it has no
    number of its own, its title (or, for a text without one, its first
    line) shortened.

    >>> document_name({"doc_types": ["Kế hoạch"], "ingested": True, "province": "Thừa Thiên Huế",
    ...                "year": 2024, "status": "draft", "title": "Hoạt động thông tin đối ngoại năm 2024"})
    'Kế hoạch Thừa Thiên Huế 2024 (draft) — Hoạt động thông tin đối ngoại năm …'
    >>> document_name({"doc_types": ["Kết luận"], "key": "57-KL/TW"})
    'Kết luận 57-KL/TW'
    >>> document_name({"ingested": True, "headline": "Mục tiêu của Nghị quyết 57-NQ/TW là gì?"})
    'Văn bản — Mục tiêu của Nghị quyết 57-NQ/TW …'
    """
    dt = (d.get("doc_types") or ["Văn bản"])[0]
    parts = [dt]
    if d.get("key"):
        parts.append(d["key"])
    if d.get("ingested"):
        parts += [str(x) for x in (d.get("province"), d.get("year")) if x]
        if d.get("status") == "draft":
            parts.append("(draft)")
        title = d.get("title") or d.get("headline")
        if not d.get("key") and title and fold(title) != fold(dt):
            parts += ["—", short_title(title)]
    return " ".join(parts)


def short_title(title: str, width: int = 32) -> str:
    """A title cut after the word that reaches ``width`` characters, with
    "…"; one written in capitals is read in sentence case.

    >>> short_title("Phát triển kinh tế số và xã hội số tỉnh Đồng Nai năm 2025")
    'Phát triển kinh tế số và xã hội số …'
    >>> short_title("HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI")
    'Hoạt động thông tin đối ngoại'
    """
    t = " ".join(title.split())
    if t.isupper():
        t = t[:1] + t[1:].lower()
    if len(t) <= width:
        return t
    cut = t.find(" ", width)
    return t if cut < 0 else t[:cut].rstrip(",;:") + " …"


def build_graph(records: Iterable[DocumentRecord]) -> nx.MultiDiGraph:
    """The graph of a set of extraction records.

    A record may also be given as the dict of ``DocumentRecord.to_dict`` (as a
    store's ``sources/<id>.json`` holds it): it is read with
    ``DocumentRecord.from_dict``.

    >>> from cancu.extractors.pipeline import extract_text
    >>> rec = extract_text("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\n"
    ...                    "I. MỤC ĐÍCH\\n", "a.txt")
    >>> G = build_graph([rec])
    >>> G.nodes["doc:72/2015/nđ-cp"]["name"], sorted(G.nodes["doc:72/2015/nđ-cp"]["labels"])
    ('Nghị định 72/2015/NĐ-CP', ['Decree', 'Document'])
    """
    with no_cycle_collection():
        return _build(records)


@contextmanager
def no_cycle_collection():
    """Run a block with Python's cycle collector paused (and resumed after
    it, if it ran before).

    Building or loading a graph allocates millions of small objects and
    frees none of them: the collector, run again and again over a heap that
    only grows, took most of a build's time, and a third of loading a
    national store's graph (35 s → 24 s at 160,000 documents); nothing
    either makes forms a cycle to collect.

    >>> with no_cycle_collection():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _build(records: Iterable[DocumentRecord]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    pending: dict[str, dict] = {}  # node attributes, list facts kept as sets until the end
    # (from, to, type) → its occurrences by their key in the contribution (a
    # statement a text makes twice under one key, such as an agency's province
    # once per mention of the agency, is one occurrence)
    # (the facts of each occurrence are held as a tuple in the order of
    # EVIDENCE_LISTS, their strings shared: a national build holds millions)
    stated: dict[tuple[str, str, str], dict[str, tuple]] = {}
    pool: dict[str, str] = {}
    for rec in records:
        if isinstance(rec, dict):
            rec = DocumentRecord.from_dict(rec)
        pid, nodes, edges = contribution(rec)
        for nid, attrs in nodes.items():
            merge_attrs(pending.setdefault(nid, {}), {**attrs, "sources": [pid]})
        for u, v, k, attrs in edges:
            stated.setdefault((u, v, attrs["type"]), {})[k] = tuple(
                pool.setdefault(x, x) if type(x) is str else x for x in map(attrs.get, _FACTS)
            )
    del pool  # its strings are held by the statements; its table of millions of them is let go
    join_undated(pending, stated)
    # each statement is let go as soon as its relationship holds it: the two
    # forms of the graph are not both held whole at the end of a large build
    for nid in list(pending):
        G.add_node(nid, **settled(pending.pop(nid)))
    for u, v, t in sorted(stated):
        occ = stated.pop((u, v, t))
        facts = [{f: x for f, x in zip(_FACTS, occ[k]) if x is not None} for k in sorted(occ)]
        G.add_edge(u, v, key=t, **aggregate(t, facts))  # their strings are shared already
    mark_validity(G)
    add_lineage(G)
    return finalize(G)


_YEAR_PART = re.compile(r"@\d{4}(?=@|$)")


def join_undated(pending: dict[str, dict], stated: dict[tuple[str, str, str], dict]) -> dict[str, str]:
    """Read an undated citation of a year-less designator ("Nghị quyết số
    71/NQ-CP", no date) as the one dated document of that designator the
    graph holds (``doc:71/nq-cp@2025``): its node's facts and relationships
    move there. Where the graph holds several dated documents of the
    designator (a true ambiguity) or none, the undated node stays apart
    (``cancu check`` reports it as ``unresolved``). An ingested text keeps
    its own node. Changes ``pending`` (node id → attributes) and ``stated``
    ((from, to, type) → occurrences) in place; returns undated id → dated id.

    >>> pending = {"doc:71/nq-cp": {"spellings": {"71/NQ-CP"}}, "doc:71/nq-cp@2025": {"year": 2025},
    ...            "plan:x": {"ingested": True}}
    >>> stated = {("plan:x", "doc:71/nq-cp", "CITES"): {"k1": ()}, ("plan:x", "doc:71/nq-cp@2025", "CITES"): {"k2": ()}}
    >>> join_undated(pending, stated), sorted(pending), stated
    ({'doc:71/nq-cp': 'doc:71/nq-cp@2025'}, ['doc:71/nq-cp@2025', 'plan:x'], \
{('plan:x', 'doc:71/nq-cp@2025', 'CITES'): {'k2': (), 'k1': ()}})
    """
    dated: dict[str, list[str]] = {}
    for nid in pending:
        if nid.startswith("doc:") and _YEAR_PART.search(nid):
            dated.setdefault(_YEAR_PART.sub("", nid, count=1), []).append(nid)
    moved = {u: ds[0] for u, ds in dated.items() if len(ds) == 1 and u in pending and not pending[u].get("ingested")}
    if not moved:
        return moved
    for u, d in sorted(moved.items()):
        undated = pending.pop(u)
        undated.pop("year", None)  # the dated node's year is the document's
        merge_attrs(pending[d], undated)
    for a, b, t in sorted(k for k in stated if k[0] in moved or k[1] in moved):
        occ = stated.pop((a, b, t))
        stated.setdefault((moved.get(a, a), moved.get(b, b), t), {}).update(occ)
    return moved


#: the facts of one occurrence (a key of a contribution's edge) → the list
#: that keeps it on the relationship, in step with the others
EVIDENCE_LISTS = {
    "source_plan": "source_plans",
    "section": "sections",
    "context": "contexts",
    "start": "starts",
    "end": "ends",
    "text": "texts",
    "date": "dates",
    "issuer": "issuers",
    "cited_as": "cited_as",
    "doc_type": "cited_types",
    "mention": "mention_forms",
    "evidence": "evidence_kinds",
    "link": "links",
}
_LISTS = tuple(EVIDENCE_LISTS.items())
#: the facts of an occurrence that its relationship keeps (aggregate reads no others)
_FACTS = tuple(EVIDENCE_LISTS)
#: what stands for a fact an occurrence does not state (Neo4j lists hold no nulls)
_MISSING = {"start": -1, "end": -1, "link": False}


def _order(e: dict) -> tuple:
    return (e.get("source_plan") or "", e.get("start") if e.get("start") is not None else -1, e.get("end") or -1)


def shared(attrs: dict, pool: dict[str, str]) -> dict:
    """``attrs`` with each string of its lists replaced by the equal one in
    ``pool`` (added when new): the plan ids, sections, types, issuers and
    sentences that thousands of relationships repeat are held once.

    >>> pool = {}
    >>> a, b = shared({"sections": ["I.1"]}, pool), shared({"sections": ["I" + ".1"]}, pool)
    >>> a["sections"][0] is b["sections"][0]
    True
    """
    for k, v in attrs.items():
        if type(v) is list:
            attrs[k] = [pool.setdefault(x, x) if type(x) is str else x for x in v]
    return attrs


def aggregate(rel_type: str, occ: list[dict]) -> dict:
    """One relationship of ``rel_type`` from its occurrences (each the
    attributes of one statement in one text): ``occurrences`` (their count)
    and, for each fact they state, a list kept in step with the others, in
    the order of (source plan, offset) — ``source_plans``, ``sections``,
    ``contexts``, ``starts``/``ends`` … (:data:`EVIDENCE_LISTS`). A fact an
    occurrence does not state is ``""`` (``-1`` for an offset, ``False`` for
    ``links``); a list no occurrence fills is left out.
    :func:`occurrences` gives the occurrences back.

    >>> r = aggregate("IMPLEMENTS", [{"type": "IMPLEMENTS", "source_plan": "p2", "start": 5, "context": "b"},
    ...                              {"type": "IMPLEMENTS", "source_plan": "p1", "start": 9, "section": "I.1"}])
    >>> r["occurrences"], r["source_plans"], r["starts"], r["sections"], r["contexts"]
    (2, ['p1', 'p2'], [9, 5], ['I.1', ''], ['', 'b'])
    """
    if len(occ) == 1:  # most relationships: one statement
        out = {"type": rel_type, "occurrences": 1}
        e = occ[0]
        for one, many in _LISTS:
            x = e.get(one)
            if x is not None and x != "":
                out[many] = [x]
        return out
    occ = sorted(occ, key=_order)  # stable: equal positions keep their given order
    out = {"type": rel_type, "occurrences": len(occ)}
    present = set().union(*occ)
    for one, many in _LISTS:
        if one not in present:
            continue
        values = [e.get(one) for e in occ]
        if all(x is None or x == "" for x in values):
            continue
        miss = _MISSING.get(one, "")
        out[many] = [miss if x is None else x for x in values]
    return out


def occurrences(d: dict) -> list[dict]:
    """The per-occurrence view of a relationship (one dict per statement, in
    the order of its evidence lists, with the singular names of
    :data:`EVIDENCE_LISTS` and None for what it does not state): what
    ``cancu annotate`` and the evidence columns read.

    >>> occurrences({"type": "CITES", "occurrences": 1, "source_plans": ["p"], "starts": [-1]})
    [{'type': 'CITES', 'source_plan': 'p', 'start': None}]
    """
    rel_type = d.get("type")
    # the lists the relationship holds, found once (not once per occurrence)
    columns = [(one, d[many], one in ("start", "end")) for one, many in _LISTS if many in d]
    out = []
    for i in range(d.get("occurrences", 0)):
        e = {"type": rel_type}
        for one, values, offset in columns:
            v = values[i]
            e[one] = None if (v == "" or (offset and v == -1)) else v
        out.append(e)
    return out


def document_date(d: dict) -> str | None:
    """A document node's date: its own (an ingested text's), else the earliest
    the texts citing it give.

    >>> document_date({"dates": ["2016-10-19", "2012-10-19"]}), document_date({"date": "2025-11-19"})
    ('2012-10-19', '2025-11-19')
    """
    return d.get("date") or min(d.get("dates") or [None], key=lambda x: x or "")


def acting_date(d: dict) -> str | None:
    """When a document node acted on others: its own entry into force, else
    its date (:func:`document_date`)."""
    return d.get("effective") or document_date(d)


def mark_validity(G: nx.MultiDiGraph) -> None:
    """Mark what the graph's own relations say of each document's force
    (hiệu lực): ``replaced_by`` / ``repealed_by`` (the acting documents, by
    id), ``ended`` (the earliest date one of them acted, when known),
    ``status_in_force`` (``replaced``, ``repealed`` or ``amended``) and
    ``amended_by``. Nothing is inferred beyond relations stated in the
    ingested texts; each of them keeps its evidence on its relationship."""
    for u, v, t in G.edges(keys=True):
        if t in ("REPLACES", "REPEALS", "AMENDS"):
            field = {"REPLACES": "replaced_by", "REPEALS": "repealed_by", "AMENDS": "amended_by"}[t]
            G.nodes[v].setdefault(field, []).append(u)
    for _n, d in G.nodes(data=True):
        for field in ("replaced_by", "repealed_by", "amended_by"):
            if field in d:
                d[field] = sorted(set(d[field]))
        enders = d.get("replaced_by", []) + d.get("repealed_by", [])
        if enders:
            dates = sorted(x for x in (acting_date(G.nodes[a]) for a in enders) if x)
            if dates:
                d["ended"] = dates[0]
            d["status_in_force"] = "replaced" if d.get("replaced_by") else "repealed"
        elif d.get("amended_by"):
            d["status_in_force"] = "amended"
