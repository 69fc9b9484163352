"""``vlabib import REFS.bib``: adopt a manuscript's bibliography and every citation of it.

Each entry becomes canonical (:mod:`vlabib.bib.adopt`: keyed by its arXiv ID, else its DOI
or paper link, else its own key; old keys in ``ids``), and every citation of an old key in
the manuscript's .tex files is rewritten to the new key — only the key's bytes change, so
mapping the new keys back through ``ids`` gives the files exactly. Papers are filed under
one leaf (``-c``) or under the manuscript's sections that cite them. Everything is written
at once, or nothing is.

In a folder that is in no survey, the manuscript's own bib becomes the survey's bib (its
``\\bibliography`` keeps working), its main file the one ``check`` follows and ``pdf``
compiles, and vlabib writes no skeleton beside it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from vlabib import bib
from vlabib.bib.adopt import Adoption, adopt, arxiv_of
from vlabib.bib.parse import Foreign, read_foreign
from vlabib.commands.add import failures
from vlabib.commands.manuscript_outline import filed_by_sections, main_file
from vlabib.config import Project
from vlabib.errors import ConfigError, VlabibError
from vlabib.files import read_source, write_all
from vlabib.listimport.papers import merge
from vlabib.model import Paper, Report
from vlabib.names import split_names
from vlabib.outputs.scaffold import readme
from vlabib.remote.by_title import Wanted, find_by_title
from vlabib.remote.entries import keywords_value
from vlabib.remote.services import Services
from vlabib.taxonomy import Taxonomy, node_id, to_toml
from vlabib.tex.read import latex_to_text
from vlabib.tex.read.cites import Cite, cites, rewritten

SETTINGS_FILE = "vlabib.toml"


@dataclass
class ImportedBib:
    """What adopting a bib did (or, dry, would do)."""

    adoption: Adoption = field(default_factory=Adoption)
    rewritten: dict[str, list[Cite]] = field(default_factory=dict)  # file -> citations
    notes: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # old key -> why arXiv was not asked
    added: int = 0
    updated: int = 0

    def report(self, dry_run: bool = False) -> Report:
        a = self.adoption
        lines: list[str] = []
        if dry_run:
            lines += [f"{old} -> {new}" for old, new in sorted(a.keymap.items()) if old != new]
            lines += [f"merged {', '.join(olds)} -> {new}" for new, olds in a.merged.items()]
        by_arxiv = sum(1 for p in a.papers if p.arxiv_id)
        own = sum(1 for p in a.papers if p.key in a.keymap and a.keymap.get(p.key) == p.key)
        entries = sum(len(a.merged.get(p.key, [p.key])) for p in a.papers)
        lines.append(
            f"{entries} entries became {len(a.papers)} papers: {by_arxiv} keyed by arXiv ID, "
            f"{len(a.papers) - by_arxiv - own} by DOI or link, {own} kept their own key"
        )
        count = sum(len(c) for c in self.rewritten.values())
        lines.append(
            f"{'would rewrite' if dry_run else 'rewrote'} {count} citations in "
            f"{len(self.rewritten)} files"
        )
        lines.append(f"{'dry run: ' if dry_run else ''}added {self.added}, updated {self.updated}")
        notes = (*a.repeats, *a.conflicts, *self.notes)
        return Report(tuple(lines), notes, (*a.problems, *failures(self.failed)))


def import_bib(
    project: Project,
    source: Path,
    *,
    new_survey: bool,
    tex: Path | None = None,
    leaf: str = "",
    from_sections: bool = False,
    title: str = "",
    dry_run: bool = False,
    strict: bool = False,
    services: Services | None = None,
) -> ImportedBib:
    """Adopt the bib at *source* and rewrite the citations in the .tex files under *tex*
    (default: the survey's latex folder); with *services*, entries that state no arXiv ID
    are looked up on arXiv by title first. See the module."""
    display = project.rel(source)
    text = _read(project, source, display)
    foreign = read_foreign(text, display)
    notes: list[str] = []
    failed: dict[str, str] = {}
    if services is not None:
        foreign, failed = _looked_up(foreign, services, display, notes)
    done = ImportedBib(adoption=adopt(foreign, display), notes=notes, failed=failed)
    if (done.adoption.problems or failed) and strict:
        said = [*done.adoption.problems, *failures(failed)]
        raise VlabibError("\n".join([*said, "--strict: nothing written"]))
    folder = tex or project.path("latex")
    writes, sources = _rewrites(project, folder, done)
    base = (
        bib.read(project.bib, project.settings.bib)
        if not new_survey and project.bib.exists()
        else None
    )
    if from_sections and leaf:
        raise VlabibError("-c and --taxonomy-from-sections each say where papers go; give one")
    papers, taxonomy = _filed(project, done, folder, sources, leaf, title)
    target = source if new_survey else project.bib
    old = {p.key: p for p in base.papers} if base else {}
    merged = dict(old)
    for paper in papers:
        merged[paper.key] = paper if paper.key not in old else merge(old[paper.key], paper)
    done.added = sum(1 for p in papers if p.key not in old)
    done.updated = sum(1 for p in papers if p.key in old and merged[p.key] != old[p.key])
    bib_text = bib.write_string(merged.values())
    bib.parse_string(bib_text, display)  # whatever is written must read back
    writes.append((target, bib_text))
    if taxonomy is not None:
        writes.append((project.path("taxonomy"), to_toml(taxonomy, "the manuscript's sections")))
    if new_survey:
        writes.append((project.root / SETTINGS_FILE, _settings(project, source, folder, sources)))
        if not project.path("readme").exists() and taxonomy is not None:
            writes.append((project.path("readme"), readme(taxonomy.root.title)))
    if not dry_run:
        write_all(writes, root=project.root)
    return done


def _looked_up(
    foreign: Foreign, services: Services, display: str, notes: list[str]
) -> tuple[Foreign, dict[str, str]]:
    """*foreign* with the arXiv ID of each entry that states none but whose title and first
    author arXiv has; the entries to review named in *notes*; the entries not looked up."""
    wanted = []
    lines = {}
    for key, _, fields, line in foreign.entries:
        values = {name: value for name, value, _ in fields}
        if arxiv_of(values)[0] or "eprint" in values or not values.get("title"):
            continue
        authors = split_names(values.get("author", ""))
        first = latex_to_text(authors[0]) if authors else ""
        wanted.append(Wanted(key, latex_to_text(values["title"]), first))
        lines[key] = line
    found = find_by_title(services.arxiv, wanted)
    notes += [
        f"{display}:{lines[key]}: {key}: arXiv has this title as {r.id}, by "
        f"{', '.join(r.authors[:3])}; not taken (other authors): add eprint = {{{r.id}}} if it "
        "is the same paper"
        for key, r in found.review.items()
    ]
    entries = [
        (key, etype, [*fields, *_arxiv_fields(found.taken[key].id, line)], line)
        if key in found.taken
        else (key, etype, fields, line)
        for key, etype, fields, line in foreign.entries
    ]
    if found.taken:
        notes.append(f"{len(found.taken)} entries found on arXiv by title and author")
    return Foreign(entries, foreign.repeats), found.failed


def _arxiv_fields(ident: str, line: int) -> list[tuple[str, str, int]]:
    return [("eprint", ident, line), ("archiveprefix", "arXiv", line)]


def _read(project: Project, path: Path, display: str) -> str:
    try:
        return read_source(path, display, root=project.root)
    except FileNotFoundError:
        raise VlabibError(f"{display}: no such file") from None


def _rewrites(
    project: Project, folder: Path, done: ImportedBib
) -> tuple[list[tuple[Path, str]], dict[str, str]]:
    """Each .tex file under *folder* with its citations rewritten (vlabib's generated
    folder left alone), and every file's text; keys cited but defined nowhere are named."""
    if not folder.is_dir():
        raise ConfigError(
            f"{project.rel(folder)}: no such folder; give the manuscript's with --tex"
        )
    generated = project.root / project.settings.generated
    mapping = {old: new for old, new in done.adoption.keymap.items() if old != new}
    known = set(done.adoption.keymap) | set(done.adoption.keymap.values())
    writes: list[tuple[Path, str]] = []
    sources: dict[str, str] = {}
    for path in sorted(folder.rglob("*.tex")):
        if generated in path.parents:
            continue
        name = project.rel(path)
        text = read_source(path, name, root=project.root)
        sources[name] = text
        new, changed = rewritten(text, mapping)
        if changed:
            writes.append((path, new))
            done.rewritten[name] = changed
        done.notes += [
            f"{name}:{c.line}: \\{c.command}{{{c.key}}}: {c.key} is defined in no entry of the "
            "bib; left as it is"
            for c in cites(text)
            if c.key not in known and c.key != "*"
        ]
    return writes, sources


def _filed(
    project: Project,
    done: ImportedBib,
    folder: Path,
    sources: dict[str, str],
    leaf: str,
    title: str,
) -> tuple[list[Paper], Taxonomy | None]:
    """The papers with their leaves, and the taxonomy to write (None: the survey's stands)."""
    papers = done.adoption.papers
    exists = project.path("taxonomy").exists()
    if leaf:
        taxonomy = project.taxonomy() if exists else None
        if taxonomy is not None and leaf not in taxonomy:
            raise ConfigError(f"-c {leaf}: no such leaf in {project.settings.taxonomy}")
        if taxonomy is None:
            root = title or project.settings.title or "Survey"
            taxonomy = Taxonomy.build(node_id(root), root, [(leaf, leaf, None, "")])
        cats = {p.key: [leaf] for p in papers}
        return [p.replace(keywords=keywords_value(cats[p.key])) for p in papers], (
            None if exists else taxonomy
        )
    if exists:
        raise ConfigError(
            f"say where the papers go: -c LEAF (a leaf of {project.settings.taxonomy}), or "
            f"delete {project.settings.taxonomy} to take the manuscript's sections as the taxonomy"
        )
    cited: dict[str, list[str]] = defaultdict(list)
    keys = done.adoption.keymap
    main = main_file(project, folder, sources)
    taxonomy, places = filed_by_sections(project, folder, main, sources, title, list(keys))
    for key, leaves in places.items():
        cited[keys.get(key, key)] += leaves
    out = [p.replace(keywords=keywords_value(cited[p.key])) for p in papers]
    return out, taxonomy


def _settings(project: Project, source: Path, folder: Path, sources: dict[str, str]) -> str:
    latex = project.rel(folder)
    main = main_file(project, folder, sources)
    return (
        "# vlabib settings, made by 'vlabib import' of the manuscript's bibliography.\n"
        f'bib = "{project.rel(source)}"  # the manuscript\'s own bib, now canonical\n'
        f'latex = "{latex}"\n'
        f'generated = "{latex}/generated"\n'
        f'main = "{main}"  # what check follows and pdf compiles\n'
        "skeleton = false  # the manuscript has its own files\n"
    )
