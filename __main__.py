"""``python -m cancu``: the command line, as the ``cancu`` script runs it."""

from .cli import main

main(prog_name="cancu")
