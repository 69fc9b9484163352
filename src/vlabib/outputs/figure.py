"""The taxonomy figure: a ``forest`` tree across the text width, as published surveys draw
them — the root turned on its side, areas in colour, each leaf's methods in a box that wraps
at a fixed width, edges forked from node borders. Nothing is shrunk: when the tree is taller
than a page can hold, it is split into one figure per area (and an area into its branches).

The layout is decided here from the text (an estimate in ems), the template only writes it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from vlabib.outputs.view import PaperView, Section

# Areas are told apart by colour (xcolor names every TeX Live has).
PALETTE = (
    "blue!70!black",
    "orange!85!black",
    "green!50!black",
    "red!70!black",
    "violet!80!black",
    "cyan!55!black",
    "magenta!70!black",
    "olive!85!black",
)
# Widths are fractions of \linewidth, so the figure fits any text width; the root, the gaps
# and the margin are fixed lengths, taken from the methods' box (acmart's one column is
# 100 pt narrower than article's two). Calibrated on a 10 pt article (469 pt wide, 550 pt
# high) with Times at \footnotesize.
WIDTH_PT = 469.0
CHARS = 118  # characters a full line holds
ROOT = 0.056  # the rotated root and the fork beside it
GAP = 0.031  # a level's l sep, inner seps and rules
SAFETY = 0.012
LINE_PT = 9.6  # \footnotesize baselineskip
PAGE_PT = 500.0  # what one figure may take: a page's text, less the caption
MAX_LINES = 12  # a leaf's methods box lists this many lines, then says how many more
MAX_FIGURES = 6  # more pages of tree than this, and the figure is drawn in brief


@dataclass(frozen=True)
class Box:
    """One node of the figure: its title and, for a leaf, the methods it lists."""

    section: Section
    depth: int  # in this figure: 0 is its root
    colour: str
    children: tuple[Box, ...]
    methods: bool  # whether it names papers (a leaf that has some; see shown_methods)
    listing: tuple[str, ...] = ()  # in a brief figure: the leaves under an area


@dataclass(frozen=True)
class Figure:
    """One figure: its tree, its column widths and what its caption names."""

    root: Box
    widths: tuple[float, ...]  # text width of each level below the root, in \linewidths
    area: str  # "" for the whole taxonomy
    part: tuple[int, int] = (1, 1)  # k of n, when one node's children fill several pages
    brief: bool = False  # areas and their leaves only: the whole tree needs too many pages

    def methods_width(self, depth: int) -> float:
        """What is left of the line for the methods of a leaf at *depth*."""
        used = ROOT + sum(self.widths[:depth]) + GAP * (depth + 1) + SAFETY
        return round(1 - used, 3)

    def methods_width_tex(self, depth: int) -> str:
        """The same as a length: the rest of the line less the fixed lengths."""
        fixed = (ROOT + GAP * (depth + 1) + SAFETY) * WIDTH_PT
        return f"{round(1 - sum(self.widths[:depth]), 3)}\\linewidth-{fixed:.1f}pt"


def _lines(text_chars: int, width: float) -> int:
    return max(1, math.ceil(text_chars / max(1.0, width * CHARS)))


def _widths(boxes: Sequence[Box]) -> tuple[float, ...]:
    """Each level's width: its longest word fits, and titles wrap to at most three lines."""
    levels: dict[int, float] = {}
    for box in _walk(boxes):
        if box.depth == 0:
            continue
        title = box.section.node.title
        longest = max((len(w) for w in title.split()), default=4) + 2
        want = max(longest, min(len(title) / 2.4, 20), 10) / CHARS
        levels[box.depth] = max(levels.get(box.depth, 0.0), min(want, 0.17))
    return tuple(round(levels[d], 3) for d in sorted(levels))


def _walk(boxes: Sequence[Box]) -> list[Box]:
    out: list[Box] = []
    for box in boxes:
        out.append(box)
        out.extend(_walk(box.children))
    return out


def _height(box: Box, fig: Figure) -> float:
    """Points the box and its subtree take, stacked."""
    width = fig.widths[box.depth - 1] if box.depth else 0.2
    own = _lines(len(box.section.node.title), width) * LINE_PT + 6
    if box.children:
        return max(own, sum(_height(c, fig) + 2.5 for c in box.children))
    if box.methods or box.listing:
        width = fig.methods_width(box.depth)
        chars = _chars(box, MAX_LINES * max(1.0, width * CHARS))
        lines = min(MAX_LINES, _lines(chars, width))
        own = max(own, lines * LINE_PT + 6)
    return own


def _items(box: Box) -> Iterator[tuple[str, int]]:
    """What a list box shows, and the characters each takes in print (made as needed: a
    box shows a few lines of a leaf that may hold thousands of papers)."""
    if box.listing:
        return ((name, len(name) + 2) for name in box.listing)
    return (
        (f"{p.label_tex}~\\cite{{{p.key}}}", len(p.label_tex) + 7)
        for p in box.section.papers
        if in_figure(p)
    )


def in_figure(paper: PaperView) -> bool:
    """Whether the figure may name *paper*: not when its entry says ``figure = {no}``."""
    return paper.paper.get("figure").strip().lower() not in ("no", "false")


def figure_order(papers: Sequence[PaperView], pick: str) -> list[PaperView]:
    """The papers in the order a crowded leaf names them: those whose entry says
    ``figure = {yes}`` first, then by *pick* (see the ``figure_pick`` setting), then as
    listed; ``figure = {no}`` last (never named, counted in "and N more")."""

    if pick == "order" and not any(p.paper.get("figure") for p in papers):
        return list(papers)

    def rank(n: int) -> tuple[int, int, int]:
        p = papers[n]
        said = p.paper.get("figure").strip().lower()
        first = 0 if said in ("yes", "true") else 2 if not in_figure(p) else 1
        year = p.year or 0
        by = {
            "order": 0,
            "recommended": 0 if p.recommended else 1,
            "venue": 0 if p.venue_name else 1,
            "oldest": year or 9999,
            "newest": -year,
        }[pick]
        return first, by, n

    return [papers[n] for n in sorted(range(len(papers)), key=rank)]


def _chars(box: Box, enough: float) -> int:
    """The characters a list box's items take in print, counted until *enough* (a box of
    MAX_LINES lines is full: a leaf of a thousand papers need not be counted through)."""
    total = 0
    for _, cost in _items(box):
        total += cost
        if total > enough:
            break
    return total


def shown_methods(box: Box, width: float) -> str:
    """A list box's text: every item, or as many as MAX_LINES hold and the count of the
    rest (the area's table lists every paper)."""
    budget = MAX_LINES * width * CHARS - 12
    shown: list[str] = []
    used = 0
    total = len(box.listing) if box.listing else len(box.section.papers)
    for text, cost in _items(box):
        if used + cost > budget and shown:
            break
        shown.append(text)
        used += cost
    rest = total - len(shown)
    return ", ".join(shown) + (f", and {rest} more" if rest and shown else "")


def _tree(sections: dict[str, Section], node_id: str, depth: int, colour: str) -> Box:
    section = sections[node_id]
    kids = tuple(
        _tree(sections, c, depth + 1, colour) for c in section.node.children if c in sections
    )
    return Box(section, depth, colour, kids, section.node.is_leaf and bool(section.papers))


def figures(sections: Sequence[Section]) -> list[Figure]:
    """The taxonomy as one figure, or as one per area (and per branch) when it is too tall.
    Nodes missing from *sections* are left out of the tree."""
    by_id = {s.node.id: s for s in sections}
    root = sections[0].node
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(root.children)}
    areas = tuple(_tree(by_id, c, 1, colours[c]) for c in root.children if c in by_id)
    whole = Box(sections[0], 0, "black", areas, False)
    todo = [Figure(whole, _widths([whole]), "")]
    done: list[Figure] = []
    while todo:
        fig = todo.pop(0)
        if _height(fig.root, fig) <= PAGE_PT or not fig.root.children:
            done.append(fig)
        elif fig.area and not any(c.children for c in fig.root.children):
            done += _parts(fig)  # a level of leaves taller than a page: in parts
        else:
            for child in fig.root.children:
                sub = _rebase(child, 0)
                todo.append(Figure(sub, _widths([sub]), child.section.node.id))
    return done if len(done) <= MAX_FIGURES else _brief(whole)


def _brief(whole: Box) -> list[Figure]:
    """The taxonomy in brief, when drawing it whole takes too many pages: each area with
    the leaves under it (and their paper counts) in one list box."""

    def leaves(box: Box) -> list[Box]:
        return [box] if not box.children else [x for c in box.children for x in leaves(c)]

    def named(papers: Sequence[PaperView], shown: int) -> str:
        picked = itertools.islice((p for p in papers if in_figure(p)), shown)
        names = [f"{p.label_tex}~\\cite{{{p.key}}}" for p in picked]
        more = len(papers) - len(names)
        return ", ".join(names) + (f", +{more}" if more > 0 else "")

    def listing(area: Box) -> tuple[str, ...]:
        """Each leaf with its first papers' names (never a bare count)."""
        if not area.children:
            return tuple(
                f"{p.label_tex}~\\cite{{{p.key}}}" for p in area.section.papers if in_figure(p)
            )
        return tuple(
            f"\\textit{{{x.section.title_tex}}}: {named(x.section.papers, 2)}"
            if x.section.papers
            else f"\\textit{{{x.section.title_tex}}}"
            for x in leaves(area)
        )

    areas = tuple(Box(a.section, 1, a.colour, (), False, listing(a)) for a in whole.children)
    root = Box(whole.section, 0, whole.colour, areas, False)
    fig = Figure(root, _widths([root]), "", brief=True)
    if _height(root, fig) <= PAGE_PT:
        return [fig]
    return [Figure(f.root, f.widths, "", f.part, brief=True) for f in _parts(fig)]


def _parts(fig: Figure) -> list[Figure]:
    """A node whose leaves fill more than a page, as several figures of its leaves."""
    groups: list[list[Box]] = [[]]
    height = 0.0
    for child in fig.root.children:
        h = _height(child, fig) + 2.5
        if groups[-1] and height + h > PAGE_PT:
            groups.append([])
            height = 0.0
        groups[-1].append(child)
        height += h
    root = fig.root
    return [
        Figure(
            Box(root.section, 0, root.colour, tuple(group), False),
            fig.widths,
            fig.area,
            (k, len(groups)),
        )
        for k, group in enumerate(groups, 1)
    ]


def _rebase(box: Box, depth: int) -> Box:
    kids = tuple(_rebase(c, depth + 1) for c in box.children)
    return Box(box.section, depth, box.colour, kids, box.methods)


def forest(fig: Figure) -> str:
    """The bracket tree of one figure, each node with its own style."""
    lines: list[str] = []

    def visit(box: Box) -> None:
        pad = "  " * (box.depth + 1)
        title = box.section.title_tex
        if box.depth == 0:
            style = (
                "vlaroot" if not fig.area else f"vlaroot, draw={box.colour}, fill={box.colour}!10"
            )
        else:
            width = fig.widths[box.depth - 1]
            kind = "vlaarea" if box.depth == 1 and not fig.area else "vlanode"
            empty = box.section.node.is_leaf and not box.methods and not box.listing
            style = f"{kind}={box.colour}, text width={width}\\linewidth"
            style += ", vlaempty" if empty else ""
        lines.append(f"{pad}[{{{title}}}, {style}")
        if box.methods or box.listing:
            width = fig.methods_width(box.depth)
            lines.append(
                f"{pad}  [{{{shown_methods(box, width)}}}, vlapapers={box.colour}, "
                f"text width={{{fig.methods_width_tex(box.depth)}}}]"
            )
        for child in box.children:
            visit(child)
        lines.append(f"{pad}]")

    visit(fig.root)
    return "\n".join(lines)
