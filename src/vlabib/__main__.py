"""``python -m vlabib``: the command line."""

from vlabib.cli import run

run()
