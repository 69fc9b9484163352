"""Shared fixtures: a throw-away copy of the survey, and a CLI runner bound to it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.servers import FakeArxiv, recorded_entries, seed_entries
from vlabib.cli import main

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

Run = Callable[..., Result]


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """A copy of this repository's survey data in a fresh directory."""
    root = tmp_path / "survey"
    shutil.copytree(REPO / "refs", root / "refs", ignore=shutil.ignore_patterns(".*.lock"))
    shutil.copy(REPO / "README.md", root / "README.md")
    latex = root / "latex"
    (latex / "generated").mkdir(parents=True)
    shutil.copy(REPO / "latex" / "main.tex", latex / "main.tex")
    for path in (REPO / "latex" / "generated").iterdir():
        shutil.copy(path, latex / "generated" / path.name)
    (root / "vlabib.toml").write_text('bib = "refs/vla.bib"\n')
    return root


@pytest.fixture
def kv(tmp_path: Path) -> Path:
    """A copy of the frozen fixture survey (tests/data/survey) in a fresh directory."""
    root = tmp_path / "kv"
    shutil.copytree(DATA / "survey", root)
    return root


def runner(root: Path) -> Run:
    """``run("check")`` invokes the CLI on *root*, as a user would."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, ["-C", str(root), *args], input=input)

    return invoke


@pytest.fixture
def run(survey: Path) -> Run:
    """``run("check")`` invokes the CLI on the survey copy, as a user would."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, ["-C", str(survey), *args], input=input)

    return invoke


@pytest.fixture(autouse=True)
def _quiet_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reaches the internet or the user's cache: dead endpoints, a private cache."""
    monkeypatch.setenv("VLABIB_ARXIV_API", "http://127.0.0.1:9/no-server-here")
    monkeypatch.setenv("VLABIB_S2_API", "http://127.0.0.1:9/no-server-here")
    monkeypatch.setenv("VLABIB_DBLP_API", "http://127.0.0.1:9/no-server-here")
    monkeypatch.setenv("VLABIB_ARXIV_DELAY", "0")
    monkeypatch.setenv("VLABIB_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArxiv]:
    """A loopback arXiv API knowing the seed papers and the recorded responses."""
    with FakeArxiv({**seed_entries(), **recorded_entries()}) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        yield server
