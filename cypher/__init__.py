"""The Cypher statements of cancu (câu lệnh Cypher), one ``.cypher`` file per
operation, read by name from the installed package:

* ``schema``: Neo4j 5 constraints and indexes;
* ``load/node-<Label>``, ``load/label-<Label>``, ``load/rel-<TYPE>``,
  ``load/wipe``: the batched load statements (``UNWIND $rows AS row MERGE ...``);
* ``queries/<name>``: the questions of ``cancu query`` for Neo4j Browser;
* ``style.grass``: the Neo4j Browser style sheet.

>>> "queries/implements" in names() and "load/rel-IMPLEMENTS" in names()
True
>>> load("load/node-Task").splitlines()[-1]
'SET n = row.props'
>>> header(load("queries/basis"))["params"]
{'plan': 'Phú Thọ 2025'}
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .errors import UnknownStatement

__all__ = ["load", "names", "path_of", "statements", "header", "style", "UnknownStatement"]

STYLE = "style.grass"


def _root():
    return resources.files(__name__)


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Every statement file, by name (path without ``.cypher``), sorted."""
    out = []
    root = _root()
    for folder in ("", "load", "queries"):
        base = root.joinpath(folder) if folder else root
        for f in base.iterdir():
            if f.name.endswith(".cypher"):
                out.append((folder + "/" if folder else "") + f.name[: -len(".cypher")])
    return tuple(sorted(out))


def resolve(name: str) -> str:
    """The full name of a statement a person names: ``implements`` →
    ``queries/implements``; ``schema.cypher`` → ``schema``.

    >>> resolve("cited-by"), resolve("load/rel-CITES.cypher")
    ('queries/cited-by', 'load/rel-CITES')
    """
    n = name.strip().removesuffix(".cypher")
    for cand in (n, f"queries/{n}", f"load/{n}"):
        if cand in names():
            return cand
    raise UnknownStatement(name, list(names()))


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of statement file ``name`` (cached)."""
    full = resolve(name)
    return _root().joinpath(full + ".cypher").read_text(encoding="utf-8")


def path_of(name: str) -> str:
    """Where the file of ``name`` is (for messages)."""
    return str(_root().joinpath(resolve(name) + ".cypher"))


@lru_cache(maxsize=1)
def style() -> str:
    """The Neo4j Browser style sheet (GraSS)."""
    return _root().joinpath(STYLE).read_text(encoding="utf-8")


def statements(text: str) -> list[str]:
    """The statements of a file: split where a line ends with ``;``, comment
    lines dropped, trailing ``;`` removed.

    >>> statements("// two\\nRETURN 1;\\nRETURN\\n 2;\\n")
    ['RETURN 1', 'RETURN\\n 2']
    """
    out, cur = [], []
    for line in text.splitlines():
        if line.lstrip().startswith("//") or not line.strip():
            continue
        cur.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(cur).rstrip().rstrip(";").rstrip())
            cur = []
    if cur:
        out.append("\n".join(cur).strip())
    return out


_PARAM = re.compile(r"^//\s*:param\s+(\w+)\s*=>\s*(.+?)\s*$")


def _literal(text: str):
    """A simple Cypher literal of a ``:param`` line: string, integer, float,
    boolean or null."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        return re.sub(r"\\(.)", r"\1", t[1:-1])
    low = t.lower()
    if low in ("null", "true", "false"):
        return {"null": None, "true": True, "false": False}[low]
    try:
        return int(t)
    except ValueError:
        return float(t)


def header(text: str) -> dict:
    """The header comment of a saved query: ``title``, ``answers`` (text),
    ``params`` (name → example value, from its ``:param`` lines), ``same_as``."""
    out = {"title": "", "answers": "", "params": {}, "same_as": ""}
    field = None
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        m = _PARAM.match(line)
        if m:
            out["params"][m[1]] = _literal(m[2])
            field = None
            continue
        body = line[2:].strip()
        m = re.match(r"(Title|Answers|Parameters|Same as):\s*(.*)", body)
        if m:
            field = {"Title": "title", "Answers": "answers", "Parameters": "parameters",
                     "Same as": "same_as"}[m[1]]
            out[field] = m[2]
        elif field and body:
            out[field] = (out[field] + " " + body).strip()
    return out


def query_body(text: str) -> str:
    """A saved query without its header comment and final ``;``."""
    return statements(text)[0]
