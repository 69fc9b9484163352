"""``vlabib add``: validate, fetch from arXiv, then one bib transaction, so a failure
anywhere leaves the bib byte-identical. Merging papers into the bib is shared with import.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from vlabib import bib
from vlabib.config import Project
from vlabib.errors import ConfigError, VlabibError
from vlabib.ids import parse_arxiv_ids
from vlabib.listimport.papers import merge
from vlabib.model import Paper, Progress, Report
from vlabib.remote.arxiv import Client, Record, not_fetched
from vlabib.remote.entries import from_record
from vlabib.remote.services import Services
from vlabib.taxonomy import Taxonomy
from vlabib.tex.encode import text_to_latex


@dataclass
class Summary:
    """What a change did (or, dry, would do), by key."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # ID -> why it was not fetched

    def line(self) -> str:
        said = (
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}"
        )
        return said + (f", failed {len(self.failed)}" if self.failed else "")

    def report(self, dry_run: bool = False) -> Report:
        verb = "would be " if dry_run else ""
        lines = [f"{verb}added {k}" for k in self.added]
        lines += [f"{verb}updated {k}" for k in self.updated]
        lines.append(("dry run: " if dry_run else "") + self.line())
        return Report(tuple(lines), tuple(self.notes), failures(self.failed))


def failures(failed: Mapping[str, str]) -> tuple[str, ...]:
    """One error line per paper that could not be fetched, and how to retry them."""
    if not failed:
        return ()
    lines = [f"{ident}: {why}" for ident, why in failed.items()]
    papers = "paper" if len(failed) == 1 else "papers"
    return (
        *lines,
        f"{len(failed)} {papers} could not be fetched (above); everything else was written "
        "(--strict writes nothing when any paper fails)",
    )


def fetched(
    client: Client, ids: Sequence[str], progress: Progress | None, *, strict: bool
) -> tuple[dict[str, Record], dict[str, str]]:
    """arXiv's records for *ids*, and the IDs it did not give with why; *strict* makes any
    failure an error (nothing is written)."""
    records, failed = client.fetch_some(ids, progress)
    if failed and (strict or not records):  # nothing to write, or all or nothing asked for
        raise not_fetched(failed)
    return records, failed


def check_categories(categories: Sequence[str], taxonomy: Taxonomy) -> list[str]:
    """The categories, each a taxonomy leaf; one error naming every bad one, with a hint."""
    leaves = [leaf.id for leaf in taxonomy.leaves]
    bad = []
    for cat in categories:
        if cat in leaves:
            continue
        if cat in taxonomy:
            bad.append(
                f"{cat} is a heading with sub-headings (use one of: "
                f"{', '.join(taxonomy.leaves_under(cat))})"
            )
            continue
        close = difflib.get_close_matches(cat, leaves, n=1)
        bad.append(
            f"{cat} is not a taxonomy leaf" + (f" (did you mean {close[0]}?)" if close else "")
        )
    if bad:
        raise ConfigError("unknown category: " + "; ".join(bad) + " — see 'vlabib stats'")
    return list(dict.fromkeys(categories))


def merge_into(
    project: Project,
    new: list[Paper],
    summary: Summary,
    *,
    base: bib.Snapshot | None,
    dry_run: bool,
    force: dict[str, str] | None = None,
) -> None:
    """Merge *new* into the bib in one transaction; *force* sets fields the user gave."""
    display = project.settings.bib
    with bib.transaction(
        project.bib, display, base=base, create=True, dry_run=dry_run, root=project.root
    ) as change:
        for paper in new:
            old = change.papers.get(paper.key)
            merged = paper if old is None else merge(old, paper)
            if force:
                merged = merged.replace(**force)
            change.papers[paper.key] = merged
            if old is None:
                summary.added.append(paper.key)
            elif merged == old:
                summary.unchanged.append(paper.key)
            else:
                summary.updated.append(paper.key)


def snapshot(project: Project) -> bib.Snapshot | None:
    """The bib as it stands (a broken one fails here, before any request), or None."""
    return bib.read(project.bib, project.settings.bib) if project.bib.exists() else None


def add(
    project: Project,
    args: Sequence[str],
    categories: Sequence[str] = (),
    *,
    services: Services,
    code: str | None = None,
    name: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    choose: Callable[[str, Record], str] | None = None,
    filed: Mapping[str, Sequence[str]] | None = None,
    strict: bool = False,
) -> Summary:
    """Fetch the papers *args* name and insert or merge them, all or nothing. A new paper
    without *categories* is filed under the leaves *filed* gives for its ID, or the leaf
    *choose* picks from its arXiv record."""
    ids = parse_arxiv_ids(args)
    if (code or name) and len(ids) != 1:
        raise VlabibError("--code and --name describe one paper; give exactly one ID with them")
    taxonomy = project.taxonomy()
    cats = check_categories(categories, taxonomy)
    leaves = {i: check_categories(filed.get(i, ()), taxonomy) for i in ids} if filed else {}
    base = snapshot(project)
    existing = {p.key for p in base.papers} if base else set()
    new_uncategorised = [i for i in ids if i not in existing and not cats and not leaves.get(i)]
    if new_uncategorised and choose is None:
        raise VlabibError(
            f"{', '.join(new_uncategorised)}: new papers need a category; "
            "add -c LEAF (see 'vlabib stats' for the leaves)"
        )
    records, failed = fetched(services.arxiv, ids, progress, strict=strict)
    summary = Summary(failed=failed)
    picked = {i: [choose(i, records[i])] for i in new_uncategorised if i in records and choose}
    papers = [
        from_record(records[i], picked.get(i) or leaves.get(i) or cats, summary.notes)
        for i in ids
        if i in records
    ]
    force = {}
    if code is not None:
        force["code"] = code
    if name is not None:
        force["shortname"] = text_to_latex(name)
    merge_into(project, papers, summary, base=base, dry_run=dry_run, force=force)
    return summary
