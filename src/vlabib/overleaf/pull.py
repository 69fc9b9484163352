"""``vlabib overleaf pull``: co-authors' Overleaf edits into the manuscript folder."""

from __future__ import annotations

from dataclasses import replace

from vlabib.config import Project
from vlabib.files import atomic_write
from vlabib.model import Report
from vlabib.overleaf import plan as syncplan
from vlabib.overleaf.session import (
    DISAGREE,
    choices,
    incoming,
    open_session,
    refuse,
    resolving,
    settle,
    write_here,
)
from vlabib.tex.tools import runnable


def pull(
    project: Project,
    *,
    dry_run: bool = False,
    ours: tuple[str, ...] = (),
    theirs: tuple[str, ...] = (),
) -> Report:
    """Bring co-authors' Overleaf edits into the manuscript folder: clean merges are
    written, conflicting prose gets both wordings between conflict markers, anything else
    asks for a flag."""
    sync = open_session(project)
    mine, their = choices(sync, ours, theirs)
    plan = incoming(sync, mine, their)
    refuse(sync, plan.refusals, DISAGREE)
    if dry_run:
        lines = [f"would write {sync.shown(c.path)} ({c.how})" for c in plan.here]
        return Report(
            (*lines, "dry run: nothing was changed")
            if lines
            else ("up to date with Overleaf (dry run)",)
        )
    done = write_here(sync, plan.here)
    settle(sync)
    if plan.conflicts:
        state = resolving(sync)
        known = state.read_text().split("\n") if state.exists() else []
        atomic_write(state, "\n".join(sorted({*known, *plan.conflicts} - {""})) + "\n")
    latex = project.path("latex")
    errors = [
        f"{sync.shown(path)}:{syncplan.marker_line((latex / path).read_bytes())}: edited here "
        "and on Overleaf; both wordings are between the <<<<<<< and >>>>>>> lines: keep the one "
        "you want, delete the marker lines, then push"
        for path in plan.conflicts
    ]
    lines = (done or ["up to date with Overleaf"]) + (_manuscript_warnings(project) if done else [])
    notes = [
        f"{sync.shown(c.path)}: {what} came from Overleaf; vlabib never runs it (latexmk gets "
        "-norc); delete it unless you trust whoever wrote it"
        for c in plan.here
        if (what := runnable(c.path))
    ]
    return Report(tuple(lines), notes=tuple(notes), errors=tuple(errors))


def _manuscript_warnings(project: Project) -> list[str]:
    """Co-authors may cite papers the bib lacks: say so now ('vlabib check' will too)."""
    from vlabib.commands import build
    from vlabib.commands.manuscript_lint import lint_manuscript

    survey = build.load(project)
    will_write = {o.path for o in build.outputs(project, survey)}
    problems = lint_manuscript(project, survey.papers, survey.taxonomy, will_write)
    return [
        replace(p, warning=True).line_text()
        for p in problems
        if not p.warning and "unresolved conflict" not in p.message  # said as an error
    ]
