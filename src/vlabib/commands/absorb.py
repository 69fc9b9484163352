"""``vlabib build --absorb``: contributions made without vlabib. A contributor's pull request
adds a line to the README's generated list; this takes each such paper into the bib — arXiv's
metadata fetched, the leaf from the heading it was typed under, the line's own title, venue,
code and notes kept over arXiv's — and then the list is built again from the bib.
"""

from __future__ import annotations

from vlabib.commands.add import Summary, fetched, merge_into, snapshot
from vlabib.commands.build import load
from vlabib.config import Project
from vlabib.listimport.markdown import parse_list
from vlabib.listimport.papers import from_list_item, stated_over
from vlabib.model import Paper, Progress
from vlabib.outputs.readme import region_bounds
from vlabib.remote.entries import from_record
from vlabib.remote.services import Services


def absorb(
    project: Project,
    services: Services | None,
    *,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Every paper typed into the README's list that the bib lacks, into the bib (fetched
    from arXiv unless *services* is None). A line under a heading that is no leaf is named
    and left in place."""
    survey = load(project)
    start, stop, first = region_bounds(survey.readme)
    known = {p.key for p in survey.papers}
    leaves = {leaf.title.casefold(): leaf.id for leaf in survey.taxonomy.leaves}
    summary = Summary()
    typed = []
    for item in parse_list(survey.readme[start:stop]).items:
        if item.key in known:
            continue
        leaf = leaves.get(item.section[-1].casefold(), "") if item.section else ""
        if not leaf:
            summary.notes.append(
                f"{project.settings.readme}:{first + item.line - 1}: {item.key} sits under no "
                "leaf of the taxonomy; move the line under one (or add it with vlabib add -c)"
            )
            continue
        typed.append((item, leaf))
    ids = [item.arxiv_id for item, _ in typed if item.arxiv_id]
    records, failed = (
        ({}, {})
        if services is None or not ids
        else fetched(services.arxiv, ids, progress, strict=strict)
    )
    summary.failed = failed
    papers: list[Paper] = []
    for item, leaf in typed:
        if item.arxiv_id in failed:
            continue
        listed = from_list_item(item, [leaf], summary.notes)
        record = records.get(item.arxiv_id)
        papers.append(
            stated_over(from_record(record, [leaf], summary.notes), listed) if record else listed
        )
    merge_into(project, papers, summary, base=snapshot(project), dry_run=dry_run)
    return summary
