"""Data-quality report (kiểm tra dữ liệu) over a graph: facts that disagree,
and references that could not be resolved. Each finding names the plans and
quotes their sentences.

Kinds of finding:

* ``date_conflict``: one document cited with different dates; also a
  year-less designator (``3089/BTTTT-TTĐN``) cited with the same day and
  month in different years, which identity keeps apart but is most likely
  one letter with a wrong year;
* ``year_mismatch``: the year in the number contradicts the date
  (``22/2016/TT-BTTTT`` dated 19/10/2012);
* ``issuer_conflict``: one designator attributed to different issuers;
* ``unresolved``: a year-less designator cited without any date, so its
  year (part of its identity) is unknown;
* ``type_conflict``: one designator cited as documents of different types
  ("Nghị định" here, "Quyết định" there);
* ``relies_on_ended``: a plan based on or carrying out (căn cứ, thực hiện)
  a document that the graph shows replaced or repealed before the plan's
  own date;
* ``names_old_unit`` (information, not an error): a plan dated after a
  2025 merger that still names the old unit: its own province, its issuer
  or a task's lead (chủ trì), as texts do during a transition (a plan of
  May 2025 that gives a task to Sở Kế hoạch và Đầu tư, merged into Sở Tài
  chính on 1 March 2025), or a body of the district level after it ended.

Every finding has a ``level``: ``warning``, or ``information`` for
``names_old_unit``.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .model import is_citation, occurrences


def _citations(G: nx.MultiDiGraph, doc: str) -> list[dict]:
    """Every plan-to-document citation edge of ``doc`` that states facts."""
    out = []
    for u, _, d in G.in_edges(doc, data=True):
        if is_citation(d):
            out += [{**o, "plan": u} for o in occurrences(d) if not o.get("link")]
    return out


def _evidence(G, e: dict, value_key: str) -> dict:
    p = e["plan"]
    return {
        "value": e.get(value_key),
        "plan": p,
        "plan_name": G.nodes[p].get("name"),
        "source": G.nodes[p].get("source"),
        "section": e.get("section"),
        "context": e.get("context"),
        "start": e.get("start"),
        "end": e.get("end"),
    }


def _first_per_value(G, edges: list[dict], value_key: str) -> list[dict]:
    seen, out = set(), []
    for e in sorted(edges, key=lambda e: (str(e.get(value_key)), e["plan"], e.get("start", 0))):
        k = (e.get(value_key), e["plan"])
        if e.get(value_key) and k not in seen:
            seen.add(k)
            out.append(_evidence(G, e, value_key))
    return out


def check(G: nx.MultiDiGraph) -> list[dict]:
    """The findings, sorted by kind and key.

    >>> from cancu.graph.query import example_graph
    >>> check(example_graph())
    []
    """
    findings = []
    docs = sorted(n for n, d in G.nodes(data=True) if "Document" in d.get("labels", ()))
    by_letter = defaultdict(list)
    for n in docs:
        d = G.nodes[n]
        cits = _citations(G, n)
        if not cits:
            continue
        dated = [e for e in cits if e.get("date")]
        dates = sorted({e["date"] for e in dated})
        if len(dates) > 1:
            findings.append(
                {
                    "kind": "date_conflict",
                    "key": d.get("key"),
                    "nodes": [n],
                    "message": f"{d.get('key')} is cited with {len(dates)} dates: " + ", ".join(dates),
                    "evidence": _first_per_value(G, dated, "date"),
                }
            )
        year = None
        if d.get("kind") == "normative":
            from .ids import split_key

            year = split_key(d.get("key") or "")["year"]
        bad = [e for e in dated if year and int(e["date"][:4]) != year]
        if bad:
            findings.append(
                {
                    "kind": "year_mismatch",
                    "key": d.get("key"),
                    "nodes": [n],
                    "message": f"{d.get('key')} has {year} in its number but is dated "
                    + ", ".join(sorted({e["date"] for e in bad})),
                    "evidence": _first_per_value(G, bad, "date"),
                }
            )
        issuers = defaultdict(list)
        for _, ag, rel in G.out_edges(n, data=True):
            if rel.get("type") != "ISSUED_BY":
                continue
            for e in occurrences(rel):
                if e.get("evidence") == "citation":
                    issuers[ag].append({**e, "plan": e["source_plan"], "agency": G.nodes[ag].get("name")})
        if len(issuers) > 1:
            names = sorted({G.nodes[a].get("name") for a in issuers})
            if len(names) > 1:
                findings.append(
                    {
                        "kind": "issuer_conflict",
                        "key": d.get("key"),
                        "nodes": [n],
                        "message": f"{d.get('key')} is attributed to {len(names)} issuers: " + "; ".join(names),
                        "evidence": _first_per_value(G, [e for es in issuers.values() for e in es], "agency"),
                    }
                )
        if d.get("kind") in ("administrative", "official_letter"):
            if d.get("year") is None:
                findings.append(
                    {
                        "kind": "unresolved",
                        "key": d.get("key"),
                        "nodes": [n],
                        "message": f"{d.get('key')} is cited without a date: its year, part of its "
                        "identity, is unknown",
                        "evidence": [
                            _evidence(G, e, "date") for e in sorted(cits, key=lambda e: (e["plan"], e.get("start", 0)))
                        ][:5],
                    }
                )
            else:
                by_letter[(n.split("@")[0], "@".join(n.split("@")[2:]))].append(n)
    for (_base, _), nodes in sorted(by_letter.items()):
        if len(nodes) < 2:
            continue
        by_daymonth = defaultdict(list)
        for n in nodes:
            for e in _citations(G, n):
                if e.get("date"):
                    by_daymonth[e["date"][5:]].append(e)
        for _md, es in sorted(by_daymonth.items()):
            dates = sorted({e["date"] for e in es})
            if len(dates) > 1:
                key = G.nodes[nodes[0]].get("key")
                findings.append(
                    {
                        "kind": "date_conflict",
                        "key": key,
                        "nodes": sorted(nodes),
                        "message": f"{key} is cited with the same day and month in different years: "
                        + ", ".join(dates)
                        + " (kept as separate documents)",
                        "evidence": _first_per_value(G, es, "date"),
                    }
                )
    findings += _type_conflicts(G, docs) + _relies_on_ended(G)
    findings = [{"level": "warning", **f} for f in findings] + _names_old_unit(G)
    findings.sort(key=lambda f: (f["kind"], f["key"] or "", f["message"]))
    return findings


def _type_conflicts(G, docs: list[str]) -> list[dict]:
    out = []
    for n in docs:
        cits = [e for e in _citations(G, n) if e.get("doc_type")]
        types = sorted({e["doc_type"] for e in cits})
        if len(types) > 1:
            key = G.nodes[n].get("key")
            out.append(
                {
                    "kind": "type_conflict",
                    "key": key,
                    "nodes": [n],
                    "message": f"{key} is cited as {len(types)} types of document: " + ", ".join(types),
                    "evidence": _first_per_value(G, cits, "doc_type"),
                }
            )
    return out


def _dated_plans(G):
    """``(id, attributes, date)`` of each ingested text with its own date, by id."""
    for p, d in sorted(G.nodes(data=True)):
        if d.get("ingested") and d.get("date"):
            yield p, d, d["date"]


def _relies_on_ended(G) -> list[dict]:
    """Plans that rely on a document ended before their own date."""
    out = []
    for p, d, when in _dated_plans(G):
        for v in sorted(set(G.successors(p))):
            vd = G.nodes[v]
            ended = vd.get("ended")
            if not ended or ended >= when:
                continue
            for t in ("BASED_ON", "IMPLEMENTS"):
                if t not in G[p][v]:
                    continue
                enders = vd.get("replaced_by", []) + vd.get("repealed_by", [])
                by = ", ".join(G.nodes[a].get("key") or G.nodes[a].get("name", a) for a in enders)
                word = "replaced" if vd.get("replaced_by") else "repealed"
                relation = "based on" if t == "BASED_ON" else "carries out"
                evidence = [_evidence(G, {**occurrences(G[p][v][t])[0], "plan": p}, "date")]
                for a in enders:
                    for rt in ("REPLACES", "REPEALS"):
                        if rt in G[a][v]:
                            first = occurrences(G[a][v][rt])[0]
                            evidence.append(_evidence(G, {**first, "plan": first["source_plan"]}, "date"))
                out.append(
                    {
                        "kind": "relies_on_ended",
                        "key": vd.get("key"),
                        "nodes": [p, v],
                        "message": f"{d.get('name')} (dated {when}) is {relation} {vd.get('key')}, {word} by "
                        f"{by} since {ended}",
                        "evidence": evidence,
                    }
                )
    return out


def _names_old_unit(G) -> list[dict]:
    """Plans dated after a merger that still name the old unit (information)."""
    from ..extractors.vocabulary import fold, province_in
    from .lineage import agency_label, agency_on, level_ended, unit_on
    from .model import province_on_day

    out = []
    for p, d, when in _dated_plans(G):
        seen = set()
        tasks = sorted(t for t in G.successors(p) if "Task" in G.nodes[t].get("labels", ()))
        edges = [(p, ag, "ISSUED_BY", "issuer") for ag in sorted(G.successors(p)) if "ISSUED_BY" in G[p][ag]]
        edges += [(t, ag, "LED_BY", "lead") for t in tasks for ag in sorted(G.successors(t)) if "LED_BY" in G[t][ag]]
        for u, ag, t, what in edges:
            a = G.nodes[ag]
            if a.get("collective"):
                continue
            occ = [o for o in occurrences(G[u][ag][t]) if o.get("source_plan", p) == p]
            if not occ:
                continue
            first = occ[0]
            name, aprov = a.get("name", ""), a.get("province")
            written = first.get("issuer") or first.get("text") or name
            ended = level_ended(name, when)
            wprov = province_in(written)
            if ended:
                now, since, act = f"gone ({ended['what']} ended)", ended["since"], ended["act"]
            elif wprov and fold(wprov) in fold(written) and province_on_day(wprov, when) != wprov:
                steps = unit_on(wprov, when)[1]
                now, since, act = agency_label(name, aprov), steps[-1]["since"], steps[-1]["act"]
            else:
                now_name, now_prov, steps = agency_on(name, aprov, when)
                if not steps:
                    continue
                now, since, act = agency_label(now_name, now_prov), steps[0]["since"], steps[0]["act"]
            if (what, written) in seen:
                continue
            seen.add((what, written))
            context = first.get("context") or first.get("text") or written
            out.append(
                {
                    "level": "information",
                    "kind": "names_old_unit",
                    "key": d.get("name"),
                    "nodes": [p, ag],
                    "message": f"{d.get('name')} (dated {when}) names {written} as its {what}: "
                    f"since {since} ({act}) that is {now}",
                    "evidence": [_evidence(G, {**first, "plan": p, "value": written, "context": context}, "value")],
                }
            )
    return out
