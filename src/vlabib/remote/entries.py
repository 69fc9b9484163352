"""Canonical entries from arXiv records: every field arXiv says, as allow-listed LaTeX, with
what could not be kept said in notes.

>>> from vlabib.remote.arxiv import Record
>>> r = Record("2509.09372", 2, "VLA-Adapter: An Effective Paradigm", ("Yihao Wang",), "",
...            "2025-09-11", "2025-09-22", "cs.RO", "", "", "")
>>> from_record(r, ["token-pruning"]).fields["title"]
'{VLA-Adapter}: An Effective Paradigm'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vlabib.ids import id_year_month
from vlabib.model import Paper, month_name, split_keywords
from vlabib.names import bibtex_name
from vlabib.remote.arxiv import Record
from vlabib.tex.allow import is_category, is_doi
from vlabib.tex.encode import encode, text_to_latex
from vlabib.titles import title_shortname

_GITHUB_RE = re.compile(r"https?://(?:www\.)?github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def github_url(*texts: str) -> str:
    """The first GitHub repository URL in the texts: ``…at https://github.com/a/b.`` -> that."""
    for text in texts:
        m = _GITHUB_RE.search(text)
        if m:
            url = m.group().rstrip(".,;:")
            return url.removesuffix(".git")
    return ""


def noted_latex(key: str, what: str, text: str, notes: list[str] | None, **options: bool) -> str:
    """*text* as allow-listed LaTeX; what could not be kept is said in *notes*."""
    latex = encode(text, **options)
    if notes is not None and latex.dropped:
        notes.append(f"{key}: {what}: left out {' '.join(dict.fromkeys(latex.dropped))}")
    if notes is not None and latex.pdf_only_missing:
        chars = " ".join(dict.fromkeys(latex.pdf_only_missing))
        notes.append(
            f"{key}: {what}: {chars} shown in the README, left out of the PDF "
            "(pdflatex has no font for it)"
        )
    if notes is not None and latex.literal_math:
        notes.append(f"{key}: {what}: math that LaTeX may not run is kept as plain text")
    return latex.text


def _optional(text: str) -> str | None:
    return text_to_latex(text) or None


def date_fields(key: str, published: str) -> dict[str, str]:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", published):
        year, month = int(published[:4]), int(published[5:7])
    else:
        year, month = id_year_month(key)
    return {"year": str(year), "month": month_name(month)}


def keywords_value(categories: Iterable[str]) -> str:
    return ", ".join(split_keywords(",".join(categories)))


def from_record(record: Record, categories: Iterable[str], notes: list[str] | None = None) -> Paper:
    """The canonical paper for an arXiv record, filed under *categories*.

    arXiv's identifiers are checked where they enter: a DOI or category that does not match
    its pattern is left out (and said in *notes*), never written.
    """
    key = record.id
    doi, category = record.doi, record.primary_class
    for what, value, ok in (("DOI", doi, is_doi), ("category", category, is_category)):
        if value and not ok(value) and notes is not None:
            notes.append(f"{key}: arXiv's {what} {value[:60]!r} is not valid; left out")
    fields: dict[str, str | None] = {
        "title": noted_latex(
            key, "title", record.title, notes, math=True, protect=True, ligatures=True
        ),
        "author": " and ".join(
            noted_latex(key, "author", bibtex_name(name), notes) for name in record.authors
        )
        or None,
        **date_fields(key, record.published),
        "eprint": key,
        "archiveprefix": "arXiv",
        "primaryclass": category if is_category(category) else None,
        "doi": doi if is_doi(doi) else None,
        "url": f"https://arxiv.org/abs/{key}",
        "shortname": noted_latex(key, "shortname", title_shortname(record.title), None) or None,
        "code": github_url(record.summary, record.comment) or None,
        "journalref": _optional(record.journal_ref),
        "arxivcomment": _optional(record.comment),
        "keywords": keywords_value(categories) or None,
        "abstract": noted_latex(key, "abstract", record.summary, None, math=True) or None,
    }
    return Paper(key, "misc", {k: v for k, v in fields.items() if v})
