"""What one paper line says: its arXiv IDs or paper link, title, venue, year, code and
project links. Lists write these in every way there is; the rules, in order, are:

- title: a linked title, else a bold one, else a quoted one, else the text before the first
  link (badges, emoji, tags, ``(Venue Year)`` and link labels like ``[Paper]`` left out), else
  the short paragraph the list stands under;
- venue: ``<ins>…</ins>``, a venue or publication column, else a known venue's name in the
  line (or in a badge);
- every arXiv ID in the line's links is a paper; a line without one is a paper when a link
  is a paper's (see :mod:`vlabib.keys`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from vlabib.ids import arxiv_id_in_url, is_arxiv_paper_url, targets
from vlabib.keys import paper_key
from vlabib.listimport.facts import Facts, Gathered, labelled_links, read_facts
from vlabib.listimport.text import clean, column, repair_mojibake, words
from vlabib.listimport.units import Piece, Unit
from vlabib.listimport.venue import heading_venue, venue_year


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that make a link label a label, not a title: [Paper], [[Code]], [Project Page].
_LABEL_WORDS = _words_of(
    """
    paper papers pdf arxiv abs abstract html code codes github gitlab project projects
    page website homepage home site link links demo demos video videos slides slide
    poster blog dataset datasets data huggingface hf model models weights openreview
    official unofficial pytorch tensorflow jax colab notebook bib bibtex cite citation
    doi supp supplementary appendix talk tutorial twitter x youtube zhihu extended
    version full preprint journal conference proceedings springer ieee acm cvf ecva aaai
    acl download repo repository here this star stars leaderboard benchmark medium
    reddit 论文 代码 项目 主页 链接 数据集
    """
)
_CODE_WORDS = _words_of("code codes github gitlab pytorch tensorflow jax repo repository official")
_SITE_WORDS = _words_of("project website homepage home site page")
_LEADING_TAG_RE = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*|\[[^\]]{0,30}\]\s*)+")


@dataclass(frozen=True)
class ListItem:
    """One paper as a list line gives it; ``key`` is its arXiv ID or fallback key."""

    key: str
    arxiv_id: str  # "" for a paper without one
    url: str  # the paper's own link
    title: str
    venue: str
    year: int | None
    code: str
    website: str
    shortname: str
    section: tuple[str, ...]
    line: int
    problem: str = ""  # what the user should fix in the list, if anything
    facts: Facts = field(default_factory=Facts)  # authors, date, notes, mark, other links
    resource: str = ""  # for a line that links no paper: what it links (code, blog, …)


def heading_text(children: Iterable[Any]) -> str:
    """The plain text of an inline token run (a heading, a cell, a paragraph)."""
    parts = [c.content for c in children if c.type in ("text", "code_inline")]
    parts += [" "] if not parts else []
    return clean(repair_mojibake("".join(parts))).strip(" *:|#-")


def is_label(text: str) -> bool:
    """``[Paper]``, ``Code``, ``Project Page``, ``Paper (arXiv)``: a link label, not a title."""
    found = words(text)
    return len(found) <= 3 and all(w in _LABEL_WORDS or w.isdigit() for w in found)


def _title_like(text: str) -> bool:
    if "://" in text or text.lstrip().startswith("www."):
        return False  # a bare link shown as itself
    found = words(text)
    return bool(found) and not is_label(text) and (len(found) >= 2 or len(text) >= 6)


def _runs(pieces: Sequence[Piece], keep: Any) -> list[str]:
    """Texts of consecutive pieces for which *keep* holds, in order."""
    runs: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if keep(piece):
            current.append(piece.text)
        elif current and piece.text.strip():
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return [" ".join(r.split()) for r in runs if r.strip()]


def _tidy(title: str) -> str:
    title = clean(title).strip(" *_,;:[]")
    for left, right in ('""', "“”", "''", "‘’"):
        if title[:1] == left and title[-1:] == right and len(title) > 2:
            title = title[1:-1].strip()
    title = title.strip(" *_,;:[]")
    return re.sub(r"\s*\.+$", "", title) if not title.endswith("..") else title


def _long(text: str) -> bool:
    return _title_like(text) and (len(words(text)) >= 3 or ":" in text)


def _title(unit: Unit, pieces: Sequence[Piece]) -> str:
    labels = [link.label for link in unit.links if _title_like(link.label)]
    lead = "".join(p.text for p in _until_link(pieces) if not p.image and not p.code)
    quoted = re.search(r'["“]([^"”]{4,})["”]', lead)
    bold = [r for r in _runs(pieces, lambda p: p.bold and not p.image) if _title_like(r)]
    stripped = _tidy(_LEADING_TAG_RE.sub("", lead))
    if not _title_like(stripped):
        stripped = _tidy(lead)  # what looked like a tag was the title
    for candidate in (
        *[label for label in labels if _long(label)][:1],
        *([quoted.group(1)] if quoted and _long(quoted.group(1)) else []),
        *[b for b in bold if _long(b)][:1],
        *([stripped] if _title_like(stripped) else []),
        *([unit.intro] if _title_like(unit.intro) else []),
        *labels[:1],
        *bold[:1],
    ):
        return _tidy(candidate)
    return stripped


def _until_link(pieces: Sequence[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if piece.link >= 0 or piece.mark or (piece.image and out):
            break
        out.append(piece)
    return out


def _link_of(unit: Unit, wanted: frozenset[str]) -> str:
    for link in unit.links:
        if (
            is_label(link.label)
            and set(words(link.label)) & wanted
            and not arxiv_id_in_url(link.url)
        ):
            return link.url
    return ""


def _shortname(unit: Unit, title: str) -> str:
    """A method name the line gives beside the title: `CoOp`, **BOSS**: "…", a model column."""
    first = next((p for p in unit.pieces if p.text.strip()), None)
    lead = [first.text.strip()] if first and (first.code or first.bold) else []
    named = "".join(p.text for p in column(unit, "model", "method", "methods", "keywords", "name"))
    if unit.kind == "html-tr":
        named = "".join(p.text for p in unit.pieces if p.cell == 0)
    for name in (*lead, clean(named)):
        name = name.strip(" :")
        if name[:1] + name[-1:] in ("[]", "()"):  # "[LLaRP]": the brackets are the list's
            name = name[1:-1].strip()
        if name and name not in title[: len(name) + 2].strip() and len(name) <= 40:
            return name if len(name.split()) <= 4 else ""
        if name and title.startswith(name) and len(name) < len(title):
            return (
                name if len(name.split()) <= 4 and ":" in title[len(name) : len(name) + 2] else ""
            )
    return ""


_REPO_RE = re.compile(r"https?://(?:www\.)?github\.com/[^/]+/[^/#?]+/?$")


def _arxiv_links(unit: Unit) -> tuple[list[tuple[str, str]], list[str]]:
    """(ID, label) of every arXiv link, in order; and arXiv links whose ID is not valid."""
    found: dict[str, str] = {}
    broken = []
    for link in unit.links:
        for url in targets(link.url):
            ident = arxiv_id_in_url(url)
            if ident:
                found.setdefault(ident, link.label)
            elif is_arxiv_paper_url(url):
                broken.append(url)
    return list(found.items()), broken


def described(unit: Unit) -> ListItem:
    """What a unit says of its paper, before its key is known."""
    pieces = column(unit, "title", "paper", "papers", "name") or list(unit.pieces)
    if unit.kind == "html-tr" and not any(p.bold for p in pieces):
        pieces = [p for p in unit.pieces if p.cell == 0] or pieces  # the model's name
    title = _title(unit, pieces) or _title(unit, list(unit.pieces))
    title = title or next((li.label for li in unit.links if li.label.strip()), "")
    venue, year = venue_year(unit, title)
    repo = next((link.url for link in unit.links if _REPO_RE.match(link.url)), "")
    code = _column_link(unit, "code", "github") or _link_of(unit, _CODE_WORDS) or repo
    website = _column_link(unit, "website", "project", "homepage", "page") or _link_of(
        unit, _SITE_WORDS
    )
    dated = "".join(p.text for p in column(unit, "date", "time", "published"))
    return ListItem(
        "",
        "",
        "",
        title,
        venue,
        year,
        code,
        website,
        _shortname(unit, title),
        unit.section,
        unit.line,
        facts=read_facts(unit, title, dated),
    )


def unit_title(unit: Unit) -> str:
    """What a line names, read as a paper's title would be."""
    text = " ".join("".join(p.text for p in unit.pieces if not p.image).split())
    return described(unit).title or next((li.label for li in unit.links if li.label), "") or text


def _column_link(unit: Unit, *names: str) -> str:
    links = {p.link for p in column(unit, *names) if p.link >= 0}
    return next((unit.links[i].url for i in sorted(links)), "")


def read_unit(unit: Unit) -> list[ListItem]:
    """The papers one unit names: one per arXiv ID in its links, or its paper link."""
    if not unit.links:
        return []
    ids, broken = _arxiv_links(unit)
    base = described(unit)
    if not base.title:
        base = replace(base, title=f"Untitled (line {unit.line})")
    if ids:
        items = []
        for n, (ident, label) in enumerate(ids):
            own = label if _title_like(label) else f"{base.title} ({label or ident})"
            url = f"https://arxiv.org/abs/{ident}"
            first = replace(base, key=ident, arxiv_id=ident, url=url)
            # The line's facts are its first paper's; later IDs are papers it mentions.
            items.append(
                _linked(first, unit) if n == 0 else replace(first, title=own, facts=Facts())
            )
        return items
    for url in broken:
        problem = f"{url} holds no valid arXiv ID; kept keyed by its link, fix the link"
        fallback = paper_key(url, labelled_paper=True) or ""
        return [_linked(replace(base, key=fallback, url=url, problem=problem), unit)]
    for link in unit.links:
        named = bool({"paper", "pdf"} & set(words(link.label)))
        for url in targets(link.url):
            key = paper_key(url, labelled_paper=named)
            if key:
                return [_linked(replace(base, key=key, url=url), unit)]
    return []


def _linked(item: ListItem, unit: Unit) -> ListItem:
    """*item* with the line's other links (beside its paper, code and website)."""
    links = labelled_links(unit, (item.url, item.code, item.website))
    return replace(item, facts=replace(item.facts, links=links))


def with_gathered(item: ListItem, extra: Gathered, links: Sequence[tuple[str, str]]) -> ListItem:
    """*item* with what the lines that belong to it say: its own line's facts first."""
    facts = item.facts
    code = item.code or next(iter(extra.code), "")
    known = {item.url, code, item.website, *(url for _, url in facts.links)}
    more = [("Code", url) for url in extra.code if url not in known]
    more += [(label, url) for label, url in links if url not in known and url not in extra.code]
    merged = replace(
        facts,
        authors=facts.authors or extra.authors,
        date=facts.date or extra.date,
        notes=(*facts.notes, *extra.notes),
        links=(*facts.links, *dict.fromkeys(more)),
    )
    return replace(item, code=code, facts=merged)


def with_heading_venue(item: ListItem) -> ListItem:
    """A paper listed under a venue's heading ("ICLR 2025") was published there, unless its
    own line says otherwise."""
    if item.venue:
        return item
    for title in reversed(item.section):
        found = heading_venue(title)
        if found:
            return replace(item, venue=found[0], year=found[1])
    return item
