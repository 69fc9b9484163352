from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from tests.conftest import Run
from tests.helpers import DATA, REPO, edit
from tests.helpers import GOLDEN as GOLDEN_FOLDER
from vlabib import bib
from vlabib.cli import main
from vlabib.listimport.markdown import ListItem, parse_list
from vlabib.outputs.readme import region_bounds
from vlabib.outputs.templating import md_text
from vlabib.outputs.view import github_slug, unique_slugs
from vlabib.taxonomy import load_taxonomy

GOLDEN = GOLDEN_FOLDER
UPDATE = os.environ.get("VLABIB_GOLDEN") == "update"


def region(readme: str) -> str:
    start, stop, _ = region_bounds(readme)
    return readme[start:stop]


def golden_files(root: Path) -> dict[str, str]:
    files = {"README-papers.md": region((root / "README.md").read_text())}
    for path in sorted((root / "latex" / "generated").iterdir()):
        files[path.name] = path.read_text()
    for path in sorted((root / "latex" / "sections").iterdir()):
        files[f"sections-{path.name}"] = path.read_text()
    files["main.tex"] = (root / "latex" / "main.tex").read_text()
    return files


def test_outputs_equal_the_golden_files(built: Path) -> None:
    """Whole outputs, diffed. Rewrite with VLABIB_GOLDEN=update after a deliberate change."""
    files = golden_files(built)
    if UPDATE:
        for old in GOLDEN.glob("*.*"):
            old.unlink()
        for name, text in files.items():
            (GOLDEN / name).write_text(text)
    assert sorted(files) == sorted(p.name for p in GOLDEN.glob("*.*"))
    for name, text in files.items():
        assert text == (GOLDEN / name).read_text(), name


def test_the_repositorys_own_survey_passes_check() -> None:
    """The one test on this repository's own data (the Efficient VLA survey): check passes.
    Its maintainers add papers every week; nothing else here depends on what they add."""
    result = CliRunner().invoke(main, ["-C", str(REPO), "check"])
    assert result.exit_code == 0, result.output


def test_build_twice_changes_nothing(built: Path, run: Run) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    result = run("build")
    assert result.output == "0 files changed\n"
    assert {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()} == stamps


def by_leaf(items: tuple[ListItem, ...]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for item in items:
        out[item.section[-1]].add(item.arxiv_id)
    return dict(out)


def test_readme_leaves_hold_the_bibs_papers(built: Path) -> None:
    readme = parse_list((built / "README.md").read_text())
    taxonomy = load_taxonomy(built / "refs" / "taxonomy.toml", "taxonomy.toml")
    want: dict[str, set[str]] = defaultdict(set)
    for paper in bib.load(built / "refs" / "papers.bib"):
        for cat in paper.categories:
            want[taxonomy[cat].title].add(paper.key)
    assert by_leaf(readme.items) == dict(want)
    assert [h.title for h in readme.headings] == [
        "Awesome KV Cache Compression",
        "Table of Contents",
        *(n.title for n in taxonomy),
        "Contributing",
    ]
    assert "#### Prompt Compression\n\n_No papers yet._" in (built / "README.md").read_text()


def test_readme_shows_venue_and_year_of_publication(built: Path) -> None:
    text = (built / "README.md").read_text()
    assert (
        "- **H2O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language "
        "Models**. Zhenyu Zhang, Ying Sheng, Tianyi Zhou, Tianlong Chen, Lianmin Zheng, Ruisi "
        "Cai, Zhao Song, Yuandong Tian, Christopher Ré, Clark Barrett, Zhangyang Wang, Beidi "
        "Chen. <ins>NeurIPS, 2023</ins> \\[[Paper](https://arxiv.org/abs/2306.14048)\\] "
        "\\[[Code](https://github.com/FMInference/H2O)\\]\n"
    ) in text
    assert "- **SCBench: A KV Cache-Centric Analysis of Long-Context Methods**. " in text
    assert "<ins>arXiv, 2024</ins> \\[[Paper](https://arxiv.org/abs/2412.10319)\\]\n" in text


def test_table_layout(built: Path, survey: Path, run: Run) -> None:
    bullets = parse_list((built / "README.md").read_text()).items
    (survey / "vlabib.toml").write_text('bib = "refs/papers.bib"\nreadme_layout = "table"\n')
    assert run("build").output == "wrote README.md\n1 file changed\n"
    text = (survey / "README.md").read_text()
    rows = [" ".join(line.split()) for line in text.splitlines()]  # pipes aligned with spaces
    assert "| Year | Venue | Paper | Code |" in rows
    assert (
        "| 2025 | ICLR | [Palu: Compressing KV-Cache with Low-Rank Projection]"
        "(https://arxiv.org/abs/2407.21118)<br>Chi-Chih Chang, Wei-Cheng Lin, Chien-Yu Lin, "
        "Chong-Yan Chen, Yu-Fang Hu, Pei-Shuo Wang, Ning-Chi Huang, Luis Ceze, Kai-Chiang Wu | "
        "[💻](https://github.com/shadowpa0327/Palu) |"
    ) in rows
    table = parse_list(text).items
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


def test_check_catches_a_hand_edit_in_the_readme(built: Path, run: Run) -> None:
    assert run("check").exit_code == 0
    readme = built / "README.md"
    edit(readme, "- **SnapKV: LLM Knows", "- **SnapKV: LLM Knows All")
    result = run("check")
    assert result.exit_code == 1
    assert "README.md:" in result.stderr
    assert "the generated paper list was edited by hand here" in result.stderr
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0


def test_check_catches_a_stale_readme(built: Path, run: Run) -> None:
    edit(
        built / "refs" / "papers.bib", "venue         = {ICLR 2025}", "venue         = {ICLR 2026}"
    )
    result = run("check")
    assert result.exit_code == 1
    assert "the paper list is stale; run 'vlabib build'" in result.stderr
    assert "latex/generated/references.bib:1: stale" in result.stderr


def test_a_stale_file_that_cannot_carry_a_stamp_is_stale_not_edited(built: Path, run: Run) -> None:
    """site/papers.json (JSON holds no comment) after a bib change: stale, not "edited"."""
    with (built / "vlabib.toml").open("a") as settings:
        settings.write('site = "site"\n')
    assert run("build").exit_code == 0
    edit(
        built / "refs" / "papers.bib", "venue         = {ICLR 2025}", "venue         = {ICLR 2026}"
    )
    result = run("check")
    assert "Error: site/papers.json:1: stale; run 'vlabib build'" in result.stderr
    assert "site/papers.json:1: edited by hand" not in result.stderr


def test_check_catches_a_hand_edit_of_a_generated_file(built: Path, run: Run) -> None:
    edit(built / "latex" / "generated" / "taxonomy.tex", "SnapKV~", "SnapKV!~")
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
    main.write_text(original)
    assert run("check").exit_code == 0


def test_check_follows_the_inputs_and_names_file_and_line(built: Path, run: Run) -> None:
    """A hand edit anywhere the manuscript reaches: the file, the line, the fix."""
    prose = built / "latex" / "sections" / "token-eviction.tex"
    edit(prose, "\\surveycite{token-eviction}", "\\surveycite{token-evicton}")
    main = built / "latex" / "main.tex"
    edit(main, "\\input{generated/body}", "\\input{generated/body}\n\\input{generated/table-old}")
    (built / "latex" / "notes.tex").write_text("% comment \\cite{0000.00000}\n\\cite{1111.11111}\n")
    result = run("check")
    assert result.exit_code == 1
    line = main.read_text().splitlines().index("\\input{generated/table-old}") + 1
    assert result.stderr == (
        f"Error: latex/main.tex:{line}: \\input{{generated/table-old}}: vlabib no longer "
        "writes this file (a renamed or removed taxonomy node?); remove the line\n"
        "Error: latex/sections/token-eviction.tex:3: \\surveycite{token-evicton}: no such "
        "taxonomy node (did you mean token-eviction?)\n"
        "Warning: refs/taxonomy.toml: leaf prompt-compression has no papers yet\n"
    )  # notes.tex is not \\input: its cite is not the manuscript's


def test_a_renamed_node_leaves_nothing_dangling(built: Path, run: Run) -> None:
    """Rename a leaf by hand: the body follows, a new prose stub appears, the old prose is
    kept and is an error (someone's words no output shows), naming 'vlabib rename'."""
    tax = built / "refs" / "taxonomy.toml"
    tax.write_text(tax.read_text().replace('id = "merging"', 'id = "token-merging"'))
    bib_path = built / "refs" / "papers.bib"
    bib_path.write_text(bib_path.read_text().replace("{merging}", "{token-merging}"))
    old = built / "latex" / "sections" / "merging.tex"
    old.write_text(old.read_text() + "Our prose.\n")
    assert run("build").exit_code == 0
    body = (built / "latex" / "generated" / "body.tex").read_text()
    assert "\\input{sections/token-merging}" in body
    assert "sections/merging}" not in body
    assert (built / "latex" / "sections" / "token-merging.tex").is_file()
    assert old.read_text().endswith("Our prose.\n")
    result = run("check")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == (
        "Error: latex/sections/merging.tex: not in the manuscript: its node is not in the "
        "taxonomy; 'vlabib rename OLD NEW' moves a node with its prose, or delete the file\n"
        "Warning: refs/taxonomy.toml: leaf prompt-compression has no papers yet\n"
    )


def test_check_warns_about_uncited_papers_and_empty_leaves(built: Path, run: Run) -> None:
    main = built / "latex" / "main.tex"
    edit(main, "\\input{generated/body}", "\\input{generated/table-surveys}")
    edit(main, "~\\surveycite{*}", "")
    result = run("check")
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    assert (
        warnings[0] == "Warning: latex/sections/evaluation.tex: not in the manuscript: "
        "no \\input reads it; keep \\input{generated/body} in main.tex"
    )
    assert len(warnings) == 8 + 8 + 1  # 8 prose files, 8 papers, 1 empty leaf
    assert "Warning: refs/papers.bib:1: 2210.09461 is never cited in the manuscript" in warnings
    assert not any("2412.19442" in w for w in warnings)  # cited in table-surveys
    assert warnings[-1] == "Warning: refs/taxonomy.toml: leaf prompt-compression has no papers yet"


def test_readme_without_markers_is_a_clear_error(survey: Path, run: Run) -> None:
    (survey / "README.md").write_text("# My survey\n")
    before = (survey / "refs" / "papers.bib").read_bytes()
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: README must hold the marker lines <!-- vlabib:begin papers --> and "
        "<!-- vlabib:end papers --> once each, where the paper list goes\n"
    )
    assert not (survey / "latex").exists()
    assert (survey / "refs" / "papers.bib").read_bytes() == before


def test_removed_area_removes_its_table(built: Path, run: Run) -> None:
    tax = built / "refs" / "taxonomy.toml"
    edit(tax, '[[node]]\nid = "evaluation"\ntitle = "Evaluation"\n', "")
    bibfile = built / "refs" / "papers.bib"
    bibfile.write_text(bibfile.read_text().replace("{evaluation}", "{surveys}"))
    assert "latex/generated/table-evaluation.tex: no longer generated" in run("check").stderr
    assert "latex/generated/table-evaluation.tex (removed)" in run("build").output
    assert not (built / "latex" / "generated" / "table-evaluation.tex").exists()


def test_readme_example_entry_is_canonical() -> None:
    """The usage page shows a canonical entry: formatting it must change nothing."""
    readme = (REPO / "docs" / "usage.md").read_text()
    (example,) = re.findall(r"```bibtex\n(.*?)```", readme, re.DOTALL)
    assert bib.write_string(bib.parse_string(example)) == example
