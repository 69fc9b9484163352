"""Shared fixtures: a throw-away copy of the survey, and a CLI runner bound to it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.helpers import DATA
from tests.servers import FakeArxiv, recorded_entries, seed_entries, survey_entries
from vlabib.cli import main

Run = Callable[..., Result]


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """A copy of the frozen fixture survey (tests/data/survey) in a fresh directory: ten
    papers on KV-cache compression, eight leaves (one empty), no manuscript yet."""
    root = tmp_path / "survey"
    shutil.copytree(DATA / "survey", root)
    return root


@pytest.fixture
def built(survey: Path) -> Path:
    """The fixture survey after 'vlabib build' (README list, latex/generated/, main.tex)."""
    result = runner(survey)("build")
    assert result.exit_code == 0, result.output
    return survey


def runner(root: Path) -> Run:
    """``run("check")`` invokes the CLI on *root*, as a user would."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, ["-C", str(root), *args], input=input)

    return invoke


@pytest.fixture
def run(survey: Path) -> Run:
    """``run("check")`` invokes the CLI on the survey copy, as a user would."""
    return runner(survey)


@pytest.fixture(autouse=True)
def _quiet_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reaches the internet or the user's cache: dead endpoints, a private cache."""
    monkeypatch.setenv("VLABIB_ARXIV_API", "http://127.0.0.1:9/no-server-here")
    monkeypatch.setenv("VLABIB_S2_API", "http://127.0.0.1:9/no-server-here")
    monkeypatch.setenv("VLABIB_DBLP_API", "http://127.0.0.1:9/no-server-here")
    for service in ("ARXIV", "S2", "DBLP"):
        monkeypatch.setenv(f"VLABIB_{service}_DELAY", "0")
    monkeypatch.setenv("VLABIB_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArxiv]:
    """A loopback arXiv API knowing the seed papers and the recorded responses."""
    with FakeArxiv({**seed_entries(), **recorded_entries(), **survey_entries()}) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        yield server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that takes the ``browser`` fixture drives Chromium: marked ``browser``, so
    that ``make test-fast`` can leave it out (``make test`` and CI run everything)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
