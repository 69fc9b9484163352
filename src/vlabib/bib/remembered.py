"""Large bibs, read once: the parsed and validated papers remembered by the text's hash
(and the reader's code) through :mod:`vlabib.memo` — in the user's cache directory, MAC'd,
never inside the survey.
"""

from __future__ import annotations

from vlabib import memo
from vlabib.model import Paper

# Below this size parsing costs less than hashing the text and reading the entry back.
_REMEMBER_FROM = 1 << 20
KIND = "parsed"


def recalled(text: str, digest: bytes) -> list[Paper] | None:
    """The papers of a large bib as remembered by its text's *digest* — never in the
    survey, so nothing a checkout holds can stand in for the reader — or None."""
    if not worth_remembering(text):
        return None
    rows = memo.recall(KIND, memo.digest(reader_version(), digest))
    if not isinstance(rows, list):
        return None
    return [Paper(k, etype, fields, line) for k, etype, fields, line in rows]


def worth_remembering(text: str) -> bool:
    """Whether a bib is large enough for its parse to be remembered."""
    return len(text) >= _REMEMBER_FROM


def remember(digest: bytes, papers: list[Paper]) -> None:
    """Remember the papers of a large bib that read without a problem."""
    memo.remember(KIND, memo.digest(reader_version(), digest), [p.as_row() for p in papers])


def reader_version() -> str:
    """Changes whenever any code that can shape a parsed paper changes: every module of the
    layers a bib is read with (the core, ``tex/``, ``bib/``)."""
    return memo.code_version("*.py", "tex/**/*.py", "bib/**/*.py")
