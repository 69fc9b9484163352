"""Reorganising a survey: ``move`` papers between leaves, ``rename`` a taxonomy node."""

from __future__ import annotations

import click

from vlabib.cli.app import main, project_of


@main.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID...")
@click.option("--to", "to", required=True, help="The leaf the papers go to.")
@click.option("--from", "from_leaf", default="", help="Leave this leaf only (default: all).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.pass_context
def move(
    ctx: click.Context, papers: tuple[str, ...], to: str, from_leaf: str, dry_run: bool
) -> None:
    """File papers under another leaf, in one change of the bib.

    Without --from a paper leaves all its leaves; with it, only that one.

    Example: vlabib move 2509.09372 2506.01844 --to token-pruning --from quantization
    """
    from vlabib.commands.reorganise import move as move_papers

    for line in move_papers(project_of(ctx), papers, to, from_leaf=from_leaf, dry_run=dry_run):
        click.echo(line)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--title", default="", help="The node's new title (its old README anchor stays).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.pass_context
def rename(ctx: click.Context, old: str, new: str, title: str, dry_run: bool) -> None:
    """Rename a taxonomy node everywhere: taxonomy, papers, prose file, manuscript.

    The node's id in the taxonomy file (comments kept), every paper's keywords, its prose
    file sections/OLD.tex (moved), every \\PREFIXcite{OLD} and \\PREFIXcount{OLD}; with
    --title, links to its old README anchor keep working. All at once, or nothing.

    Example: vlabib rename efficient-moe sparse-experts --title "Sparse Experts"
    """
    from vlabib.commands.reorganise import rename as rename_node

    for line in rename_node(project_of(ctx), old, new, title=title, dry_run=dry_run):
        click.echo(line)
