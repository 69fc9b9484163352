"""Shared fixtures: a throw-away copy of the survey, and a CLI runner bound to it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

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
def run(survey: Path) -> Run:
    """``run("check")`` invokes the CLI on the survey copy, as a user would."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, ["-C", str(survey), *args], input=input)

    return invoke
