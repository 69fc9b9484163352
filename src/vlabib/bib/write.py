"""The canonical BibTeX text: entries sorted by key, fields in canonical order, aligned,
values braced — and where a text departs from it, found entry by entry."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from vlabib.bib.fields import WIDTH, field_order
from vlabib.model import Paper, is_month

__all__ = ["first_difference", "write_string"]


@functools.cache
def _padded(name: str) -> str:
    return f"  {name:<{WIDTH}} = "


def _blocks(papers: Iterable[Paper]) -> Iterator[str]:
    for paper in sorted(papers, key=lambda p: p.key):
        lines = [f"@{paper.type}{{{paper.key},"]
        fields = paper.fields
        for name in field_order(tuple(fields)):
            value = fields[name]
            if name == "month" and is_month(value):
                lines.append(_padded(name) + value + ",")
            else:
                lines.append(_padded(name) + "{" + value + "},")
        lines.append("}")
        yield "\n".join(lines)


def write_string(papers: Iterable[Paper]) -> str:
    """The canonical text: entries sorted by key, fields in canonical order, aligned."""
    text = "\n\n".join(_blocks(papers))
    return text + "\n" if text else ""


def first_difference(text: str, papers: Iterable[Paper]) -> int:
    """The first line (1-based) where *text* differs from the canonical text of *papers*,
    or 0 when it is canonical; entry by entry, without writing the whole canonical text.
    (As comparing the two texts' lines would say; a text that stops early differs on the
    line after its last.)"""
    pos = 0
    for n, block in enumerate(_blocks(papers)):
        chunk = ("\n\n" if n else "") + block
        if not text.startswith(chunk, pos):
            return _line_of_difference(text, pos, chunk, final=False)
        pos += len(chunk)
    ending = "\n" if pos else ""
    if text[pos:] == ending:
        return 0
    return _line_of_difference(text, pos, ending, final=True)


def _line_of_difference(text: str, pos: int, want: str, *, final: bool) -> int:
    start = text.rfind("\n", 0, pos) + 1
    before = text.count("\n", 0, start)
    want_lines = (text[start:pos] + want).splitlines()
    # The text's lines as far as the entry goes, and one more (not the rest of a 100 MB bib).
    have_lines = _lines_from(text, start, len(want_lines) + 1)
    for n, (a, b) in enumerate(zip(have_lines, want_lines, strict=False)):
        if a != b:
            return before + n + 1
    # One is a prefix of the other, line for line: the shorter one ends first.
    if final:
        return before + min(len(have_lines), len(want_lines)) + 1
    return before + len(text[start:].splitlines()) + 1


def _lines_from(text: str, start: int, count: int) -> list[str]:
    """The first *count* of ``text[start:].splitlines()`` (or all, when there are fewer)."""
    end = start
    for _ in range(count):
        end = text.find("\n", end) + 1
        if end == 0:
            end = len(text)
            break
    return text[start:end].splitlines()[:count]
