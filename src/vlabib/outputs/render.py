"""Every output, as text: one pure function from the survey's data to ``{path: text}``.
Templates loop and format; the decisions are made in Python (:mod:`vlabib.outputs.view`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from vlabib import parallel
from vlabib.config import Settings
from vlabib.model import Paper
from vlabib.outputs import issue_form, listing, manuscript, readme, site
from vlabib.outputs.stamp import stamp
from vlabib.outputs.templating import template
from vlabib.outputs.view import Section, sections, unique_slugs
from vlabib.taxonomy import Taxonomy

# The README's own anchors that the generated list must not take.
_RESERVED = ("Table of Contents",)


@dataclass(frozen=True)
class Output:
    """One output file: its path (relative to the survey) and whole text.

    ``owned`` files are vlabib's and always rewritten; the others (the manuscript skeleton)
    are written only when missing. ``region`` marks the README, where vlabib owns the text
    between the markers only.
    """

    path: str
    text: str
    owned: bool = True
    region: bool = False

    @functools.cached_property
    def digest(self) -> bytes:
        """:func:`content_digest` of the text, taken where the output is made (for a large
        survey, on the core that made it)."""
        return content_digest(self.text)


def content_digest(text: str) -> bytes:
    """SHA-256 of a text as a file holds it: what a build remembers an output holds."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def render(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    settings: Settings,
    readme_text: str,
    citation: str = "",
) -> list[Output]:
    """Every output for the survey: the README, latex/generated/, the manuscript skeleton,
    the website (with *citation*, the survey's own BibTeX, to cite it by)."""
    sources = _sources(settings)
    taken = unique_slugs([*readme.headings_outside(readme_text), *_RESERVED])
    secs = sections(papers, taxonomy, taken, order=settings.order, pin=settings.pin_recommended)

    def readme_output() -> list[Output]:
        body = template("readme-papers.md", sections=secs, **listing.context(secs, settings))
        text = readme.splice(readme_text, stamp(body, "md", sources))
        return [Output(settings.readme, text, region=True)]

    def the_rest() -> list[Output]:
        return _manuscript_and_site(papers, taxonomy, settings, secs, taken, citation)

    # The README's list and the manuscript are independent: on two cores for a large survey.
    # Both read each paper's authors, split once here rather than once on each side.
    fork = len(papers) >= parallel.LARGE
    for paper in papers if fork else ():
        paper.authors  # noqa: B018  (a cached property: computed here, kept)
    first, rest = parallel.both(readme_output, the_rest, fork=fork)
    return first + rest


def _sources(settings: Settings) -> str:
    """What a generated file's stamp says it is made from."""
    return f"{settings.bib} and {settings.taxonomy}"


def _manuscript_part(papers: Sequence[Paper], taxonomy: Taxonomy) -> tuple[list[Paper], Taxonomy]:
    """The papers the manuscript covers and the taxonomy it shows: a list's repositories,
    blog posts and videos stay in the README and on the site, and so does a heading that
    holds only them (a list's "Tools")."""
    cited = [p for p in papers if not p.resource]
    if len(cited) == len(papers):
        return cited, taxonomy
    held = {c for p in cited for c in p.categories}
    only_links = {c for p in papers if p.resource for c in p.categories} - held
    return cited, taxonomy.without(only_links)


def manuscript_paths(papers: Sequence[Paper], taxonomy: Taxonomy, settings: Settings) -> list[str]:
    """The paths (relative to the survey) of the manuscript's files :func:`render` makes,
    without making them."""
    latex = PurePosixPath(settings.latex)
    return [
        str(latex / p) for p in manuscript.paths(_manuscript_part(papers, taxonomy)[1], settings)
    ]


def _manuscript_and_site(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    settings: Settings,
    secs: list[Section],
    taken: list[str],
    citation: str,
) -> list[Output]:
    """latex/generated/ and the skeleton, the issue form, the website."""
    sources = _sources(settings)
    outputs = []
    latex = PurePosixPath(settings.latex)
    # The manuscript covers papers: a list's repositories, blog posts and videos stay in the
    # README and on the site.
    cited, shown = _manuscript_part(papers, taxonomy)
    if len(cited) < len(papers):
        secs = sections(cited, shown, taken, order=settings.order, pin=settings.pin_recommended)
    for f in manuscript.files(cited, shown, settings, secs, template):
        text = stamp(f.text, "%", sources) if f.owned else f.text
        outputs.append(Output(str(latex / f.path), text, owned=f.owned))
    if settings.issue_form:
        outputs.append(Output(issue_form.FORM, stamp(issue_form.form(taxonomy), "#", sources)))
    if settings.site:
        for name, text in site.files(papers, taxonomy, settings, secs, citation).items():
            marked = {".html": "<!--", ".bib": "%"}.get(PurePosixPath(name).suffix)
            outputs.append(
                Output(
                    str(PurePosixPath(settings.site) / name),
                    stamp(text, marked, sources) if marked else text,
                )
            )
    for out in outputs:
        out.digest  # noqa: B018  (a cached property: taken here, kept with the output)
    return outputs
