"""The command group: library errors mapped to ``Error:`` lines once, for every command; the
survey found once per run."""

from __future__ import annotations

import atexit
import contextlib
import errno
import gc
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vlabib.config import Project, find_project
from vlabib.errors import VlabibError, redact
from vlabib.model import Progress, Report

if TYPE_CHECKING:
    from vlabib.remote.services import Services


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
        except (click.ClickException, click.exceptions.Exit):
            raise
        except (KeyboardInterrupt, click.Abort):
            click.echo(f"Error: interrupted; {_ATOMIC}", err=True)
            raise click.exceptions.Exit(130) from None  # the shell's status for SIGINT
        except OSError as exc:
            if exc.filename is None and exc.errno in _STDOUT_ERRNOS:
                _stdout_failed(exc)
            raise _bug(exc) from None
        except Exception as exc:
            raise _bug(exc) from None


# Every file vlabib writes is replaced whole (written beside it, then renamed).
_ATOMIC = "every file is either fully written or as it was"
# What writing to a closed pipe, a full device or a vanished terminal raises.
_STDOUT_ERRNOS = (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF)


def _stdout_failed(exc: OSError) -> None:
    """The report could not be printed; the work itself is done (or was never started).
    A reader that stopped reading (``vlabib list | head``) is not an error at all."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing more to flush at exit
    except (OSError, ValueError, AttributeError):
        pass
    if exc.errno == errno.EPIPE:
        raise click.exceptions.Exit(0)
    raise UserError(f"cannot write to standard output ({exc.strerror}); {_ATOMIC}")


def _bug(exc: Exception) -> Exception:
    """A bug, not bad input: one line asking for a report, the traceback on request."""
    if os.environ.get("VLABIB_DEBUG"):
        return exc
    return UserError(
        redact(
            f"internal error ({type(exc).__name__}: {exc}); {_ATOMIC}. Please report it with "
            "the command you ran (VLABIB_DEBUG=1 shows the traceback)"
        )
    )


# Characters that would steer the terminal rather than show: C0 and C1 controls (escape
# sequences), and the bidirectional overrides that reorder what follows them.
_STEERING_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def on_terminal(text: str) -> str:
    """*text* as a terminal may print it: a title from arXiv or a list shows its control and
    bidi characters as escapes (``\\u202e``), never obeys them.

    >>> on_terminal("Robots\u202etxt.exe \x1b[2J")
    'Robots\\\\u202etxt.exe \\\\x1b[2J'
    """
    return _STEERING_RE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def show(report: Report) -> None:
    """The one way a command prints its result: notes on stderr, lines on stdout, then any
    errors as ``Error:`` lines and exit 1 (what could be done was still done)."""
    for note in report.notes:
        click.echo(on_terminal(note), err=True)
    for line in report.lines:
        click.echo(on_terminal(line))
    if report.errors:
        raise UserError(on_terminal(redact("\n".join(report.errors))))


@contextlib.contextmanager
def progress(label: str) -> Iterator[Progress]:
    """The one progress display: a bar on stderr once a fetch holds more than one batch
    (100 papers); nothing for less."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total <= 100:
            return
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        bar = state["bar"]
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def services(refresh: bool = False) -> Services:
    """The outside services for one command, built once (``--refresh`` bypasses caches)."""
    from vlabib.remote.services import Services

    return Services(refresh=refresh)


def project_of(ctx: click.Context) -> Project:
    """The survey the command runs in, found by walking up from the start directory."""
    root = ctx.find_root()
    if not isinstance(root.obj, Project):
        try:
            root.obj = find_project(root.obj)
        except VlabibError as exc:
            raise UserError(str(exc)) from None
    project: Project = root.obj
    return project


class StartedPath(click.Path):
    """A path argument read as the user means it: relative to ``-C DIR`` when given (as git
    and make do), else to the working directory."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        obj = ctx.find_root().obj if ctx is not None else None
        start = obj if isinstance(obj, Path) else getattr(obj, "root", None)
        if start is not None and isinstance(value, str) and not Path(value).is_absolute():
            value = str(start / value)
        return super().convert(value, param, ctx)


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

    One BibTeX file keyed by arXiv ID is the source of truth.

    Example: vlabib stats
    """
    ctx.obj = directory or Path.cwd()  # the survey is looked up when a command needs it


def run() -> None:
    """The ``vlabib`` program. A command's data (every paper, every output) lives until it
    exits and holds no reference cycles worth collecting: the cyclic collector's repeated
    walks over 100,000 papers cost more than the parse. Nor is it taken apart object by
    object at the end (a tenth of a second at 10,000 papers): once the command is done and
    its files written, the exit handlers run, the output is flushed and the process ends.
    The process is the program's own to tune; the library (and a caller that invokes
    ``main``) leaves the collector and the interpreter's exit alone."""
    gc.set_threshold(100_000, 50, 100)
    try:
        main(prog_name="vlabib")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # logging's flush, as a normal exit would
    with contextlib.suppress(OSError):  # a reader that left early (vlabib list | head)
        sys.stdout.flush()
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code or 0)
