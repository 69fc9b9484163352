"""The text helpers both readers of a line share: emoji and shortcodes out, mojibake repaired,
words, and a table cell found by its column's name.

>>> clean("🔥 Fast  :rocket: models")
'Fast models'
"""

from __future__ import annotations

import re
import unicodedata

from vlabib.listimport.units import Piece, Unit
from vlabib.tex.chars import is_decoration

_SHORTCODE_RE = re.compile(r":[a-z0-9_+-]+:")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252: ``ðŸš€Survey`` -> ``🚀Survey``."""
    if text.isascii():
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def clean(text: str) -> str:
    """Text without emoji, ``:shortcodes:`` or runs of spaces."""
    if ":" in text:
        text = _SHORTCODE_RE.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text = "".join(c for c in text if c.isascii() or not is_decoration(c))
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def column(unit: Unit, *names: str) -> list[Piece]:
    """The pieces of the first cell whose column header holds one of *names*."""
    for index, header in enumerate(unit.columns):
        if any(name in words(header) for name in names):
            return [p for p in unit.pieces if p.cell == index]
    return []
