"""The canonical bibliography: its fields, the reader, the writer, the one transaction, the
remembered parse. bibtexparser is imported in :mod:`vlabib.bib.parse` only."""

from vlabib.bib.parse import parse_string
from vlabib.bib.store import (
    Change,
    Snapshot,
    canonical_diff,
    format_file,
    keep,
    load,
    read,
    transaction,
)
from vlabib.bib.write import first_difference, write_string

__all__ = [
    "Change",
    "Snapshot",
    "canonical_diff",
    "first_difference",
    "format_file",
    "keep",
    "load",
    "parse_string",
    "read",
    "transaction",
    "write_string",
]
