from __future__ import annotations

import os
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import DATA, REPO, Run
from vlabib.config import Project, Settings
from vlabib.lists import ListItem, parse_list
from vlabib.readme import region_bounds
from vlabib.render import md_text
from vlabib.view import github_slug, unique_slugs

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("VLABIB_GOLDEN") == "update"


@pytest.fixture
def built(survey: Path, run: Run) -> Path:
    result = run("build")
    assert result.exit_code == 0, result.output
    return survey


def region(readme: str) -> str:
    start, stop, _ = region_bounds(readme)
    return readme[start:stop]


def golden_files(root: Path) -> dict[str, str]:
    files = {"README-papers.md": region((root / "README.md").read_text())}
    for path in sorted((root / "latex" / "generated").iterdir()):
        files[path.name] = path.read_text()
    files["main.tex"] = (root / "latex" / "main.tex").read_text()
    return files


def test_outputs_equal_the_golden_files(built: Path) -> None:
    """Whole outputs, diffed. Rewrite with VLABIB_GOLDEN=update after a deliberate change."""
    files = golden_files(built)
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir()
        for name, text in files.items():
            (GOLDEN / name).write_text(text)
    assert sorted(files) == sorted(p.name for p in GOLDEN.iterdir())
    for name, text in files.items():
        assert text == (GOLDEN / name).read_text(), name


def test_repository_outputs_are_up_to_date(tmp_path: Path) -> None:
    """The committed README and latex/generated/ are what build writes (check would fail)."""
    from vlabib.build import drift, load, outputs

    project = Project(REPO, Settings())
    assert drift(project, outputs(project, load(project))) == []


def test_build_twice_changes_nothing(built: Path, run: Run) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    result = run("build")
    assert result.output == "0 files changed\n"
    assert {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()} == stamps


def test_readme_leaves_hold_the_seed_lists_ids(built: Path) -> None:
    readme = parse_list((built / "README.md").read_text())
    seed = parse_list((DATA / "efficient-vla-survey.2025-09-17.seed.md").read_text())

    def by_leaf(items: tuple[ListItem, ...]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for item in items:
            out[item.section[-1].replace("Hardward", "Hardware")].add(item.arxiv_id)
        return out

    assert by_leaf(readme.items) == by_leaf(seed.items)
    readme_headings = [h.title for h in readme.headings]
    for heading in (h.title for h in seed.headings[1:]):
        assert heading.replace("Hardward", "Hardware") in readme_headings
    assert "Pre-Training Data\n\n_No papers yet._" in (built / "README.md").read_text()


def test_readme_shows_venue_and_year_of_publication(built: Path) -> None:
    text = (built / "README.md").read_text()
    assert (
        "- TinyVLA: Towards Fast, Data-Efficient Vision-Language-Action Models for Robotic "
        "Manipulation. <ins>IEEE RA-L, 2025</ins> [[Paper](https://arxiv.org/abs/2409.12514)] "
        "[[Code](https://github.com/liyaxuanliyaxuan/TinyVLA)]"
    ) in text


def test_table_layout(survey: Path, run: Run) -> None:
    (survey / "vlabib.toml").write_text('readme_layout = "table"\n')
    assert run("build").exit_code == 0
    text = (survey / "README.md").read_text()
    assert "| Year | Venue | Paper | Code |" in text
    assert (
        "| 2025 | CoRL | [FLOWER: Democratizing Generalist Robot Policies with Efficient "
        "Vision-Language-Action Flow Policies](https://arxiv.org/abs/2509.04996) | "
        "[💻](https://github.com/intuitive-robots/flower_vla_calvin) |"
    ) in text
    table = parse_list(text).items
    bullets = parse_list((REPO / "README.md").read_text()).items
    assert sorted((i.arxiv_id, i.section) for i in table) == sorted(
        (i.arxiv_id, i.section) for i in bullets
    )


def test_table_of_contents_anchors_are_githubs() -> None:
    """The 2026 list's hand-made TOC links worked on GitHub: our slugs must equal them."""
    text = (DATA / "efficient-vla-survey.2026-06-23.md").read_text()
    headings = re.findall(r"^#{1,6} (.*)$", text, re.MULTILINE)
    slugs = dict(zip(headings, unique_slugs(headings), strict=True))
    links = re.findall(r"^\s*- \[(.*)\]\(#(.*)\)$", text, re.MULTILINE)
    assert len(links) > 20
    for label, anchor in links:
        heading = next(h for h in headings if github_slug(h) == anchor or h == label)
        assert slugs[heading] == anchor


def test_duplicate_headings_get_numbered_slugs() -> None:
    assert unique_slugs(["Benchmarks", "Data", "Benchmarks", "Benchmarks"]) == [
        "benchmarks",
        "data",
        "benchmarks-1",
        "benchmarks-2",
    ]
    assert unique_slugs(["Set-up"], taken=["set-up"]) == ["set-up-1"]


HOSTILE_TITLES = [
    "<script>alert(1)</script> Attack",
    "Pipes | in | titles",
    "*Bold* _under_ `code` [link](http://x) ![img](y)",
    "&lt;entity&gt; &amp; A & B",
    "# Not a heading",
    "1. Not a list",
    "- Not a bullet",
    "Back\\slash <!-- comment -->",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
@pytest.mark.parametrize("layout", ["bullet", "table"])
def test_titles_cannot_inject_markup(title: str, layout: str) -> None:
    md = MarkdownIt("gfm-like")
    if layout == "table":
        source = f"| Paper | Code |\n|---|---|\n| [{md_text(title)}](https://x) | ins |\n"
        tokens = md.parse(source)
        cells = [t for t in tokens if t.type == "td_open"]
        assert len(cells) == 2
    else:
        source = f"- {md_text(title)}. <ins>arXiv, 2025</ins>\n"
        tokens = md.parse(source)
        assert [t.type for t in tokens][:2] == ["bullet_list_open", "list_item_open"]
    html = md.render(source)
    assert "<script" not in html
    assert "<!--" not in html
    assert "<strong>" not in html
    assert "<em>" not in html
    assert "<code>" not in html
    assert "<img" not in html
    # The text a reader sees is the title, character for character.
    inline = next(
        t
        for t in md.parse(source)
        if t.type == "inline" and ("](https://x)" in t.content or "<ins>" in t.content)
    )
    children = [c for c in inline.children or [] if c.type != "link_open"]
    seen = ""
    for child in children:
        if child.type in ("html_inline", "link_close"):
            break
        seen += child.content
    assert seen.removesuffix(". ") == title


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_check_catches_a_hand_edit_in_the_readme(built: Path, run: Run) -> None:
    assert run("check").exit_code == 0
    readme = built / "README.md"
    edit(readme, "- FAST: Efficient", "- FAST: Very Efficient")
    result = run("check")
    assert result.exit_code == 1
    assert "README.md:" in result.stderr
    assert "the paper list was edited by hand" in result.stderr
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0


def test_check_catches_a_stale_readme(built: Path, run: Run) -> None:
    edit(built / "refs" / "vla.bib", "venue         = {CoRL 2025}", "venue         = {CoRL 2026}")
    result = run("check")
    assert result.exit_code == 1
    assert "the paper list is stale; run 'vlabib build'" in result.stderr
    assert "latex/generated/references.bib:1: stale" in result.stderr


def test_check_catches_a_hand_edit_of_a_generated_file(built: Path, run: Run) -> None:
    edit(built / "latex" / "generated" / "taxonomy.tex", "FAST~", "FAST!~")
    result = run("check")
    assert result.exit_code == 1
    assert "latex/generated/taxonomy.tex:1: edited by hand" in result.stderr
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0


def test_check_catches_a_cite_the_bib_lacks(built: Path, run: Run) -> None:
    main = built / "latex" / "main.tex"
    original = main.read_text()
    edit(main, "\\section{Conclusion}", "\\section{Conclusion}\nAs shown by~\\cite{9999.99999}.")
    result = run("check")
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(main.read_text().splitlines(), 1) if "9999.99999" in t)
    assert (
        f"latex/main.tex:{line}: \\cite{{9999.99999}}: 9999.99999 is not in the bib"
        in result.stderr
    )
    edit(main, "\\vlacite{token-pruning}", "\\vlacite{token-prunning}")
    assert "\\vlacite{token-prunning}: no such taxonomy node" in run("check").stderr
    main.write_text(original)
    assert run("check").exit_code == 0


def test_check_warns_about_uncited_papers_and_empty_leaves(built: Path, run: Run) -> None:
    edit(built / "latex" / "main.tex", "\\vlacite{token-caching}", "")
    edit(built / "latex" / "main.tex", "\\vlacite{efficient-vlas}", "")
    result = run("check")
    assert result.exit_code == 0
    assert "2502.02175 is never cited in the manuscript" in result.stderr
    assert "Warning: refs/taxonomy.toml: leaf pre-training-data has no papers yet" in result.stderr


def test_readme_without_markers_is_a_clear_error(survey: Path, run: Run) -> None:
    (survey / "README.md").write_text("# My survey\n")
    before = (survey / "refs" / "vla.bib").read_bytes()
    result = run("build")
    assert result.exit_code == 1
    assert "README must hold the marker lines <!-- vlabib:begin papers -->" in result.stderr
    assert not (survey / "latex" / "main.pdf").exists()
    assert (survey / "refs" / "vla.bib").read_bytes() == before


def test_removed_area_removes_its_table(built: Path, run: Run) -> None:
    tax = built / "refs" / "taxonomy.toml"
    edit(tax, '[[node]]\nid = "applications"\ntitle = "Applications"\n', "")
    edit(
        built / "refs" / "vla.bib", "keywords      = {applications}", "keywords      = {benchmarks}"
    )
    assert "latex/generated/table-applications.tex: no longer generated" in run("check").stderr
    assert "table-applications.tex (removed)" in run("build").output
    assert not (built / "latex" / "generated" / "table-applications.tex").exists()


def test_readme_example_entry_is_the_canonical_one() -> None:
    """The README shows a canonical entry: it must stay exactly what the bib holds."""
    readme = (REPO / "README.md").read_text()
    (example,) = re.findall(r"```bibtex\n(.*?)```", readme, re.DOTALL)
    key = re.match(r"@misc\{([^,]+),", example)
    assert key is not None
    text = (REPO / "refs" / "vla.bib").read_text()
    start = text.index(f"@misc{{{key.group(1)},")
    assert text[start : start + len(example)] == example
