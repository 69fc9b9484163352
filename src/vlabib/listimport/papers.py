"""Papers from list lines, and merging a paper into one already in the bib.

>>> old, new = Paper("1", "misc", {"venue": "ICLR"}), Paper("1", "misc", {"year": "2024"})
>>> merge(old, new).fields
{'year': '2024', 'venue': 'ICLR'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vlabib.keys import doi_in_link
from vlabib.listimport.markdown import ListItem
from vlabib.model import Paper
from vlabib.remote.entries import date_fields, keywords_value, noted_latex
from vlabib.tex.allow import to_url
from vlabib.titles import title_shortname


def from_list_item(
    item: ListItem, categories: Iterable[str], notes: list[str] | None = None
) -> Paper:
    """A paper from a list line alone (``import --offline``, or a paper without an arXiv
    ID): no authors until fetched, a year only when the line or the ID says it."""
    key = item.key
    venue = item.venue
    if venue and item.year and not re.search(r"\b(?:19|20)\d\d$", venue):
        venue = f"{venue} {item.year}"
    if item.arxiv_id:
        ident: dict[str, str | None] = {
            **date_fields(key, ""),
            "eprint": key,
            "archiveprefix": "arXiv",
            "url": f"https://arxiv.org/abs/{key}",
        }
    else:
        ident = {
            "year": str(item.year) if item.year else None,
            "doi": doi_in_link(item.url) or None,
            "url": to_url(item.url) or None,
        }
    name = item.shortname or title_shortname(item.title)
    fields: dict[str, str | None] = {
        "title": noted_latex(key, "title", item.title, notes, math=True, protect=True),
        **ident,
        "venue": noted_latex(key, "venue", venue, notes) if venue else None,
        "shortname": noted_latex(key, "shortname", name, None) or None,
        "code": to_url(item.code) or None,
        "website": to_url(item.website) or None,
        "keywords": keywords_value(categories) or None,
    }
    return Paper(key, "misc", {k: v for k, v in fields.items() if v})


def merge(old: Paper, new: Paper) -> Paper:
    """*old* with *new*'s categories added and its fields filled in where *old* has none.

    Nothing *old* has is replaced: title and author changes are ``vlabib update``'s to
    report, and hand-set fields always win.
    """
    fields = dict(new.fields)
    fields.update(old.fields)
    keywords = keywords_value([*old.categories, *new.categories])
    if keywords:
        fields["keywords"] = keywords
    return Paper(old.key, old.type, fields, old.line)
