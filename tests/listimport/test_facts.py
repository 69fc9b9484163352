"""What a list says about each paper comes through whole: one case per way real lists say
it (the lists each case is taken from are named), read into exact bib fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import runner
from vlabib import bib
from vlabib.listimport.facts import date_in, names_in
from vlabib.listimport.markdown import parse_list
from vlabib.listimport.papers import from_list_item


def fields_of(markdown: str, key: str) -> dict[str, str]:
    """The bib fields an offline import makes for the paper *key* of a small list."""
    items = [i for i in parse_list(markdown).items if i.key == key]
    assert items, f"{key} not read"
    paper = from_list_item(items[0], ["leaf"])
    return {k: v for k, v in paper.fields.items() if k not in ("keywords", "shortname")}


ARXIV = "https://arxiv.org/abs/2401.00001"


@pytest.mark.parametrize(
    ("markdown", "wanted"),
    [
        pytest.param(
            f"1. [**Keep the Cost Down.**]({ARXIV}) *Shi Luohe, Zhang Hongyi.* COLM 2024. "
            "[![GitHub Repo stars](https://img.shields.io/github/stars/a/b)](https://github.com/a/b)",
            {
                "author": "Luohe, Shi and Hongyi, Zhang",
                "venue": "COLM 2024",
                "code": "https://github.com/a/b",
            },
            id="italic-authors-and-star-badge-02",
        ),
        pytest.param(
            f"- [Lagrange: Sparse Driving]({ARXIV})\n"
            "  - Shihao Ji, HongXi Li\n"
            "  - Publish Date: 2026.06.18\n"
            "  - Code: [Lagrange](https://github.com/x/lagrange)\n"
            "  - Task: Planning\n"
            "  - Datasets: [nuScenes](https://www.nuscenes.org/)\n"
            "  - Summary：\n"
            "    - Proposes Lagrange, an open-vocabulary framework.\n",
            {
                "author": "Ji, Shihao and Li, HongXi",
                "date": "2026-06-18",
                "code": "https://github.com/x/lagrange",
                "annote": "Task: Planning | Datasets: nuScenes | Summary: Proposes Lagrange, "
                "an open-vocabulary framework.",
                "links": "nuScenes: https://www.nuscenes.org/",
            },
            id="sub-bullets-05",
        ),
        pytest.param(
            "**HoloVIC: Large-scale Dataset and Benchmark**\n\n"
            f"- 论文/Paper: {ARXIV}\n"
            "- 代码/Code: https://github.com/x/holovic\n"
            "- 主页/Website：https://x.github.io/holovic/\n",
            {
                "code": "https://github.com/x/holovic",
                "links": "Website: https://x.github.io/holovic/",
            },
            id="labelled-sibling-bullets-10",
        ),
        pytest.param(
            "| Title & Authors | Links |\n|---|---|\n"
            "| [![Publish](https://img.shields.io/badge/EMNLP_Oral-2025-blue)]() <br>"
            f"[Seeing More]({ARXIV})<br>Xiangchen Wang, Jinrui Zhang | [Paper]({ARXIV}) |\n",
            {"author": "Wang, Xiangchen and Zhang, Jinrui", "venue": "EMNLP 2025"},
            id="badge-venue-and-cell-authors-06",
        ),
        pytest.param(
            f'- Ho, Jonathan, and Tim Salimans. ["Classifier-Free Guidance."]({ARXIV}) '
            "_NeurIPS 2021 Workshop on Deep Generative Models_. 2021.",
            {"author": "Ho, Jonathan and Salimans, Tim", "venue": "NeurIPS 2021"},
            id="citation-style-last-first-09",
        ),
        pytest.param(
            f"* ⭐⭐(NeurIPS 2023) **Holistic Evaluation of Models**, Tony Lee et al. "
            f"[[Paper]({ARXIV})] [[Project](https://crfm.stanford.edu/heim/)]\n"
            "  * 📚 Text → Image, Text → Video\n",
            {
                "author": "Lee, Tony and others",
                "venue": "NeurIPS 2023",
                "recommended": "yes",
                "annote": r"📚 Text $\rightarrow$ Image, Text $\rightarrow$ Video",
                "website": "https://crfm.stanford.edu/heim/",
            },
            id="star-et-al-and-note-04",
        ),
        pytest.param(
            f"* [**Large Multimodal Agents: A Survey**]({ARXIV}) [**arXiv 2024.02**]<br>\n"
            "Junlin Xie<sup>♣♡</sup> Zhihong Chen<sup>♣</sup> Guanbin Li<sup>♠</sup><br>\n"
            "<sup>♡</sup>The Chinese University of Hong Kong",
            {"author": "Xie, Junlin and Chen, Zhihong and Li, Guanbin", "date": "2024-02"},
            id="authors-marked-by-sup-13",
        ),
        pytest.param(
            f'* "A Survey of Robotic Language Grounding", *IJCAI, Aug 2024*, [[Paper]]({ARXIV})',
            {"venue": "IJCAI 2024", "date": "2024-08"},
            id="month-and-year-01",
        ),
        pytest.param(
            "| Title | Model | Date | Code | Venue |\n|---|---|---|---|---|\n"
            f"| [**Video ReCap**]({ARXIV}) | Video ReCap | 02/2024 | "
            "[code](https://sites.google.com/view/vidrecap) | CVPR |\n",
            {
                "venue": "CVPR 2024",
                "date": "2024-02",
                "code": "https://sites.google.com/view/vidrecap",
            },
            id="date-and-venue-columns-12",
        ),
        pytest.param(
            "<table><tr><td>Wiliams et al.</td><td>Social Simulation</td>"
            f'<td><a href="{ARXIV}">Paper</a></td></tr></table>',
            {"author": "Wiliams and others"},
            id="author-cell-of-an-html-table-11",
        ),
    ],
)
def test_each_way_a_list_states_a_fact(markdown: str, wanted: dict[str, str]) -> None:
    got = fields_of(f"# Survey\n## Leaf\n{markdown}\n", "2401.00001")
    for name in ("title", "year", "month", "eprint", "archiveprefix", "url"):
        got.pop(name, None)
    assert got == wanted


def test_a_venue_heading_gives_its_papers_the_venue() -> None:
    plist = parse_list(f"# CVPR2024-Papers-with-Code-Demo\n## Dataset\n- [A Dataset]({ARXIV})\n")
    assert (plist.items[0].venue, plist.items[0].year) == ("CVPR", 2024)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("Ann Lee, Bo Li.", ("Ann Lee", "Bo Li"), id="comma"),
        pytest.param("Ann Lee and Bo Li", ("Ann Lee", "Bo Li"), id="and"),
        pytest.param("Ann Lee, Bo Li, and Cy Wu", ("Ann Lee", "Bo Li", "Cy Wu"), id="oxford"),
        pytest.param("Lee, Ann, et al.", ("Ann Lee", "others"), id="last-first-et-al"),
        pytest.param("Hao (Frank) Yang, Kenny Q. Zhu", ("Hao Yang", "Kenny Q. Zhu"), id="nick"),
        pytest.param("Jonathan Richens*, TomEveritt", ("Jonathan Richens", "TomEveritt"), id="*"),
        pytest.param("Ludwig van Beethoven", ("Ludwig van Beethoven",), id="particle"),
        pytest.param("张伟, 李娜", ("张伟", "李娜"), id="cjk"),
        pytest.param("Task: Planning", (), id="label"),
        pytest.param("Knowledge-Based Systems-2022", (), id="venue-with-year"),
        pytest.param("Text-to-Image, Scene Graph to Image", (), id="note"),
        pytest.param("Benchmark", (), id="one-word"),
        pytest.param("Beijing Institute of Technology", (), id="institution"),
    ],
)
def test_names_in(text: str, names: tuple[str, ...]) -> None:
    assert names_in(text) == names


@pytest.mark.parametrize(
    ("text", "date"),
    [
        pytest.param("Publish Date: 2026.06.18", "2026-06-18", id="dotted-day"),
        pytest.param("2024-05-22", "2024-05-22", id="iso-day"),
        pytest.param("arXiv 2025.10", "2025-10", id="dotted-month"),
        pytest.param("06/2024", "2024-06", id="month-slash-year"),
        pytest.param("arXiv, May 2026", "2026-05", id="month-name"),
        pytest.param("Sept. 2023", "2023-09", id="month-abbreviation"),
        pytest.param("NeurIPS 2023", "", id="a-year-is-no-date"),
        pytest.param("2024.13", "", id="no-13th-month"),
    ],
)
def test_date_in(text: str, date: str) -> None:
    assert date_in(text) == date


def test_what_a_list_says_survives_the_bib_and_its_reading(tmp_path: Path) -> None:
    """Offline import of a small list: every stated field in the bib, which reads back."""
    listing = tmp_path / "list.md"
    listing.write_text(
        "# Awesome Token Pruning\n## Pruning\n"
        f"- ⭐ [**ToMe: Token Merging**]({ARXIV}) *Daniel Bolya, Judy Hoffman.* ICLR 2023. "
        "[[Code](https://github.com/facebookresearch/ToMe)] [[Blog](https://ai.meta.com/tome)]\n"
        "  - Key: merges similar tokens; no training needed.\n"
    )
    done = runner(tmp_path)("import", "--offline", str(listing))
    assert done.exit_code == 0, done.output
    (paper,) = bib.load(tmp_path / "refs" / "vla.bib")
    assert dict(paper.fields) == {
        "title": "{ToMe}: Token Merging",
        "author": "Bolya, Daniel and Hoffman, Judy",
        "year": "2024",
        "month": "jan",
        "eprint": "2401.00001",
        "archiveprefix": "arXiv",
        "url": "https://arxiv.org/abs/2401.00001",
        "venue": "ICLR 2023",
        "shortname": "ToMe",
        "code": "https://github.com/facebookresearch/ToMe",
        "links": "Blog: https://ai.meta.com/tome",
        "recommended": "yes",
        "position": "pruning: 0",
        "annote": "Key: merges similar tokens; no training needed.",
        "keywords": "pruning",
    }
