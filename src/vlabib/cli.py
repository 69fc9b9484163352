"""The ``vlabib`` command line: thin Click commands over the library. The only module that
imports click."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from vlabib.config import Project, find_project
from vlabib.errors import VlabibError, redact

# Each command imports the library modules it needs, so that `vlabib --help` and the
# quick commands start fast.


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


def _project(ctx: click.Context) -> Project:
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


@main.command()
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if the bib is not canonical."
)
@click.pass_context
def fmt(ctx: click.Context, check_only: bool) -> None:
    """Rewrite the bibliography in canonical form.

    Sorted by key, fixed field order and alignment; running it twice changes nothing.

    Example: vlabib fmt --check
    """
    from vlabib import bib

    project = _project(ctx)
    name = project.settings.bib
    changed = bib.format_file(project.bib, name, check_only=check_only)
    if check_only and changed:
        raise UserError(f"{name}: not in canonical format; run 'vlabib fmt'")
    click.echo(f"{name}: {'reformatted' if changed else 'already canonical'}")


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for fetches of more than one batch; nothing otherwise."""
    if total <= 100:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _report(summary: Any, dry_run: bool) -> None:
    for note in summary.notes:
        click.echo(note, err=True)
    for verb, keys in (("added", summary.added), ("updated", summary.updated)):
        for key in keys:
            click.echo(f"{'would be ' if dry_run else ''}{verb} {key}")
    click.echo(("dry run: " if dry_run else "") + summary.line())


@main.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID_OR_URL...")
@click.option(
    "-c",
    "--category",
    "categories",
    multiple=True,
    metavar="LEAF",
    help="Taxonomy leaf (repeatable).",
)
@click.option("--code", metavar="URL", help="Code repository (one paper only).")
@click.option(
    "--name", metavar="SHORT", help="Method name for tables and the figure (one paper only)."
)
@click.option("--dry-run", is_flag=True, help="Fetch and show what would change; write nothing.")
@click.option("--refresh", is_flag=True, help="Ignore the response cache.")
@click.pass_context
def add(
    ctx: click.Context,
    papers: tuple[str, ...],
    categories: tuple[str, ...],
    code: str | None,
    name: str | None,
    dry_run: bool,
    refresh: bool,
) -> None:
    """Add papers by arXiv ID or URL, with metadata from the arXiv API.

    A paper already in the bib gains the new categories; its hand-set venue, code and
    name are kept. All or nothing: if any ID fails, nothing is written.

    Example: vlabib add 2509.09372 https://arxiv.org/pdf/2406.04339v2 -c token-pruning
    """
    from vlabib.arxiv import Client
    from vlabib.refs import add as add_papers

    with _progress(len(papers), "Fetching from arXiv") as update:
        summary = add_papers(
            _project(ctx),
            papers,
            categories,
            code=code,
            name=name,
            dry_run=dry_run,
            client=Client(refresh=refresh),
            progress=update,
        )
    _report(summary, dry_run)


@main.command(name="import")
@click.argument("paper_list", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--offline", is_flag=True, help="Use only the list's own text; fetch nothing.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--refresh", is_flag=True, help="Ignore the response cache.")
@click.pass_context
def import_(
    ctx: click.Context, paper_list: Path, offline: bool, dry_run: bool, refresh: bool
) -> None:
    """Import an existing Markdown paper list (bullet or table layout) into refs/.

    Headings become the taxonomy (or map onto refs/taxonomy.toml when it exists); each
    paper is filed under every heading it appears under.

    Example: vlabib import README.old.md
    """
    from vlabib.arxiv import Client
    from vlabib.refs import import_list

    summary = import_list(
        _project(ctx),
        paper_list,
        offline=offline,
        dry_run=dry_run,
        client=Client(refresh=refresh),
    )
    _report(summary, dry_run)


@main.command()
@click.argument("papers", nargs=-1, metavar="[ID...]")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--refresh", is_flag=True, help="Ignore cached answers.")
@click.pass_context
def update(ctx: click.Context, papers: tuple[str, ...], dry_run: bool, refresh: bool) -> None:
    """Refresh arXiv metadata and find where preprints were published.

    New titles and author lists are applied and shown; venues come from arXiv's journal
    reference, Semantic Scholar and DBLP, and only when title, authors and year match.
    Disagreeing sources are reported, not applied; a hand-set venue is never replaced.

    Example: vlabib update --dry-run
    """
    from vlabib.refs import update as update_papers

    report = update_papers(_project(ctx), papers, dry_run=dry_run, refresh=refresh)
    for line in report.lines:
        click.echo(line)
    click.echo(("dry run: " if dry_run else "") + report.summary())


@main.group()
def overleaf() -> None:
    """Sync latex/ with an Overleaf project through its git bridge.

    The project URL comes from VLABIB_OVERLEAF_URL or [tool.vlabib] overleaf; the token
    from OVERLEAF_TOKEN or git's credential helper.

    Example: vlabib overleaf status
    """


def _overleaf(ctx: click.Context, action: str) -> None:
    from vlabib import overleaf as sync

    result = getattr(sync, action)(_project(ctx))
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


@main.command()
@click.pass_context
def build(ctx: click.Context) -> None:
    """Write the README paper list and latex/generated/ from the bib and the taxonomy.

    Only files whose content changed are written; a second run changes nothing.

    Example: vlabib build
    """
    from vlabib.build import build as build_outputs

    changed = build_outputs(_project(ctx))
    for name in changed:
        click.echo(f"wrote {name}")
    click.echo(f"{len(changed)} file{'s' if len(changed) != 1 else ''} changed")


@main.command()
@click.option("--main", "main_file", default="main.tex", show_default=True, help="File to compile.")
@click.pass_context
def pdf(ctx: click.Context, main_file: str) -> None:
    """Compile the manuscript to PDF with latexmk, confined to latex/.

    No shell escape, no latexmkrc, and no file read or written outside latex/
    (kpathsea's paranoid mode). 'make tex' runs build, check, then this.

    Example: vlabib pdf
    """
    from vlabib import bib
    from vlabib.pdf import compile_pdf

    project = _project(ctx)
    bib.load(project.bib, project.settings.bib)  # a broken bib means stale outputs: stop
    done = compile_pdf(project.path("latex"), main_file, display=project.settings.latex)
    click.echo(f"wrote {project.rel(done.pdf)}")


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Report every problem in the survey's data, one line each; exit 1 on errors.

    Unknown or missing categories, duplicate IDs or titles, missing urls, non-canonical
    formatting.

    Example: vlabib check
    """
    from vlabib.check import check_project

    problems = check_project(_project(ctx))
    for problem in problems:
        click.echo(problem.line_text(), err=True)
    if any(not p.warning for p in problems):
        ctx.exit(1)
    click.echo("ok" if not problems else f"ok ({len(problems)} warnings)")


def _papers_and_taxonomy(ctx: click.Context) -> tuple[list[Any], Any]:
    from vlabib import bib

    project = _project(ctx)
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
    records = [query.paper_record(p) for p in selected]
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    width = shutil.get_terminal_size((100, 20)).columns
    title_width = max(20, width - 12 - 6 - 16 - 6)
    for r in records:
        title = (
            r["title"] if len(r["title"]) <= title_width else r["title"][: title_width - 1] + "…"
        )
        click.echo(f"{r['id']:<12} {r['year'] or '':<5} {(r['venue'] or 'arXiv')[:15]:<15} {title}")
    click.echo(f"{len(records)} paper{'s' if len(records) != 1 else ''}")


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
            f"{paper_id} is not in {_project(ctx).settings.bib}; "
            f"add it with 'vlabib add {paper_id}'"
        )
    record = query.paper_record(found[0])
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
    click.echo(
        f"{data['papers']} papers, {data['memberships']} memberships, {len(taxonomy.leaves)} leaves"
    )
    click.echo()
    click.echo(f"{'node':<48} {'id':<32} {'own':>4} {'total':>6}")
    for node in data["nodes"]:
        label = "  " * node["depth"] + node["title"]
        click.echo(f"{label:<48} {node['id']:<32} {node['own']:>4} {node['total']:>6}")
    click.echo()
    click.echo(f"{'year':<6} {'papers':>6}")
    for row in data["years"]:
        click.echo(f"{row['year'] or '?':<6} {row['papers']:>6}")
