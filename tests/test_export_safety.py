"""`cancu export` with values the formats cannot hold as they are, and
exports that fail part way (issue 9, item 10).

The hostile plan is real text as PDFs and OCR give it: a form feed (page
break) inside a citation, an escape sequence, quotes, a backslash, and a
table border ``|`` inside an agency's name, which lands in a list
(``aliases``). The values the pipeline cannot produce (NUL, a lone surrogate
from a non-UTF-8 file name, U+2028, a list holding every usual array
delimiter, one property with values of several types) are set on the built
graph by the test. Each export is read back the way its consumer reads it:
neo4j-admin's CSV conventions, networkx.read_graphml, Neo4j's own Cypher
front end and a replay on embedded FalkorDB."""

from __future__ import annotations

import csv
import json
import os
import resource
import shlex
import signal
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

from cancu.cli import main
from cancu.cypher import export
from cancu.cypher.errors import ExportFailed
from cancu.graph.rows import to_rows
from cancu.graph.store import load_graph

from .conftest import PLANS, ROOT
from .cypher_support import falkor_runner

HOSTILE_PLAN = (
    "KẾ HOẠCH\nCÔNG TÁC THÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN TỈNH CAO BẰNG NĂM 2025\n"
    "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động\x0cthông tin đối ngoại;\n"
    'I. NHIỆM VỤ\n1. Tuyên truyền "đối ngoại", quảng bá\n'
    "- Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị\x1b[0m về 'thông tin' đối ngoại\\trong "
    "tình hình mới.\n"
    "- Đơn vị chủ trì: Sở Thông tin và Truyền thông.\n"
    "- Đơn vị phối hợp: Sở Văn hóa, Thể thao | Du lịch.\n"
)


def cancu(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "plans").mkdir()
    (root / "plans" / "cao-bang-hostile.txt").write_text(HOSTILE_PLAN, encoding="utf-8")
    (root / "plans" / "phu-tho-2025-ttdn.txt").write_bytes((PLANS / "phu-tho-2025-ttdn.txt").read_bytes())
    r = cancu("build", str(root / "plans"), "--store", str(root / "store"))
    assert r.exit_code == 0, r.output
    return str(root / "store")


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    s = tmp_path_factory.mktemp("sample") / "store"
    r = cancu("build", str(PLANS), "--store", str(s))
    assert r.exit_code == 0, r.output
    return str(s)


def hostile_graph(store, mixed: bool = False) -> nx.MultiDiGraph:
    """The built graph plus what only a damaged or foreign input carries
    (with ``mixed``, one text ``year`` where the others are ints)."""
    G = load_graph(store)
    plan = next(n for n in G if G.nodes[n].get("source", "").endswith("cao-bang-hostile.txt"))
    G.nodes[plan]["source"] = G.nodes[plan]["source"].replace("cao-bang", "cao-b\udce0ng")  # not UTF-8
    G.nodes["doc:57-kl/tw"]["spellings"] = ["57-KL/TW", "57|KL;TW^~", "57\x00KL", 'x"y,z', "a\r\nb\u2028c", " ¦ "]
    G.nodes["doc:57-kl/tw"]["name"] = "Kết luận\x00 57\ufffe\x7f\x85 \\'"
    if mixed:
        G.nodes["doc:72/2015/nđ-cp"]["year"] = "2015"  # other documents have an int year
    G.graph.pop("_cancu_index", None)
    return G


def _clean_rows(G, pattern=None):
    """to_rows with what every format replaces already replaced."""

    def c(v):
        if isinstance(v, str):
            return export.clean_text(v) if pattern is None else export.clean_text(v, pattern)
        if isinstance(v, list):
            return [c(x) for x in v]
        return v

    return {name: [{k: c(v) for k, v in r.items()} for r in rs] for name, rs in to_rows(G).items()}


# -- CSV, read as neo4j-admin reads it ------------------------------------------------


def read_neo4j_admin(folder) -> tuple[str, dict[str, list[dict]]]:
    """The files named by import.sh, read by neo4j-admin's rules: RFC 4180
    fields (double quotes, doubled inside, line breaks allowed with
    --multiline-fields=true), ``name:type`` headers, ``[]`` columns and
    ``:LABEL`` split on --array-delimiter, an empty field is no property."""
    command = (folder / "import.sh").read_text(encoding="utf-8").splitlines()[-1]
    args = shlex.split(command)
    delim = next(a.split("=", 1)[1] for a in args if a.startswith("--array-delimiter="))
    assert len(delim) == 1 and delim not in ',"\n\r'
    typed = {"long": int, "int": int, "double": float, "float": float, "string": str, "boolean": lambda s: s == "true"}
    out = {}
    for a in args:
        if not a.startswith(("--nodes=", "--relationships=")):
            continue
        with open(folder / a.split("=", 1)[1], encoding="utf-8", newline="") as f:
            table = list(csv.reader(f, delimiter=",", quotechar='"', doublequote=True, strict=True))
        header, rows = table[0], table[1:]
        for fields in rows:
            assert len(fields) == len(header)
            row, name = {}, None
            for h, v in zip(header, fields):
                key, _, typ = h.rpartition(":")
                if typ == "LABEL":
                    name = ":" + ":".join(v.split(delim))
                elif typ == "TYPE":
                    name = v
                elif typ in ("ID", "START_ID", "END_ID"):
                    row[{"ID": "id", "START_ID": "from", "END_ID": "to"}[typ]] = v
                elif v != "":
                    row[key] = [typed[typ[:-2]](x) for x in v.split(delim)] if typ.endswith("[]") else typed[typ](v)
            out.setdefault(name, []).append(row)
    return delim, out


def _without_empty(rows):
    return {name: [{k: v for k, v in r.items() if v not in ([], "")} for r in rs] for name, rs in rows.items()}


def test_csv_of_the_hostile_plan_reads_back_in_neo4j_admin(store, tmp_path):
    """Before: a traceback on the `|` of "Sở Văn hóa, Thể thao | Du lịch" and
    a truncated file. Now the delimiter is one no list element holds."""
    out = tmp_path / "import"
    r = cancu("export", "--store", store, "--format", "csv", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == f"wrote 20 CSV files, schema.cypher and import.sh into {out}"
    assert "--array-delimiter=';'" in r.output.splitlines()[2]
    delim, got = read_neo4j_admin(out)
    assert delim == ";"
    G = load_graph(store)
    assert got == _without_empty(_clean_rows(G))
    aliases = next(r["aliases"] for r in got[":Agency"] if r["id"].endswith("so-van-hoa-va-the-thao"))
    assert "Sở Văn hóa, Thể thao | Du lịch" in aliases
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(p.name for p in out.glob("*.csv")), "import.sh", "schema.cypher"]
    )


def test_csv_of_values_no_usual_delimiter_can_split(store, tmp_path):
    G = hostile_graph(store)
    r = export.write_csv(G, tmp_path / "csv")
    assert r["array_delimiter"] == "\ue000"  # |, ;, ^ and ~ all occur in one spelling
    assert "--array-delimiter='\ue000'" in r["command"]
    delim, got = read_neo4j_admin(tmp_path / "csv")
    assert delim == "\ue000"
    assert got == _without_empty(_clean_rows(G))
    doc = next(r for r in got[":Conclusion:Document"] if r["id"] == "doc:57-kl/tw")
    assert doc["spellings"] == ["57-KL/TW", "57|KL;TW^~", "57\ufffdKL", 'x"y,z', "a\r\nb\u2028c", " ¦ "]
    plan = next(r for r in got[":Document:Plan"] if "cao-b" in r.get("source", ""))
    assert "cao-b\ufffdng" in plan["source"]


# -- GraphML ------------------------------------------------------------------------------


def test_graphml_reads_back_in_networkx(store, tmp_path):
    """Before: a ValueError on the form feed and a partial file."""
    out = tmp_path / "g.graphml"
    r = cancu("export", "--store", store, "--format", "graphml", "--out", str(out))
    assert r.exit_code == 0 and r.output == f"wrote {out}: 33 nodes, 50 edges\n", r.output
    H = nx.read_graphml(out, force_multigraph=True)
    G = load_graph(store)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    ctx = next(
        json.loads(d["contexts"])[0]
        for u, v, d in H.edges(data=True)
        if v == "doc:72/2015/nđ-cp" and d["type"] == "BASED_ON" and u.startswith("plan:cao-bang")
    )
    # the form feed, which XML 1.0 cannot hold: the evidence lists are JSON text, which escapes it
    assert "hoạt động\x0cthông tin đối ngoại" in ctx
    # lists are JSON text, which escapes control characters (test_graphml_of_hostile_values_round_trips);
    # the issuer's name ends at the escape sequence, so no garbled alias of Bộ Chính trị is left
    assert json.loads(H.nodes["agency:national:bo-chinh-tri"]["aliases"]) == []


def test_graphml_of_hostile_values_round_trips(store, tmp_path):
    G = hostile_graph(store, mixed=True)
    export.write_graphml(G, tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    text = _clean_rows(G, export._NOT_XML)  # text: what XML 1.0 cannot hold is replaced
    lists = _clean_rows(G)  # lists: JSON text keeps control characters (escaped), not NUL
    for name, rs in text.items():
        if name.startswith(":"):
            for r, raw in zip(rs, lists[name]):
                d = H.nodes[r["id"]]
                assert d["labels"] == name
                for k, v in r.items():
                    if k == "id":
                        continue
                    if k == "year":  # an int on most documents, text on one: all text
                        assert d[k] == str(v)
                    elif isinstance(v, list):
                        assert json.loads(d[k]) == raw[k], (r["id"], k)
                    else:
                        assert d[k] == v, (r["id"], k)
    assert H.nodes["doc:57-kl/tw"]["name"] == "Kết luận\ufffd 57\ufffd\x7f\x85 \\'"
    assert json.loads(H.nodes["doc:57-kl/tw"]["spellings"])[4] == "a\r\nb\u2028c"
    assert sorted((u, v, k) for u, v, k in H.edges(keys=True)) == sorted(G.edges(keys=True))


# -- Cypher ---------------------------------------------------------------------------------


def _replay(path, runner) -> int:
    """Run graph.cypher as cypher-shell does: lines end at LF only; each
    :param line sets $rows, each statement runs with it."""
    params, statement, ran = {}, [], 0
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("//") or not line.strip():
            continue
        if line.startswith(":param rows => "):
            params = {"rows": runner.read("RETURN " + line[len(":param rows => ") :] + " AS v")[0]["v"]}
            continue
        statement.append(line)
        if line.endswith(";"):
            text = "\n".join(statement)[:-1]
            if text.startswith(("CREATE CONSTRAINT", "CREATE INDEX")):
                runner.schema(text)
            else:
                runner.write(text, params)
            ran += 1
            statement = []
    return ran


def test_cypher_script_of_hostile_values_lints_and_rebuilds_the_graph(store, tmp_path):
    from .test_cypher_lint import lint

    G = hostile_graph(store)
    out = tmp_path / "graph.cypher"
    info = export.write_cypher(G, out, batch_size=40)
    text = out.read_text(encoding="utf-8")
    assert "\x00" not in text and "\\f" in text  # the form feed, escaped
    keys = {"id", "props", "rows", "row", "from", "to", "key"} | {
        k for rs in to_rows(G).values() for r in rs for k in r
    }
    labels = sorted({lbl for _, d in G.nodes(data=True) for lbl in d["labels"]})
    schema = {
        "labels": labels,
        "relationshipTypes": sorted({t for *_, t in G.edges(data="type")}),
        "propertyKeys": sorted(keys),
    }
    parts = [p for p in export.cypher_script(G, batch_size=40) if not p.startswith("//")]
    bad = [
        r
        for r in lint(
            [{"name": f"part {i}", "query": p, "parameters": {"rows": []}} for i, p in enumerate(parts)], schema
        )
        if r["diagnostics"]
    ]
    assert not bad, json.dumps(bad[:3], ensure_ascii=False)
    with falkor_runner(tmp_path / "replay.db") as runner:
        assert _replay(out, runner) == info["statements"]
        want = {r["id"]: r for name, rs in _clean_rows(G).items() if name.startswith(":") for r in rs}
        got = {r["id"]: r["p"] for r in runner.read("MATCH (n) RETURN n.id AS id, properties(n) AS p")}
        assert got == want
        assert got["doc:57-kl/tw"]["spellings"][4] == "a\r\nb\u2028c"


def test_a_value_cypher_cannot_write_names_the_node(store, tmp_path):
    G = load_graph(store)
    G.nodes["doc:57-kl/tw"]["weight"] = float("nan")
    with pytest.raises(ExportFailed) as e:
        export.write_cypher(G, tmp_path / "g.cypher")
    assert str(e.value) == "no Cypher literal for nan in doc:57-kl/tw (load/node-Document)"
    assert list(tmp_path.iterdir()) == []


# -- whole or not at all --------------------------------------------------------------------


def _tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt,out", [("cypher", "graph.cypher"), ("graphml", "graph.graphml"), ("csv", "import")])
def test_a_full_disk_leaves_the_old_export_untouched(sample_store, tmp_path, fmt, out):
    """The second export runs with a file size limit (RLIMIT_FSIZE: writes past
    32 KB fail with EFBIG, as on a full disk) and fails part way: one line, exit
    status 1, the first export and the user's own file byte for byte as they
    were, no temporary file left."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    target = folder / out
    r = cancu("export", "--store", sample_store, "--format", fmt, "--out", str(target))
    assert r.exit_code == 0, r.output
    before = _tree(folder)

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (32 * 1024, 32 * 1024))

    p = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cancu.cli import main; main()",
            "export",
            "--store",
            sample_store,
            "--format",
            fmt,
            "--out",
            str(target),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert p.returncode == 1, p.stdout + p.stderr
    assert p.stderr == f"Error: cannot write {target}: File too large; nothing was written\n"
    assert p.stdout == ""
    assert _tree(folder) == before


def test_interrupted_export_leaves_no_partial_file(sample_store, tmp_path, monkeypatch):
    out = tmp_path / "graph.cypher"
    out.write_text("// the previous export\n", encoding="utf-8")
    real = export.cypher_script

    def interrupted(*a, **k):
        for i, part in enumerate(real(*a, **k)):
            if i == 30:
                raise KeyboardInterrupt
            yield part

    monkeypatch.setattr(export, "cypher_script", interrupted)
    r = cancu("export", "--store", sample_store, "--format", "cypher", "--out", str(out))
    assert r.exit_code == 1 and r.output == "\nAborted!\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.cypher"]
    assert out.read_text(encoding="utf-8") == "// the previous export\n"


def test_export_onto_a_folder_or_nowhere(sample_store, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "keep.txt").write_text("x", encoding="utf-8")
    r = cancu("export", "--store", sample_store, "--format", "graphml", "--out", str(tmp_path / "d"))
    assert r.exit_code == 1
    assert r.output == f"Error: cannot write {tmp_path / 'd'}: Is a directory; nothing was written\n"
    assert _tree(tmp_path) == {"d/keep.txt": b"x"}
    r = cancu("export", "--store", sample_store, "--format", "csv", "--out", str(tmp_path / "d" / "keep.txt"))
    assert r.exit_code == 1
    assert r.output == f"Error: cannot write {tmp_path / 'd' / 'keep.txt'}: File exists; nothing was written\n"
    assert _tree(tmp_path) == {"d/keep.txt": b"x"}
