"""Large bibs, read once: the parsed and validated papers remembered by the text's hash
(and the reader's code) through :mod:`vlabib.memo` — in the user's cache directory, MAC'd,
never inside the survey.
"""

from __future__ import annotations

from collections.abc import Callable

from vlabib import memo
from vlabib.model import Paper

# Below this size parsing costs less than hashing the text and reading the entry back.
_REMEMBER_FROM = 1 << 20
KIND = "parsed"


def remembered_parse(
    text: str, digest: bytes, name: str, parse: Callable[[str, str], list[Paper]]
) -> list[Paper]:
    """The papers of a large bib, remembered by its text's *digest* — never in the survey,
    so nothing a checkout holds can stand in for the reader. Only bibs that read without a
    problem are remembered."""
    if len(text) < _REMEMBER_FROM:
        return parse(text, name)
    key = memo.digest(reader_version(), digest)
    rows = memo.recall(KIND, key)
    if isinstance(rows, list):
        return [Paper(k, etype, fields, line) for k, etype, fields, line in rows]
    papers = parse(text, name)
    memo.remember(KIND, key, [p.as_row() for p in papers])
    return papers


def reader_version() -> str:
    """Changes whenever any code that can shape a parsed paper changes: every module of the
    layers a bib is read with (the core, ``tex/``, ``bib/``)."""
    return memo.code_version("*.py", "tex/**/*.py", "bib/**/*.py")
