"""``vlabib remove``: papers out of the bib, in one transaction (all named papers or none)."""

from __future__ import annotations

from collections.abc import Sequence

from vlabib import bib
from vlabib.commands import query
from vlabib.config import Project
from vlabib.errors import BibError
from vlabib.model import Report


def remove(project: Project, wanted: Sequence[str], *, dry_run: bool = False) -> Report:
    """Remove the papers *wanted* names (key, arXiv ID or URL, short name, link); one error
    naming every one that is not there, and then nothing is removed."""
    display = project.settings.bib
    with bib.transaction(project.bib, display, dry_run=dry_run, root=project.root) as change:
        papers = list(change.papers.values())
        found, missing = [], []
        for name in wanted:
            paper = query.find(papers, name)
            if paper is None:
                missing.append(query.not_found(papers, name, display))
            elif paper.key not in found:
                found.append(paper.key)
        if missing:
            raise BibError("\n".join(missing) + "\nnothing was removed")
        for key in found:
            del change.papers[key]
    verb = "would remove" if dry_run else "removed"
    return Report(tuple(f"{verb} {key}" for key in found))
