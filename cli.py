"""cancu: the command line (dòng lệnh). Each command parses its options, makes
one library call and prints; only this module turns the library's exceptions
into messages for people."""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from typing import BinaryIO, TextIO

FORMATS = ("json", "jsonl", "table")

#: what the library's messages call a setting or a call that gets past a failure
#: (``CancuError.setting``, ``Failure.setting``) → what this command line calls it
SAY = {
    "max_bytes": "--max-size",
    "timeout": "--timeout",
    "jobs=1": "--jobs 1",
    "with jobs": "without --scheduler",
    "see Failure.traceback": "run with --debug for the traceback",
    "wipe_first": "--wipe",
    "user/password": "--user/--password",
    "another with database": "another with --database",
    "(uri,": "(--uri,",
    "another store": "another --store",
    "for the store": "for --store",
    "build(paths, store)": "`cancu build PATH... --store {store}`",
    "build(rebuild=True)": "`cancu build --rebuild --store {store}`",
    "build(paths, rebuild=True)": "`cancu build PATH... --rebuild --store {store}`",
}


def said(message: str, setting: str | None, store=None) -> str:
    """A library message in the words of the command line (:data:`SAY`):
    ``file too large (...; the limit is 51,200, see max_bytes)`` says
    ``see --max-size``."""
    from .extractors.errors import reworded

    return reworded(message, setting, SAY, store=store)


def _said(e) -> str:
    """An exception's message in the words of the command line."""
    return said(str(e), getattr(e, "setting", None), getattr(e, "store", None))


def suffixes_in_words(last: str = " and ") -> str:
    """The suffixes of the files read from folders, as the help says them:
    ``*.txt, *.md, ... *.html and *.htm``."""
    from .extractors.readers import SUFFIXES

    stars = [f"*{s}" for s in SUFFIXES]
    return ", ".join(stars[:-1]) + last + stars[-1]


def _with_suffixes(fn):
    """Fill ``{SUFFIXES}`` in a command's help with :func:`suffixes_in_words`
    (the one list of formats is :data:`extractors.readers.SUFFIXES`)."""
    fn.__doc__ = fn.__doc__.replace("{SUFFIXES}", suffixes_in_words())
    return fn


#: the language of this run (``--lang``, else the locale): see cancu.extractors.i18n
_LANG: list[str] = []


def _tr():
    from .extractors.i18n import language, translation

    return translation(_LANG[-1] if _LANG else language())


def _(message: str) -> str:
    """A message in the user's language (gettext)."""
    return _tr().gettext(message)


def _column(name: str) -> str:
    """A table's column name in the user's language."""
    return _tr().pgettext("column", name)


#: the columns whose values are words of the tool (roles, statuses, relations), said in the user's language
_WORD_COLUMNS = ("role", "status", "in_force", "direction", "relation", "metric", "kind", "level")


def _value(column: str, v: str) -> str:
    """A cell in the user's language: a relationship type by its Vietnamese name
    (data/scheme.json), a role, status or direction by the catalogue."""
    if not _LANG or _LANG[-1] == "en" or not v:
        return v
    from .extractors.vocabulary import scheme

    rels = scheme()["relationships"]
    if column in ("type", "kind") and v in rels:
        return rels[v]["vi"]
    if column in _WORD_COLUMNS:
        return _tr().pgettext("value", v)
    return v.replace("(draft)", "(" + _tr().pgettext("value", "draft") + ")")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cancu")
@click.option(
    "--lang",
    type=click.Choice(["en", "vi"]),
    default=None,
    help="The language of headers, relation names and messages (ngôn ngữ); default: English, "
    "or Vietnamese where the locale is (LANG=vi_VN.UTF-8).",
)
def main(lang):
    """cancu turns Vietnamese government plans (kế hoạch) into a knowledge
    graph of the legal documents they cite (căn cứ): decrees, circulars,
    decisions, Party conclusions ... with the sentence each citation comes from.
    """
    from .extractors.i18n import language

    _LANG[:] = [language(lang)]
    _say_readings()


class _Readings(logging.Handler):
    """How the library read a typed name ("reading 'Nghi quyet 57' as
    57-NQ/TW"), said once each on stderr."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.said: set[str] = set()

    def emit(self, record):
        if record.msg == "reading %r as %s":
            typed, name = record.args
            text = _("reading {typed} as {name}").format(typed=repr(typed), name=_value("name", name))
        else:
            text = record.getMessage()
        if text not in self.said:
            self.said.add(text)
            click.echo(f"cancu: {text}", err=True)


def _say_readings() -> None:
    log = logging.getLogger("cancu.graph")
    for h in [h for h in log.handlers if isinstance(h, _Readings)]:
        log.removeHandler(h)
    log.addHandler(_Readings())
    log.setLevel(logging.INFO)
    log.propagate = False


class ByteSize(click.ParamType):
    """A size in bytes: ``20000000``, ``500k``, ``20M``, ``1G`` (powers of 1024)."""

    name = "size"
    _UNITS = {
        "": 1,
        "b": 1,
        "k": 1024,
        "kb": 1024,
        "kib": 1024,
        "m": 1024**2,
        "mb": 1024**2,
        "mib": 1024**2,
        "g": 1024**3,
        "gb": 1024**3,
        "gib": 1024**3,
    }

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        import re

        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        if not m or m.group(2).lower() not in self._UNITS or float(m.group(1)) <= 0:
            self.fail(f"{value!r} is not a size such as 500k, 20M or 1G", param, ctx)
        return int(float(m.group(1)) * self._UNITS[m.group(2).lower()])


#: the size limit of one file, for every command that reads files
max_size_option = click.option(
    "--max-size",
    type=ByteSize(),
    default="20M",
    show_default=True,
    help="Refuse files larger than this (500k, 20M, 1G); a .docx may unpack to five times as much.",
)
#: the time limit of one file, for every command that reads files
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Stop reading a file after this long (a damaged file can make a reader loop) and go on with the next.",
)


def dump_path(folder: str, source: str) -> str:
    """Where ``--dump-text`` writes the text of ``source``: the source's path
    under ``folder`` with ``.txt`` added (``data/a.pdf`` → ``DIR/data/a.pdf.txt``)."""
    parts = [p for p in os.path.normpath(source).replace("\\", "/").split("/") if p not in ("", ".")]
    parts = ["__" if p == ".." else p.replace(":", "_") for p in parts]
    return os.path.join(folder, *parts[:-1], parts[-1] + ".txt")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="json",
    show_default=True,
    help="json: one array of documents; jsonl: one document per line; table: for people.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to run in parallel.  [default: one per core, at most one per file]",
)
@click.option(
    "--dump-text",
    "dump_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write the text extracted from each file under DIR (UTF-8, as PATH + .txt): "
    "every offset in the output refers to it.",
)
@max_size_option
@timeout_option
@click.option(
    "--max-memory",
    type=ByteSize(),
    default=None,
    help="Stop reading a file that needs more memory than this (enforced on Linux).  [default: "
    "100 × --max-size, at least 2G]",
)
@click.option("--debug", is_flag=True, help="Show the traceback behind each failure.")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Read the files on a Dask cluster (cụm máy): the scheduler's address (tcp://HOST:8786), or "
    "'local' for --jobs worker processes here (one per core when --jobs is not given). The workers must "
    "see PATHS at the same paths; the output is the same, in the same order.",
)
@_with_suffixes
def extract(paths, fmt, jobs, dump_dir, max_size, timeout, max_memory, debug, scheduler):
    """Extract the citations (trích dẫn) of each plan in PATHS.

    PATHS are files or folders; folders are read recursively for
    {SUFFIXES} files. Text in legacy
    Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258) is converted to
    Unicode. A file that cannot be read is reported on stderr with the reason,
    the others are still processed, and the exit status is 1. Each file is
    read in a worker process under a time limit (--timeout) and a memory
    limit (--max-memory).

    \b
    Examples:
      cancu extract data/plans --format table
      cancu extract data/plans/yen-bai-2024-ttdn.txt > yen-bai.json
      cancu extract ke-hoach.pdf --dump-text texts/ > ke-hoach.json
      cancu extract corpus/ --format jsonl --jobs 2 > corpus.jsonl
      cancu extract corpus/ --format jsonl --scheduler tcp://10.0.0.5:8786 > corpus.jsonl
    """
    from .extractors.errors import SchedulerError, WorkerError, shown
    from .extractors.pipeline import (
        Failure,
        RenderedRecord,
        default_jobs,
        extract_files,
        extract_files_rendered,
        iter_sources,
        usable_cores,
    )
    from .progress import Progress, wanted

    readmes: list[str] = []
    files = list(iter_sources(paths, readmes))
    if not files:
        raise click.ClickException(no_plans_message(paths))
    read = failed = 0
    out = sys.stdout
    bar = Progress("Extracting")
    first = True
    if fmt == "json":
        out.write("[")
    budgets = {"max_bytes": max_size, "timeout": timeout, "max_memory": max_memory}
    if scheduler is None and fmt in ("json", "jsonl"):  # the workers write the JSON
        results = extract_files_rendered(
            files,
            jobs=jobs or default_jobs(len(files)),
            progress=bar,
            indent=1 if fmt == "json" else None,
            keep_text=dump_dir is not None,
            **budgets,
        )
    elif scheduler is None:
        results = extract_files(files, jobs=jobs or default_jobs(len(files)), progress=bar, **budgets)
    else:
        from .extractors.cluster import extract_on_dask

        source = click.get_current_context().get_parameter_source
        given = {p for p in ("timeout", "max_memory") if source(p) is click.core.ParameterSource.COMMANDLINE}
        if given:
            click.echo(
                f"cancu: {' and '.join('--' + p.replace('_', '-') for p in sorted(given))} "
                "cannot be enforced on a Dask cluster (its workers' --memory-limit is)",
                err=True,
            )
        workers = jobs or usable_cores()
        results = extract_on_dask(files, scheduler, progress=bar, max_bytes=max_size, workers=workers)
    raw = _utf8_bytes_under(out) if not wanted(out) else None
    try:
        for result in results:
            if isinstance(result, Failure):
                failed += 1
                bar.echo(f"cancu: cannot read {shown(result.source)}: {said(result.reason, result.setting)}")
                if debug:
                    bar.echo(_traceback_of(result))
                continue
            if dump_dir is not None:
                try:
                    _dump(dump_dir, result.source, result.text or "")
                except OSError as e:
                    failed += 1
                    bar.echo(
                        f"cancu: cannot write the text of {shown(result.source)} under {shown(dump_dir)}: "
                        f"{e.strerror or e}"
                    )
                    continue
            read += 1
            data = result.data if isinstance(result, RenderedRecord) else None
            if raw is not None and isinstance(data, bytes):  # a worker's record, written as it made it
                out.flush()  # what waits in ``out`` goes first (the "[")
                raw.write((b"\n" if first else b",\n") + data if fmt == "json" else data + b"\n")
            elif fmt == "table":
                bar.write(format_table(result.to_dict()), out)
            else:  # a Dask worker's record is written here
                written = (
                    result.json
                    if isinstance(result, RenderedRecord)
                    else json.dumps(result.to_dict(), ensure_ascii=False, indent=1 if fmt == "json" else None)
                )
                bar.write(("\n" if first else ",\n") + written if fmt == "json" else written + "\n", out)
            first = False
    except (WorkerError, SchedulerError) as e:
        raise click.ClickException(_said(e)) from None
    finally:
        bar.close()
    if fmt == "json":
        out.write("\n]\n")
    out.flush()
    skipped = _(", {n} README skipped").format(n=len(readmes)) if readmes else ""
    summary = (
        _("{n} file read, {failed} failed{skipped}.") if read == 1 else _("{n} files read, {failed} failed{skipped}.")
    )
    click.echo(summary.format(n=read, failed=failed, skipped=skipped), err=True)
    if failed:
        sys.exit(1)


def _utf8_bytes_under(out: TextIO) -> BinaryIO | None:
    """The byte stream beneath ``out`` when what is written to ``out``
    reaches it as its UTF-8 bytes, unchanged (UTF-8, and a newline written
    as it is); None otherwise. The workers' records are written there as
    they made them, not decoded and encoded again by this process.

    >>> import io
    >>> _utf8_bytes_under(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")) is not None
    True
    >>> _utf8_bytes_under(io.TextIOWrapper(io.BytesIO(), encoding="cp1252")), _utf8_bytes_under(io.StringIO())
    (None, None)
    """
    import codecs

    raw = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if raw is None or not encoding or os.linesep != "\n":
        return None  # (on Windows a text stream writes "\n" as "\r\n")
    try:
        return raw if codecs.lookup(encoding).name == "utf-8" else None
    except LookupError:
        return None


def _dump(folder: str, source: str, text: str) -> None:
    """Write one extracted text for ``--dump-text`` (no newline translation,
    so offsets into it are exact)."""
    target = dump_path(folder, source)
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def _traceback_of(failure) -> str:
    """For ``--debug``: the traceback behind a :class:`Failure`, kept by the
    worker that read the file (the file is not read again: it may loop)."""
    if failure.traceback:
        return failure.traceback
    return f"(no traceback: the reader was stopped from outside, {failure.error or 'no exception'})"


# -- the knowledge graph: build, query, check ---------------------------------

OUT_FORMATS = ("table", "json", "csv")
STORE_OPTION = click.option(
    "--store",
    "store",
    type=click.Path(file_okay=False),
    default=".cancu",
    show_default=True,
    help="The store folder (kho) to read or write.",
)
FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice([*OUT_FORMATS, "xlsx"]),
    default="table",
    show_default=True,
    help="table: for people; json, csv: for programs; xlsx: an Excel workbook (redirect it: > ket-qua.xlsx).",
)


class TargetProblem(click.ClickException):
    """A target that names no node or several: exit status 2."""

    exit_code = 2


def _graph_errors(fn):
    """Turn the graph library's exceptions into one-line messages."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .graph.errors import GraphError, TargetError

        try:
            return fn(*args, **kwargs)
        except TargetError as e:
            ctx = click.get_current_context()
            G = getattr(e, "graph", None)
            if G is None:
                G = ctx.meta.get("cancu_graph")
            ambiguous = e.__class__.__name__ == "AmbiguousTarget"
            if ambiguous:
                said = _("{target} is ambiguous: {n} matches").format(target=repr(e.target), n=len(e.candidates))
            elif getattr(e, "what", None) == "agency":
                said = _("no agency matches {target}").format(target=repr(e.target))
            else:
                said = _("no document matches {target}").format(target=repr(e.target))
            what = _("candidates") if ambiguous else _("closest")
            lines = candidate_lines(G, e.candidates)
            raise TargetProblem(said + (f"; {what}:\n" + "\n".join(lines) if lines else "")) from None
        except GraphError as e:
            raise click.ClickException(_said(e)) from None

    return wrapper


def short_path(path: str | None) -> str:
    """A file as a table shows it: relative to the current folder when it
    lies under it, else its last two parts."""
    from .progress import under_current_folder

    if not path:
        return ""
    rel = under_current_folder(path)
    if rel is not None:
        return rel.replace(os.sep, "/")
    parts = path.replace("\\", "/").rstrip("/").split("/")
    return "/".join(parts[-2:])


def candidate_lines(G, candidates: list[str]) -> list[str]:
    """The candidates of a typed name, one aligned line each: key, type,
    date, issuer, short name and file, never an internal id."""
    from .graph.query import describe

    rows = []
    for c in candidates:
        if G is None or c not in G:
            continue
        if "Agency" in G.nodes[c].get("labels", ()):
            rows.append([G.nodes[c].get("name", ""), G.nodes[c].get("province") or "", "", "", "", ""])
            continue
        d = describe(G, c)
        name = d["name"] if d["name"] != d["key"] else ""
        issuer = d["issuer"] or ""
        issuer = issuer if len(issuer) <= 40 else issuer[:40].rsplit(" ", 1)[0] + " …"
        rows.append([d["key"] or "-", d["type"] or "", d["date"] or "", issuer, name, short_path(d["file"])])
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]


NEO4J_OPTION = click.option(
    "--neo4j",
    "neo4j_uri",
    metavar="URI",
    default=None,
    help="Ask a Neo4j database loaded by `cancu load` (bolt://, neo4j://, neo4j+s:// …) instead of --store; "
    "user, password and database from NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE. Same answers.",
)


def _ask(store, neo4j_uri, question: str, *args, only: dict | None = None, **kwargs) -> list[dict]:
    """The rows of ``cancu.graph.query.<question>``: from the store, or with
    ``--neo4j`` from a database (:mod:`cancu.cypher.remote`); ``only``: the
    filters of :func:`cancu.graph.query.keep`."""
    if neo4j_uri is None:
        from .graph import query as Q

        G = _load(store)
        rows = getattr(Q, question)(G, *args, **kwargs)
        return Q.keep(G, rows, question, **only) if only else rows
    from .cypher.errors import ConnectionProblem
    from .cypher.remote import ask
    from .cypher.runners import connect

    try:
        runner = connect(
            neo4j_uri,
            os.environ.get("NEO4J_USERNAME", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE") or None,
        )
        with runner:
            return ask(runner, question, *args, only=only, **kwargs)
    except ConnectionProblem as e:
        # the setting a query takes the URI by is --neo4j, not load's --uri
        raise ConnectionTrouble(_said(e).replace("(--uri, or NEO4J_URI)", "(--neo4j URI)")) from None


def _load(store):
    from .graph.store import load_graph

    G = load_graph(store)
    # the graph lives as long as the command: the cycle collector need not
    # walk its millions of objects again each time it runs (a sixth of
    # `cancu check` at 160,000 documents); they are its again after the
    # command (for a caller that runs commands in its own process)
    import gc

    ctx = click.get_current_context()
    gc.freeze()
    ctx.call_on_close(gc.unfreeze)
    ctx.meta["cancu_graph"] = G
    return G


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return " → ".join(map(str, v)) if v and isinstance(v[0], str) else ",".join(map(str, v))
    return str(v)


def _iso_day(text: str | None) -> str | None:
    """A --as-of date as ISO, or a clear error."""
    if text is None:
        return None
    import datetime as _dt

    try:
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD, e.g. 2026-01-01)", param_hint="--as-of"
        ) from None


#: how much of a clause a table shows on each side of the citation
EXCERPT_SIDE = 60


def _needle(node_id: str | None) -> str | None:
    """The key of a document node as a clause writes it ("doc:57-kl/tw@2023" →
    "57-kl/tw"), to find it in the clause; None for other nodes."""
    if not node_id or not node_id.startswith("doc:"):
        return None
    return node_id[4:].split("@")[0]


def excerpt(text: str | None, needle: str | None = None, side: int = EXCERPT_SIDE, bold: bool = False) -> str:
    """A clause on one line for a table: line breaks made spaces, cut to
    ``side`` characters around ``needle`` (the citation, found without
    regard to case) with "…", the citation in bold when ``bold`` (a
    terminal; click drops the style in a pipe).

    >>> excerpt("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015\\ncủa Chính phủ", "72/2015/nđ-cp", side=10)
    '…định số 72/2015/NĐ-CP ngày…'
    >>> excerpt("Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023", "57-kl/tw")
    'Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023'
    """
    t = " ".join((text or "").split())
    at = t.casefold().find(needle.casefold()) if needle else -1
    if at < 0:
        return t if len(t) <= 2 * side else t[: 2 * side].rstrip() + "…"
    a, b = at, at + len(needle)
    head, tail = t[max(0, a - side) : a], t[b : b + side]
    if a - side > 0:  # whole words only
        head = "…" + head[head.find(" ") + 1 :] if " " in head else "…" + head
    if b + side < len(t):
        tail = (tail[: tail.rfind(" ")] if " " in tail else tail) + "…"
    mid = click.style(t[a:b], bold=True) if bold else t[a:b]
    return head + mid + tail


def _emit(rows: list[dict], fmt: str, columns: list[str], empty: str = "no rows", cited: str | None = None) -> None:
    """Print rows: an aligned table of ``columns``, JSON (every key), or CSV of ``columns``.
    In a table the ``context`` clause is cut around the citation of the
    document whose node id is the row's field ``cited`` (bold on a terminal)."""
    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt == "xlsx":
        _write_xlsx(
            [_column(c) for c in columns],
            [
                [
                    _xlsx_cell(
                        (r.get("source") or r.get("stated_in_source")) if c == "file" and "file" not in r else r.get(c)
                    )
                    for c in columns
                ]
                for r in rows
            ],
        )
        return
    if fmt == "csv":
        import csv

        out.write("\ufeff")  # UTF-8 with a byte order mark: Excel then reads the Vietnamese text as UTF-8
        w = csv.writer(out, lineterminator="\n")
        w.writerow([_column(c) for c in columns])
        for r in rows:
            w.writerow(
                [
                    _cell(
                        (r.get("source") or r.get("stated_in_source")) if c == "file" and "file" not in r else r.get(c)
                    )
                    for c in columns
                ]
            )
        return
    if not rows:
        click.echo(f"({_(empty)})")
        return
    # a table row is one line: the line breaks of hard-wrapped texts become spaces
    bold = sys.stdout.isatty()
    table = [[_column(c) for c in columns]]
    for r in rows:
        line = []
        for c in columns:
            if c == "context":
                line.append(excerpt(r.get(c), _needle(r.get(cited)) if cited else None, bold=bold))
            elif c == "file" and "file" not in r:
                line.append(short_path(r.get("source") or r.get("stated_in_source")))
            else:
                line.append(_value(c, " ".join(_cell(r.get(c)).split())))
        table.append(line)
    widths = [max(click.unstyle(t[i]).__len__() for t in table) for i in range(len(columns))]
    for t in table:
        click.echo("  ".join(v + " " * (w - len(click.unstyle(v))) for v, w in zip(t, widths)).rstrip())


def _xlsx_cell(v):
    """A number stays a number in a workbook; everything else reads as in CSV."""
    return v if isinstance(v, int | float) and not isinstance(v, bool) else _cell(v)


def _write_xlsx(header: list[str], table: list[list]) -> None:
    """An Excel workbook of one sheet (openpyxl) on stdout: the header in bold
    and frozen, the cells as CSV has them, whole sentences included; the same
    bytes for the same rows (fixed dates in the file and its zip entries)."""
    if sys.stdout.isatty():
        raise click.UsageError("--format xlsx writes a workbook: send it to a file (… --format xlsx > ket-qua.xlsx).")
    import datetime as _dt
    import io
    import zipfile

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "cancu"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table:
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, name in enumerate(header):
        width = max([len(name), *(len(str(r[i])) for r in table[:200])] or [10])
        ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = min(max(width, 8), 80)
    day = _dt.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = day
    raw = io.BytesIO()
    wb.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl writes the time of saving as modified
                import re

                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    sys.stdout.flush()
    sys.stdout.buffer.write(fixed.getvalue())


def _emit_paths(rows: list[dict], fmt: str, empty: str, notes: bool = False) -> None:
    """Rows that carry a path of steps: in a table, each path (with how its province is held today when
    ``notes``: --province was given) then the evidence of every step."""
    if fmt != "table":
        _emit(
            [{**r, "evidence": [s.get("context") for s in r["steps"]]} for r in rows]
            if fmt in ("csv", "xlsx")
            else rows,
            fmt,
            ["name", "province", "year", "status", "relation", "hops", "path", "source"]
            if rows and "province" in rows[0]
            else ["hops", "path"],
        )
        return
    if not rows:
        click.echo(f"({_(empty)})")
        return
    for r in rows:
        head = " → ".join(_value("name", p) for p in r["path"])
        if notes and r.get("province_note"):
            head += f"   {r['province_note']}"
        if r.get("relation") == "based_on":
            head += "   " + _("[legal basis only: BASED_ON]")
        click.echo(head)
        for s in r["steps"]:
            where = _("{file}, section {section}").format(
                file=short_path(s.get("stated_in_source")) or s.get("stated_in"), section=s.get("section") or "-"
            )
            kind = "/".join(_value("type", t) for t in ([s["type"]] if s.get("type") else s.get("types", [])))
            click.echo(f"  {_value('name', s['from_name'])} -{kind}-> {_value('name', s['to_name'])}  ({where})")
            click.echo(f"    “{excerpt(s.get('context'), _needle(s.get('to')), bold=sys.stdout.isatty())}”")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@STORE_OPTION
@click.option(
    "--prune",
    is_flag=True,
    help="Drop the sources under PATHS whose files are gone (nothing is pruned when a PATH does not exist).",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Extract again every source the store lists and every file under PATHS (PATHS may then be "
    "left out): repairs a damaged store or upgrades an old one.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to extract with.  [default: one per core, at most one per file]",
)
@max_size_option
@timeout_option
@click.option(
    "--no-wait", is_flag=True, help="Fail at once when another build is writing the store, instead of waiting for it."
)
@click.option(
    "--records",
    type=click.Path(dir_okay=False),
    default=None,
    help="Build from the records in FILE (JSON lines, as `cancu extract --format jsonl` writes them, "
    "here or on another machine) instead of from PATHS.",
)
@_graph_errors
def build(paths, store, prune, rebuild, jobs, max_size, timeout, no_wait, records):
    """Build the knowledge graph (đồ thị) of the plans in PATHS into a store.

    Unchanged files (same content hash) are not extracted again; a changed
    file replaces its own contributions; files no longer named stay in the
    store unless --prune. Every other command reads the store.

    The store folder must be new, empty or a cancu store, and must not hold
    PATHS. One build writes a store at a time (the lock file STORE.lock): a
    second one waits. A store file that does not match its checksum is made
    again from the sources.

    \b
    Examples:
      cancu build data/plans
      cancu build data/plans new-plans/ --store .cancu
      cancu build data/plans --prune
      cancu build --rebuild
      cancu build --records corpus.jsonl --store .cancu
    """
    from .extractors.errors import WorkerError, shown
    from .extractors.pipeline import iter_sources, usable_cores
    from .graph.store import build as build_store
    from .progress import Progress

    if records is not None and (paths or prune or rebuild):
        raise click.UsageError("--records FILE builds from those records alone: give no PATHS, --prune or --rebuild.")
    if not paths and not rebuild and records is None:
        raise click.UsageError("Missing argument 'PATHS...' (they may be left out only with --rebuild or --records).")
    files = list(iter_sources(paths)) if records is None else None
    if paths and not files:
        raise click.ClickException(no_plans_message(paths))
    bar = Progress("Building")
    try:
        report = build_store(
            paths,
            store,
            prune=prune,
            jobs=jobs or usable_cores(),  # the workers are as many as the files to read, at most
            progress=bar,
            max_bytes=max_size,
            timeout=timeout,
            rebuild=rebuild,
            wait=not no_wait,
            files=files,
            records=records,
            on_failure=lambda f: bar.echo(f"cancu: cannot read {shown(f.source)}: {said(f.reason, f.setting)}"),
            on_wait=lambda pid: bar.echo(
                f"cancu: the store {store} is being written by another cancu build "
                f"({f'pid {pid}' if pid else 'another process'}); waiting for it to "
                "finish (Ctrl-C to stop)"
            ),
            on_repair=lambda name, why: bar.echo(
                f"cancu: {os.path.join(store, name)} {why}; made again from the sources"
            ),
        )
    except KeyboardInterrupt:
        bar.close()
        click.echo(f"cancu: interrupted; the store {store} was left as it was.", err=True)
        sys.exit(130)
    except WorkerError as e:
        raise click.ClickException(f"{_said(e)}; the store {store} was left as it was") from None
    finally:
        bar.close()
    repaired = _(", {n} repaired").format(n=len(report.repaired)) if report.repaired else ""
    click.echo(
        _(
            "{store}: {added} added, {replaced} replaced, {kept} unchanged, {pruned} pruned, {failed} failed"
            "{repaired}; {nodes} nodes, {edges} relationships."
        ).format(
            store=store,
            added=len(report.added),
            replaced=len(report.replaced),
            kept=len(report.kept),
            pruned=len(report.pruned),
            failed=len(report.failed),
            repaired=repaired,
            nodes=report.nodes,
            edges=report.edges,
        )
    )
    if report.failed:
        sys.exit(1)


@main.group()
def query():
    """Ask the knowledge graph in the store (truy vấn).

    \b
    Relationships between documents: BASED_ON (căn cứ), IMPLEMENTS (thực
    hiện), AMENDS (sửa đổi bổ sung), REPLACES (thay thế), REPEALS (bãi bỏ),
    GUIDES (hướng dẫn), ISSUES (ban hành), CITES (nhắc đến); one per pair and
    type, with every sentence that states it (query evidence).

    \b
    Examples:
      cancu query implements "Kết luận 57"
      cancu query implements "Nghị định 72" --with-basis --format json
      cancu query matrix --year 2024 --target "KL 57"
    """


def province_option(what: str = "plans"):
    """--province: only the ``what`` of a province as of --as-of, across the mergers."""
    return click.option(
        "--province",
        help=f"Only the {what} of this province (tỉnh, thành phố) as of --as-of: a Yên Bái plan is a Lào Cai "
        "plan since the 2025 merger (sáp nhập).",
    )


PROVINCE_OPTION = province_option()


def filter_options(province: bool = False, year: bool = True):
    """--type, --year, --issuer (and --province, for questions without the
    lineage-aware one): only the rows whose document is of that type, year,
    issuer or province (:func:`cancu.graph.query.keep`)."""

    def decorate(fn):
        opts = [
            click.option(
                "--type",
                "only_type",
                metavar="TYPE",
                help="Only documents of this type (loại văn bản): Kế hoạch, Quyết định, KH, QĐ … "
                "(diacritics optional).",
            ),
            click.option("--issuer", "only_issuer", help="Only documents issued by this body (cơ quan ban hành)."),
        ]
        if year:
            opts.append(click.option("--year", "only_year", type=int, help="Only documents of this year."))
        if province:
            opts.append(
                click.option("--province", "only_province", help="Only documents of this province (tỉnh, thành phố).")
            )
        for o in reversed(opts):
            fn = o(fn)
        return fn

    return decorate


def _only(kw: dict) -> dict:
    """The filters of :func:`filter_options` taken out of a command's arguments."""
    return {
        "doc_type": kw.pop("only_type", None),
        "year": kw.pop("only_year", None),
        "issuer": kw.pop("only_issuer", None),
        "province": kw.pop("only_province", None),
    }


AS_OF_OPTION = click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="The day whose provinces and agencies the answer means (YYYY-MM-DD; default: today).",
)
AS_WRITTEN_OPTION = click.option(
    "--as-written", is_flag=True, help="Take provinces and agencies as the texts wrote them, without the mergers."
)


@query.command("implements")
@click.argument("target")
@click.option(
    "--depth", type=click.IntRange(1, 20), default=4, show_default=True, help="Longest chain of documents to follow."
)
@click.option("--with-basis", is_flag=True, help="Add plans that only cite TARGET as legal basis (căn cứ).")
@PROVINCE_OPTION
@filter_options()
@AS_OF_OPTION
@AS_WRITTEN_OPTION
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_implements(target, depth, with_basis, province, as_of, as_written, store, neo4j_uri, fmt, **only):
    """The plans that carry TARGET out (thực hiện, triển khai), directly or
    through a chain of documents, with the evidence of every step.

    TARGET is what a person types: "Kết luận 57", "KL 57", "kết luận số 57",
    "57-KL/TW", "1191/QĐ-TTg@2020". An unknown or ambiguous TARGET prints
    the closest candidates and exits with status 2.

    \b
    Examples:
      cancu query implements "Kết luận 57"
      cancu query implements 72/2015/NĐ-CP --with-basis --format csv
    """

    _emit_paths(
        _ask(
            store,
            neo4j_uri,
            "implements",
            target,
            depth=depth,
            with_basis=with_basis,
            province=province,
            as_of=_iso_day(as_of),
            as_written=as_written,
            only=_only(only),
        ),
        fmt,
        _("no plan implements {target}").format(target=target)
        + (_(" in {province}").format(province=province) if province else ""),
        notes=province is not None,
    )


@query.command("cited-by")
@click.argument("key")
@province_option("texts")
@filter_options()
@AS_OF_OPTION
@AS_WRITTEN_OPTION
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_cited_by(key, province, as_of, as_written, store, neo4j_uri, fmt, **only):
    """The plans and documents that cite KEY, by relationship type.

    \b
    Examples:
      cancu query cited-by 47/NQ-CP
      cancu query cited-by "Nghị định 72" --format json
      cancu query cited-by "Kết luận 57" --province "Lào Cai"
    """

    columns = ["name", "type", "occurrences", "date", "section", "file", "context"]
    if province is not None:
        columns[1:1] = ["province", "province_note"]
    _emit(
        _ask(
            store,
            neo4j_uri,
            "cited_by",
            key,
            province=province,
            as_of=_iso_day(as_of),
            as_written=as_written,
            only=_only(only),
        ),
        fmt,
        columns,
        _("nothing cites {key}").format(key=key) + (_(" in {province}").format(province=province) if province else ""),
        cited="target",
    )


@query.command("diagram")
@click.argument("key")
@filter_options(province=True)
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_diagram(key, store, neo4j_uri, fmt, **only):
    """The diagram (lược đồ) of KEY, as the legal portals show it, built from
    your own folder: the documents it is based on (căn cứ), carries out
    (thực hiện), guides (hướng dẫn), amends (sửa đổi bổ sung), replaces
    (thay thế), repeals (bãi bỏ), issues (ban hành) or mentions (nhắc đến),
    and those that do so to it, by relation, with dates, validity and the
    evidence.

    \b
    Examples:
      cancu query diagram 123/2016/NĐ-CP
      cancu query diagram 303/2025/NĐ-CP --format csv > luoc-do.csv
    """

    _emit(
        _ask(store, neo4j_uri, "diagram", key, only=_only(only)),
        fmt,
        ["direction", "type", "key", "date", "in_force", "occurrences", "file", "context"],
        _("nothing in the graph acts on or is acted on by {key}").format(key=key),
        cited="id",
    )


@query.command("evidence")
@click.argument("source")
@click.argument("target")
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_evidence(source, target, store, neo4j_uri, fmt):
    """Every statement behind the relationships from SOURCE (a plan or a
    document) to TARGET: one row per occurrence, with the clause, the
    section and the file, where a table elsewhere shows the first.

    \b
    Examples:
      cancu query evidence "Thừa Thiên Huế 2024" 57-KL/TW
      cancu query evidence 303/2025/NĐ-CP 123/2016/NĐ-CP --format json
    """

    _emit(
        _ask(store, neo4j_uri, "evidence", source, target),
        fmt,
        ["type", "n", "section", "file", "text", "context"],
        _("no relationship from {source} to {target}").format(source=source, target=target),
    )


@query.command("lineage")
@click.argument("name")
@FORMAT_OPTION
@_graph_errors
def query_lineage(name, fmt):
    """The history of a province or city (lịch sử đơn vị hành chính), or of a
    ministry or provincial department (bộ, sở): what it was merged into (sáp
    nhập), renamed to (đổi tên) or split into (chia tách: the part of its work
    in "functions"), or what was merged into it, since when and by what act,
    with the corpus files that state it.

    \b
    Examples:
      cancu query lineage "Lào Cai"
      cancu query lineage "Thừa Thiên Huế" --format json
      cancu query lineage "Sở Thông tin và Truyền thông"
    """
    from .graph.lineage import lineage

    rows = lineage(name)
    if fmt != "json":  # one cell: the files, separated
        rows = [{**r, "sources": "; ".join(r["sources"])} for r in rows]
    parts = ["functions"] if any(r.get("functions") for r in rows) else []
    _emit(rows, fmt, ["unit", "kind", "successor", *parts, "since", "act", "sources"], "")


@query.command("in-force")
@click.argument("key")
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_in_force(key, store, neo4j_uri, fmt):
    """Whether KEY is still in force (hiệu lực) as far as the texts in the
    graph say: the documents that replace (thay thế), repeal (bãi bỏ) or
    amend (sửa đổi, bổ sung) it, since when, with the evidence. The graph
    never guesses: a document nothing acts on is "in force" only in that
    sense.

    \b
    Examples:
      cancu query in-force 123/2016/NĐ-CP
      cancu query in-force 02/2023/TT-BTP --format json
    """

    rows = _ask(store, neo4j_uri, "in_force", key)
    if fmt == "table" and not rows:
        click.echo(
            f"{_ask(store, neo4j_uri, 'document_key', key) or key}: nothing in the graph replaces, repeals or amends it"
        )
        return
    _emit(rows, fmt, ["key", "type", "by", "since", "in_force", "context"], "")


@query.command("basis")
@click.argument("plan")
@filter_options(province=True)
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_basis(plan, store, neo4j_uri, fmt, **only):
    """The legal basis (căn cứ) of PLAN: the documents it cites as BASED_ON.
    PLAN is a node id, a file name, or province and year ("Yên Bái 2024").

    \b
    Examples:
      cancu query basis "Phú Thọ 2025"
      cancu query basis yen-bai-2024-ttdn.txt --format json
    """

    _emit(
        _ask(store, neo4j_uri, "basis", plan, only=_only(only)),
        fmt,
        ["key", "name", "date", "issuer", "section", "in_force"],
        "no legal basis",
    )


@query.command("chain")
@click.argument("source")
@click.argument("target")
@click.option("--depth", type=click.IntRange(1, 10), default=4, show_default=True, help="Longest path.")
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="Most paths to show (shortest first); how many more there are goes to stderr.",
)
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_chain(source, target, depth, limit, store, neo4j_uri, fmt):
    """Every citation path from SOURCE (a plan or document) to TARGET.

    Paths come shortest first, at most --limit of them; when there are more,
    a line on stderr says how many (counted without listing them).

    \b
    Examples:
      cancu query chain "Phú Thọ 2025" "Kết luận 57"
      cancu query chain "Phú Thọ 2025" "Kết luận 57" --depth 8 --limit 20
    """

    rows = _ask(store, neo4j_uri, "chain", source, target, depth=depth, limit=limit)
    _emit_paths(rows, fmt, _("no path to {target}").format(target=target))
    total = _ask(store, neo4j_uri, "count_chains", source, target, depth=depth)
    if total.n > len(rows) or not total.exact:
        if total.exact:
            click.echo(
                f"{len(rows)} of {total.n} paths shown ({total.n - len(rows)} more); raise --limit "
                "to see more, or lower --depth",
                err=True,
            )
        else:
            click.echo(
                f"{len(rows)} of at least {total.n} paths shown (the documents cite each other in a "
                "cycle, and counting stopped at its budget); raise --limit to see more",
                err=True,
            )


@query.command("agencies")
@click.argument("plan")
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_agencies(plan, store, neo4j_uri, fmt):
    """The agencies (cơ quan) PLAN gives tasks to, leading (chủ trì) or
    supporting (phối hợp).

    \b
    Examples:
      cancu query agencies "Cao Bằng 2023"
    """

    _emit(
        _ask(store, neo4j_uri, "plan_agencies", plan),
        fmt,
        ["section", "role", "agency_name", "title"],
        _("no agencies"),
    )


@query.command("agency")
@click.argument("name")
@click.option(
    "--province",
    help="Only the bodies of this province (tỉnh, thành phố) as of --as-of, with those whose work it "
    "holds then: Sở Khoa học và Công nghệ of Lào Cai answers for Sở Thông tin và Truyền thông of Yên Bái.",
)
@filter_options()
@AS_OF_OPTION
@AS_WRITTEN_OPTION
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_agency(name, province, as_of, as_written, store, neo4j_uri, fmt, **only):
    """The tasks the agency NAME leads or supports, across plans. Any
    spelling works: "Sở TTTT", "Sở TT&TT", "Sở Thông tin và Truyền thông".
    A body answers too for the bodies merged into it by --as-of (sáp nhập,
    2025): their rows show the body as written and the one holding its work.

    \b
    Examples:
      cancu query agency "Sở TT&TT" --format csv
      cancu query agency "Sở Khoa học và Công nghệ" --province "Lào Cai"
    """

    rows = _ask(
        store,
        neo4j_uri,
        "agency_tasks",
        name,
        province=province,
        as_of=_iso_day(as_of),
        as_written=as_written,
        only=_only(only),
    )
    held = ["agency_as_of"] if any(r.get("agency_as_of") for r in rows) else []
    _emit(rows, fmt, ["plan_name", "section", "role", "agency_name", *held, "title", "file"], _("no tasks"))


@query.command("matrix")
@click.option(
    "--top",
    type=click.IntRange(1, 100),
    default=8,
    show_default=True,
    help="How many of the most-cited documents to show.",
)
@click.option("--year", type=int, default=None, help="Only the plans of this year.")
@click.option("--target", "targets", multiple=True, help="A document to show as well (repeatable).")
@PROVINCE_OPTION
@filter_options(year=False)
@AS_OF_OPTION
@AS_WRITTEN_OPTION
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_matrix(top, year, targets, province, as_of, as_written, store, neo4j_uri, fmt, **only):
    """Plans × most-cited documents: who cites what, and who does not.
    Cells: B based_on, I implements, A amends, C cites, - not cited. Plans
    are grouped by today's province (after the 2025 mergers), or by the
    province written with --as-written.

    \b
    Examples:
      cancu query matrix
      cancu query matrix --year 2024 --target "Kết luận 57"
    """

    rows = _ask(
        store,
        neo4j_uri,
        "matrix",
        top=top,
        year=year,
        targets=targets,
        province=province,
        as_of=_iso_day(as_of),
        as_written=as_written,
        only=_only(only),
    )
    if fmt == "json":
        _emit(rows, fmt, [])
        return
    short = {"BASED_ON": "B", "IMPLEMENTS": "I", "AMENDS": "A", "CITES": "C"}
    keys = list(rows[0]["cells"]) if rows else []
    flat = [
        {
            "plan": r["name"],
            "source": r.get("source"),
            "province": (r["province"] if as_written else r["province_as_of"]) or "-",
            **{k: "".join(short[t] for t in v) or "-" for k, v in r["cells"].items()},
        }
        for r in rows
    ]
    _emit(flat, fmt, ["plan", "province"] + keys + ["file"], _("no plans"))


@query.command("stats")
@click.option(
    "--as-of", "as_of", metavar="DATE", help="Count plans under the provinces of this day (YYYY-MM-DD; default: today)."
)
@click.option("--as-written", is_flag=True, help="Count plans under the provinces the texts were written in.")
@STORE_OPTION
@NEO4J_OPTION
@FORMAT_OPTION
@_graph_errors
def query_stats(as_of, as_written, store, neo4j_uri, fmt):
    """Counts of the graph: nodes by label, relationships by type, plans by
    province (today's, after the 2025 mergers, unless --as-written) and year,
    most-cited documents.

    \b
    Examples:
      cancu query stats --format json
      cancu query stats --as-written
    """

    _emit(
        _ask(store, neo4j_uri, "stats", as_of=_iso_day(as_of), as_written=as_written), fmt, ["metric", "name", "value"]
    )


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--type",
    "doc_type",
    metavar="TYPE",
    help="Only the texts of this type (loại văn bản): its name or its code, with or without diacritics "
    "(Kế hoạch, KH; Quyết định, QĐ).",
)
@click.option(
    "--province",
    help="Only the texts of this province (tỉnh, thành phố), as they write it or as it is held today: "
    "a Yên Bái plan is found under Yên Bái and, since the 2025 merger, under Lào Cai.",
)
@click.option("--year", type=int, default=None, help="Only the texts of this year.")
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=20, show_default=True, help="The most sentences to show."
)
@STORE_OPTION
@FORMAT_OPTION
@_graph_errors
def search_cmd(query, doc_type, province, year, limit, store, fmt):
    """Full-text search (tìm kiếm toàn văn) of every text in the store: the
    sentences that hold QUERY, best first, each with its file, document and
    section and the documents it cites.

    Each QUERY is a phrase, its words in a row, whatever their diacritics
    and case ("chuyen doi so" finds "Chuyển đổi số"); with several, a
    sentence must hold them all. Quotes, *, - and the like are only text.
    The table cuts each sentence around its match; json, csv and xlsx give
    it whole.

    \b
    Examples:
      cancu search "chuyển đổi số"
      cancu search "chuyen doi so" --province "Yên Bái" --type KH
      cancu search "Kết luận 57" "báo chí" --format json
    """
    from .graph.search import search

    found = search(store, query, doc_type=doc_type, province=province, year=year, limit=limit)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"query": list(query), "total": found.total, "hits": [h.to_dict() for h in found.hits]},
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if fmt in ("csv", "xlsx"):
        _emit(
            [{**h.to_dict(), "cites": ", ".join(h.cites)} for h in found.hits],
            fmt,
            ["file", "document", "section", "cites", "sentence", "start", "end", "score"],
        )
        return
    rows = [
        {
            "file": short_path(h.file),
            "document": h.document,
            "section": h.section or "-",
            "cites": ", ".join(h.cites) or "-",
            "sentence": h.excerpt(160, found.phrases),
        }
        for h in found.hits
    ]
    _emit(
        rows,
        fmt,
        ["file", "document", "section", "cites", "sentence"],
        _("no sentence holds {phrases}").format(phrases=_(" and ").join(f"“{q}”" for q in query)),
    )
    if found.total > len(found.hits):
        click.echo(
            "("
            + _("{shown} of {total} sentences; --limit shows more").format(shown=len(found.hits), total=found.total)
            + ")"
        )


@main.command()
@STORE_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="table: for people; json: for programs.",
)
@_graph_errors
def check(store, fmt):
    """Data-quality report (kiểm tra) over the store: one document cited with
    different dates, a year in the number that contradicts the date, one
    designator attributed to different issuers, references that could not
    be resolved; and, as information, a plan dated after a 2025 merger that
    still names the old unit (sáp nhập). Each finding names the plans and
    quotes the sentences.

    \b
    Examples:
      cancu check
      cancu check --format json > findings.json
    """
    from .graph.check import check as run_check

    findings = run_check(_load(store))
    if fmt == "json":
        click.echo(json.dumps(findings, ensure_ascii=False, indent=1))
        return
    for f in findings:
        level = " (information)" if f.get("level") == "information" else ""
        click.echo(f"{f['kind']}{level}: {f['message']}")
        for e in f["evidence"]:
            click.echo(f"  {e['plan_name']} ({e['source']}, section {e.get('section') or '-'}): {e['value']}")
            click.echo(f"    “{e['context']}”")
    click.echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}.")


# -- views: interactive graph, annotated text ----------------------------------


@main.command()
@click.option(
    "--focus",
    default=None,
    metavar="KEY_OR_PLAN",
    help='Draw only the neighbourhood of a document or plan ("57-KL/TW", "Kết luận 57", "Yên Bái 2024").',
)
@click.option(
    "--depth",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="With --focus: citation steps to follow each way.",
)
@click.option("--province", default=None, help="Only the plans of this province and what they state.")
@click.option("--year", type=int, default=None, help="Only the plans of this year and what they state.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option(
    "--max-nodes",
    type=click.IntRange(1),
    default=3000,
    show_default=True,
    help="Refuse larger views (a browser stops being responsive beyond it).",
)
@STORE_OPTION
@_graph_errors
def viz(focus, depth, province, year, out, max_nodes, store):
    """Draw the graph in the store as an interactive HTML page (pyvis).

    The page is one file that opens offline (every script and style inside
    it): a colour and shape per node type with a legend, size by how often a
    document is cited, relationships coloured and labelled by type, tooltips
    with the evidence sentence, search and filters, and a seeded layout that
    settles and stops. An unknown or ambiguous --focus prints the closest
    candidates and exits with status 2.

    \b
    Examples:
      cancu viz --out graph.html
      cancu viz --focus 57-KL/TW --depth 3 --out kl57.html
      cancu viz --province "Phú Thọ" --year 2025 --out phu-tho.html
    """
    from .graph.store import read_records
    from .graph.viz import ViewTooLarge, view

    G = _load(store)
    try:
        report = view(
            G,
            out,
            focus=focus,
            depth=depth,
            province=province,
            year=year,
            max_nodes=max_nodes,
            records=lambda files: read_records(store, only=files).values(),
        )
    except ViewTooLarge as e:
        raise click.ClickException(
            f"{e} (--max-nodes): a browser stops being responsive beyond a few "
            "thousand nodes; narrow it with --focus KEY_OR_PLAN, --province or --year"
        ) from None
    except OSError as e:
        raise click.ClickException(f"cannot write {out}: {e.strerror or e}") from None
    click.echo(f"{out}: {report['nodes']} nodes, {report['edges']} relationships.")


@main.command()
@click.argument("path", type=click.Path(readable=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@max_size_option
def annotate(path, out, max_size):
    """Write PATH's text as HTML with what was extracted highlighted:
    citations (each linked to its key in an index), their dates and issuers,
    and the agencies leading or supporting tasks; for checking extraction
    by eye.

    \b
    Examples:
      cancu annotate data/plans/phu-tho-2025-ttdn.txt --out phu-tho.html
    """
    from .extractors.annotate import annotate_file
    from .extractors.errors import InputError, shown

    try:
        page, rec = annotate_file(path, max_size)
    except InputError as e:
        click.echo(f"cancu: cannot read {shown(e.path)}: {said(e.reason, e.setting)}", err=True)
        sys.exit(1)
    try:
        with open(out, "w", encoding="utf-8") as f:
            f.write(page)
    except OSError as e:
        raise click.ClickException(f"cannot write {out}: {e.strerror or e}") from None
    click.echo(f"{out}: {len(rec['citations'])} citations, {len(rec['agencies'])} agency roles.")


# -- Neo4j: saved Cypher, load, export ----------------------------------------


class ConnectionTrouble(click.ClickException):
    """The database cannot be used (unreachable, refused, missing): exit status 3."""

    exit_code = 3


class LoadTrouble(click.ClickException):
    """Loading stopped part way: exit status 4."""

    exit_code = 4


def _neo4j_errors(fn):
    """Turn the exceptions of cypher/ into one-line messages and exit codes."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .cypher.errors import ConnectionProblem, LoadFailed, UnknownStatement

        try:
            return fn(*args, **kwargs)
        except UnknownStatement as e:
            queries = [n.split("/", 1)[1] for n in e.names if n.startswith("queries/")]
            raise TargetProblem(
                f"{e}; saved queries: {', '.join(queries)} (cancu cypher list shows every file)"
            ) from None
        except ConnectionProblem as e:
            raise ConnectionTrouble(f"{_said(e)}. Nothing was written.") from None
        except LoadFailed as e:
            done = (
                f"the {e.done} batch{'es' if e.done != 1 else ''} before it "
                f"{'are' if e.done != 1 else 'is'} written (of {e.total})"
                if e.done
                else "nothing was written"
            )
            raise LoadTrouble(
                f"{_said(e)}. The load is incomplete: {done}; every statement MERGEs, so run "
                "cancu load again to complete it, or --wipe to start over."
            ) from None

    return _graph_errors(wrapper)


@main.group("lineage")
def lineage():
    """Changes of administrative units (sắp xếp đơn vị hành chính): the
    provinces and communes merged (sáp nhập) or split (chia tách) in 2025, as
    the texts state them."""


@lineage.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*OUT_FORMATS, "jsonl"]),
    default="table",
    show_default=True,
    help="table: for people; json, csv, jsonl (one change a line): for programs.",
)
def lineage_build(paths, fmt):
    """Read the changes of units that the texts under PATHS state: one row
    per unit, with the new unit it went into (whole: MERGED_INTO; in part:
    SPLIT_INTO), the act (Nghị quyết 202/2025/QH15, …/NQ-UBTVQH15), the file
    and the offsets of the sentence.

    \b
    Examples:
      cancu lineage build corpus/ --format jsonl > lineage.jsonl
      cancu lineage build corpus/6fc2e6b950cd0f97.md
    """
    from .extractors.errors import InputError
    from .extractors.lineage import find_changes
    from .extractors.pipeline import iter_sources, read_source

    rows, failed = [], 0
    for f in iter_sources(paths):
        try:
            text, _ = read_source(f)
        except InputError as e:
            click.echo(f"cancu: cannot read {f}: {e.reason}", err=True)
            failed += 1
            continue
        rows += [c.to_dict() for c in find_changes(text, f)]
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
    else:
        _emit(rows, fmt, ["level", "unit", "kind", "successor", "act", "source"], _("no change of units stated"))
    click.echo(f"{len(rows)} changes of units; {failed} files failed.", err=True)
    if failed:
        sys.exit(1)


@main.group("cypher")
def cypher_group():
    """The Cypher files cancu ships, for Neo4j Browser and cypher-shell: the
    schema, the load statements, the saved queries (the questions of cancu
    query) and the Browser style sheet.

    \b
    Examples:
      cancu cypher list
      cancu cypher show implements
      cancu cypher show style.grass > style.grass
    """


@cypher_group.command("list")
def cypher_list():
    """List the Cypher files, with the title of each saved query."""
    from .cypher import header, load, names

    width = max(len(n) for n in names())
    for n in names():
        text = load(n)
        title = header(text)["title"] or next(
            (line[2:].strip() for line in text.splitlines() if line.startswith("//")), ""
        )
        click.echo(f"{n.ljust(width)}  {title}".rstrip())
    click.echo(f"{'style.grass'.ljust(width)}  Neo4j Browser style sheet (drag it onto Browser)")


@cypher_group.command("show")
@click.argument("name")
@_neo4j_errors
def cypher_show(name):
    """Print the Cypher file NAME (implements, queries/chain, schema,
    load/rel-IMPLEMENTS, style.grass ...), ready to paste.

    \b
    Examples:
      cancu cypher show chain
      cancu cypher show schema | cypher-shell -u neo4j
    """
    from .cypher import load, style

    if name.strip() in ("style.grass", "style", "grass"):
        click.echo(style(), nl=False)
        return
    click.echo(load(name), nl=False)


@main.command("load")
@STORE_OPTION
@click.option(
    "--uri",
    envvar="NEO4J_URI",
    default="bolt://localhost:7687",
    show_default=True,
    help="bolt://, neo4j://, neo4j+s:// (Aura, clusters) ...; env NEO4J_URI.",
)
@click.option("--user", envvar="NEO4J_USERNAME", default="neo4j", show_default=True, help="env NEO4J_USERNAME.")
@click.option("--password", envvar="NEO4J_PASSWORD", default="", show_default=False, help="env NEO4J_PASSWORD.")
@click.option(
    "--database",
    envvar="NEO4J_DATABASE",
    default=None,
    help="Default: the server's default database; env NEO4J_DATABASE.",
)
@click.option(
    "--batch-size", type=click.IntRange(1, 100_000), default=1000, show_default=True, help="Rows per transaction."
)
@click.option(
    "--wipe",
    is_flag=True,
    help="Delete the cancu graph in the database first (nodes labelled "
    "Document, Agency, Province, Task); other data is kept.",
)
@_neo4j_errors
def load_cmd(store, uri, user, password, database, batch_size, wipe):
    """Load the knowledge graph of the store into Neo4j (nạp vào Neo4j):
    constraints and indexes first, then batches of UNWIND $rows ... MERGE
    in managed transactions. Loading again creates nothing new.

    An unreachable server, a refused password or a missing database exit
    with status 3, a failed batch with status 4 (saying which).

    \b
    Examples:
      cancu load --uri bolt://localhost:7687 --user neo4j --password secret
      NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io NEO4J_PASSWORD=... cancu load
      cancu load --wipe --batch-size 5000
    """
    from .cypher.loader import load_graph
    from .cypher.runners import connect
    from .progress import Progress

    G = _load(store)
    with connect(uri, user, password, database) as runner:
        with Progress("Loading", unit="rows") as bar:
            report = load_graph(G, runner, batch_size=batch_size, wipe_first=wipe, progress=bar)
    t = report.totals
    if wipe:
        click.echo(f"wiped {report.wiped} nodes of the old graph")
    click.echo(
        f"loaded {store} into {runner.where}: {report.rows} rows in {report.batches} batches ({report.seconds:.1f} s)"
    )
    click.echo(
        f"created {t['nodes_created']} nodes, {t['relationships_created']} relationships, "
        f"{t['labels_added']} labels; set {t['properties_set']} properties"
        + ("" if t["nodes_created"] or t["relationships_created"] else " (already loaded: nothing new)")
    )
    created = {k: v for k, v in report.created().items() if v}
    if created:
        click.echo("  " + ", ".join(f"{k} {v}" for k, v in created.items()))


@main.command("export")
@STORE_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("cypher", "csv", "graphml")),
    required=True,
    help="cypher: a script for cypher-shell or Neo4j Browser; csv: files for neo4j-admin "
    "import (large corpora); graphml: for Gephi, yEd, Cytoscape.",
)
@click.option(
    "--out", "out", type=click.Path(), required=True, help="The file to write (cypher, graphml) or folder (csv)."
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    default=500,
    show_default=True,
    help="Rows per :param batch (cypher).",
)
@click.option("--database", default="neo4j", show_default=True, help="Database of the import command (csv).")
@_neo4j_errors
def export_cmd(store, fmt, out, batch_size, database):
    """Export the knowledge graph of the store for Neo4j and other tools.

    \b
    Examples:
      cancu export --format cypher --out graph.cypher && cypher-shell -u neo4j -f graph.cypher
      cancu export --format csv --out import/
      cancu export --format graphml --out graph.graphml

    Files are written whole or not at all (a temporary file, then renamed):
    a failure leaves an existing file as it was.
    """
    from .cypher import export
    from .cypher.errors import ExportFailed
    from .progress import Progress

    G = _load(store)
    shown = click.format_filename(out)
    try:
        with Progress("Exporting", unit="rows") as bar:
            if fmt == "cypher":
                r = export.write_cypher(G, out, batch_size=batch_size, progress=bar)
            elif fmt == "csv":
                r = export.write_csv(G, out, database=database, progress=bar)
            else:
                r = export.write_graphml(G, out, progress=bar)
        if fmt == "cypher":
            click.echo(
                f"wrote {shown}: {r['statements']} statements, {r['batches']} batches; "
                f"run: cypher-shell -u neo4j -f {shown}"
            )
        elif fmt == "csv":
            click.echo(f"wrote {len(r['files'])} CSV files, schema.cypher and import.sh into {shown}")
            click.echo("with Neo4j stopped, from that folder run:")
            click.echo("  " + r["command"])
            click.echo("then start Neo4j and run: cypher-shell -u neo4j -f schema.cypher")
        else:
            click.echo(f"wrote {shown}: {r['nodes']} nodes, {r['edges']} edges")
    except ExportFailed as e:
        raise click.ClickException(f"cannot export to {shown}: {e}; nothing was written") from None
    except OSError as e:
        raise click.ClickException(f"cannot write {shown}: {e.strerror or e}; nothing was written") from None


def no_plans_message(paths) -> str:
    """What `extract` and `build` say when the paths hold no file they read."""
    from .extractors.readers import SUFFIXES

    return f"no plan files ({', '.join(SUFFIXES)}) found in " + ", ".join(paths)


def format_table(doc: dict) -> str:
    """A plan's citations as an aligned text table, for people."""
    from .extractors.errors import shown

    me = doc["self"] or {}
    head = (
        f"{shown(doc['source'])}\n  {me.get('doc_type') or '?'} · {me.get('province') or '?'} · "
        f"{me.get('year') or '?'} · {me.get('status')}" + (f" · {me['title']}" if me.get("title") else "")
    )
    rows = [("key", "type", "date", "relation", "section", "issuer")]
    for c in doc["citations"]:
        rows.append(
            (
                c["key"],
                c["doc_type"] or "",
                c["date"] or "",
                "+".join(c["relations"]),
                c["section"] or "",
                c["issuer"] or "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [head]
    for r in rows:
        lines.append("  " + "  ".join(v.ljust(w) for v, w in zip(r, widths)) + "  " + r[-1])
    lines.append(
        f"  {len(doc['citations'])} citations, {len(doc['links'])} links, "
        f"{len(doc['named'])} named documents, {len(doc['agencies'])} agency roles"
    )
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    main()
