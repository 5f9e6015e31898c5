"""Lineage of provinces (lịch sử đơn vị hành chính) in the graph: which
province became which, when, by what act. From the reviewed table of
``extractors/data/self_layout.json`` (``province_changes``), which
``tests/test_lineage.py`` checks against the texts of the corpus.

Relationships ``MERGED_INTO`` (sáp nhập vào) and ``RENAMED_TO`` (đổi tên
thành) go from a ``Province`` to its successor, with ``since`` (the day the
successor's government began), ``act`` (the resolution) and ``sources``
(the corpus files stating it). :func:`unit_on` maps a province to the one
that holds it on a date.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import networkx as nx

from ..extractors.lineage import MERGED_INTO, SPLIT_INTO
from ..extractors.vocabulary import fold, load_data
from .ids import province_id

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


def add_lineage(G: nx.MultiDiGraph) -> None:
    """Add to ``G`` the lineage of every province it holds: each successor a
    ``Province`` node, each change a relationship with its act and sources."""
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
            G.add_edge(
                a,
                b,
                key=c["kind"],
                type=c["kind"],
                occurrences=1,
                since=c["since"],
                act=c["act"],
                sources=c["sources"],
            )
            todo.append(c["successor"])


def lineage(name: str) -> list[dict]:
    """A unit's history: the changes that made it (its predecessors) and
    those that it went through (its successors), with their acts.

    >>> [(r["unit"], r["kind"], r["successor"], r["act"]) for r in lineage("Lào Cai")]
    [('Yên Bái', 'MERGED_INTO', 'Lào Cai', '202/2025/QH15')]
    """
    f = fold(name)
    rows = [c for c in province_changes() if f in (fold(c["unit"]), fold(c["successor"]))]
    if not rows:
        from .errors import TargetNotFound

        raise TargetNotFound(name, [])
    return [{**c, "sources": list(c["sources"])} for c in rows]
