"""arXiv identifiers: parse what users paste, validate what the bib holds.

>>> parse_arxiv_id("https://arxiv.org/pdf/2509.09372v2.pdf")
'2509.09372'
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable

from vlabib.errors import IdError

__all__ = [
    "IdError",
    "arxiv_id_in_url",
    "doi_key",
    "id_year_month",
    "is_arxiv_id",
    "is_doi_key",
    "parse_arxiv_id",
]

# New-style IDs: YYMM.NNNN (April 2007 to December 2014) or YYMM.NNNNN (from 2015).
_NEW = r"(?P<yymm>\d{2}(?:0[1-9]|1[0-2]))\.(?P<num>\d{4,5})"
# Old-style IDs: archive[.SUBJECT]/YYMMNNN, e.g. cs/0112017, math.GT/0309136.
_OLD = r"(?P<archive>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?)/(?P<oldnum>\d{2}(?:0[1-9]|1[0-2])\d{3})"
_ID = rf"(?:{_NEW}|{_OLD})"
_VERSION = r"(?:v(?P<version>[1-9]\d*))?"

ID_RE = re.compile(rf"^{_ID}$")
_PREFIX = r"(?:arxiv:|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/)?"
_ARG_RE = re.compile(rf"^{_PREFIX}{_ID}{_VERSION}(?:\.pdf)?/?(?:[?#].*)?$", re.IGNORECASE)
_DOI_KEY_RE = re.compile(r"^doi:[a-z0-9._/-]+$")


def is_arxiv_id(key: str) -> bool:
    """True for a bare, versionless arXiv ID such as ``2509.09372`` or ``cs/0112017``."""
    m = ID_RE.match(key)
    return m is not None and _valid_number(m)


def _valid_number(m: re.Match[str]) -> bool:
    num = m.group("num")
    if num is None:
        return True
    yymm = int(m.group("yymm"))
    # 4-digit numbers ran until 1412, 5-digit numbers from 1501 on.
    return (len(num) == 4) == (yymm < 1501) and yymm >= 704


def parse_arxiv_id(arg: str) -> str:
    """The bare arXiv ID in *arg* (an ID, ``arXiv:ID``, ``IDvN`` or an abs/pdf/html URL)."""
    text = arg.strip()
    m = _ARG_RE.match(text)
    if not m or not _valid_number(m):
        raise IdError(
            f"{arg!r} is not an arXiv ID or URL "
            "(expected e.g. 2509.09372, 2509.09372v2, arXiv:2509.09372, cs/0112017 "
            "or https://arxiv.org/abs/2509.09372)"
        )
    if m.group("num"):
        return f"{m.group('yymm')}.{m.group('num')}"
    archive = m.group("archive")
    # The archive is lower-case, the optional subject class upper-case (math.GT).
    name, dot, subject = archive.partition(".")
    return f"{name.lower()}{dot}{subject.upper()}/{m.group('oldnum')}"


_DOI_ARXIV_RE = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def arxiv_id_in_url(url: str) -> str:
    """The arXiv ID a link points to, or ``""``: abs/pdf/html/format pages on arxiv.org and
    its hosts (www, export, browse; version and ``.pdf`` dropped), and arXiv's DOIs (10.48550).

    >>> arxiv_id_in_url("http://www.arxiv.org/pdf/2305.17118v2.pdf")
    '2305.17118'
    >>> arxiv_id_in_url("https://doi.org/10.48550/arXiv.2406.04339"), arxiv_id_in_url("https://x.org")
    ('2406.04339', '')
    """
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.netloc.lower().split("@")[-1].split(":")[0]
    if is_arxiv_host(host):
        candidate = parts.path.lstrip("/")
    elif host in ("doi.org", "dx.doi.org", "www.doi.org"):
        m = _DOI_ARXIV_RE.match(urllib.parse.unquote(parts.path.lstrip("/")))
        if not m:
            return ""
        candidate = m.group(1)
    else:
        return ""
    for prefix in ("abs/", "pdf/", "html/", "format/"):
        candidate = candidate.removeprefix(prefix)
    try:
        return parse_arxiv_id(candidate)
    except IdError:
        return ""


_URL_START_RE = re.compile(r"https?://", re.IGNORECASE)


def targets(url: str) -> list[str]:
    """The URLs in one link target: lists paste two together, or a link inside a link.

    >>> targets("https://neurips.cc/virtual/2023/79171https://arxiv.org/abs/2311.05997")
    ['https://neurips.cc/virtual/2023/79171', 'https://arxiv.org/abs/2311.05997']
    """
    starts = [m.start() for m in _URL_START_RE.finditer(url)]
    if len(starts) <= 1:
        return [url]
    return [url[a:b].strip("[]()<> ") for a, b in zip(starts, [*starts[1:], len(url)], strict=True)]


_ARXIV_PAPER_RE = re.compile(r"https?://([\w-]+\.)?arxiv\.org/(abs|pdf|html)/", re.IGNORECASE)


def is_arxiv_paper_url(url: str) -> bool:
    """A link to an arXiv paper's page, whether or not its ID is valid."""
    return bool(_ARXIV_PAPER_RE.match(url))


def is_arxiv_host(host: str) -> bool:
    """``arxiv.org`` and its subdomains (www, export, browse)."""
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def parse_arxiv_ids(args: Iterable[str]) -> list[str]:
    """Parse every argument; one error naming every bad one. Duplicates are dropped."""
    ids: list[str] = []
    bad: list[str] = []
    for arg in args:
        try:
            ident = parse_arxiv_id(arg)
        except IdError:
            bad.append(repr(arg))
            continue
        if ident not in ids:
            ids.append(ident)
    if bad:
        raise IdError(
            f"not an arXiv ID or URL: {', '.join(bad)} "
            "(expected e.g. 2509.09372, arXiv:2509.09372v2, cs/0112017 "
            "or an arxiv.org abs/pdf/html URL)"
        )
    return ids


def id_year_month(ident: str) -> tuple[int, int]:
    """Year and month encoded in an arXiv ID: ``2509.09372`` -> ``(2025, 9)``."""
    m = ID_RE.match(ident)
    if not m:
        raise IdError(f"{ident!r} is not an arXiv ID")
    yymm = m.group("yymm") or m.group("oldnum")[:4]
    yy, mm = int(yymm[:2]), int(yymm[2:])
    return (1900 + yy if yy >= 91 else 2000 + yy), mm


def doi_key(doi: str) -> str:
    """The documented fallback key of a paper without arXiv ID: ``doi:`` + the DOI, lower-cased,
    characters outside ``[a-z0-9._/-]`` replaced by ``_``, and a dot between digits too, so
    that no key reads as an arXiv ID (``3219819.3220007``).

    >>> doi_key("10.1109/LRA.2025.123(4)")
    'doi:10_1109/lra.2025_123_4_'
    """
    body = re.sub(r"[^a-z0-9._/-]", "_", doi.strip().lower())
    return "doi:" + re.sub(r"(?<=\d)\.(?=\d)", "_", body)


def is_doi_key(key: str) -> bool:
    """True for a key of the form :func:`doi_key` makes."""
    return bool(_DOI_KEY_RE.match(key))
