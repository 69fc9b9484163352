"""Papers found on arXiv by their title: for an adopted bib's entries that state no arXiv ID.

Titles are asked ten to a query (``ti:"…" OR ti:"…"``), through the same paced and cached
search as ``discover``. A record is taken only when its title equals the entry's (as
:func:`vlabib.titles.norm_title` folds them) and its authors include the entry's first
author's family name; the same title by other authors is listed for review, never taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from vlabib.errors import NetworkError
from vlabib.names import family_name
from vlabib.remote.arxiv import Client, Record, search
from vlabib.titles import norm_title

BATCH = 10


@dataclass(frozen=True)
class Wanted:
    """An entry to look for: its key, its title and its first author (as Unicode text)."""

    key: str
    title: str
    author: str


@dataclass
class Found:
    """What the search found: records taken, entries to review, and entries whose search
    failed (key -> why)."""

    taken: dict[str, Record] = field(default_factory=dict)
    review: dict[str, Record] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def _phrase(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", title).split())


def _folded(name: str) -> str:
    return norm_title(name).replace(" ", "")


def find_by_title(client: Client, wanted: Sequence[Wanted]) -> Found:
    """Each wanted entry's arXiv record, where one matches as the module says."""
    found = Found()
    for start in range(0, len(wanted), BATCH):
        batch = [w for w in wanted[start : start + BATCH] if _phrase(w.title)]
        if not batch:
            continue
        query = " OR ".join(f'ti:"{_phrase(w.title)}"' for w in batch)
        try:
            records = search(client, query, limit=5 * len(batch), page=5 * len(batch))
        except NetworkError as exc:
            found.failed.update({w.key: str(exc) for w in batch})
            continue
        by_title: dict[str, list[Record]] = {}
        for record in records:
            by_title.setdefault(norm_title(record.title), []).append(record)
        for w in batch:
            same = by_title.get(norm_title(w.title), [])
            author = _folded(family_name(w.author)) if w.author else ""
            match = [r for r in same if author and any(author in _folded(a) for a in r.authors)]
            if match:
                found.taken[w.key] = match[0]
            elif same:
                found.review[w.key] = same[0]
    return found
