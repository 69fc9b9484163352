"""Which papers a crowded leaf of the taxonomy figure names: the figure_pick setting and a
paper's own figure field; the rest counted, never dropped from the count."""

from __future__ import annotations

import re

import pytest

from vlabib.model import Paper
from vlabib.outputs.figure import Box, Figure, figure_order, shown_methods
from vlabib.outputs.view import sections
from vlabib.taxonomy import parse_taxonomy

TAXONOMY = parse_taxonomy('id = "root"\ntitle = "Root"\n[[node]]\nid = "leaf"\ntitle = "Leaf"\n')


def paper(n: int, **fields: str) -> Paper:
    """Paper n: Method{n}, from year 2000 + n, filed under the one leaf."""
    return Paper(
        f"2401.{n:05d}",
        "misc",
        {"title": f"Method{n}: A Way", "year": str(2000 + n), "keywords": "leaf", **fields},
    )


def named(papers: list[Paper], pick: str) -> list[int]:
    """The numbers of the papers the leaf's box names, in order (the list: oldest first)."""
    leaf = next(s for s in sections(papers, TAXONOMY, order="oldest") if s.node.id == "leaf")
    ordered = type(leaf)(leaf.node, leaf.slug, figure_order(leaf.papers, pick), leaf.title_tex)
    box = Box(ordered, 1, "blue", (), True)
    text = shown_methods(box, Figure(box, (0.2,), "").methods_width(1))
    return [int(n) for n in re.findall(r"Method(\d+)", text)]


def test_a_crowded_leaf_names_some_and_counts_the_rest() -> None:
    papers = [paper(n) for n in range(1, 201)]
    shown = named(papers, "order")
    assert shown == list(range(1, len(shown) + 1))
    assert 10 < len(shown) < 200


@pytest.mark.parametrize(
    ("pick", "first"),
    [("order", [1, 2]), ("recommended", [40, 50]), ("venue", [30, 1]), ("oldest", [1, 2]),
     ("newest", [60, 59])],
)  # fmt: skip
def test_the_setting_picks_which_papers_come_first(pick: str, first: list[int]) -> None:
    papers = [paper(n) for n in range(1, 61)]
    papers[39] = paper(40, recommended="yes")
    papers[49] = paper(50, recommended="yes")
    papers[29] = paper(30, venue="ICLR 2030")
    assert named(papers, pick)[:2] == first


def test_a_papers_own_figure_field_wins() -> None:
    papers = [paper(n) for n in range(1, 61)]
    papers[0] = paper(1, figure="no")
    papers[54] = paper(55, figure="yes")
    shown = named(papers, "newest")
    assert shown[0] == 55
    assert 1 not in shown
    assert shown[1:3] == [60, 59]


def test_the_count_includes_papers_the_figure_may_not_name() -> None:
    papers = [paper(1), paper(2, figure="no"), paper(3)]
    leaf = next(s for s in sections(papers, TAXONOMY, order="oldest") if s.node.id == "leaf")
    box = Box(leaf, 1, "blue", (), True)
    text = shown_methods(box, 0.5)
    assert re.findall(r"Method\d+", text) == ["Method1", "Method3"]
    assert text.endswith(", and 1 more")
