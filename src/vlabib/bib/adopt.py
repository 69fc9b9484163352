r"""A bib someone else wrote, made canonical: each entry keyed by the arXiv ID its own fields
state, else by the documented fallback (its DOI, a paper link), else by its own key — never
by a guess; its old key kept in ``ids`` (biblatex's alias field), every field kept. Entries
that are one paper (one arXiv ID, or one DOI) become one, all their old keys in ``ids``.

An entry's arXiv ID, by the first rule that finds one in its own text (abstract, file,
keywords, timestamp, biburl and bibsource are never read):

1. ``eprint``, when ``archiveprefix``/``eprinttype`` says arXiv or neither is there;
2. an arXiv DOI, ``10.48550/arXiv.ID``;
3. an arxiv.org abs, pdf or html link in any field;
4. ``arXiv:ID`` (``arXiv preprint arXiv:ID``) in any field;
5. DBLP's CoRR volume ``abs/ID`` (in volume, journal, note or number, where CoRR or arXiv is
   named).

>>> arxiv_of({"journal": "CoRR", "volume": "abs/2106.09685"})
('2106.09685', 'R5-corr-abs')
>>> arxiv_of({"howpublished": "arXiv preprint arXiv:2310.01801v2"})
('2310.01801', 'R4-arxiv-text')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from vlabib import ids
from vlabib.bib.fields import validated
from vlabib.bib.parse import Foreign
from vlabib.keys import doi_in_link, paper_key
from vlabib.model import Paper
from vlabib.tex.allow import unsafe_construct
from vlabib.tex.read import latex_to_text

_NEVER_READ = frozenset(("abstract", "file", "keywords", "timestamp", "biburl", "bibsource"))
_ARXIV_TEXT_RE = re.compile(r"arxiv\s*:\s*([a-z\-.]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_ARXIV_URL_RE = re.compile(r"https?://(?:[\w-]+\.)?arxiv\.org/(?:abs|pdf|html)/[^\s}{,]+", re.I)
_CORR_ABS_RE = re.compile(r"abs/(\d{4}\.\d{4,5}|[a-z\-.]+/\d{7})", re.I)
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_URL_FIELDS = frozenset(("url", "doi", "ee", "biburl", "pdf", "code", "website"))


def _arxiv(text: str) -> str:
    try:
        return ids.parse_arxiv_id(text.strip())
    except ids.IdError:
        return ""


def _by_eprint(fields: Mapping[str, str]) -> str:
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").lower()
    return _arxiv(fields.get("eprint", "")) if kind == "arxiv" else ""


def _by_doi(fields: Mapping[str, str]) -> str:
    m = re.match(r"^10\.48550/arxiv\.(.+)$", doi_text(fields.get("doi", "")), re.I)
    return _arxiv(m.group(1)) if m else ""


def _read(fields: Mapping[str, str]) -> list[str]:
    return [value for name, value in fields.items() if name not in _NEVER_READ]


def _by_url(fields: Mapping[str, str]) -> str:
    urls = (url for value in _read(fields) for url in _ARXIV_URL_RE.findall(value))
    return next((ids.arxiv_id_in_url(u) for u in urls if ids.arxiv_id_in_url(u)), "")


def _by_text(fields: Mapping[str, str]) -> str:
    found = (_arxiv(m.group(1)) for v in _read(fields) for m in _ARXIV_TEXT_RE.finditer(v))
    return next((ident for ident in found if ident), "")


def _by_corr(fields: Mapping[str, str]) -> str:
    named = " ".join(
        fields.get(n, "") for n in ("journal", "volume", "note", "number", "publisher")
    )
    if not re.search(r"corr|arxiv", named, re.I):
        return ""
    found = (
        _CORR_ABS_RE.search(fields.get(n, "")) for n in ("volume", "journal", "note", "number")
    )
    return next((_arxiv(m.group(1)) for m in found if m and _arxiv(m.group(1))), "")


_RULES = (
    ("R1-eprint", _by_eprint),
    ("R2-doi", _by_doi),
    ("R3-url", _by_url),
    ("R4-arxiv-text", _by_text),
    ("R5-corr-abs", _by_corr),
)


def arxiv_of(fields: Mapping[str, str]) -> tuple[str, str]:
    """The arXiv ID an entry's own fields state and the rule that found it, or ``("", "")``."""
    for name, rule in _RULES:
        found = rule(fields)
        if found:
            return found, name
    return "", ""


_URL_ESCAPES = (
    ("$\\sim$", "~"),
    ("\\textasciitilde{}", "~"),
    ("\\~{}", "~"),
    ("{\\~}", "~"),
    ("\\_", "_"),
    ("\\%", "%"),
    ("\\#", "#"),
    ("\\&", "&"),
    ("{&}", "&"),
)


def url_text(value: str) -> str:
    """A link as a browser takes it: ``\\url{…}`` unwrapped, TeX's escapes undone
    (``\\_``, ``{&}``, ``$\\sim$``)."""
    value = re.sub(r"^\\url\{(.*)\}$", r"\1", value.strip())
    for escaped, plain in _URL_ESCAPES:
        value = value.replace(escaped, plain)
    return value


def doi_text(value: str) -> str:
    """A DOI as registries write it: no resolver prefix, no TeX escapes."""
    return _DOI_PREFIX_RE.sub("", url_text(value)).strip()


def doi_of(fields: Mapping[str, str]) -> str:
    """The entry's DOI, lower-cased; "" when it has none or only arXiv's."""
    doi = doi_text(fields.get("doi", "")).lower()
    return "" if not doi or doi.startswith("10.48550/") else doi


def new_key(old: str, fields: Mapping[str, str]) -> str:
    """The canonical key: the arXiv ID, else the documented fallback (DOI, then a paper's
    link), else the entry's own key."""
    arxiv, _ = arxiv_of(fields)
    if arxiv:
        return arxiv
    doi = doi_of(fields)
    if doi:
        return ids.doi_key(doi)
    for name in ("url", "ee"):
        key = paper_key(url_text(fields.get(name, "")))
        if key:
            return key
    return old


@dataclass
class Adoption:
    """What adopting a bib gives: the canonical papers, each old key's new key, the papers
    several entries became, what their fields disagreed on, and every problem, worded."""

    papers: list[Paper] = field(default_factory=list)
    keymap: dict[str, str] = field(default_factory=dict)
    merged: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)


def adopt(foreign: Foreign, path: str) -> Adoption:
    """Every entry of *foreign* (read from *path*) as a canonical paper; an entry whose fields
    vlabib cannot keep is named in ``problems`` with its line and left out."""
    out = Adoption(
        repeats=[
            f"{path}:{line}: {key} is defined again (first at line {first}); BibTeX uses the "
            "first, and so does vlabib"
            for key, line, first in foreign.repeats
        ]
    )
    groups: dict[str, list[tuple[str, str, list[tuple[str, str, int]], int]]] = {}
    for entry in foreign.entries:
        old, _, fields, _ = entry
        values = {name: value for name, value, _ in fields}
        groups.setdefault(new_key(old, values).lower(), []).append(entry)
    for group in groups.values():
        paper, problems = _one_paper(group, path, out.conflicts)
        olds = [old for old, *_ in group]
        if paper is None:
            out.problems += problems
            continue
        out.papers.append(paper)
        out.keymap.update({old: paper.key for old in olds})
        if len(olds) > 1:
            out.merged[paper.key] = olds
    return out


def _one_paper(
    group: Sequence[tuple[str, str, list[tuple[str, str, int]], int]],
    path: str,
    conflicts: list[str],
) -> tuple[Paper | None, list[str]]:
    """The entries of one paper as one canonical entry (the first's fields first)."""
    first_key, etype, _, line = group[0]
    kept: dict[str, tuple[str, int, str]] = {}  # name -> (value, line, whose)
    for old, _, fields, _ in group:
        for name, value, fline in _canonical(fields):
            if name not in kept:
                kept[name] = (value, fline, old)
            elif name != "ids" and _differ(kept[name][0], value):
                conflicts.append(
                    f"{path}:{fline}: {old} and {kept[name][2]} are one paper; their {name} "
                    f"fields differ ({kept[name][0][:40]!r}, {value[:40]!r}): kept the first"
                )
    values = {name: value for name, (value, _, _) in kept.items()}
    key = new_key(first_key, values)
    arxiv, _ = arxiv_of(values)
    olds = [old for old, *_ in group]
    aliases = [*dict.fromkeys([*olds, *_split(values.get("ids", ""))])]
    if arxiv:
        kept["eprint"] = (arxiv, line, first_key)
        kept["archiveprefix"] = ("arXiv", line, first_key)
    elif key.startswith("doi:") and "doi" not in kept:  # the DOI a publisher's link holds
        link = next(
            url_text(values[n]) for n in ("url", "ee") if doi_in_link(url_text(values.get(n, "")))
        )
        kept["doi"] = (doi_in_link(link), line, first_key)
    kept["ids"] = (", ".join(aliases), line, first_key)
    problems: list[tuple[int, str]] = []
    raw = [(name, value, fline) for name, (value, fline, _) in kept.items()]
    paper = validated(key, etype, raw, line, problems)
    if paper is None and all(_TEXT_FIX in msg for _, msg in problems):
        # LaTeX that cannot reach TeX (an undefined command, a raw &) is kept as the text it
        # shows, and named, so that nothing is lost and the author can mend it.
        mended = [(n, v if n in _URL_FIELDS | {"ids"} else _as_text(v), ln) for n, v, ln in raw]
        notes = [(ln, msg + " (kept as text; mend it in the bib)") for ln, msg in problems]
        problems = []
        paper = validated(key, etype, mended, line, problems)
        conflicts += [f"{path}:{ln}: {msg}" for ln, msg in notes] if paper else []
    return paper, [f"{path}:{ln}: {msg}" for ln, msg in problems]


_TEXT_FIX = "is not allowed in a bibliography field"


def _as_text(value: str) -> str:
    """*value* with every construct TeX may not read written as the text it is."""
    for _ in range(50):
        construct = unsafe_construct(value)
        if construct is None:
            return value
        if construct.startswith("\\") and len(construct) > 1:  # \vasa, \¨: a command TeX lacks
            value = value.replace(construct, "\\textbackslash{}" + construct[1:], 1)
        elif construct.startswith("an unescaped "):
            char = construct.split()[2]
            value = re.sub(rf"(?<!\\){re.escape(char)}", "\\" + char, value, count=1)
        else:
            return value
    return value


def _differ(a: str, b: str) -> bool:
    """Whether two values say different things (not just braced or spaced otherwise)."""
    return a != b and latex_to_text(a).casefold().split() != latex_to_text(b).casefold().split()


def _split(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


def _canonical(fields: Sequence[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """An entry's fields under vlabib's names and rules: its own ``keywords`` become
    ``tags`` (vlabib's keywords are the taxonomy's leaves), a DOI or a link loses its TeX
    escapes and resolver prefix, a biblatex ``date`` that is a year alone becomes ``year``."""
    out = []
    names = {name for name, _, _ in fields}
    for name, value, line in fields:
        value = " ".join(value.split()) if name not in ("abstract",) else value.strip()
        if name == "keywords":
            name = "tags"
        elif name == "doi":
            value = doi_text(value)
        elif name in _URL_FIELDS:
            value = url_text(value)
        elif name == "date" and re.fullmatch(r"\d{4}", value):
            if "year" in names:
                continue
            name = "year"
        if value:
            out.append((name, value, line))
    return out
