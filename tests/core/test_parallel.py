"""Work on two cores gives the answers one core gives: results, errors and all."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import runner
from tests.helpers import DATA
from vlabib import parallel
from vlabib.parallel import both


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork as a lone vlabib process does: a request thread an earlier test's loopback
    server left (a daemon) would make both() run serially, as it must with threads."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def test_with_another_thread_alive_both_run_here() -> None:
    done = threading.Event()
    waiting = threading.Thread(target=done.wait)
    waiting.start()
    try:
        assert both(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    finally:
        done.set()
        waiting.join()


@pytest.mark.usefixtures("forking")
def test_the_second_runs_in_a_child_and_comes_back() -> None:
    here, there = both(os.getpid, lambda: (os.getpid(), "x" * 3_000_000))
    assert here == os.getpid()
    assert there[0] != os.getpid()  # a child computed it
    assert there[1] == "x" * 3_000_000  # more than a pipe holds at once


def test_without_fork_the_two_run_here() -> None:
    assert both(os.getpid, os.getpid, fork=False) == (os.getpid(), os.getpid())


@pytest.mark.usefixtures("forking")
def test_a_child_that_fails_is_done_again_here_and_its_error_raised() -> None:
    calls: list[int] = []

    def fails() -> None:
        calls.append(os.getpid())
        raise ValueError("the child's own error")

    with pytest.raises(ValueError, match="the child's own error"):
        both(lambda: 1, fails)
    assert calls == [os.getpid()]  # the child's call is lost with it; this one raised


@pytest.mark.usefixtures("forking")
def test_an_error_here_leaves_no_child_behind() -> None:
    def slow() -> int:
        import time

        time.sleep(30)
        return 1

    def fails() -> int:
        raise KeyError("missing")

    with pytest.raises(KeyError):
        both(fails, slow)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # killed and reaped: no child is left


@pytest.mark.usefixtures("forking")
def test_a_bib_read_on_two_cores_reads_as_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from vlabib.bib import parse
    from vlabib.errors import BibError

    text = (DATA / "vla107" / "refs" / "papers.bib").read_text()
    halves = text.find("\n@", len(text) // 2)
    assert halves > 0
    monkeypatch.setattr(parallel, "LARGE", 1 << 60)
    one = parse.parse_string(text)
    monkeypatch.setattr(parallel, "LARGE", 0)
    two = parse.parse_string(text)
    assert two == one
    assert [p.line for p in two] == [p.line for p in one]
    # A key in both halves: the careful reader names both lines, as on one core.
    first = text[: text.index("\n\n") + 2]
    with pytest.raises(BibError) as on_two:
        parse.parse_string(text + "\n" + first)
    monkeypatch.setattr(parallel, "LARGE", 1 << 60)
    with pytest.raises(BibError) as on_one:
        parse.parse_string(text + "\n" + first)
    assert str(on_two.value) == str(on_one.value)
    assert "duplicate key" in str(on_one.value)


@pytest.mark.usefixtures("forking")
def test_outputs_made_on_two_cores_are_the_ones_made_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    made = {}
    for fork_from in (0, 1 << 60):
        root = tmp_path / str(fork_from)
        shutil.copytree(DATA / "vla107", root)
        with (root / "vlabib.toml").open("a") as settings:
            settings.write("issue_form = true\n")  # the site is on already
        monkeypatch.setattr(parallel, "LARGE", fork_from)
        monkeypatch.setenv("VLABIB_CACHE_DIR", str(root / ".cache"))
        assert runner(root)("build").exit_code == 0
        shutil.rmtree(root / ".cache")  # check renders too: nothing remembered
        said = runner(root)("check")
        shutil.rmtree(root / ".cache")
        made[fork_from] = (
            {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()},
            said.exit_code,
            said.stderr,
        )
    assert made[0] == made[1 << 60]


@pytest.mark.parametrize("skeleton", [True, False])
def test_the_manuscripts_paths_are_known_without_making_it(skeleton: bool) -> None:
    """check reads the manuscript beside the render: it needs the paths render will write,
    before render has written them. A link-only heading ("Tools") is no part of it."""
    from dataclasses import replace

    from vlabib import bib
    from vlabib.config import Settings
    from vlabib.model import Paper
    from vlabib.outputs.render import manuscript_paths, render
    from vlabib.taxonomy import load_taxonomy

    papers = bib.load(DATA / "vla107" / "refs" / "papers.bib")
    taxonomy = load_taxonomy(DATA / "vla107" / "refs" / "taxonomy.toml", "taxonomy.toml")
    leaf = taxonomy.leaves[-1].id
    papers = [p for p in papers if leaf not in p.categories]
    papers.append(Paper("tool", "misc", {"title": "A tool", "keywords": leaf, "resource": "code"}))
    settings = replace(Settings(), skeleton=skeleton)
    made = {o.path for o in render(papers, taxonomy, settings, README)}
    assert set(manuscript_paths(papers, taxonomy, settings)) == {
        path for path in made if path.startswith("latex/")
    }
    assert f"latex/sections/{leaf}.tex" not in made


README = "# S\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"


@pytest.mark.usefixtures("forking")
@pytest.mark.parametrize("fork_from", [0, 1 << 60])
def test_what_stops_a_build_stops_it_on_two_cores_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork_from: int
) -> None:
    """Lost categories and papers typed into the list are looked for beside the render:
    the build stops all the same, with the same words, and writes nothing."""

    monkeypatch.setattr(parallel, "LARGE", fork_from)
    root = tmp_path / "vla107"
    shutil.copytree(DATA / "vla107", root)
    assert runner(root)("build").exit_code == 0
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}
    bib_file = root / "refs" / "papers.bib"
    bib_file.write_text(bib_file.read_text().replace("keywords", "keywords = {nowhere},\n  old", 1))
    lost = runner(root)("build")
    assert lost.exit_code == 1
    assert lost.stderr == (
        "Error: refs/papers.bib:1: entry 2312.01990: unknown category nowhere "
        "(see refs/taxonomy.toml)\nError: nothing was written; fix the categories and run "
        "'vlabib build' again\n"
    )
    assert {p: p.read_bytes() for p in before if p != bib_file} == {
        p: b for p, b in before.items() if p != bib_file
    }


@pytest.mark.usefixtures("forking")
@pytest.mark.parametrize("fork_from", [0, 1 << 60])
@pytest.mark.parametrize("command", ["build", "check"])
def test_the_parse_is_remembered_beside_the_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork_from: int, command: str
) -> None:
    """build and check remember a large bib's parse as part of the work they do beside the
    render (in the child, on two cores): the next command reads it from memory."""
    from vlabib import bib
    from vlabib.bib import remembered

    monkeypatch.setattr(parallel, "LARGE", fork_from)
    monkeypatch.setattr(remembered, "_REMEMBER_FROM", 0)  # the fixture's bib counts as large
    root = tmp_path / "vla107"
    shutil.copytree(DATA / "vla107", root)
    monkeypatch.setenv("VLABIB_CACHE_DIR", str(tmp_path / "cache"))
    assert runner(root)(command).exit_code in (0, 1)
    assert len(list((tmp_path / "cache" / "parsed").glob("*.bin"))) == 1
    again = bib.read(root / "refs" / "papers.bib", keep_now=False)
    assert again.kept  # served from memory: nothing left to remember
    assert again.papers == bib.parse_string(again.text)
