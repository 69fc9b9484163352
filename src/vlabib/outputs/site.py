"""The survey's website, made from the same bib: ``site/index.html`` (self-contained: inline
CSS and JS, every paper rendered into the page, works from ``file://``), ``papers.json``
(a superset of the old hand-made site's schema) and ``papers.bib``.

Text reaches the page through the same LaTeX-to-Unicode path as the README and is escaped by
Jinja's autoescape; nothing from the bib is ever placed inside the script.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from vlabib import bib
from vlabib.config import Settings
from vlabib.model import Paper
from vlabib.outputs.listing import authors, links, where
from vlabib.outputs.manuscript import exported
from vlabib.outputs.view import PaperView, Section, paper_view
from vlabib.taxonomy import Taxonomy
from vlabib.tex.read import latex_to_text

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Bar:
    """One year of the chart: its label, count and geometry (SVG user units)."""

    year: int
    count: int
    x: float
    height: float


def _bars(cards: Sequence[PaperView]) -> tuple[list[Bar], int]:
    counts = Counter(c.year for c in cards if c.year)
    if not counts:
        return [], 0
    years = range(min(counts), max(counts) + 1)
    top = max(counts.values())
    return [
        Bar(y, counts.get(y, 0), 30.0 * i, 80.0 * counts.get(y, 0) / top)
        for i, y in enumerate(years)
    ], top


@dataclass(frozen=True)
class Facet:
    """One value of a filter (a venue, a year, a leaf): what it filters on, its label and how
    many papers have it."""

    value: str
    label: str
    count: int


def _venue_of(card: PaperView) -> str:
    return card.resource or card.venue_name or ("arXiv" if card.arxiv_id else "Other")


def _venues(cards: Sequence[PaperView]) -> list[Facet]:
    counts = Counter(_venue_of(c) for c in cards)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    return [Facet(venue, venue, n) for venue, n in ordered]


def leaf_labels(taxonomy: Taxonomy) -> dict[str, str]:
    """Each node's title, told apart from another of the same title by its parent's
    ("Paper List (Prompt Learning)"): two identical boxes help nobody choose."""
    counts = Counter(n.title for n in taxonomy)
    return {
        n.id: f"{n.title} ({taxonomy[n.parent].title})"
        if counts[n.title] > 1 and n.parent
        else n.title
        for n in taxonomy
    }


def meta(card: PaperView) -> str:
    """``Ann Lee, Bo Li et al. ICLR, 2025.``: who and where, each sentence ended once."""
    parts = [authors(card, 0), where(card)]
    return " ".join(p if p.endswith(".") else f"{p}." for p in parts if p)


def _dated(card: PaperView) -> str:
    """A sortable date: the list's, else the year and month (``2024-05``)."""
    month = card.paper.month or 0
    return card.date or (f"{card.year:04d}-{month:02d}" if card.year else "")


def files(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    settings: Settings,
    secs: Sequence[Section],
    citation: str = "",
) -> dict[str, str]:
    """``index.html``, ``papers.json`` and ``papers.bib``, by file name; *citation* is the
    survey's own BibTeX entry, shown as "Cite this survey" when set."""
    from vlabib.outputs.templating import html_template

    labels = leaf_labels(taxonomy)
    entries = {p.key: bib.write_string([p]).strip() for p in exported(papers, ascii_only=False)}
    filed = list(secs[0].papers)
    held = {v.key for v in filed}
    rest = sorted((p for p in papers if p.key not in held), key=lambda p: p.key)
    cards = filed + [paper_view(p) for p in rest]  # the survey's order, then the unfiled
    bars, top = _bars(cards)
    years = Counter(str(c.year) for c in cards if c.year)
    page = html_template("site.html").render(
        title=latex_to_text(settings.title) or f"A Survey on {taxonomy.root.title}",
        sections=secs,
        cards=cards,
        bars=bars,
        top=top,
        years=[Facet(y, y, n) for y, n in sorted(years.items(), reverse=True)],
        venues=_venues(cards),
        labels=labels,
        bibtex=entries,
        leaves_under={n.id: taxonomy.leaves_under(n.id) for n in taxonomy},
        preprints=sum(1 for c in cards if not (c.venue_name or c.resource)),
        meta=meta,
        links=links,
        venue_of=_venue_of,
        dated=_dated,
        order=settings.order,
        citation=citation.strip(),
    )
    return {
        "index.html": page,
        "papers.json": _dumps(_json(taxonomy, cards, entries)),
        "papers.bib": bib.write_string(papers),
    }


def _json(
    taxonomy: Taxonomy, cards: Sequence[PaperView], bibtex: dict[str, str]
) -> dict[str, object]:
    """The old site's schema (id, title, authors, year, venue, abstract, arxiv_id, url,
    category, subcategory, tags, categories), and more (key, shortname, code, website, pdf,
    leaves, bibtex)."""
    out = []
    for card in cards:
        paper = card.paper
        places = [_place(taxonomy, leaf) for leaf in card.categories if leaf in taxonomy]
        first = places[0] if places else {"category": "", "subcategory": ""}
        out.append(
            {
                "id": card.key,
                "key": card.key,
                "title": card.title,
                "authors": " and ".join(latex_to_text(a) for a in paper.authors),
                "year": str(paper.year or ""),
                "venue": card.venue
                or (f"arXiv preprint arXiv:{paper.arxiv_id}" if paper.arxiv_id else ""),
                "abstract": card.abstract,
                "arxiv_id": paper.arxiv_id,
                "url": card.url,
                "pdf": card.pdf,
                "code": card.code,
                "website": card.website,
                "shortname": card.shortname,
                **first,
                "tags": [],
                "categories": places,
                "leaves": list(card.categories),
                "bibtex": bibtex[card.key],
                "recommended": card.recommended,
                "date": card.date,
                "note": card.note,
                "resource": paper.resource,
                "links": [{"label": label, "url": url} for label, url in card.paper.links],
            }
        )
    areas = {
        a.title: {"subcategories": [taxonomy[c].title for c in a.children]} for a in taxonomy.areas
    }
    return {
        "schema": SCHEMA_VERSION,
        "title": taxonomy.root.title,
        "papers": out,
        "categories": areas,
    }


def _dumps(doc: dict[str, object]) -> str:
    """JSON with one paper per line: a diff shows which papers changed, and the C encoder
    does the work (an indented dump is pure Python, 5x slower on a large survey)."""
    lines = []
    for key, value in doc.items():
        if key == "papers" and isinstance(value, list):
            inner = ",\n".join(f"  {json.dumps(p, ensure_ascii=False)}" for p in value)
            lines.append(f' "papers": [\n{inner}\n ]' if value else ' "papers": []')
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _place(taxonomy: Taxonomy, leaf: str) -> dict[str, str]:
    """A leaf as the old site said where a paper is: its area and the level below it."""
    path = [n.title for n in taxonomy.path(leaf)]
    return {"category": path[0], "subcategory": path[1] if len(path) > 1 else ""}
