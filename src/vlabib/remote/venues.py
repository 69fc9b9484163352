"""Where preprints were published: the rules that keep a false match out, and the order in
which sources are asked (:func:`find`). The sources themselves are in :mod:`vlabib.remote.catalogs`.

A venue is accepted only when the normalised title matches, an author surname overlaps,
the year is plausible, and it is neither a preprint server nor a submission. Sources that
disagree are reported, never applied.

>>> short_venue("Neural Information Processing Systems", ["NeurIPS", "NIPS"])
'NeurIPS'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vlabib.names import surname_key
from vlabib.titles import norm_title

if TYPE_CHECKING:
    from vlabib.remote.catalogs import Catalogs

# Venue names as the services spell them -> the short name survey lists use.
_ALIASES = {
    "neural information processing systems": "NeurIPS",
    "advances in neural information processing systems": "NeurIPS",
    "nips": "NeurIPS",
    "international conference on learning representations": "ICLR",
    "international conference on machine learning": "ICML",
    "conference on robot learning": "CoRL",
    "ieee international conference on robotics and automation": "ICRA",
    "ieee/rjs international conference on intelligent robots and systems": "IROS",
    "ieee/rsj international conference on intelligent robots and systems": "IROS",
    "computer vision and pattern recognition": "CVPR",
    "ieee/cvf conference on computer vision and pattern recognition": "CVPR",
    "ieee international conference on computer vision": "ICCV",
    "european conference on computer vision": "ECCV",
    "aaai conference on artificial intelligence": "AAAI",
    "ieee robotics and automation letters": "IEEE RA-L",
    "ieee robotics autom. lett.": "IEEE RA-L",
    "robotics: science and systems": "RSS",
    "conference on empirical methods in natural language processing": "EMNLP",
    "annual meeting of the association for computational linguistics": "ACL",
}
_PREPRINT_RE = re.compile(
    r"^(arxiv(\.org)?|corr|biorxiv|medrxiv|ssrn|research square|preprints?|techrxiv)\b", re.I
)
_SUBMISSION_RE = re.compile(r"\b(submitted|under review|in submission|under submission)\b", re.I)


@dataclass(frozen=True)
class Claim:
    """What one source says about where a paper appeared."""

    source: str
    title: str
    authors: tuple[str, ...]
    venue: str  # as the source spells it
    year: int | None
    aliases: tuple[str, ...] = ()
    dblp_key: str = ""

    @property
    def label(self) -> str:
        """``NeurIPS 2024``."""
        name = short_venue(self.venue, self.aliases)
        return f"{name} {self.year}" if self.year else name


@dataclass(frozen=True)
class Preprint:
    """A paper to find a venue for, as arXiv describes it."""

    key: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    journal_ref: str = ""


@dataclass(frozen=True)
class Decision:
    """The venue to apply, or why none is: a conflict between sources or nothing accepted."""

    venue: str = ""
    sources: tuple[str, ...] = ()
    conflict: str = ""
    rejected: tuple[str, ...] = ()


def short_venue(name: str, aliases: Sequence[str] = ()) -> str:
    name = " ".join(name.split())
    for candidate in (name, *aliases):
        if candidate.lower() in _ALIASES:
            return _ALIASES[candidate.lower()]
    for alias in aliases:
        if re.fullmatch(r"[A-Z][A-Za-z-]{1,9}", alias) and sum(c.isupper() for c in alias) >= 2:
            return alias
    return name


def judge(claim: Claim, title: str, authors: Sequence[str], year: int | None) -> str:
    """Why *claim* cannot be the paper's venue, or ``""`` when it can."""
    if not claim.venue:
        return "no venue"
    if _PREPRINT_RE.search(claim.venue.strip()):
        return f"{claim.venue} is a preprint server"
    if _SUBMISSION_RE.search(claim.venue):
        return f"{claim.venue!r} is a submission, not a publication"
    if norm_title(claim.title) != norm_title(title):
        return f"title differs ({claim.title!r})"
    if not {surname_key(a) for a in authors} & {surname_key(a) for a in claim.authors}:
        return "no author in common"
    if year and claim.year and not (year - 1 <= claim.year <= year + 3):
        return f"year {claim.year} is implausible for a {year} preprint"
    return ""


def decide(
    claims: Iterable[Claim], title: str, authors: Sequence[str], year: int | None
) -> Decision:
    """Accept the claims that pass :func:`judge`; agree -> apply, disagree -> report."""
    accepted: dict[str, list[str]] = {}
    rejected = []
    for claim in claims:
        why = judge(claim, title, authors, year)
        if why:
            rejected.append(f"{claim.source}: {why}")
        else:
            accepted.setdefault(claim.label, []).append(claim.source)
    if not accepted:
        return Decision(rejected=tuple(rejected))
    if len(accepted) > 1:
        said = "; ".join(f"{', '.join(s)} say {label}" for label, s in accepted.items())
        return Decision(conflict=said, rejected=tuple(rejected))
    ((label, sources),) = accepted.items()
    return Decision(venue=label, sources=tuple(sources), rejected=tuple(rejected))


def journal_ref_claim(
    journal_ref: str, title: str, authors: Sequence[str], year: int | None
) -> Claim | None:
    """arXiv's own journal reference: the authors' statement about this very paper."""
    if not journal_ref:
        return None
    m = re.search(r"\b((?:19|20)\d\d)\b", journal_ref)
    venue = re.sub(r"[\s,(]*\b(?:19|20)\d\d\b\)?", "", journal_ref).strip(" ,;") or journal_ref
    return Claim("arXiv journal-ref", title, tuple(authors), venue, int(m.group(1)) if m else year)


def find(catalogs: Catalogs, preprints: Sequence[Preprint]) -> dict[str, Decision]:
    """Where each preprint was published. The order of asking: arXiv's journal-ref (the
    authors' own word), Semantic Scholar in one batch, then DBLP — the record Semantic
    Scholar names, or else a title search when nothing usable was found yet."""
    s2 = catalogs.semantic_scholar([p.key for p in preprints]) if preprints else {}
    decisions = {}
    for p in preprints:
        claims: list[Claim] = []
        ref = journal_ref_claim(p.journal_ref, p.title, p.authors, p.year)
        if ref:
            claims.append(ref)
        s2_claim = s2.get(p.key)
        if s2_claim:
            claims.append(s2_claim)
        if s2_claim and s2_claim.dblp_key:
            dblp = catalogs.dblp_record(s2_claim.dblp_key)
            claims += [dblp] if dblp else []
        elif not any(not judge(c, p.title, p.authors, p.year) for c in claims):
            claims += catalogs.dblp_search(p.title)
        decisions[p.key] = decide(claims, p.title, p.authors, p.year)
    return decisions
