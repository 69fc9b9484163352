"""Canonical entries from what the outside world says: arXiv records and list lines; merging.

>>> from vlabib.arxiv import Record
>>> r = Record("2509.09372", 2, "VLA-Adapter: An Effective Paradigm", ("Yihao Wang",), "",
...            "2025-09-11", "2025-09-22", "cs.RO", "", "", "")
>>> from_record(r, ["token-pruning"]).fields["title"]
'{VLA}-Adapter: An Effective Paradigm'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vlabib.arxiv import Record
from vlabib.errors import VlabibError
from vlabib.ids import id_year_month
from vlabib.lists import ListItem
from vlabib.model import Paper, month_name, split_keywords, title_shortname
from vlabib.names import bibtex_name
from vlabib.tex import LatexError, text_to_latex

_GITHUB_RE = re.compile(r"https?://(?:www\.)?github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def github_url(*texts: str) -> str:
    """The first GitHub repository URL in the texts: ``…at https://github.com/a/b.`` -> that."""
    for text in texts:
        m = _GITHUB_RE.search(text)
        if m:
            url = m.group().rstrip(".,;:")
            return url.removesuffix(".git")
    return ""


def _latex(key: str, what: str, text: str, **options: bool) -> str:
    try:
        return text_to_latex(text, **options)
    except LatexError as exc:
        raise VlabibError(f"{key}: {what}: {exc}") from None


def _optional(text: str) -> str | None:
    """Free-text extras (comments) are kept when LaTeX can carry them, dropped otherwise."""
    try:
        return text_to_latex(text) or None
    except LatexError:
        return None


def _date_fields(key: str, published: str) -> dict[str, str]:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", published):
        year, month = int(published[:4]), int(published[5:7])
    else:
        year, month = id_year_month(key)
    return {"year": str(year), "month": month_name(month)}


def _keywords(categories: Iterable[str]) -> str:
    return ", ".join(split_keywords(",".join(categories)))


def from_record(record: Record, categories: Iterable[str]) -> Paper:
    """The canonical entry for an arXiv record, filed under *categories*."""
    key = record.id
    fields: dict[str, str | None] = {
        "title": _latex(key, "title", record.title, math=True, protect=True),
        "author": " and ".join(_latex(key, "author", bibtex_name(name)) for name in record.authors)
        or None,
        **_date_fields(key, record.published),
        "eprint": key,
        "archiveprefix": "arXiv",
        "primaryclass": record.primary_class or None,
        "doi": record.doi or None,
        "url": f"https://arxiv.org/abs/{key}",
        "shortname": _latex(key, "shortname", title_shortname(record.title)) or None,
        "code": github_url(record.summary, record.comment) or None,
        "journalref": _optional(record.journal_ref),
        "arxivcomment": _optional(record.comment),
        "keywords": _keywords(categories) or None,
    }
    return Paper(key, "misc", {k: v for k, v in fields.items() if v})


def from_list_item(item: ListItem, categories: Iterable[str]) -> Paper:
    """An entry from a list line alone (``import --offline``): no authors until fetched."""
    key = item.arxiv_id
    venue = item.venue
    if venue and item.year and not re.search(r"\b(?:19|20)\d\d$", venue):
        venue = f"{venue} {item.year}"
    fields: dict[str, str | None] = {
        "title": _latex(key, "title", item.title, math=True, protect=True),
        **_date_fields(key, ""),
        "eprint": key,
        "archiveprefix": "arXiv",
        "url": f"https://arxiv.org/abs/{key}",
        "venue": _latex(key, "venue", venue) if venue else None,
        "shortname": _latex(key, "shortname", title_shortname(item.title)) or None,
        "code": item.code or None,
        "website": item.website or None,
        "keywords": _keywords(categories) or None,
    }
    return Paper(key, "misc", {k: v for k, v in fields.items() if v})


def merge(old: Paper, new: Paper) -> Paper:
    """*old* with *new*'s categories added and its fields filled in where *old* has none.

    Nothing *old* has is replaced: title and author changes are ``vlabib update``'s to
    report, and hand-set fields always win.
    """
    fields = dict(new.fields)
    fields.update(old.fields)
    keywords = _keywords([*old.categories, *new.categories])
    if keywords:
        fields["keywords"] = keywords
    return Paper(old.key, old.type, fields, old.line)
