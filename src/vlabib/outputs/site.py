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
from vlabib.names import display_name
from vlabib.outputs.manuscript import exported
from vlabib.outputs.view import Section
from vlabib.taxonomy import Taxonomy
from vlabib.tex.read import latex_to_text

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Card:
    """One paper as the page shows it (plain text; the template escapes it)."""

    key: str
    shortname: str
    title: str
    authors: str
    venue: str  # "" for a preprint
    year: int | None
    url: str
    pdf: str
    code: str
    website: str
    abstract: str
    bibtex: str
    leaves: tuple[str, ...]
    leaf_titles: tuple[str, ...]


@dataclass(frozen=True)
class Bar:
    """One year of the chart: its label, count and geometry (SVG user units)."""

    year: int
    count: int
    x: float
    height: float


def _card(paper: Paper, titles: dict[str, str], bibtex: str) -> Card:
    arxiv = paper.arxiv_id
    venue = latex_to_text(paper.venue)
    return Card(
        key=paper.key,
        shortname=latex_to_text(paper.shortname),
        title=latex_to_text(paper.title),
        authors=", ".join(display_name(latex_to_text(a)) for a in paper.authors),
        venue=venue,
        year=paper.year,
        url=paper.get("url") or (f"https://arxiv.org/abs/{arxiv}" if arxiv else ""),
        pdf=f"https://arxiv.org/pdf/{arxiv}" if arxiv else "",
        code=paper.code,
        website=paper.get("website"),
        abstract=latex_to_text(paper.get("abstract")),
        bibtex=bibtex,
        leaves=paper.categories,
        leaf_titles=tuple(titles.get(c, c) for c in paper.categories),
    )


def _bars(cards: Sequence[Card]) -> tuple[list[Bar], int]:
    counts = Counter(c.year for c in cards if c.year)
    if not counts:
        return [], 0
    years = range(min(counts), max(counts) + 1)
    top = max(counts.values())
    return [Bar(y, counts.get(y, 0), 30.0 * i, 80.0 * counts.get(y, 0) / top)
            for i, y in enumerate(years)], top  # fmt: skip


def files(
    papers: Sequence[Paper], taxonomy: Taxonomy, settings: Settings, secs: Sequence[Section]
) -> dict[str, str]:
    """``index.html``, ``papers.json`` and ``papers.bib``, by file name."""
    from vlabib.outputs.render import html_template

    titles = {n.id: n.title for n in taxonomy}
    entries = {p.key: bib.write_string([p]).strip() for p in exported(papers, ascii_only=False)}
    by_key = {p.key: p for p in papers}
    filed = [v.key for v in secs[0].papers]
    held = set(filed)
    order = filed + sorted(k for k in by_key if k not in held)  # newest first, then the rest
    cards = [_card(by_key[k], titles, entries[k]) for k in order]
    bars, top = _bars(cards)
    years = sorted({c.year for c in cards if c.year}, reverse=True)
    page = html_template("site.html").render(
        title=latex_to_text(settings.title) or f"A Survey on {taxonomy.root.title}",
        sections=secs, cards=cards, bars=bars, top=top, years=years,
        leaves_under={n.id: taxonomy.leaves_under(n.id) for n in taxonomy},
        preprints=sum(1 for c in cards if not c.venue),
    )  # fmt: skip
    return {
        "index.html": page,
        "papers.json": _dumps(_json(papers, taxonomy, cards)),
        "papers.bib": bib.write_string(papers),
    }


def _json(papers: Sequence[Paper], taxonomy: Taxonomy, cards: Sequence[Card]) -> dict[str, object]:
    """The old site's schema (id, title, authors, year, venue, abstract, arxiv_id, url,
    category, subcategory, tags, categories), and more (key, shortname, code, website, pdf,
    leaves, bibtex)."""
    by_key = {p.key: p for p in papers}
    out = []
    for card in cards:
        paper = by_key[card.key]
        places = [_place(taxonomy, leaf) for leaf in card.leaves if leaf in taxonomy]
        first = places[0] if places else {"category": "", "subcategory": ""}
        out.append({
            "id": card.key, "key": card.key, "title": card.title,
            "authors": " and ".join(latex_to_text(a) for a in paper.authors),
            "year": str(card.year or ""),
            "venue": card.venue or (f"arXiv preprint arXiv:{paper.arxiv_id}"
                                    if paper.arxiv_id else ""),
            "abstract": card.abstract, "arxiv_id": paper.arxiv_id, "url": card.url,
            "pdf": card.pdf, "code": card.code, "website": card.website,
            "shortname": card.shortname, **first, "tags": [], "categories": places,
            "leaves": list(card.leaves), "bibtex": card.bibtex,
        })  # fmt: skip
    areas = {a.title: {"subcategories": [taxonomy[c].title for c in a.children]}
             for a in taxonomy.areas}  # fmt: skip
    return {"schema": SCHEMA_VERSION, "title": taxonomy.root.title, "papers": out,
            "categories": areas}  # fmt: skip


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
