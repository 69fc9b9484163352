"""Changes to ``refs/``: ``add``, ``import`` and ``update``. Fetch first, then lock, re-read,
merge and write once, atomically, so a failure anywhere leaves the bib byte-identical.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vlabib import bib
from vlabib.arxiv import Client
from vlabib.config import Project, load_taxonomy, parse_taxonomy
from vlabib.entries import from_list_item, from_record, merge
from vlabib.errors import ConfigError, VlabibError
from vlabib.files import atomic_write, locked
from vlabib.ids import is_arxiv_id, parse_arxiv_ids
from vlabib.lists import ListItem, PaperList, parse_list
from vlabib.model import Paper, Taxonomy
from vlabib.tex import text_to_latex
from vlabib.venues import Claim, Venues, decide, journal_ref_claim, judge

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


def _apply(
    project: Project,
    new: list[Paper],
    dry_run: bool,
    summary: Summary,
    force: dict[str, str] | None = None,
) -> str:
    """Merge *new* into the bib under its lock; the text written (or, dry, to be written).

    *force* sets fields on every merged paper: options the user gave on purpose win.
    """
    path = project.bib
    with locked(path) if path.parent.is_dir() else contextlib.nullcontext():
        papers = bib.load(path, project.settings.bib) if path.exists() else []
        by_key = {p.key: p for p in papers}
        for paper in new:
            old = by_key.get(paper.key)
            merged = paper if old is None else merge(old, paper)
            if force:
                merged = merged.replace(**force)
            by_key[paper.key] = merged
            if old is None:
                summary.added.append(paper.key)
            elif merged == old:
                summary.unchanged.append(paper.key)
            else:
                summary.updated.append(paper.key)
        text = bib.write_string(by_key.values())
        # Whatever is written must read back: a bug here must never reach the file.
        bib.parse_string(text, project.settings.bib)
        if not dry_run and (summary.added or summary.updated):
            atomic_write(path, text)
    return text


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
    taxonomy = project.taxonomy()
    cats = check_categories(categories, taxonomy)
    existing = (
        {p.key for p in bib.load(project.bib, project.settings.bib)}
        if project.bib.exists()
        else set()
    )
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
    _apply(project, papers, dry_run, summary, force)
    return summary


# -- import ----------------------------------------------------------------------------------


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def _norm(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def list_taxonomy(plist: PaperList, source: str) -> tuple[Taxonomy, dict[tuple[str, ...], str]]:
    """A taxonomy made from the list's headings: the innermost heading holding every paper
    is the root, every heading below it a node. Also: heading path -> node id."""
    items = [i for i in plist.items if i.arxiv_id]
    if not items:
        raise VlabibError(f"{source}: no papers with arXiv links found")
    root = items[0].section
    for item in items[1:]:
        n = 0
        while n < min(len(root), len(item.section)) and root[n] == item.section[n]:
            n += 1
        root = root[:n]
    if not root:
        raise VlabibError(f"{source}: papers must sit under headings")
    heads = [h for h in plist.headings if h.path[: len(root)] == root]
    taken = {_slug(root[-1])}
    ids = {root: _slug(root[-1])}
    specs = []
    for head in heads:
        if head.path == root:
            continue
        node_id = base = _slug(head.title)
        n = 2
        while node_id in taken:
            node_id, n = f"{base}-{n}", n + 1
        taken.add(node_id)
        ids[head.path] = node_id
        specs.append((node_id, head.title, ids.get(head.path[:-1]), ""))
    specs = [(i, t, None if p == ids[root] else p, b) for i, t, p, b in specs]
    return Taxonomy.build(ids[root], root[-1], specs), ids


def taxonomy_toml(taxonomy: Taxonomy) -> str:
    """TOML for a taxonomy, in the layout of ``refs/taxonomy.toml``."""
    q = json.dumps
    lines = [
        "# The survey's taxonomy, made by 'vlabib import' from the list's headings.",
        "# Papers are filed under leaves (nodes without children) by their keywords.",
        "",
        f"id = {q(taxonomy.root.id)}",
        f"title = {q(taxonomy.root.title, ensure_ascii=False)}",
    ]
    for node in taxonomy.nodes[1:]:
        lines += [
            "",
            "[[node]]",
            f"id = {q(node.id)}",
            f"title = {q(node.title, ensure_ascii=False)}",
        ]
        if node.depth > 1:
            lines.append(f"parent = {q(node.parent)}")
    return "\n".join(lines) + "\n"


def _map_onto(plist: PaperList, taxonomy: Taxonomy, source: str) -> dict[tuple[str, ...], str]:
    """Heading path -> leaf id of the existing taxonomy, by (nearly) equal titles."""
    leaves = {_norm(leaf.title): leaf.id for leaf in taxonomy.leaves}
    mapping: dict[tuple[str, ...], str] = {}
    unknown = []
    for head in plist.headings:
        if not any(i.section == head.path and i.arxiv_id for i in plist.items):
            continue
        key = _norm(head.title)
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
    if project.bib.exists():
        bib.load(project.bib, project.settings.bib)  # a broken bib fails before any request
    summary = Summary()
    tax_path = project.path("taxonomy")
    new_taxonomy = None
    if tax_path.exists():
        taxonomy = load_taxonomy(tax_path, project.settings.taxonomy)
        mapping = _map_onto(plist, taxonomy, source)
    else:
        taxonomy, ids = list_taxonomy(plist, source)
        mapping = {path: node_id for path, node_id in ids.items()}
        new_taxonomy = taxonomy_toml(taxonomy)
        parse_taxonomy(new_taxonomy, project.settings.taxonomy)  # it must read back
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
    _apply(project, papers, dry_run, summary)
    if new_taxonomy is not None and not dry_run:
        atomic_write(tax_path, new_taxonomy)
        summary.notes.append(f"wrote {project.settings.taxonomy} from the list's headings")
    return summary


# -- update -----------------------------------------------------------------------------------


@dataclass
class UpdateReport:
    """What ``vlabib update`` found, changed and left for a person."""

    lines: list[str] = field(default_factory=list)
    checked: int = 0
    venues: int = 0
    applied: int = 0
    conflicts: int = 0

    def summary(self) -> str:
        return (
            f"checked {self.checked} papers, {self.venues} venues found, "
            f"{self.applied} changes applied, {self.conflicts} conflicts left for a person"
        )


def _diff_names(old: list[str], new: list[str]) -> list[str]:
    removed = [f"  - {n}" for n in old if n not in new]
    added = [f"  + {n}" for n in new if n not in old]
    moved = [] if removed or added else ["  (same authors, new order)"]
    return removed + added + moved


def _refresh(paper: Paper, fresh: Paper, version: int, report: UpdateReport) -> Paper:
    """Apply a new arXiv version's title and authors (reported), and fetched fields."""
    from vlabib.names import display_name
    from vlabib.tex import latex_to_text

    changes: dict[str, str | None] = {}
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
    # Fields arXiv owns follow arXiv; hand-set ones (venue, code, name) are never touched.
    for name in ("primaryclass", "doi", "journalref", "arxivcomment"):
        if fresh.get(name) and fresh.get(name) != paper.get(name):
            changes[name] = fresh.get(name)
    return paper.replace(**changes) if changes else paper


def update(
    project: Project,
    args: Sequence[str] = (),
    *,
    dry_run: bool = False,
    refresh: bool = False,
    client: Client | None = None,
    venues: Venues | None = None,
) -> UpdateReport:
    """Refresh arXiv metadata and find published venues; one write, or none."""
    finder = venues or Venues(refresh=refresh)
    papers = bib.load(project.bib, project.settings.bib)
    by_key = {p.key: p for p in papers}
    # Entries keyed doi:… have no arXiv record to refresh.
    wanted = parse_arxiv_ids(args) if args else [p.key for p in papers if is_arxiv_id(p.key)]
    unknown = [k for k in wanted if k not in by_key]
    if unknown:
        raise VlabibError(
            f"not in {project.settings.bib}: {', '.join(unknown)}; add them with 'vlabib add'"
        )
    report = UpdateReport(checked=len(wanted))
    # A day-old answer is fresh enough for a routine update; --refresh asks again.
    arxiv = client or Client(refresh=refresh, max_age=24 * 3600)
    records = arxiv.fetch(wanted)
    updated = dict(by_key)
    for key in wanted:
        paper = by_key[key]
        record = records[key]
        fresh = from_record(record, paper.categories, report.lines)
        new = _refresh(paper, fresh, record.version, report)
        if new != paper:
            report.applied += 1
        updated[key] = new
    # Venues, for papers without one: a venue in the bib was set by a person, and stays.
    open_keys = [k for k in wanted if not updated[k].venue]
    s2 = finder.semantic_scholar(open_keys) if open_keys else {}
    for key in open_keys:
        paper = updated[key]
        title, authors, year = records[key].title, list(records[key].authors), paper.year
        claims: list[Claim] = []
        ref = journal_ref_claim(records[key].journal_ref, title, authors, year)
        if ref:
            claims.append(ref)
        s2_claim = s2.get(key)
        if s2_claim:
            claims.append(s2_claim)
        if s2_claim and s2_claim.dblp_key:
            dblp = finder.dblp_record(s2_claim.dblp_key)
            claims += [dblp] if dblp else []
        elif not any(not judge(c, title, authors, year) for c in claims):
            claims += finder.dblp_search(title)  # nothing usable yet: search DBLP by title
        decision = decide(claims, title, authors, year)
        if decision.conflict:
            report.conflicts += 1
            report.lines.append(f"{key}: sources disagree ({decision.conflict}); left for a person")
        elif decision.venue:
            report.venues += 1
            report.applied += 1
            report.lines.append(f"{key}: venue {decision.venue} ({', '.join(decision.sources)})")
            updated[key] = paper.replace(venue=text_to_latex(decision.venue))
    text = bib.write_string(updated.values())
    bib.parse_string(text, project.settings.bib)
    if not dry_run and report.applied:
        with locked(project.bib):
            current = bib.read(project.bib, project.settings.bib)[1]
            if current != papers:
                raise VlabibError(
                    f"{project.settings.bib} changed while updating; run 'vlabib update' again"
                )
            atomic_write(project.bib, text)
    return report
