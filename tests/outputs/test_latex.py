"""Generated LaTeX compiled for real: pdflatex, bibtex, latexmk, pdftotext (CI installs them)."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import Run, runner
from tests.helpers import DATA
from vlabib import bib
from vlabib.commands import pdf
from vlabib.model import Paper
from vlabib.names import bibtex_name
from vlabib.tex.encode import text_to_latex
from vlabib.tex.read import latex_to_text

TOOLS = ("pdflatex", "bibtex", "latexmk", "pdftotext", "pdffonts")


def test_tex_tools_are_installed() -> None:
    """No silent skips: `make test` installs TeX Live (scripts/texlive.sh --tests) first."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"install TeX Live: bash scripts/texlive.sh --tests (missing {missing})"


def compile_pdf(folder: Path, main: str = "main.tex") -> tuple[str, str, str]:
    """Compile as 'make tex' does; the log, the BibTeX log and the PDF's text."""
    done = pdf.compile_pdf(folder, main)
    log = done.log.read_text(errors="replace")
    blg = done.log.with_suffix(".blg").read_text(errors="replace")
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(done.pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return log, blg, text


def squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and ligatures don't matter."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ﬁ", "fi").replace("ﬂ", "fl").replace("ﬀ", "ff").replace("ﬃ", "ffi")
    return re.sub(r"[\W_]+", "", text).lower()


def contains(flat: str, title: str) -> bool:
    """*title* is in *flat*, whole or broken once (a float page can land inside an entry)."""
    t = squash(title)
    return any(t[:k] in flat and t[k:] in flat[flat.find(t[:k]) :] for k in range(len(t), 0, -1))


def assert_clean(log: str, blg: str) -> None:
    assert "undefined" not in log.lower(), [ln for ln in log.splitlines() if "ndefined" in ln]
    assert "There were undefined references" not in log
    assert "Warning--" not in blg, blg
    assert "(There were" not in blg  # bibtex's "(There were N warnings)"


@pytest.mark.tex
def test_the_survey_compiles_with_every_title(survey: Path, run: Run) -> None:
    assert run("build").exit_code == 0
    log, blg, text = compile_pdf(survey / "latex")
    assert_clean(log, blg)
    flat = squash(text)
    for paper in bib.load(survey / "refs" / "papers.bib"):
        assert contains(flat, latex_to_text(paper.title)), paper.key
    assert "Figure 1: Taxonomy of KV Cache Compression" in text


BIBLATEX_MAIN = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{mathptmx}
\usepackage[backend=bibtex,style=numeric]{biblatex}
\usepackage[edges]{forest}
\usepackage{array}
\usepackage{booktabs}
\usepackage{xtab}
\usepackage{xcolor}
\usepackage{CJKutf8}
\usepackage{hyperref}
\addbibresource{generated/references.bib}
\input{generated/cites}
\begin{document}
Eviction~\surveycite{token-eviction}; all methods~\surveycite{methods}
(\surveycount{methods} papers).
\input{generated/taxonomy}
\input{generated/table-methods}
\printbibliography[keyword=token-eviction,title={Token eviction}]
\end{document}
"""


@pytest.mark.tex
def test_biblatex_variant(survey: Path, run: Run) -> None:
    assert run("build").exit_code == 0
    latex = survey / "latex"
    (latex / "biblatex.tex").write_text(BIBLATEX_MAIN)
    log, blg, text = compile_pdf(latex, "biblatex.tex")
    assert_clean(log, blg)
    assert "6papers" in squash(text)
    # The keyword-filtered bibliography lists exactly the three token-eviction papers.
    section = text.split("Token eviction")[-1].replace("\f", "\n")
    assert len(re.findall(r"^\[\d+\]", section, re.MULTILINE)) == 3, section


HOSTILE = [
    "Costs & Benefits: 100% of #1 in a_b",
    "Math $x^2 + \\alpha$ stays math",
    "Braces { and } alone, tilde ~ caret ^ and back\\slash",
    "\\input{/etc/passwd} is text",
    "\\write18{rm -rf /} is text",
    "Ümlaut Ærø Łódź Erdős Çağ naïve",
    "Quotes “curly” – dashes — and ellipsis…",
]


@pytest.mark.tex
def test_hostile_titles_print_literally_without_shell_escape(survey: Path, run: Run) -> None:
    papers = []
    for n, title in enumerate(HOSTILE):
        key = f"2501.{10000 + n}"
        papers.append(
            Paper(
                key,
                "misc",
                {
                    "title": text_to_latex(title, math=True, protect=True),
                    "author": text_to_latex(bibtex_name("José Müller-Łukasz"))
                    + " and "
                    + text_to_latex(bibtex_name("Peter H. N. de With")),
                    "year": "2025",
                    "eprint": key,
                    "archiveprefix": "arXiv",
                    "url": f"https://arxiv.org/abs/{key}",
                    "keywords": "token-eviction",
                },
            )
        )
    (survey / "refs" / "papers.bib").write_text(bib.write_string(papers))
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0, run("check").output
    log, blg, text = compile_pdf(survey / "latex")
    assert_clean(log, blg)
    assert "runsystem" not in log
    flat = " ".join(text.split())
    for title in HOSTILE:
        if "$" in title:
            continue
        assert contains(squash(flat), title), title
    assert "\\input{/etc/passwd} is text" in flat.replace("\\in- put", "\\input"), flat
    assert "José Müller-Łukasz" in flat or "J. Müller-Łukasz" in flat


@pytest.mark.parametrize(
    "value", ["\\input{/etc/passwd}", "A \\write18{touch /tmp/x}", "\\immediate\\openout"]
)
def test_a_bib_holding_executable_latex_is_refused(run: Run, survey: Path, value: str) -> None:
    bibfile = survey / "refs" / "papers.bib"
    text = bibfile.read_text()
    bibfile.write_text(text.replace("{Palu: Compressing", "{Palu: " + value, 1))
    result = run("build")
    assert result.exit_code == 1
    assert "is not allowed in a bibliography field" in result.stderr
    assert result.stderr.startswith("Error: refs/papers.bib:92: entry 2407.21118: field title: ")


@pytest.mark.tex
def test_a_cjk_font_without_the_characters_is_named(tmp_path: Path) -> None:
    """Prose that asks a CJK font for characters it has no file for (Hanja in the Korean
    font) stops pdflatex: the error says which font, which characters, and the way out."""
    root = tmp_path / "survey"
    shutil.copytree(DATA / "vla32", root)
    run = runner(root)
    assert run("build").exit_code == 0
    prose = root / "latex" / "sections" / "applications.tex"
    line = len(prose.read_text().splitlines()) + 1
    with prose.open("a") as f:
        f.write("\\begin{CJK}{UTF8}{nanummj}漢字\\end{CJK}\n")
    done = run("pdf")
    assert done.exit_code == 1
    assert done.stderr == (
        f"Error: latex/sections/applications.tex:{line}: Font C70/nanummj/m/n/10/6f=nanummjm6f "
        "at 10.0pt not loadable: Metric (TFM) file not found. The CJK font nanummj cannot print "
        "the characters U+6F00–U+6FFF (it has none of them, or it is not installed); vlabib's "
        "\\vlacjk{…} (Chinese), \\vlacjkja{…} (Japanese) and \\vlacjkko{…} (Korean) pick the "
        "font that has them; the fonts: apt-get install latex-cjk-chinese-arphic-gbsn00lp "
        "latex-cjk-japanese-wadalab texlive-lang-korean (see latex/main.log)\n"
    )
