"""A manuscript's sections as a taxonomy, and each cited key's place in it: for adopting a
manuscript (``vlabib import REFS.bib``), whose papers are filed where the text cites them.

The main file is the one with ``\\documentclass`` (``main.tex`` first); it is read through
every ``\\input``/``\\include`` in order. The ``\\title`` names the root; every
``\\section``/``\\subsection``/… holding citations becomes a node (a section with citations
of its own and subsections gets a ``… (general)`` leaf, as list headings do); keys cited
nowhere go under "Not cited in the manuscript", those cited outside any section under "Cited
papers".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from vlabib.config import Project
from vlabib.listimport.headings import from_headings
from vlabib.taxonomy import Taxonomy
from vlabib.tex.read.cites import Mark, outline

NOT_CITED = "Not cited in the manuscript"
UNSECTIONED = "Cited papers"  # cited before any section (or in a manuscript without any)
_DOCUMENT_RE = re.compile(r"^[^%\n]*\\documentclass", re.M)


def main_file(project: Project, folder: Path, sources: Mapping[str, str]) -> str:
    """The manuscript's main file, relative to *folder*: the one with ``\\documentclass``
    (``main.tex`` when it has one), else ``main.tex``."""
    names = [n for n, text in sources.items() if _DOCUMENT_RE.search(text)]
    names.sort(key=lambda n: (Path(n).name != "main.tex", n.count("/"), n))
    if not names:
        return "main.tex"
    return str((project.root / names[0]).relative_to(folder))


def marks(project: Project, folder: Path, main: str, sources: Mapping[str, str]) -> list[Mark]:
    """The main file's outline with every file it inputs read in its place."""
    out: list[Mark] = []
    seen: set[str] = set()

    def read(name: str) -> None:
        path = folder / name
        path = path if path.suffix == ".tex" else path.with_suffix(".tex")
        rel = project.rel(path)
        if rel in seen or rel not in sources:
            return
        seen.add(rel)
        for mark in outline(sources[rel]):
            if mark.kind == "input":
                read(mark.value)
            else:
                out.append(mark)

    read(main)
    return out


def filed_by_sections(
    project: Project,
    folder: Path,
    main: str,
    sources: Mapping[str, str],
    title: str,
    keys: Sequence[str],
) -> tuple[Taxonomy, dict[str, list[str]]]:
    """The taxonomy the manuscript's sections make, and each of *keys* -> its leaves."""
    stack: list[tuple[int, str]] = []
    document = title or "Survey"
    headings: list[tuple[str, ...]] = []
    held: dict[str, list[tuple[str, ...]]] = {}
    for mark in marks(project, folder, main, sources):
        if mark.kind == "section" and mark.level < 0:
            document = title or mark.value or document
        elif mark.kind == "section":
            while stack and stack[-1][0] >= mark.level:
                stack.pop()
            stack.append((mark.level, mark.value or "Untitled"))
            headings.append(tuple(t for _, t in stack))
        elif mark.kind == "cite":
            path = tuple(t for _, t in stack) or (UNSECTIONED,)
            if path == (UNSECTIONED,) and path not in headings:
                headings.append(path)
            held.setdefault(mark.value, []).append(path)
    holding = {p for paths in held.values() for p in paths}
    headings = [h for h in headings if any(p[: len(h)] == h for p in holding)]
    uncited = [k for k in keys if k not in held]
    if uncited:
        headings.append((NOT_CITED,))
        held.update({k: [(NOT_CITED,)] for k in uncited})
    root = ("\x00document",)  # above every section: the document itself
    taxonomy, mapping = from_headings(
        [root, *((*root, *h) for h in headings)],
        [(*root, *p) for paths in held.values() for p in paths],
        document,
        own_title=document,
    )
    places = {
        key: list(dict.fromkeys(mapping[(*root, *p)] for p in paths if (*root, *p) in mapping))
        for key, paths in held.items()
    }
    return taxonomy, places
