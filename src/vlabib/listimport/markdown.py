"""Read a Markdown paper list as GitHub shows it: markdown-it-py's CommonMark + GFM tokens
for headings, list items, tables and links; HTML blocks through :mod:`vlabib.listimport.html`.

Headings are ATX headings (blockquotes included) and HTML ``<h1>``…``<h6>`` that open a line;
paper units are list items, table body rows, HTML ``<tr>`` and ``<li>``. Code blocks, HTML
comments, blockquotes' links and prose are never papers. What a unit says (title, venue,
links) is read by :mod:`vlabib.listimport.line`.

>>> plist = parse_list("# L\\n## A\\n- T. <ins>ICRA, 2025</ins> [[Paper](https://arxiv.org/abs/2509.09372)]")
>>> plist.items[0].arxiv_id, plist.items[0].venue, plist.items[0].section
('2509.09372', 'ICRA', ('L', 'A'))
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vlabib.listimport.facts import Gathered, belongs_to, labelled_links
from vlabib.listimport.html import HtmlHeading, scan
from vlabib.listimport.line import (
    ListItem,
    heading_text,
    read_unit,
    unit_title,
    with_gathered,
    with_heading_venue,
)
from vlabib.listimport.resources import read_resource
from vlabib.listimport.text import repair_mojibake
from vlabib.listimport.units import Builder, Heading, Piece, Unit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["Heading", "ListItem", "PaperList", "parse_list", "repair_mojibake"]


@dataclass(frozen=True)
class PaperList:
    """A list's headings and its paper lines."""

    headings: tuple[Heading, ...]
    items: tuple[ListItem, ...]
    units: int = 0  # paper units read, papers or not
    skipped: tuple[tuple[int, str], ...] = ()  # (line, title) of lines linking nothing kept
    stray_rows: tuple[int, ...] = ()  # table rows after a blank line, read as rows anyway
    columns: tuple[str, ...] = ()  # a list kept as tables: the header most of its rows had
    star_badges: int = 0  # papers whose line shows a GitHub stars badge


_STARS_BADGE = "img.shields.io/github/stars/"
_ROW_RE = re.compile(r"(?:[ \t]*\|.*\|[ \t]*\n?)+")


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # GitHub's flavour: tables, strikethrough, and bare URLs made into links.
    return MarkdownIt("gfm-like", {"linkify": True})


@functools.cache
def _blocks_only() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like")
    md.core.ruler.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


def html_block_lines(text: str) -> set[int]:
    """The (0-based) lines where an HTML block starts in a Markdown text, as GitHub reads
    it: a comment on its own line outside code, say (block structure only; fast)."""
    return {t.map[0] for t in _blocks_only().parse(text) if t.type == "html_block" and t.map}


class _Walker:
    """Walks the tokens once, keeping the heading path and the units open at each point."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []
        self.headings: list[Heading] = []
        self.found: list[tuple[int, Builder | Unit]] = []  # (when it opened, the unit)
        self.open: list[Builder | None] = []
        self.groups: list[int] = []  # the lists and tables open, innermost last
        self.counter = 0
        self.quote = 0
        self.columns: list[str] = []
        self.in_head = False
        self.paragraph = ""
        self.intro = ""
        self.stray: list[int] = []
        self.last_group = -1

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.stack)

    def heading(self, level: int, title: str, line: int, html: bool = False) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title))
        self.columns = []
        self.headings.append(Heading(level, title, line, self.path, html))
        self.paragraph = self.intro = ""

    def walk(self, tokens: list[Token]) -> None:
        handlers: dict[str, Callable[[Token, Token], None]] = {
            "heading_open": self._heading,
            "blockquote_open": self._quote,
            "blockquote_close": self._quote,
            "bullet_list_open": self._list,
            "ordered_list_open": self._list,
            "bullet_list_close": self._end_group,
            "ordered_list_close": self._end_group,
            "table_close": self._end_group,
            "list_item_open": lambda t, _: self._open(t, "list-item"),
            "list_item_close": lambda t, _: self._close(),
            "tr_close": lambda t, _: self._close(),
            "table_open": self._table,
            "thead_open": self._head,
            "thead_close": self._head,
            "tr_open": lambda t, _: None if self.in_head else self._open(t, "table-row"),
            "td_open": self._cell,
            "th_open": self._cell,
            "inline": lambda t, _: self._inline(t),
            "html_block": lambda t, _: self._html(t),
        }
        for i, token in enumerate(tokens):
            handler = handlers.get(token.type)
            if handler is not None:
                handler(token, tokens[i + 1] if i + 1 < len(tokens) else token)

    def _heading(self, token: Token, following: Token) -> None:
        title = heading_text(following.children or [])
        self.heading(int(token.tag[1]), title, (token.map or [0])[0] + 1)

    def _quote(self, token: Token, _: Token) -> None:
        self.quote += 1 if token.type.endswith("open") else -1

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def _list(self, token: Token, _: Token) -> None:
        if not self.open:
            self.intro = self.paragraph if len(self.paragraph) <= 300 else ""
        self.groups.append(self._next())

    def _end_group(self, token: Token, _: Token) -> None:
        if self.groups:
            self.last_group = self.groups.pop()

    def _table(self, token: Token, _: Token) -> None:
        self.columns, self.in_head = [], False
        self.groups.append(self._next())

    def _head(self, token: Token, _: Token) -> None:
        self.in_head = token.type == "thead_open"

    def _cell(self, token: Token, _: Token) -> None:
        if self.open and self.open[-1] is not None:
            self.open[-1].cell += 1

    def _open(self, token: Token, kind: str) -> None:
        if self.quote:  # links in blockquotes are not papers
            self.open.append(None)
            return
        line = (token.map or [0])[0] + 1
        columns = tuple(self.columns) if kind == "table-row" else ()
        parent = self.open[-1] if self.open else None
        group = self.groups[-1] if self.groups else -1
        builder = Builder(line, kind, self.path, columns, self.intro, parent=parent, group=group)
        builder.order = self._next()
        self.open.append(builder)

    def _close(self) -> None:
        builder = self.open.pop() if self.open else None
        if builder is not None:
            self.found.append((builder.order, builder))

    def units(self) -> list[Unit]:
        """Every unit in document order, each knowing the unit it is nested in."""
        ordered = [u for _, u in sorted(self.found, key=lambda found: found[0])]
        index = {id(u): n for n, u in enumerate(ordered) if isinstance(u, Builder)}
        return [
            u.unit(index.get(id(u.parent), -1)) if isinstance(u, Builder) else u for u in ordered
        ]

    def _inline(self, token: Token) -> None:
        children = token.children or []
        if self.in_head:
            self.columns.append(heading_text(children))
        elif self.open and self.open[-1] is not None:
            _pieces(self.open[-1], children)
        elif not self.open and not self.quote:
            if self.columns and _ROW_RE.fullmatch(token.content):
                self._stray_rows(token)
            self.paragraph = heading_text(children)

    def _stray_rows(self, token: Token) -> None:
        """Table rows a blank line cut from their table: GitHub shows them as text, but the
        list's author meant rows of the table above. They are read as such, and said."""
        first = (token.map or [0])[0] + 1
        header = "| " + " | ".join(self.columns) + " |\n|" + "---|" * len(self.columns) + "\n"
        for n, row in enumerate(token.content.split("\n")):
            tokens = _markdown().parse(header + row + "\n")
            cells = [t for t in tokens if t.type == "inline"][len(self.columns) :]
            builder = Builder(
                first + n, "table-row", self.path, tuple(self.columns), group=self.last_group
            )
            for cell in cells:
                builder.cell += 1
                _pieces(builder, cell.children or [])
            self.found.append((self._next(), builder))
            self.stray.append(first + n)

    def _html(self, token: Token) -> None:
        if token.content.lstrip().startswith("<!--"):
            return  # a comment: what it holds is not on the page
        group = self._next()
        for event in scan(token.content, (token.map or [0])[0] + 1):
            if isinstance(event, HtmlHeading):
                self.heading(event.level, repair_mojibake(event.title), event.line, html=True)
            elif not self.quote:
                unit = Unit(event.line, event.kind, self.path, event.pieces, event.links)
                self.found.append((self._next(), replace(unit, group=group)))


_FLAGS = {
    "strong": "bold",
    "em": "italic",
    "b": "bold",
    "i": "italic",
    "ins": "mark",
    "sup": "sup",
}


def _pieces(builder: Builder, children: list[Token]) -> None:
    """Add an inline token run to *builder*, each text piece with what it sits in."""
    flags = {"bold": 0, "italic": 0, "mark": 0, "sup": 0}
    links: list[int] = []
    for child in children:
        kind = child.type
        if kind == "link_open":
            links.append(builder.open_link(str(child.attrs.get("href", ""))))
        elif kind == "link_close" and links:
            links.pop()
        elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
            flags[_FLAGS[kind.split("_")[0]]] += 1 if kind.endswith("open") else -1
        elif kind == "html_inline":
            _html_tag(builder, child.content, flags, links)
        elif (
            kind in ("text", "code_inline", "softbreak", "hardbreak", "image") and not flags["sup"]
        ):
            builder.add(_piece(child, flags, links[-1] if links else -1))


def _piece(child: Token, flags: dict[str, int], link: int) -> Piece:
    kind = child.type
    text = child.content if kind in ("text", "code_inline") else " "
    src = ""
    if kind == "image":
        text, src = (
            child.content or str(child.attrs.get("alt", "")),
            str(child.attrs.get("src", "")),
        )
    on = {name: count > 0 for name, count in flags.items() if name != "sup"}
    return Piece(
        repair_mojibake(text),
        link=link,
        code=kind == "code_inline",
        image=kind == "image",
        src=src,
        brk=kind in ("softbreak", "hardbreak"),
        **on,
    )


def _html_tag(builder: Builder, html: str, flags: dict[str, int], links: list[int]) -> None:
    """An inline HTML tag in Markdown text: style tags, line breaks, links and images."""
    name = html.strip("</> ").split()[0].lower() if html.strip("</> ") else ""
    if name in _FLAGS:
        flags[_FLAGS[name]] += -1 if html.startswith("</") else 1
        if name == "sup" and not html.startswith("</"):
            builder.add(Piece(", ", link=links[-1] if links else -1))  # a footnote mark ends a name
    elif name == "br":
        builder.add(Piece(" ", link=links[-1] if links else -1, brk=True))
    elif name in ("a", "img"):
        _html_inline(builder, html, links)


def _html_inline(builder: Builder, html: str, links: list[int]) -> None:
    """An inline ``<a href>`` or ``<img>`` in Markdown text."""
    for event in scan(f"<li>{html}</li>", builder.line):
        if isinstance(event, Unit):
            for link in event.links:
                links.append(builder.open_link(link.url))
            for piece in event.pieces:
                builder.add(
                    Piece(
                        piece.text,
                        link=links[-1] if piece.link >= 0 and links else -1,
                        image=piece.image,
                        src=piece.src,
                    )
                )
    if html.lstrip().startswith("</a") and links:
        links.pop()


def parse_list(text: str) -> PaperList:
    """Headings and papers of a Markdown list; each paper remembers its heading path and
    carries what the lines that belong to it say (see :mod:`vlabib.listimport.facts`)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    walker = _Walker()
    walker.walk(_markdown().parse(text))
    units = walker.units()
    items: list[ListItem] = []
    linked = []
    owner: dict[int, int] = {}  # unit -> the item its words belong to
    gathered: dict[int, Gathered] = {}
    links: dict[int, list[tuple[str, str]]] = {}
    last_of_group: dict[int, int] = {}
    tabled: dict[tuple[str, ...], int] = {}  # items in table rows, by the table's header
    badges = 0
    for n, unit in enumerate(units):
        found = read_unit(unit)
        ids = [item.arxiv_id for item in found]
        belongs = belongs_to(unit, ids, owner, last_of_group.get(unit.group))
        last_of_group[unit.group] = n
        if belongs is not None:
            owner[n] = belongs
            own = labelled_links(unit, ())
            gathered.setdefault(belongs, Gathered()).add(unit, own)
            links.setdefault(belongs, []).extend(own)
            continue
        resource = None if found else read_resource(unit)
        found += [resource] if resource else []
        if found:
            owner[n] = len(items)
            if unit.kind == "table-row":
                tabled[unit.columns] = tabled.get(unit.columns, 0) + len(found)
            badges += any(p.image and _STARS_BADGE in p.src for p in unit.pieces)
        items += found
        if not found and any(link.url.startswith(("http://", "https://")) for link in unit.links):
            linked.append((unit.line, unit_title(unit)))
    for index, extra in gathered.items():
        items[index] = with_gathered(items[index], extra, links.get(index, []))
    return PaperList(
        tuple(walker.headings),
        tuple(with_heading_venue(i) for i in items),
        len(units),
        tuple(sorted(linked)),
        tuple(walker.stray),
        _usual_header(tabled, len(items)),
        badges,
    )


def _usual_header(tabled: dict[tuple[str, ...], int], items: int) -> tuple[str, ...]:
    """The header of the tables most of a list's papers are rows of, or () for a list of
    bullets."""
    if sum(tabled.values()) * 2 <= items:
        return ()
    return max(tabled.items(), key=lambda kv: kv[1])[0]
