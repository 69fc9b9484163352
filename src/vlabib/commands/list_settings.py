"""The settings an import carries over from the list, so that the README vlabib writes
looks like the one the curators kept: their order (when it is not newest first) and, for a
list kept as tables, the table layout with the columns it had.

>>> table_columns(("Date", "Title & Authors", "Venue", "Areas", "Links"))
(['date', 'paper', 'venue', 'code', 'links'], ['Areas'])
>>> table_columns(("Title & Authors", "Links"), stated={"venue", "date"})[0]
['date', 'venue', 'paper', 'code', 'links']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass

from vlabib.config import Project
from vlabib.files import atomic_write, read_source
from vlabib.ids import id_year_month, is_arxiv_id

SETTINGS_FILE = "vlabib.toml"

#: A list's column headers, by the words they hold, and the README column each becomes.
_HEADER_COLUMNS = (
    ({"date", "time", "published", "release", "released"}, "date"),
    ({"year"}, "year"),
    ({"venue", "publication", "conference", "journal", "pub", "published in"}, "venue"),
    ({"title", "paper", "papers", "name", "method", "model"}, "paper"),
    ({"author", "authors"}, "authors"),
    ({"code", "github", "repo", "repository"}, "code"),
    ({"links", "link", "project", "website", "homepage", "demo", "resources", "page"}, "links"),
    (
        {
            "note",
            "notes",
            "remark",
            "remarks",
            "comment",
            "comments",
            "summary",
            "tl;dr",
            "description",
            "highlight",
            "highlights",
            "contribution",
        },
        "note",
    ),
)


@dataclass(frozen=True)
class Setting:
    """One line of vlabib.toml an import would write, and why."""

    name: str
    value: str  # TOML
    why: str


def table_columns(
    headers: tuple[str, ...], stated: Collection[str] = ()
) -> tuple[list[str], list[str]]:
    """The README columns a list's table header asks for, and the headers that name no
    column (the list's own tags, areas or scores). Code links have a column of their own
    wherever the list put them with its other links; a venue or a date the list *stated*
    inside another cell (a badge in the title's cell) gets its column in front, and its
    other links one at the end."""
    columns: list[str] = []
    unknown: list[str] = []
    for header in headers:
        words = set(re.findall(r"[a-z;]+", header.lower())) | {header.strip().lower()}
        column = next((c for names, c in _HEADER_COLUMNS if names & words), "")
        if column and column not in columns:
            columns.append(column)
        elif not column and header.strip():
            unknown.append(header.strip())
    if "links" in columns and "code" not in columns:
        columns.insert(columns.index("links"), "code")
    if "paper" not in columns and "title" not in columns:
        columns.insert(0, "paper")
    if "links" in stated and "links" not in columns:
        columns.append("links")
    if "venue" in stated and "venue" not in columns:
        columns.insert(0, "venue")
    if "date" in stated and not {"date", "year"} & set(columns):
        columns.insert(0, "date")
    return columns, unknown


def chronological(positions: dict[str, dict[str, int]]) -> bool:
    """Whether the list keeps each heading's papers newest first, as vlabib's default order
    does: nearly all neighbours by arXiv date agree. A list ordered by hand (landmark papers
    first) or oldest first is not."""
    agree = against = 0
    by_leaf: dict[str, list[tuple[int, str]]] = {}
    for key, places in positions.items():
        for leaf, place in places.items():
            if is_arxiv_id(key):
                by_leaf.setdefault(leaf, []).append((place, key))
    for keyed in by_leaf.values():
        dates = [id_year_month(key) for _, key in sorted(keyed)]
        for a, b in itertools.pairwise(dates):
            agree += a >= b
            against += a < b
    return agree >= 0.95 * (agree + against)


def list_settings(
    in_order: bool, headers: tuple[str, ...], stated: Collection[str] = (), *, layout: bool
) -> list[Setting]:
    """What the README needs to look like the list: ``order = "list"`` unless the list was
    newest first; with *layout*, the stars badges the list showed (*stated* holds "badges")
    and a table layout for a list kept as tables (its columns, and those for what it
    *stated*: "venue", "date", "links")."""
    out = []
    if not in_order:
        out.append(Setting("order", '"list"', "the list's own order under each heading"))
    if layout and "badges" in stated:
        out.append(Setting("readme_badges", "true", "the list showed its code's GitHub stars"))
    if layout and headers:
        columns, _ = table_columns(headers, stated)
        shown = ", ".join(f'"{c}"' for c in columns)
        out.append(Setting("readme_layout", '"table"', "the list kept its papers in tables"))
        out.append(Setting("readme_columns", f"[{shown}]", "the list's own columns"))
    return out


def lines(settings: list[Setting]) -> str:
    return "".join(f"{s.name} = {s.value}  # {s.why}\n" for s in settings)


def add_settings(project: Project, settings: list[Setting]) -> list[str]:
    """Append *settings* to the survey's vlabib.toml where it says nothing of them; say what
    was set, and how to set what could not be."""
    path = project.root / SETTINGS_FILE
    text = read_source(path, SETTINGS_FILE, root=project.root) if path.is_file() else ""
    # A key appended after a [table] header would belong to that table.
    closed = not path.is_file() or bool(re.search(r"(?m)^\s*\[", text))
    todo = [s for s in settings if not re.search(rf"(?m)^\s*{s.name}\s*=", text)]
    if not todo:
        return []
    if closed:
        return [f"to keep {s.why}, set {s.name} = {s.value} in the survey's settings" for s in todo]
    atomic_write(path, text.rstrip("\n") + "\n" + lines(todo), root=project.root)
    return [f"set {s.name} = {s.value} in {SETTINGS_FILE} ({s.why})" for s in todo]
