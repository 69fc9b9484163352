from __future__ import annotations

from collections import defaultdict

from tests.conftest import DATA, REPO
from vlabib import bib
from vlabib.lists import parse_list, repair_mojibake
from vlabib.taxonomy import load_taxonomy

SEED = DATA / "efficient-vla-survey.2025-09-17.seed.md"


def test_mojibake_title_is_repaired() -> None:
    assert repair_mojibake("ðŸš€Efficient-VLA-Survey") == "🚀Efficient-VLA-Survey"
    assert repair_mojibake("Müller") == "Müller"


def test_seed_list_quirks() -> None:
    seed = parse_list(SEED.read_text(encoding="utf-8"))
    assert len(seed.items) == 48  # the empty bullet is not a paper
    assert len({i.arxiv_id for i in seed.items}) == 32
    robomamba = [i for i in seed.items if i.arxiv_id == "2406.04339"]
    # The Efficient Finetuning line has no space before <ins>.
    assert {i.title for i in robomamba} == {
        "RoboMamba: Efficient Vision-Language-Action Model for Robotic Reasoning and Manipulation"
    }
    assert {i.year for i in robomamba} == {2024}
    assert any(i.arxiv_id == "2509.05614" for i in seed.items)  # a /pdf/ link
    assert seed.headings[0].title == "Efficient-VLA-Survey"


def test_committed_bib_matches_the_seed_list_leaf_by_leaf() -> None:
    taxonomy = load_taxonomy(REPO / "refs" / "taxonomy.toml", "taxonomy")
    papers = bib.load(REPO / "refs" / "vla.bib")
    seed = parse_list(SEED.read_text(encoding="utf-8"))
    titles = {leaf.title: leaf.id for leaf in taxonomy.leaves}
    titles["Hardward-Aware Acceleration"] = "hardware-aware-acceleration"  # the seed's typo
    expected: dict[str, set[str]] = defaultdict(set)
    for item in seed.items:
        expected[titles[item.section[-1]]].add(item.arxiv_id)
    actual: dict[str, set[str]] = defaultdict(set)
    for paper in papers:
        for cat in paper.categories:
            actual[cat].add(paper.key)
    assert actual == expected
    # Every seed heading below the root is a taxonomy node, in the seed's order.
    seed_headings = [h.title for h in seed.headings if h.level >= 3]
    fixed = ["Hardware-Aware Acceleration" if "Hardward" in t else t for t in seed_headings]
    assert fixed == [n.title for n in taxonomy.nodes[1:]]
    assert taxonomy.root.title == "Efficient VLAs"


def test_table_layout() -> None:
    text = (
        "## Root\n### Area\n| Year | Venue | Paper | Website | Code |\n|---|---|---|---|---|\n"
        "| 2025 | CoRL | [Long-VLA: X](https://arxiv.org/abs/2508.19958) | [🌐](https://l.io/) "
        "| - |\n"
        "| 2025 | arXiv | [R](https://arxiv.org/pdf/2510.26742v2) | - "
        "| [💻](https://github.com/a/b) |\n"
    )
    a, b = parse_list(text).items
    assert (a.arxiv_id, a.venue, a.year, a.website, a.section) == (
        "2508.19958",
        "CoRL",
        2025,
        "https://l.io/",
        ("Root", "Area"),
    )
    assert (b.arxiv_id, b.venue, b.code) == ("2510.26742", "", "https://github.com/a/b")
