"""``vlabib overleaf``: sync latex/ with an Overleaf project."""

from __future__ import annotations

import click

from vlabib.cli import main, project_of


@main.group()
def overleaf() -> None:
    """Sync latex/ with an Overleaf project through its git bridge.

    The project URL comes from VLABIB_OVERLEAF_URL or [tool.vlabib] overleaf; the token
    from OVERLEAF_TOKEN or git's credential helper.

    Example: vlabib overleaf status
    """


def _overleaf(ctx: click.Context, action: str) -> None:
    from vlabib import overleaf as sync

    result = getattr(sync, action)(project_of(ctx))
    for line in result.lines:
        click.echo(line)


@overleaf.command()
@click.pass_context
def push(ctx: click.Context) -> None:
    """Send latex/ to Overleaf as one commit (only what changed).

    Overleaf's newer edits are brought here first; an Overleaf-side edit of a generated
    file stops the push. Never forces.

    Example: vlabib overleaf push
    """
    _overleaf(ctx, "push")


@overleaf.command()
@click.pass_context
def pull(ctx: click.Context) -> None:
    """Bring co-authors' edits on Overleaf into latex/.

    Example: vlabib overleaf pull && vlabib check
    """
    _overleaf(ctx, "pull")


@overleaf.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show what changed here and on Overleaf since the last sync.

    Example: vlabib overleaf status
    """
    _overleaf(ctx, "status")
