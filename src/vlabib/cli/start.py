"""``vlabib init``: start a new survey."""

from __future__ import annotations

from pathlib import Path

import click

from vlabib.cli.app import StartedPath, main, services, show
from vlabib.config import DOCUMENT_CLASSES


@main.command()
@click.argument("directory", required=False, type=StartedPath(file_okay=False, path_type=Path))
@click.option("--title", default="", help='The survey\'s title, e.g. "Efficient LLM Inference".')
@click.option(
    "--from",
    "from_list",
    type=StartedPath(dir_okay=False, exists=True, path_type=Path),
    help="A paper list to start from: its papers and headings come in at once.",
)
@click.option("--offline", is_flag=True, help="With --from: use only the list's text.")
@click.option(
    "--class",
    "document_class",
    type=click.Choice(DOCUMENT_CLASSES),
    default="article",
    show_default=True,
    help="The manuscript's document class: acmart for ACM's journals (CSUR), ieeetran for "
    "IEEE's (TPAMI).",
)
@click.option(
    "--github",
    is_flag=True,
    help="In a survey that exists: add the 'Suggest a paper' issue form and its workflow.",
)
@click.pass_context
def init(
    ctx: click.Context,
    directory: Path | None,
    title: str,
    from_list: Path | None,
    offline: bool,
    document_class: str,
    github: bool,
) -> None:
    """Start a new survey in DIRECTORY (default: here).

    Writes vlabib.toml, an empty refs/papers.bib, an example refs/taxonomy.toml, a README
    with the paper list's markers, the manuscript skeleton under latex/, a Makefile, a
    GitHub workflow (.github/workflows/vlabib.yml) and .pre-commit-config.yaml; then
    build, check and pdf work at once. Nothing that exists is overwritten. With --from,
    the list is imported too: its headings take the example taxonomy's place. With
    --github in a survey that exists: only the issue form and its workflow.

    Example: vlabib init --title "Efficient LLM Inference" --from awesome-list.md
    """
    from vlabib.commands.init import start as scaffold

    start: Path = ctx.find_root().obj
    folder = directory if directory is None or directory.is_absolute() else start / directory
    if github:
        from vlabib.commands.init import add_github

        show(add_github(folder or start))
        return
    if not title:
        raise click.UsageError("give the survey's title: --title TEXT")
    show(
        scaffold(
            folder or start,
            title,
            from_list=from_list,
            offline=offline,
            services=services(),
            document_class=document_class,
        )
    )
