"""The data vlabib works on: a paper (one bibliography entry) and a problem found in the
data. Frozen, no I/O; the taxonomy is in :mod:`vlabib.taxonomy`.

>>> Paper("2509.09372", "misc", {"title": "{VLA}-Adapter", "keywords": "token-pruning"}).categories
('token-pruning',)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from vlabib.names import split_names

#: What an entry that is not a paper can be: the kinds of link a curated list keeps beside its
#: papers (a tool's repository, a blog post, a talk, a model card, a dataset, a website).
RESOURCES = ("code", "blog", "video", "model", "dataset", "website")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def split_keywords(value: str) -> tuple[str, ...]:
    """``"b, a,a"`` -> ``("a", "b")``: keywords are a sorted set."""
    return tuple(sorted({k.strip() for k in value.split(",") if k.strip()}))


@dataclass(frozen=True)
class Paper:
    """One paper: a bibliography entry. Field values are LaTeX source, names lower-case."""

    key: str
    type: str
    fields: Mapping[str, str]
    line: int = field(default=0, compare=False)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    def as_row(self) -> tuple[str, str, dict[str, str], int]:
        """The paper as plain data (``Paper(*row)`` makes it again), for :mod:`marshal`: its
        fields as they are when a dict (a copy would make marshal track every value).

        >>> Paper("2509.09372", "misc", {"title": "A"}, 3).as_row()
        ('2509.09372', 'misc', {'title': 'A'}, 3)
        """
        fields = self.fields
        return self.key, self.type, fields if type(fields) is dict else dict(fields), self.line

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @functools.cached_property
    def authors(self) -> tuple[str, ...]:
        return tuple(split_names(self.fields.get("author", "")))

    @functools.cached_property
    def year(self) -> int | None:
        y = self.fields.get("year", "")
        return int(y) if y.isdigit() else None

    @property
    def month(self) -> int | None:
        m = self.fields.get("month", "").lower()
        return _MONTHS.index(m) + 1 if m in _MONTHS else None

    @functools.cached_property
    def categories(self) -> tuple[str, ...]:
        return split_keywords(self.fields.get("keywords", ""))

    @property
    def venue(self) -> str:
        return self.fields.get("venue", "")

    @property
    def code(self) -> str:
        return self.fields.get("code", "")

    @property
    def shortname(self) -> str:
        return self.fields.get("shortname", "")

    @functools.cached_property
    def arxiv_id(self) -> str:
        fields = self.fields
        return (
            fields.get("eprint", "") if fields.get("archiveprefix", "").lower() == "arxiv" else ""
        )

    @property
    def recommended(self) -> bool:
        return self.fields.get("recommended", "") == "yes"

    @property
    def resource(self) -> str:
        """What the entry is when it is not a paper (one of :data:`RESOURCES`), else ``""``."""
        return self.fields.get("resource", "")

    @functools.cached_property
    def links(self) -> tuple[tuple[str, str], ...]:
        """The ``links`` field: ``(label, URL)`` in the order written."""
        return tuple(links_of(self.fields.get("links", "")))

    @functools.cached_property
    def positions(self) -> Mapping[str, int]:
        """Where the list had the paper under each leaf: ``{"token-pruning": 3}``."""
        out = {}
        for part in self.fields.get("position", "").split(","):
            leaf, _, place = part.partition(":")
            if place.strip().isdigit():
                out[leaf.strip()] = int(place)
        return out

    def replace(self, **changes: str | None) -> Paper:
        """A copy with fields set (or removed, for ``None``)."""
        fields = dict(self.fields)
        for name, value in changes.items():
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = value
        return Paper(self.key, self.type, fields, self.line)


_LINK_RE = re.compile(r"([^;:{}]+): (\S+)")


def links_of(value: str) -> list[tuple[str, str]]:
    """``"Project: https://a.org; Demo: https://b.org"`` -> ``[("Project", …), ("Demo", …)]``
    (a URL holds no space, so ``"; "`` cannot stand inside one)."""
    out = []
    for part in value.split("; ") if value else ():
        m = _LINK_RE.fullmatch(part.strip())
        if m:
            out.append((m.group(1).strip(), m.group(2)))
    return out


def month_name(month: int) -> str:
    """BibTeX's month macro: ``9`` -> ``"sep"``."""
    return _MONTHS[month - 1]


def is_month(value: str) -> bool:
    return value.lower() in _MONTHS


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of ``vlabib check``; warnings are shown but do not fail it.

    >>> Problem("refs/vla.bib", 3, "entry 1 has no url").line_text()
    'Error: refs/vla.bib:3: entry 1 has no url'
    """

    path: str
    line: int
    message: str
    warning: bool = False

    def line_text(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{'Warning' if self.warning else 'Error'}: {where}: {self.message}"


@dataclass(frozen=True)
class Report:
    """What a command has to tell its user: ``lines`` for standard output (the result),
    ``notes`` for standard error (what to look at), and ``errors`` (shown as ``Error:``
    lines, exit 1) for what failed even though the rest was done.

    >>> Report(("added 2509.09372",), ("note",)).failed
    False
    """

    lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.errors)


#: Progress of a long fetch: ``progress(done, total)``, called as papers arrive.
Progress = Callable[[int, int], None]
