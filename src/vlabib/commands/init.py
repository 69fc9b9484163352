"""``vlabib init``: a new survey that builds, checks and compiles from its first minute —
settings, an empty bib, a small example taxonomy, a README with the list's markers, the
manuscript skeleton, a Makefile, a GitHub workflow and a pre-commit hook. It never
overwrites: a folder that already holds any of these files is refused whole. With a list
(``--from``), the list's papers and headings come in at once, under the survey's title.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from vlabib.commands.build import build
from vlabib.commands.import_list import import_list
from vlabib.config import DOCUMENT_CLASSES, Project, nearest_project, parse_settings
from vlabib.errors import ConfigError
from vlabib.files import atomic_write, write_all
from vlabib.model import Report
from vlabib.outputs.scaffold import FILES, texts
from vlabib.remote.services import Services
from vlabib.taxonomy import parse_taxonomy


def init(folder: Path, title: str, document_class: str = "article") -> list[str]:
    """Write a new survey into *folder*, its manuscript in *document_class*; the files
    written, relative to it."""
    title = " ".join(title.split())
    if not title or len(title) > 200 or not title.isprintable():
        raise ConfigError("--title must be the survey's title: 1 to 200 printable characters")
    folder.mkdir(parents=True, exist_ok=True)
    present = [name for name in FILES if (folder / name).exists() or (folder / name).is_symlink()]
    if present:
        raise ConfigError(
            f"{folder}: {', '.join(present)} already there; 'vlabib init' writes "
            "only where none of its files exist (nothing was written)"
        )
    outer = nearest_project(folder.parent) if folder.parent != folder else None
    if outer is not None:
        raise ConfigError(
            f"{folder} is inside the survey at {outer.root}; one survey per tree "
            "(nothing was written)"
        )
    if document_class not in DOCUMENT_CLASSES:
        raise ConfigError(
            f"--class must be one of {', '.join(DOCUMENT_CLASSES)}, not {document_class!r}"
        )
    files = texts(title, document_class)
    # What is written must read back: checked before anything is written.
    settings = parse_settings(tomllib.loads(files["vlabib.toml"]), "vlabib.toml")
    taxonomy = next(name for name in files if name.endswith("taxonomy.toml"))
    parse_taxonomy(files[taxonomy], taxonomy)
    write_all([(folder / name, text) for name, text in files.items()], root=folder)
    written = build(Project(folder.resolve(), settings))
    return list(dict.fromkeys([*FILES, *written]))


def start(
    folder: Path,
    title: str,
    *,
    from_list: Path | None = None,
    offline: bool = False,
    services: Services | None = None,
    document_class: str = "article",
) -> Report:
    """``vlabib init``: a new survey in *folder*; with *from_list*, that list imported into
    it (its headings replace the example taxonomy) and everything built again."""
    written = init(folder, title, document_class)
    project = nearest_project(folder)
    assert project is not None
    if from_list is None:
        return Report(
            (
                *(f"wrote {name}" for name in written),
                "next: vlabib add ARXIV_ID -c first-family, then vlabib build; or, to start "
                "from a list you keep: vlabib import LIST.md (its headings replace the "
                "example taxonomy)",
            )
        )
    imported = import_list(project, from_list, offline=offline, services=services or Services())
    report = imported.report()
    project = nearest_project(folder)  # the import may have set the order to the list's
    assert project is not None
    rebuilt = build(project)
    # The files as they stand now: one written by init and removed again was never there.
    gone = {n.removesuffix(" (removed)") for n in rebuilt if n.endswith(" (removed)")}
    made = dict.fromkeys(n for n in [*written, *rebuilt] if not n.endswith(" (removed)"))
    lines = [f"wrote {n}" for n in made if n not in gone]
    return Report((*lines, *report.lines), report.notes, report.errors)


def add_github(folder: Path) -> Report:
    """``vlabib init --github``: the 'Suggest a paper' issue form (kept by build) and the
    workflow that turns a labelled issue into a pull request, in a survey that exists."""
    project = nearest_project(folder)
    if project is None:
        raise ConfigError(f"{folder} is in no survey; run 'vlabib init --title …' first")
    workflow = project.root / ".github" / "workflows" / "add-paper.yml"
    lines = []
    if not workflow.exists():
        atomic_write(
            workflow,
            texts(project.settings.title or "Survey")[".github/workflows/add-paper.yml"],
            root=project.root,
        )
        lines.append("wrote .github/workflows/add-paper.yml")
    settings = project.root / "vlabib.toml"
    if not project.settings.issue_form:
        text = settings.read_text(encoding="utf-8") if settings.is_file() else ""
        if re.search(r"(?m)^\s*\[", text) or not settings.is_file():
            raise ConfigError("set issue_form = true in the survey's settings, then run it again")
        atomic_write(settings, text.rstrip("\n") + "\nissue_form = true\n", root=project.root)
        lines.append("set issue_form = true in vlabib.toml")
        project = nearest_project(folder)
        assert project is not None
    lines += [f"wrote {name}" for name in build(project)]
    lines.append(
        "next: create the label 'add-paper'; labelling a suggestion opens its pull request"
    )
    return Report(tuple(lines))
