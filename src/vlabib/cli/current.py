"""Keeping the survey current: ``suggest`` (where a paper belongs) and ``discover`` (what
the survey misses)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from vlabib.cli import UserError, main, project_of


def suggestions(ctx: click.Context, wanted: str,
                refresh: bool = False) -> tuple[str, str, list[Any]]:  # fmt: skip
    """The paper's key, its title and every leaf ranked for it: a paper in the bib by its key (or
    short name), anything else fetched from arXiv."""
    from vlabib import bib
    from vlabib.commands import query
    from vlabib.commands.discover import ranker
    from vlabib.ids import IdError, parse_arxiv_id
    from vlabib.remote.arxiv import Client
    from vlabib.tex.read import latex_to_text

    project = project_of(ctx)
    taxonomy = project.taxonomy()
    filed = query.find(bib.load(project.bib, project.settings.bib), wanted)
    if filed is not None:
        title, abstract = latex_to_text(filed.title), latex_to_text(filed.get("abstract"))
        return filed.key, title, ranker(project, taxonomy, without=filed.key).rank(title, abstract)
    try:
        ident = parse_arxiv_id(wanted)
    except IdError:
        raise UserError(f"{wanted} is neither in the bib nor an arXiv ID or URL") from None
    record = Client(refresh=refresh).fetch([ident])[ident]
    return ident, record.title, ranker(project, taxonomy).rank(record.title, record.summary)


@main.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID_OR_KEY...")
@click.option("-n", "--top", default=5, show_default=True, help="Leaves to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def suggest(ctx: click.Context, papers: tuple[str, ...], top: int, as_json: bool) -> None:
    """Rank the taxonomy's leaves for papers (in the bib, or fetched from arXiv).

    From the title and abstract against the papers already filed (offline for papers in
    the bib); each leaf with its score and the closest filed papers, the reason.

    Example: vlabib suggest 2509.09372
    """
    out: list[dict[str, Any]] = []
    for wanted in papers:
        key, title, ranked = suggestions(ctx, wanted)
        out.append({"paper": key, "title": title,
                    "leaves": [{"leaf": s.leaf, "score": s.score, "closest": list(s.closest)}
                               for s in ranked[:top]]})  # fmt: skip
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for item in out:
        click.echo(f"{item['paper']}  {item['title']}")
        for n, s in enumerate(item["leaves"], 1):
            close = ", ".join(s["closest"]) or "-"
            click.echo(f"  {n}. {s['leaf']:<36} {s['score']:.3f}  like {close}")


def leaf_picker(ctx: click.Context, yes: bool) -> Any:
    """For ``add`` without -c: a function that files a fetched paper under its best
    suggestion (--yes) or the user's pick on a terminal, and otherwise says what to run."""
    from vlabib.commands.discover import ranker

    project = project_of(ctx)
    rank = ranker(project, project.taxonomy())

    def pick(ident: str, record: Any) -> str:
        ranked = rank.rank(record.title, record.summary)
        if yes:
            return str(ranked[0].leaf)
        if not sys.stdin.isatty():
            best = ", ".join(s.leaf for s in ranked[:3])
            raise UserError(f"{ident} needs a category: name it with -c (suggested: {best}), "
                            "or take the first suggestion with --yes")  # fmt: skip
        click.echo(f"{ident}  {record.title}", err=True)
        for n, s in enumerate(ranked[:3], 1):
            click.echo(f"  {n}. {s.leaf} ({s.score:.3f}, like {', '.join(s.closest)})", err=True)
        choices = {str(n): s.leaf for n, s in enumerate(ranked[:3], 1)}
        choices |= {s.leaf: s.leaf for s in ranked}
        picked = click.prompt("Leaf (1-3 or a leaf id)", default="1", err=True)
        if picked not in choices:
            raise UserError(f"{picked!r} is not one of the choices or a leaf id; nothing added")
        return str(choices[picked])

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
    before (refs/discover-ignore.txt, commit it) are dropped, the rest ranked by fit.

    Example: vlabib discover --since 2026-01-01 --leaf token-pruning
    Example: vlabib discover --dismiss 2601.01234 2601.04321
    """
    from vlabib.commands.discover import discover as find
    from vlabib.commands.discover import dismiss as ignore
    from vlabib.remote.arxiv import Client

    project = project_of(ctx)
    if ids and not dismiss:
        raise UserError("IDs go with --dismiss: vlabib discover --dismiss " + " ".join(ids))
    if dismiss:
        if not ids:
            raise UserError("name the papers to dismiss: vlabib discover --dismiss ID...")
        for ident in ignore(project, ids):
            click.echo(f"dismissed {ident}")
        return
    found = find(project, project.taxonomy(), Client(refresh=refresh), leaves=leaves,
                 since=since, limit=limit)  # fmt: skip
    rows: list[dict[str, Any]] = [
        {"id": f.record.id, "title": f.record.title, "date": f.record.published,
         "leaf": f.leaf, "score": f.score, "closest": list(f.closest)}
        for f in found
    ]  # fmt: skip
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for r in rows:
            click.echo(f"{r['id']:<12} {r['date']:<10} {r['leaf']:<28} {r['score']:.3f}  "
                       f"{r['title'][:70]}")  # fmt: skip
        click.echo(f"{len(rows)} papers the survey does not have")
    if add_them and found:
        from vlabib.commands.add import add as add_papers

        by_leaf: dict[str, list[str]] = {}
        for f in found:
            by_leaf.setdefault(f.leaf, []).append(f.record.id)
        for leaf, keys in by_leaf.items():
            summary = add_papers(project, keys, [leaf], client=Client())
            click.echo(summary.line())
