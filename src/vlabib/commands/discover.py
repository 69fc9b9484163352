"""Keeping the survey current: ``suggest`` files a paper, ``discover`` finds the papers the
survey misses — arXiv's search, asked per leaf with the leaf's title and its papers' most
distinctive words, the answers ranked by :mod:`vlabib.commands.suggest`. Dismissed papers are listed
in a small committed file (``refs/discover-ignore.txt``) so nobody reviews one twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vlabib import bib
from vlabib.commands.add import Summary, add
from vlabib.commands.suggest import WORD_RE, Ranker, Suggestion, ranker, stem
from vlabib.config import Project
from vlabib.errors import ConfigError
from vlabib.files import atomic_write, read_source
from vlabib.ids import parse_arxiv_id
from vlabib.model import Report
from vlabib.remote.arxiv import Record, search
from vlabib.remote.services import Services
from vlabib.taxonomy import Taxonomy

IGNORE = "discover-ignore.txt"
_ID_LINE_RE = re.compile(r"^\s*([^\s#]+)")


@dataclass(frozen=True)
class Found:
    """A paper arXiv has and the survey does not: where it would go, and how well."""

    record: Record
    leaf: str
    score: float
    closest: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.record.id,
            "title": self.record.title,
            "date": self.record.published,
            "leaf": self.leaf,
            "score": self.score,
            "closest": list(self.closest),
        }


def table(found: Sequence[Found]) -> Report:
    """What ``discover`` found, a line each, best fit first."""
    lines = [
        f"{f.record.id:<12} {f.record.published:<10} {f.leaf:<28} {f.score:.3f}  "
        f"{f.record.title[:70]}"
        for f in found
    ]
    return Report((*lines, f"{len(found)} papers the survey does not have"))


def _ignore_file(project: Project) -> tuple[Path, list[str]]:
    """The ignore list beside the taxonomy and its lines, read like every input (inside the
    survey, a regular UTF-8 file: a PR can plant anything there)."""
    path = project.path("taxonomy").parent / IGNORE
    try:
        return path, read_source(path, project.rel(path), root=project.root).splitlines()
    except FileNotFoundError:
        return path, []


def ignored(project: Project) -> set[str]:
    """IDs dismissed before (one per line; ``#`` starts a comment)."""
    _, lines = _ignore_file(project)
    return {m.group(1) for line in lines if (m := _ID_LINE_RE.match(line))}


def dismiss(project: Project, ids: Sequence[str], reason: str = "") -> Report:
    """Add IDs to the ignore list (kept sorted, with what was said about them)."""
    path, lines = _ignore_file(project)
    lines = lines or [
        "# Papers 'vlabib discover' should not suggest again: an arXiv ID per line, then why."
    ]
    wanted = [parse_arxiv_id(i) for i in ids]  # an IdError says which is not an ID
    known = ignored(project)
    new = list(dict.fromkeys(i for i in wanted if i not in known))
    lines += [f"{i}  # {reason}" if reason else i for i in new]
    atomic_write(path, "\n".join(lines) + "\n", root=project.root)
    return Report(tuple(f"dismissed {i}" for i in new))


def query_for(ranker_: Ranker, leaf: str, words: int = 4) -> str:
    """arXiv's search syntax for a leaf: its title as a phrase, or its papers' most
    distinctive words in pairs (as they are written, not stemmed)."""
    centroid = ranker_.centroids.get(leaf, {})
    written: Counter[tuple[str, str]] = Counter()
    for doc in ranker_.docs:
        if leaf in doc.leaves:
            written.update(
                (stem(w), w) for w in WORD_RE.findall(f"{doc.title} {doc.abstract}".lower())
            )
    surface: dict[str, str] = {}
    for (root, word), _ in sorted(written.items(), key=lambda kv: (-kv[1], kv[0])):
        surface.setdefault(root, word)
    top = [
        surface[w]
        for w, _ in sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))
        if w in surface and re.fullmatch(r"[a-z][a-z0-9-]{2,}", surface[w])
    ][:words]
    phrase = re.sub(r'["()]', " ", ranker_.titles[leaf]).strip()
    parts = [f'ti:"{phrase}"', f'abs:"{phrase}"']
    parts += [f'(abs:"{a}" AND abs:"{b}")' for a, b in zip(top[::2], top[1::2], strict=False)]
    return " OR ".join(parts)


def discover(
    project: Project,
    taxonomy: Taxonomy,
    services: Services,
    *,
    leaves: Sequence[str] = (),
    since: str = "",
    limit: int = 20,
    per_leaf: int = 50,
) -> list[Found]:
    """Recent papers close to each leaf that the survey lacks, best fit first."""
    unknown = [leaf for leaf in leaves if leaf not in taxonomy or not taxonomy[leaf].is_leaf]
    if unknown:
        raise ConfigError(f"not a leaf of the taxonomy: {', '.join(unknown)}")
    rank = ranker(project, taxonomy)
    have = {d.key for d in rank.docs} | {p.key for p in bib.load(project.bib, project.settings.bib)}
    skip = have | ignored(project)
    seen: dict[str, Record] = {}
    for leaf in leaves or [leaf.id for leaf in taxonomy.leaves]:
        for record in search(services.arxiv, query_for(rank, leaf), limit=per_leaf, since=since):
            if record.id not in skip:
                seen.setdefault(record.id, record)
    found = []
    for record in seen.values():
        best: Suggestion = rank.rank(record.title, record.summary)[0]
        found.append(Found(record, best.leaf, best.score, best.closest))
    found.sort(key=lambda f: (-f.score, f.record.id))
    return found[:limit]


def add_found(
    project: Project, found: Sequence[Found], services: Services, *, dry_run: bool = False
) -> Summary:
    """Add what :func:`discover` found, each paper under its suggested leaf, in one
    transaction (all or nothing)."""
    filed = {f.record.id: [f.leaf] for f in found}
    return add(project, list(filed), services=services, filed=filed, dry_run=dry_run)
