"""The README list, as a curator would want it: every layout and order written out whole
(golden), and a list that goes in through import and out through build comes back the same."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import runner
from tests.helpers import GOLDEN
from vlabib import bib
from vlabib.outputs.readme import region_bounds

LIST = """# Awesome Token Reduction

## Pruning

- ⭐ [**ToMe: Token Merging: Your ViT But Faster**](https://arxiv.org/abs/2210.09461) *Daniel Bolya, Cheng-Yang Fu, Judy Hoffman.* ICLR 2023. [[Code](https://github.com/facebookresearch/ToMe)] [[Blog](https://ai.meta.com/blog/tome)]
  - Key: merges similar tokens; no training needed.
  - Summary:
    - Merges similar tokens between blocks.
    - Needs no training.
- [**DynamicViT: Efficient Vision Transformers**](https://arxiv.org/abs/2106.02034) *Yongming Rao et al.* NeurIPS 2021.
- [**A Paper Without arXiv**](https://openreview.net/forum?id=abc123XYZ) *Ann Lee.* Date: 2024-05-22
- [**EViT: Not All Patches Are What You Need**](https://arxiv.org/abs/2202.07800) *Youwei Liang, Chongjian Ge.* ICLR 2022. [[Demo](https://huggingface.co/spaces/x/evit)]

## Merging

- [**Token Merging for Fast Stable Diffusion**](https://arxiv.org/abs/2303.17604) *Daniel Bolya, Judy Hoffman.* CVPR Workshop 2023.

## Tools

- [kvpress](https://github.com/NVIDIA/kvpress) - A toolkit for KV cache compression. [[Docs](https://kvpress.readthedocs.io)]
- ⭐ [Token merging explained](https://example.org/blog/tome/) - A blog post on ToMe.
"""

README = "# My list\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"


def region(root: Path) -> str:
    text = (root / "README.md").read_text()
    start, stop, _ = region_bounds(text)
    return text[start:stop]


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    root = tmp_path / "survey"
    root.mkdir()
    (root / "list.md").write_text(LIST)
    (root / "README.md").write_text(README)
    result = runner(root)("import", "--offline", str(root / "list.md"))
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize(
    ("settings", "golden"),
    [
        pytest.param("", "bullets-list.md", id="bullets-in-the-lists-order"),
        pytest.param('order = "newest"\n', "bullets-newest.md", id="bullets-newest"),
        pytest.param(
            'order = "title"\npin_recommended = true\nreadme_authors = 2\nreadme_badges = true\n',
            "bullets-title-pinned.md",
            id="bullets-by-title-pinned-short-authors-badges",
        ),
        pytest.param('readme_layout = "table"\n', "table.md", id="table-from-the-data"),
        pytest.param(
            'readme_layout = "table"\nreadme_columns = ["date", "venue", "paper", "code", "links"]\n',
            "table-columns.md",
            id="table-with-chosen-columns",
        ),
    ],
)
def test_each_layout_and_order(imported: Path, settings: str, golden: str) -> None:
    """VLABIB_GOLDEN=update rewrites the files after a deliberate change."""
    config = imported / "vlabib.toml"
    text = config.read_text()
    if "order" in settings:
        text = text.replace('order = "list"', "#")
    config.write_text(text + settings)
    done = runner(imported)("build")
    assert done.exit_code == 0, done.output
    got = region(imported)
    path = GOLDEN / "listing" / golden
    if os.environ.get("VLABIB_GOLDEN"):
        path.write_text(got)
    assert got == path.read_text()


def test_the_list_goes_round_and_comes_back_the_same(imported: Path, tmp_path: Path) -> None:
    """Import a list, build its README, import that README elsewhere: the same bib (the
    README carries everything the first import kept)."""
    assert runner(imported)("build").exit_code == 0
    again = tmp_path / "again"
    again.mkdir()
    (again / "list.md").write_text((imported / "README.md").read_text())
    result = runner(again)("import", "--offline", str(again / "list.md"))
    assert result.exit_code == 0, result.output
    first = {p.key: dict(p.fields) for p in bib.load(imported / "refs" / "vla.bib")}
    second = {p.key: dict(p.fields) for p in bib.load(again / "refs" / "vla.bib")}
    assert second == first


def test_other_links_are_listed_not_cited(imported: Path) -> None:
    """A list's repositories and blog posts are in the README and on the website as what
    they are; the manuscript (figure, tables, citations, bibliography) covers papers."""
    with (imported / "vlabib.toml").open("a") as settings:
        settings.write('site = "site"\n')
    assert runner(imported)("build").exit_code == 0
    cards = json.loads((imported / "site" / "papers.json").read_text())["papers"]
    kinds = {c["id"]: c["resource"] for c in cards if c["resource"]}
    assert kinds == {"url:github.com/nvidia/kvpress": "code", "url:example.org/blog/tome": "blog"}
    page = (imported / "site" / "index.html").read_text()
    assert 'data-venue="Code"' in page
    assert 'data-venue="Blog post"' in page
    generated = imported / "latex" / "generated"
    for path in generated.iterdir():
        assert "kvpress" not in path.read_text(), path
        assert "example.org" not in path.read_text(), path
    assert "2210.09461" in (generated / "cites.tex").read_text()


def test_a_heading_of_links_only_is_no_part_of_the_manuscript(imported: Path) -> None:
    """The list's "Tools" holds a repository and a blog post: the README and the site keep
    it; the figure, the tables and the prose stubs of the manuscript leave it out."""
    assert runner(imported)("build").exit_code == 0
    assert "### Tools" in (imported / "README.md").read_text()
    generated = imported / "latex" / "generated"
    assert not (generated / "table-tools.tex").exists()
    assert "Tools" not in (generated / "taxonomy.tex").read_text()
    assert not (imported / "latex" / "sections" / "tools.tex").exists()
    assert runner(imported)("check").exit_code == 0


@given(
    st.lists(
        st.sampled_from(
            ["a", "W", "w", " ", "\t", ".", ":", "/", "-", "+", "1", "&", "#", ";", "*", "é",
             "www.", "WwW.", "://", "[", "|", "<", "`", "~", "_", "\\"]
        ),
        max_size=12,
    ).map("".join)
)  # fmt: skip
def test_markdown_text_without_special_characters_skips_the_substitution(text: str) -> None:
    """md_text leaves text with nothing to escape as it is without running its substitution:
    the same as running it."""
    from vlabib.outputs import templating

    plain = " ".join(text.split())
    full = templating._MD_SPECIAL_RE.sub(r"\\\1", plain)
    if not templating._may_need_escapes(plain):
        assert full == plain
    templating.md_text.cache_clear()
    ordinal = templating._MD_ORDINAL_RE.sub(r"\1\\\2", full) if full[:1].isdigit() else full
    assert templating.md_text(text) == ordinal
