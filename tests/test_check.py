from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run


def edit(bib: Path, old: str, new: str, count: int = 1) -> None:
    text = bib.read_text()
    assert old in text
    bib.write_text(text.replace(old, new, count))


def test_repository_is_clean(run: Run) -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("ok (2 warnings)\n")  # the seed's two empty leaves


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "keywords      = {token-caching}",
            "keywords      = {token-cacheing}",
            "entry 2502.02175: unknown category token-cacheing (did you mean token-caching?)",
            id="unknown-category",
        ),
        pytest.param(
            "keywords      = {token-caching}",
            "keywords      = {efficient-use-of-tokens}",
            "category efficient-use-of-tokens is a heading with sub-headings; use one of: "
            "token-compression, token-pruning, token-caching",
            id="inner-node",
        ),
        pytest.param(
            "  keywords      = {token-caching},\n",
            "",
            "entry 2502.02175 has no category",
            id="no-category",
        ),
        pytest.param(
            "  url           = {https://arxiv.org/abs/2502.02175},\n",
            "",
            "entry 2502.02175 has no url",
            id="no-url",
        ),
        pytest.param(
            "title         = {{VLA}-Cache: Efficient",
            "title = {{VLA}-Cache: Efficient",
            "not in canonical format; run 'vlabib fmt'",
            id="not-canonical",
        ),
    ],
)
def test_check_reports(run: Run, survey: Path, old: str, new: str, message: str) -> None:
    edit(survey / "refs" / "vla.bib", old, new)
    result = run("check")
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.strip().splitlines()[0].startswith("Error: ")


def test_check_reports_near_identical_titles_and_shared_arxiv_id(run: Run, survey: Path) -> None:
    bib = survey / "refs" / "vla.bib"
    text = bib.read_text()
    start = text.index("@misc{2502.02175,")
    block = text[start : text.index("}\n", start) + 2]
    twin = (
        block.replace("@misc{2502.02175,", "@misc{doi:10.1000/x,")
        .replace("  url ", "  doi           = {10.1000/x},\n  url ")
        .replace("Adaptive Token Caching", "Adaptive Token-Caching")
    )
    bib.write_text(text + "\n" + twin)
    result = run("check")
    assert result.exit_code == 1
    assert "has arXiv ID 2502.02175 like entry 2502.02175" in result.stderr
    assert "has nearly the same title as 2502.02175" in result.stderr


def test_check_line_numbers_point_at_the_entry(run: Run, survey: Path) -> None:
    bib = survey / "refs" / "vla.bib"
    edit(bib, "keywords      = {applications}", "keywords      = {nowhere}")
    line = next(
        i for i, text in enumerate(bib.read_text().splitlines(), 1) if text == "@misc{2509.08820,"
    )
    assert f"refs/vla.bib:{line}: entry 2509.08820: unknown category nowhere" in run("check").stderr
