"""The pieces a paper list is made of, shared by its Markdown and HTML readers.

A *unit* is one paper line as the list has it: a list item (with its continuation lines),
a table body row, an HTML ``<tr>`` or ``<li>``. Its text is kept as *pieces*: runs of text
that know what they sit in (a link, bold, a table cell, ``<ins>``), so that the line can
be read for a title, a venue and links afterwards (:mod:`vlabib.listimport.line`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Piece:
    """A run of a unit's text and what it sits in."""

    text: str
    link: int = -1  # index into the unit's links, -1 outside links
    bold: bool = False
    italic: bool = False
    code: bool = False
    image: bool = False  # an image's alt text; its source is in ``src``
    mark: bool = False  # inside <ins>…</ins>
    cell: int = -1  # table column, -1 outside tables
    src: str = ""
    brk: bool = False  # a line break (``<br>``, a soft or hard break, a block's edge)


@dataclass(frozen=True)
class Link:
    """A link target and the text of its label (images' alt text left out)."""

    url: str
    label: str = ""


@dataclass(frozen=True)
class Heading:
    """A heading of a list, and the titles of the headings it sits under (itself last)."""

    level: int
    title: str
    line: int
    path: tuple[str, ...]
    html: bool = False


@dataclass(frozen=True)
class Unit:
    """One paper line: where it starts, under which headings, and what it says."""

    line: int
    kind: str  # list-item, table-row, html-tr, html-li
    section: tuple[str, ...]
    pieces: tuple[Piece, ...]
    links: tuple[Link, ...]
    columns: tuple[str, ...] = ()  # the table's header names
    intro: str = ""  # a short paragraph just above the list, which some lists use as the title
    parent: int = -1  # the unit (index in the list's units) this one is nested in
    group: int = -1  # the list (or table) it is an item of: siblings share it


@dataclass
class Builder:
    """Collects one unit's pieces and links while a reader walks it."""

    line: int
    kind: str
    section: tuple[str, ...]
    columns: tuple[str, ...] = ()
    intro: str = ""
    pieces: list[Piece] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    cell: int = -1
    parent: Builder | None = None
    group: int = -1
    order: int = 0  # when it opened: units are listed in document order

    def open_link(self, url: str) -> int:
        self.links.append(Link(url.strip()))
        return len(self.links) - 1

    def add(self, piece: Piece) -> None:
        if piece.cell == -1 and self.cell != -1:
            piece = replace(piece, cell=self.cell)
        self.pieces.append(piece)
        if piece.link >= 0 and not piece.image:
            old = self.links[piece.link]
            self.links[piece.link] = Link(old.url, (old.label + piece.text))

    def unit(self, parent: int = -1) -> Unit:
        links = tuple(Link(link.url, " ".join(link.label.split())) for link in self.links)
        return Unit(
            self.line,
            self.kind,
            self.section,
            tuple(self.pieces),
            links,
            self.columns,
            self.intro,
            parent,
            self.group,
        )
