"""Questions asked of the bibliography: list, show, stats. Pure: papers in, rows out."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vlabib.model import Paper
from vlabib.outputs.view import paper_view
from vlabib.taxonomy import Taxonomy
from vlabib.tex.read import latex_to_text


def select(papers: list[Paper], taxonomy: Taxonomy, category: str | None) -> list[Paper]:
    """Papers in the subtree of *category* (a leaf or an inner node), all when None."""
    if category is None:
        return papers
    leaves = set(taxonomy.leaves_under(category))
    return [p for p in papers if leaves & set(p.categories)]


@dataclass(frozen=True)
class NodeCount:
    """Papers filed directly under a node, and distinct papers in its subtree."""

    id: str
    title: str
    depth: int
    own: int
    total: int


def node_counts(papers: list[Paper], taxonomy: Taxonomy) -> list[NodeCount]:
    members: dict[str, set[str]] = {n.id: set() for n in taxonomy}
    for paper in papers:
        for cat in paper.categories:
            if cat in members:
                members[cat].add(paper.key)
    rows = []
    for node in taxonomy:
        subtree: set[str] = set()
        for sub in taxonomy.subtree(node.id):
            subtree |= members[sub.id]
        rows.append(NodeCount(node.id, node.title, node.depth, len(members[node.id]), len(subtree)))
    return rows


def year_counts(papers: list[Paper]) -> list[tuple[int | None, int]]:
    counts = Counter(p.year for p in papers)
    return sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))


def stats(papers: list[Paper], taxonomy: Taxonomy) -> dict[str, Any]:
    """Everything ``vlabib stats`` shows, as plain data."""
    return {
        "papers": len(papers),
        "memberships": sum(len(p.categories) for p in papers),
        "nodes": [vars(c) for c in node_counts(papers, taxonomy)],
        "years": [{"year": y, "papers": n} for y, n in year_counts(papers)],
    }


def table(records: list[dict[str, Any]], width: int) -> list[str]:
    """``vlabib list``: one line a paper (ID, year, venue, title cut to the terminal)."""
    title_width = max(20, width - 12 - 6 - 16 - 6)
    lines = []
    for r in records:
        title = r["title"]
        if len(title) > title_width:
            title = title[: title_width - 1] + "…"
        lines.append(
            f"{r['id']:<12} {r['year'] or '':<5} {(r['venue'] or 'arXiv')[:15]:<15} {title}"
        )
    lines.append(f"{len(records)} paper{'s' if len(records) != 1 else ''}")
    return lines


def stats_lines(data: dict[str, Any], leaves: int) -> list[str]:
    """``vlabib stats`` as a table: the totals, each node (own and subtree), each year."""
    lines = [
        f"{data['papers']} papers, {data['memberships']} memberships, {leaves} leaves",
        "",
        f"{'node':<48} {'id':<32} {'own':>4} {'total':>6}",
    ]
    for node in data["nodes"]:
        label = "  " * node["depth"] + node["title"]
        lines.append(f"{label:<48} {node['id']:<32} {node['own']:>4} {node['total']:>6}")
    lines += ["", f"{'year':<6} {'papers':>6}"]
    lines += [f"{row['year'] or '?':<6} {row['papers']:>6}" for row in data["years"]]
    return lines


def import_lines(papers: list[Paper], taxonomy: Taxonomy) -> list[str]:
    """``import --dry-run``: each paper (key, year, venue, leaves, title), then the tree."""
    lines = [f"{'key':<24} {'year':<5} {'venue':<14} {'leaves':<24} title"]
    for paper in papers:
        r = paper_view(paper).as_json()
        leaves = ",".join(r["categories"])
        lines.append(
            f"{r['id'][:24]:<24} {r['year'] or '':<5} {(r['venue'] or '')[:14]:<14} "
            f"{leaves[:24]:<24} {r['title'][:70]}"
        )
    lines += ["", "taxonomy:"]
    counts = {c.id: c.total for c in node_counts(papers, taxonomy)}
    for node in taxonomy:
        lines.append(f"{'  ' * node.depth}{node.title} [{node.id}] {counts[node.id]}")
    return lines


def find(papers: Sequence[Paper], wanted: str) -> Paper | None:
    """The paper *wanted* names: its key, arXiv ID or URL (any version, abs/pdf), its short
    name (any case), or one of its links (url, code, website)."""
    from vlabib.ids import IdError, parse_arxiv_id

    text = wanted.strip()
    try:
        key = parse_arxiv_id(text)
    except IdError:
        key = text
    by_key = {p.key: p for p in papers}
    if key in by_key:
        return by_key[key]
    folded = latex_to_text(text).casefold()
    for paper in papers:
        if paper.shortname and latex_to_text(paper.shortname).casefold() == folded:
            return paper
    link = text.rstrip("/")
    for paper in papers:
        if any(
            paper.get(f).rstrip("/") == link for f in ("url", "code", "website") if paper.get(f)
        ):
            return paper
    return None


def not_found(papers: Sequence[Paper], wanted: str, bib_name: str) -> str:
    """Why *wanted* names no paper, with the nearest key or short name."""
    from vlabib.ids import IdError, parse_arxiv_id

    names = [p.key for p in papers] + [latex_to_text(p.shortname) for p in papers if p.shortname]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.75)
    try:
        add = f"; add it with 'vlabib add {parse_arxiv_id(wanted)}'"
    except IdError:
        add = ""
    hint = f" (did you mean {close[0]}?)" if close else add
    return f"{wanted} is not in {bib_name}{hint}"


def unknown_node(taxonomy: Taxonomy, node: str) -> str:
    """Why *node* is no taxonomy node, with the nearest one."""
    close = difflib.get_close_matches(node, [n.id for n in taxonomy.nodes], n=1)
    hint = f"did you mean {close[0]}?" if close else "see 'vlabib stats' for the node ids"
    return f"unknown category {node!r} ({hint})"
