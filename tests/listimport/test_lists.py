from __future__ import annotations

import pytest

from tests.helpers import DATA
from vlabib.listimport.markdown import parse_list, repair_mojibake

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


def only(text: str) -> tuple[str, str, str, int | None, tuple[str, ...]]:
    """The one paper *text* holds: (key, title, venue, year, section)."""
    (item,) = parse_list(text).items
    return item.key, item.title, item.venue, item.year, item.section


A = "https://arxiv.org/abs/2401.00001"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            f"# S\n- [Title Of It](${A}) - NeurIPS 2022\n".replace("$", ""),
            ("2401.00001", "Title Of It", "NeurIPS", 2022, ("S",)),
            id="linked-title",
        ),
        pytest.param(
            f"# S\n1. [**Title Of It.**]({A}) *A. Author.* COLM 2024.\n",
            ("2401.00001", "Title Of It", "COLM", 2024, ("S",)),
            id="numbered-bold-link",
        ),
        pytest.param(
            f"# S\n2) **Title Of It** [[pdf]]({A}) ICLR 2022\n",
            ("2401.00001", "Title Of It", "ICLR", 2022, ("S",)),
            id="paren-numbered-bold",
        ),
        pytest.param(
            f'# S\n* "Title Of It", *CoRL, Nov 2023*. [[Paper]({A})]\n',
            ("2401.00001", "Title Of It", "CoRL", 2023, ("S",)),
            id="quoted-title",
        ),
        pytest.param(
            f"# S\n+\t**Title Of It** [[pdf]]({A})\n",
            ("2401.00001", "Title Of It", "", None, ("S",)),
            id="plus-tab",
        ),
        pytest.param(
            f"# S\n- Title Of It. <ins>ICRA, 2025</ins> [[Paper]({A})]\n",
            ("2401.00001", "Title Of It", "ICRA", 2025, ("S",)),
            id="seed-ins",
        ),
        pytest.param(
            f"# S\n- `TiO` **Title Of It.** ICML 2021.\n[[Paper]({A})] [[Code](https://github.com/a/b)]\n",
            ("2401.00001", "Title Of It", "ICML", 2021, ("S",)),
            id="lazy-continuation",
        ),
        pytest.param(
            f"# S\n* (CVPR 2023) [💬 3D] **Title Of It**, A. Author et al. [[Paper]({A}v2)]\n",
            ("2401.00001", "Title Of It", "CVPR", 2023, ("S",)),
            id="venue-prefix-tag",
        ),
        pytest.param(
            f'# S\n- Author, A. ["Title Of It."]({A}) _NeurIPS_ 2021.\n',
            ("2401.00001", "Title Of It", "NeurIPS", 2021, ("S",)),
            id="citation-style",
        ),
        pytest.param(
            f"# S\n**Title Of It**\n\n- Paper: {A}\n- Code: None\n",
            ("2401.00001", "Title Of It", "", None, ("S",)),
            id="title-above-bare-url",
        ),
        pytest.param(
            f"# S\n| Title & Authors | Pub | Links |\n|---|---|---|\n| ![x](https://img.shields.io/badge/ICLR-2026-blue)<br>[Title Of It]({A})<br>A. Author | - | [Paper]({A}) |\n",
            ("2401.00001", "Title Of It", "ICLR", 2026, ("S",)),
            id="table-badge-br",
        ),
        pytest.param(
            f"# S\n| Methods | Paper | Pub |\n|---|---|---|\n| TiO | [Link]({A}) | ICML 21 |\n",
            ("2401.00001", "TiO", "ICML", 2021, ("S",)),
            id="results-table",
        ),
        pytest.param(
            f'# S\n<table>\n<tr><td>Model</td><td>Paper</td></tr>\n<tr><td>TiO</td><td><a href="{A}">Paper</a></td></tr>\n</table>\n',
            ("2401.00001", "TiO", "", None, ("S",)),
            id="html-table",
        ),
        pytest.param(
            f'# S\n<ul>\n<li><b>Title Of It</b> <a href="{A}">pdf</a></li>\n</ul>\n',
            ("2401.00001", "Title Of It", "", None, ("S",)),
            id="html-li",
        ),
        pytest.param(
            f"# S\n<details><summary>More</summary>\n\n- [Title Of It]({A})\n\n</details>\n",
            ("2401.00001", "Title Of It", "", None, ("S",)),
            id="details-belongs-above",
        ),
        pytest.param(
            f"# S\n> ### Sub\n\n* [**Title Of It**]({A})<br>\nA. Author<sup>1</sup>\n",
            ("2401.00001", "Title Of It", "", None, ("S", "Sub")),
            id="blockquote-heading",
        ),
        pytest.param(
            f'# S\n<h3 align="center">Sub</h3>\n\n- [Title Of It]({A})\n',
            ("2401.00001", "Title Of It", "", None, ("S", "Sub")),
            id="html-heading",
        ),
        pytest.param(
            f"# S\n## 1️⃣ Sub 🔥 :fire:\n- [Title Of It]({A})\n",
            ("2401.00001", "Title Of It", "", None, ("S", "1 Sub")),
            id="emoji-heading",
        ),
        pytest.param(
            f"\ufeff# S\r\n- [Title Of It]({A})\r\n",
            ("2401.00001", "Title Of It", "", None, ("S",)),
            id="bom-crlf",
        ),
    ],
)
def test_layouts(text: str, want: tuple[str, str, str, int | None, tuple[str, ...]]) -> None:
    assert only(text) == want


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"# S\nSee [our survey]({A}).\n", id="prose"),
        pytest.param(f"# S\n> - [Title]({A})\n", id="blockquote-list"),
        pytest.param(f"# S\n```\n- [Title]({A})\n```\n", id="fenced-code"),
        pytest.param(f"# S\n<!--\n- [Title]({A})\n-->\n", id="html-comment"),
        pytest.param(f"# [Title]({A})\n", id="heading-link"),
        pytest.param(f"# S\n| [Title]({A}) |\n|---|\n| x |\n", id="table-header"),
        pytest.param("# S\n- ![badge](https://arxiv.org/abs/2401.00001)\n", id="image-source"),
    ],
)
def test_links_that_are_not_papers(text: str) -> None:
    assert parse_list(text).items == ()


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://arxiv.org/abs/2401.00001v3", "2401.00001"),
        ("http://www.arxiv.org/pdf/2401.00001.pdf", "2401.00001"),
        ("https://export.arxiv.org/abs/2401.00001", "2401.00001"),
        ("https://browse.arxiv.org/abs/2401.00001", "2401.00001"),
        ("https://arxiv.org/html/2401.00001v1", "2401.00001"),
        ("https://arxiv.org/format/2401.00001", "2401.00001"),
        ("https://doi.org/10.48550/arXiv.2401.00001", "2401.00001"),
        ("https://arxiv.org/abs/cs/0112017", "cs/0112017"),
        ("https://openreview.net/forum?id=1QMMUB4zfl", "openreview:1qmmub4zfl"),
        ("https://openreview.net/pdf?id=cq2uB30uBM", "openreview:cq2ub30ubm"),
        ("https://aclanthology.org/2023.findings-acl.403/", "acl:2023.findings-acl.403"),
        ("https://aclanthology.org/N19-1423.pdf", "acl:n19-1423"),
        ("https://dl.acm.org/doi/10.1145/3610978.3640671", "doi:10_1145/3610978_3640671"),
        ("https://www.nature.com/articles/s42256-025-01005-x", "doi:10_1038/s42256-025-01005-x"),
        (
            "https://www.biorxiv.org/content/10.1101/2022.11.18.517004v1",
            "doi:10_1101/2022_11_18_517004",
        ),
        ("https://proceedings.mlr.press/v162/nagel22a/nagel22a.pdf", "pmlr:v162/nagel22a"),
        (
            "https://papers.nips.cc/paper/2020/file/1457c0d6bfcb4967418bfb8ac142f64a-Paper.pdf",
            "neurips:1457c0d6bfcb4967418bfb8ac142f64a",
        ),
        ("https://www.ijcai.org/Proceedings/2019/0276.pdf", "ijcai:2019/276"),
        ("https://ojs.aaai.org/index.php/AAAI/article/view/29045", "aaai:aaai/29045"),
        ("https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=9067083", "ieee:9067083"),
        (
            "https://www.sciencedirect.com/science/article/pii/S0031320323001589",
            "pii:s0031320323001589",
        ),
        (
            "https://www.ecva.net/papers/eccv_2022/papers_ECCV/papers/136710657.pdf",
            "ecva:eccv_2022/136710657",
        ),
        ("https://jmlr.org/papers/v21/20-074.html", "jmlr:v21/20-074"),
        (
            "https://haofei.vip/downloads/papers/Skywork_Vitron_2024.pdf",
            "url:haofei.vip/downloads/papers/skywork_vitron_2024.pdf",
        ),
    ],
)
def test_every_link_form(url: str, key: str) -> None:
    assert only(f"# S\n- Title Of It [[Paper]({url})]\n")[0] == key


def test_links_to_code_or_blogs_are_kept_as_what_they_are() -> None:
    plist = parse_list(
        "# S\n- [Tool](https://github.com/a/b) - Does a thing.\n- [Post](https://x.org/blog/)\n"
        "- [A talk](https://youtu.be/x) by *Ann Lee*\n- [Octo-Base](https://huggingface.co/a/b)\n"
        "- [OXE](https://huggingface.co/datasets/a/b)\n- [OpenVLA site](https://x.org)\n"
    )
    assert [(i.key, i.title, i.resource, i.arxiv_id, i.facts.notes) for i in plist.items] == [
        ("url:github.com/a/b", "Tool", "code", "", ("Does a thing.",)),
        ("url:x.org/blog", "Post", "blog", "", ()),
        ("url:youtu.be/x", "A talk", "video", "", ()),
        ("url:huggingface.co/a/b", "Octo-Base", "model", "", ()),
        ("url:huggingface.co/datasets/a/b", "OXE", "dataset", "", ()),
        ("url:x.org", "OpenVLA site", "website", "", ()),
    ]
    assert plist.skipped == ()


def test_a_lists_furniture_is_no_resource() -> None:
    """News lines, links to the list's other pages, thanks to people, rows of a results
    table and sentences: reported as lines linking nothing kept, never entries."""
    plist = parse_list(
        "# S\n## News\n- **[2025.08.14]** Added [Recent Papers](https://github.com/o/r/blob/m/a.md)"
        "\n## Thanks\n- [Ann Lee](https://github.com/annlee)\n- [Bo Li](https://scholar.google"
        ".com/citations?user=x)\n## Results\n\n| Method | Acc | F1 |\n|---|---|---|\n"
        "| [CoOp](https://github.com/k/coop) | 71.5 | 64.2 |\n\n## Tips\n- If you know of papers "
        "missing here, please feel free to open an issue or send a pull request on [our page]"
        "(https://x.org/contribute) and we will add them\n"
    )
    assert plist.items == ()
    assert [line for line, _ in plist.skipped] == [3, 5, 6, 11, 14]


def test_several_ids_in_one_line_are_several_papers() -> None:
    text = (
        "# S\n* **TediGAN: Text-Guided Generation** [[Paper](https://arxiv.org/pdf/2012.03308.pdf)]"
        " [[Extended Version](https://arxiv.org/pdf/2104.08910.pdf)]\n"
    )
    assert [(i.key, i.title) for i in parse_list(text).items] == [
        ("2012.03308", "TediGAN: Text-Guided Generation"),
        ("2104.08910", "TediGAN: Text-Guided Generation (Extended Version)"),
    ]


def test_two_urls_pasted_together_and_links_in_links() -> None:
    text = (
        "# S\n- [**JARVIS-1: Agents**](https://neurips.cc/virtual/2023/79171https://arxiv.org/abs"
        '/2311.05997)\n- Reuss. ["MDT."]([https://openreview.net/pdf?id=Pt6](https://arxiv.org'
        "/pdf/2407.05996))\n"
    )
    assert [i.key for i in parse_list(text).items] == ["2311.05997", "2407.05996"]


def test_a_malformed_arxiv_link_keeps_the_paper_and_says_so() -> None:
    (item,) = parse_list("# S\n- [**Actor and Observer**](https://arxiv.org/abs/1804.0962)\n").items
    assert item.key == "url:arxiv.org/abs/1804_0962"
    assert item.problem == (
        "https://arxiv.org/abs/1804.0962 holds no valid arXiv ID; kept keyed by its link, "
        "fix the link"
    )


def test_a_table_row_cut_off_by_a_blank_line_is_still_a_row() -> None:
    text = (
        "# S\n| Year | Venue | Paper |\n|---|---|---|\n"
        "| 2025 | SII | [First Paper Here](https://arxiv.org/abs/2401.00001) |\n\n"
        "| 2025 | CoRL Workshop | [Second Paper Here](https://arxiv.org/abs/2401.00002) |\n"
    )
    plist = parse_list(text)
    assert [(i.key, i.venue, i.year, i.line) for i in plist.items] == [
        ("2401.00001", "SII", 2025, 4),
        ("2401.00002", "CoRL Workshop", 2025, 6),
    ]
    assert plist.stray_rows == (6,)
