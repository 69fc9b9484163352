"""Commands that write and check the outputs: build, check, fmt, pdf."""

from __future__ import annotations

from dataclasses import replace

import click

from vlabib.cli.app import UserError, main, project_of


@main.command()
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if the bib is not canonical."
)
@click.option(
    "--cites", is_flag=True, help="Also rewrite citations of old keys (ids) in the manuscript."
)
@click.pass_context
def fmt(ctx: click.Context, check_only: bool, cites: bool) -> None:
    """Rewrite the bibliography in canonical form.

    Sorted by key, fixed field order and alignment; running it twice changes nothing.
    With --cites, every \\cite of a key a paper had before (its ids) becomes its key.

    Example: vlabib fmt --check; vlabib fmt --cites
    """
    from vlabib import bib

    project = project_of(ctx)
    name = project.settings.bib
    if cites:
        from vlabib.commands.old_keys import rewrite_old_cites

        said = rewrite_old_cites(project, bib.load(project.bib, name), dry_run=check_only)
        for line in said:
            click.echo(("would rewrite " if check_only else "rewrote ") + line)
        if check_only and said:
            raise UserError("citations of old keys; run 'vlabib fmt --cites'")
    changed = bib.format_file(project.bib, name, check_only=check_only, root=project.root)
    if check_only and changed:
        for line in bib.canonical_diff(project.bib, name):
            click.echo(line)
        raise UserError(f"{name}: not in canonical format; run 'vlabib fmt'")
    click.echo(f"{name}: {'reformatted' if changed else 'already canonical'}")


@main.command()
@click.option("--force", is_flag=True, help="Drop papers typed into the generated list by hand.")
@click.option(
    "--absorb", is_flag=True, help="Take papers typed into the generated list into the bib."
)
@click.option("--offline", is_flag=True, help="With --absorb: use only the lines' own text.")
@click.pass_context
def build(ctx: click.Context, force: bool, absorb: bool, offline: bool) -> None:
    """Write the README paper list and latex/generated/ from the bib and the taxonomy.

    Only files whose content changed are written; a second run changes nothing. A paper
    typed into the README's generated list by hand (a contributor's pull request) stops it,
    unless --absorb takes it into the bib (arXiv's metadata, the leaf of its heading, the
    line's own words kept) or --force drops it.

    Example: vlabib build --absorb
    """
    from vlabib.commands.build import build as build_outputs

    project = project_of(ctx)
    if absorb:
        from vlabib.cli.app import progress, services, show
        from vlabib.commands.absorb import absorb as absorb_papers

        with progress("Fetching from arXiv") as update:
            taken = absorb_papers(project, None if offline else services(False), progress=update)
        show(replace(taken.report(), errors=()))
        if taken.failed:
            raise UserError("\n".join(taken.report().errors))
    changed = build_outputs(project, force=force)
    for name in changed:
        click.echo(f"wrote {name}")
    click.echo(f"{len(changed)} file{'s' if len(changed) != 1 else ''} changed")


@main.command()
@click.option("--main", "main_file", help="File to compile (default: the main setting, main.tex).")
@click.pass_context
def pdf(ctx: click.Context, main_file: str | None) -> None:
    """Compile the manuscript to PDF with latexmk, confined to latex/.

    No shell escape, no latexmkrc, and no file read or written outside latex/
    (kpathsea's paranoid mode). 'make tex' runs build, check, then this.

    Example: vlabib pdf
    """
    from vlabib import bib
    from vlabib.commands.pdf import compile_pdf

    project = project_of(ctx)
    bib.load(project.bib, project.settings.bib)  # a broken bib means stale outputs: stop
    main_file = main_file or project.settings.main
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
    from vlabib.commands.check import check_project

    problems = check_project(project_of(ctx))
    for problem in problems:
        click.echo(problem.line_text(), err=True)
    if any(not p.warning for p in problems):
        ctx.exit(1)
    n = len(problems)
    click.echo("ok" if not n else f"ok ({n} warning{'s' if n != 1 else ''})")
