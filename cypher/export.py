"""Exports of the graph (xuất) for other tools, from :func:`graph.rows.to_rows`
(through :func:`cypher.loader.group_rows`):

* :func:`write_cypher`: a script for cypher-shell or Neo4j Browser: the schema,
  then every batch as a ``:param rows => [...]`` line followed by the load
  statement file unchanged;
* :func:`write_csv`: node and relationship files for ``neo4j-admin database
  import full`` (large corpora), and the exact command;
* :func:`write_graphml`: GraphML for Gephi, yEd, Cytoscape (lists as JSON text).
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
from pathlib import Path

import networkx as nx

from graph.rows import to_rows

from .loader import DEFAULT_BATCH, plan, schema_statements

ARRAY_DELIMITER = "|"
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def cypher_literal(v) -> str:
    """A Cypher literal for a property value (strings, numbers, booleans,
    null, lists and maps of them).

    >>> cypher_literal({"a": "it's\\n", "b c": [1, 2.5, True, None]})
    "{a: 'it\\\\'s\\\\n', `b c`: [1, 2.5, true, null]}"
    """
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise ValueError(f"no Cypher literal for {v}")
        return repr(v)
    if isinstance(v, str):
        out = v.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r") \
            .replace("\t", "\\t")
        return "'" + out + "'"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(v).__name__}")


def _key(k: str) -> str:
    return k if _PLAIN_KEY.match(k) else "`" + k.replace("`", "``") + "`"


def cypher_script(G: nx.MultiDiGraph, batch_size: int = 500):
    """The script's parts (strings), in order; see :func:`write_cypher`."""
    yield ("// cancu graph: run with  cypher-shell -f graph.cypher  (or paste into Neo4j Browser with\n"
           "// the multi-statement editor on). Schema first, then batched data; every statement MERGEs,\n"
           "// so running it twice creates nothing new.\n")
    for st in schema_statements():
        yield st + ";\n"
    for b in plan(G, batch_size):
        yield f"// {b.statement} batch {b.number} of {b.of}\n"
        yield ":param rows => " + cypher_literal(b.rows) + "\n"
        yield "\n".join(line for line in b.text.splitlines() if not line.startswith("//")).strip() + ";\n"


def write_cypher(G: nx.MultiDiGraph, path: str | os.PathLike, batch_size: int = 500) -> dict:
    """Write the Cypher script; returns ``{"path", "statements", "batches"}``."""
    n = b = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for part in cypher_script(G, batch_size):
            f.write(part)
            if part.endswith(";\n"):
                n += 1
            if part.startswith(":param"):
                b += 1
    return {"path": str(path), "statements": n, "batches": b}


def _csv_type(values: list) -> str:
    """The neo4j-admin import type of a column."""
    kinds = set()
    for v in values:
        if isinstance(v, list):
            kinds.add(("list", tuple(sorted({_csv_type([x]) for x in v})) or ("string",)))
        else:
            kinds.add(("bool",) if isinstance(v, bool) else ("int",) if isinstance(v, int)
                      else ("float",) if isinstance(v, float) else ("string",))
    if len(kinds) == 1:
        k = next(iter(kinds))
        if k[0] == "list":
            inner = k[1][0] if len(k[1]) == 1 else "string"
            return inner + "[]"
        return {"bool": "boolean", "int": "long", "float": "double", "string": "string"}[k[0]]
    if all(k[0] in ("int", "float") for k in kinds):
        return "double"
    return "string"


def _csv_value(v, typ: str) -> str:
    if isinstance(v, list):
        parts = [str(x).lower() if isinstance(x, bool) else str(x) for x in v]
        for p in parts:
            if ARRAY_DELIMITER in p:
                raise ValueError(f"a list value holds the array delimiter {ARRAY_DELIMITER!r}: {p!r}")
        return ARRAY_DELIMITER.join(parts)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _write_table(path: Path, rows: list[dict], fixed: list[tuple[str, str]], extra: dict[str, str]) -> None:
    """One CSV file: ``fixed`` columns (name in rows, header) then every
    property with its type; ``extra`` constant columns (header → value)."""
    props = sorted({k for r in rows for k in r} - {name for name, _ in fixed})
    types = {k: _csv_type([r[k] for r in rows if k in r]) for k in props}
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([h for _, h in fixed] + [f"{k}:{types[k]}" for k in props] + list(extra))
        for r in rows:
            w.writerow([r[name] for name, _ in fixed]
                       + [_csv_value(r[k], types[k]) if k in r else "" for k in props] + list(extra.values()))


def write_csv(G: nx.MultiDiGraph, folder: str | os.PathLike, database: str = "neo4j") -> dict:
    """Write ``nodes-<labels>.csv`` and ``rels-<TYPE>.csv`` into ``folder``
    and ``import.sh`` with the ``neo4j-admin database import full`` command;
    returns ``{"files": [...], "command": str}``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files, args = [], []
    for name, rows in to_rows(G).items():
        if name.startswith(":"):
            labels = name[1:].split(":")
            fn = "nodes-" + "-".join(labels) + ".csv"
            _write_table(folder / fn, rows, [("id", "id:ID")], {":LABEL": ";".join(labels)})
            args.append(f"--nodes={fn}")
        else:
            fn = f"rels-{name}.csv"
            _write_table(folder / fn, rows, [("from", ":START_ID"), ("to", ":END_ID")], {":TYPE": name})
            args.append(f"--relationships={fn}")
        files.append(str(folder / fn))
    command = ("neo4j-admin database import full --overwrite-destination "
               f"--array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true "
               + " ".join(sorted(args, key=lambda a: (a.startswith("--rel"), a))) + f" {database}")
    script = folder / "import.sh"
    script.write_text("#!/bin/sh\n# Import the cancu graph into a STOPPED Neo4j 5 server (replaces the database),\n"
                      "# then start Neo4j and create the schema:  cypher-shell -f schema.cypher\n"
                      f"# Run from this folder ({folder.name}/).\nset -e\ncd \"$(dirname \"$0\")\"\n"
                      + command + "\n", encoding="utf-8")
    from . import load
    (folder / "schema.cypher").write_text(load("schema"), encoding="utf-8")
    return {"files": files, "command": command, "script": str(script)}


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> dict:
    """Write GraphML: every node with its properties and ``labels``
    (``:Document:Plan``), every edge with ``type`` and ``key``; lists as JSON
    text."""
    H = nx.MultiDiGraph()
    rows = to_rows(G)

    def flat(d):
        return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in d.items()}
    for name, rs in rows.items():
        if name.startswith(":"):
            for r in rs:
                H.add_node(r["id"], labels=name, **flat({k: v for k, v in r.items() if k != "id"}))
    for name, rs in rows.items():
        if not name.startswith(":"):
            for r in rs:
                H.add_edge(r["from"], r["to"], key=r["key"], type=name,
                           **flat({k: v for k, v in r.items() if k not in ("from", "to", "key")}))
    nx.write_graphml(H, path, encoding="utf-8", named_key_ids=True)
    return {"path": str(path), "nodes": H.number_of_nodes(), "edges": H.number_of_edges()}


__all__ = ["cypher_literal", "cypher_script", "write_cypher", "write_csv", "write_graphml", "DEFAULT_BATCH"]
