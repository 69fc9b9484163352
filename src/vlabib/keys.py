"""Keys for papers without an arXiv ID, taken from their link, never guessed: the same link
always gives the same key. Keys are lower-case (BibTeX keys are case-insensitive) and hold
only ``a-z 0-9 . _ / -`` after a scheme; every other character becomes ``_``, and so does a
dot between digits, so that no key reads as an arXiv ID.

====================================================  ==========================================
link                                                  key
====================================================  ==========================================
doi.org, dl.acm.org/doi, link.springer.com, nature,   ``doi:10_1145/3610978_3640671``
bioRxiv/medRxiv (their DOIs)
openreview.net (forum, pdf, attachment ``?id=``)      ``openreview:1qmmub4zfl``
aclanthology.org                                      ``acl:2023.findings-acl.403``
openaccess.thecvf.com, cv-foundation.org              ``cvf:`` + the paper's file name
ecva.net                                              ``ecva:eccv_2022/136710657``
proceedings.mlr.press                                 ``pmlr:v162/huang22h``
papers.nips.cc, proceedings.neurips.cc                ``neurips:`` + the paper's hash
ijcai.org/proceedings                                 ``ijcai:2019/276``
ojs.aaai.org                                          ``aaai:aaai/29045``
ieeexplore.ieee.org                                   ``ieee:10611663``
sciencedirect.com (PII)                               ``pii:s0031320323001589``
semanticscholar.org/paper                             ``s2:`` + the paper's 40-digit hash
jmlr.org/papers                                       ``jmlr:v21/20-074``
any other ``….pdf``, or a link labelled as the paper  ``url:`` + host and path (and query)
====================================================  ==========================================

>>> paper_key("https://openreview.net/forum?id=1QMMUB4zfl")
'openreview:1qmmub4zfl'
>>> paper_key("https://dl.acm.org/doi/abs/10.1145/3746027.3755008")
'doi:10_1145/3746027_3755008'
>>> paper_key("https://github.com/a/b") is None
True
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Callable

from vlabib.ids import doi_key

_SCHEMES = (
    "doi",
    "openreview",
    "acl",
    "cvf",
    "ecva",
    "pmlr",
    "neurips",
    "ijcai",
    "aaai",
    "ieee",
    "pii",
    "s2",
    "jmlr",
    "url",
)
_KEY_RE = re.compile(rf"^(?:{'|'.join(_SCHEMES)}):[a-z0-9._/-]+$")
_UNSAFE_RE = re.compile(r"[^a-z0-9._/-]+")
_DIGIT_DOT_RE = re.compile(r"(?<=\d)\.(?=\d)")
_DOI_IN_PATH_RE = re.compile(r"(10\.\d{4,9}/[^?#\s]+)")
MAX_KEY = 120


def is_fallback_key(key: str) -> bool:
    """True for a key :func:`paper_key` makes (``doi:…`` included)."""
    return len(key) <= MAX_KEY and bool(_KEY_RE.match(key))


def _clean(scheme: str, value: str) -> str:
    body = _UNSAFE_RE.sub("_", urllib.parse.unquote(value).lower()).strip("_/.")
    body = _DIGIT_DOT_RE.sub("_", body)  # no key may read as an arXiv ID
    key = f"{scheme}:{body}"
    if len(key) > MAX_KEY:  # keep it readable and still unique
        digest = hashlib.sha256(key.encode()).hexdigest()[:10]
        key = key[: MAX_KEY - 11].rstrip("_/.-") + "-" + digest
    return key


def _doi(path: str) -> str:
    m = _DOI_IN_PATH_RE.search(urllib.parse.unquote(path))
    if not m:
        return ""
    doi = m.group(1).rstrip("/")
    if doi.startswith("10.1101/"):  # bioRxiv and medRxiv add a version and a format
        doi = re.sub(r"(v\d+)?(\.full)?(\.pdf)?$", "", doi)
    return doi


def doi_in_link(url: str) -> str:
    """The DOI a publisher's link carries, or ``""``.

    >>> doi_in_link("https://www.nature.com/articles/s42256-025-01005-x")
    '10.1038/s42256-025-01005-x'
    """
    parts = urllib.parse.urlsplit(url.strip())
    host = _host(parts)
    if host == "nature.com":
        m = re.match(r"/articles/([\w.-]+)", parts.path)
        return f"10.1038/{m.group(1)}" if m else ""
    if host in _DOI_HOSTS or host.endswith(".biorxiv.org"):
        return _doi(parts.path)
    return ""


def _query(parts: urllib.parse.SplitResult, name: str) -> str:
    return (urllib.parse.parse_qs(parts.query).get(name) or [""])[0]


def _stem(path: str) -> str:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"\.(pdf|html?|php)$", "", last, flags=re.IGNORECASE)


Rule = Callable[[urllib.parse.SplitResult], str | None]


def _openreview(p: urllib.parse.SplitResult) -> str | None:
    ident = _query(p, "id")
    return _clean("openreview", ident) if ident else None


def _acl(p: urllib.parse.SplitResult) -> str | None:
    stem = _stem(p.path)
    return _clean("acl", stem) if stem else None


def _cvf(p: urllib.parse.SplitResult) -> str | None:
    stem = _stem(p.path)
    return _clean("cvf", stem) if stem.lower().endswith("_paper") or "_20" in stem else None


def _ecva(p: urllib.parse.SplitResult) -> str | None:
    m = re.search(r"/(eccv_\d{4})/.*?/(\d{5,})", p.path)
    return _clean("ecva", f"{m.group(1)}/{m.group(2)}") if m else None


def _pmlr(p: urllib.parse.SplitResult) -> str | None:
    m = re.match(r"/(v\d+)/([^/.]+)", p.path)
    return _clean("pmlr", f"{m.group(1)}/{m.group(2)}") if m else None


def _neurips(p: urllib.parse.SplitResult) -> str | None:
    m = re.search(r"/([0-9a-f]{32})-", p.path)
    return _clean("neurips", m.group(1)) if m else None


def _ijcai(p: urllib.parse.SplitResult) -> str | None:
    m = re.search(r"/proceedings/(\d{4})/0*(\d+)", p.path, re.IGNORECASE)
    return _clean("ijcai", f"{m.group(1)}/{m.group(2)}") if m else None


def _aaai(p: urllib.parse.SplitResult) -> str | None:
    m = re.search(r"/index\.php/(\w+)/article/(?:view|download)/(\d+)", p.path)
    return _clean("aaai", f"{m.group(1)}/{m.group(2)}") if m else None


def _ieee(p: urllib.parse.SplitResult) -> str | None:
    m = re.search(r"/document/(\d+)", p.path)
    number = m.group(1) if m else _query(p, "arnumber")
    return _clean("ieee", number) if number.isdigit() else None


def _pii(p: urllib.parse.SplitResult) -> str | None:
    m = re.search(r"/pii/(\w+)", p.path)
    return _clean("pii", m.group(1)) if m else None


def _s2(p: urllib.parse.SplitResult) -> str | None:
    m = re.search(r"/([0-9a-f]{40})$", p.path)
    return _clean("s2", m.group(1)) if m else None


def _jmlr(p: urllib.parse.SplitResult) -> str | None:
    m = re.match(r"/papers/(v\d+)/([^/]+?)(?:\.html|\.pdf)?$", p.path)
    return _clean("jmlr", f"{m.group(1)}/{m.group(2)}") if m else None


_RULES: dict[str, Rule] = {
    "openreview.net": _openreview,
    "aclanthology.org": _acl,
    "openaccess.thecvf.com": _cvf,
    "cv-foundation.org": _cvf,
    "ecva.net": _ecva,
    "proceedings.mlr.press": _pmlr,
    "papers.nips.cc": _neurips,
    "proceedings.neurips.cc": _neurips,
    "ijcai.org": _ijcai,
    "ojs.aaai.org": _aaai,
    "ieeexplore.ieee.org": _ieee,
    "sciencedirect.com": _pii,
    "semanticscholar.org": _s2,
    "jmlr.org": _jmlr,
}
_DOI_HOSTS = (
    "doi.org",
    "dx.doi.org",
    "dl.acm.org",
    "link.springer.com",
    "biorxiv.org",
    "medrxiv.org",
    "onlinelibrary.wiley.com",
    "tandfonline.com",
    "pubs.acs.org",
    "journals.plos.org",
    "iopscience.iop.org",
)


def _host(parts: urllib.parse.SplitResult) -> str:
    host = parts.netloc.lower().rsplit("@", 1)[-1].split(":")[0]
    return host.removeprefix("www.")


def link_key(url: str) -> str | None:
    """The key of a link that is not a paper's (a repository, a blog post, a model card):
    ``url:`` + host and path, or None for a link that is not http(s).

    >>> link_key("https://github.com/NVIDIA/kvpress/")
    'url:github.com/nvidia/kvpress'
    """
    parts = urllib.parse.urlsplit(url.strip())
    host = _host(parts)
    if parts.scheme not in ("http", "https") or not host:
        return None
    return _clean("url", host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else ""))


def paper_key(url: str, *, labelled_paper: bool = False) -> str | None:
    """The key of the paper a link points to, or None when the link is not a paper's.

    *labelled_paper* says the list labels the link as the paper (``[Paper](…)``): then any
    link but a code host's counts, keyed ``url:``.
    """
    parts = urllib.parse.urlsplit(url.strip())
    host = _host(parts)
    if parts.scheme not in ("http", "https") or not host:
        return None
    if host == "google.com" and parts.path == "/url":
        target = _query(parts, "url") or _query(parts, "q")
        return paper_key(target, labelled_paper=labelled_paper) if target else None
    doi = doi_in_link(url)
    if doi:
        return doi_key(doi)
    rule = _RULES.get(host)
    key = rule(parts) if rule else None
    if key:
        return key
    is_pdf = parts.path.lower().endswith(".pdf")
    code_host = host in ("github.com", "gitlab.com", "huggingface.co", "youtube.com")
    if is_pdf or (labelled_paper and not code_host):
        return link_key(url)
    return None
