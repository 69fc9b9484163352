"""The view of the data that templates loop over: each paper as the outputs show it, and
each taxonomy node with its papers and its README anchor, computed once.

>>> github_slug("News 🔥")
'news-'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vlabib.commands.query import newest_first
from vlabib.model import Paper
from vlabib.names import family_name
from vlabib.taxonomy import Node, Taxonomy
from vlabib.tex.encode import text_to_latex
from vlabib.tex.read import latex_to_text

_VENUE_YEAR_RE = re.compile(r"^(.*?)[\s,]+((?:19|20)\d\d)$")


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading (github-slugger's rule): lower-case, punctuation and
    symbols dropped, each space a hyphen. Duplicates are numbered by :func:`unique_slugs`."""
    kept = []
    for ch in heading.lower():
        cat = unicodedata.category(ch)
        if ch in "-_ " or cat[0] in "LMN":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def unique_slugs(headings: Sequence[str], taken: Sequence[str] = ()) -> list[str]:
    """Slugs for *headings* in order, numbered ``-1``, ``-2`` after earlier equal ones."""
    seen: dict[str, int] = {}
    for slug in taken:
        seen[slug] = seen.get(slug, 0) + 1
    out = []
    for heading in headings:
        base = github_slug(heading)
        slug = base
        while slug in seen:
            slug = f"{base}-{seen[base]}"
            seen[base] += 1
        seen.setdefault(base, 1)
        seen[slug] = seen.get(slug, 1)
        out.append(slug)
    return out


def split_venue(venue: str, year: int | None) -> tuple[str, int | None]:
    """``("NeurIPS 2025", 2024)`` -> ``("NeurIPS", 2025)``: the venue's own year wins."""
    m = _VENUE_YEAR_RE.match(venue)
    if m:
        return m.group(1), int(m.group(2))
    return venue, year


@dataclass(frozen=True)
class PaperView:
    """A paper as every output shows it."""

    key: str
    title: str  # Unicode text
    url: str
    code: str
    venue: str  # Unicode text, "arXiv" for preprints
    venue_tex: str  # LaTeX source
    year: int | None
    label_tex: str  # method name for figure and tables, LaTeX source
    categories: tuple[str, ...]
    extra: Mapping[str, str]  # every field, LaTeX source (tables may show any)


def paper_view(paper: Paper) -> PaperView:
    venue_tex, year = split_venue(paper.venue, paper.year) if paper.venue else ("", paper.year)
    authors = paper.authors
    if paper.shortname:
        label = paper.shortname
    elif authors:
        label = family_name(authors[0]) + (r" et~al." if len(authors) > 1 else "")
    else:  # no name and no author: the title's first words, never "Anonymous"
        words = latex_to_text(paper.title).split()
        label = text_to_latex(" ".join(words[:3])) + (r"\ldots{}" if len(words) > 3 else "")
    url = paper.get("url") or (f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else "")
    return PaperView(
        key=paper.key,
        title=latex_to_text(paper.title),
        url=url,
        code=paper.code,
        venue=latex_to_text(venue_tex) or "arXiv",
        venue_tex=venue_tex or "arXiv",
        year=year,
        label_tex=label,
        categories=paper.categories,
        extra=paper.fields,
    )


@dataclass(frozen=True)
class Section:
    """A taxonomy node with the papers filed under it (leaves) or below it (inner nodes)."""

    node: Node
    slug: str  # its README anchor
    papers: list[PaperView]  # leaves: own papers; inner nodes: the subtree's, each once
    title_tex: str


def sections(
    papers: Sequence[Paper], taxonomy: Taxonomy, taken_slugs: Sequence[str] = ()
) -> list[Section]:
    """Every taxonomy node with its papers, newest first; slugs unique after *taken_slugs*."""
    # One sort, newest first; each node keeps that order (rank) for its own papers.
    ordered = newest_first(list(papers))
    rank = {p.key: n for n, p in enumerate(ordered)}
    by_leaf: dict[str, list[str]] = {leaf.id: [] for leaf in taxonomy.leaves}
    for paper in ordered:
        for cat in paper.categories:
            if cat in by_leaf:
                by_leaf[cat].append(paper.key)
    views = {p.key: paper_view(p) for p in ordered}
    slugs = unique_slugs([n.title for n in taxonomy], taken_slugs)
    out = []
    for node, slug in zip(taxonomy, slugs, strict=True):
        leaves = taxonomy.leaves_under(node.id)
        if len(leaves) == 1:
            keys = by_leaf.get(leaves[0], [])
        else:
            keys = sorted(
                {k for leaf in leaves for k in by_leaf.get(leaf, ())}, key=rank.__getitem__
            )
        out.append(Section(node, slug, [views[k] for k in keys], text_to_latex(node.title)))
    return out
