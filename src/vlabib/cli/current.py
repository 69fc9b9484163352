"""Keeping the survey current: ``suggest`` (where a paper belongs) and ``discover`` (what
the survey misses)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from vlabib.cli.app import UserError, main, project_of, services, show
from vlabib.config import Project

if TYPE_CHECKING:
    from vlabib.remote.arxiv import Record


@main.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID_OR_KEY...")
@click.option("-n", "--top", default=5, show_default=True, help="Leaves to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--refresh", is_flag=True, help="Ignore the response cache.")
@click.pass_context
def suggest(
    ctx: click.Context, papers: tuple[str, ...], top: int, as_json: bool, refresh: bool
) -> None:
    """Rank the taxonomy's leaves for papers (in the bib, or fetched from arXiv).

    From the title and abstract against the papers already filed (offline for papers in
    the bib); each leaf with its score and the closest filed papers, the reason.

    Example: vlabib suggest 2509.09372
    """
    from vlabib.commands.suggest import suggest as rank

    project, fetch = project_of(ctx), services(refresh)
    found = [rank(project, wanted, fetch) for wanted in papers]
    if as_json:
        click.echo(json.dumps([s.as_json(top) for s in found], indent=2, ensure_ascii=False))
        return
    for item in found:
        click.echo(f"{item.key}  {item.title}")
        for n, s in enumerate(item.ranked[:top], 1):
            close = ", ".join(s.names) or "-"
            click.echo(f"  {n}. {s.leaf:<36} {s.score:.3f}  like {close}")


def leaf_picker(project: Project, yes: bool) -> Callable[[str, Record], str]:
    """For ``add`` without -c: a function that files a fetched paper under its best
    suggestion (--yes) or the user's pick on a terminal, and otherwise says what to run."""
    from vlabib.commands.suggest import ranker

    rank = ranker(project, project.taxonomy())

    def pick(ident: str, record: Record) -> str:
        ranked = rank.rank(record.title, record.summary)
        if yes:
            return ranked[0].leaf
        if not sys.stdin.isatty():
            best = ", ".join(s.leaf for s in ranked[:3])
            raise UserError(
                f"{ident} needs a category: name it with -c (suggested: {best}), "
                "or take the first suggestion with --yes"
            )
        click.echo(f"{ident}  {record.title}", err=True)
        for n, s in enumerate(ranked[:3], 1):
            click.echo(f"  {n}. {s.leaf} ({s.score:.3f}, like {', '.join(s.names)})", err=True)
        choices = {str(n): s.leaf for n, s in enumerate(ranked[:3], 1)}
        choices |= {s.leaf: s.leaf for s in ranked}
        picked = click.prompt("Leaf (1-3 or a leaf id)", default="1", err=True)
        if picked not in choices:
            raise UserError(f"{picked!r} is not one of the choices or a leaf id; nothing added")
        return choices[picked]

    return pick


@main.command()
@click.option("--since", metavar="YYYY-MM-DD", default="", help="Only papers submitted since.")
@click.option("--leaf", "leaves", multiple=True, metavar="LEAF", help="Only these leaves.")
@click.option("--limit", default=20, show_default=True, help="Papers to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--add", "add_them", is_flag=True, help="Add them, each under its suggested leaf.")
@click.option("--dismiss", is_flag=True, help="Never suggest the IDs given again.")
@click.argument("ids", nargs=-1, metavar="[ID...]")
@click.option("--refresh", is_flag=True, help="Ask arXiv again, whatever is cached.")
@click.pass_context
def discover(
    ctx: click.Context,
    since: str,
    leaves: tuple[str, ...],
    limit: int,
    as_json: bool,
    add_them: bool,
    dismiss: bool,
    ids: tuple[str, ...],
    refresh: bool,
) -> None:
    """Find recent arXiv papers close to the survey's leaves that it does not have yet.

    For each leaf, arXiv's search is asked with the leaf's title and its papers' most
    distinctive words (politely, cached for a day); papers already in the bib or dismissed
    before (discover-ignore.txt beside the taxonomy; commit it) are dropped, the rest
    ranked by fit. --add adds them all in one go (all or nothing).

    Example: vlabib discover --since 2026-01-01 --leaf token-pruning
    Example: vlabib discover --dismiss 2601.01234 2601.04321
    """
    from vlabib.commands import discover as current

    project = project_of(ctx)
    if ids and not dismiss:
        raise UserError("IDs go with --dismiss: vlabib discover --dismiss " + " ".join(ids))
    if dismiss:
        if not ids:
            raise UserError("name the papers to dismiss: vlabib discover --dismiss ID...")
        show(current.dismiss(project, ids))
        return
    fetch = services(refresh)
    found = current.discover(
        project, project.taxonomy(), fetch, leaves=leaves, since=since, limit=limit
    )
    if as_json:
        click.echo(json.dumps([f.as_json() for f in found], indent=2, ensure_ascii=False))
    else:
        show(current.table(found))
    if add_them and found:
        show(current.add_found(project, found, fetch).report())
