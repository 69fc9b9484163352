"""``vlabib check``: every problem in the survey's data, one line each."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from vlabib import bib, build
from vlabib.config import Project
from vlabib.model import Paper, Problem
from vlabib.taxonomy import Taxonomy
from vlabib.texread import latex_to_text
from vlabib.titles import norm_title


def lint_bib(text: str, papers: list[Paper], taxonomy: Taxonomy, path: str) -> list[Problem]:
    """Problems in a bib that parsed: categories, duplicates, missing urls, formatting."""
    problems: list[Problem] = []
    leaves = {leaf.id for leaf in taxonomy.leaves}
    for paper in papers:
        if not paper.categories:
            problems.append(
                Problem(
                    path, paper.line, f"entry {paper.key} has no category; add keywords = {{LEAF}}"
                )
            )
        for cat in paper.categories:
            if cat not in leaves:
                problems.append(
                    Problem(path, paper.line, _unknown_category(paper.key, cat, taxonomy))
                )
        if not paper.get("author"):
            problems.append(Problem(path, paper.line, _no_author(paper), warning=True))
        if not paper.year:
            problems.append(
                Problem(path, paper.line, f"entry {paper.key} has no year", warning=True)
            )
        if not paper.get("url"):
            problems.append(
                Problem(path, paper.line, f"entry {paper.key} has no url; add url = {{https://…}}")
            )
    problems += _duplicates(papers, path)
    canonical = bib.write_string(papers)
    if canonical != text:
        line = _first_difference(text, canonical)
        problems.append(Problem(path, line, "not in canonical format; run 'vlabib fmt'"))
    return sorted(problems)


def _no_author(paper: Paper) -> str:
    if paper.arxiv_id:
        return f"entry {paper.key} has no author; fill it in with 'vlabib add {paper.key}'"
    return f"entry {paper.key} has no author; add author = {{Last, First and …}}"


def _unknown_category(key: str, cat: str, taxonomy: Taxonomy) -> str:
    if cat in taxonomy:
        leaves = ", ".join(taxonomy.leaves_under(cat))
        return f"entry {key}: category {cat} is a heading with sub-headings; use one of: {leaves}"
    ids = [leaf.id for leaf in taxonomy.leaves]
    close = difflib.get_close_matches(cat, ids, n=1)
    hint = f"did you mean {close[0]}?" if close else "see refs/taxonomy.toml"
    return f"entry {key}: unknown category {cat} ({hint})"


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
    # Near-identical titles: compare only titles that share their first two words, so the
    # check stays linear in practice on large bibliographies.
    buckets: dict[str, list[tuple[str, Paper]]] = defaultdict(list)
    for paper in papers:
        title = norm_title(latex_to_text(paper.title))
        buckets[" ".join(title.split()[:2])].append((title, paper))
    for bucket in buckets.values():
        for i, (title_a, a) in enumerate(bucket):
            for title_b, b in bucket[i + 1 :]:
                if (
                    title_a == title_b
                    or difflib.SequenceMatcher(None, title_a, title_b).ratio() > 0.95
                ):
                    problems.append(
                        Problem(
                            path,
                            b.line,
                            f"entry {b.key} has nearly the same title as {a.key}; a duplicate?",
                        )
                    )
    return problems


def _first_difference(text: str, canonical: str) -> int:
    for number, (have, want) in enumerate(
        zip(text.splitlines(), canonical.splitlines(), strict=False), 1
    ):
        if have != want:
            return number
    return min(len(text.splitlines()), len(canonical.splitlines())) + 1


def check_project(project: Project) -> list[Problem]:
    """Every problem in the bib, the outputs and the manuscript (loading errors raise)."""
    display = project.settings.bib
    survey = build.load(project)
    papers, taxonomy = survey.papers, survey.taxonomy
    problems = lint_bib(survey.bib.text, papers, taxonomy, display)
    problems += build.drift(project, build.outputs(project, survey))
    problems += lint_manuscript(project, papers, taxonomy)
    for leaf in taxonomy.leaves:
        if not any(leaf.id in p.categories for p in papers):
            problems.append(
                Problem(project.settings.taxonomy, 0, f"leaf {leaf.id} has no papers yet", True)
            )
    return sorted(problems, key=lambda p: (p.warning, p.path, p.line, p.message))


_COMMENT_RE = re.compile(r"(?<!\\)%.*")
_CITE_RE = re.compile(r"\\([A-Za-z]*cite[A-Za-z]*)\*?\s*(?:\[[^\]]*\]\s*){0,2}\{([^}]*)\}")


def lint_manuscript(project: Project, papers: list[Paper], taxonomy: Taxonomy) -> list[Problem]:
    """``\\cite`` keys the bib lacks, unknown ``\\vlacite`` nodes, papers never cited."""
    latex = project.path("latex")
    generated = project.path("generated")
    keys = {p.key for p in papers}
    cited: set[str] = set()
    problems = []
    for path in sorted(latex.rglob("*.tex")) if latex.is_dir() else []:
        if generated in path.parents:
            continue
        name = project.rel(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for m in _CITE_RE.finditer(_COMMENT_RE.sub("", line)):
                command, args = m.group(1), [a.strip() for a in m.group(2).split(",")]
                for arg in filter(None, args):
                    if command in ("vlacite", "vlacount"):
                        if arg not in taxonomy:
                            problems.append(
                                Problem(
                                    name, number, f"\\{command}{{{arg}}}: no such taxonomy node"
                                )
                            )
                        else:
                            for leaf in taxonomy.leaves_under(arg):
                                cited |= {p.key for p in papers if leaf in p.categories}
                    elif arg not in keys:
                        problems.append(
                            Problem(
                                name,
                                number,
                                f"\\{command}{{{arg}}}: {arg} is not in the bib; "
                                f"add it with 'vlabib add {arg}'",
                            )
                        )
                    else:
                        cited.add(arg)
    if latex.is_dir():
        for paper in papers:
            if paper.key not in cited:
                problems.append(
                    Problem(
                        project.settings.bib,
                        paper.line,
                        f"{paper.key} is never cited in the manuscript",
                        True,
                    )
                )
    return problems
