"""Commands that change the bibliography: add, import, update, remove."""

from __future__ import annotations

from pathlib import Path

import click

from vlabib.cli.app import StartedPath, main, progress, project_of, services, show


@main.command()
@click.argument("papers", nargs=-1, metavar="ID_OR_URL...")
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
@click.option("--yes", is_flag=True, help="Without -c: file each paper under its best suggestion.")
@click.option("--strict", is_flag=True, help="Write nothing if any paper cannot be fetched.")
@click.option(
    "--from-issue",
    type=StartedPath(dir_okay=False, exists=True, path_type=Path),
    help="The body of a 'Suggest a paper' issue: its paper, category and code, checked.",
)
@click.pass_context
def add(
    ctx: click.Context,
    papers: tuple[str, ...],
    categories: tuple[str, ...],
    code: str | None,
    name: str | None,
    dry_run: bool,
    refresh: bool,
    yes: bool,
    strict: bool,
    from_issue: Path | None,
) -> None:
    """Add papers by arXiv ID or URL, with metadata from the arXiv API.

    A paper already in the bib gains the new categories; its hand-set venue, code and
    name are kept. IDs arXiv does not know are named (exit 1) and the rest are written;
    with --strict, nothing is written when any fails. Without -c, the
    leaves are suggested from the title and abstract (see 'vlabib suggest'): pick one on
    a terminal, or take the best with --yes.

    Example: vlabib add 2509.09372 https://arxiv.org/pdf/2406.04339v2 -c token-pruning
    """
    from vlabib.cli.current import leaf_picker
    from vlabib.commands.add import add as add_papers

    project = project_of(ctx)
    if from_issue is not None:
        from vlabib.files import read_source
        from vlabib.outputs.issue_form import suggested

        asked = suggested(read_source(from_issue, str(from_issue)), project.taxonomy())
        papers, categories, code = (asked.arxiv_id,), (asked.leaf,), asked.code or code
    if not papers:
        raise click.UsageError("give the papers' arXiv IDs or URLs (or --from-issue FILE)")
    choose = None if categories else leaf_picker(project, yes)
    with progress("Fetching from arXiv") as update:
        summary = add_papers(
            project,
            papers,
            categories,
            code=code,
            name=name,
            dry_run=dry_run,
            services=services(refresh),
            progress=update,
            choose=choose,
            strict=strict,
        )
    show(summary.report(dry_run))


@main.command(name="import")
@click.argument("paper_list", type=StartedPath(dir_okay=False, exists=True, path_type=Path))
@click.option("--offline", is_flag=True, help="Use only the list's own text; fetch nothing.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@click.option("--arxiv-only", is_flag=True, help="Leave out papers without an arXiv ID.")
@click.option("--refresh", is_flag=True, help="Ignore the response cache.")
@click.option("--title", default="", help="The survey's title (default: the list's own).")
@click.option("--strict", is_flag=True, help="Write nothing if any paper cannot be fetched.")
@click.option(
    "--tex",
    type=StartedPath(path_type=Path, file_okay=False),
    help="A .bib: the folder of the .tex files citing it (default: the survey's latex folder).",
)
@click.option("-c", "--category", "leaf", default="", help="A .bib: file every paper under LEAF.")
@click.option(
    "--taxonomy-from-sections",
    is_flag=True,
    help="A .bib: the manuscript's sections become the taxonomy (the default with none).",
)
@click.pass_context
def import_(
    ctx: click.Context,
    paper_list: Path,
    offline: bool,
    dry_run: bool,
    arxiv_only: bool,
    refresh: bool,
    title: str,
    strict: bool,
    tex: Path | None,
    leaf: str,
    taxonomy_from_sections: bool,
) -> None:
    """Import an existing Markdown paper list, in any layout real lists use; or a
    manuscript's bibliography (a .bib) and every citation of it.

    Bullets, numbered items, tables, HTML tables and lists, <details> blocks; every arXiv
    link, and papers without one keyed by their DOI, OpenReview, ACL, CVF… link. Headings
    become the taxonomy (or map onto the survey's taxonomy when it exists). A folder that is
    in no survey becomes one.

    A .bib: each entry keyed by its arXiv ID (else its DOI or paper link, else its own
    key), its old key kept in 'ids'; every \\cite of an old key in the manuscript rewritten
    (nothing else changes); papers filed under -c LEAF or the sections that cite them.

    Example: vlabib import README.old.md --dry-run; vlabib import --offline latex/refs.bib
    """
    from vlabib.commands.import_list import import_list, survey_at

    project, new = survey_at(start_of(ctx))
    if paper_list.suffix.lower() == ".bib":
        from vlabib.commands.import_bib import import_bib

        done = import_bib(
            project,
            paper_list.resolve(),
            new_survey=new,
            tex=tex.resolve() if tex else None,
            leaf=leaf,
            from_sections=taxonomy_from_sections,
            title=title,
            dry_run=dry_run,
            strict=strict,
            services=None if offline else services(refresh),
        )
        show(done.report(dry_run))
        return
    with progress("Fetching from arXiv") as update:
        imported = import_list(
            project,
            paper_list,
            offline=offline,
            dry_run=dry_run,
            arxiv_only=arxiv_only,
            services=services(refresh),
            progress=update,
            new_survey=new,
            title=title,
            strict=strict,
        )
    show(imported.report(dry_run))


def start_of(ctx: click.Context) -> Path:
    """Where the command was started (``-C`` or the working directory)."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Path) else obj.root


@main.command()
@click.argument("papers", nargs=-1, metavar="[ID...]")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--refresh", is_flag=True, help="Ignore cached answers.")
@click.option("--strict", is_flag=True, help="Write nothing if any paper cannot be fetched.")
@click.option(
    "--fill", is_flag=True, help="Fetch what arXiv knows and the bib lacks (authors, abstract)."
)
@click.pass_context
def update(
    ctx: click.Context,
    papers: tuple[str, ...],
    dry_run: bool,
    refresh: bool,
    strict: bool,
    fill: bool,
) -> None:
    """Refresh arXiv metadata and find where preprints were published.

    New titles and author lists are applied and shown; venues come from arXiv's journal
    reference, Semantic Scholar and DBLP, and only when title, authors and year match.
    Disagreeing sources are reported, not applied; a hand-set venue is never replaced.

    With --fill, every arXiv paper gets what arXiv knows and the bib lacks (authors,
    abstract, month; a list's "et al." completed), 100 papers a request; nothing the bib
    has is replaced.

    Example: vlabib update --dry-run
    Example: vlabib update --fill
    """
    from vlabib.commands import update as refresh_papers

    project, fetch = project_of(ctx), services(refresh)
    if fill:
        if papers:
            raise click.UsageError("--fill fills every paper that lacks something; give no IDs")
        with progress("Fetching from arXiv") as advance:
            report = refresh_papers.fill(
                project, dry_run=dry_run, services=fetch, strict=strict, progress=advance
            )
    else:
        report = refresh_papers.update(
            project, papers, dry_run=dry_run, services=fetch, strict=strict
        )
    show(report.report(dry_run))


@main.command()
@click.argument("papers", nargs=-1, required=True, metavar="ID...")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; write nothing.")
@click.pass_context
def remove(ctx: click.Context, papers: tuple[str, ...], dry_run: bool) -> None:
    """Remove papers from the bibliography (by key, arXiv ID or URL, short name or link).

    All of them or none: a name that matches no paper stops the command. Run 'vlabib build'
    afterwards to update the list and the manuscript.

    Example: vlabib remove 2509.09372 SmolVLA
    """
    from vlabib.commands.remove import remove as remove_papers

    show(remove_papers(project_of(ctx), papers, dry_run=dry_run))
