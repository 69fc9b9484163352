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
from vlabib.names import bibtex_name
from vlabib.remote.entries import date_fields, keywords_value, noted_latex
from vlabib.tex.allow import to_url
from vlabib.tex.encode import text_to_latex
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
    if not ident.get("year") and item.facts.date:
        ident["year"] = item.facts.date[:4]
    name = item.shortname or title_shortname(item.title)
    fields: dict[str, str | None] = {
        "title": noted_latex(key, "title", item.title, notes, math=True, protect=True),
        **ident,
        "venue": noted_latex(key, "venue", venue, notes) if venue else None,
        "shortname": noted_latex(key, "shortname", name, None) or None,
        "code": to_url(item.code) or None,
        "website": to_url(item.website) or None,
        "keywords": keywords_value(categories) or None,
        "resource": item.resource or None,
        **stated_fields(item, notes),
    }
    return Paper(key, "misc", {k: v for k, v in fields.items() if v})


def stated_fields(item: ListItem, notes: list[str] | None = None) -> dict[str, str | None]:
    """What the list says of the paper beyond title, link, venue and code, as bib fields:
    ``author``, ``date``, ``annote`` (the curator's notes), ``recommended`` and ``links``."""
    facts, key = item.facts, item.key
    names = [
        "others" if a == "others" else noted_latex(key, "author", bibtex_name(a), notes)
        for a in facts.authors
    ]
    links = [
        f"{text_to_latex(link_label(label)) or 'Link'}: {url}"
        for label, url in facts.links
        if to_url(url) and "; " not in url
    ]
    note = " | ".join(facts.notes)
    return {
        "author": " and ".join(n for n in names if n) or None,
        "date": facts.date or None,
        "annote": noted_latex(key, "note", note, notes, math=True) if note else None,
        "recommended": "yes" if facts.star else None,
        "links": "; ".join(dict.fromkeys(links)) or None,
    }


def link_label(label: str) -> str:
    """A link's label as a bib field keeps it: no ``;``, ``:`` or brackets, short."""
    return " ".join(re.sub(r"[;:\[\]{}]", " ", label).split())[:40]


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


#: Fields a list states that arXiv knows nothing of: the list's always stand.
_LISTED = ("venue", "code", "website", "links", "annote", "recommended", "date")


def stated_over(fetched: Paper, listed: Paper) -> Paper:
    """arXiv's paper with what the list stated put over it: a person's words are never
    overwritten by fetched metadata. The list's authors stand too, unless it cut them short
    (``et al.``) and arXiv has them all."""
    extra = {name: listed.fields[name] for name in _LISTED if name in listed.fields}
    listed_authors = listed.authors
    if listed_authors and (listed_authors[-1] != "others" or not fetched.authors):
        extra["author"] = listed.get("author")
    return fetched.replace(**extra)
