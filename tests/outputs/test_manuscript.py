"""The manuscript of a real survey, compiled for real, read as a publisher's checker and a
reader would: the Efficient VLA survey at 32 papers (two-level taxonomy) and at 107 papers
(three levels, one figure per area), frozen under tests/data/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import Run, runner
from tests.helpers import DATA
from tests.outputs.test_latex import compile_pdf, contains, squash
from tests.servers import FakeArxiv, entry_xml
from vlabib import bib
from vlabib.tex.read import latex_to_text

# Overfull boxes of at most this much are invisible; anything wider runs into the margin.
TOLERANCE_PT = 1.0


def overfull(log: str) -> list[str]:
    return [
        line
        for line in log.splitlines()
        if (m := re.match(r"Overfull \\[hv]box \(([\d.]+)pt too", line))
        and float(m.group(1)) > TOLERANCE_PT
    ]


def font_types(pdf: Path) -> list[str]:
    """The 'type' column of pdffonts: Type 1, Type 1C, TrueType, Type 3, …"""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line[37:55].strip() for line in out.stdout.splitlines()[2:]]


def compile_survey(root: Path) -> tuple[str, str, str]:
    run = runner(root)
    build = run("build")
    assert build.exit_code == 0, build.output
    check = run("check")
    assert check.exit_code == 0, check.stderr
    return compile_pdf(root / "latex")


@pytest.mark.tex
@pytest.mark.parametrize(("name", "pages"), [("vla32", 6), ("vla107", 14)])
def test_a_real_survey_compiles_as_a_publisher_wants(tmp_path: Path, name: str, pages: int) -> None:
    """0 undefined citations, 0 overfull boxes over 1 pt, 0 floats too large, 0 Type 3
    fonts, every title in the PDF."""
    root = tmp_path / name
    shutil.copytree(DATA / name, root)
    log, blg, text = compile_survey(root)
    assert "undefined" not in log.lower()
    assert "Warning--" not in blg
    assert overfull(log) == []
    assert "Float too large" not in log
    assert "Type 3" not in font_types(root / "latex" / "main.pdf")
    assert text.count("\f") == pages
    flat = squash(text)
    papers = bib.load(root / "refs" / "papers.bib")
    missing = [p.key for p in papers if not contains(flat, latex_to_text(p.title))]
    assert missing == []
    references = (root / "latex" / "generated" / "references.bib").read_text()
    assert references.isascii()


def test_the_big_tree_is_split_one_figure_per_area(tmp_path: Path) -> None:
    root = tmp_path / "vla107"
    shutil.copytree(DATA / "vla107", root)
    assert runner(root)("build").exit_code == 0
    taxonomy = (root / "latex" / "generated" / "taxonomy.tex").read_text()
    areas = re.findall(r"\\label\{fig:taxonomy-([a-z-]+)\}", taxonomy)
    assert taxonomy.count("\\begin{figure*}") == len(areas) > 1
    assert "\\label{fig:taxonomy}" in taxonomy  # the first figure answers \ref{fig:taxonomy}


def add_from_arxiv(
    run: Run, monkeypatch: pytest.MonkeyPatch, papers: dict[str, tuple[str, str]]
) -> Result:
    """'vlabib add' of papers {ID: (title, "A and B")} that a loopback arXiv serves."""
    entries = {k: entry_xml(k, t, authors=a.split(" and ")) for k, (t, a) in papers.items()}
    with FakeArxiv(entries) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        return run("add", *papers, "-c", "evaluation")


ANY_TITLE = {
    "2501.00001": ("机器人操作的视觉语言动作模型 Survey", "Wei Li and 张伟"),
    "2501.00002": ("Robots 🤖 Are Here: Emoji in Titles", "Ana García"),
    "2501.00003": ("Ψ₀ and $O(n^2)$ Policies for α-Tuning", "Jürgen Müller and Łukasz Øster"),
    "2501.00004": ("VLA-Adapter: Align-Then-stEer for Vision-Language Action", "Zoë Ünal"),
}


@pytest.mark.tex
def test_any_title_and_name_prints(run: Run, survey: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CJK, emoji, Greek, math and accents: added from arXiv, exact in the README, printed
    by pdflatex (CJK through CJKutf8, emoji left out), never non-ASCII in the BibTeX input,
    compounds keep their capitals."""
    added = add_from_arxiv(run, monkeypatch, ANY_TITLE)
    assert added.exit_code == 0, added.output
    assert added.stderr == (
        "2501.00002: title: 🤖 shown in the README, left out of the PDF "
        "(pdflatex has no font for it)\n"
    )
    assert run("build").exit_code == 0
    readme = (survey / "README.md").read_text()
    for title, _ in ANY_TITLE.values():
        assert title.replace("$O(n^2)$", "O(n²)") in readme
    references = (survey / "latex" / "generated" / "references.bib").read_text()
    assert references.isascii()
    assert "{VLA-Adapter}" in references
    assert "{Align-Then-stEer}" in references
    log, _blg, text = compile_pdf(survey / "latex")
    assert "undefined" not in log.lower()
    assert overfull(log) == []
    assert "Type 3" not in font_types(survey / "latex" / "main.pdf")
    flat = " ".join(text.split())
    assert "VLA-Adapter: Align-Then-stEer" in flat  # not "VLA-adapter", "stEer" as written
    assert "Robots are here: Emoji in titles" in flat  # sentence case; the emoji left out
    assert "Jürgen Müller and Łukasz Øster" in flat
    assert "Zoë Ünal" in flat
    # Sentence case that keeps the math; the line may break inside a word ("poli-cies").
    assert squash("Ψ0 and O(n2) policies for α-tuning") in squash(
        flat.replace("poli- cies", "policies")
    )


EVERY_SCRIPT = {
    "2501.00011": ("視覚言語モデルの効率化に関する調査", "山田 太郎 and 佐藤 花子"),
    "2501.00012": ("시각 언어 행동 모델의 효율화", "김민준 and Lee Ji-woo"),
    "2501.00013": ("韓國語와 漢字: 視覚 Models", "Park Seo-yeon"),
    "2501.00014": ("A Rare 𠀋 Character", "Wei Li"),
}


@pytest.mark.tex
def test_japanese_and_korean_print_and_what_cannot_is_named(
    run: Run, survey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kanji and kana in a Japanese font, Hangul in a Korean one, Hanja and Japanese-only
    kanji where a font has them; a character no font has is named by add and by check, with
    the paper's key, and left out of the PDF, never a missing-character gap."""
    added = add_from_arxiv(run, monkeypatch, EVERY_SCRIPT)
    assert added.exit_code == 0, added.output
    left_out = "shown in the README, left out of the PDF"
    assert added.stderr == f"2501.00014: title: 𠀋 {left_out} (pdflatex has no font for it)\n"
    assert run("build").exit_code == 0
    rare = next(p for p in bib.load(survey / "refs" / "papers.bib") if p.key == "2501.00014")
    check = run("check")
    assert [line for line in check.stderr.splitlines() if left_out in line] == [
        f"Warning: refs/papers.bib:{rare.line}: entry 2501.00014: title: 𠀋 (U+2000B) "
        f"{left_out} (no font pdflatex has prints it)"
    ]
    log, _blg, text = compile_pdf(survey / "latex")
    assert "Missing character" not in log
    assert "Type 3" not in font_types(survey / "latex" / "main.pdf")
    flat = "".join(text.split())
    for title, authors in EVERY_SCRIPT.values():
        for part in (title.replace("𠀋", ""), *authors.split(" and ")):
            assert "".join(part.split()).lower() in flat.lower(), part


@pytest.mark.tex
def test_tables_show_the_fields_the_survey_names(survey: Path, run: Run) -> None:
    """A survey compares methods by its own attributes: name bib fields, get columns."""
    (survey / "vlabib.toml").write_text(
        'bib = "refs/papers.bib"\ntable_fields = ["backbone", "kv_bits"]\n'
    )
    papers = survey / "refs" / "papers.bib"
    papers.write_text(
        papers.read_text().replace(
            "  keywords      = {low-rank, quantization},",
            "  keywords      = {low-rank, quantization},\n  backbone = {Llama-2 7B},\n"
            "  kv_bits = {2--4},",
        )
    )
    assert run("fmt").exit_code == 0
    assert run("build").exit_code == 0
    table = (survey / "latex" / "generated" / "table-methods.tex").read_text()
    assert "Method & Venue & Year & Category & Backbone & Kv bits \\\\" in table
    assert (
        "Palu \\cite{2407.21118} & ICLR & 2025 & Low-Rank, Quantization & Llama-2 7B & 2--4 \\\\"
        in table
    )
    assert "SnapKV \\cite{2404.14469} & arXiv & 2024 & Token Eviction &  &  \\\\" in table
    log, _, text = compile_pdf(survey / "latex")
    assert overfull(log) == []
    assert "llama27b" in squash(text)


def test_empty_leaves_are_dashed_or_hidden(survey: Path, run: Run) -> None:
    assert run("build").exit_code == 0
    figure = survey / "latex" / "generated" / "taxonomy.tex"
    assert (
        "[{Prompt Compression}, vlanode=orange!85!black, text width=0.119\\linewidth, vlaempty"
        in figure.read_text()
    )
    (survey / "vlabib.toml").write_text('bib = "refs/papers.bib"\nempty_leaves = "hide"\n')
    assert run("build").exit_code == 0
    assert "Prompt Compression" not in figure.read_text()
    (survey / "vlabib.toml").write_text('bib = "refs/papers.bib"\nempty_leaves = "no"\n')
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == "Error: vlabib.toml: empty_leaves must be 'show' or 'hide'\n"


def test_a_misspelled_category_stops_build(built: Path, run: Run) -> None:
    """Nothing is dropped silently: build refuses as check does, with the leaf meant."""
    papers = built / "refs" / "papers.bib"
    papers.write_text(
        papers.read_text().replace(
            "keywords      = {merging}", "keywords      = {merging-tokens}", 1
        )
    )
    generated = built / "latex" / "generated"
    before = {p.name: p.read_bytes() for p in generated.iterdir()}
    readme = (built / "README.md").read_bytes()
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: refs/papers.bib:1: entry 2210.09461: unknown category merging-tokens (did you "
        "mean merging?)\nError: nothing was written; fix the categories and run 'vlabib build' "
        "again\n"
    )
    assert {p.name: p.read_bytes() for p in generated.iterdir()} == before
    assert (built / "README.md").read_bytes() == readme
    check = run("check")
    assert (
        "Error: refs/papers.bib:1: entry 2210.09461: unknown category merging-tokens "
        "(did you mean merging?)" in check.stderr
    )


def test_the_figure_is_never_shrunk(tmp_path: Path) -> None:
    """Readable at print size: no \\resizebox, no font below \\footnotesize (8 pt)."""
    root = tmp_path / "vla107"
    shutil.copytree(DATA / "vla107", root)
    assert runner(root)("build").exit_code == 0
    figure = (root / "latex" / "generated" / "taxonomy.tex").read_text()
    for small in ("\\resizebox", "\\scalebox", "\\tiny", "\\scriptsize"):
        assert small not in figure


@pytest.mark.tex
def test_an_old_main_tex_that_boxes_the_figure_gets_a_fix(built: Path, run: Run) -> None:
    """A main.tex from before the figure was split: the error says what to change."""
    main = built / "latex" / "main.tex"
    main.write_text(
        main.read_text().replace(
            "\\input{generated/body}",
            "\\begin{figure*}\\resizebox{\\textwidth}{!}{\\input{generated/taxonomy}}"
            "\\end{figure*}\n\\input{generated/body}",
        )
    )
    result = run("pdf")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: latex/generated/taxonomy.tex:2: LaTeX Error: Not in outer par mode. "
        "generated/taxonomy.tex holds its own figure* floats now: \\input it on its own line, "
        "outside any box or figure (a fresh skeleton: move main.tex away and run 'vlabib "
        "build') (see latex/main.log)\n"
    )


@pytest.mark.tex
@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "01-GT-RIPL-Awesome-LLM-Robotics.md",  # a name in brackets ([LLaRP]) opens table rows
        "05-Thinklab-SJTU-Awesome-LLM4AD.md",  # 546 papers: its table's page break flipped
        "10-DWCTOD-CVPR2024-Papers-with-Code-Demo.md",  # 34 leaves: a brief figure, CJK titles
    ],
)
def test_a_real_list_becomes_a_manuscript_on_the_first_run(tmp_path: Path, name: str) -> None:
    """'vlabib init --from LIST' then 'vlabib pdf' once: it converges (latexmk never reaches
    its maximum runs), nothing is undefined or overfull, no font is Type 3, and every box of
    every figure names papers (never "N papers")."""
    root = tmp_path / "survey"
    done = runner(tmp_path)(
        "init",
        str(root),
        "--title",
        "A Survey",
        "--offline",
        "--from",
        str(DATA / "lists-wild" / name),
    )
    assert done.exit_code == 0, done.output
    pdf = runner(root)("pdf")
    assert pdf.exit_code == 0, pdf.output
    log = (root / "latex" / "main.log").read_text(errors="replace")
    assert re.search(r"(Citation|Reference) .* undefined", log) is None
    assert overfull(log) == []
    assert "Float too large" not in log
    assert "Type 3" not in font_types(root / "latex" / "main.pdf")
    figure = (root / "latex" / "generated" / "taxonomy.tex").read_text()
    assert re.search(r"\{\d+ papers\}", figure) is None
    assert "\\cite{" in figure


# What ACM's and IEEE's styles say of a field the metadata lacks (a preprint has no
# publisher, no pages); a reader sees the entry as it is, nothing is undefined.
MISSING_METADATA = (
    "empty author",
    "empty publisher",
    "empty address",
    "page numbers missing",
    "no number and no volume",
)


@pytest.mark.tex
@pytest.mark.parametrize(("cls", "pages"), [("acmart", 13), ("ieeetran", 6)])
def test_the_survey_compiles_in_a_publishers_class(tmp_path: Path, cls: str, pages: int) -> None:
    """The 107-paper survey in acmart (CSUR) and IEEEtran (TPAMI): the class's own
    bibliography style, 0 undefined, 0 overfull, 0 floats too large, no Type 3 font, every
    title in the PDF, names in every figure box."""
    root = tmp_path / cls
    shutil.copytree(DATA / "vla107", root)
    with (root / "vlabib.toml").open("a") as settings:
        settings.write(f'document_class = "{cls}"\n')
    log, blg, text = compile_survey(root)
    assert f"Document Class: {'acmart' if cls == 'acmart' else 'IEEEtran'}" in log
    style = {"acmart": "ACM-Reference-Format", "ieeetran": "IEEEtran"}[cls]
    assert f"\\bibliographystyle{{{style}}}" in (root / "latex" / "main.tex").read_text()
    assert "undefined" not in log.lower()
    assert overfull(log) == []
    assert "Float too large" not in log
    assert "Type 3" not in font_types(root / "latex" / "main.pdf")
    assert text.count("\f") == pages
    papers = bib.load(root / "refs" / "papers.bib")
    warned = re.findall(r"Warning--(.+?) in (\S+)", blg)
    assert {kind for kind, _ in warned} <= set(MISSING_METADATA)
    no_author = {p.key for p in papers if not p.authors}
    assert {key for kind, key in warned if kind == "empty author"} <= no_author
    flat = squash(text)
    assert [p.key for p in papers if not contains(flat, latex_to_text(p.title))] == []
    taxonomy = (root / "latex" / "generated" / "taxonomy.tex").read_text()
    assert not re.search(r"\d+ papers", taxonomy)


@pytest.mark.tex
def test_tables_can_go_to_an_appendix(tmp_path: Path) -> None:
    """tables = "appendix": each area's section points to its table, and every table comes
    after the references; a main file that never inputs the appendix is an error."""
    root = tmp_path / "vla107"
    shutil.copytree(DATA / "vla107", root)
    with (root / "vlabib.toml").open("a") as settings:
        settings.write('tables = "appendix"\n')
    log, _blg, text = compile_survey(root)
    assert overfull(log) == []
    assert "undefined" not in log.lower()
    body = (root / "latex" / "generated" / "body.tex").read_text()
    assert "\\input{generated/table-" not in body
    assert "Table~\\ref{tab:efficient-training} in the appendix lists the methods" in body
    flat = " ".join(text.split())
    references = flat.index("References")
    assert flat.index("A The methods of each area") > references
    assert flat.index("Table 1: Efficient Model Design: the methods") > references
    assert "Table 2 in the appendix lists the methods of this area" in flat[:references]
    main = root / "latex" / "main.tex"
    main.write_text(main.read_text().replace("\\input{generated/appendix}\n", ""))
    check = runner(root)("check")
    assert check.exit_code == 1
    assert (
        'Error: latex/main.tex: tables = "appendix", but nothing inputs '
        "latex/generated/appendix.tex: add \\input{generated/appendix} after \\bibliography"
        in check.stderr.splitlines()
    )
