"""``vlabib check``: every problem in the survey's data, one line each."""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from pathlib import Path, PurePosixPath

from vlabib import bib, memo
from vlabib.commands import build
from vlabib.commands.old_keys import old_keys
from vlabib.config import Project
from vlabib.errors import VlabibError
from vlabib.files import read_source
from vlabib.ids import is_arxiv_id
from vlabib.model import Paper, Problem
from vlabib.neardup import similar_pairs
from vlabib.outputs.manuscript import SECTIONS, is_untouched_stub
from vlabib.parallel import both
from vlabib.taxonomy import Taxonomy, category_problems
from vlabib.tex.encode import pdf_missing
from vlabib.tex.read import Reference, latex_to_text, references
from vlabib.tex.tools import runnable_files
from vlabib.titles import norm_title


def remembered_lint(text: str, papers: list[Paper], taxonomy: Taxonomy, path: str) -> list[Problem]:
    """:func:`lint_bib`, remembered by the bib's text, the taxonomy and the code."""
    key = memo.digest(memo.code_version("**/*.py"), memo.text_digest(text), repr(taxonomy), path)
    rows = memo.recall("lint", key)
    if isinstance(rows, list):
        return [Problem(*row) for row in rows]
    problems = lint_bib(text, papers, taxonomy, path)
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


_FORK_FROM = 2000  # papers; below, a fork costs more than it saves


def check_project(project: Project) -> list[Problem]:
    """Every problem in the bib, the outputs and the manuscript (loading errors raise)."""
    display = project.settings.bib
    survey = build.load(project)
    papers, taxonomy = survey.papers, survey.taxonomy
    made = build.remembered_outputs(project, survey)
    if made is None:  # render (beside the lint, for a large survey), say how files differ
        rendered, problems = both(
            lambda: build.outputs(project, survey),
            lambda: remembered_lint(survey.bib.text, papers, taxonomy, display),
            fork=len(papers) >= _FORK_FROM,
        )
        found = build.drift(project, rendered)
        if not found:
            build.remember_outputs(project, survey, rendered)
        problems += found
        made = [o.path for o in rendered]
    else:  # the files hold what these inputs make: only strays to report
        problems = remembered_lint(survey.bib.text, papers, taxonomy, display)
        problems += build.strays(project, made)
    problems += build.hand_edits(project, survey)
    problems += lint_manuscript(project, papers, taxonomy, set(made))
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
    for leaf in taxonomy.leaves:
        if not any(leaf.id in p.categories for p in papers):
            problems.append(
                Problem(project.settings.taxonomy, 0, f"leaf {leaf.id} has no papers yet", True)
            )
    return sorted(problems, key=lambda p: (p.warning, p.path, p.line, p.message))


def lint_manuscript(
    project: Project, papers: list[Paper], taxonomy: Taxonomy, will_write: set[str]
) -> list[Problem]:
    """What the manuscript refers to, read from ``main.tex`` through every ``\\input`` it
    reaches: files that are missing, cite keys the bib lacks, unknown taxonomy nodes; then
    prose files nothing reaches and papers nothing cites. *will_write* holds the outputs
    ``build`` writes (relative to the project): those are reported as drift, not here."""
    main = project.path("latex") / project.settings.main
    if not main.is_file():
        return []
    refs, seen, problems = _follow_inputs(project, main, will_write)
    problems += _appendix_unreached(project, main, seen)
    cited, unknown = _cited(refs, papers, taxonomy, project.settings.cite_prefix)
    problems += unknown
    problems += _unused_prose(project, seen, taxonomy)
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


def _appendix_unreached(project: Project, main: Path, seen: set[Path]) -> list[Problem]:
    """With the tables in the appendix, a main file that never inputs it (one made before
    the setting) would print no table at all."""
    appendix = project.path("generated") / "appendix.tex"
    if project.settings.tables != "appendix" or not appendix.is_file() or appendix in seen:
        return []
    name = PurePosixPath(project.settings.generated).relative_to(project.settings.latex)
    return [
        Problem(
            project.rel(main),
            0,
            f'tables = "appendix", but nothing inputs {project.rel(appendix)}: add '
            f"\\input{{{name}/appendix}} after \\bibliography",
        )
    ]


def _cited(
    refs: list[tuple[str, Reference]], papers: list[Paper], taxonomy: Taxonomy, prefix: str
) -> tuple[set[str], list[Problem]]:
    """The keys the manuscript cites (a node's cite list cites its subtree's papers), and
    the references to keys and nodes that do not exist."""
    keys = {p.key for p in papers}
    renamed = old_keys(papers)
    by_leaf: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        for cat in paper.categories:
            by_leaf[cat].append(paper.key)
    cited: set[str] = set()
    problems = []
    for name, ref in refs:
        if ref.argument == "*":  # the whole survey
            cited |= keys if ref.command != "nodecount" else set()
        elif ref.command in ("nodecite", "nodecount") and ref.argument not in taxonomy:
            problems.append(Problem(name, ref.line, _unknown_node(ref, taxonomy, prefix)))
        elif ref.command == "nodecite":
            for leaf in taxonomy.leaves_under(ref.argument):
                cited.update(by_leaf[leaf])
        elif ref.command != "nodecount":
            key, problem = _cited_key(ref.argument, keys, renamed)
            cited |= {key} if key else set()
            problems += [Problem(name, ref.line, problem)] if problem else []
    return cited, problems


def _cited_key(argument: str, keys: set[str], renamed: dict[str, str]) -> tuple[str, str]:
    """The key a ``\\cite`` names (an old one through ``ids``), and what is wrong with it."""
    if argument in keys:
        return argument, ""
    if argument in renamed:
        return renamed[argument], (
            f"{argument} is {renamed[argument]} now; 'vlabib fmt --cites' rewrites it"
        )
    how = f"add it with 'vlabib add {argument}'" if is_arxiv_id(argument) else "add its entry"
    return "", f"\\cite{{{argument}}}: {argument} is not in the bib; {how}"


def _follow_inputs(
    project: Project, main: Path, will_write: set[str]
) -> tuple[list[tuple[str, Reference]], set[Path], list[Problem]]:
    """Every file ``main.tex`` reaches through ``\\input``/``\\include``: their cites and
    node references, the files reached, and the inputs that are missing or leave latex/."""
    latex = project.path("latex")
    refs: list[tuple[str, Reference]] = []
    problems: list[Problem] = []
    seen, queue = {main}, [main]
    while queue:
        path = queue.pop(0)
        name = project.rel(path)
        try:
            text = read_source(path, name, root=project.root)
        except VlabibError as exc:
            problems.append(Problem(name, 0, str(exc).removeprefix(f"{name}: ")))
            continue
        problems += _conflict_markers(name, text)
        # vlabib's own files are read by their known shape (a hand edit of one is drift).
        own = name in will_write and name.startswith(project.settings.generated + "/")
        prefix = project.settings.cite_prefix
        for ref in _own_references(text, prefix) if own else references(text, prefix):
            if ref.command not in ("input", "include"):
                refs.append((name, ref))
                continue
            target = _tex_file(latex, ref.argument, ref.command)
            if target is None:
                problems.append(
                    Problem(
                        name,
                        ref.line,
                        f"\\{ref.command}{{{ref.argument}}}: "
                        f"outside {project.settings.latex}/, which the compile may not read",
                    )
                )
            elif target.is_file():
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
            elif project.rel(target) not in will_write:
                problems.append(Problem(name, ref.line, _missing_input(ref.command, ref.argument)))
    return refs, seen, problems


_COMMENT_RE = re.compile(r"(?<!\\)%.*")


def _own_references(text: str, prefix: str) -> list[Reference]:
    """The references in a file vlabib generated, read by its known shape: ``\\input`` and
    ``\\cite`` lists outside comments."""
    pattern = _own_pattern(prefix)
    out = []
    line, counted = 1, 0
    for m in pattern.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        start = text.rfind("\n", 0, m.start()) + 1
        if "%" in text[start : m.end()] and _COMMENT_RE.search(text[start : m.end()]):
            continue  # commented out, or cut short by a comment
        command = m.group(1).replace(prefix + "c", "nodec")
        out += [Reference(command, a.strip(), line) for a in m.group(2).split(",") if a.strip()]
    return out


@functools.cache
def _own_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"\\(input|cite|{prefix}cite|{prefix}count)\{{([^}}\n]*)\}}")


def _conflict_markers(name: str, text: str) -> list[Problem]:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(("<<<<<<< ", ">>>>>>> ")):
            return [
                Problem(
                    name,
                    number,
                    "an unresolved conflict from 'vlabib overleaf pull': "
                    "keep the wording you want, delete the marker lines",
                )
            ]
    return []


def _tex_file(latex: Path, name: str, command: str) -> Path | None:
    """The file ``\\input{name}`` reads, as TeX finds it from latex/ (None: outside it)."""
    path = (latex / name).resolve()
    if command == "include" or not path.suffix:
        path = path.with_name(path.name + ".tex")
    root = latex.resolve()
    return path if path.is_relative_to(root) else None


def _missing_input(command: str, name: str) -> str:
    if name.startswith("generated/"):
        return (
            f"\\{command}{{{name}}}: vlabib no longer writes this file (a renamed or "
            "removed taxonomy node?); remove the line"
        )
    return f"\\{command}{{{name}}}: no such file; create it or remove the line"


def _unknown_node(ref: Reference, taxonomy: Taxonomy, prefix: str) -> str:
    close = difflib.get_close_matches(ref.argument, [n.id for n in taxonomy.nodes], n=1)
    hint = f" (did you mean {close[0]}?)" if close else f"; see {taxonomy.source or 'the taxonomy'}"
    macro = ref.command.replace("node", prefix, 1)
    return f"\\{macro}{{{ref.argument}}}: no such taxonomy node{hint}"


def _unused_prose(project: Project, reached: set[Path], taxonomy: Taxonomy) -> list[Problem]:
    """Prose files in latex/sections/ that the manuscript no longer reads."""
    folder = project.path("latex") / SECTIONS
    problems = []
    for path in sorted(folder.glob("*.tex")) if folder.is_dir() else []:
        if path.resolve() in reached or path in reached:
            continue
        node = path.stem
        if node in taxonomy:
            why, warning = "no \\input reads it; keep \\input{generated/body} in main.tex", True
        else:
            why = (
                "its node is not in the taxonomy; 'vlabib rename OLD NEW' moves a node with "
                "its prose, or delete the file"
            )
            # Someone's words that no output shows are an error; an untouched stub is not.
            text = read_source(path, project.rel(path), root=project.root)
            warning = is_untouched_stub(text)
        problems.append(Problem(project.rel(path), 0, f"not in the manuscript: {why}", warning))
    return problems
