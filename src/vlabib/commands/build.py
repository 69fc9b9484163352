"""``vlabib build`` and the drift half of ``vlabib check``: load, render, then write only
what changed (or, for ``check``, compare with what is on disk and say why it differs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vlabib import bib, memo, parallel
from vlabib.config import Project
from vlabib.errors import BibError, ReadmeError
from vlabib.files import (
    leftovers,
    read_source,
    read_text,
    remove_stale_leftovers,
    unchanged,
    write_all,
)
from vlabib.model import Paper, Problem
from vlabib.outputs import readme
from vlabib.outputs.render import Output, content_digest, render
from vlabib.outputs.stamp import is_generated, is_stamped, was_edited
from vlabib.taxonomy import Taxonomy, category_problems

# Files under generated/ that vlabib never wrote are left alone (a figure, say).
_OWN_SUFFIXES = (".tex", ".bib", ".bst", ".md")


@dataclass(frozen=True)
class Survey:
    """Everything the outputs are made from, read once."""

    bib: bib.Snapshot
    taxonomy: Taxonomy
    readme: str
    citation: str = ""  # the survey's own BibTeX entry, for its website

    @property
    def papers(self) -> list[Paper]:
        return self.bib.papers


def load(project: Project, *, keep_now: bool = True) -> Survey:
    """The bib, the taxonomy and the README, each read once (on *keep_now*, see
    :func:`vlabib.bib.read`)."""
    snapshot = bib.read(project.bib, project.settings.bib, keep_now=keep_now)
    taxonomy = project.taxonomy()
    try:
        text = read_source(project.path("readme"), project.settings.readme, ReadmeError)
    except FileNotFoundError:
        raise ReadmeError(f"{project.settings.readme}: no such file") from None
    return Survey(snapshot, taxonomy, text, _citation(project))


def _citation(project: Project) -> str:
    """The survey's own BibTeX (the ``citation`` setting), checked like every bib entry."""
    if not project.settings.citation:
        return ""
    path = project.path("citation")
    try:
        text = read_source(path, project.settings.citation, BibError, root=project.root)
    except FileNotFoundError:
        raise BibError(
            f"{project.settings.citation}: no such file; the citation setting names the "
            "survey's own BibTeX entry"
        ) from None
    return text


def outputs(project: Project, survey: Survey) -> list[Output]:
    return render(survey.papers, survey.taxonomy, project.settings, survey.readme, survey.citation)


def _stale_generated(project: Project, keep: set[Path]) -> list[Path]:
    folder = project.path("generated")
    if not folder.is_dir():
        return []
    stale = []
    for path in sorted(folder.iterdir()):
        if path in keep or path.suffix not in _OWN_SUFFIXES:
            continue
        first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if is_generated(first):
            stale.append(path)
    return stale


def build(project: Project, *, force: bool = False) -> list[str]:
    """Write every output whose content changed; the changed paths, relative to the project.
    A paper that no output would show (no category, or an unknown one) stops it first, and
    so does a paper typed into the README's list by hand (unless *force*: it is dropped)."""
    survey = load(project, keep_now=False)  # the parse is remembered beside the render
    made = remembered_outputs(project, survey)
    if made is not None:
        # Made from these very inputs by this very code, and every output still holds what
        # was written: nothing to render (what a build killed midway left, aside).
        bib.keep(survey.bib)
        _stop(_lost(project, survey), [])
        return _tidy(project, made, [])
    # What would stop the build is looked for beside the render (for a large survey).
    rendered, (lost, typed) = parallel.both(
        lambda: outputs(project, survey),
        lambda: _beside_render(project, survey, force),
        fork=len(survey.papers) >= parallel.LARGE,
    )
    _stop(lost, typed)
    root = project.root
    writes = [
        (root / o.path, o.text)
        for o in rendered
        if o.owned and not unchanged(root / o.path, o.text)
    ]
    # The skeleton (main.tex, prose stubs) is the authors': written only when missing.
    writes += [
        (root / o.path, o.text) for o in rendered if not o.owned and not (root / o.path).exists()
    ]
    changed = _tidy(project, [o.path for o in rendered], writes)
    remember_outputs(project, survey, rendered)
    return changed


def _beside_render(
    project: Project, survey: Survey, force: bool
) -> tuple[list[Problem], list[Problem]]:
    """What would stop the build, and the bib's parse remembered for the next command: work
    that takes less time than the render, done beside it."""
    bib.keep(survey.bib)
    return _lost(project, survey), [] if force else hand_edits(project, survey)


def _lost(project: Project, survey: Survey) -> list[Problem]:
    """Papers no output would show: no category, or an unknown one."""
    return category_problems(survey.papers, survey.taxonomy, project.settings.bib)


def _stop(lost: list[Problem], typed: list[Problem]) -> None:
    """Stop the build, nothing written, for papers no output would show (first), or for
    papers typed into the README's list by hand."""
    if lost:
        raise BibError(
            "\n".join(p.line_text().removeprefix("Error: ") for p in lost)
            + "\nnothing was written; fix the categories and run 'vlabib build' again"
        )
    if typed:
        raise ReadmeError(
            "\n".join(p.line_text().removeprefix("Error: ") for p in typed)
            + "\nnothing was written; or run 'vlabib build --force' to drop "
            "them from the list"
        )


def _tidy(project: Project, paths: list[str], writes: list[tuple[Path, str]]) -> list[str]:
    """Write *writes* (all or none), then remove what no output is any longer and what a
    build killed midway left beside an output; what changed, relative to the project."""
    root = project.root
    stale = _stale_generated(project, {root / p for p in paths})
    for path in paths:
        remove_stale_leftovers(root / path)
    write_all(writes, root=root)  # every output staged before the first is replaced
    for gone in stale:
        gone.unlink()
    return [project.rel(p) for p, _ in writes] + [f"{project.rel(p)} (removed)" for p in stale]


_OUTPUTS = "outputs"


def _outputs_key(project: Project, survey: Survey) -> bytes:
    """Everything the outputs are made from: the code that renders them, the bib, the
    taxonomy, the settings, the README around the list and the survey's own citation."""
    code = memo.code_version("**/*.py", "outputs/templates/**/*")
    return memo.digest(
        code,
        survey.bib.digest,
        repr(survey.taxonomy),
        repr(project.settings),
        *_around_list(survey.readme),
        survey.citation,
    )


def _around_list(text: str) -> tuple[str, ...]:
    """The README around its list, which is all of it the outputs are made from (the list
    is made, not read); all of it when it has no list to find (nothing is then made)."""
    try:
        start, stop, _ = readme.region_bounds(text)
    except ReadmeError:
        return (text,)
    return text[:start], text[stop:]


def remember_outputs(project: Project, survey: Survey, rendered: list[Output]) -> None:
    """Remember what *rendered* holds, keyed by its inputs (the README around its list is
    the same once the list in it is made)."""
    memo.remember(
        _OUTPUTS,
        _outputs_key(project, survey),
        [(o.path, o.digest, o.owned) for o in rendered],
    )


def remembered_outputs(project: Project, survey: Survey) -> list[str] | None:
    """The outputs' paths when a build (or a clean check) made them from these very inputs
    and each still holds what was made (the skeleton: still exists); else None."""
    record = memo.recall(_OUTPUTS, _outputs_key(project, survey))
    if not isinstance(record, list):
        return None
    for path, digest, owned in record:
        target = project.root / path
        if not owned:
            if not target.exists():
                return None
            continue
        try:
            if content_digest(read_text(target)) != digest:
                return None
        except (OSError, UnicodeDecodeError):
            return None
    return [path for path, _, _ in record]


def drift(project: Project, survey: Survey, rendered: list[Output]) -> list[Problem]:
    """Outputs that differ from what ``build`` would write, and why (the README as the
    survey read it)."""
    problems = []
    for out in rendered:
        if not out.owned:
            continue
        try:
            have = survey.readme if out.region else read_text(project.root / out.path)
        except FileNotFoundError:
            problems.append(Problem(out.path, 0, "missing; run 'vlabib build'"))
            continue
        if have == out.text:
            continue
        if out.region:
            problems.append(_readme_drift(out.path, have, out.text))
        else:
            problems.append(_file_drift(out.path, have, out.text))
    return problems + strays(project, [o.path for o in rendered])


def strays(project: Project, paths: list[str]) -> list[Problem]:
    """Generated files no output is any longer, and what an interrupted write of an
    output (at *paths*) left beside it."""
    problems = [
        Problem(project.rel(path), 0, "no longer generated; run 'vlabib build'")
        for path in _stale_generated(project, {project.root / p for p in paths})
    ]
    for path in paths:
        problems += [
            Problem(
                project.rel(left),
                0,
                f"a temporary file an interrupted write of {path} left; 'vlabib build' removes it",
                warning=True,
            )
            for left in leftovers(project.root / path)
        ]
    return problems


def hand_edits(project: Project, survey: Survey) -> list[Problem]:
    """Papers typed into the generated list by hand, each with the command that adds it."""
    try:
        edited = was_edited(readme.region(survey.readme))
    except ReadmeError:
        return []
    if not edited:
        return []
    keys = {p.key for p in survey.papers}
    leaves = {leaf.title.casefold(): leaf.id for leaf in survey.taxonomy.leaves}
    name, bib_name = project.settings.readme, project.settings.bib
    return [
        Problem(
            name,
            p.line,
            f"{p.key} was added to the generated list by hand; the list "
            f"is made from {bib_name}: 'vlabib build --absorb' takes it in (or "
            f"{readme.add_command(p, bib_name)})",
        )
        for p in readme.hand_added(survey.readme, keys, leaves)
    ]


def _readme_drift(name: str, have: str, want: str = "") -> Problem:
    try:
        _, _, line = readme.region_bounds(have)
    except ReadmeError as exc:
        return Problem(name, 0, str(exc))
    if not readme.region(have).strip():
        return Problem(name, line, "the paper list has not been generated yet; run 'vlabib build'")
    if was_edited(readme.region(have)):
        where = readme.first_difference(have, want) if want else line
        return Problem(
            name,
            where,
            "the generated paper list was edited by hand here; make the change in refs/ "
            "(vlabib add, or the bib and taxonomy files) and run 'vlabib build'",
        )
    return Problem(name, line, "the paper list is stale; run 'vlabib build'")


def _file_drift(name: str, have: str, want: str) -> Problem:
    """A generated file that differs: edited by hand when its stamp says so; a file that
    cannot carry a stamp (papers.json) is only ever called stale."""
    if is_stamped(want) and was_edited(have):
        return Problem(name, 1, "edited by hand; generated files are rewritten by 'vlabib build'")
    return Problem(name, 1, "stale; run 'vlabib build'")
