"""Commands that change the bibliography: add, import, update."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from vlabib.cli import main, project_of
from vlabib.config import Project


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for fetches of more than one batch; nothing otherwise."""
    if total <= 100:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _report(summary: Any, dry_run: bool) -> None:
    for note in summary.notes:
        click.echo(note, err=True)
    for verb, keys in (("added", summary.added), ("updated", summary.updated)):
        for key in keys:
            click.echo(f"{'would be ' if dry_run else ''}{verb} {key}")
    click.echo(("dry run: " if dry_run else "") + summary.line())


@main.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID_OR_URL...")
@click.option(
    "-c",
    "--category",
    "categories",
    multiple=True,
    metavar="LEAF",
    help="Taxonomy leaf (repeatable).",
)
@click.option("--code", metavar="URL", help="Code repository (one paper only).")
@click.option(
    "--name", metavar="SHORT", help="Method name for tables and the figure (one paper only)."
)
@click.option("--dry-run", is_flag=True, help="Fetch and show what would change; write nothing.")
@click.option("--refresh", is_flag=True, help="Ignore the response cache.")
@click.option("--yes", is_flag=True, help="Without -c: file each paper under its best suggestion.")
@click.pass_context
def add(
    ctx: click.Context,
    papers: tuple[str, ...],
    categories: tuple[str, ...],
    code: str | None,
    name: str | None,
    dry_run: bool,
    refresh: bool,
    yes: bool,
) -> None:
    """Add papers by arXiv ID or URL, with metadata from the arXiv API.

    A paper already in the bib gains the new categories; its hand-set venue, code and
    name are kept. All or nothing: if any ID fails, nothing is written. Without -c, the
    leaves are suggested from the title and abstract (see 'vlabib suggest'): pick one on
    a terminal, or take the best with --yes.

    Example: vlabib add 2509.09372 https://arxiv.org/pdf/2406.04339v2 -c token-pruning
    """
    from vlabib.cli.current import leaf_picker
    from vlabib.commands.add import add as add_papers
    from vlabib.remote.arxiv import Client

    choose = None if categories else leaf_picker(ctx, yes)
    with _progress(len(papers), "Fetching from arXiv") as update:
        summary = add_papers(
            project_of(ctx),
            papers,
            categories,
            code=code,
            name=name,
            dry_run=dry_run,
            client=Client(refresh=refresh),
            progress=update,
            choose=choose,
        )
    _report(summary, dry_run)


_BOOTSTRAP = """# vlabib settings, made by 'vlabib import' (every key is optional; see the README).
# The bib is refs/vla.bib, the default kept for the surveys made before settings existed;
# to rename it, move the file and set: bib = "refs/papers.bib"
"""


def _project_or_new(ctx: click.Context) -> tuple[Project, bool]:
    """The survey here, or — for an import into a folder that is in none — a new one."""
    from vlabib.config import Settings, nearest_project

    start: Path = ctx.find_root().obj if not isinstance(ctx.find_root().obj, Project) else \
        ctx.find_root().obj.root  # fmt: skip
    found = nearest_project(start)
    if found is not None:
        return project_of(ctx), False
    return Project(start.resolve(), Settings()), True


@main.command(name="import")
@click.argument("paper_list", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--offline", is_flag=True, help="Use only the list's own text; fetch nothing.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@click.option("--arxiv-only", is_flag=True, help="Leave out papers without an arXiv ID.")
@click.option("--refresh", is_flag=True, help="Ignore the response cache.")
@click.pass_context
def import_(
    ctx: click.Context,
    paper_list: Path,
    offline: bool,
    dry_run: bool,
    arxiv_only: bool,
    refresh: bool,
) -> None:
    """Import an existing Markdown paper list, in any layout real lists use, into refs/.

    Bullets, numbered items, tables, HTML tables and lists, <details> blocks; every arXiv
    link, and papers without one keyed by their DOI, OpenReview, ACL, CVF… link. Headings
    become the taxonomy (or map onto refs/taxonomy.toml when it exists).

    Example: vlabib import README.old.md --dry-run
    """
    from vlabib.commands import query
    from vlabib.commands.add import import_list
    from vlabib.remote.arxiv import Client

    project, new = _project_or_new(ctx)
    imported = import_list(
        project,
        paper_list,
        offline=offline,
        dry_run=dry_run,
        arxiv_only=arxiv_only,
        client=Client(refresh=refresh),
        progress=_bar() if not offline else None,
    )
    for note in imported.notes:
        click.echo(note, err=True)
    if dry_run and imported.taxonomy is not None:
        for line in query.import_lines(imported.papers, imported.taxonomy):
            click.echo(line)
    without = sum(not p.arxiv_id for p in imported.papers)
    click.echo(
        f"{len(imported.papers)} papers ({without} without an arXiv ID), "
        f"{imported.memberships} memberships"
    )
    click.echo(("dry run: " if dry_run else "") + imported.line())
    if new and not dry_run:
        from vlabib.files import atomic_write

        atomic_write(project.root / "vlabib.toml", _BOOTSTRAP, root=project.root)
        click.echo("wrote vlabib.toml: this folder is now a survey ('vlabib init --help' lists "
                   "the settings)")  # fmt: skip


def _bar() -> Callable[[int], None] | None:
    """Progress on stderr while a long import fetches (only on a terminal)."""
    if not sys.stderr.isatty():
        return None
    state = {"done": 0}

    def update(n: int) -> None:
        state["done"] += n
        click.echo(f"\rFetched {state['done']} papers from arXiv", err=True, nl=False)

    return update


@main.command()
@click.argument("papers", nargs=-1, metavar="[ID...]")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--refresh", is_flag=True, help="Ignore cached answers.")
@click.pass_context
def update(ctx: click.Context, papers: tuple[str, ...], dry_run: bool, refresh: bool) -> None:
    """Refresh arXiv metadata and find where preprints were published.

    New titles and author lists are applied and shown; venues come from arXiv's journal
    reference, Semantic Scholar and DBLP, and only when title, authors and year match.
    Disagreeing sources are reported, not applied; a hand-set venue is never replaced.

    Example: vlabib update --dry-run
    """
    from vlabib.commands.update import update as update_papers

    report = update_papers(project_of(ctx), papers, dry_run=dry_run, refresh=refresh)
    for line in report.lines:
        click.echo(line)
    click.echo(("dry run: " if dry_run else "") + report.summary())


@main.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID...")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; write nothing.")
@click.pass_context
def remove(ctx: click.Context, papers: tuple[str, ...], dry_run: bool) -> None:
    """Remove papers from the bibliography (by key, arXiv ID or URL, short name or link).

    All of them or none: a name that matches no paper stops the command. Run 'vlabib build'
    afterwards to update the list and the manuscript.

    Example: vlabib remove 2509.09372 SmolVLA
    """
    from vlabib.commands.remove import remove as remove_papers

    for line in remove_papers(project_of(ctx), papers, dry_run=dry_run):
        click.echo(line)
