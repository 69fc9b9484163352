"""``vlabib overleaf``: sync latex/ with an Overleaf project."""

from __future__ import annotations

import click

from vlabib.cli.app import main, project_of, show


@main.group()
def overleaf() -> None:
    """Sync latex/ with an Overleaf project through its git bridge.

    The project URL comes from VLABIB_OVERLEAF_URL or [tool.vlabib] overleaf; the token
    from OVERLEAF_TOKEN or git's credential helper.

    Example: vlabib overleaf status
    """


_DRY = click.option(
    "--dry-run", is_flag=True, help="Show what would change on each side; change nothing."
)
_OURS = click.option(
    "--ours",
    "ours",
    multiple=True,
    metavar="FILE",
    help="This checkout's version of FILE wins (repeatable).",
)
_THEIRS = click.option(
    "--theirs",
    "theirs",
    multiple=True,
    metavar="FILE",
    help="Overleaf's version of FILE wins (repeatable).",
)


@overleaf.command()
@_DRY
@_OURS
@_THEIRS
@click.pass_context
def push(ctx: click.Context, dry_run: bool, ours: tuple[str, ...], theirs: tuple[str, ...]) -> None:
    """Send latex/ to Overleaf as one commit (only what changed).

    Overleaf's newer edits are brought here first. A push never deletes a file written on
    Overleaf, takes back lines written there, or replaces a generated file a co-author edited
    unless you name the file with --ours; it never forces. Into a new project it replaces
    Overleaf's untouched template.

    Example: vlabib overleaf push --dry-run
    """
    from vlabib.overleaf.push import push as send

    show(send(project_of(ctx), dry_run=dry_run, ours=ours, theirs=theirs))


@overleaf.command()
@_DRY
@_OURS
@_THEIRS
@click.pass_context
def pull(ctx: click.Context, dry_run: bool, ours: tuple[str, ...], theirs: tuple[str, ...]) -> None:
    """Bring co-authors' edits on Overleaf into latex/.

    Edits on both sides are merged; where both changed the same lines, both wordings are
    written between conflict markers (<<<<<<< … >>>>>>>) for you to choose, and push waits
    until they are gone. Generated files are never taken from Overleaf.

    Example: vlabib overleaf pull && vlabib check
    """
    from vlabib.overleaf.pull import pull as take

    show(take(project_of(ctx), dry_run=dry_run, ours=ours, theirs=theirs))


@overleaf.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show, per file, what changed here and on Overleaf and what pull and push would do.

    Example: vlabib overleaf status
    """
    from vlabib.overleaf.status import status as compare

    show(compare(project_of(ctx)))
