"""``vlabib move`` and ``vlabib rename`` on the fixture survey, end to end: one small diff,
every reference followed, the old README anchor kept, nothing half done."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers import git
from tests.servers import FakeArxiv, entry_xml
from vlabib import bib


def papers(root: Path) -> dict[str, tuple[str, ...]]:
    return {p.key: p.categories for p in bib.load(root / "refs" / "papers.bib")}


def test_move_two_papers_is_one_small_diff(built: Path, run: Run) -> None:
    git(built, "init", "-q")
    git(built, "add", "-A")
    git(built, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "before")
    before = papers(built)
    keys = [k for k, cats in before.items() if "merging" in cats][:2]
    done = run("move", *keys, "--to", "quantization", "--from", "merging")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [f"moved {k} to quantization" for k in keys]
    after = papers(built)
    for key in keys:
        assert "merging" not in after[key]
        assert "quantization" in after[key]
    changed = git(built, "diff", "--numstat").split()
    assert changed == ["2", "2", "refs/papers.bib"]  # a keywords line each
    assert run("move", "9999.99999", "--to", "merging").exit_code == 1
    assert run("move", keys[0], "--to", "no-such-leaf").exit_code == 1


def test_rename_a_leaf_with_prose_cites_and_an_anchor(built: Path, run: Run) -> None:
    prose = built / "latex" / "sections" / "merging.tex"
    prose.write_text(
        "Merging joins similar tokens~\\surveycite{merging} (\\surveycount{merging}).\n"
    )
    intro = built / "latex" / "sections" / "methods.tex"
    intro.write_text(intro.read_text() + "See \\surveycite{merging} and \\cite{2407.21118}.\n")
    taxonomy = built / "refs" / "taxonomy.toml"
    taxonomy.write_text(taxonomy.read_text().replace('id = "merging"', 'id = "merging"  # kept'))
    assert run("build").exit_code == 0
    old_readme = (built / "README.md").read_text()
    assert "(#merging)" in old_readme
    done = run("rename", "merging", "token-merging", "--title", "Token Merging")
    assert done.exit_code == 0, done.output
    assert not prose.exists()
    moved = built / "latex" / "sections" / "token-merging.tex"
    assert moved.read_text() == (
        "Merging joins similar tokens~\\surveycite{token-merging} (\\surveycount{token-merging}).\n"
    )
    assert "See \\surveycite{token-merging} and \\cite{2407.21118}." in intro.read_text()
    text = taxonomy.read_text()
    assert (
        'id = "token-merging"\ntitle = "Token Merging"\nparent = "methods"\nanchors = ["merging"]'
        in text
    )
    assert all("merging" not in cats for cats in papers(built).values())
    assert any("token-merging" in cats for cats in papers(built).values())
    assert run("build").exit_code == 0
    readme = (built / "README.md").read_text()
    assert '<a id="merging"></a>' in readme  # the old link still lands here
    assert "### Token Merging" in readme or "#### Token Merging" in readme
    check = run("check")
    assert check.exit_code == 0, check.output


def test_rename_refuses_and_changes_nothing(built: Path, run: Run) -> None:
    def snapshot() -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()}

    before = snapshot()
    assert run("rename", "no-such-node", "x").exit_code == 1
    assert run("rename", "merging", "quantization").exit_code == 1  # taken
    assert run("rename", "merging", "Not An Id").exit_code == 1
    dry = run("rename", "merging", "token-merging", "--dry-run")
    assert dry.exit_code == 0
    assert "would write refs/taxonomy.toml" in dry.output
    assert snapshot() == before


def test_an_untouched_stub_of_a_removed_node_is_only_a_warning(built: Path, run: Run) -> None:
    """A stub nobody wrote in loses nothing: a warning, not an error."""
    tax = built / "refs" / "taxonomy.toml"
    tax.write_text(tax.read_text().replace('id = "merging"', 'id = "token-merging"'))
    bib_path = built / "refs" / "papers.bib"
    bib_path.write_text(bib_path.read_text().replace("{merging}", "{token-merging}"))
    assert run("build").exit_code == 0
    check = run("check")
    assert check.exit_code == 0, check.output
    assert "Warning: latex/sections/merging.tex: not in the manuscript" in check.output


def test_a_contributors_readme_line_is_absorbed(
    built: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request adds one line to the generated list: check names 'build --absorb',
    which takes the paper in (arXiv's metadata, the leaf of its heading, the line's own
    venue and code), and builds; check is then green."""
    readme = built / "README.md"
    line = (
        "- **A New Way to Merge Tokens**. Ann Lee. <ins>ICLR, 2025</ins> "
        "\\[[Paper](https://arxiv.org/abs/2501.00011)\\] \\[[Code](https://github.com/a/merge)\\]"
    )
    text = readme.read_text()
    heading = "#### Merging\n\n"
    assert heading in text
    readme.write_text(text.replace(heading, heading + line + "\n", 1))
    check = run("check")
    assert "2501.00011 was added to the generated list by hand" in check.output
    assert "'vlabib build --absorb' takes it in" in check.output
    with FakeArxiv(
        {
            "2501.00011": entry_xml(
                "2501.00011", "A New Way to Merge Tokens", authors=("Ann Lee", "Bo Li")
            )
        }
    ) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        done = run("build", "--absorb")
    assert done.exit_code == 0, done.output
    paper = {p.key: p for p in bib.load(built / "refs" / "papers.bib")}["2501.00011"]
    assert paper.categories == ("merging",)
    assert paper.code == "https://github.com/a/merge"
    assert paper.venue == "ICLR 2025"
    assert paper.authors == ("Lee, Ann",)  # the line's words stand over arXiv's
    assert "A New Way to Merge Tokens" in readme.read_text()
    final = run("check")
    assert final.exit_code == 0, final.output
