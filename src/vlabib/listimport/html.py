"""HTML blocks inside a Markdown paper list, read with the standard library's HTML parser:
the ``<h1>``…``<h6>`` that open a line are headings; ``<tr>`` and ``<li>`` are paper units.

>>> events = scan('<table>\\n<tr><td>WebGPT</td><td><a href="https://arxiv.org/abs/2112.09332">'
...               'Paper</a></td></tr>\\n</table>', 10)
>>> [(e.line, e.links[0].url) for e in events]
[(11, 'https://arxiv.org/abs/2112.09332')]
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from vlabib.listimport.units import Builder, Piece, Unit

_STYLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "code": "code",
    "ins": "mark",
}
_BREAKS = {"br", "p", "div", "td", "th", "li", "tr"}


@dataclass(frozen=True)
class HtmlHeading:
    """A heading found in an HTML block."""

    level: int
    title: str
    line: int


Event = Unit | HtmlHeading


class _Reader(HTMLParser):
    def __init__(self, text: str, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = text.split("\n")
        self.first = first_line
        self.events: list[Event] = []
        self.units: list[Builder] = []
        self.heading: tuple[int, int, list[str]] | None = None
        self.styles: dict[str, int] = {"bold": 0, "italic": 0, "code": 0, "mark": 0}
        self.links: list[int] = []
        self.header_row = False
        self.in_head = 0
        self.sup = 0  # inside <sup>: footnote marks, not words of the line

    def _line(self) -> int:
        return self.first + self.getpos()[0] - 1

    def _opens_line(self) -> bool:
        row, col = self.getpos()
        return not self.lines[row - 1][:col].strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._opens_line():
            self.heading = (int(tag[1]), self._line(), [])
        elif tag == "thead":
            self.in_head += 1
        elif tag in ("tr", "li") and not self.in_head:
            self.units.append(Builder(self._line(), f"html-{tag}", ()))
        elif tag in ("td", "th") and self.units:
            self.units[-1].cell += 1
        elif tag == "a" and self.units and values.get("href"):
            self.links.append(self.units[-1].open_link(values["href"]))
        elif tag == "img" and self.units:
            self._data(values.get("alt", ""), image=True, src=values.get("src", ""))
        if tag in _STYLE:
            self.styles[_STYLE[tag]] += 1
        if tag == "sup":
            self._data(", ")  # a footnote mark ends a name in an author list
            self.sup += 1
        if tag in _BREAKS or tag == "br":
            self._data(" ", brk=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.heading:
            level, line, parts = self.heading
            self.events.append(HtmlHeading(level, " ".join("".join(parts).split()), line))
            self.heading = None
        elif tag == "thead":
            self.in_head = max(0, self.in_head - 1)
        elif tag in ("tr", "li") and self.units and self.units[-1].kind == f"html-{tag}":
            unit = self.units.pop().unit()
            if any(p.text.strip() for p in unit.pieces) or unit.links:
                self.events.append(unit)
        elif tag == "a" and self.links:
            self.links.pop()
        if tag == "sup":
            self.sup = max(0, self.sup - 1)
        if tag in _STYLE:
            self.styles[_STYLE[tag]] = max(0, self.styles[_STYLE[tag]] - 1)

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading[2].append(data)
        self._data(data)

    def _data(self, text: str, *, image: bool = False, src: str = "", brk: bool = False) -> None:
        if not self.units or not text or (self.sup and not brk):
            return
        flags = {name: count > 0 for name, count in self.styles.items()}
        link = self.links[-1] if self.links else -1
        self.units[-1].add(Piece(text, link=link, image=image, src=src, brk=brk, **flags))


def scan(html: str, first_line: int) -> list[Event]:
    """Headings and units of an HTML block that starts at line *first_line*, in order."""
    reader = _Reader(html, first_line)
    reader.feed(html)
    reader.close()
    while reader.units:  # an element never closed ends with its block
        unit = reader.units.pop().unit()
        if unit.links:
            reader.events.append(unit)
    return sorted(reader.events, key=lambda e: e.line)
