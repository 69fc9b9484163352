"""The README's paper list: each paper as one Markdown line (bullets) or one table row, with
what the bib knows of it — the recommended mark, title, authors (shortened past a setting),
venue and year, every link with its label, a stars badge, the curator's note.

>>> from vlabib.config import Settings
>>> from vlabib.model import Paper
>>> from vlabib.outputs.view import paper_view
>>> p = paper_view(Paper("2401.00001", "misc", {"title": "ToMe", "author": "Bolya, Daniel",
...     "venue": "ICLR 2023", "eprint": "2401.00001", "archiveprefix": "arXiv",
...     "recommended": "yes"}))
>>> print(bullet(p, Settings()))
- ⭐ **ToMe**. Daniel Bolya. <ins>ICLR, 2023</ins> \\[[Paper](https://arxiv.org/abs/2401.00001)\\]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from vlabib.config import Settings
from vlabib.outputs.templating import md_text, md_url
from vlabib.outputs.view import PaperView, Section

_GITHUB_REPO_RE = re.compile(r"^https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")
#: What a table column shows, beside any bib field by its name.
COLUMNS = ("paper", "title", "authors", "venue", "year", "date", "code", "links", "note")
_EMOJI_SELECTOR = "\ufe0f"
_HEADERS = {"paper": "Paper", "links": "Links", "note": "Note", "code": "Code", "date": "Date"}


def authors(paper: PaperView, limit: int) -> str:
    """``Ann Lee, Bo Li et al.``: the first *limit* names (all, for 0), "et al." where the
    list had cut them short or the setting does."""
    names = [a for a in paper.authors if a != "others"]
    cut = bool(limit) and len(names) > limit
    shown = ", ".join(names[:limit] if cut else names)
    return f"{shown} et al." if shown and (cut or "others" in paper.authors) else shown


def where(paper: PaperView) -> str:
    """``NeurIPS, 2025``; ``arXiv, 2025`` for a preprint; the date the list gave in place of
    the year (``arXiv, 2026-06-18``); the year alone for a paper neither published nor on
    arXiv; never "n.d." when a year is known."""
    when = paper.date if paper.date[:4] == str(paper.year or paper.date[:4]) else ""
    year = when or paper.year or paper.date[:4]
    venue = paper.resource or paper.venue_name or ("arXiv" if paper.arxiv_id else "")
    return ", ".join(str(part) for part in (venue, year) if part)


def links(paper: PaperView) -> list[tuple[str, str]]:
    """Every link the bib has, labelled: the paper, its code, its page, then the others."""
    found = [("Paper", "" if paper.resource else paper.url), ("Code", paper.code)]
    found.append(("Project", paper.website))
    found += list(paper.paper.links)
    seen: set[str] = set()
    out = []
    for label, url in found:
        if url and url not in seen:
            seen.add(url)
            out.append((label or "Link", url))
    return out


def badge(paper: PaperView) -> str:
    """A GitHub stars badge for the paper's code, as an image link (no request at build
    time: shields.io draws it when the page is viewed)."""
    repo = paper.code or (paper.url if paper.resource == "Code" else "")
    m = _GITHUB_REPO_RE.match(repo)
    if not m:
        return ""
    image = f"https://img.shields.io/github/stars/{m.group(1)}/{m.group(2)}?style=social"
    return f"[![GitHub stars]({md_url(image)})]({md_url(repo)})"


def _links_md(paper: PaperView) -> str:
    # The outer brackets escaped: "[[Paper](…)]" reads as an undefined reference to linters.
    return " ".join(f"\\[[{md_text(label)}]({md_url(url)})\\]" for label, url in links(paper))


def bullet(paper: PaperView, settings: Settings) -> str:
    """One paper as a bullet line; a link that is no paper (a repository, a blog post) as
    its titled link, its kind where a paper's venue is."""
    parts = ["-", "⭐" if paper.recommended else ""]
    title = md_text(paper.title)
    stop = "" if title[-1:] in ".?!" else "."
    if paper.resource and paper.url:
        parts.append(f"[**{title}**]({md_url(paper.url)}){stop}")
    else:
        parts.append(f"**{title}**{stop}")
    names = authors(paper, settings.readme_authors)
    parts.append(md_text(names) + ("" if names[-1:] == "." else ".") if names else "")
    place = where(paper)
    parts.append(f"<ins>{md_text(place)}</ins>" if place else "")
    parts.append(_links_md(paper))
    parts.append(badge(paper) if settings.readme_badges else "")
    notes = paper.note.split(" | ") if paper.note else []
    parts.append(f"— {md_text(notes[0])}" if len(notes) == 1 else "")
    # Several notes (a task, the datasets, a summary) each on a line of their own under the
    # paper's, inside its item (one source line: the paper and what is said of it travel
    # together through diffs and greps).
    below = "".join(f"<br>— {md_text(n)}" for n in notes if len(notes) > 1)
    return " ".join(p for p in parts if p) + below


def columns(papers: Sequence[PaperView], settings: Settings) -> list[str]:
    """The table's columns: the setting's, else the ones the papers have something for."""
    if settings.readme_columns:
        return list(settings.readme_columns)
    dated = any(p.date for p in papers)
    chosen = ["date" if dated else "year", "venue", "paper", "code"]
    chosen += ["links"] if any(p.paper.links or p.website for p in papers) else []
    return chosen + (["note"] if any(p.note for p in papers) else [])


def table(papers: Sequence[PaperView], names: Sequence[str], settings: Settings) -> str:
    """A heading's papers as a table, a row each, its pipes aligned (as linters of awesome
    lists want, and as a reader of the raw file prefers)."""
    rows = [[_HEADERS.get(n, n.replace("_", " ").capitalize()) for n in names]]
    dated = bool({"year", "date"} & set(names))  # else the venue's cell says the year
    rows += [[_cell(p, name, settings, dated) or "-" for name in names] for p in papers]
    widths = [max(3, *(width(r[i]) for r in rows)) for i in range(len(names))]
    lines = [_line(rows[0], widths), "| " + " | ".join("-" * w for w in widths) + " |"]
    return "\n".join([*lines, *(_line(r, widths) for r in rows[1:])])


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return (
        "| "
        + " | ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True))
        + " |"
    )


def width(text: str) -> int:
    """Columns a text takes on screen in a monospaced font (as markdownlint counts them):
    two for a wide character (CJK, an emoji, or a character an emoji selector makes one),
    none for a combining mark or a format character, one for the rest.

    >>> [width(t) for t in ("ToMe", "中文", "⭐ x", "❤\ufe0f", "e\u0301", "💻")]
    [4, 4, 4, 2, 1, 2]
    """
    columns = 0
    for i, char in enumerate(text):
        if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
            columns += 1 if char == _EMOJI_SELECTOR and _narrow(text[i - 1 : i]) else 0
        else:
            columns += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return columns


def _narrow(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) not in {"W", "F"}


def _cell(paper: PaperView, name: str, settings: Settings, dated: bool) -> str:
    values: dict[str, Callable[[], str]] = {
        "paper": lambda: _paper_cell(paper, settings),
        "title": lambda: md_text(paper.title),
        "authors": lambda: md_text(authors(paper, settings.readme_authors)),
        "venue": lambda: md_text(
            (paper.resource or paper.venue_name or ("arXiv" if paper.arxiv_id else ""))
            if dated
            else where(paper)
        ),
        "year": lambda: str(paper.year or paper.date[:4]),
        "date": lambda: paper.date or str(paper.year or ""),
        "code": lambda: (
            ((settings.readme_badges and badge(paper)) or f"[💻]({md_url(paper.code)})")
            if paper.code
            else ""
        ),
        "links": lambda: " ".join(
            f"[{md_text(label)}]({md_url(url)})"
            for label, url in links(paper)
            if url not in (paper.url, paper.code)
        ),
        "note": lambda: md_text(paper.note),
    }
    if name in values:
        return values[name]()
    return md_text(paper.field_text(name))


def _paper_cell(paper: PaperView, settings: Settings) -> str:
    mark = "⭐ " if paper.recommended else ""
    title = (
        f"{mark}[{md_text(paper.title)}]({md_url(paper.url)})"
        if paper.url
        else mark + md_text(paper.title)
    )
    names = authors(paper, settings.readme_authors)
    return f"{title}<br>{md_text(names)}" if names else title


#: awesome-lint's rules the region switches off, by layout. Paper entries are citations (title,
#: authors, venue, links), not "[Name](url) - description" resources; a paper filed under two
#: headings is listed under both, as curated lists do; and a table's pipes align as the eye
#: sees them (a CJK character or an emoji is two columns wide, as markdownlint counts it),
#: where remark counts UTF-16 code units.
LINT_OFF = {
    "bullets": ("awesome-list-item", "double-link"),
    "table": ("awesome-list-item", "double-link", "table-pipe-alignment"),
}


def context(secs: Sequence[Section], settings: Settings) -> dict[str, object]:
    """What the README template needs: the layout, and a function per line or row."""
    chosen: list[list[str]] = []  # the table's columns: chosen from every paper, once

    def rows(papers: Sequence[PaperView]) -> str:
        if not chosen:
            chosen.append(columns([p for s in secs if s.node.is_leaf for p in s.papers], settings))
        return table(papers, chosen[0], settings)

    made: dict[str, str] = {}  # a paper under two headings is one line, made once

    def lines(papers: Sequence[PaperView]) -> str:
        """A heading's papers, a line each (one call from the template, not one a paper)."""
        for paper in papers:
            if paper.key not in made:
                made[paper.key] = bullet(paper, settings)
        return "\n".join([made[paper.key] for paper in papers])

    return {
        "layout": settings.readme_layout,
        "bullets": lines,
        "table": rows,
        "lint_off": " ".join(LINT_OFF[settings.readme_layout]),
    }
