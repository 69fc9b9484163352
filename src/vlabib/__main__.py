"""``python -m vlabib``: the command line."""

from vlabib.cli import main

main(prog_name="vlabib")
