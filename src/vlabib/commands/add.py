"""``vlabib add`` and ``vlabib import``: validate, fetch, then one bib transaction, so a
failure anywhere leaves the bib byte-identical.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from vlabib import bib
from vlabib.config import Project
from vlabib.errors import ConfigError, VlabibError
from vlabib.files import atomic_write
from vlabib.ids import parse_arxiv_ids
from vlabib.listimport.headings import from_headings, is_chrome
from vlabib.listimport.markdown import ListItem, PaperList, parse_list
from vlabib.listimport.papers import from_list_item, from_record, merge
from vlabib.model import Paper
from vlabib.remote.arxiv import Client, Record
from vlabib.taxonomy import Taxonomy, parse_taxonomy, to_toml
from vlabib.tex.encode import text_to_latex
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
    choose: Callable[[str, Record], str] | None = None,
) -> Summary:
    """Fetch the papers *args* name and insert or merge them, all or nothing. A new paper
    without *categories* is filed under the leaf *choose* picks from its arXiv record."""
    ids = parse_arxiv_ids(args)
    if (code or name) and len(ids) != 1:
        raise VlabibError("--code and --name describe one paper; give exactly one ID with them")
    cats = check_categories(categories, project.taxonomy())
    base = _snapshot(project)
    existing = {p.key for p in base.papers} if base else set()
    new_uncategorised = [i for i in ids if i not in existing and not cats]
    if new_uncategorised and choose is None:
        raise VlabibError(
            f"{', '.join(new_uncategorised)}: new papers need a category; "
            "add -c LEAF (see 'vlabib stats' for the leaves)"
        )
    records = (client or Client()).fetch(ids, progress)
    summary = Summary()
    picked = {i: (choose(i, records[i]),) for i in new_uncategorised if choose is not None}
    papers = [from_record(records[i], picked.get(i, cats), summary.notes) for i in ids]
    force = {}
    if code is not None:
        force["code"] = code
    if name is not None:
        force["shortname"] = text_to_latex(name)
    _merge_into(project, papers, summary, base=base, dry_run=dry_run, force=force)
    return summary


# -- import ----------------------------------------------------------------------------------


@dataclass
class Imported(Summary):
    """An import's summary, and what it would write (for ``--dry-run``)."""

    papers: list[Paper] = field(default_factory=list)
    taxonomy: Taxonomy | None = None
    memberships: int = 0


def _map_onto(
    plist: PaperList, taxonomy: Taxonomy, source: str, taxonomy_file: str = "refs/taxonomy.toml"
) -> dict[tuple[str, ...], str]:
    """Heading path -> leaf id of the existing taxonomy, by (nearly) equal titles."""
    leaves = {norm_title(leaf.title): leaf.id for leaf in taxonomy.leaves}
    mapping: dict[tuple[str, ...], str] = {}
    unknown = []
    holding = {i.section for i in plist.items}
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
            + f"\nadd those headings to {taxonomy_file} as leaves; or, to take the list's "
            f"headings as the taxonomy (as for a survey 'vlabib init' just made), delete "
            f"{taxonomy_file} and import again"
        )
    return mapping


def _one_key_per_paper(items: list[ListItem], notes: list[str], source: str) -> list[ListItem]:
    """A paper listed once by its arXiv link and once by its publisher's is one paper: a
    line without an arXiv ID whose title equals (normalised) an arXiv paper's takes its key."""
    by_title = {norm_title(i.title): i for i in items if i.arxiv_id and len(i.title) > 12}
    out = []
    for item in items:
        twin = None if item.arxiv_id else by_title.get(norm_title(item.title))
        if twin is not None:
            notes.append(f"{source}:{item.line}: {item.title!r} is arXiv {twin.arxiv_id} "
                         f"(line {twin.line}); filed as one paper")  # fmt: skip
            item = replace(item, key=twin.key, arxiv_id=twin.arxiv_id, url=twin.url)
        out.append(item)
    return out


def _memberships(
    items: list[ListItem], mapping: dict[tuple[str, ...], str]
) -> tuple[dict[str, list[str]], dict[str, ListItem]]:
    """Each paper's categories, in the list's order, and its best line (the longest title)."""
    categories: dict[str, list[str]] = {}
    best: dict[str, ListItem] = {}
    for item in items:
        cat = mapping.get(item.section)
        if cat is None:
            continue
        cats = categories.setdefault(item.key, [])
        if cat not in cats:
            cats.append(cat)
        if item.key not in best or len(item.title.split()) > len(best[item.key].title.split()):
            best[item.key] = item
    return categories, best


def _list_title(plist: PaperList, list_path: Path) -> str:
    """The survey's title when the list has no heading above all its papers."""
    top = [h for h in plist.headings if h.level == 1]
    if top:
        return top[0].title
    stem = list_path.stem
    return list_path.resolve().parent.name if stem.lower() == "readme" else stem


def _taxonomy(
    project: Project, plist: PaperList, list_path: Path, imported: Imported
) -> tuple[dict[tuple[str, ...], str], str | None]:
    """Heading path -> leaf, onto the survey's taxonomy, or a new one from the headings."""
    source = str(list_path)
    if project.path("taxonomy").exists():
        taxonomy = project.taxonomy()
        imported.taxonomy = taxonomy
        return _map_onto(plist, taxonomy, source, project.settings.taxonomy), None
    try:
        taxonomy, mapping = from_headings(
            [h.path for h in plist.headings],
            [i.section for i in plist.items],
            _list_title(plist, list_path),
            project.settings.skip_headings,
        )
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    if is_chrome(taxonomy.root.title):
        line = next((h.line for h in plist.headings if h.title == taxonomy.root.title), 0)
        imported.notes.append(
            f"{source}:{line}: every paper sits under the heading {taxonomy.root.title!r}, "
            f"which became the survey's root; give it the survey's title in "
            f"{project.settings.taxonomy}"
        )
    text = to_toml(taxonomy)
    parse_taxonomy(text, project.settings.taxonomy)  # it must read back
    imported.taxonomy = taxonomy
    return mapping, text


def _skipped_lines(plist: PaperList, source: str) -> list[str]:
    """Lines with links but no paper among them (code, projects, datasets, blogs)."""
    skipped = plist.skipped
    if len(skipped) <= 5:
        return [f"{source}:{line}: {title!r} links no paper (not arXiv, nor a paper's page or "
                "PDF); left out" for line, title in skipped]  # fmt: skip
    shown = ", ".join(str(line) for line, _ in skipped[:12])
    return [
        f"{source}: {len(skipped)} lines link no paper (code, projects, datasets, blogs) and "
        f"were left out: lines {shown}, …"
    ]


def _read_list(list_path: Path) -> str:
    try:
        return list_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise VlabibError(f"{list_path}: cannot read: {why}") from None


def _papers(
    categories: dict[str, list[str]],
    best: dict[str, ListItem],
    records: dict[str, Record],
    notes: list[str],
) -> list[Paper]:
    """Each paper from arXiv's record (with the list's venue, code and website, hand-set facts
    about it), or from its list line alone."""
    papers = []
    for key, cats in categories.items():
        listed = from_list_item(best[key], cats, notes)
        if key in records:
            paper = from_record(records[key], cats, notes)
            extra = {
                k: listed.fields[k] for k in ("venue", "code", "website") if k in listed.fields
            }
            listed = paper.replace(**extra)
        papers.append(listed)
    return papers


def import_list(
    project: Project,
    list_path: Path,
    *,
    offline: bool = False,
    dry_run: bool = False,
    arxiv_only: bool = False,
    client: Client | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Bring a Markdown paper list into refs/: its headings, papers and categories."""
    source = str(list_path)
    plist = parse_list(_read_list(list_path))
    imported = Imported()
    items = [i for i in plist.items if i.arxiv_id or not arxiv_only]
    left_out = len({i.key for i in plist.items if not i.arxiv_id}) if arxiv_only else 0
    base = _snapshot(project)
    kept = PaperList(plist.headings, tuple(items))
    mapping, new_taxonomy = _taxonomy(project, kept, list_path, imported)
    imported.notes += [f"{source}:{i.line}: {i.problem}" for i in items if i.problem]
    items = _one_key_per_paper(items, imported.notes, source)
    categories, best = _memberships(items, mapping)
    arxiv = [k for k in categories if best[k].arxiv_id]
    records = {} if offline else (client or Client()).fetch(arxiv, progress)
    papers = _papers(categories, best, records, imported.notes)
    if left_out:
        imported.notes.append(f"{source}: {left_out} papers without an arXiv ID left out")
    imported.notes += _skipped_lines(plist, source)
    imported.notes += [
        f"{source}:{line}: a table row after a blank line (GitHub shows it as text); read as "
        "a row of the table above — remove the blank line"
        for line in plist.stray_rows
    ]
    _merge_into(project, papers, imported, base=base, dry_run=dry_run)
    imported.papers = papers
    imported.memberships = sum(len(c) for c in categories.values())
    if new_taxonomy is not None and not dry_run:
        atomic_write(project.path("taxonomy"), new_taxonomy, root=project.root)
        imported.notes.append(f"wrote {project.settings.taxonomy} from the list's headings")
    return imported
