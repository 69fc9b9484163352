"""The view of the data that templates loop over: each paper as the outputs show it, and
each taxonomy node with its papers and its README anchor, computed once.

>>> github_slug("News 🔥")
'news-'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vlabib.model import Paper
from vlabib.names import display_name, family_name
from vlabib.taxonomy import Node, Taxonomy
from vlabib.tex.encode import text_to_latex
from vlabib.tex.read import latex_to_text
from vlabib.titles import title_name

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


#: How each kind of resource is named where a paper's venue would be.
KIND_LABELS = {
    "code": "Code",
    "blog": "Blog post",
    "video": "Video",
    "model": "Model",
    "dataset": "Dataset",
    "website": "Website",
}


@dataclass(frozen=True)
class PaperView:
    """A paper as every output shows it — README, manuscript, site, ``papers.json`` and
    ``--json`` all read this one view. Text fields are Unicode; ``*_tex`` fields are LaTeX
    source for the manuscript. The costly parts (authors, abstract) are decoded on first use.
    """

    paper: Paper
    key: str  # the paper's (read on every sort and lookup: a field, not a property)
    title: str
    url: str
    venue_name: str  # the venue without its year ("NeurIPS"), "" for a preprint
    venue_tex: str  # LaTeX source, "arXiv" for a preprint (the manuscript's tables)
    year: int | None  # the venue's own year wins over the entry's
    label_tex: str  # method name for figure and tables, LaTeX source

    @property
    def code(self) -> str:
        return self.paper.code

    @property
    def categories(self) -> tuple[str, ...]:
        return self.paper.categories

    @property
    def extra(self) -> Mapping[str, str]:
        """Every field as LaTeX source (tables may show any)."""
        return self.paper.fields

    @property
    def arxiv_id(self) -> str:
        return self.paper.arxiv_id

    @property
    def pdf(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def website(self) -> str:
        return self.paper.get("website")

    @functools.cached_property
    def venue(self) -> str:
        """The venue field as written, Unicode (``"NeurIPS 2025"``); "" for a preprint."""
        return latex_to_text(self.paper.venue)

    @functools.cached_property
    def shortname(self) -> str:
        return latex_to_text(self.paper.shortname)

    @functools.cached_property
    def authors(self) -> tuple[str, ...]:
        """Display names, ``First Last``."""
        return tuple(map(_shown_name, self.paper.authors))

    @functools.cached_property
    def abstract(self) -> str:
        return latex_to_text(self.paper.get("abstract"))

    @property
    def recommended(self) -> bool:
        return self.paper.recommended

    @property
    def resource(self) -> str:
        """What a link that is no paper is, as a reader says it ("Blog post"), else ""."""
        return KIND_LABELS.get(self.paper.resource, "")

    @property
    def date(self) -> str:
        """The date the list gave (YYYY-MM or YYYY-MM-DD), else ""."""
        return self.paper.get("date")

    @functools.cached_property
    def note(self) -> str:
        """The curator's note, Unicode."""
        return latex_to_text(self.paper.get("annote"))

    def field_text(self, name: str) -> str:
        """Any bib field as Unicode text (a table column may show any)."""
        value = self.paper.get(name)
        return value if value.startswith(("http://", "https://")) else latex_to_text(value)

    def as_json(self) -> dict[str, Any]:
        """The paper as plain data, for ``--json``.

        >>> paper_view(Paper("2509.09372", "misc", {"title": "{VLA}-Adapter"})).as_json()["title"]
        'VLA-Adapter'
        """
        return {
            "id": self.key,
            "type": self.paper.type,
            "title": self.title,
            "authors": list(self.authors),
            "year": self.paper.year,
            "venue": self.venue or None,
            "shortname": self.shortname or None,
            "code": self.code or None,
            "url": self.paper.get("url") or None,
            "categories": list(self.categories),
            **({"resource": self.paper.resource} if self.paper.resource else {}),
        }


@functools.lru_cache(maxsize=1 << 16)  # a survey's authors recur from paper to paper
def _shown_name(bibtex: str) -> str:
    """``M{\\"u}ller, Hans`` -> ``Hans Müller``."""
    return display_name(latex_to_text(bibtex))


def paper_view(paper: Paper) -> PaperView:
    venue_tex, year = split_venue(paper.venue, paper.year) if paper.venue else ("", paper.year)
    title = latex_to_text(paper.title)
    named = "" if paper.shortname else title_name(title)
    if paper.shortname or named:
        label = paper.shortname or text_to_latex(named)
    elif authors := paper.authors:
        label = family_name(authors[0]) + (r" et~al." if len(authors) > 1 else "")
        label += f"~{paper.year}" if paper.year else ""
    else:  # no name and no author: the title's own short title, else its first words
        label = _short_title(title)
    url = paper.get("url") or (f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else "")
    return PaperView(
        paper=paper,
        key=paper.key,
        title=title,
        url=url,
        venue_name=latex_to_text(venue_tex),
        venue_tex=venue_tex or "arXiv",
        year=year,
        label_tex=label,
    )


def _short_title(title: str) -> str:
    r"""What a reader calls a paper with no method name and no author: the phrase before
    its colon when that is short ("Look Twice Before You Answer"), else the whole title
    (it wraps in its box); never a cut title, never "Anonymous".

    >>> _short_title("Look Twice Before You Answer: Memory-Space Visual Retracing")
    'Look Twice Before You Answer'
    >>> _short_title("Interpreting and Editing Vision-Language Representations")
    'Interpreting and Editing Vision-Language Representations'
    """
    head, colon, _ = title.partition(":")
    if colon and 1 < len(head.split()) <= 6 and len(head) <= 40:
        return text_to_latex(head.strip())
    return text_to_latex(title)


def newest_first(papers: list[Paper]) -> list[Paper]:
    """Papers by v1 date, newest first; the key breaks ties (later IDs are newer)."""
    return sorted(papers, key=_date_key, reverse=True)


def _date_key(paper: Paper) -> tuple[int, int, int, str]:
    """Year, month, day, key: the day from the date a list gave (``2026-06-18``), else 0."""
    date = paper.get("date")
    if date[:4] == str(paper.year) and len(date) >= 7:
        day = int(date[8:10]) if len(date) == 10 else 0
        return (paper.year or 0, int(date[5:7]), day, paper.key)
    return (paper.year or 0, paper.month or 0, 0, paper.key)


@dataclass(frozen=True)
class Section:
    """A taxonomy node with the papers filed under it (leaves) or below it (inner nodes)."""

    node: Node
    slug: str  # its README anchor
    papers: list[PaperView]  # leaves: own papers; inner nodes: the subtree's, each once
    title_tex: str


def sections(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    taken_slugs: Sequence[str] = (),
    *,
    order: str = "newest",
    pin: bool = False,
) -> list[Section]:
    """Every taxonomy node with its papers in *order* ("newest", "oldest", "title", or "list":
    where the list had them under each heading), recommended ones first when *pin*; slugs
    unique after *taken_slugs*."""
    ordered = _base_order(list(papers), order)
    views = {p.key: paper_view(p) for p in ordered}
    by_leaf: dict[str, list[str]] = {leaf.id: [] for leaf in taxonomy.leaves}
    for paper in ordered:
        for cat in paper.categories:
            if cat in by_leaf:
                by_leaf[cat].append(paper.key)
    by_key = {p.key: p for p in ordered}
    if order == "list":
        for leaf, keys in by_leaf.items():
            places = {k: by_key[k].positions.get(leaf, _LAST) for k in keys}
            keys.sort(key=places.__getitem__)
    rank = _ranks(ordered, by_leaf, order)
    if pin:
        for keys in by_leaf.values():
            keys.sort(key=lambda k: not by_key[k].recommended)
    slugs = unique_slugs([n.title for n in taxonomy], taken_slugs)
    subtrees = _subtree_papers(taxonomy, by_key, rank)
    out = []
    for node, slug in zip(taxonomy, slugs, strict=True):
        leaves = taxonomy.leaves_under(node.id)
        keys = by_leaf.get(leaves[0], []) if len(leaves) == 1 else subtrees[node.id]
        out.append(Section(node, slug, [views[k] for k in keys], text_to_latex(node.title)))
    return out


def _subtree_papers(
    taxonomy: Taxonomy, by_key: dict[str, Paper], rank: dict[str, tuple[int, int]]
) -> dict[str, list[str]]:
    """The papers under each node of more than one leaf, each once, by *rank*: the papers
    taken once in that order, each added to the nodes above its leaves (no sort per node)."""
    above: dict[str, list[str]] = {}  # leaf -> the nodes of several leaves it is under
    subtrees: dict[str, list[str]] = {}
    for node in taxonomy:
        leaves = taxonomy.leaves_under(node.id)
        if len(leaves) > 1:
            subtrees[node.id] = []
            for leaf in leaves:
                above.setdefault(leaf, []).append(node.id)
    for key in sorted(rank, key=rank.__getitem__):
        nodes = {n for category in by_key[key].categories for n in above.get(category, ())}
        for node_id in nodes:
            subtrees[node_id].append(key)
    return subtrees


_LAST = 1 << 30  # a paper the list did not place comes after those it did


def _base_order(papers: list[Paper], order: str) -> list[Paper]:
    if order == "oldest":
        return newest_first(papers)[::-1]
    if order == "title":
        return sorted(papers, key=lambda p: (latex_to_text(p.title).casefold(), p.key))
    return newest_first(papers)


def _ranks(
    ordered: list[Paper], by_leaf: dict[str, list[str]], order: str
) -> dict[str, tuple[int, int]]:
    """Each paper's place among its area's papers: the base order, or — for the list's own
    order — its first leaf (in the taxonomy's order) and its place there."""
    if order != "list":
        return {p.key: (n, 0) for n, p in enumerate(ordered)}
    rank: dict[str, tuple[int, int]] = {}
    for n, keys in enumerate(by_leaf.values()):
        for place, key in enumerate(keys):
            rank.setdefault(key, (n, place))
    return rank
