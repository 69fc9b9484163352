"""Read existing Markdown paper lists: the seed's bullets and ``| Year | Venue | Paper |`` tables.

>>> item = parse_list("## A\\n- T. <ins>ICRA, 2025</ins> [[Paper](https://arxiv.org/abs/2509.09372)]")
>>> item.items[0].arxiv_id, item.items[0].venue, item.items[0].section
('2509.09372', 'ICRA', ('A',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from vlabib.ids import IdError, parse_arxiv_id

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET_RE = re.compile(r"^\s*[-*+]\s+(.*)$")
_INS_RE = re.compile(r"<ins>(.*?)</ins>", re.IGNORECASE)
_LINK_RE = re.compile(r"\[\[?([^\]]*)\]\((\S+?)\)\]?")
_ARXIV_URL_RE = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/\S+")
_PREPRINT = {"arxiv", "corr", ""}


@dataclass(frozen=True)
class ListItem:
    """One paper line of a list, as written there; ``arxiv_id`` is empty for non-arXiv links."""

    arxiv_id: str
    title: str
    venue: str
    year: int | None
    code: str
    website: str
    section: tuple[str, ...]
    line: int


class Heading(NamedTuple):
    """A heading of a list, and the titles of the headings it sits under (itself last)."""

    level: int
    title: str
    line: int
    path: tuple[str, ...]


@dataclass(frozen=True)
class PaperList:
    """A list's headings and its paper lines."""

    headings: tuple[Heading, ...]
    items: tuple[ListItem, ...]


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252: ``ðŸš€Survey`` -> ``🚀Survey``."""
    if text.isascii():
        return text
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text
    return fixed


def _clean_heading(title: str) -> str:
    title = repair_mojibake(title)
    # Emoji and symbols decorate headings but are not part of the section's name.
    return re.sub(r"^[^\w(]+", "", title).strip()


def parse_list(text: str) -> PaperList:
    """Headings and papers of a Markdown list; each paper remembers its heading path."""
    headings: list[Heading] = []
    items: list[ListItem] = []
    stack: list[tuple[int, str]] = []
    columns: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        m = _HEADING_RE.match(line)
        if m:
            level, title = len(m.group(1)), _clean_heading(m.group(2))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            headings.append(Heading(level, title, number, tuple(t for _, t in stack)))
            columns = []
            continue
        section = tuple(t for _, t in stack)
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                continue
            if not columns and any(c.lower() == "paper" for c in cells):
                columns = [c.lower() for c in cells]
                continue
            if columns:
                item = _table_item(dict(zip(columns, cells, strict=False)), section, number)
                if item:
                    items.append(item)
            continue
        b = _BULLET_RE.match(line)
        if b:
            item = _bullet_item(b.group(1), section, number)
            if item:
                items.append(item)
    return PaperList(tuple(headings), tuple(items))


def _arxiv_id(urls: list[str]) -> str:
    for url in urls:
        if _ARXIV_URL_RE.match(url):
            try:
                return parse_arxiv_id(url)
            except IdError:
                continue
    return ""


def _venue_year(text: str) -> tuple[str, int | None]:
    venue, _, year = text.rpartition(",")
    if not year.strip().isdigit():
        venue, year = text, ""
    venue = venue.strip()
    return ("" if venue.lower() in _PREPRINT else venue), (int(year) if year.strip() else None)


def _bullet_item(body: str, section: tuple[str, ...], number: int) -> ListItem | None:
    links = {
        label.strip().lower(): url
        for label, url in _LINK_RE.findall(body)
        if url.startswith(("http://", "https://"))
    }
    if not links:
        return None  # an empty bullet, prose, or a table of contents
    ident = _arxiv_id(list(links.values()))
    cut = min(
        (m.start() for m in (_INS_RE.search(body), re.search(r"\[\[", body)) if m),
        default=len(body),
    )
    title = repair_mojibake(body[:cut].strip().rstrip(".").strip())
    ins = _INS_RE.search(body)
    venue, year = _venue_year(ins.group(1)) if ins else ("", None)
    return ListItem(
        ident, title, venue, year, links.get("code", ""), links.get("website", ""), section, number
    )


def _cell_url(cell: str) -> str:
    m = _LINK_RE.search(cell)
    return m.group(2) if m else ""


def _table_item(row: dict[str, str], section: tuple[str, ...], number: int) -> ListItem | None:
    paper = row.get("paper", "")
    m = re.search(r"\[(.*)\]\((\S+?)\)", paper)
    if not m:
        return None
    ident = _arxiv_id([m.group(2)])
    venue, _ = _venue_year(row.get("venue", ""))
    year = row.get("year", "").strip()
    return ListItem(
        ident,
        repair_mojibake(m.group(1).strip()),
        venue,
        int(year) if year.isdigit() else None,
        _cell_url(row.get("code", "")),
        _cell_url(row.get("website", "")),
        section,
        number,
    )
