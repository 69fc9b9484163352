"""Where preprints were published: the rules that keep a false match out, and the order in
which sources are asked (:func:`vlabib.remote.catalogs.find`).

A venue is accepted only when the normalised title matches, an author surname overlaps,
the year is plausible, and it is neither a preprint server nor a submission. Sources that
disagree are reported, never applied.

>>> judge(Claim("DBLP", "A", ("Li Wei",), "CoRR", 2025), "A", ["Li Wei"], 2025)
'CoRR is a preprint server'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from vlabib.names import surname_key
from vlabib.titles import norm_title
from vlabib.venues import short_venue

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


def judge(claim: Claim, title: str, authors: Sequence[str], year: int | None) -> str:
    """Why *claim* cannot be the paper's venue, or ``""`` when it can."""
    return next(_objections(claim, title, authors, year), "")


def _objections(
    claim: Claim, title: str, authors: Sequence[str], year: int | None
) -> Iterator[str]:
    """Every reason to refuse *claim*, cheapest first."""
    if not claim.venue:
        yield "no venue"
    elif _PREPRINT_RE.search(claim.venue.strip()):
        yield f"{claim.venue} is a preprint server"
    elif _SUBMISSION_RE.search(claim.venue):
        yield f"{claim.venue!r} is a submission, not a publication"
    if norm_title(claim.title) != norm_title(title):
        yield f"title differs ({claim.title!r})"
    if not {surname_key(a) for a in authors} & {surname_key(a) for a in claim.authors}:
        yield "no author in common"
    if year and claim.year and not (year - 1 <= claim.year <= year + 3):
        yield f"year {claim.year} is implausible for a {year} preprint"


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
