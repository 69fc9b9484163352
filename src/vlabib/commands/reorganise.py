"""``vlabib move`` and ``vlabib rename``: reorganising a survey in one step each.

``move PAPER… --to LEAF [--from LEAF]`` files papers under another leaf. ``rename OLD NEW
[--title T]`` renames a taxonomy node: its id in taxonomy.toml (every ``parent`` too, the
file's comments and layout kept), every paper's ``keywords``, its prose file
``sections/OLD.tex`` (moved, never lost), every ``\\PREFIXcite{OLD}``/``\\PREFIXcount{OLD}``
in the manuscript; with a new title, the README's old anchor keeps working (``anchors``).
Each is one transaction: every file is written at once, or none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from vlabib import bib
from vlabib.config import Project
from vlabib.errors import ConfigError, VlabibError
from vlabib.files import read_source, write_all
from vlabib.model import Paper
from vlabib.outputs.manuscript import SECTIONS
from vlabib.outputs.view import github_slug
from vlabib.remote.entries import keywords_value
from vlabib.taxonomy import Taxonomy, is_node_id, parse_taxonomy, toml_string
from vlabib.tex.read.cites import rewritten


def move(
    project: Project,
    keys: Sequence[str],
    to: str,
    *,
    from_leaf: str = "",
    dry_run: bool = False,
) -> list[str]:
    """File *keys* under the leaf *to* (instead of *from_leaf*, or of all their leaves)."""
    taxonomy = project.taxonomy()
    for leaf in (to, from_leaf):
        if leaf and (leaf not in taxonomy or not taxonomy[leaf].is_leaf):
            raise ConfigError(f"{leaf}: no such leaf in {project.settings.taxonomy}")
    said = []
    with bib.transaction(
        project.bib, project.settings.bib, dry_run=dry_run, root=project.root
    ) as change:
        unknown = [k for k in keys if k not in change.papers]
        if unknown:
            raise VlabibError(f"{', '.join(unknown)}: not in {project.settings.bib}")
        for key in keys:
            paper = change.papers[key]
            if from_leaf and from_leaf not in paper.categories:
                raise VlabibError(f"{key} is not filed under {from_leaf}")
            kept = [c for c in paper.categories if from_leaf and c != from_leaf]
            leaves = [*dict.fromkeys([*kept, to])]
            change.papers[key] = paper.replace(keywords=keywords_value(leaves))
            said.append(f"{'would move' if dry_run else 'moved'} {key} to {to}")
    return said


def rename(
    project: Project, old: str, new: str, *, title: str = "", dry_run: bool = False
) -> list[str]:
    """Rename the taxonomy node *old* to *new* (and retitle it), everywhere at once."""
    taxonomy = project.taxonomy()
    problem = _rename_problem(taxonomy, old, new, title)
    if problem:
        raise ConfigError(problem)
    toml_path = project.path("taxonomy")
    text = read_source(toml_path, project.settings.taxonomy, root=project.root)
    node = taxonomy[old]
    anchor = github_slug(node.title) if title and title != node.title else ""
    new_text = _renamed_toml(text, old, new, title, anchor)
    parse_taxonomy(new_text, project.settings.taxonomy)  # it must read back
    writes: list[tuple[Path, str | bytes]] = [(toml_path, new_text)]
    removed: list[Path] = []
    snapshot = bib.read(project.bib, project.settings.bib)
    papers = [_refiled(p, old, new) for p in snapshot.papers]
    if papers != snapshot.papers:
        writes.append((project.bib, bib.write_string(papers)))
    latex = project.path("latex")
    prose, moved = latex / SECTIONS / f"{old}.tex", latex / SECTIONS / f"{new}.tex"
    if prose.is_file():
        if moved.exists():
            raise ConfigError(f"{project.rel(moved)} exists already; move its text away first")
        removed.append(prose)  # written under its new name below
    writes += _manuscript_rewrites(project, {old: new}, skip={prose})
    said = [f"{'would write' if dry_run else 'wrote'} {project.rel(p)}" for p, _ in writes]
    said += [f"{'would remove' if dry_run else 'removed'} {project.rel(p)}" for p in removed]
    if not dry_run:
        write_all(writes, root=project.root)
        for path in removed:
            path.unlink()
    return said


def _rename_problem(taxonomy: Taxonomy, old: str, new: str, title: str) -> str:
    if old not in taxonomy:
        return f"{old}: no such node in the taxonomy"
    if old == taxonomy.root.id:
        return f"{old} is the root; rename it in the taxonomy file by hand"
    if new in taxonomy:
        return f"{new}: a node has that id already"
    if not is_node_id(new):
        return f"{new!r}: a node id is lower-case words joined by '-'"
    if title and (not title.strip() or not title.isprintable()):
        return "--title must be a printable title"
    return ""


def _renamed_toml(text: str, old: str, new: str, title: str, anchor: str) -> str:
    """The taxonomy file with *old* renamed, edited line by line (comments kept)."""
    quoted = re.escape(toml_string(old))
    text = re.sub(
        rf"(?m)^(\s*parent\s*=\s*){quoted}(\s*(?:#.*)?)$", rf"\g<1>{toml_string(new)}\2", text
    )
    table = re.search(
        rf"(?ms)^\s*id\s*=\s*{quoted}\s*(?:#[^\n]*)?\n(?P<rest>.*?)(?=^\s*\[\[node\]\]|\Z)", text
    )
    if table is None:
        raise ConfigError(f'{old}: its [[node]] table is not written id = "{old}"')
    body = table.group("rest")
    if title:
        body = re.sub(
            r"(?m)^(\s*title\s*=\s*).*$", lambda m: m.group(1) + toml_string(title), body, count=1
        )
    if anchor and not re.search(r"(?m)^\s*anchors\s*=", body):
        body = (
            body.rstrip("\n")
            + f"\nanchors = [{toml_string(anchor)}]\n"
            + ("\n" if body.endswith("\n\n") else "")
        )
    start, end = table.span()
    return text[:start] + f"id = {toml_string(new)}\n" + body + text[end:]


def _refiled(paper: Paper, old: str, new: str) -> Paper:
    if old not in paper.categories:
        return paper
    leaves = [new if c == old else c for c in paper.categories]
    return paper.replace(keywords=keywords_value(leaves))


def _manuscript_rewrites(
    project: Project, mapping: dict[str, str], skip: set[Path]
) -> list[tuple[Path, str | bytes]]:
    """Every .tex file under latex/ (vlabib's generated folder aside) with the survey's
    node macros renamed; a moved prose file is rewritten under its new name instead."""
    prefix = project.settings.cite_prefix
    commands = (f"{prefix}cite", f"{prefix}count")
    latex = project.path("latex")
    generated = project.root / project.settings.generated
    out: list[tuple[Path, str | bytes]] = []
    for path in sorted(latex.rglob("*.tex")) if latex.is_dir() else []:
        if generated in path.parents:
            continue
        text = read_source(path, project.rel(path), root=project.root)
        new, changed = rewritten(text, mapping, commands=commands)
        target = path
        if path in skip:
            target = latex / SECTIONS / f"{mapping[path.stem]}.tex"
        if changed or path in skip:
            out = [(p, t) for p, t in out if p != target]
            out.append((target, new))
    return out
