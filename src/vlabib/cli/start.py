"""``vlabib init``: start a new survey."""

from __future__ import annotations

from pathlib import Path

import click

from vlabib.cli.app import main


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", required=True, help='The survey\'s title, e.g. "Efficient LLM Inference".')
@click.pass_context
def init(ctx: click.Context, directory: Path | None, title: str) -> None:
    """Start a new survey in DIRECTORY (default: here).

    Writes vlabib.toml, an empty refs/papers.bib, an example refs/taxonomy.toml, a README
    with the paper list's markers, the manuscript skeleton under latex/, a Makefile, a
    GitHub workflow (.github/workflows/vlabib.yml) and .pre-commit-config.yaml; then
    build, check and pdf work at once. Nothing that exists is overwritten.

    Example: vlabib init --title "Efficient LLM Inference"
    """
    from vlabib.commands.init import init as scaffold
    from vlabib.config import find_project

    start: Path = ctx.find_root().obj
    folder = directory if directory is None or directory.is_absolute() else start / directory
    written = scaffold(folder or start, title)
    taxonomy = find_project(folder or start).settings.taxonomy
    for name in written:
        click.echo(f"wrote {name}")
    click.echo(
        "next: vlabib add ARXIV_ID -c first-family, then vlabib build (to start from "
        f"a list you keep instead: delete {taxonomy}, then vlabib import "
        "LIST.md)"
    )
