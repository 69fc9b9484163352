"""``vlabib check``: every problem in the survey's data, one line each."""

from __future__ import annotations

from vlabib import bib, memo, parallel
from vlabib.commands import build
from vlabib.commands.manuscript_lint import lint_manuscript
from vlabib.config import Project
from vlabib.model import Paper, Problem
from vlabib.neardup import similar_pairs
from vlabib.outputs.render import Output, manuscript_paths
from vlabib.taxonomy import Taxonomy, category_problems
from vlabib.tex.encode import pdf_missing
from vlabib.tex.read import latex_to_text
from vlabib.tex.tools import runnable_files
from vlabib.titles import norm_title


def remembered_lint(snapshot: bib.Snapshot, taxonomy: Taxonomy, path: str) -> list[Problem]:
    """:func:`lint_bib`, remembered by the bib's text, the taxonomy and the code."""
    key = memo.digest(memo.code_version("**/*.py"), snapshot.digest, repr(taxonomy), path)
    rows = memo.recall("lint", key)
    if isinstance(rows, list):
        return [Problem(*row) for row in rows]
    problems = lint_bib(snapshot.text, snapshot.papers, taxonomy, path)
    memo.remember("lint", key, [(p.path, p.line, p.message, p.warning) for p in problems])
    return problems


def lint_bib(text: str, papers: list[Paper], taxonomy: Taxonomy, path: str) -> list[Problem]:
    """Problems in a bib that parsed: categories, duplicates, missing urls, formatting."""
    problems: list[Problem] = []
    problems += category_problems(papers, taxonomy, path)
    unfilled = [p for p in papers if not p.get("author") and p.arxiv_id]
    if unfilled:
        problems.append(Problem(path, unfilled[0].line, _unfilled(unfilled), warning=True))
    for paper in papers:
        if paper.resource:  # a repository or a blog post need not say who or when
            pass
        elif not paper.get("author") and not paper.arxiv_id:
            problems.append(
                Problem(
                    path,
                    paper.line,
                    f"entry {paper.key} has no author; add author = {{Last, First and …}}",
                    warning=True,
                )
            )
        if not paper.year and not paper.resource:
            problems.append(
                Problem(path, paper.line, f"entry {paper.key} has no year", warning=True)
            )
        problems += _unprintable(paper, path)
        if not paper.get("url") and "ids" not in paper.fields:  # adopted: as its bib had it
            problems.append(
                Problem(path, paper.line, f"entry {paper.key} has no url; add url = {{https://…}}")
            )
    problems += _duplicates(papers, path)
    line = bib.first_difference(text, papers)
    if line:
        problems.append(Problem(path, line, "not in canonical format; run 'vlabib fmt'"))
    return sorted(problems)


def _unprintable(paper: Paper, path: str) -> list[Problem]:
    """A warning for each field whose characters no font of the PDF has."""
    return [
        Problem(
            path,
            paper.line,
            f"entry {paper.key}: {name}: {_named(missing)} shown in the README, left out of "
            "the PDF (no font pdflatex has prints it)",
            warning=True,
        )
        for name in ("title", "author")
        if (missing := pdf_missing(paper.get(name)))
    ]


def _named(chars: list[str]) -> str:
    """Characters as a reader can find them: each with its code point."""
    return ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in dict.fromkeys(chars))


def _unfilled(papers: list[Paper]) -> str:
    """One warning for every arXiv paper without authors (an offline import leaves them)."""
    shown = ", ".join(p.key for p in papers[:3]) + (", …" if len(papers) > 3 else "")
    if len(papers) == 1:
        return f"entry {shown} has no author; fill it in from arXiv with 'vlabib update --fill'"
    return (
        f"{len(papers)} arXiv papers have no author ({shown}); fill them in from arXiv with "
        "'vlabib update --fill'"
    )


def _duplicates(papers: list[Paper], path: str) -> list[Problem]:
    problems = []
    by_eprint: dict[str, Paper] = {}
    for paper in papers:
        eprint = paper.arxiv_id
        if eprint and eprint in by_eprint:
            first = by_eprint[eprint]
            problems.append(
                Problem(
                    path,
                    paper.line,
                    f"entry {paper.key} has arXiv ID {eprint} like entry {first.key}; merge them",
                )
            )
        by_eprint.setdefault(eprint, paper) if eprint else None
    # Titles at most two edits apart and nearly identical (vlabib.neardup).
    texts = [latex_to_text(p.title) for p in papers]
    # A title in a script without Latin letters (Chinese, Japanese) normalises to nothing:
    # compared as it is written, or every such title would be every other's duplicate.
    titles = [norm_title(t) or " ".join(t.lower().split()) for t in texts]
    kept = [n for n, title in enumerate(titles) if title]
    for x, y in similar_pairs([titles[n] for n in kept]):
        a, b = papers[kept[x]], papers[kept[y]]
        # Two entries a manuscript's own bib kept apart (a paper and its journal version)
        # are the authors' choice: said, not an error.
        kept_apart = "ids" in a.fields and "ids" in b.fields
        problems.append(
            Problem(
                path,
                b.line,
                f"entry {b.key} has nearly the same title as {a.key}; a duplicate?",
                warning=kept_apart,
            )
        )
    return problems


def check_project(project: Project) -> list[Problem]:
    """Every problem in the bib, the outputs and the manuscript (loading errors raise)."""
    survey = build.load(project, keep_now=False)  # remembered beside the render
    papers, taxonomy = survey.papers, survey.taxonomy
    # The outputs (rendered, unless remembered), beside the rest of the check (for a large
    # survey, on two cores).
    (made, rendered), problems = parallel.both(
        lambda: _outputs(project, survey),
        lambda: _data_problems(project, survey),
        fork=len(papers) >= parallel.LARGE,
    )
    if rendered is None:  # the files hold what these inputs make: only strays to report
        problems += build.strays(project, made)
    else:
        found = build.drift(project, survey, rendered)
        if not found:
            build.remember_outputs(project, survey, rendered)
        problems += found
    problems += [
        Problem(
            project.rel(path),
            0,
            f"{what}: vlabib never runs it (latexmk gets -norc), but other tools may; delete it "
            "unless you trust whoever wrote it",
            warning=True,
        )
        for path, what in runnable_files(project.path("latex"))
    ]
    filed = {category for paper in papers for category in paper.categories}
    problems += [
        Problem(project.settings.taxonomy, 0, f"leaf {leaf.id} has no papers yet", True)
        for leaf in taxonomy.leaves
        if leaf.id not in filed
    ]
    return sorted(problems, key=lambda p: (p.warning, p.path, p.line, p.message))


def _outputs(project: Project, survey: build.Survey) -> tuple[list[str], list[Output] | None]:
    """The outputs' paths, and what render makes of the survey, unless the files are
    remembered to hold it already (then None)."""
    made = build.remembered_outputs(project, survey)
    if made is not None:
        return made, None
    rendered = build.outputs(project, survey)
    return [o.path for o in rendered], rendered


def _data_problems(project: Project, survey: build.Survey) -> list[Problem]:
    """What check says of the survey's own data, whatever the outputs hold: the bib's lint,
    papers typed into the README's list by hand, what the manuscript refers to."""
    bib.keep(survey.bib)  # the parse, for the next command: beside the render, which is longer
    papers, taxonomy = survey.papers, survey.taxonomy
    problems = remembered_lint(survey.bib, taxonomy, project.settings.bib)
    problems += build.hand_edits(project, survey)
    will_write = set(manuscript_paths(papers, taxonomy, project.settings))
    return problems + lint_manuscript(project, papers, taxonomy, will_write)
