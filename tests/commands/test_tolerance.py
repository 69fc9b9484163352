"""One bad paper among many does not cost the rest: an online import, an add of many IDs
and an update write every paper that was fetched and name each one that was not (exit 1);
``--strict`` keeps all or nothing. ``update --fill`` completes what an offline import left."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, runner
from tests.helpers import snapshot
from tests.servers import FakeArxiv, FakeDblp, FakeS2, entry_xml
from vlabib import bib

IDS = [f"2501.{n:05d}" for n in range(1, 51)]
UNKNOWN = ["2501.00007", "2501.00023", "2501.00042"]


def known() -> dict[str, str]:
    return {
        i: entry_xml(i, f"Paper number {i}", authors=("Ada Lovelace", "Alan Turing"))
        for i in IDS
        if i not in UNKNOWN
    }


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "list.md"
    lines = [f"- [Paper number {i}](https://arxiv.org/abs/{i})" for i in IDS]
    path.write_text("# Awesome Fifty\n## Fifty\n" + "\n".join(lines) + "\n")
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    root = tmp_path / "survey"
    root.mkdir()
    return root


def test_an_online_import_writes_what_arxiv_has_and_names_the_rest(
    empty: Path, listing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeArxiv(known()) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = runner(empty)("import", str(listing))
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert errors == [
        *(f"Error: {i}: arXiv has no paper by this ID (withdrawn, or mistyped)" for i in UNKNOWN),
        "Error: 3 papers could not be fetched (above); everything else was written (--strict "
        "writes nothing when any paper fails)",
    ]
    papers = bib.load(empty / "refs" / "vla.bib")
    assert len(papers) == 47
    assert not {p.key for p in papers} & set(UNKNOWN)
    assert all(p.authors == ("Lovelace, Ada", "Turing, Alan") for p in papers)
    assert "added 47, updated 0, unchanged 0, failed 3" in result.stdout


def test_strict_writes_nothing(empty: Path, listing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeArxiv(known()) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = runner(empty)("import", "--strict", str(listing))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: arXiv has no paper 2501.00007, 2501.00023, 2501.00042; check the IDs"
    )
    assert snapshot(empty) == {}


def test_update_refreshes_what_it_can(
    run: Run, survey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paper arXiv no longer knows (withdrawn) is named; the others are updated."""
    entries = {
        i: entry_xml(i, f"Paper {i}", authors=("Ada Lovelace",))
        for i in ("2501.00001", "2501.00002")
    }
    with FakeArxiv(entries) as server, FakeS2({}) as s2, FakeDblp({}, []) as dblp:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        monkeypatch.setenv("VLABIB_S2_API", s2.api)
        monkeypatch.setenv("VLABIB_DBLP_API", dblp.url)
        assert run("add", "2501.00001", "2501.00002", "-c", "evaluation").exit_code == 0
        del entries["2501.00002"]
        server.entries = {"2501.00001": entry_xml("2501.00001", "Paper 2501.00001 (v2)")}
        result = run("update", "--refresh", "2501.00001", "2501.00002")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: 2501.00002: arXiv has no paper by this ID (withdrawn, or mistyped)"
    )
    titles = {p.key: p.title for p in bib.load(survey / "refs" / "papers.bib")}
    assert titles["2501.00001"] == "Paper 2501.00001 (v2)"


def test_fill_completes_an_offline_import(
    empty: Path, listing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = runner(empty)
    listing.write_text(
        listing.read_text().replace(
            "- [Paper number 2501.00001](https://arxiv.org/abs/2501.00001)",
            "- [Paper number 2501.00001](https://arxiv.org/abs/2501.00001) *Grace Hopper et al.*",
        )
    )
    assert run("import", "--offline", str(listing)).exit_code == 0
    (empty / "README.md").write_text(
        "# X\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
    )
    assert run("build").exit_code == 0
    before = [ln for ln in run("check").stderr.splitlines() if "no author" in ln]
    second = (empty / "refs" / "vla.bib").read_text().split("\n").index("@misc{2501.00002,") + 1
    assert before == [
        f"Warning: refs/vla.bib:{second}: 49 arXiv papers have no author (2501.00002, 2501.00003, "
        "2501.00004, …); fill them in from arXiv with 'vlabib update --fill'"
    ]
    with FakeArxiv(known()) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = run("update", "--fill")
        assert len(server.requests) == 1  # 50 papers, one request
    assert result.exit_code == 1  # the three arXiv does not know are named
    assert result.stdout.splitlines()[0] == "2501.00001: filled author, primaryclass"
    papers = {p.key: p for p in bib.load(empty / "refs" / "vla.bib")}
    assert papers["2501.00001"].authors == ("Lovelace, Ada", "Turing, Alan")  # et al. completed
    assert papers["2501.00002"].authors == ("Lovelace, Ada", "Turing, Alan")
    assert papers["2501.00007"].authors == ()
    again = run("update", "--fill", "--dry-run")
    assert "filled" not in again.stdout  # nothing the bib has is replaced
