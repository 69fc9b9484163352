"""``vlabib build`` and the drift half of ``vlabib check``.

Everything is rendered first (pure: papers and taxonomy in, text out), then written: only
files whose content changed, each atomically. ``drift`` compares the same renderings with
what is on disk without writing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from vlabib import bib
from vlabib.config import Project
from vlabib.errors import VlabibError
from vlabib.files import atomic_write, write_if_changed
from vlabib.model import Paper, Problem, Taxonomy
from vlabib.render import (
    HEADER,
    Entry,
    Section,
    digest,
    render,
    sections,
    stated_digest,
    unique_slugs,
)

REGION = "papers"
BEGIN = "<!-- vlabib:begin {} -->"
END = "<!-- vlabib:end {} -->"
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)
# Files under generated/ that vlabib never wrote are left alone (a figure, say).
_OWN_SUFFIXES = (".tex", ".bib", ".md")
# vlabib's own fields say nothing to BibTeX styles; keywords stay for biblatex's filters.
_PRIVATE_FIELDS = ("shortname", "code", "venue", "website", "journalref", "arxivcomment")


class ReadmeError(VlabibError):
    """The README has no usable marker region."""


@dataclass(frozen=True)
class Output:
    """A whole generated file, or the README with its region replaced."""

    path: Path
    text: str


def _stamp(body: str, comment: str, sources: str) -> str:
    header = HEADER.format(sources=sources, digest=digest(body))
    if comment == "<!--":
        return f"<!-- {header} -->\n{body}"
    return f"{comment} {header}\n{body}"


def _sources(project: Project) -> str:
    return f"{project.settings.bib} and {project.settings.taxonomy}"


def region_bounds(text: str, name: str = REGION) -> tuple[int, int, int]:
    """Start and end offsets of the region's content, and its 1-based begin line."""
    begin, end = BEGIN.format(name), END.format(name)
    if text.count(begin) != 1 or text.count(end) != 1:
        raise ReadmeError(
            f"README must hold the marker lines {begin} and {end} once each, "
            "where the paper list goes"
        )
    start = text.index(begin) + len(begin)
    stop = text.index(end)
    if stop < start:
        raise ReadmeError(f"README: {end} comes before {begin}; swap them")
    return start, stop, text[:start].count("\n") + 1


def render_readme(readme: str, project: Project, secs: list[Section]) -> str:
    """The README with its paper region rendered from the data."""
    start, stop, _ = region_bounds(readme)
    # Anchors must be unique across the whole page, so count the headings outside the region.
    outside = readme[:start] + readme[stop:]
    taken = [m.group(2) for m in _HEADING_RE.finditer(outside)] + ["Table of Contents"]
    slugs = unique_slugs([s.node.title for s in secs], unique_slugs(taken))
    body = render(
        "readme-papers.md",
        sections=[dataclasses.replace(s, slug=slug) for s, slug in zip(secs, slugs, strict=True)],
        layout=project.settings.readme_layout,
    )
    return readme[:start] + "\n" + _stamp(body, "<!--", _sources(project)) + readme[stop:]


def render_generated(
    project: Project, papers: list[Paper], taxonomy: Taxonomy, secs: list[Section]
) -> dict[str, str]:
    """File name -> content for everything under ``latex/generated/``."""
    by_id = {s.node.id: s for s in secs}
    closers = {}
    for i, s in enumerate(secs):
        next_depth = secs[i + 1].node.depth if i + 1 < len(secs) else 0
        closers[s.node.id] = s.node.depth - next_depth + 1
    closers[secs[-1].node.id] = secs[-1].node.depth + 1
    sources = _sources(project)

    def leaf_titles(e: Entry, area_id: str) -> str:
        under = set(taxonomy.leaves_under(area_id))
        return ", ".join(by_id[c].title_tex for c in e.categories if c in under)

    files = {
        "taxonomy.tex": render("taxonomy.tex", sections=secs, closers=closers),
        "cites.tex": render("cites.tex", sections=secs),
        "references.bib": bib.write_string(_exported(papers)),
    }
    for area in (by_id[n.id] for n in taxonomy.areas):
        files[f"table-{area.node.id}.tex"] = render(
            "table.tex", area=area, leaf_titles=lambda e, a=area.node.id: leaf_titles(e, a)
        )
    return {name: _stamp(text, "%", sources) for name, text in files.items()}


def _exported(papers: list[Paper]) -> list[Paper]:
    """The manuscript's bib: vlabib's own fields out, the venue shown as howpublished."""
    out = []
    for paper in papers:
        changes: dict[str, str | None] = {name: None for name in _PRIVATE_FIELDS}
        if paper.venue and paper.type == "misc":
            changes["howpublished"] = paper.venue
        out.append(paper.replace(**changes))
    return out


def render_main(project: Project, taxonomy: Taxonomy) -> str:
    secs = sections([], taxonomy, [])
    headings = ["section", "subsection", "subsubsection", "paragraph"]
    return render(
        "main.tex",
        root=secs[0],
        sections=secs,
        heading=lambda depth: headings[min(depth, len(headings)) - 1],
    )


def load(project: Project) -> tuple[list[Paper], Taxonomy]:
    return bib.load(project.bib, project.settings.bib), project.taxonomy()


def outputs(project: Project, papers: list[Paper], taxonomy: Taxonomy) -> list[Output]:
    """Every output, rendered, before anything is written."""
    readme_path = project.path("readme")
    try:
        readme = readme_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReadmeError(f"{project.settings.readme}: no such file") from None
    secs = sections(papers, taxonomy)
    result = [Output(readme_path, render_readme(readme, project, secs))]
    generated = project.path("generated")
    for name, text in sorted(render_generated(project, papers, taxonomy, secs).items()):
        result.append(Output(generated / name, text))
    return result


def _stale_generated(project: Project, keep: set[Path]) -> list[Path]:
    folder = project.path("generated")
    if not folder.is_dir():
        return []
    stale = []
    for path in sorted(folder.iterdir()):
        if path in keep or path.suffix not in _OWN_SUFFIXES:
            continue
        first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if "Generated by vlabib" in first:
            stale.append(path)
    return stale


def build(project: Project) -> list[str]:
    """Write every output whose content changed; the changed paths, relative to the project."""
    papers, taxonomy = load(project)
    rendered = outputs(project, papers, taxonomy)
    changed = [project.rel(o.path) for o in rendered if write_if_changed(o.path, o.text)]
    for path in _stale_generated(project, {o.path for o in rendered}):
        path.unlink()
        changed.append(f"{project.rel(path)} (removed)")
    main = project.path("latex") / "main.tex"
    if not main.exists():
        atomic_write(main, render_main(project, taxonomy))
        changed.append(project.rel(main))
    return changed


def drift(project: Project, papers: list[Paper], taxonomy: Taxonomy) -> list[Problem]:
    """Outputs that differ from what ``build`` would write, and why."""
    problems = []
    rendered = outputs(project, papers, taxonomy)
    for out in rendered:
        name = project.rel(out.path)
        try:
            have = out.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(Problem(name, 0, "missing; run 'vlabib build'"))
            continue
        if have == out.text:
            continue
        if out.path == project.path("readme"):
            problems.append(_readme_drift(name, have))
        else:
            problems.append(_file_drift(name, have))
    for path in _stale_generated(project, {o.path for o in rendered}):
        problems.append(Problem(project.rel(path), 0, "no longer generated; run 'vlabib build'"))
    return problems


def _edited(text: str) -> bool:
    header, _, body = text.partition("\n")
    stated = stated_digest(header)
    return stated is None or stated != digest(body)


def _readme_drift(name: str, have: str) -> Problem:
    try:
        start, stop, line = region_bounds(have)
    except ReadmeError as exc:
        return Problem(name, 0, str(exc))
    region = have[start:stop].lstrip("\n")
    if _edited(region):
        return Problem(
            name,
            line,
            "the paper list was edited by hand; move the change into refs/ and run 'vlabib build'",
        )
    return Problem(name, line, "the paper list is stale; run 'vlabib build'")


def _file_drift(name: str, have: str) -> Problem:
    if _edited(have):
        return Problem(name, 1, "edited by hand; generated files are rewritten by 'vlabib build'")
    return Problem(name, 1, "stale; run 'vlabib build'")
