"""``vlabib check`` on the fixture survey: each problem, one exact line, exit 1 on errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Run
from tests.helpers import edit
from vlabib.tex.read import Reference


def line_of(path: Path, text: str) -> int:
    return next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t == text)


def test_a_built_survey_is_clean(built: Path, run: Run) -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok (1 warning)\n"  # the fixture's empty leaf
    assert result.stderr == (
        "Warning: refs/taxonomy.toml: leaf prompt-compression has no papers yet\n"
    )


def test_an_unbuilt_survey_says_build(survey: Path, run: Run) -> None:
    result = run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "Error: README.md:5: the paper list has not been generated yet; run 'vlabib build'"
    )
    assert lines[1] == "Error: latex/generated/appendix.tex: missing; run 'vlabib build'"


PALU = "@misc{2407.21118,"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "keywords      = {low-rank, quantization}",
            "keywords      = {low-rank, quantisation}",
            "entry 2407.21118: unknown category quantisation (did you mean quantization?)",
            id="unknown-category",
        ),
        pytest.param(
            "keywords      = {low-rank, quantization}",
            "keywords      = {methods}",
            "entry 2407.21118: category methods is a heading with sub-headings; use one of: "
            "token-eviction, merging, low-rank, quantization, prompt-compression",
            id="inner-node",
        ),
        pytest.param(
            "  keywords      = {low-rank, quantization},\n",
            "",
            "entry 2407.21118 has no category; add keywords = {LEAF}",
            id="no-category",
        ),
        pytest.param(
            "  url           = {https://arxiv.org/abs/2407.21118},\n",
            "",
            "entry 2407.21118 has no url; add url = {https://…}",
            id="no-url",
        ),
    ],
)
def test_check_reports(built: Path, run: Run, old: str, new: str, message: str) -> None:
    bib = built / "refs" / "papers.bib"
    edit(bib, old, new)
    result = run("check")
    assert result.exit_code == 1
    assert f"Error: refs/papers.bib:{line_of(bib, PALU)}: {message}" in result.stderr.splitlines()


def test_check_reports_formatting_at_the_first_difference(built: Path, run: Run) -> None:
    bib = built / "refs" / "papers.bib"
    edit(bib, "  title         = {Palu:", "  title = {Palu:")
    result = run("check")
    line = line_of(bib, PALU) + 1
    assert result.stderr.splitlines() == [
        f"Error: refs/papers.bib:{line}: not in canonical format; run 'vlabib fmt'",
        "Warning: refs/taxonomy.toml: leaf prompt-compression has no papers yet",
    ]


def test_check_reports_near_identical_titles_and_shared_arxiv_id(built: Path, run: Run) -> None:
    bib = built / "refs" / "papers.bib"
    text = bib.read_text()
    start = text.index(PALU)
    block = text[start : text.index("}\n", start) + 2]
    twin = (
        block.replace(PALU, "@misc{doi:10_1000/x,")
        .replace("  url ", "  doi           = {10.1000/x},\n  url ")
        .replace("Low-Rank Projection", "Low Rank Projection")
    )
    bib.write_text(text + "\n" + twin)
    result = run("check")
    assert result.exit_code == 1
    line = line_of(bib, "@misc{doi:10_1000/x,")
    errors = [ln for ln in result.stderr.splitlines() if "refs/papers.bib" in ln]
    assert errors == [
        f"Error: refs/papers.bib:{line}: entry doi:10_1000/x has arXiv ID 2407.21118 like entry "
        "2407.21118; merge them",
        f"Error: refs/papers.bib:{line}: entry doi:10_1000/x has nearly the same title as "
        "2407.21118; a duplicate?",
    ]


def test_titles_without_latin_letters_are_compared_as_written(built: Path, run: Run) -> None:
    """Two Chinese titles are not duplicates because neither has a Latin letter; the same
    title twice is."""
    bib = built / "refs" / "papers.bib"
    text = bib.read_text()
    start = text.index(PALU)
    block = text[start : text.index("}\n", start) + 2]
    title = re.search(r"  title +=  ?\{.*\},\n", block)
    assert title is not None

    def entry(key: str, chinese: str) -> str:
        return (
            block.replace(PALU, f"@misc{{{key},")
            .replace(title.group(), f"  title         = {{{chinese}}},\n")
            .replace("2407.21118", key)
        )

    bib.write_text(
        text
        + "\n"
        + entry("2501.00021", "机器人操作的视觉语言动作模型")
        + "\n"
        + entry("2501.00022", "视觉语言模型的高效推理")
    )
    warned = [ln for ln in run("check").stderr.splitlines() if "nearly the same title" in ln]
    assert warned == []
    bib.write_text(bib.read_text() + "\n" + entry("2501.00023", "视觉语言模型的高效推理"))
    warned = [ln for ln in run("check").stderr.splitlines() if "nearly the same title" in ln]
    assert [ln.split(": ", 2)[2] for ln in warned] == [
        "entry 2501.00023 has nearly the same title as 2501.00022; a duplicate?"
    ]


def _own_references_by_line(text: str, prefix: str) -> list[Reference]:
    """The definition: each line, its comment cut off, searched for vlabib's commands."""
    pattern = re.compile(rf"\\(input|cite|{prefix}cite|{prefix}count)\{{([^}}]*)\}}")
    out = []
    for line, content in enumerate(text.split("\n"), 1):
        for m in pattern.finditer(re.sub(r"(?<!\\)%.*", "", content)):
            command = m.group(1).replace(prefix + "c", "nodec")
            out += [Reference(command, a.strip(), line) for a in m.group(2).split(",") if a.strip()]
    return out


@given(
    st.lists(
        st.sampled_from(
            ["\\cite{a,b}", "\\surveycite{n}", "\\surveycount{m}", "\\input{g/x}", "%", "\\%",
             "\\\\", "\n", " ", "x", "{", "}", "\\cite{", ",", "\\inputs{y}", "\\citep{z}",
             "\\cite{a%b}"]
        ),
        max_size=14,
    ).map("".join)
)  # fmt: skip
def test_generated_files_are_read_as_line_by_line_reading_says(text: str) -> None:
    from vlabib.commands.manuscript_lint import _own_references

    assert _own_references(text, "survey") == _own_references_by_line(text, "survey")
