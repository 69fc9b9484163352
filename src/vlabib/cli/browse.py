"""Commands that read the bibliography: list, show, stats."""

from __future__ import annotations

from typing import Any

import click

from vlabib.cli.app import UserError, main, project_of


def _papers_and_taxonomy(ctx: click.Context) -> tuple[list[Any], Any]:
    from vlabib import bib

    project = project_of(ctx)
    return bib.load(project.bib, project.settings.bib), project.taxonomy()


@main.command(name="list")
@click.option("-c", "--category", metavar="NODE", help="Only papers under this taxonomy node.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_(ctx: click.Context, category: str | None, as_json: bool) -> None:
    """List papers, newest first.

    Example: vlabib list -c token-pruning
    """
    import json
    import shutil

    from vlabib.commands import query
    from vlabib.outputs.view import newest_first, paper_view

    papers, taxonomy = _papers_and_taxonomy(ctx)
    if category is not None and category not in taxonomy:
        raise UserError(query.unknown_node(taxonomy, category))
    selected = newest_first(query.select(papers, taxonomy, category))
    records = [paper_view(p).as_json() for p in selected]
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    for line in query.table(records, shutil.get_terminal_size((100, 20)).columns):
        click.echo(line)


@main.command()
@click.argument("paper_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def show(ctx: click.Context, paper_id: str, as_json: bool) -> None:
    """Show one paper, named by its key, arXiv ID or URL, short name or code link.

    Example: vlabib show SmolVLA
    """
    import json

    from vlabib.commands import query
    from vlabib.outputs.view import paper_view

    papers, _ = _papers_and_taxonomy(ctx)
    paper = query.find(papers, paper_id)
    if paper is None:
        raise UserError(query.not_found(papers, paper_id, project_of(ctx).settings.bib))
    found = [paper]
    record = paper_view(found[0]).as_json()
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    for name, value in record.items():
        if isinstance(value, list):
            value = ", ".join(value)
        if value:
            click.echo(f"{name:<11} {value}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count papers per taxonomy node (own and subtree) and per year.

    Example: vlabib stats
    """
    import json

    from vlabib.commands import query

    papers, taxonomy = _papers_and_taxonomy(ctx)
    data = query.stats(papers, taxonomy)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in query.stats_lines(data, len(taxonomy.leaves)):
        click.echo(line)
