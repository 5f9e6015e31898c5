"""Keep the generated parts of README.md and docs/*.md in step with the code
(cog-style).

    python docs/readme.py          # rewrite the generated parts
    python docs/readme.py --check  # exit 1 if any file is out of date

Generated parts sit between markers:

* ``<!-- help:extract -->`` … ``<!-- /help:extract -->``: ``cancu extract --help``
  (sub-commands as ``help:query implements``, the group itself as ``help:``);
* ``<!-- include:docs/inputs.md -->`` … ``<!-- /include:docs/inputs.md -->``:
  a document of docs/, its first heading dropped.

``docs/cli.md`` holds the help of every command; :func:`commands` lists them
so that a test can check that none is missing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: the files whose generated parts this script keeps up to date
FILES = (README, *sorted((ROOT / "docs").glob("*.md")))
BLOCK = re.compile(r"<!-- (?P<kind>help|include):(?P<arg>[^>]*?) -->\n.*?<!-- /(?P=kind):(?P=arg) -->", re.S)


def _main_group():
    from cancu.cli import main

    return main


def commands() -> list[str]:
    """Every command of ``cancu``, group and sub-commands, as typed after
    ``cancu`` ("" for the group itself), in order."""
    import click

    out = []

    def walk(cmd, prefix):
        out.append(" ".join(prefix))
        if isinstance(cmd, click.Group):
            for name in sorted(cmd.commands):
                walk(cmd.commands[name], prefix + [name])

    walk(_main_group(), [])
    return out


def help_text(command: str) -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(_main_group(), [*command.split(), "--help"], prog_name="cancu", terminal_width=80)
    return result.output.rstrip() + "\n"


def render(text: str) -> str:
    def block(m: re.Match) -> str:
        kind, arg = m.group("kind"), m.group("arg")
        if kind == "help":
            body = "```\n" + help_text(arg) + "```\n"
        else:
            doc = (ROOT / arg).read_text(encoding="utf-8")
            first = re.match(r"\A(#+) [^\n]*\n+", doc)
            top = len(first.group(1)) if first else 1
            body = (doc[first.end() :] if first else doc).rstrip() + "\n"
            # the document's sections become subsections of the including file's (###)
            body = re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) - top + 2) + " ", body, flags=re.M)
        return f"<!-- {kind}:{arg} -->\n{body}<!-- /{kind}:{arg} -->"

    return BLOCK.sub(block, text)


def generated_files() -> dict[Path, str]:
    """Whole files made from data: the Neo4j Browser style sheet, from the
    vocabulary's colour scheme."""
    from cancu.cypher import STYLE, style_sheet

    return {ROOT / "cypher" / STYLE: style_sheet()}


def main(argv: list[str]) -> int:
    stale = []
    for path, wanted in generated_files().items():
        if path.read_text(encoding="utf-8") != wanted:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(wanted, encoding="utf-8")
    for path in FILES:
        current = path.read_text(encoding="utf-8")
        wanted = render(current)
        if current == wanted:
            continue
        stale.append(path)
        if "--check" not in argv:
            path.write_text(wanted, encoding="utf-8")
    if stale and "--check" in argv:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"out of date: {names}: run python docs/readme.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
