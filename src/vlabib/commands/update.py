"""``vlabib update``: refresh arXiv metadata and find published venues; one transaction.

Title and author changes are applied and shown as a diff; fields arXiv owns follow arXiv;
hand-set ones (venue, code, name) are never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from vlabib import bib
from vlabib.commands.add import failures, fetched
from vlabib.config import Project
from vlabib.errors import VlabibError
from vlabib.ids import is_arxiv_id, parse_arxiv_ids
from vlabib.model import Paper, Progress, Report
from vlabib.names import display_name
from vlabib.remote.catalogs import find
from vlabib.remote.claims import Preprint
from vlabib.remote.entries import from_record
from vlabib.remote.services import Services
from vlabib.tex.encode import text_to_latex
from vlabib.tex.read import latex_to_text

Changes = dict[str, str | None]


@dataclass
class UpdateReport:
    """What ``vlabib update`` found, changed and left for a person."""

    lines: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    checked: int = 0
    venues: int = 0
    applied: int = 0
    conflicts: int = 0

    def summary(self) -> str:
        return (
            f"checked {self.checked} papers, {self.venues} venues found, "
            f"{self.applied} changes applied, {self.conflicts} conflicts left for a person"
        )

    def report(self, dry_run: bool = False) -> Report:
        summary = ("dry run: " if dry_run else "") + self.summary()
        return Report((*self.lines, summary), errors=failures(self.failed))


def _diff_names(old: list[str], new: list[str]) -> list[str]:
    removed = [f"  - {n}" for n in old if n not in new]
    added = [f"  + {n}" for n in new if n not in old]
    moved = [] if removed or added else ["  (same authors, new order)"]
    return removed + added + moved


def _refresh(paper: Paper, fresh: Paper, version: int, report: UpdateReport) -> Changes:
    """The fields a new arXiv version changes (title and authors reported)."""
    changes: Changes = {}
    old_title, new_title = latex_to_text(paper.title), latex_to_text(fresh.title)
    if new_title and old_title != new_title:
        report.lines += [
            f"{paper.key}: title changed (arXiv v{version})",
            f"  - {old_title}",
            f"  + {new_title}",
        ]
        changes["title"] = fresh.title
    old_authors = [display_name(latex_to_text(a)) for a in paper.authors]
    new_authors = [display_name(latex_to_text(a)) for a in fresh.authors]
    if new_authors and old_authors != new_authors:
        report.lines += [
            f"{paper.key}: authors changed (arXiv v{version})",
            *_diff_names(old_authors, new_authors),
        ]
        changes["author"] = fresh.get("author")
    for name in ("primaryclass", "doi", "journalref", "arxivcomment"):
        if fresh.get(name) and fresh.get(name) != paper.get(name):
            changes[name] = fresh.get(name)
    return changes


def update(
    project: Project,
    args: Sequence[str] = (),
    *,
    dry_run: bool = False,
    services: Services,
    strict: bool = False,
) -> UpdateReport:
    """Refresh arXiv metadata and find published venues; one write, or none."""
    display = project.settings.bib
    base = bib.read(project.bib, display)
    by_key = {p.key: p for p in base.papers}
    # Papers keyed doi:… have no arXiv record to refresh.
    wanted = parse_arxiv_ids(args) if args else [p.key for p in base.papers if is_arxiv_id(p.key)]
    unknown = [k for k in wanted if k not in by_key]
    if unknown:
        raise VlabibError(f"not in {display}: {', '.join(unknown)}; add them with 'vlabib add'")
    report = UpdateReport(checked=len(wanted))
    # A day-old answer is fresh enough for a routine update; --refresh asks again.
    records, report.failed = fetched(services.arxiv_metadata, wanted, None, strict=strict)
    wanted = [k for k in wanted if k in records]
    changes: dict[str, Changes] = {}
    for key in wanted:
        fresh = from_record(records[key], by_key[key].categories, report.lines)
        changes[key] = _refresh(by_key[key], fresh, records[key].version, report)
        report.applied += bool(changes[key])
    # Venues, for papers without one: a venue in the bib was set by a person, and stays.
    preprints = [
        Preprint(k, records[k].title, records[k].authors, by_key[k].year, records[k].journal_ref)
        for k in wanted
        if not by_key[k].venue
    ]
    for key, decision in find(services.catalogs, preprints).items():
        if decision.conflict:
            report.conflicts += 1
            report.lines.append(f"{key}: sources disagree ({decision.conflict}); left for a person")
        elif decision.venue:
            report.venues += 1
            report.applied += 1
            report.lines.append(f"{key}: venue {decision.venue} ({', '.join(decision.sources)})")
            changes[key]["venue"] = text_to_latex(decision.venue)
    with bib.transaction(
        project.bib, display, base=base, dry_run=dry_run, root=project.root
    ) as change:
        for key, fields in changes.items():
            current = change.papers.get(key)
            if fields and current is not None:
                if current.venue:  # set by hand while we were asking
                    fields.pop("venue", None)
                change.papers[key] = current.replace(**fields)
    return report


#: What ``update --fill`` takes from arXiv when the bib lacks it.
FILLED = (
    "author",
    "abstract",
    "month",
    "primaryclass",
    "doi",
    "journalref",
    "arxivcomment",
    "code",
)


def _lacks(paper: Paper, name: str) -> bool:
    """An author list cut short ("X and others") lacks the rest of its authors."""
    value = paper.get(name)
    return not value or (name == "author" and paper.authors[-1:] == ("others",))


def fill(
    project: Project,
    *,
    dry_run: bool = False,
    services: Services,
    strict: bool = False,
    progress: Progress | None = None,
) -> UpdateReport:
    """``vlabib update --fill``: for every arXiv paper, what arXiv knows and the bib lacks
    (authors, abstract, month, …), fetched 100 at a time; nothing the bib has is replaced."""
    display = project.settings.bib
    base = bib.read(project.bib, display)
    lacking = [p for p in base.papers if p.arxiv_id and any(_lacks(p, f) for f in FILLED)]
    report = UpdateReport(checked=len(lacking))
    records, report.failed = fetched(
        services.arxiv, [p.key for p in lacking], progress, strict=strict
    )
    with bib.transaction(
        project.bib, display, base=base, dry_run=dry_run, root=project.root
    ) as change:
        for paper in lacking:
            current = change.papers.get(paper.key)
            if current is None or paper.key not in records:
                continue
            fresh = from_record(records[paper.key], current.categories, report.lines)
            fields = {f: fresh.get(f) for f in FILLED if _lacks(current, f) and fresh.get(f)}
            if fields:
                change.papers[paper.key] = current.replace(**fields)
                report.applied += 1
                report.lines.append(f"{paper.key}: filled {', '.join(fields)}")
    return report
