"""Keep README.md in step with the code (cog-style).

    python docs/readme.py          # rewrite the generated parts of README.md
    python docs/readme.py --check  # exit 1 if README.md is out of date

Generated parts sit between markers:

* ``<!-- help:extract -->`` … ``<!-- /help:extract -->``: ``cancu extract --help``
  (sub-commands as ``help:query implements``);
* ``<!-- include:docs/inputs.md -->`` … ``<!-- /include:docs/inputs.md -->``:
  a document of docs/, its first heading dropped.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"<!-- (?P<kind>help|include):(?P<arg>[^>]+?) -->\n.*?<!-- /(?P=kind):(?P=arg) -->", re.S)


def help_text(command: str) -> str:
    from click.testing import CliRunner

    sys.path.insert(0, str(ROOT))
    from cli import main

    result = CliRunner().invoke(main, [*command.split(), "--help"], prog_name="cancu", terminal_width=80)
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
            body = (doc[first.end():] if first else doc).rstrip() + "\n"
            # the document's sections become subsections of the README's (###)
            body = re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) - top + 2) + " ", body, flags=re.M)
        return f"<!-- {kind}:{arg} -->\n{body}<!-- /{kind}:{arg} -->"
    return BLOCK.sub(block, text)


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if current != wanted:
            print("README.md is out of date: run python docs/readme.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
