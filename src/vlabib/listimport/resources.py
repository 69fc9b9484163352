"""Lines that link no paper but belong in the list: a tool's repository, a blog post, a
video, a model card, a dataset, a website. They are kept as what they are — an entry of the
kind its link says, shown as a link — not dropped and not dressed up as papers.

A line is no resource when it is the list's own furniture: a news line (it opens with a
date), a link into a repository's files (another page of the list), a person's profile (a
thanks line), a row of a results table (mostly numbers), or a sentence rather than a name.

>>> kind_of("https://github.com/NVIDIA/kvpress")
'code'
>>> kind_of("https://lilianweng.github.io/posts/2021-07-11-diffusion-models/")
'blog'
"""

from __future__ import annotations

import itertools
import re
import urllib.parse
from dataclasses import replace

from vlabib.keys import link_key
from vlabib.listimport.facts import date_in, labelled_links
from vlabib.listimport.line import ListItem, described, is_label
from vlabib.listimport.text import words
from vlabib.listimport.units import Piece, Unit

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "gitee.com")
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "bilibili.com", "vimeo.com")
_BLOG_HOSTS = ("medium.com", "zhuanlan.zhihu.com", "mp.weixin.qq.com", "substack.com")
_PEOPLE_HOSTS = ("scholar.google.com", "linkedin.com", "twitter.com", "x.com", "orcid.org")
_REPO_FILE_RE = re.compile(r"^/[^/]+/[^/]+/(?:blob|tree)/")
_PROFILE_RE = re.compile(r"^/[^/]+/?$")  # github.com/someone: a person or an organisation
_NUMBER_RE = re.compile(r"^[\d.,%±+\-–\s]*$")
_EMPTY_BRACKETS_RE = re.compile(r"[\[(]\s*[\])]")
_MAX_WORDS = 16  # a name, not a sentence


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc.lower().split(":")[0].removeprefix("www.")


def kind_of(url: str) -> str:
    """What a link is, from its host and path: one of :data:`vlabib.model.RESOURCES`."""
    host, path = _host(url), urllib.parse.urlsplit(url).path.lower()
    if host == "huggingface.co":
        return "dataset" if path.startswith("/datasets/") else "model"
    checks = (
        ("code", host in _CODE_HOSTS),
        ("video", host in _VIDEO_HOSTS),
        ("blog", host in _BLOG_HOSTS or "blog" in host or "/blog" in path or "/post" in path),
    )
    return next((kind for kind, hit in checks if hit), "website")


def _primary(unit: Unit) -> tuple[str, str]:
    """The link a line is about, and its label when the line opens with it (``- [TinyZero](…)
    - …``): its first labelled http(s) link (a badge is an image, without a label), else its
    first http(s) link."""
    web = [n for n, link in enumerate(unit.links) if link.url.startswith(("http://", "https://"))]
    labelled = [n for n in web if unit.links[n].label.strip()]
    if not web:
        return "", ""
    first = (labelled or web)[0]
    lead = next((p for p in unit.pieces if _wordy(p) or p.link >= 0), None)
    label = unit.links[first].label
    opens = lead is not None and lead.link == first and not _bare(label, unit.links[first].url)
    return unit.links[first].url, label if opens and not is_label(label) else ""


def _description(unit: Unit, *, skip_italic: bool) -> str:
    """What a line says after the link it opens with: ``- [X](…) - A tool for …`` (its
    other links, badges and — when they are its authors — italics left out)."""
    pieces = list(itertools.dropwhile(lambda p: p.link < 0, unit.pieces))
    rest = itertools.dropwhile(lambda p: p.link >= 0 or not p.text.strip(), pieces)
    text = "".join(
        p.text
        for p in rest
        if p.link < 0 and not p.image and not p.mark and not (skip_italic and p.italic)
    )
    text = _EMPTY_BRACKETS_RE.sub(" ", text)  # what stood around links: "[[Docs](…)]"
    text = " ".join(text.split()).lstrip("-–—:|,. ").strip()
    return text if len(words(text)) >= 2 else ""


def _wordy(piece: Piece) -> bool:
    """A piece with words (not a mark like ⭐ or a bracket) outside a badge."""
    return not piece.image and any(c.isalnum() for c in piece.text)


def _bare(label: str, url: str) -> bool:
    """A link shown as itself (``https://x.org``, or ``qq.com`` made a link by GitHub)."""

    def plain(text: str) -> str:
        text = text.strip().lower().removeprefix("http://").removeprefix("https://")
        return text.removeprefix("www.").rstrip("/")

    shown = plain(label)
    return bool(shown) and plain(url).startswith(shown)


def _results_row(unit: Unit) -> bool:
    """A table row of mostly numbers: a results table, whose rows are not the list's."""
    cells: dict[int, str] = {}
    for piece in unit.pieces:
        if piece.cell >= 0:
            cells[piece.cell] = cells.get(piece.cell, "") + piece.text
    numeric = sum(bool(_NUMBER_RE.match(text)) for text in cells.values() if text.strip())
    return numeric * 2 > len(cells)


def _furniture(unit: Unit, url: str, title: str) -> bool:
    text = " ".join("".join(p.text for p in unit.pieces if not p.image).split())
    path = urllib.parse.urlsplit(url).path
    return (
        (unit.kind == "list-item" and bool(date_in(text[:24])))  # a news line
        or (
            _host(url) == "github.com"
            and bool(_REPO_FILE_RE.match(path) or _PROFILE_RE.match(path))
        )
        or _host(url) in _PEOPLE_HOSTS
        or _results_row(unit)
        or not title
        or is_label(title)
        or len(words(title)) > _MAX_WORDS
    )


def read_resource(unit: Unit) -> ListItem | None:
    """The resource a line that links no paper names, or None for the list's furniture."""
    url, name = _primary(unit)
    key = link_key(url) if url else None
    if not key:
        return None
    base = described(unit)
    if name and unit.kind == "list-item":  # "- [TinyZero](…) - Clean, minimal …"
        base = replace(base, title=name.strip(" .*:"))
        said = _description(unit, skip_italic=bool(base.facts.authors))
        if said and not base.facts.notes:  # a note the line marks ("— …") is read already
            base = replace(base, facts=replace(base.facts, notes=(said, *base.facts.notes)))
    if _furniture(unit, url, base.title):
        return None
    kind = kind_of(url)
    code = "" if base.code == url else base.code
    links = labelled_links(unit, (url, code, base.website))
    return replace(
        base,
        key=key,
        url=url,
        code=code,
        venue="",
        year=None,
        resource=kind,
        facts=replace(base.facts, links=links),
    )
