"""``vlabib import LIST.md``: a paper list's headings, papers and categories into the survey,
fetched from arXiv (or, offline, from the list alone), in one transaction.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from vlabib.commands.add import Summary, failures, fetched, merge_into, snapshot
from vlabib.commands.list_settings import (
    SETTINGS_FILE,
    add_settings,
    chronological,
    lines,
    list_settings,
    table_columns,
)
from vlabib.commands.query import import_lines
from vlabib.config import Project, Settings, nearest_project
from vlabib.errors import ConfigError, VlabibError
from vlabib.files import atomic_write, read_source
from vlabib.listimport.facts import combined
from vlabib.listimport.headings import from_headings, is_chrome
from vlabib.listimport.markdown import ListItem, PaperList, parse_list
from vlabib.listimport.papers import from_list_item, stated_over
from vlabib.listimport.venue import is_venue_heading
from vlabib.model import Paper, Progress, Report
from vlabib.outputs.manuscript import SECTIONS, is_untouched_stub
from vlabib.outputs.scaffold import example_taxonomy, readme
from vlabib.remote.arxiv import Record
from vlabib.remote.entries import from_record
from vlabib.remote.services import Services
from vlabib.taxonomy import Taxonomy, parse_taxonomy, to_toml
from vlabib.titles import norm_title


@dataclass
class Imported(Summary):
    """An import's summary, and what it would write (for ``--dry-run``)."""

    papers: list[Paper] = field(default_factory=list)
    taxonomy: Taxonomy | None = None
    memberships: int = 0
    made_survey: bool = False

    def report(self, dry_run: bool = False) -> Report:
        lines = []
        if dry_run and self.taxonomy is not None:
            lines += import_lines(self.papers, self.taxonomy)
        kinds = Counter(p.resource for p in self.papers if p.resource)
        papers = len(self.papers) - kinds.total()
        without = sum(not p.arxiv_id for p in self.papers) - kinds.total()
        others = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        lines.append(
            f"{papers} papers ({without} without an arXiv ID), "
            + (f"{kinds.total()} other links ({others}), " if kinds else "")
            + f"{self.memberships} memberships"
        )
        lines.append(("dry run: " if dry_run else "") + self.line())
        errors = failures(self.failed)
        if self.made_survey and not dry_run:
            lines.append(
                f"wrote {SETTINGS_FILE}: this folder is now a survey ('vlabib init --help' "
                "lists the settings)"
            )
        return Report(tuple(lines), tuple(self.notes), errors)


_BOOTSTRAP = """# vlabib settings, made by 'vlabib import' (every key is optional; see the README).
# The bib is refs/vla.bib, the default kept for the surveys made before settings existed;
# to rename it, move the file and set: bib = "refs/papers.bib"
"""


def survey_at(start: Path) -> tuple[Project, bool]:
    """The survey *start* is in — or, for an import into a folder that is in none, a new one
    there (True: its settings file is written with the import)."""
    found = nearest_project(start)
    if found is not None:
        return found, False
    return Project(start.resolve(), Settings()), True


def _map_onto(
    plist: PaperList, taxonomy: Taxonomy, source: str, taxonomy_file: str
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
            notes.append(
                f"{source}:{item.line}: {item.title!r} is arXiv {twin.arxiv_id} "
                f"(line {twin.line}); filed as one paper"
            )
            # A repository listed under the paper's title is the paper's code.
            code = item.code or (item.url if item.resource == "code" else "")
            item = replace(
                item, key=twin.key, arxiv_id=twin.arxiv_id, url=twin.url, code=code, resource=""
            )
        out.append(item)
    return out


@dataclass
class Memberships:
    """Each paper's leaves in the list's order, its place in each leaf, and its lines."""

    categories: dict[str, list[str]] = field(default_factory=dict)
    positions: dict[str, dict[str, int]] = field(default_factory=dict)
    lines: dict[str, list[ListItem]] = field(default_factory=dict)

    def best(self, key: str) -> ListItem:
        """The paper's line with the longest title, holding what all its lines say."""
        lines = self.lines[key]
        best = max(lines, key=lambda i: len(i.title.split()))  # the first of the longest
        return replace(best, facts=combined([i.facts for i in lines]), code=_first(lines, "code"))

    def position(self, key: str) -> str:
        """``"leaf-a: 3, leaf-b: 0"``: where the list had the paper under each heading."""
        return ", ".join(f"{leaf}: {n}" for leaf, n in self.positions[key].items())


def _first(items: list[ListItem], name: str) -> str:
    return next((str(getattr(i, name)) for i in items if getattr(i, name)), "")


def _memberships(items: list[ListItem], mapping: dict[tuple[str, ...], str]) -> Memberships:
    found = Memberships()
    counters: dict[str, int] = {}
    for item in items:
        cat = mapping.get(item.section)
        if cat is None:
            continue
        cats = found.categories.setdefault(item.key, [])
        places = found.positions.setdefault(item.key, {})
        if cat not in cats:
            cats.append(cat)
            places[cat] = counters.get(cat, 0)
            counters[cat] = places[cat] + 1
        found.lines.setdefault(item.key, []).append(item)
    return found


def _list_title(plist: PaperList, list_path: Path) -> str:
    """The survey's title when the list has no heading above all its papers."""
    top = [h for h in plist.headings if h.level == 1]
    if top:
        return top[0].title
    stem = list_path.stem
    return list_path.resolve().parent.name if stem.lower() == "readme" else stem


def _taxonomy(
    project: Project, plist: PaperList, list_path: Path, imported: Imported, title: str
) -> tuple[dict[tuple[str, ...], str], str | None]:
    """Heading path -> leaf, onto the survey's taxonomy, or a new one from the headings (in
    place of the example taxonomy 'vlabib init' wrote, while nothing is filed under it)."""
    source = str(list_path)
    if project.path("taxonomy").exists() and not is_example(project):
        taxonomy = project.taxonomy()
        imported.taxonomy = taxonomy
        return _map_onto(plist, taxonomy, source, project.settings.taxonomy), None
    try:
        taxonomy, mapping = from_headings(
            [h.path for h in plist.headings],
            [i.section for i in plist.items],
            _list_title(plist, list_path),
            project.settings.skip_headings,
            own_title=title or project.settings.title,
            is_venue=is_venue_heading,
        )
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    _venue_notice(plist, source, imported)
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


def _venue_notice(plist: PaperList, source: str, imported: Imported) -> None:
    venues = [h for h in plist.headings if len(h.path) > 1 and is_venue_heading(h.title)]
    if venues:
        shown = ", ".join(repr(h.title) for h in venues[:4]) + (", …" if len(venues) > 4 else "")
        imported.notes.append(
            f"{source}:{venues[0].line}: {len(venues)} headings name a venue ({shown}): their "
            "papers got that venue and were filed under the heading above them"
        )


def is_example(project: Project) -> bool:
    """Whether the taxonomy is still the example 'vlabib init' wrote, word for word, with no
    paper filed under it: an import may put the list's headings in its place."""
    from vlabib import bib

    path = project.path("taxonomy")
    try:
        text = read_source(path, project.settings.taxonomy, root=project.root)
    except (FileNotFoundError, VlabibError):
        return False
    if text != example_taxonomy(project.settings.title):
        return False
    papers = bib.load(project.bib, project.settings.bib) if project.bib.exists() else []
    return not any(p.categories for p in papers)


def _skipped_lines(plist: PaperList, source: str) -> list[str]:
    """Lines with links but no paper among them (code, projects, datasets, blogs)."""
    skipped = plist.skipped
    if len(skipped) <= 5:
        return [
            f"{source}:{line}: {title!r} links no paper (not arXiv, nor a paper's page or "
            "PDF); left out"
            for line, title in skipped
        ]
    shown = ", ".join(str(line) for line, _ in skipped[:12])
    return [
        f"{source}: {len(skipped)} lines link no paper (code, projects, datasets, blogs) and "
        f"were left out: lines {shown}, …"
    ]


def _read_list(list_path: Path) -> str:
    try:
        return read_source(list_path, str(list_path))
    except FileNotFoundError:
        raise VlabibError(f"{list_path}: no such file") from None


def _papers(
    found: Memberships, records: dict[str, Record], notes: list[str], left_out: set[str]
) -> list[Paper]:
    """Each paper from its list lines (what a person wrote), filled in from arXiv's record
    where the list said nothing; its place under each heading recorded."""
    papers = []
    for key, cats in found.categories.items():
        if key in left_out:
            continue
        listed = from_list_item(found.best(key), cats, notes)
        if key in records:
            listed = stated_over(from_record(records[key], cats, notes), listed)
        papers.append(listed.replace(position=found.position(key)))
    return papers


def import_list(
    project: Project,
    list_path: Path,
    *,
    offline: bool = False,
    dry_run: bool = False,
    arxiv_only: bool = False,
    services: Services,
    progress: Progress | None = None,
    new_survey: bool = False,
    title: str = "",
    strict: bool = False,
) -> Imported:
    """Bring a Markdown paper list into the survey: its headings, papers and categories;
    *new_survey* writes the settings file that makes the folder a survey."""
    source = str(list_path)
    plist = parse_list(_read_list(list_path))
    imported = Imported()
    items = [i for i in plist.items if i.arxiv_id or not arxiv_only]
    left_out = len({i.key for i in plist.items if not i.arxiv_id}) if arxiv_only else 0
    base = snapshot(project)
    kept = PaperList(plist.headings, tuple(items))
    replaced = is_example(project)
    mapping, new_taxonomy = _taxonomy(project, kept, list_path, imported, title)
    imported.notes += [f"{source}:{i.line}: {i.problem}" for i in items if i.problem]
    items = _one_key_per_paper(items, imported.notes, source)
    found = _memberships(items, mapping)
    arxiv = [k for k in found.categories if found.lines[k][0].arxiv_id]
    records, failed = (
        ({}, {}) if offline else fetched(services.arxiv, arxiv, progress, strict=strict)
    )
    imported.failed = failed
    papers = _papers(found, records, imported.notes, left_out=set(failed))
    if left_out:
        imported.notes.append(f"{source}: {left_out} papers without an arXiv ID left out")
    imported.notes += _skipped_lines(plist, source)
    imported.notes += [
        f"{source}:{line}: a table row after a blank line (GitHub shows it as text); read as "
        "a row of the table above — remove the blank line"
        for line in plist.stray_rows
    ]
    merge_into(project, papers, imported, base=base, dry_run=dry_run)
    imported.papers = papers
    imported.memberships = sum(len(c) for c in found.categories.values())
    if new_taxonomy is not None and not dry_run:
        atomic_write(project.path("taxonomy"), new_taxonomy, root=project.root)
        said = "in place of the example" if replaced else "from the list's headings"
        imported.notes.append(f"wrote {project.settings.taxonomy} {said}")
        assert imported.taxonomy is not None
        for stub in remove_untouched_stubs(project, imported.taxonomy):
            imported.notes.append(f"removed {stub}: an untouched stub of a node no longer there")
    if not dry_run:
        _carry_settings(project, plist, found, imported, new=new_survey, replaced=replaced)
    return imported


def _carry_settings(
    project: Project,
    plist: PaperList,
    found: Memberships,
    imported: Imported,
    *,
    new: bool,
    replaced: bool,
) -> None:
    """The list's order — and, for a survey the list starts, its table layout — into the
    survey's settings."""
    items = plist.items
    stated = [
        name
        for name, count in (
            ("venue", sum(bool(i.venue) for i in items)),
            ("date", sum(bool(i.facts.date) for i in items)),
        )
        if count * 5 >= len(items) > 0  # said of at least one paper in five
    ]
    stated += ["links"] if any(i.facts.links or i.website for i in items) else []
    stated += ["badges"] if plist.star_badges * 5 >= len(items) > 0 else []
    in_order = chronological(found.positions)
    wanted = list_settings(in_order, plist.columns, stated, layout=new or replaced)
    if any(s.name == "readme_columns" for s in wanted):
        _, unknown = table_columns(plist.columns)
        if unknown:
            imported.notes.append(
                f"the list's columns {', '.join(map(repr, unknown))} name nothing vlabib keeps "
                "(the taxonomy holds its headings); the README's tables leave them out"
            )
    if new:
        atomic_write(project.root / SETTINGS_FILE, _BOOTSTRAP + lines(wanted), root=project.root)
        imported.made_survey = True
        if not project.path("readme").exists() and imported.taxonomy is not None:
            atomic_write(project.path("readme"), readme(imported.taxonomy.root.title))
            imported.notes.append(
                f"wrote {project.settings.readme}: the list goes between its markers"
            )
    else:
        imported.notes += add_settings(project, wanted)


def remove_untouched_stubs(project: Project, taxonomy: Taxonomy) -> list[str]:
    """Delete the prose stubs of nodes the taxonomy no longer has, where nobody wrote a word
    in them (a stub with prose is kept, and 'vlabib check' names it); the files removed."""
    folder = project.path("latex") / SECTIONS
    removed = []
    for stub in sorted(folder.glob("*.tex")) if folder.is_dir() else []:
        if stub.stem in taxonomy or stub.is_symlink():
            continue
        try:
            text = read_source(stub, project.rel(stub), root=project.root)
        except (FileNotFoundError, VlabibError):
            continue
        if is_untouched_stub(text):
            stub.unlink()
            removed.append(project.rel(stub))
    return removed
