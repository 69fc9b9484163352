from __future__ import annotations

from tests.conftest import DATA
from vlabib.lists import parse_list, repair_mojibake

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
