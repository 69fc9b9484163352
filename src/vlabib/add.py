"""``vlabib add`` and ``vlabib import``: validate, fetch, then one bib transaction, so a
failure anywhere leaves the bib byte-identical.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vlabib import bib
from vlabib.arxiv import Client
from vlabib.config import Project
from vlabib.errors import ConfigError, VlabibError
from vlabib.files import atomic_write
from vlabib.ids import parse_arxiv_ids
from vlabib.lists import ListItem, PaperList, parse_list
from vlabib.model import Paper
from vlabib.papers import from_list_item, from_record, merge
from vlabib.taxonomy import Taxonomy, from_headings, parse_taxonomy, to_toml
from vlabib.tex import text_to_latex
from vlabib.titles import norm_title

Progress = Callable[[int], None]


@dataclass
class Summary:
    """What a change did (or, dry, would do), by key."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}"
        )


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


def _merge_into(
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
    with bib.transaction(project.bib, display, base=base, create=True, dry_run=dry_run) as change:
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


def _snapshot(project: Project) -> bib.Snapshot | None:
    """The bib as it stands (a broken one fails here, before any request), or None."""
    return bib.read(project.bib, project.settings.bib) if project.bib.exists() else None


def add(
    project: Project,
    args: Sequence[str],
    categories: Sequence[str] = (),
    *,
    code: str | None = None,
    name: str | None = None,
    dry_run: bool = False,
    client: Client | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Fetch the papers *args* name and insert or merge them, all or nothing."""
    ids = parse_arxiv_ids(args)
    if (code or name) and len(ids) != 1:
        raise VlabibError("--code and --name describe one paper; give exactly one ID with them")
    cats = check_categories(categories, project.taxonomy())
    base = _snapshot(project)
    existing = {p.key for p in base.papers} if base else set()
    new_uncategorised = [i for i in ids if i not in existing and not cats]
    if new_uncategorised:
        raise VlabibError(
            f"{', '.join(new_uncategorised)}: new papers need a category; "
            "add -c LEAF (see 'vlabib stats' for the leaves)"
        )
    records = (client or Client()).fetch(ids, progress)
    summary = Summary()
    papers = [from_record(records[ident], cats, summary.notes) for ident in ids]
    force = {}
    if code is not None:
        force["code"] = code
    if name is not None:
        force["shortname"] = text_to_latex(name)
    _merge_into(project, papers, summary, base=base, dry_run=dry_run, force=force)
    return summary


# -- import ----------------------------------------------------------------------------------


def _map_onto(plist: PaperList, taxonomy: Taxonomy, source: str) -> dict[tuple[str, ...], str]:
    """Heading path -> leaf id of the existing taxonomy, by (nearly) equal titles."""
    leaves = {norm_title(leaf.title): leaf.id for leaf in taxonomy.leaves}
    mapping: dict[tuple[str, ...], str] = {}
    unknown = []
    holding = {i.section for i in plist.items if i.arxiv_id}
    for head in plist.headings:
        if head.path not in holding:
            continue
        key = norm_title(head.title)
        close = difflib.get_close_matches(key, list(leaves), n=1, cutoff=0.85)
        if key in leaves:
            mapping[head.path] = leaves[key]
        elif close:
            mapping[head.path] = leaves[close[0]]
        else:
            unknown.append(f"{source}:{head.line}: heading {head.title!r}")
    if unknown:
        raise ConfigError(
            "\n".join(f"{u} matches no leaf of the taxonomy" for u in unknown)
            + "\nadd those headings to refs/taxonomy.toml (or import without one to make it "
            "from the list)"
        )
    return mapping


def _memberships(
    plist: PaperList, mapping: dict[tuple[str, ...], str], summary: Summary, source: str
) -> tuple[dict[str, list[str]], dict[str, ListItem]]:
    """Each arXiv ID's categories, in the list's order, and the item it first appears as."""
    categories: dict[str, list[str]] = {}
    first: dict[str, ListItem] = {}
    for item in plist.items:
        if not item.arxiv_id:
            summary.notes.append(
                f"{source}:{item.line}: {item.title!r} has no arXiv link; skipped "
                "(add it by hand, keyed doi:…)"
            )
            continue
        cat = mapping.get(item.section)
        if cat is None:
            continue
        categories.setdefault(item.arxiv_id, [])
        if cat not in categories[item.arxiv_id]:
            categories[item.arxiv_id].append(cat)
        first.setdefault(item.arxiv_id, item)
    return categories, first


def import_list(
    project: Project,
    list_path: Path,
    *,
    offline: bool = False,
    dry_run: bool = False,
    client: Client | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Bring a Markdown paper list into refs/: its headings, papers and categories."""
    source = str(list_path)
    try:
        text = list_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VlabibError(f"{source}: cannot read: {exc.strerror}") from None
    plist = parse_list(text)
    base = _snapshot(project)
    summary = Summary()
    tax_path = project.path("taxonomy")
    new_taxonomy = None
    if tax_path.exists():
        mapping = _map_onto(plist, project.taxonomy(), source)
    else:
        holding = [i.section for i in plist.items if i.arxiv_id]
        try:
            taxonomy, mapping = from_headings([h.path for h in plist.headings], holding)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
        new_taxonomy = to_toml(taxonomy)
        parse_taxonomy(new_taxonomy, project.settings.taxonomy)  # it must read back
    categories, first = _memberships(plist, mapping, summary, source)
    if offline:
        papers = [from_list_item(first[i], cats, summary.notes) for i, cats in categories.items()]
    else:
        records = (client or Client()).fetch(list(categories), progress)
        papers = []
        for ident, cats in categories.items():
            paper = from_record(records[ident], cats, summary.notes)
            listed = from_list_item(first[ident], cats)
            # The list's own venue, code and website are hand-set facts about the paper.
            extra = {
                k: listed.fields[k] for k in ("venue", "code", "website") if k in listed.fields
            }
            papers.append(paper.replace(**extra))
    _merge_into(project, papers, summary, base=base, dry_run=dry_run)
    if new_taxonomy is not None and not dry_run:
        atomic_write(tax_path, new_taxonomy)
        summary.notes.append(f"wrote {project.settings.taxonomy} from the list's headings")
    return summary
