"""Commands that read the bibliography: list, show, stats."""

from __future__ import annotations

from typing import Any

import click

from vlabib.cli import UserError, main, project_of


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

    from vlabib import query

    papers, taxonomy = _papers_and_taxonomy(ctx)
    if category is not None and category not in taxonomy:
        raise UserError(f"unknown category {category!r}; see 'vlabib stats' for the node ids")
    selected = query.newest_first(query.select(papers, taxonomy, category))
    records = [query.paper_json(p) for p in selected]
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
    """Show one paper.

    Example: vlabib show 2509.09372
    """
    import json

    from vlabib import query
    from vlabib.ids import IdError, parse_arxiv_id

    papers, _ = _papers_and_taxonomy(ctx)
    try:
        key = parse_arxiv_id(paper_id)
    except IdError:
        key = paper_id
    found = [p for p in papers if p.key == key]
    if not found:
        raise UserError(
            f"{paper_id} is not in {project_of(ctx).settings.bib}; "
            f"add it with 'vlabib add {paper_id}'"
        )
    record = query.paper_json(found[0])
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

    from vlabib import query

    papers, taxonomy = _papers_and_taxonomy(ctx)
    data = query.stats(papers, taxonomy)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in query.stats_lines(data, len(taxonomy.leaves)):
        click.echo(line)
