"""The README's generated region: the marker lines, the headings around them, and what a
hand edit inside them looks like to ``check``.

>>> region_bounds("# L\\n<!-- vlabib:begin papers -->\\nold\\n<!-- vlabib:end papers -->\\n")
(32, 37, 2)
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from vlabib.errors import ReadmeError
from vlabib.listimport.markdown import html_block_lines

REGION = "papers"
BEGIN = "<!-- vlabib:begin {} -->"
END = "<!-- vlabib:end {} -->"
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)


@functools.lru_cache(maxsize=8)  # one README is read for its bounds several times a build
def region_bounds(text: str, name: str = REGION) -> tuple[int, int, int]:
    """Start and end offsets of the region's content, and its 1-based begin line. A marker
    counts only on a line of its own, outside code (as GitHub shows an HTML comment)."""
    begin, end = BEGIN.format(name), END.format(name)
    begins, ignored = _marker_lines(text, begin, None)
    if len(begins) == 1:
        ends, more = _marker_lines(text, end, begins[0])
        ignored += more
    else:
        ends = []
    if len(begins) != 1 or len(ends) != 1:
        where = "".join(f"; line {n} is ignored ({why})" for n, why in ignored)
        raise ReadmeError(
            f"README must hold the marker lines {begin} and {end} once each, "
            f"where the paper list goes{where}"
        )
    (number, first, last), (_, stop, stop_end) = begins[0], ends[0]
    start = first + len(text[first:last].rstrip())
    stop += len(text[stop:stop_end]) - len(text[stop:stop_end].lstrip())
    return start, stop, number + 1


class _Line(NamedTuple):
    number: int  # 0-based
    start: int  # offset of its first character
    end: int  # offset of its newline (or of the text's end)


def _marker_lines(
    text: str, marker: str, after: _Line | None
) -> tuple[list[_Line], list[tuple[int, str]]]:
    """The lines holding *marker* as an HTML comment of their own, and (1-based) the lines
    that mention it otherwise, with why they do not count."""
    found, ignored = [], []
    pos = text.find(marker)
    while pos != -1:
        line_start, line_end = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
        line_end = len(text) if line_end == -1 else line_end
        line = _Line(text.count("\n", 0, pos), line_start, line_end)
        if text[line.start : line.end].strip() != marker:
            ignored.append((line.number + 1, "the marker shares its line with other text"))
        elif after is not None and line.number < after.number:
            ignored.append((line.number + 1, "it comes before the begin marker"))
        elif not _outside_code(text, line, after):
            ignored.append((line.number + 1, "it is inside code"))
        else:
            found.append(line)
        pos = text.find(marker, pos + len(marker))
    return found, ignored


def _outside_code(text: str, line: _Line, after: _Line | None) -> bool:
    """Whether the marker on *line* is an HTML block of its own. For the end marker (*after*
    is the begin line) only the region between them is read, and only when it has a fence:
    what vlabib writes there has none."""
    start, stop = (0 if after is None else after.end + 1), line.end + 1
    if after is not None and all(text.find(s, start, stop) == -1 for s in _CODE_STARTS):
        return True
    blocks = html_block_lines(text[start:stop])
    return (line.number - (0 if after is None else after.number + 1)) in blocks


_CODE_STARTS = ("```", "~~~", "    <!--")


def splice(text: str, body: str, name: str = REGION) -> str:
    """*text* with its region's content replaced by *body*."""
    start, stop, _ = region_bounds(text, name)
    return text[:start] + "\n" + body + text[stop:]


def region(text: str, name: str = REGION) -> str:
    """The region's content, without the newline after the begin marker."""
    start, stop, _ = region_bounds(text, name)
    return text[start:stop].removeprefix("\n")


def headings_outside(text: str, name: str = REGION) -> list[str]:
    """Titles of the README's own headings (outside the region): anchors must not clash."""
    start, stop, _ = region_bounds(text, name)
    outside = text[:start] + text[stop:]
    return [m.group(2) for m in _HEADING_RE.finditer(outside)]


class HandAdded(NamedTuple):
    """A paper someone typed into the generated list: where, its key, its leaf (or "")."""

    line: int
    key: str
    arxiv_id: str
    leaf: str


def hand_added(text: str, keys: set[str], leaves_by_title: dict[str, str]) -> list[HandAdded]:
    """Papers in the README's list that the bib lacks (read by the list importer)."""
    from vlabib.listimport.markdown import parse_list

    start, stop, line = region_bounds(text)
    found = []
    for item in parse_list(text[start:stop]).items:
        if item.key not in keys:
            leaf = leaves_by_title.get(item.section[-1].casefold(), "") if item.section else ""
            found.append(HandAdded(line + item.line - 1, item.key, item.arxiv_id, leaf))
    return found


def add_command(paper: HandAdded, bib_name: str) -> str:
    """How to add a hand-added paper properly."""
    if not paper.arxiv_id:
        return f"add an entry keyed {paper.key} to {bib_name}"
    return f"vlabib add {paper.arxiv_id} -c {paper.leaf or 'LEAF'}"


def first_difference(have: str, want: str) -> int:
    """The first line (1-based) where two texts differ."""
    for number, (a, b) in enumerate(zip(have.split("\n"), want.split("\n"), strict=False), 1):
        if a != b:
            return number
    return min(have.count("\n"), want.count("\n")) + 1
