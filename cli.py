"""cancu: the command line (dòng lệnh). Each command parses its options, makes
one library call and prints; only this module turns the library's exceptions
into messages for people."""
from __future__ import annotations

import json
import os
import sys

import click

FORMATS = ("json", "jsonl", "table")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cancu")
def main():
    """cancu turns Vietnamese government plans (kế hoạch) into a knowledge
    graph of the legal documents they cite (căn cứ): decrees, circulars,
    decisions, Party conclusions ... with the sentence each citation comes from.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: one array of documents; jsonl: one document per line; table: for people.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes to run in parallel.")
def extract(paths, fmt, jobs):
    """Extract the citations (trích dẫn) of each plan in PATHS.

    PATHS are files or folders; folders are read recursively for *.txt and
    *.md files. A file that cannot be read is reported on stderr with the
    reason, the others are still processed, and the exit status is 1.

    \b
    Examples:
      cancu extract data/plans --format table
      cancu extract data/plans/yen-bai-2024-ttdn.txt > yen-bai.json
      cancu extract corpus/ --format jsonl --jobs 2 > corpus.jsonl
    """
    from extractors.pipeline import Failure, extract_paths, iter_sources

    files = list(iter_sources(paths))
    if not files:
        raise click.ClickException("no .txt or .md files found in " + ", ".join(paths))
    read = failed = 0
    out = sys.stdout
    show_bar = len(files) > 50 and sys.stderr.isatty()
    bar = click.progressbar(length=len(files), label="Extracting", file=sys.stderr) if show_bar else None
    first = True
    if fmt == "json":
        out.write("[")
    try:
        for result in extract_paths(files, jobs=jobs, progress=bar.update if bar else None):
            if isinstance(result, Failure):
                failed += 1
                click.echo(f"cancu: cannot read {result.source}: {result.reason}", err=True)
                continue
            read += 1
            doc = result.to_dict()
            if fmt == "json":
                out.write(("\n" if first else ",\n") + json.dumps(doc, ensure_ascii=False, indent=1))
            elif fmt == "jsonl":
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            else:
                out.write(format_table(doc))
            first = False
    finally:
        if bar:
            bar.render_finish()
    if fmt == "json":
        out.write("\n]\n")
    out.flush()
    click.echo(f"{read} file{'s' if read != 1 else ''} read, {failed} failed.", err=True)
    if failed:
        sys.exit(1)


def format_table(doc: dict) -> str:
    """A plan's citations as an aligned text table, for people."""
    me = doc["self"] or {}
    head = (f"{doc['source']}\n  {me.get('doc_type') or '?'} · {me.get('province') or '?'} · "
            f"{me.get('year') or '?'} · {me.get('status')}" + (f" · {me['title']}" if me.get("title") else ""))
    rows = [("key", "type", "date", "relation", "section", "issuer")]
    for c in doc["citations"]:
        rows.append((c["key"], c["doc_type"] or "", c["date"] or "", "+".join(c["relations"]),
                     c["section"] or "", c["issuer"] or ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [head]
    for r in rows:
        lines.append("  " + "  ".join(v.ljust(w) for v, w in zip(r, widths)) + "  " + r[-1])
    lines.append(f"  {len(doc['citations'])} citations, {len(doc['links'])} links, "
                 f"{len(doc['named'])} named documents, {len(doc['agencies'])} agency roles")
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    main()
