"""Keys a paper had before (``ids``), as co-authors keep typing them: ``check`` names each
citation of an old key with the key it is now, and ``vlabib fmt --cites`` rewrites them in
the manuscript's .tex files (only the keys' bytes change)."""

from __future__ import annotations

from collections.abc import Iterable

from vlabib.bib.fields import aliases
from vlabib.config import Project
from vlabib.files import read_source, write_all
from vlabib.model import Paper
from vlabib.tex.read.cites import rewritten


def old_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Each old key (from ``ids``) -> the key its paper has now."""
    return {
        alias: paper.key
        for paper in papers
        for alias in aliases(paper.get("ids"))
        if alias != paper.key
    }


def rewrite_old_cites(project: Project, papers: Iterable[Paper], *, dry_run: bool) -> list[str]:
    """Rewrite every citation of an old key in the .tex files under the latex folder
    (vlabib's generated folder left alone), all files at once; ``file: n citations`` each."""
    mapping = old_keys(papers)
    latex = project.path("latex")
    generated = project.root / project.settings.generated
    writes = []
    said = []
    for path in sorted(latex.rglob("*.tex")) if latex.is_dir() else []:
        if generated in path.parents:
            continue
        name = project.rel(path)
        new, changed = rewritten(read_source(path, name, root=project.root), mapping)
        if changed:
            writes.append((path, new))
            said.append(f"{name}: {len(changed)} citation{'s' * (len(changed) != 1)} of old keys")
    if writes and not dry_run:
        write_all(writes, root=project.root)
    return said
