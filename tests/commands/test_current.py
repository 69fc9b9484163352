"""Keeping the survey current: suggest files a paper, discover finds the ones it misses —
against the loopback arXiv, with recorded search responses."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run, runner
from tests.helpers import DATA
from tests.servers import FakeArxiv, entry_xml, recorded_search
from vlabib import bib
from vlabib.remote.arxiv import Client, search

NEW = {
    "2601.00001": (
        "PruneVLA: Dropping Redundant Visual Tokens in Vision-Language-Action Models",
        "We prune redundant visual tokens before the language model of a VLA, "
        "cutting inference latency with no loss of success rate.",
    ),
    "2601.00002": (
        "QuantVLA: Low-Bit Vision-Language-Action Models",
        "We quantize the weights and activations of a VLA to 4-bit integers after "
        "training, with no loss of manipulation success.",
    ),
    "2601.00003": ("A Benchmark of Household Robots", "We evaluate household robots."),
}


def new_entries() -> list[str]:
    return [
        entry_xml(k, t, summary=s, published=f"2026-01-0{n}")
        for n, (k, (t, s)) in enumerate(sorted(NEW.items(), reverse=True), 1)
    ]


@pytest.fixture
def vla107(tmp_path: Path) -> Run:
    """The 107-paper VLA survey of 2026 (abstracts from arXiv), in a fresh directory."""
    root = tmp_path / "vla107"
    shutil.copytree(DATA / "vla107", root)
    return runner(root)


def test_suggest_ranks_leaves_offline_with_reasons(vla107: Run) -> None:
    result = vla107("suggest", "2412.01034", "--json")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    assert item["paper"] == "2412.01034"
    leaves = item["leaves"]
    assert [x["leaf"] for x in leaves] == [
        "quantization",
        "layer-pruning",
        "token-optimization",
        "supervised-fine-tuning",
        "lightweight-component",
    ]
    # The reasons are other quantization papers, never the paper itself.
    assert leaves[0]["closest"] == ["2505.15304", "2509.09090", "2506.07530"]
    assert leaves[0]["score"] > leaves[1]["score"] > leaves[4]["score"]
    # By short name, as text: a paper filed under several leaves.
    text = vla107("suggest", "SmolVLA", "--top", "3")
    assert text.exit_code == 0, text.output
    assert [line.split()[1] for line in text.stdout.splitlines()[1:]] == [
        "efficient-action-decoding",
        "efficient-action-representation",
        "lightweight-component",
    ]
    assert text.stdout.splitlines()[0].startswith("2506.01844  SmolVLA: A Vision-Language-Action")
    # The reasons a person reads are names, not IDs.
    assert " like " in text.stdout
    reasons = [line.split(" like ", 1)[1] for line in text.stdout.splitlines()[1:]]
    assert not any(re.search(r"\b\d{4}\.\d{4,5}\b", r) for r in reasons), reasons


def test_suggest_fetches_a_paper_the_bib_lacks(
    vla107: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeArxiv(dict(zip(sorted(NEW, reverse=True), new_entries(), strict=True))) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = vla107("suggest", "https://arxiv.org/abs/2601.00002v2", "--json", "--top", "2")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    assert (item["paper"], item["title"]) == ("2601.00002", NEW["2601.00002"][0])
    assert [x["leaf"] for x in item["leaves"]] == ["quantization", "token-optimization"]
    assert len(server.requests) == 1


def test_add_without_a_category_asks_or_takes_the_best(
    vla107: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "2601.00002"
    with FakeArxiv(dict(zip(sorted(NEW, reverse=True), new_entries(), strict=True))) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        refused = vla107("add", key)
        assert refused.exit_code == 1
        assert refused.stderr == (
            "Error: 2601.00002 needs a category: name it with -c (suggested: quantization, "
            "token-optimization, layer-pruning), or take the first suggestion with --yes\n"
        )
        added = vla107("add", key, "--yes")
    assert added.exit_code == 0, added.output
    (paper,) = [p for p in bib.load(tmp_path / "vla107" / "refs" / "papers.bib") if p.key == key]
    assert paper.categories == ("quantization",)


def test_search_pages_and_stops_at_since(survey: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeArxiv({}) as server:
        server.search_entries = recorded_search()
        client = Client(server.api, delay=0, cache=survey / "cache")
        found = search(client, "all:testing", limit=7, page=3)
        assert [len(r.params["max_results"]) for r in server.requests]  # three pages asked
        assert [r.params["start"] for r in server.requests] == ["0", "3", "6"]
        assert [r.params["max_results"] for r in server.requests] == ["3", "3", "1"]
        assert len(found) == 7
        assert found[0].id == "1202.4527"  # the recorded response's first entry
        again = search(client, "all:testing", limit=7, page=3)
        assert again == found
        assert len(server.requests) == 3  # the pages came from the cache
        dated = sorted(r.published for r in found)[3]
        cut = search(client, "all:testing", limit=7, page=3, since=dated)
        assert all(r.published >= dated for r in cut)


def test_discover_end_to_end(vla107: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run, survey = vla107, tmp_path / "vla107"
    with FakeArxiv(
        {k: e for k, e in zip(sorted(NEW, reverse=True), new_entries(), strict=True)}
    ) as server:
        server.search_entries = new_entries() + recorded_search()
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        listed = run(
            "discover",
            "--leaf",
            "token-optimization",
            "--leaf",
            "quantization",
            "--json",
            "--limit",
            "20",
        )
        assert listed.exit_code == 0, listed.output
        rows = json.loads(listed.stdout)
        ids = [r["id"] for r in rows]
        assert set(NEW) <= set(ids)
        assert len(ids) == len(set(ids)) == 13  # 3 new + the 10 recorded, each once
        by_id = {r["id"]: r for r in rows}
        assert by_id["2601.00001"]["leaf"] == "token-optimization"
        assert by_id["2601.00002"]["leaf"] == "quantization"
        queries = {r.params["search_query"] for r in server.requests}
        assert 'ti:"Token Optimization" OR abs:"Token Optimization"' in " ".join(queries)
        dismissed = run("discover", "--dismiss", "2601.00003", "1202.4527")
        assert dismissed.stdout == "dismissed 2601.00003\ndismissed 1202.4527\n"
        ignore = (survey / "refs" / "discover-ignore.txt").read_text()
        assert ignore.splitlines()[1:] == ["2601.00003", "1202.4527"]
        again = json.loads(run("discover", "--leaf", "token-optimization", "--json").stdout)
        assert {"2601.00003", "1202.4527"}.isdisjoint(r["id"] for r in again)
        added = run("discover", "--leaf", "token-optimization", "--limit", "1", "--add")
        assert added.exit_code == 0, added.output
    papers = {p.key: p for p in bib.load(survey / "refs" / "papers.bib")}
    top = again[0]
    assert papers[top["id"]].categories == (top["leaf"],)


def test_add_without_a_category_off_a_terminal_writes_nothing(
    vla107: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (tmp_path / "vla107" / "refs" / "papers.bib").read_bytes()
    with FakeArxiv(dict(zip(sorted(NEW, reverse=True), new_entries(), strict=True))) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        # Two papers, one fetch: the first is filed, the second needs a choice -> neither.
        result = vla107("add", "2601.00002", "2601.00001")
        assert len(server.requests) == 1
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 2601.00002 needs a category")
    assert (tmp_path / "vla107" / "refs" / "papers.bib").read_bytes() == before
