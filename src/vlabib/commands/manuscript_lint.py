"""What a manuscript refers to, read from its main file through every ``\\input`` it
reaches: files that are missing or outside latex/, cite keys the bib lacks, unknown taxonomy
nodes, prose files nothing reaches, papers nothing cites, unresolved conflict markers.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from pathlib import Path, PurePosixPath

from vlabib.commands.old_keys import old_keys
from vlabib.config import Project
from vlabib.errors import VlabibError
from vlabib.files import read_source
from vlabib.ids import is_arxiv_id
from vlabib.model import Paper, Problem
from vlabib.outputs.manuscript import SECTIONS, is_untouched_stub
from vlabib.taxonomy import Taxonomy
from vlabib.tex.read import Reference, references


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
