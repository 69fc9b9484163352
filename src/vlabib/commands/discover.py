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

from vlabib import bib
from vlabib.commands.suggest import WORD_RE, Doc, Ranker, Suggestion, stem
from vlabib.config import Project
from vlabib.errors import ConfigError
from vlabib.files import atomic_write
from vlabib.ids import parse_arxiv_id
from vlabib.remote.arxiv import Client, Record, search
from vlabib.taxonomy import Taxonomy
from vlabib.tex.read import latex_to_text

IGNORE = "discover-ignore.txt"
_ID_LINE_RE = re.compile(r"^\s*([^\s#]+)")


@dataclass(frozen=True)
class Found:
    """A paper arXiv has and the survey does not: where it would go, and how well."""

    record: Record
    leaf: str
    score: float
    closest: tuple[str, ...]


def ranker(project: Project, taxonomy: Taxonomy, without: str = "") -> Ranker:
    """The filed papers of the survey (but *without*), ready to rank leaves."""
    docs = [Doc(p.key, latex_to_text(p.title), latex_to_text(p.get("abstract")),
                tuple(c for c in p.categories if c in taxonomy))
            for p in bib.load(project.bib, project.settings.bib) if p.key != without]  # fmt: skip
    titles = {leaf.id: leaf.title for leaf in taxonomy.leaves}
    # A leaf right under the root is its own area.
    parents = {leaf.id: leaf.parent if leaf.parent != taxonomy.root.id else leaf.id
               for leaf in taxonomy.leaves if leaf.parent}  # fmt: skip
    return Ranker(docs, titles, parents)


def ignored(project: Project) -> set[str]:
    """IDs dismissed before (one per line; ``#`` starts a comment)."""
    path = project.path("taxonomy").parent / IGNORE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    return {m.group(1) for line in lines if (m := _ID_LINE_RE.match(line))}


def dismiss(project: Project, ids: Sequence[str], reason: str = "") -> list[str]:
    """Add IDs to the ignore list (kept sorted, with what was said about them)."""
    path = project.path("taxonomy").parent / IGNORE
    lines = (
        path.read_text(encoding="utf-8").splitlines()
        if path.exists()
        else [
            "# Papers 'vlabib discover' should not suggest again: an arXiv ID per line, then why."
        ]
    )
    wanted = [parse_arxiv_id(i) for i in ids]  # an IdError says which is not an ID
    known = ignored(project)
    new = list(dict.fromkeys(i for i in wanted if i not in known))
    lines += [f"{i}  # {reason}" if reason else i for i in new]
    atomic_write(path, "\n".join(lines) + "\n", root=project.root)
    return new


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
    top = [surface[w] for w, _ in sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))
           if w in surface and re.fullmatch(r"[a-z][a-z0-9-]{2,}", surface[w])][:words]  # fmt: skip
    phrase = re.sub(r'["()]', " ", ranker_.titles[leaf]).strip()
    parts = [f'ti:"{phrase}"', f'abs:"{phrase}"']
    parts += [f'(abs:"{a}" AND abs:"{b}")' for a, b in zip(top[::2], top[1::2], strict=False)]
    return " OR ".join(parts)


def discover(
    project: Project,
    taxonomy: Taxonomy,
    client: Client,
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
        for record in search(client, query_for(rank, leaf), limit=per_leaf, since=since):
            if record.id not in skip:
                seen.setdefault(record.id, record)
    found = []
    for record in seen.values():
        best: Suggestion = rank.rank(record.title, record.summary)[0]
        found.append(Found(record, best.leaf, best.score, best.closest))
    found.sort(key=lambda f: (-f.score, f.record.id))
    return found[:limit]
