"""The ``vlabib`` command line: thin Click commands over the library. This package is the
only place that imports click; each command imports the library modules it needs, so that
``vlabib --help`` and the quick commands start fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from vlabib.config import Project, find_project
from vlabib.errors import VlabibError, redact


class UserError(click.ClickException):
    """A library error shown as ``Error: …`` lines on stderr, exit 1."""

    def show(self, file: Any = None) -> None:
        for line in self.message.splitlines() or [""]:
            click.echo(f"Error: {line}", err=True)


class Group(click.Group):
    """Maps library errors to :class:`UserError` once, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VlabibError as exc:
            raise UserError(redact(str(exc))) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            # A bug, not bad input: one line asking for a report, the traceback on request.
            if os.environ.get("VLABIB_DEBUG"):
                raise
            raise UserError(
                redact(
                    f"internal error ({type(exc).__name__}: {exc}); nothing was written. Please "
                    "report it with the command you ran (VLABIB_DEBUG=1 shows the traceback)"
                )
            ) from None


def project_of(ctx: click.Context) -> Project:
    project: Project = ctx.find_root().obj
    return project


@click.group(cls=Group)
@click.version_option(package_name="vlabib")
@click.option(
    "-C",
    "--directory",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Run as if started in this directory.",
)
@click.pass_context
def main(ctx: click.Context, directory: Path | None) -> None:
    """Keep a survey's bibliography, README paper list and LaTeX manuscript in sync.

    One BibTeX file keyed by arXiv ID (refs/vla.bib) is the source of truth.

    Example: vlabib stats
    """
    ctx.obj = find_project(directory or Path.cwd())


# The commands register themselves on `main` when their modules are imported.
from vlabib.cli import browse, changes, outputs, sync  # noqa: E402

__all__ = ["browse", "changes", "main", "outputs", "project_of", "sync"]
