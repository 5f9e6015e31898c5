"""The questions the graph answers (truy vấn). Each function takes the graph
first and returns rows: a sorted list of plain dicts carrying node ids
(``id``), display names and the evidence sentences, ready for JSON.

The examples use :func:`example_graph`: plan A (Yên Bái 2024) carries out
Kết luận 57 directly, plan B (Phú Thọ 2025) through 3017/KH-UBND → 47/NQ-CP.
"""

from __future__ import annotations

import difflib
import itertools
import logging
import re
from collections import Counter, deque
from dataclasses import dataclass, replace
from functools import lru_cache

import networkx as nx

from ..extractors.models import DocumentRecord
from ..extractors.vocabulary import fold, load_data, official_province, plain, unaccent
from .agencies import normalize_agency
from .errors import AmbiguousTarget, TargetNotFound
from .ids import fold_key, slug
from .model import CITATION_TYPES, acting_date, document_date, is_citation, occurrences

DEFAULT_DEPTH = 4
#: what carries a document out: IMPLEMENTS (thực hiện), and GUIDES (hướng
#: dẫn) where a guidance carries out the law it guides
CARRIES_OUT = ("IMPLEMENTS", "GUIDES")


@lru_cache(maxsize=1)
def _example_records() -> tuple[DocumentRecord, DocumentRecord]:
    from ..extractors.pipeline import extract_text

    a = extract_text(
        "KẾ HOẠCH\nThực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị;\nI. MỤC ĐÍCH\n", "a.txt"
    )
    a.self = replace(a.self, province="Yên Bái", year=2024)
    b = extract_text(
        "KẾ HOẠCH\nCăn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\nI. NHIỆM VỤ\n"
        "1. Tiếp tục triển khai thực hiện Kế hoạch số 3017/KH-UBND ngày 26/7/2024 của UBND tỉnh về "
        "việc thực hiện Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ về Chương trình hành "
        "động thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị.\n",
        "b.txt",
    )
    b.self = replace(b.self, province="Phú Thọ", year=2025)
    return a, b


def example_graph() -> nx.MultiDiGraph:
    """A two-plan graph for the examples.

    >>> G = example_graph()
    >>> sorted(plans(G))
    ['plan:phu-tho:2025:...', 'plan:yen-bai:2024:...']
    """
    from .model import build_graph

    return build_graph(_example_records())


# -- finding nodes -----------------------------------------------------------


@lru_cache(maxsize=1)
def _type_words() -> dict[str, frozenset]:
    """Type word or abbreviation, folded and typed without diacritics
    (:func:`~cancu.extractors.vocabulary.plain`: "nghi quyet", "nd") → type codes."""
    out: dict[str, set] = {}
    for t in load_data("doc_types.json")["types"]:
        codes = {c.casefold() for c in t["codes"]}
        out.setdefault(fold(t["name"]), set()).update(codes)
        for c in t["codes"]:
            out.setdefault(c.casefold(), set()).add(c.casefold())
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _plain_type_words() -> dict[str, frozenset]:
    """:func:`_type_words` by the words typed without diacritics."""
    out: dict[str, set] = {}
    for k, codes in _type_words().items():
        out.setdefault(plain(k), set()).update(codes)
    return {k: frozenset(v) for k, v in out.items()}


def _type_codes(words: str) -> tuple[frozenset | None, bool]:
    """The type codes a typed type word means and whether it was read
    loosely (without its diacritics, or with a small typo: "Ket luna" for
    Kết luận); ``(None, False)`` for no type word.

    >>> sorted(_type_codes("Nghi quyet")[0]), _type_codes("Nghi quyet")[1], _type_codes("KL")
    (['nq'], True, (frozenset({'kl'}), False))
    >>> sorted(_type_codes("Ket luna")[0]), _type_codes("Ket luna")[1]
    (['kl'], True)
    """
    words = words.strip()
    if not words:
        return None, False
    if fold(words) in _type_words():
        return _type_words()[fold(words)], False
    table = _plain_type_words()
    if plain(words) in table:  # typed without diacritics, or ND for NĐ
        return table[plain(words)], True
    close = difflib.get_close_matches(plain(words), [k for k in table if len(k) > 3], n=1, cutoff=0.8)
    return (table[close[0]], True) if close else (None, False)


#: a document typed by type and number: "Kết luận 57", "KL 57", "nghi dinh 72/2015",
#: "Nghị quyết 47 năm 2024", "kế hoạch 179 Đồng Nai" (read on the plain form)
_SPOKEN = re.compile(
    r"^(?P<type>[^\d]*?)\s*(?:so\s*)?(?P<num>\d+[a-z]?)(?:\s*/\s*(?P<y1>\d{4}))?(?P<rest>(?:[\s,@].*)?)$",
    re.I,
)
_REST_YEAR = re.compile(r"(?:^|[\s,@])(?:nam\s*)?(?P<year>(?:19|20)\d\d)(?!\d)")
_REST_FILLER = re.compile(r"\b(?:nam|cua|tinh|thanh pho|tp)\b|[\s,@.]+")

log = logging.getLogger(__name__)


def _index(G: nx.MultiDiGraph) -> dict:
    """Lookup tables of the graph, built once per graph object: documents by
    folded key, by key typed without diacritics, by the bare letters and
    digits of the key ("57kltw", for "57/KL-TW")."""
    idx = G.graph.get("_cancu_index")
    # the tables hold nodes only; networkx counts edges by walking them all, nodes at once
    if idx is None or idx[0] != G.number_of_nodes():
        by_key: dict[str, set] = {}
        by_plain: dict[str, set] = {}
        by_bare: dict[str, set] = {}
        docs = []
        for n, d in G.nodes(data=True):
            if "Document" in d.get("labels", ()):
                docs.append(n)
                for s in d.get("spellings", ()):
                    k = fold_key(s)
                    by_key.setdefault(k, set()).add(n)
                    by_plain.setdefault(unaccent(k), set()).add(n)
                    by_bare.setdefault(_bare(k), set()).add(n)
        idx = (G.number_of_nodes(), by_key, sorted(docs), by_plain, by_bare)
        G.graph["_cancu_index"] = idx
    return {"by_key": idx[1], "docs": idx[2], "by_plain": idx[3], "by_bare": idx[4]}


def _codes_of(d: dict) -> set[str]:
    """The type codes of a document node: the code in its key (``NĐ`` of
    72/2015/NĐ-CP) and those of its type names (``CV`` for a Công văn
    numbered 3089/BTTTT-TTĐN, ``KH`` for a Kế hoạch without a number)."""
    out = {(d.get("type_code") or "").casefold()} - {""}
    for t in d.get("doc_types", ()) or ():
        out |= _type_words().get(fold(t), frozenset())
    return out


def _bare(key: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unaccent(key.casefold()))


def _read(G, target: str, node: str, loose: bool) -> str:
    """``node``, said on the log when the typed ``target`` does not spell it
    (``cancu`` prints "reading 'Nghi quyet 57' as 57-NQ/TW")."""
    if loose:
        log.info("reading %r as %s", target, describe(G, node)["name"])
    return node


#: a document typed by type and number alone is the one meant when the texts
#: cite it this many times more often than any other of that type and number
CLEARLY_MEANT = 5


def citing_texts(G: nx.MultiDiGraph, n: str) -> int:
    """How many ingested texts cite document ``n``.

    >>> citing_texts(example_graph(), "doc:57-kl/tw")
    2
    """
    return sum(1 for u in set(G.predecessors(n)) if G.nodes[u].get("ingested") and u != n)


def _pick(G, target: str, found: set[str], year: int | None = None, loose: bool = False, spoken: bool = False) -> str:
    if year is not None and len(found) > 1:
        found = {n for n in found if G.nodes[n].get("year") == year} or found
    if len(found) == 1:
        return _read(G, target, next(iter(found)), loose)
    if not found:
        raise _not_found(G, target, _closest(G, target))
    if spoken:
        # "Nghị quyết 57": the one the texts cite far more than the others of that number
        counts = sorted(((citing_texts(G, n), n) for n in found), reverse=True)
        if counts[0][0] >= CLEARLY_MEANT * max(counts[1][0], 1):
            return _read(G, target, counts[0][1], True)
    raise _ambiguous(G, target, sorted(found))


def _of_graph(G, e):
    """``e`` carrying the graph its candidates are nodes of (for their names)."""
    e.graph = G
    return e


def _not_found(G, target: str, candidates: list[str], what: str = "document") -> TargetNotFound:
    return _of_graph(G, TargetNotFound(target, candidates, what=what))


def _ambiguous(G, target: str, candidates: list[str]) -> AmbiguousTarget:
    return _of_graph(G, AmbiguousTarget(target, candidates))


def _closest(G, target: str, n: int = 5) -> list[str]:
    idx = _index(G)
    names = {}
    for nid in idx["docs"]:
        d = G.nodes[nid]
        names.setdefault(plain(d.get("key") or d.get("name") or nid), nid)
    hits = difflib.get_close_matches(plain(target), list(names), n=n, cutoff=0.4)
    digits = re.findall(r"\d+", target)
    if digits:  # the same number under another type
        hits += [k for k in sorted(names) if re.match(re.escape(digits[0]) + r"\b", k) and k not in hits]
    return [names[h] for h in hits[:n]]


def find_document(G: nx.MultiDiGraph, target: str) -> str:
    """The node id of the document a person names, as people type it: a key
    (``57-KL/TW``, ``72/2015/ND-CP``, ``1191/QĐ-TTg@2020``), a type and
    number (``Kết luận 57``, ``KL 57``, ``kết luận số 57``, ``Nghi quyet 57``,
    ``nghi dinh 72/2015``, ``Nghị quyết 47 năm 2024``, ``kế hoạch 179 Đồng
    Nai``), a node id, or an ingested plan (see :func:`find_plan`). Case and
    diacritics do not matter (``ND`` for ``NĐ``, ``d`` for ``đ``), nor the
    separators of a key (``57/KL-TW``) or a small typo in a type word; a
    reading that is not the key as written is logged ("reading 'Nghi quyet
    57' as 57-NQ/TW", logger ``cancu.graph.query``).

    Raises :class:`TargetNotFound` (with the closest candidates) or
    :class:`AmbiguousTarget` (with every match).

    >>> G = example_graph()
    >>> [find_document(G, t) for t in ("Kết luận 57", "KL 57", "kết luận số 57", "57-kl/tw", "Ket luan 57")]
    ['doc:57-kl/tw', 'doc:57-kl/tw', 'doc:57-kl/tw', 'doc:57-kl/tw', 'doc:57-kl/tw']
    >>> find_document(G, "72/2015/ND-CP"), find_document(G, "nghi dinh 72/2015")
    ('doc:72/2015/nđ-cp', 'doc:72/2015/nđ-cp')
    >>> find_document(G, "Kết luận 58")
    Traceback (most recent call last):
    cancu.graph.errors.TargetNotFound: no document matches 'Kết luận 58'
    """
    t = re.sub(r"\s+", " ", target).strip()
    if t in G:
        return t
    idx = _index(G)
    m = re.match(r"^(.*?)\s*@\s*(\d{4})$", t)
    key_text, year = (m[1], int(m[2])) if m else (t, None)
    tail = re.search(r"\d.*", key_text)
    if (
        tail
        and re.search(r"[^\W\d_]", tail.group())
        and ("/" in tail.group() or re.search(r"\d+\s*[-–]\s*[^\W\d_]", tail.group()))
    ):
        k = fold_key(tail.group())
        for table, kk, loose in (
            ("by_key", k, False),
            ("by_plain", unaccent(k), True),
            ("by_bare", _bare(k), True),
        ):
            found = set(idx[table].get(kk, ()))
            if found:
                return _pick(G, target, found, year, loose)
        return _pick(G, target, set(), year)
    m = _SPOKEN.match(plain(t))
    if m:
        # plain() keeps the length of fold(): the type words as typed lie at the same place
        codes, typo = _type_codes(fold(t)[m.start("type") : m.end("type")])
        if m["type"].strip() and codes is None:
            return find_plan(G, target)
        rest = m["rest"]
        ym = _REST_YEAR.search(rest)
        y = int(ym["year"]) if ym else None
        rest = _REST_YEAR.sub(" ", rest)
        province = None
        if _REST_FILLER.sub("", rest):
            province = official_province(_REST_FILLER.sub(" ", rest).strip())
            if province is None:  # not a document's number: a plan's name, say
                return find_plan(G, target)
        found = set()
        for nid in idx["docs"]:
            d = G.nodes[nid]
            if d.get("number") != m["num"] or (codes and not codes & _codes_of(d)):
                continue
            if m["y1"] and d.get("year") != int(m["y1"]):
                continue
            if province and fold(d.get("province") or "") != fold(province):
                continue
            found.add(nid)
        loose = typo
        if not found and codes:
            near = [
                n for n in idx["docs"] if codes & _codes_of(G.nodes[n]) and (G.nodes[n].get("number") or "").isdigit()
            ]
            near.sort(key=lambda n: (abs(int(G.nodes[n]["number"]) - int(re.sub(r"\D", "", m["num"]))), n))
            raise _not_found(G, target, near[:5])
        return _pick(G, target, found, y, loose, spoken=y is None and not m["y1"])
    return find_plan(G, target)


def document_key(G: nx.MultiDiGraph, target: str) -> str | None:
    """The key of the document a person names (:func:`find_document`), or None.

    >>> document_key(example_graph(), "KL 57")
    '57-KL/TW'
    """
    return G.nodes[find_document(G, target)].get("key")


def plans(G: nx.MultiDiGraph) -> list[str]:
    """The ingested texts (the plans), sorted by id."""
    return sorted(n for n, d in G.nodes(data=True) if d.get("ingested"))


def find_plan(G: nx.MultiDiGraph, target: str) -> str:
    """The ingested plan a person names: its id, source path or file name,
    or its province and year ("Yên Bái 2024", "Yen Bai 2024"), with or
    without diacritics; a small typo is read as the closest plan's name
    and logged.

    >>> G = example_graph()
    >>> find_plan(G, "Phú Thọ 2025"), find_plan(G, "a.txt"), find_plan(G, "yen bai 2024")
    ('plan:phu-tho:2025:...', 'plan:yen-bai:2024:...', 'plan:yen-bai:2024:...')
    """
    t, tp = fold(target), plain(target)
    found, loose = set(), False
    names_of = {}
    for n in plans(G):
        d = G.nodes[n]
        src = d.get("source") or ""
        names = {fold(n), fold(d.get("name", ""))}
        for path in {src, *d.get("files", ())}:  # files: every file holding the same text
            names |= {fold(path), fold(path.rsplit("/", 1)[-1])}
        if d.get("province") and d.get("year"):
            names.add(fold(f"{d['province']} {d['year']}"))
        names_of[n] = names
        if t in names or (len(t) >= 4 and any(t in x for x in names)):
            found.add(n)
    if not found:  # as typed without diacritics
        for n, names in names_of.items():
            bare = {unaccent(x) for x in names}
            if tp in bare or (len(tp) >= 4 and any(tp in x for x in bare)):
                found.add(n)
        loose = bool(found)
    if not found:
        forms = {unaccent(x): n for n, names in sorted(names_of.items(), reverse=True) for x in names}
        close = difflib.get_close_matches(tp, list(forms), n=5, cutoff=0.8)
        if len({forms[c] for c in close}) == 1:
            return _read(G, target, forms[close[0]], True)
        raise _not_found(
            G,
            target,
            sorted({forms[c] for c in close})
            or [
                n
                for n in plans(G)
                if difflib.SequenceMatcher(None, tp, plain(G.nodes[n].get("name", ""))).ratio() > 0.5
            ][:5],
        )
    return _pick(G, target, found, loose=loose)


def describe(G: nx.MultiDiGraph, n: str) -> dict:
    """What names a document to a person, for lists of candidates: its key,
    type, date, issuer, a short name and its file (for an ingested text).

    >>> d = describe(example_graph(), "doc:57-kl/tw")
    >>> d["key"], d["type"], d["name"]
    ('57-KL/TW', 'Kết luận', '57-KL/TW')
    """
    d = G.nodes[n]
    by = issuers(G, n)
    return {
        "id": n,
        "key": d.get("key"),
        "type": (d.get("doc_types") or [None])[0],
        "date": document_date(d),
        "issuer": by[0] if by else None,
        "name": _label(G, n),
        "file": d.get("source"),
    }


def _label(G, n: str) -> str:
    d = G.nodes[n]
    return d.get("key") if d.get("key") and not d.get("ingested") else d.get("name", n)


def _evidence(G, u: str, v: str, types: tuple[str, ...]) -> tuple[dict, int]:
    """The first occurrence u → v of one of ``types`` (by plan, then offset)
    and how many there are."""
    es = [o for t, d in G[u][v].items() if t in types for o in occurrences(d)] if G.has_edge(u, v) else []
    es.sort(key=lambda d: (d.get("source_plan") or "", d.get("start") or 0, d.get("type")))
    return (es[0] if es else {}), len(es)


def _statement(G, e: dict) -> dict:
    """The fields of a row that quote one statement: the clause, the section,
    the offsets, and the text that states it (its id and file)."""
    sp = e.get("source_plan")
    return {
        "context": e.get("context"),
        "section": e.get("section"),
        "start": e.get("start"),
        "end": e.get("end"),
        "stated_in": sp,
        "stated_in_source": G.nodes[sp].get("source") if sp in G else None,
    }


def _step(G, u: str, v: str, types: tuple[str, ...]) -> dict:
    e, count = _evidence(G, u, v, types)
    return {
        "from": u,
        "from_name": _label(G, u),
        "to": v,
        "to_name": _label(G, v),
        "type": e.get("type"),
        **_statement(G, e),
        "occurrences": count,
    }


def _plan_row(G, n: str) -> dict:
    d = G.nodes[n]
    return {
        "id": n,
        "name": d.get("name"),
        "province": d.get("province"),
        "year": d.get("year"),
        "status": d.get("status"),
        "source": d.get("source"),
    }


# -- filters (bộ lọc) ------------------------------------------------------------

#: the row field that names the document each question's row is about
ROW_DOCUMENT = {
    "implements": "id",
    "cited_by": "id",
    "basis": "id",
    "diagram": "id",
    "matrix": "id",
    "agency_tasks": "plan",
}


def issuers(G: nx.MultiDiGraph, n: str) -> list[str]:
    """The names of the bodies that issue document ``n`` (ISSUED_BY), sorted.

    >>> issuers(example_graph(), "doc:57-kl/tw")
    ['Bộ Chính trị']
    """
    return sorted(
        {
            G.nodes[a].get("name", "")
            for _, a, k in G.out_edges(n, keys=True)
            if k == "ISSUED_BY" and "Agency" in G.nodes[a].get("labels", ())
        }
    )


def _agency_forms(d: dict) -> set[str]:
    """An agency's name typed without diacritics, alone and with its province
    ("uy ban nhan dan tinh yen bai"), and its other spellings."""
    name = d.get("name") or ""
    forms = {plain(name), *(plain(a) for a in d.get("aliases", ()) or ())}
    if d.get("province"):
        forms.add(plain(f"{name} {d['province']}"))
    return forms


def _of_type(d: dict, typed: str) -> bool:
    codes, _ = _type_codes(typed)
    names = {plain(t) for t in d.get("doc_types", ())}
    return plain(typed) in names or bool(codes and codes & _codes_of(d))


def _of_province(d: dict, want: set[str]) -> bool:
    from .lineage import unit_on

    p = d.get("province")
    return bool(p) and (fold(p) in want or fold(unit_on(p)[0]) in want)


def keep(
    G: nx.MultiDiGraph,
    rows: list[dict],
    question: str,
    doc_type: str | None = None,
    year: int | None = None,
    issuer: str | None = None,
    province: str | None = None,
) -> list[dict]:
    """The rows of ``question`` whose document (the row field
    :data:`ROW_DOCUMENT` names) is of type ``doc_type`` (a type name or
    code: "Kế hoạch", "ke hoach", "KH"), of ``year`` (its year, else its
    date's), issued by a body whose name holds ``issuer`` (with or without
    diacritics: "UBND tỉnh Phú Thọ", "Chinh phu") and of ``province`` (as
    written or as of today). ``None`` keeps all; the order is kept.

    >>> G = example_graph()
    >>> rows = implements(G, "KL 57")
    >>> [r["name"] for r in keep(G, rows, "implements", year=2025)]
    ['Kế hoạch Phú Thọ 2025']
    >>> [r["key"] for r in keep(G, diagram(G, "47/NQ-CP"), "diagram", doc_type="Kết luận", issuer="Bo Chinh tri")]
    ['57-KL/TW']
    """
    field = ROW_DOCUMENT[question]
    want = _wanted(province)
    typed: set[str] = set()
    if issuer:
        body = normalize_agency(issuer)
        typed = (
            {plain(f"{body['name']} {body['province']}")}
            if body.get("province")
            else {plain(body["name"]), plain(issuer)}
        )
    out = []
    for r in rows:
        n = r.get(field)
        d = G.nodes[n] if n in G else {}
        if doc_type and not _of_type(d, doc_type):
            continue
        if year is not None:
            day = document_date(d)
            if d.get("year") != year and not (day and day.startswith(str(year))):
                continue
        if typed:
            forms = set()
            for _, a, k in G.out_edges(n, keys=True) if n in G else ():
                if k == "ISSUED_BY":
                    forms |= _agency_forms(G.nodes[a])
            if not any(t in f for t in typed for f in forms):
                continue
        if want is not None and not _of_province(d, want):
            continue
        out.append(r)
    return out


# -- questions ----------------------------------------------------------------


def implements(
    G: nx.MultiDiGraph,
    target: str,
    depth: int = DEFAULT_DEPTH,
    with_basis: bool = False,
    province: str | None = None,
    as_of: str | None = None,
    as_written: bool = False,
) -> list[dict]:
    """The plans that carry ``target`` out, directly (``IMPLEMENTS``) or
    through a chain of documents that carry it out, at most ``depth`` steps.
    Each row has the shortest path and the evidence of every step. With
    ``with_basis``, plans that only cite it as legal basis (``BASED_ON``) are
    added with ``relation`` ``based_on``.

    >>> G = example_graph()
    >>> [(r["name"], r["hops"], r["path"]) for r in implements(G, "KL 57")]
    [('Kế hoạch Yên Bái 2024', 1, ['Kế hoạch Yên Bái 2024', '57-KL/TW']), \
('Kế hoạch Phú Thọ 2025', 3, ['Kế hoạch Phú Thọ 2025', '3017/KH-UBND', '47/NQ-CP', '57-KL/TW'])]
    >>> [(r["name"], r["relation"]) for r in implements(G, "72/2015/NĐ-CP", with_basis=True)]
    [('Kế hoạch Phú Thọ 2025', 'based_on')]
    """
    t = find_document(G, target)
    nxt: dict[str, str] = {t: None}
    dist = {t: 0}
    queue = deque([t])
    while queue:
        v = queue.popleft()
        if dist[v] >= depth:
            continue
        for u in sorted(G.predecessors(v)):
            if u in dist or not any(d.get("type") in CARRIES_OUT for d in G[u][v].values()):
                continue
            dist[u], nxt[u] = dist[v] + 1, v
            queue.append(u)
    rows = []
    for n in dist:
        if n == t or not G.nodes[n].get("ingested"):
            continue
        path = [n]
        while nxt[path[-1]] is not None:
            path.append(nxt[path[-1]])
        rows.append(
            {
                **_plan_row(G, n),
                "relation": "implements",
                "target": t,
                "hops": len(path) - 1,
                "path": [_label(G, x) for x in path],
                "path_ids": path,
                "steps": [_step(G, a, b, CARRIES_OUT) for a, b in zip(path, path[1:])],
            }
        )
    if with_basis:
        for u in sorted(set(G.predecessors(t)) - set(dist)):
            if G.nodes[u].get("ingested") and any(d.get("type") == "BASED_ON" for d in G[u][t].values()):
                rows.append(
                    {
                        **_plan_row(G, u),
                        "relation": "based_on",
                        "target": t,
                        "hops": 1,
                        "path": [_label(G, u), _label(G, t)],
                        "path_ids": [u, t],
                        "steps": [_step(G, u, t, ("BASED_ON",))],
                    }
                )
    rows.sort(key=lambda r: (r["relation"] != "implements", r["hops"], r["province"] or "", r["year"] or 0, r["id"]))
    return in_province(rows, province, as_of, as_written)


def _wanted(province: str | None) -> set[str] | None:
    """A province as typed and as the vocabulary spells it ("Khánh Hoà",
    "Khánh Hòa"), folded; None for no province.

    >>> sorted(_wanted("Khánh Hoà"))
    ['khánh hòa']
    """
    from ..extractors.vocabulary import official_province

    return {fold(province), fold(official_province(province) or province)} if province else None


def in_province(
    rows: list[dict], province: str | None, as_of: str | None = None, as_written: bool = False
) -> list[dict]:
    """Each row with the province that holds its plan's province on ``as_of``
    (default: today): ``province_as_of`` and, when they differ, a
    ``province_note`` ("(Yên Bái, merged into Lào Cai on 2025-07-01)"); with
    ``province``, only the rows of that province as of that day, or as the
    texts were written (``as_written``).

    >>> rows = [{"province": "Yên Bái"}, {"province": "Phú Thọ"}]
    >>> [(r["province"], r["province_note"]) for r in in_province(rows, "Lào Cai", "2026-01-01")]
    [('Yên Bái', '(Yên Bái, merged into Lào Cai on 2025-07-01)')]
    >>> in_province(rows, "Lào Cai", as_written=True)
    []
    """
    from .lineage import note, unit_on

    out = []
    want = _wanted(province)
    for r in rows:
        p = r.get("province")
        unit, steps = unit_on(p, as_of) if p else (None, [])
        r = {**r, "province_as_of": unit, "province_note": note(p, steps) if steps else None}
        if want is not None and fold((p if as_written else unit) or "") not in want:
            continue
        out.append(r)
    return out


def cited_by(
    G: nx.MultiDiGraph,
    target: str,
    province: str | None = None,
    as_of: str | None = None,
    as_written: bool = False,
) -> list[dict]:
    """Everything that cites ``target``: one row per citing plan or document
    and relationship type, with the first evidence sentence and the citing
    text's ``province`` (as written), ``province_as_of`` (the province that
    holds it on ``as_of``, default today) and ``province_note``. With
    ``province``, only the citing texts of that province as of that day, or
    as written (``as_written``); see :func:`in_province`.

    >>> G = example_graph()
    >>> [(r["name"], r["type"]) for r in cited_by(G, "47/NQ-CP")]
    [('Kế hoạch Phú Thọ 2025', 'CITES'), ('3017/KH-UBND', 'IMPLEMENTS')]
    >>> rows = cited_by(G, "57-KL/TW", province="Lào Cai", as_of="2026-01-01")
    >>> [(r["name"], r["type"], r["province_note"]) for r in rows]
    [('Kế hoạch Yên Bái 2024', 'BASED_ON', '(Yên Bái, merged into Lào Cai on 2025-07-01)'), \
('Kế hoạch Yên Bái 2024', 'IMPLEMENTS', '(Yên Bái, merged into Lào Cai on 2025-07-01)')]
    """
    t = find_document(G, target)
    rows = []
    for u in sorted(G.predecessors(t)):
        for typ in CITATION_TYPES:
            e, count = _evidence(G, u, t, (typ,))
            if count:
                rows.append(
                    {
                        "id": u,
                        "name": _label(G, u),
                        "type": typ,
                        "province": G.nodes[u].get("province"),
                        "source": G.nodes[u].get("source"),
                        "target": t,
                        "occurrences": count,
                        **_evidence_fields(e),
                        "stated_in": e.get("source_plan"),
                        "link": bool(e.get("link")),
                        **_validity(G, t),
                    }
                )
    rows.sort(key=lambda r: (r["type"], r["name"], r["id"]))
    return in_province(rows, province, as_of, as_written)


def _evidence_fields(e: dict) -> dict:
    """The fields of a table row that quote one citation: its date and
    issuer as stated, the clause, the section and the offsets."""
    return {k: e.get(k) for k in ("date", "issuer", "context", "section", "start", "end")}


def basis(G: nx.MultiDiGraph, plan: str) -> list[dict]:
    """A plan's legal basis (căn cứ): the documents it cites with
    ``BASED_ON``, in the order the text cites them.

    >>> G = example_graph()
    >>> [(r["key"], r["date"], r["issuer"]) for r in basis(G, "Phú Thọ 2025")]
    [('72/2015/NĐ-CP', '2015-09-07', 'Chính phủ')]
    """
    p = find_plan(G, plan)
    rows = []
    for v in G.successors(p):
        e, count = _evidence(G, p, v, ("BASED_ON",))
        if count:
            d = G.nodes[v]
            rows.append(
                {
                    "id": v,
                    "key": d.get("key"),
                    "name": d.get("name"),
                    "plan": p,
                    **_evidence_fields(e),
                    **_validity(G, v),
                }
            )
    rows.sort(key=lambda r: (r["start"], r["id"]))
    return rows


# -- the legal system's diagram (lược đồ) and validity (hiệu lực) --------------

#: the diagram's groups, in the portals' order: what the document acts on,
#: then what acts on it
DIAGRAM_TYPES = ("BASED_ON", "IMPLEMENTS", "GUIDES", "AMENDS", "REPLACES", "REPEALS", "ISSUES", "CITES")


def _validity(G, n: str) -> dict:
    """What the graph's relations say of ``n``'s force: ``in_force``
    (``in force``, ``amended``, ``replaced``, ``repealed``; ``in force``
    only means that nothing in the graph ends it), ``ended`` (since when)
    and the acting documents by key."""
    d = G.nodes[n]
    names = {f: [_label(G, a) for a in d.get(f, ())] for f in ("replaced_by", "repealed_by", "amended_by")}
    return {
        "in_force": d.get("status_in_force") or "in force",
        "ended": d.get("ended"),
        "replaced_by": names["replaced_by"],
        "repealed_by": names["repealed_by"],
        "amended_by": names["amended_by"],
    }


def diagram(G: nx.MultiDiGraph, target: str) -> list[dict]:
    """The document's diagram (lược đồ), as the legal portals show it, built
    from the graph: every document it is based on, implements, guides,
    amends, replaces, repeals, issues or mentions (``direction``
    ``outgoing``), and every one that does so to it (``incoming``), grouped
    by relationship type, each with its date, validity and first evidence
    (``occurrences`` counts them all).

    >>> G = example_graph()
    >>> for r in diagram(G, "47/NQ-CP"):
    ...     print(r["direction"], r["type"], r["key"])
    outgoing IMPLEMENTS 57-KL/TW
    incoming IMPLEMENTS 3017/KH-UBND
    incoming CITES Kế hoạch Phú Thọ 2025
    """
    t = find_document(G, target)
    rows = []
    for direction, pairs in (
        ("outgoing", ((t, v) for v in sorted(set(G.successors(t))))),
        ("incoming", ((u, t) for u in sorted(set(G.predecessors(t))))),
    ):
        for a, b in pairs:
            other = b if direction == "outgoing" else a
            if "Document" not in G.nodes[other].get("labels", ()):
                continue
            for typ in DIAGRAM_TYPES:
                e, count = _evidence(G, a, b, (typ,))
                if not count:
                    continue
                rows.append(
                    {
                        "direction": direction,
                        "type": typ,
                        "id": other,
                        "key": _label(G, other),
                        "name": G.nodes[other].get("name"),
                        "date": document_date(G.nodes[other]),
                        "target": t,
                        "occurrences": count,
                        **_statement(G, e),
                        **_validity(G, other),
                    }
                )
    order = {t: i for i, t in enumerate(DIAGRAM_TYPES)}
    rows.sort(key=lambda r: (r["direction"] != "outgoing", order[r["type"]], r["date"] or "", r["key"] or "", r["id"]))
    return rows


def evidence(G: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    """Every statement behind the relationships from ``source`` (a plan or a
    document) to ``target``: one row per occurrence, by type, then in the
    order of the relationship's evidence lists (stating text, offset).

    >>> G = example_graph()
    >>> [(r["type"], r["n"], r["section"]) for r in evidence(G, "Yên Bái 2024", "57-KL/TW")]
    [('BASED_ON', 1, 'preamble'), ('IMPLEMENTS', 1, 'preamble')]
    """
    s, t = _find_any(G, source), find_document(G, target)
    rows = []
    rels = G[s][t] if G.has_edge(s, t) else {}
    rank = {typ: i for i, typ in enumerate(DIAGRAM_TYPES)}
    for typ in sorted(rels, key=lambda typ: (rank.get(typ, len(rank)), typ)):
        for i, o in enumerate(occurrences(rels[typ]), 1):
            rows.append({"type": typ, "n": i, "from": s, "to": t, "text": o.get("text"), **_statement(G, o)})
    return rows


def in_force(G: nx.MultiDiGraph, target: str) -> list[dict]:
    """Whether ``target`` is still in force as far as the graph knows: one
    row per document that replaces, repeals or amends it, with since when
    (the acting document's own entry into force, else its date) and the
    evidence; no row when nothing in the graph acts on it.

    >>> G = example_graph()
    >>> in_force(G, "57-KL/TW")
    []
    """
    t = find_document(G, target)
    rows = []
    for u in sorted(set(G.predecessors(t))):
        for typ in ("REPLACES", "REPEALS", "AMENDS"):
            e, count = _evidence(G, u, t, (typ,))
            if not count:
                continue
            ud = G.nodes[u]
            rows.append(
                {
                    "id": t,
                    "key": _label(G, t),
                    "type": typ,
                    "by": _label(G, u),
                    "by_id": u,
                    "since": acting_date(ud),
                    "occurrences": count,
                    **_statement(G, e),
                    **_validity(G, t),
                }
            )
    rows.sort(key=lambda r: (r["since"] or "", r["type"], r["by_id"]))
    return rows


#: the most paths :func:`chain` returns unless asked for more (``cancu query chain --limit``)
DEFAULT_CHAIN_LIMIT = 100
#: node expansions the depth-first search may spend when the paths' subgraph has cycles
CHAIN_SEARCH_BUDGET = 1_000_000


@dataclass(frozen=True)
class PathCount:
    """How many citation paths there are: ``n``, exact when ``exact``; else
    (the subgraph of the paths has cycles and the search spent its budget) at
    least ``n``."""

    n: int
    exact: bool = True


def _citation_view(G: nx.MultiDiGraph):
    return nx.subgraph_view(G, filter_edge=lambda u, v, k: is_citation(G[u][v][k]))


@dataclass
class _Paths:
    """The subgraph every citation path from ``s`` to ``t`` of at most
    ``depth`` steps lies in, with sorted successors, and ``walks[r][v]``: the
    walks of exactly ``r`` steps from ``v`` that end at ``t`` and reach it only
    there. In a DAG each walk is a simple path."""

    s: str
    t: str
    depth: int
    succ: dict
    walks: list
    acyclic: bool


def _paths(G: nx.MultiDiGraph, s: str, t: str, depth: int) -> _Paths:
    V = _citation_view(G)
    ds = nx.single_source_shortest_path_length(V, s, cutoff=depth)
    dt = nx.single_source_shortest_path_length(nx.reverse_view(V), t, cutoff=depth) if t in G else {}
    H = nx.DiGraph()
    if s != t:
        keep = {u for u in ds if u in dt and ds[u] + dt[u] <= depth}
        H.add_nodes_from(keep)
        # a simple path s → t never enters s nor leaves t
        H.add_edges_from(
            (u, v)
            for u in keep
            if u != t
            for v in V.successors(u)
            if v in keep and v != s and ds[u] + 1 + dt[v] <= depth
        )
    succ = {u: sorted(H.successors(u)) for u in H}
    walks = [{t: 1} if t in H else {}]
    for _ in range(depth):
        prev = walks[-1]
        walks.append({u: n for u in H if u != t and (n := sum(prev.get(v, 0) for v in succ[u]))})
    return _Paths(s, t, depth, succ, walks, nx.is_directed_acyclic_graph(H))


def _path_ids(P: _Paths, budget: list[int]):
    """The simple paths s → t, shortest first, then by node ids. Only
    prefixes that a walk of the right length completes are extended: in a DAG
    every one is a path, so the cost is proportional to the paths produced."""
    for k in range(1, P.depth + 1):
        if not P.walks[k].get(P.s):
            continue
        path, stack = [P.s], [iter(P.succ[P.s])]
        while stack:
            budget[0] -= 1
            if budget[0] < 0 and not P.acyclic:
                return
            v = next(stack[-1], None)
            if v is None:
                stack.pop()
                path.pop()
                continue
            left = k - len(path)
            if not P.walks[left].get(v) or (not P.acyclic and v in path):
                continue
            if left == 0:
                yield path + [v]
                continue
            path.append(v)
            stack.append(iter(P.succ[v]))


def _count(P: _Paths) -> PathCount:
    if P.acyclic:
        return PathCount(sum(P.walks[k].get(P.s, 0) for k in range(1, P.depth + 1)))
    budget = [CHAIN_SEARCH_BUDGET]
    n = sum(1 for _ in _path_ids(P, budget))
    return PathCount(n, exact=budget[0] >= 0)


def count_chains(G: nx.MultiDiGraph, source: str, target: str, depth: int = DEFAULT_DEPTH) -> PathCount:
    """How many paths :func:`chain` finds, without listing them. Citation
    graphs are DAGs (a document cites older ones): the count is then exact, by
    dynamic programming over path lengths (walks of exactly ``r`` steps to the
    target), in time ``depth × edges``. When the subgraph the paths lie in has
    a cycle, walks are not all simple paths: the paths are counted one by one
    by a depth-first search, exact if it ends within
    :data:`CHAIN_SEARCH_BUDGET` steps, else a lower bound (``exact`` false).

    >>> count_chains(example_graph(), "Phú Thọ 2025", "57-KL/TW")
    PathCount(n=3, exact=True)
    """
    return _count(_paths(G, _find_any(G, source), find_document(G, target), depth))


def chain(
    G: nx.MultiDiGraph, source: str, target: str, depth: int = DEFAULT_DEPTH, limit: int | None = DEFAULT_CHAIN_LIMIT
) -> list[dict]:
    """The citation paths (any of ``BASED_ON``, ``IMPLEMENTS``, ``AMENDS``,
    ``CITES``; no node twice) from ``source`` to ``target`` of at most
    ``depth`` steps, shortest first, then by node ids: the first ``limit``
    (all with ``None``); :func:`count_chains` says how many there are. Memory
    and time grow with ``limit``, not with the number of paths.

    >>> G = example_graph()
    >>> for r in chain(G, "Phú Thọ 2025", "57-KL/TW"):
    ...     print(" → ".join(r["path"]), [s["types"] for s in r["steps"]])
    Kế hoạch Phú Thọ 2025 → 57-KL/TW [['CITES']]
    Kế hoạch Phú Thọ 2025 → 47/NQ-CP → 57-KL/TW [['CITES'], ['IMPLEMENTS']]
    Kế hoạch Phú Thọ 2025 → 3017/KH-UBND → 47/NQ-CP → 57-KL/TW [['IMPLEMENTS'], ['IMPLEMENTS'], ['IMPLEMENTS']]
    >>> [r["hops"] for r in chain(G, "Phú Thọ 2025", "57-KL/TW", limit=2)]
    [1, 2]
    """
    s = _find_any(G, source)
    t = find_document(G, target)
    P = _paths(G, s, t, depth)
    found = _path_ids(P, [CHAIN_SEARCH_BUDGET])
    rows = []
    for path in itertools.islice(found, limit):
        steps = []
        for a, b in zip(path, path[1:]):
            types = sorted({d["type"] for d in G[a][b].values() if is_citation(d)})
            steps.append({**_step(G, a, b, tuple(types)), "types": types})
        rows.append(
            {
                "from": s,
                "to": t,
                "hops": len(path) - 1,
                "path": [_label(G, x) for x in path],
                "path_ids": path,
                "steps": steps,
            }
        )
    return rows


def _find_any(G, text: str) -> str:
    try:
        return find_plan(G, text)
    except TargetNotFound:
        return find_document(G, text)


def plan_agencies(G: nx.MultiDiGraph, plan: str) -> list[dict]:
    """The agencies a plan gives tasks to: one row per task, role and agency.

    >>> G = example_graph()
    >>> plan_agencies(G, "Yên Bái 2024")
    []
    """
    p = find_plan(G, plan)
    rows = []
    for task in G.successors(p):
        if "Task" not in G.nodes[task].get("labels", ()):
            continue
        td = G.nodes[task]
        for ag in G.successors(task):
            for e in (o for d in G[task][ag].values() for o in occurrences(d)):
                if e.get("type") in ("LED_BY", "SUPPORTED_BY"):
                    rows.append(
                        {
                            "plan": p,
                            "task": task,
                            "section": td.get("section"),
                            "title": td.get("title"),
                            "role": "lead" if e["type"] == "LED_BY" else "support",
                            "agency": ag,
                            "agency_name": G.nodes[ag].get("name"),
                            "text": e.get("text"),
                            "start": e.get("start"),
                            "end": e.get("end"),
                        }
                    )
    rows.sort(key=lambda r: (r["start"], r["agency"]))
    return rows


def _agency_key(G: nx.MultiDiGraph, name: str) -> tuple[str | None, set[str]]:
    """How ``name`` finds agencies: ``(None, {id})`` for an agency's id, else
    ``(the slug of its normalised name, set())``."""
    if name in G and "Agency" in G.nodes[name].get("labels", ()):
        return None, {name}
    return slug(normalize_agency(name)["name"]), set()


def matching_agencies(
    G: nx.MultiDiGraph,
    name: str,
    province: str | None = None,
    as_of: str | None = None,
    as_written: bool = False,
) -> list[tuple[str, str, str | None, str, str | None, list[dict]]]:
    """The agencies :func:`agency_tasks` answers with, sorted by id: ``(id,
    name as written, its province, the body holding its work on as_of, that
    body's province, the lineage steps between)``.

    >>> matching_agencies(example_graph(), "Sở TT&TT")
    []
    """
    from .lineage import agency_on, unit_on

    want = _wanted(province)
    canon, ids = _agency_key(G, name)
    folded = fold(name)

    def in_province(prov: str | None) -> bool:
        if want is None:
            return True
        return fold((prov if as_written else unit_on(prov, as_of)[0]) if prov else "") in want

    out = []
    for ag, d in sorted(G.nodes(data=True)):
        if "Agency" not in d.get("labels", ()):
            continue
        written, prov = d.get("name", ""), d.get("province")
        if as_written:
            unit, uprov, steps = written, prov, []
        else:
            unit, uprov, steps = agency_on(written, prov, as_of)
        # the body itself, or one its work passed through by then (its chain)
        chain = [(ag, written, prov)] + [(s["to_id"], s["to_name"], s["to_province"]) for s in steps]
        if ids:
            hit = any(c[0] in ids and in_province(c[2]) for c in chain)
        else:
            hit = any(slug(c[1]) == canon and in_province(c[2]) for c in chain) or (
                folded in {fold(a) for a in d.get("aliases", ())} and in_province(prov)
            )
        if hit:
            out.append((ag, written, prov, unit, uprov, steps))
    return out


def agency_tasks(
    G: nx.MultiDiGraph,
    name: str,
    province: str | None = None,
    as_of: str | None = None,
    as_written: bool = False,
) -> list[dict]:
    """The tasks an agency leads or supports, across plans. ``name`` is any
    spelling (Sở TTTT, Sở TT&TT ...) or an agency id; local bodies of every
    province match, or those of ``province`` only.

    A body is also answered for with the tasks of the bodies whose work it
    holds on ``as_of`` (default: today): Sở Khoa học và Công nghệ tỉnh Lào
    Cai with those of Sở Thông tin và Truyền thông tỉnh Yên Bái, each such
    row with the body as written (``agency_name``) and an ``agency_note``
    ("(Sở Thông tin và Truyền thông tỉnh Yên Bái, merged into …)"). With
    ``as_written``, bodies are taken as the texts name them.

    >>> G = example_graph()
    >>> agency_tasks(G, "Sở TT&TT")
    Traceback (most recent call last):
    cancu.graph.errors.TargetNotFound: no agency matches 'Sở TT&TT'
    """
    from .lineage import agency_label, level_ended, note

    canon, ids = _agency_key(G, name)
    rows = []
    for ag, written, prov, unit, uprov, steps in matching_agencies(G, name, province, as_of, as_written):
        ended = None if as_written else level_ended(written, as_of)
        an = note(agency_label(written, prov), steps) if steps else None
        if ended:
            an = f"({ended['what']} ended on {ended['since']}, {ended['act']})"
        for task in G.predecessors(ag):
            td = G.nodes[task]
            if "Task" not in td.get("labels", ()):
                continue
            for e in (o for dd in G[task][ag].values() for o in occurrences(dd)):
                if e.get("type") in ("LED_BY", "SUPPORTED_BY"):
                    p = td.get("plan")
                    rows.append(
                        {
                            "agency": ag,
                            "agency_name": written,
                            "agency_as_of": agency_label(unit, uprov) if steps else None,
                            "agency_note": an,
                            "plan": p,
                            "plan_name": G.nodes[p].get("name"),
                            "source": G.nodes[p].get("source"),
                            "task": task,
                            "section": td.get("section"),
                            "title": td.get("title"),
                            "role": "lead" if e["type"] == "LED_BY" else "support",
                            "text": e.get("text"),
                            "start": e.get("start"),
                            "end": e.get("end"),
                        }
                    )
    if not rows and not any(
        "Agency" in d.get("labels", ()) and (ids and n in ids or not ids and slug(d.get("name", "")) == canon)
        for n, d in G.nodes(data=True)
    ):
        # a small typo ("So Noi vi"): the one agency name it is close to
        bodies: dict[str, set] = {}
        for n, d in G.nodes(data=True):
            if "Agency" in d.get("labels", ()) and not d.get("collective"):
                bodies.setdefault(slug(d.get("name", "")), set()).add(n)
        close = difflib.get_close_matches(canon or slug(name), list(bodies), n=5, cutoff=0.85)
        if len(close) == 1:
            written = G.nodes[min(bodies[close[0]])]["name"]
            log.info("reading %r as %s", name, written)
            return agency_tasks(G, written, province, as_of, as_written)
        raise _not_found(G, name, sorted(min(bodies[c]) for c in close), what="agency")
    rows.sort(key=lambda r: (r["plan_name"] or "", r["plan"], r["start"] or 0, r["agency"]))
    return rows


_SHORT = {"BASED_ON": "B", "IMPLEMENTS": "I", "AMENDS": "A", "CITES": "C"}


def matrix(
    G: nx.MultiDiGraph,
    top: int = 10,
    year: int | None = None,
    targets: tuple[str, ...] = (),
    province: str | None = None,
    as_of: str | None = None,
    as_written: bool = False,
) -> list[dict]:
    """Plans × most-cited documents: for each plan (of ``year``, if given)
    and each of the ``top`` documents cited by the most plans (plus
    ``targets``), the relationship types by which the plan cites it; an
    empty list where it does not. Plans are grouped by the province that
    holds theirs on ``as_of`` (default: today; ``province_as_of``), or by
    the province written (``as_written``); ``province`` keeps one.

    >>> G = example_graph()
    >>> rows = matrix(G, top=2, as_of="2026-01-01")
    >>> [(r["name"], r["province_as_of"], r["cells"]["57-KL/TW"]) for r in rows]
    [('Kế hoạch Yên Bái 2024', 'Lào Cai', ['BASED_ON', 'IMPLEMENTS']), ('Kế hoạch Phú Thọ 2025', 'Phú Thọ', ['CITES'])]
    """
    ps = plans(G)
    counts = Counter()
    for p in ps:
        for v in set(G.successors(p)):
            if any(is_citation(d) for d in G[p][v].values()):
                counts[v] += 1
    cols = [v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], _label(G, kv[0])))[:top]]
    for t in targets:
        nid = find_document(G, t)
        if nid not in cols:
            cols.append(nid)
    rows = []
    for p in ps:
        d = G.nodes[p]
        if year is not None and d.get("year") != year:
            continue
        cells = {}
        for c in cols:
            types = sorted({e["type"] for e in G[p][c].values() if is_citation(e)}) if G.has_edge(p, c) else []
            cells[_label(G, c)] = types
        rows.append({**_plan_row(G, p), "columns": cols, "cells": cells})
    rows = in_province(rows, province, as_of, as_written)
    group = "province" if as_written else "province_as_of"
    rows.sort(key=lambda r: (r[group] or "", r["year"] or 0, r["id"]))
    return rows


def stats(G: nx.MultiDiGraph, top: int = 10, as_of: str | None = None, as_written: bool = False) -> list[dict]:
    """Counts: nodes by label, edges by type, plans by province and year, and
    the most-cited documents. Plans count under the province that holds
    theirs on ``as_of`` (default: today: a Yên Bái 2024 plan counts for Lào
    Cai), or under the province the text was written in (``as_written``).

    >>> G = example_graph()
    >>> [r for r in stats(G) if r["metric"] == "plans"]
    [{'metric': 'plans', 'name': '', 'value': 2}]
    """
    rows = []
    labels = Counter(l for _, d in G.nodes(data=True) for l in d.get("labels", ()))
    types = Counter(t for _, _, t in G.edges(data="type"))
    rows += [
        {"metric": "nodes", "name": "", "value": G.number_of_nodes()},
        {"metric": "edges", "name": "", "value": G.number_of_edges()},
    ]
    rows += [{"metric": "label", "name": k, "value": v} for k, v in sorted(labels.items())]
    rows += [{"metric": "type", "name": k, "value": v} for k, v in sorted(types.items())]
    ps = plans(G)
    rows.append({"metric": "plans", "name": "", "value": len(ps)})
    from .lineage import unit_on

    def province_of(p: str) -> str:
        written = G.nodes[p].get("province")
        if not written:
            return "?"
        return written if as_written else unit_on(written, as_of)[0]

    prov = Counter(province_of(p) for p in ps)
    rows += [{"metric": "province", "name": k, "value": v} for k, v in sorted(prov.items())]
    years = Counter(str(G.nodes[p].get("year") or "?") for p in ps)
    rows += [{"metric": "year", "name": k, "value": v} for k, v in sorted(years.items())]
    cited = Counter()
    for p in ps:
        for v in set(G.successors(p)):
            if any(is_citation(d) for d in G[p][v].values()):
                cited[v] += 1
    for v, c in sorted(cited.items(), key=lambda kv: (-kv[1], _label(G, kv[0])))[:top]:
        rows.append({"metric": "most_cited", "name": _label(G, v), "value": c})
    return rows
