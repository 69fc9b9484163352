"""Make tests/data/vla107: the Efficient VLA survey's 2026-06-23 list (107 papers, a
three-level taxonomy) imported offline, with authors and abstracts from the survey's website
data (website-papers.2026-04-30.json). Run once from the repository root:

    .venv/bin/python tests/data/make_vla107.py ../shared/data/website-papers.2026-04-30.json
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from vlabib import bib
from vlabib.cli import main
from vlabib.names import split_names
from vlabib.tex.encode import text_to_latex
from vlabib.tex.read import latex_to_text

HERE = Path(__file__).parent
OUT = HERE / "vla107"


def _names(authors: str) -> str:
    """The website's author strings are BibTeX, three of them cut off inside a brace
    (``R{\\"u``): decode them, leaving out a name that was cut off."""
    names = authors.split(" and ")
    while names and names[-1].count("{") != names[-1].count("}"):
        names.pop()
    return latex_to_text(" and ".join(names))


def run() -> None:
    website = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["papers"]
    by_id = {p["arxiv_id"]: p for p in website if p.get("arxiv_id")}
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "refs").mkdir(parents=True)
    (OUT / "vlabib.toml").write_text('bib = "refs/papers.bib"\n')
    (OUT / "README.md").write_text(
        "# Efficient VLAs (107-paper test survey)\n\n"
        "<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
    )
    listing = HERE / "efficient-vla-survey.2026-06-23.md"
    result = CliRunner().invoke(main, ["-C", str(OUT), "import", "--offline", str(listing)])
    assert result.exit_code == 0, result.output
    path = OUT / "refs" / "papers.bib"
    papers = []
    for paper in bib.load(path):
        site = by_id.get(paper.key)
        if site:
            authors = " and ".join(text_to_latex(n) for n in split_names(_names(site["authors"])))
            abstract = text_to_latex(site["abstract"], math=True)
            paper = paper.replace(author=authors or None, abstract=abstract or None)
        papers.append(paper)
    path.write_text(bib.write_string(papers))


if __name__ == "__main__":
    run()
