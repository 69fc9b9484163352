"""Where a paper appeared, as its line or its heading says: ``<ins>ICRA, 2025</ins>``, a
venue column, a known venue's name in the line or a badge (``ICLR-2026``), a heading naming a
venue's year ("CVPR2024-Papers-with-Code", "ICLR 2025").

>>> heading_venue("CVPR2024-Papers-with-Code-Demo"), is_venue_heading("NeurIPS 2024 Papers")
(('CVPR', 2024), True)
"""

from __future__ import annotations

import re

from vlabib.listimport.text import clean, column
from vlabib.listimport.units import Unit
from vlabib.venues import SHORT_NAMES

_VENUE_RE = re.compile(
    r"(?<![\w-])((?:"
    + "|".join(sorted(map(re.escape, SHORT_NAMES), key=len, reverse=True))
    + r")(?:\s+Workshops?)?)(?:[\s,'’-]*((?:19|20)\d\d|\d\d)(?!\d))?(?![\w-])"
)
_PREPRINT = {"arxiv", "corr", "preprint", "arxiv preprint", ""}
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _marked(marked: str) -> tuple[str, int | None]:
    """The seed's ``<ins>ICRA, 2025</ins>`` (and vlabib's ``<ins>arXiv, 2024-05</ins>``,
    ``<ins>2024</ins>``): venue and year."""
    name, _, when = marked.rpartition(",")
    if not _WHEN_RE.fullmatch(when.strip()):
        name, when = marked, ""
    if _WHEN_RE.fullmatch(name.strip()):
        name, when = "", name
    name = "" if name.strip().lower() in _PREPRINT else name.strip()
    return name, int(when.strip()[:4]) if when.strip() else None


# A year, or a date: what vlabib writes after the venue.
_WHEN_RE = re.compile(r"(?:19|20)\d\d(?:-\d\d){0,2}")


def _from_column(cell: str, dated: str) -> tuple[str, int | None] | None:
    """A venue column's venue, as written (its year apart), or None for a placeholder."""
    named = _YEAR_RE.sub("", cell).strip(" ,'-")
    if not re.search(r"\w", named):
        return None
    when = _YEAR_RE.search(cell) or _YEAR_RE.search(dated)
    return ("" if named.lower() in _PREPRINT else named), int(when.group(1)) if when else None


def venue_year(unit: Unit, title: str) -> tuple[str, int | None]:
    """The venue (as written) and year a line gives its paper."""
    marked = "".join(p.text for p in unit.pieces if p.mark)
    if marked:
        return _marked(marked)
    columns = ("venue", "pub", "publication", "conference", "journal", "published")
    cell = clean("".join(p.text for p in column(unit, *columns)))
    dated = "".join(p.text for p in column(unit, "year", "date", "time"))
    if cell and not _VENUE_RE.search(cell):
        found = _from_column(cell, dated)
        if found:
            return found
        cell = ""  # a placeholder ('-'): the line may say it elsewhere, in a badge
    text = cell or " ".join(
        p.src.replace("-", " ").replace("_", " ") if p.image else p.text.replace(title, " ")
        for p in unit.pieces
        if p.image or p.link < 0
    )
    m = _VENUE_RE.search(text)
    year_m = _YEAR_RE.search(dated or text)
    year = int(year_m.group(1)) if year_m else None
    if not m:
        return "", year
    digits = m.group(2) or ""
    if digits:
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    return m.group(1), year


_HEADING_VENUE_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, SHORT_NAMES), key=len, reverse=True))
    + r")[\s'’-]*((?:19|20)\d\d)(?!\d)"
)


def heading_venue(title: str) -> tuple[str, int] | None:
    """``"CVPR2024-Papers-with-Code"`` -> ``("CVPR", 2024)``: a heading naming a venue's year."""
    m = _HEADING_VENUE_RE.search(title)
    return (m.group(1), int(m.group(2))) if m else None


_ONLY_VENUE_RE = re.compile(
    r"^\W*("
    + "|".join(sorted(map(re.escape, SHORT_NAMES), key=len, reverse=True))
    + r")(?:\s+workshops?)?[\s'’-]*((?:19|20)\d\d)(?:\s+(?:accepted\s+)?papers?)?\W*$",
    re.IGNORECASE,
)


def is_venue_heading(title: str) -> bool:
    """``ICLR 2025``, ``NeurIPS 2024 Papers``: a heading that names where its papers
    appeared, not what they are about."""
    return bool(_ONLY_VENUE_RE.match(clean(title)))
