"""Foreign entries made canonical (vlabib.bib.adopt), case by case: every arXiv rule, the
fallback keys, LaTeX TeX cannot read kept as text, fields under vlabib's names."""

from __future__ import annotations

import pytest

from vlabib.bib.adopt import adopt, arxiv_of, new_key
from vlabib.bib.parse import read_foreign


@pytest.mark.parametrize(
    ("fields", "found"),
    [
        ({"eprint": "2406.09246v2", "archiveprefix": "arXiv"}, ("2406.09246", "R1-eprint")),
        ({"eprint": "2406.09246", "eprinttype": "arxiv"}, ("2406.09246", "R1-eprint")),
        ({"eprint": "123456", "eprinttype": "pubmed"}, ("", "")),
        ({"doi": "10.48550/ARXIV.2404.09939"}, ("2404.09939", "R2-doi")),
        ({"note": "\\url{https://arxiv.org/pdf/2305.17118v2.pdf}"}, ("2305.17118", "R3-url")),
        ({"journal": "arXiv preprint arXiv:cs/0112017"}, ("cs/0112017", "R4-arxiv-text")),
        ({"journal": "CoRR", "volume": "abs/2106.09685"}, ("2106.09685", "R5-corr-abs")),
        ({"volume": "abs/2106.09685"}, ("", "")),  # no CoRR or arXiv named
        ({"abstract": "see arXiv:2106.09685"}, ("", "")),  # the abstract is never read
    ],
)
def test_the_arxiv_rules(fields: dict[str, str], found: tuple[str, str]) -> None:
    assert arxiv_of(fields) == found


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"doi": "https://doi.org/10.1145/3610978.3640671"}, "doi:10_1145/3610978_3640671"),
        ({"url": "https://openreview.net/forum?id=1QMMUB4zfl"}, "openreview:1qmmub4zfl"),
        ({"ee": "http://dx.doi.org/10.1561/1900000004"}, "doi:10_1561/1900000004"),
        ({"url": "https://github.com/a/b"}, "own2020"),  # not a paper's link
        ({}, "own2020"),
    ],
)
def test_the_fallback_keys(fields: dict[str, str], key: str) -> None:
    assert new_key("own2020", fields) == key


def test_latex_tex_cannot_read_is_kept_as_text_and_named() -> None:
    text = (
        "@article{gemine,\n  title = {Imitative Learning},\n"
        "  author = {G{\\'e}mine, A\\\u00a8el},\n"
        "  journal = {J},\n  year = {2010},\n  keywords = {rts, games},\n"
        "  url = {http://x.org/a\\_b},\n}\n"
    )
    done = adopt(read_foreign(text, "refs.bib"), "refs.bib")
    (paper,) = done.papers
    assert done.problems == []
    assert paper.get("author") == "G{\\'e}mine, A\\textbackslash{}\u00a8el"
    assert paper.get("tags") == "rts, games"
    assert paper.get("url") == "http://x.org/a_b"
    assert paper.get("ids") == "gemine"
    assert any("kept as text; mend it in the bib" in note for note in done.conflicts)
