"""The README's generated region: the marker lines, the headings around them, and what a
hand edit inside them looks like to ``check``.

>>> region_bounds("# L\\n<!-- vlabib:begin papers -->\\nold\\n<!-- vlabib:end papers -->\\n")
(32, 37, 2)
"""

from __future__ import annotations

import re

from vlabib.errors import ReadmeError

REGION = "papers"
BEGIN = "<!-- vlabib:begin {} -->"
END = "<!-- vlabib:end {} -->"
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)


def region_bounds(text: str, name: str = REGION) -> tuple[int, int, int]:
    """Start and end offsets of the region's content, and its 1-based begin line."""
    begin, end = BEGIN.format(name), END.format(name)
    if text.count(begin) != 1 or text.count(end) != 1:
        raise ReadmeError(
            f"README must hold the marker lines {begin} and {end} once each, "
            "where the paper list goes"
        )
    start = text.index(begin) + len(begin)
    stop = text.index(end)
    if stop < start:
        raise ReadmeError(f"README: {end} comes before {begin}; swap them")
    return start, stop, text[:start].count("\n") + 1


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
