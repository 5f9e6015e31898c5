"""Lineage of provinces and agencies (lịch sử đơn vị hành chính, cơ quan)
in the graph: which unit became which, when, by what act. Provinces from the
reviewed table of ``extractors/data/self_layout.json``
(``province_changes``), which ``tests/test_lineage.py`` checks against the
texts of the corpus; ministries and provincial departments from
``extractors/data/agency_lineage.json``, whose every quote the same test
finds at its offsets.

Relationships ``MERGED_INTO`` (sáp nhập vào) and ``RENAMED_TO`` (đổi tên
thành) go from a ``Province`` to its successor, with ``since`` (the day the
successor's government began), ``act`` (the resolution) and ``sources``
(the corpus files stating it). :func:`unit_on` maps a province to the one
that holds it on a date, :func:`agency_on` an agency to the body that holds
its work then: a provincial department first through its own merger, then
through its province's (Sở Thông tin và Truyền thông tỉnh Yên Bái →
Sở Khoa học và Công nghệ tỉnh Yên Bái on 1 March 2025 → Sở Khoa học và Công
nghệ tỉnh Lào Cai on 1 July 2025).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import networkx as nx

from ..extractors.lineage import MERGED_INTO, SPLIT_INTO
from ..extractors.vocabulary import fold, load_data
from .ids import agency_id, province_id, slug

RENAMED_TO = "RENAMED_TO"
#: the relationships of the lineage, from a unit to its successor
LINEAGE_TYPES = (MERGED_INTO, RENAMED_TO, SPLIT_INTO)


@lru_cache(maxsize=1)
def province_changes() -> tuple[dict, ...]:
    """Every provincial change: ``{unit, kind, successor, since, act, sources}``,
    sorted by date and unit.

    >>> [c for c in province_changes() if c["unit"] == "Yên Bái"][0]["successor"]
    'Lào Cai'
    """
    pc = load_data("self_layout.json")["province_changes"]
    out = []
    for r in pc["renamed"]:
        out.append(
            {
                "unit": r["from"],
                "kind": RENAMED_TO,
                "successor": r["to"],
                "since": r["since"],
                "act": r.get("act"),
                "sources": [r["source"]] if r.get("source") else [],
            }
        )
    for successor, merged in pc["merged"].items():
        for unit in merged:
            out.append(
                {
                    "unit": unit,
                    "kind": MERGED_INTO,
                    "successor": successor,
                    "since": pc["merged_since"],
                    "act": pc.get("merged_act"),
                    "sources": list(pc.get("merged_sources", [])),
                }
            )
    return tuple(sorted(out, key=lambda c: (c["since"], c["unit"])))


def _by_unit() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in province_changes():
        out.setdefault(fold(c["unit"]), []).append(c)
    return out


def unit_on(province: str, on: str | date | None = None) -> tuple[str, list[dict]]:
    """The province that holds ``province`` on the day ``on`` (ISO date;
    default: today), and the changes that led there.

    >>> unit_on("Yên Bái", "2026-01-01")[0], unit_on("Yên Bái", "2025-01-01")[0]
    ('Lào Cai', 'Yên Bái')
    >>> unit_on("Thừa Thiên Huế", "2026-01-01")[0]
    'Huế'
    """
    day = on if isinstance(on, str) else (on or date.today()).isoformat()
    steps, name, seen = [], province, set()
    while fold(name) not in seen:
        seen.add(fold(name))
        nxt = [c for c in _by_unit().get(fold(name), []) if c["since"] <= day]
        if not nxt:
            break
        steps.append(nxt[0])
        name = nxt[0]["successor"]
    return name, steps


def note(province: str, steps: list[dict]) -> str:
    """How a unit reached today's: "(Yên Bái, merged into Lào Cai on 2025-07-01)"."""
    words = {MERGED_INTO: "merged into", RENAMED_TO: "renamed", SPLIT_INTO: "split into"}
    parts = [f"{words[s['kind']]} {s['successor']} on {s['since']}" for s in steps]
    return f"({province}, " + ", then ".join(parts) + ")"


def _day(on: str | date | None) -> str:
    return on if isinstance(on, str) else (on or date.today()).isoformat()


@lru_cache(maxsize=1)
def agency_changes() -> tuple[dict, ...]:
    """Every change of a ministry or a provincial department:
    ``{scope, unit, kind, successor, since, act, decree, functions, sources}``
    (``sources`` the corpus files), sorted by date, scope and unit.

    >>> [(c["kind"], c["successor"]) for c in agency_changes() if c["unit"] == "Sở Thông tin và Truyền thông"]
    [('MERGED_INTO', 'Sở Khoa học và Công nghệ'), ('SPLIT_INTO', 'Sở Văn hóa, Thể thao và Du lịch')]
    """
    data = load_data("agency_lineage.json")
    out = []
    for c in data["changes"]:
        out.append(
            {
                "scope": c["scope"],
                "unit": c["unit"],
                "kind": c["kind"],
                "successor": c["successor"],
                "since": c["since"],
                "act": c["act"],
                "decree": c.get("decree"),
                "functions": c.get("functions"),
                "sources": sorted({s["file"] for s in c["sources"]}),
            }
        )
    return tuple(sorted(out, key=lambda c: (c["since"], c["scope"], c["unit"], c["kind"], c["successor"])))


def _agency_key(scope: str, name: str) -> tuple[str, str]:
    from ..extractors.agency_names import canonical_agency

    return scope, slug(canonical_agency(name)[0])


@lru_cache(maxsize=1)
def _agency_by_unit() -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    for c in agency_changes():
        out.setdefault(_agency_key(c["scope"], c["unit"]), []).append(c)
    return out


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    from ..extractors.selfinfo import cities

    return frozenset(fold(n) for n in cities())


def agency_label(name: str, province: str | None) -> str:
    """A body as people write it: "Sở Tài chính tỉnh Yên Bái", "Ủy ban nhân
    dân thành phố Hải Phòng", "Bộ Tài chính".

    >>> agency_label("Sở Tài chính", "Yên Bái"), agency_label("Ủy ban nhân dân thành phố", "Hải Phòng")
    ('Sở Tài chính tỉnh Yên Bái', 'Ủy ban nhân dân thành phố Hải Phòng')
    """
    if not province:
        return name
    if re.search(r"\b(?:tỉnh|thành phố)$", name):
        return f"{name} {province}"
    return f"{name} {'thành phố' if fold(province) in _cities() else 'tỉnh'} {province}"


def _in_city(name: str, province: str) -> str:
    # "Ủy ban nhân dân tỉnh" of a province merged into a city is the city's
    if fold(province) in _cities():
        return re.sub(r"\btỉnh$", "thành phố", name)
    return name


@lru_cache(maxsize=65536)
def _agency_steps(name: str, province: str | None, day: str) -> tuple[str, str | None, tuple[dict, ...]]:
    steps, seen = [], set()
    while (slug(name), fold(province or "")) not in seen:
        seen.add((slug(name), fold(province or "")))
        cands = []
        scope = "province" if province else "national"
        for c in _agency_by_unit().get(_agency_key(scope, name), []):
            if c["kind"] != SPLIT_INTO and c["since"] <= day:
                cands.append((c["since"], 0, c))
        if province:
            cands += [(c["since"], 1, c) for c in _by_unit().get(fold(province), []) if c["since"] <= day]
        if not cands:
            break
        _, what, c = min(cands, key=lambda x: (x[0], x[1]))
        if what == 0:
            new_name, new_prov = c["successor"], province
        else:
            new_name, new_prov = _in_city(name, c["successor"]), c["successor"]
        steps.append(
            {
                "unit": agency_label(name, province),
                "kind": c["kind"],
                "successor": agency_label(new_name, new_prov),
                "since": c["since"],
                "act": c["act"],
                "sources": list(c["sources"]),
                "from_id": agency_id(name, province),
                "from_name": name,
                "to_id": agency_id(new_name, new_prov),
                "to_name": new_name,
                "to_province": new_prov,
                "decree": c.get("decree"),
            }
        )
        name, province = new_name, new_prov
    return name, province, tuple(steps)


def agency_on(name: str, province: str | None, on: str | date | None = None) -> tuple[str, str | None, list[dict]]:
    """The body that holds the work of agency ``name`` (of ``province``, or
    national) on the day ``on`` (default: today): its name, its province and
    the changes that led there.

    >>> n, p, steps = agency_on("Sở Thông tin và Truyền thông", "Yên Bái", "2026-01-01")
    >>> n, p, [(s["successor"], s["since"], s["act"]) for s in steps]
    ('Sở Khoa học và Công nghệ', 'Lào Cai', [('Sở Khoa học và Công nghệ tỉnh Yên Bái', '2025-03-01', '45/2025/NĐ-CP'), \
('Sở Khoa học và Công nghệ tỉnh Lào Cai', '2025-07-01', '202/2025/QH15')])
    >>> [agency_on("Bộ Kế hoạch và Đầu tư", None, day)[0] for day in ("2025-02-28", "2025-03-01")]
    ['Bộ Kế hoạch và Đầu tư', 'Bộ Tài chính']
    >>> agency_on("Ủy ban nhân dân tỉnh", "Hải Dương", "2026-01-01")[:2]
    ('Ủy ban nhân dân thành phố', 'Hải Phòng')
    """
    n, p, steps = _agency_steps(name, province, _day(on))
    return n, p, [dict(s) for s in steps]


@lru_cache(maxsize=1)
def _ended_levels() -> tuple[dict, ...]:
    return tuple(load_data("agency_lineage.json")["ended"])


def level_ended(name: str, on: str | date | None = None) -> dict | None:
    """The level of government whose bodies ended by ``on`` that ``name``
    belongs to (the district level, cấp huyện, on 1 July 2025), or None.

    >>> level_ended("Ủy ban nhân dân các huyện, thị xã, thành phố", "2026-01-01")["since"]
    '2025-07-01'
    >>> level_ended("Ủy ban nhân dân các huyện, thị xã, thành phố", "2025-06-30") is None
    True
    """
    day = _day(on)
    for e in _ended_levels():
        words = "|".join(re.escape(w) for w in e["words"])
        if e["since"] <= day and re.search(rf"(?<!\w)(?:{words})(?!\w)", name, re.I):
            return {"level": e["level"], "what": e["what"], "since": e["since"], "act": e["act"]}
    return None


_LATE = "9999-12-31"


def _agency_node(G: nx.MultiDiGraph, nid: str, name: str, province: str | None) -> None:
    if nid not in G:
        attrs = {"labels": ["Agency"], "name": name, "scope": "province" if province else "national"}
        if province:
            attrs["province"] = province
        G.add_node(nid, **attrs)


def _change_edge(G: nx.MultiDiGraph, a: str, b: str, kind: str, change: dict, **extra) -> None:
    """One lineage relationship ``a`` → ``b`` with the change's date, act and sources."""
    if G.has_edge(a, b, key=kind):
        return
    if change.get("decree"):
        extra["decree"] = change["decree"]
    G.add_edge(
        a,
        b,
        key=kind,
        type=kind,
        occurrences=1,
        since=change["since"],
        act=change["act"],
        sources=list(change["sources"]),
        **extra,
    )


def _add_agency_lineage(G: nx.MultiDiGraph) -> None:
    todo = sorted(
        (n, d["name"], d.get("province"))
        for n, d in G.nodes(data=True)
        if "Agency" in d.get("labels", ()) and d.get("name") and not d.get("collective")
    )
    for _, name, prov in todo:
        _, _, steps = _agency_steps(name, prov, _LATE)
        for s in steps:
            _agency_node(G, s["to_id"], s["to_name"], s["to_province"])
            _change_edge(G, s["from_id"], s["to_id"], s["kind"], s)
        units = [(name, prov)] + [(s["to_name"], s["to_province"]) for s in steps]
        for uname, uprov in units:  # the parts of a unit's work that went elsewhere
            scope = "province" if uprov else "national"
            for c in _agency_by_unit().get(_agency_key(scope, uname), []):
                if c["kind"] == SPLIT_INTO:
                    b = agency_id(c["successor"], uprov)
                    _agency_node(G, b, c["successor"], uprov)
                    _change_edge(G, agency_id(uname, uprov), b, SPLIT_INTO, c, functions=c["functions"])


def add_lineage(G: nx.MultiDiGraph) -> None:
    """Add to ``G`` the lineage of every province and agency it holds: each
    successor a ``Province`` or ``Agency`` node, each change a relationship
    with its act and sources (and, for a part of an agency's work that went
    to another body, ``SPLIT_INTO`` with its ``functions``)."""
    _add_agency_lineage(G)
    todo = sorted(d["name"] for _, d in G.nodes(data=True) if "Province" in d.get("labels", ()) and d.get("name"))
    done = set()
    while todo:
        name = todo.pop(0)
        if fold(name) in done:
            continue
        done.add(fold(name))
        for c in _by_unit().get(fold(name), []):
            a, b = province_id(c["unit"]), province_id(c["successor"])
            for n, nm in ((a, c["unit"]), (b, c["successor"])):
                if n not in G:
                    G.add_node(n, labels=["Province"], name=nm)
            _change_edge(G, a, b, c["kind"], c)
            todo.append(c["successor"])


def lineage(name: str) -> list[dict]:
    """A unit's history: the changes that made it (its predecessors) and
    those that it went through (its successors), with their acts. ``name``
    is a province or an agency (a ministry, or a provincial department of
    every province).

    >>> [(r["unit"], r["kind"], r["successor"], r["act"]) for r in lineage("Lào Cai")]
    [('Yên Bái', 'MERGED_INTO', 'Lào Cai', '202/2025/QH15')]
    >>> [(r["unit"], r["kind"], r["functions"]) for r in lineage("Sở Khoa học và Công nghệ")]
    [('Sở Thông tin và Truyền thông', 'MERGED_INTO', None)]
    """
    f = fold(name)
    rows = [
        {**c, "functions": None, "sources": list(c["sources"])}
        for c in province_changes()
        if f in (fold(c["unit"]), fold(c["successor"]))
    ]
    keys = {_agency_key(s, name) for s in ("national", "province")}
    rows += [
        {k: c[k] for k in ("unit", "kind", "successor", "since", "act", "functions")} | {"sources": list(c["sources"])}
        for c in agency_changes()
        if _agency_key(c["scope"], c["unit"]) in keys or _agency_key(c["scope"], c["successor"]) in keys
    ]
    if not rows:
        from .errors import TargetNotFound

        raise TargetNotFound(name, [])
    return rows
