"""The embedded store (kho): a folder, ``.cancu/`` by default, that holds
the extraction record of every source and the merged graph. No server.

Layout (format ``cancu-store``, version 1; see ``docs/store.md``)::

    .cancu/
      manifest.json        format, version, one entry per source, counts
      sources/<id>.json    one source's extraction record (its contribution)
      graph.json           the merged graph: sorted nodes, sorted edges

Every file is written with sorted keys and no timestamps, so building the
same files twice gives a byte-identical store. A build writes a new folder
beside the old one and swaps them, so an interrupted build leaves the old
store as it was.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from .errors import StoreError
from .model import build_graph

FORMAT = "cancu-store"
VERSION = 1
DEFAULT_STORE = ".cancu"


@dataclass
class BuildReport:
    """What a build did: sources added, replaced (content changed), kept
    (unchanged), pruned and failed (path, reason), and the graph's size."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.pruned)


def dumps(obj) -> str:
    """Canonical JSON: sorted keys, UTF-8 text, no spaces.

    >>> dumps({"b": 1, "a": "Đ"})
    '{"a":"Đ","b":1}'
    """
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def source_file(path: str) -> str:
    """The name of a source's file in ``sources/``: a hash of its path.

    >>> source_file("data/plans/yen-bai-2024-ttdn.txt")
    'sources/d70dc18212f3106d.json'
    """
    return "sources/" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:16] + ".json"


def text_sha256(path: str) -> str:
    """The content hash of a source as the extractor computes it (of the
    decoded text), without extracting."""
    from extractors.pipeline import read_source

    text, _ = read_source(path)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recover(store: str | os.PathLike) -> None:
    """Finish or undo a swap that a killed build left half done.

    A build writes the new store beside the old one (``STORE.tmp-PID``,
    manifest last), then renames the old one away (``STORE.old-PID``) and the
    new one in. Killed between the two renames, the store folder is missing:
    the complete new store is renamed in, else the old one back. Leftover
    ``.tmp-*``/``.old-*`` folders are removed once the store is whole.
    """
    store = Path(store)
    parent = store.parent if str(store.parent) else Path(".")
    if not parent.exists():
        return
    tmps = sorted(parent.glob(glob.escape(store.name) + ".tmp-*"))
    olds = sorted(parent.glob(glob.escape(store.name) + ".old-*"))
    if not store.exists():
        done = [t for t in tmps if (t / "manifest.json").exists()]
        if done:
            done[-1].rename(store)
        elif olds:
            olds[-1].rename(store)
    if store.exists():
        for leftover in tmps + olds:
            if leftover.exists() and not _owned_by_live_build(leftover):
                shutil.rmtree(leftover, ignore_errors=True)


def _owned_by_live_build(folder: Path) -> bool:
    """A ``.tmp-PID`` folder that a running build is still writing."""
    pid = folder.name.rsplit("-", 1)[-1]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    return True


def read_manifest(store: str | os.PathLike) -> dict:
    """The manifest of a store. Raises :class:`StoreError` when the folder is
    not a store of a format this version reads."""
    recover(store)
    p = Path(store) / "manifest.json"
    if not p.exists():
        raise StoreError(f"no store at {store} (run `cancu build PATH... --store {store}` first)")
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StoreError(f"cannot read {p}: {e}") from None
    if m.get("format") != FORMAT or m.get("version") != VERSION:
        raise StoreError(f"{store} is not a {FORMAT} version {VERSION} store")
    return m


def read_records(store: str | os.PathLike, manifest: dict | None = None) -> dict[str, dict]:
    """Path → extraction record of every source in the store."""
    m = manifest or read_manifest(store)
    out = {}
    for path, entry in m["sources"].items():
        out[path] = json.loads((Path(store) / entry["file"]).read_text(encoding="utf-8"))
    return out


def graph_to_json(G: nx.MultiDiGraph) -> str:
    """The graph as canonical JSON text, one node or edge per line."""
    nodes = [dumps({"id": n, **G.nodes[n]}) for n in sorted(G.nodes)]
    edges = sorted((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True))
    lines = [dumps({"from": u, "to": v, "key": k, **d}) for u, v, k, d in edges]
    return ('{"format":"cancu-graph","version":1,\n"nodes":[\n' + ",\n".join(nodes) + '\n],\n"edges":[\n'
            + ",\n".join(lines) + "\n]}\n")


def graph_from_json(text: str) -> nx.MultiDiGraph:
    """The inverse of :func:`graph_to_json`.

    >>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="K", type="CITES")
    'K'
    >>> list(graph_from_json(graph_to_json(G)).edges(keys=True, data=True))
    [('a', 'b', 'K', {'type': 'CITES'})]
    """
    data = json.loads(text)
    G = nx.MultiDiGraph()
    for d in data["nodes"]:
        nid = d.pop("id")
        G.add_node(nid, **d)
    for d in data["edges"]:
        u, v, k = d.pop("from"), d.pop("to"), d.pop("key")
        G.add_edge(u, v, key=k, **d)
    return G


def load_graph(store: str | os.PathLike = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph of a store. Raises :class:`StoreError`."""
    read_manifest(store)
    try:
        return graph_from_json((Path(store) / "graph.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as e:
        raise StoreError(f"cannot read the graph of {store}: {e}") from None


def build(paths: Iterable[str], store: str | os.PathLike = DEFAULT_STORE, prune: bool = False,
          jobs: int = 1, progress: Callable[[int], None] | None = None,
          on_failure: Callable[[str, str], None] | None = None) -> BuildReport:
    """Extract the sources under ``paths`` into ``store`` and rewrite its graph.

    Unchanged sources (same path, same content hash) are not extracted again;
    a changed source replaces its own record; sources in the store but no
    longer under ``paths`` are kept unless ``prune``. ``progress(n)`` is
    called as files are hashed or extracted.
    """
    from extractors.errors import InputError
    from extractors.pipeline import Failure, extract_paths, iter_sources

    store = Path(store)
    recover(store)
    files = sorted(set(iter_sources(paths)))
    old = read_manifest(store) if (store / "manifest.json").exists() else None
    old_sources = old["sources"] if old else {}
    report = BuildReport()
    todo, keep = [], {}
    for f in files:
        try:
            sha = text_sha256(f) if f in old_sources else None
        except InputError as e:
            report.failed.append((f, e.reason))
            if on_failure:
                on_failure(f, e.reason)
            continue
        if sha and sha == old_sources[f]["sha256"]:
            keep[f] = old_sources[f]
            report.kept.append(f)
            if progress:
                progress(1)
        else:
            todo.append(f)
    records = {}
    for res in extract_paths(todo, jobs=jobs, progress=progress):
        if isinstance(res, Failure):
            report.failed.append((res.source, res.reason))
            if on_failure:
                on_failure(res.source, res.reason)
            continue
        records[res.source] = res.to_dict()
        (report.replaced if res.source in old_sources else report.added).append(res.source)
    failed = {f for f, _ in report.failed}
    for f, entry in old_sources.items():
        if f in keep or f in records:
            continue
        if f in failed or not prune:  # kept: not named this time, or unreadable now
            keep[f] = entry
        else:
            report.pruned.append(f)
    if not report.changed and old is not None and (store / "graph.json").exists():
        report.nodes, report.edges = old["graph"]["nodes"], old["graph"]["edges"]
        return report
    all_records = dict(records)
    for f, entry in keep.items():
        all_records[f] = json.loads((store / entry["file"]).read_text(encoding="utf-8"))
    G = build_graph(all_records[f] for f in sorted(all_records))
    _write(store, all_records, G, keep)
    report.nodes, report.edges = G.number_of_nodes(), G.number_of_edges()
    return report


def _write(store: Path, records: dict[str, dict], G: nx.MultiDiGraph, keep: dict) -> None:
    tmp = store.with_name(store.name + f".tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "sources").mkdir(parents=True)
    sources = {}
    for path in sorted(records):
        rec = records[path]
        name = source_file(path)
        if path in keep and (store / name).exists():  # unchanged: link, do not rewrite
            try:
                os.link(store / name, tmp / name)
            except OSError:
                shutil.copyfile(store / name, tmp / name)
        else:
            (tmp / name).write_text(dumps(rec) + "\n", encoding="utf-8")
        me = rec.get("self") or {}
        sources[path] = {"file": name, "sha256": rec.get("sha256"), "province": me.get("province"),
                         "year": me.get("year"), "status": me.get("status"),
                         "counts": {"citations": len(rec.get("citations", [])), "links": len(rec.get("links", [])),
                                    "agencies": len(rec.get("agencies", []))}}
    (tmp / "graph.json").write_text(graph_to_json(G), encoding="utf-8")
    labels: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        for l in d.get("labels", []):
            labels[l] = labels.get(l, 0) + 1
    types: dict[str, int] = {}
    for _, _, t in G.edges(data="type"):
        types[t] = types.get(t, 0) + 1
    manifest = {"format": FORMAT, "version": VERSION, "sources": sources,
                "graph": {"file": "graph.json", "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                          "labels": labels, "types": types}}
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                       encoding="utf-8")
    old = store.with_name(store.name + f".old-{os.getpid()}")
    if store.exists():
        store.rename(old)
    tmp.rename(store)
    if old.exists():
        shutil.rmtree(old)
