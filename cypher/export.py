"""Exports of the graph (xuất) for other tools, from :func:`graph.rows.to_rows`
(through :func:`cypher.loader.group_rows`):

* :func:`write_cypher`: a script for cypher-shell or Neo4j Browser: the schema,
  then every batch as a ``:param rows => [...]`` line followed by the load
  statement file unchanged;
* :func:`write_csv`: node and relationship files for ``neo4j-admin database
  import full`` (large corpora), and the exact command;
* :func:`write_graphml`: GraphML for Gephi, yEd, Cytoscape (lists as JSON text).

Every file is written whole or not at all: into a temporary file beside it,
renamed over the old one only when complete, so a failure (a full disk, an
interrupted run, a value that cannot be written) leaves the previous file as
it was and no partial one. What a format cannot hold is replaced, never
crashed on: NUL and lone surrogates (a non-UTF-8 file name) become U+FFFD in
every format (UTF-8 and embedded engines cannot hold them), and so do the
other control characters XML 1.0 forbids (form feeds from PDFs ...) in
GraphML; Cypher strings escape ``\\ ' \\n \\r \\t \\b \\f``; CSV quotes any field
holding a delimiter, a quote or a line break, and picks an array delimiter
that no list element (and no label) contains.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from ..graph.rows import to_rows
from .errors import ExportFailed
from .loader import DEFAULT_BATCH, plan, schema_statements

#: the array delimiter of the CSV export, unless a list element holds it (then the first of
#: ARRAY_DELIMITERS no element holds, else a private-use character)
ARRAY_DELIMITER = "|"
ARRAY_DELIMITERS = "|;^~"
REPLACEMENT = "\ufffd"
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: what no export holds: NUL (FalkorDB strings are C strings) and lone surrogates (not UTF-8)
_UNHOLDABLE = re.compile("[\x00\ud800-\udfff]")
#: what XML 1.0 cannot hold: control characters but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_CYPHER_SPECIAL = re.compile("[\\\\'\n\r\t\b\f]")
#: ``progress(item, done, total)``: ``done`` of ``total`` rows written, ``item`` the last part
Progress = Callable[[str, int, int], None]


def clean_text(s: str, pattern: re.Pattern = _UNHOLDABLE) -> str:
    """``s`` with what the format cannot hold replaced by U+FFFD.

    >>> clean_text("a\\x00b\\udcff"), clean_text("page\\x0cbreak", _NOT_XML)
    ('a\ufffdb\ufffd', 'page\ufffdbreak')
    """
    return pattern.sub(REPLACEMENT, s)


def _clean(v, pattern: re.Pattern = _UNHOLDABLE):
    if isinstance(v, str):
        return clean_text(v, pattern)
    if isinstance(v, list):
        return [_clean(x, pattern) for x in v]
    if isinstance(v, dict):
        return {_clean(k, pattern): _clean(x, pattern) for k, x in v.items()}
    return v


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _atomic(path: str | os.PathLike, binary: bool = False):
    """A file object that becomes ``path`` only if the block ends normally: a
    temporary file in the same folder, synced, then renamed over ``path``
    (keeping the old file's permissions). On any error the temporary file is
    removed and ``path`` is untouched."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="") as f:
            fd = None
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if fd is not None:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
        return "'" + _CYPHER_SPECIAL.sub(lambda m: _CYPHER_ESCAPES[m[0]], clean_text(v)) + "'"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(v).__name__}")


def _key(k: str) -> str:
    return k if _PLAIN_KEY.match(k) else "`" + k.replace("`", "``") + "`"


def _literal_of_batch(b) -> str:
    try:
        return cypher_literal(b.rows)
    except (TypeError, ValueError):
        for r in b.rows:
            try:
                cypher_literal(r)
            except (TypeError, ValueError) as e:
                what = r.get("id") or f"{r.get('from')} → {r.get('to')} ({r.get('key')})"
                raise ExportFailed(f"{e} in {what} ({b.statement})") from None
        raise


def cypher_script(G: nx.MultiDiGraph, batch_size: int = 500, progress: Progress | None = None):
    """The script's parts (strings), in order; see :func:`write_cypher`.
    Raises :class:`ExportFailed` for a value Cypher has no literal for (NaN,
    infinity). ``progress(batch, done, total)`` is called once each batch
    is yielded whole: ``done`` of ``total`` rows."""
    yield (
        "// cancu graph: run with  cypher-shell -f graph.cypher  (or paste into Neo4j Browser with\n"
        "// the multi-statement editor on). Schema first, then batched data; every statement MERGEs,\n"
        "// so running it twice creates nothing new.\n"
    )
    for st in schema_statements():
        yield st + ";\n"
    batches = plan(G, batch_size)
    total, done = sum(len(b.rows) for b in batches), 0
    for b in batches:
        yield f"// {b.statement} batch {b.number} of {b.of}\n"
        yield ":param rows => " + _literal_of_batch(b) + "\n"
        yield "\n".join(line for line in b.text.splitlines() if not line.startswith("//")).strip() + ";\n"
        done += len(b.rows)
        if progress:
            progress(f"{b.statement} {b.number}/{b.of}", done, total)


def write_cypher(
    G: nx.MultiDiGraph, path: str | os.PathLike, batch_size: int = 500, progress: Progress | None = None
) -> dict:
    """Write the Cypher script (whole or not at all); returns ``{"path",
    "statements", "batches"}``. ``progress(batch, done, total)`` (tiến độ)
    is called as each batch is written: ``done`` of ``total`` rows."""
    n = b = 0
    with _atomic(path) as f:
        for part in cypher_script(G, batch_size, progress):
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
            kinds.add(
                ("bool",)
                if isinstance(v, bool)
                else ("int",)
                if isinstance(v, int)
                else ("float",)
                if isinstance(v, float)
                else ("string",)
            )
    if len(kinds) == 1:
        k = next(iter(kinds))
        if k[0] == "list":
            inner = k[1][0] if len(k[1]) == 1 else "string"
            return inner + "[]"
        return {"bool": "boolean", "int": "long", "float": "double", "string": "string"}[k[0]]
    if all(k[0] in ("int", "float") for k in kinds):
        return "double"
    return "string"


def _scalar(x) -> str:
    return ("true" if x else "false") if isinstance(x, bool) else clean_text(str(x))


def _csv_value(v, typ: str, delimiter: str = ARRAY_DELIMITER) -> str:
    if isinstance(v, list):
        return delimiter.join(_scalar(x) for x in v)
    return _scalar(v)


def array_delimiter(rows: dict[str, list[dict]]) -> str:
    """The array delimiter of a CSV export of ``rows`` (from :func:`to_rows`):
    ``|`` unless a list element or a label holds it, then the first of
    :data:`ARRAY_DELIMITERS`, then of the private-use characters, that none
    holds. neo4j-admin splits both ``[]`` columns and ``:LABEL`` on it.

    >>> array_delimiter({":Document": [{"id": "a", "spellings": ["57|KL", "x;y"]}]})
    '^'
    """
    used = set()
    for name, rs in rows.items():
        if name.startswith(":"):
            used.update(name)
        for r in rs:
            for v in r.values():
                if isinstance(v, list):
                    for x in v:
                        used.update(_scalar(x))
    for c in ARRAY_DELIMITERS:
        if c not in used:
            return c
    for cp in range(0xE000, 0xF900):
        if chr(cp) not in used:
            return chr(cp)
    raise ExportFailed("every candidate array delimiter occurs in a list value")


def _csv_field(s: str) -> str:
    """One field as neo4j-admin reads it (RFC 4180, --multiline-fields=true):
    quoted, with quotes doubled, when it holds a comma, a quote or a line break."""
    if s == "" or not any(c in s for c in ',"\n\r'):
        return s
    return '"' + s.replace('"', '""') + '"'


def _write_table(
    f, rows: list[dict], fixed: list[tuple[str, str]], extra: dict[str, str], delimiter: str = ARRAY_DELIMITER
) -> None:
    """One CSV file: ``fixed`` columns (name in rows, header) then every
    property with its type; ``extra`` constant columns (header → value)."""
    props = sorted({k for r in rows for k in r} - {name for name, _ in fixed})
    types = {k: _csv_type([r[k] for r in rows if k in r]) for k in props}

    def line(fields):
        f.write(",".join(_csv_field(x) for x in fields) + "\n")

    line([h for _, h in fixed] + [f"{k}:{types[k]}" for k in props] + list(extra))
    for r in rows:
        line(
            [clean_text(r[name]) for name, _ in fixed]
            + [_csv_value(r[k], types[k], delimiter) if k in r else "" for k in props]
            + list(extra.values())
        )


def _shell_quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def write_csv(
    G: nx.MultiDiGraph, folder: str | os.PathLike, database: str = "neo4j", progress: Progress | None = None
) -> dict:
    """Write ``nodes-<labels>.csv`` and ``rels-<TYPE>.csv`` into ``folder``
    and ``import.sh`` with the ``neo4j-admin database import full`` command;
    returns ``{"files": [...], "command": str, "script": str, "array_delimiter": str}``.
    ``progress(file, done, total)`` (tiến độ) is called as each CSV file is
    written: ``done`` of ``total`` rows (nodes and relationships).

    Every file is first written to a temporary file in ``folder``; they
    replace the old ones only once all are complete, so a failure leaves the
    folder as it was (other files in it are never touched)."""
    folder = Path(folder)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    rows = to_rows(G)
    delim = array_delimiter(rows)
    total, written = sum(len(rs) for rs in rows.values()), 0
    from . import load

    files, args, done = [], [], []
    try:
        with contextlib.ExitStack() as stack:

            def out(fn):
                f = stack.enter_context(_atomic(folder / fn))
                done.append(fn)
                return f

            for name, rs in rows.items():
                if name.startswith(":"):
                    labels = name[1:].split(":")
                    fn = "nodes-" + "-".join(labels) + ".csv"
                    _write_table(out(fn), rs, [("id", "id:ID")], {":LABEL": delim.join(labels)}, delim)
                    args.append(f"--nodes={fn}")
                else:
                    fn = f"rels-{name}.csv"
                    _write_table(out(fn), rs, [("from", ":START_ID"), ("to", ":END_ID")], {":TYPE": name}, delim)
                    args.append(f"--relationships={fn}")
                files.append(str(folder / fn))
                written += len(rs)
                if progress:
                    progress(fn, written, total)
            command = (
                "neo4j-admin database import full --overwrite-destination "
                f"--array-delimiter={_shell_quote(delim)} --multiline-fields=true "
                + " ".join(sorted(args, key=lambda a: (a.startswith("--rel"), a)))
                + f" {database}"
            )
            out("import.sh").write(
                "#!/bin/sh\n# Import the cancu graph into a STOPPED Neo4j 5 server (replaces the database),\n"
                "# then start Neo4j and create the schema:  cypher-shell -f schema.cypher\n"
                f'# Run from this folder ({clean_text(folder.name)}/).\nset -e\ncd "$(dirname "$0")"\n' + command + "\n"
            )
            out("schema.cypher").write(load("schema"))
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return {"files": files, "command": command, "script": str(folder / "import.sh"), "array_delimiter": delim}


def _graphml_value(v):
    """Lists as JSON text (which escapes control characters, so they
    survive); in text, what XML 1.0 cannot hold becomes U+FFFD."""
    v = json.dumps(_clean(v), ensure_ascii=False) if isinstance(v, list) else v
    return clean_text(v, _NOT_XML) if isinstance(v, str) else v


def _uniform(items: list[dict]) -> None:
    """GraphML declares one type per attribute: where the values of one
    attribute have several types, ints and floats become floats and anything
    else text (JSON for non-strings)."""
    kinds: dict[str, set] = {}
    for d in items:
        for k, v in d.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, ts in kinds.items():
        if len(ts) < 2:
            continue
        to = float if ts <= {int, float} else str
        for d in items:
            if k in d and type(d[k]) is not to:
                d[k] = float(d[k]) if to is float else d[k] if isinstance(d[k], str) else json.dumps(d[k])


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike, progress: Progress | None = None) -> dict:
    """Write GraphML (whole or not at all): every node with its properties
    and ``labels`` (``:Document:Plan``), every edge with ``type`` and
    ``key``; lists as JSON text. Raises :class:`ExportFailed` when two node
    ids become one once cleaned for XML. ``progress(kind, done, total)``
    (tiến độ) is called as the nodes of each label and the edges of each
    type are made ready (``done`` of ``total`` rows), before the file is
    written in one go (networkx writes it)."""
    H = nx.MultiDiGraph()
    rows = to_rows(G)
    total, done = sum(len(rs) for rs in rows.values()), 0
    nodes, edges, ids = [], [], {}
    for name, rs in rows.items():
        if name.startswith(":"):
            for r in rs:
                nid = clean_text(r["id"], _NOT_XML)
                if ids.setdefault(nid, r["id"]) != r["id"]:
                    raise ExportFailed(
                        f"node ids {ids[nid]!r} and {r['id']!r} are the same once cleaned "
                        "for XML (control characters replaced)"
                    )
                nodes.append((nid, {"labels": name, **{k: _graphml_value(v) for k, v in r.items() if k != "id"}}))
            done += len(rs)
            if progress:
                progress(name, done, total)
    for name, rs in rows.items():
        if not name.startswith(":"):
            for r in rs:
                edges.append(
                    (
                        clean_text(r["from"], _NOT_XML),
                        clean_text(r["to"], _NOT_XML),
                        clean_text(r["key"], _NOT_XML),
                        {
                            "type": name,
                            **{k: _graphml_value(v) for k, v in r.items() if k not in ("from", "to", "key")},
                        },
                    )
                )
            done += len(rs)
            if progress:
                progress(name, done, total)
    _uniform([d for _, d in nodes])
    _uniform([d for *_, d in edges])
    H.add_nodes_from(nodes)
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **d)
    with _atomic(path, binary=True) as f:
        nx.write_graphml(H, f, encoding="utf-8", named_key_ids=True)
    return {"path": str(path), "nodes": H.number_of_nodes(), "edges": H.number_of_edges()}


__all__ = [
    "cypher_literal",
    "cypher_script",
    "write_cypher",
    "write_csv",
    "write_graphml",
    "array_delimiter",
    "clean_text",
    "DEFAULT_BATCH",
]
