"""The generated paper list lints clean with the linters awesome lists use: awesome-lint (in
an awesome list around it: heading, badge, contributing.md, a GitHub remote) and
markdownlint-cli2 (with the config 'vlabib init' writes). Rules the region switches off,
and why, are in its first line: ``awesome-list-item`` (paper entries are citations — title,
authors, venue, links — not "[Name](url) - description" resources) and ``double-link`` (a
paper filed under two headings is listed under both, as curated lists do)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import runner
from tests.helpers import DATA, REPO
from vlabib.outputs.readme import region_bounds

TOOLS = REPO / ".bench" / "node_modules" / ".bin"
SKELETON = (
    "# Awesome Things [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
    "> Papers on things, kept by vlabib.\n\n"
)


def test_the_linters_are_installed() -> None:
    """No silent skips: `make test` installs them (scripts/node-tools.sh)."""
    for tool in ("awesome-lint", "markdownlint-cli2"):
        assert (TOOLS / tool).exists(), f"install them: bash scripts/node-tools.sh ({tool})"


def lint_region(readme: Path, folder: Path) -> tuple[str, str]:
    """awesome-lint's and markdownlint-cli2's findings on the README's generated region,
    placed in an awesome list of its own."""
    text = readme.read_text()
    start, stop, _ = region_bounds(text)
    folder.mkdir()
    (folder / "readme.md").write_text(
        SKELETON
        + "<!-- vlabib:begin papers -->"
        + text[start:stop]
        + "<!-- vlabib:end papers -->\n"
    )
    (folder / "contributing.md").write_text("# Contributing\n\nAdd papers with vlabib.\n")
    shutil.copy(
        REPO / "src" / "vlabib" / "outputs" / "templates" / "init" / "markdownlint-cli2.jsonc",
        folder / ".markdownlint-cli2.jsonc",
    )
    for args in (
        ["init", "-q"],
        ["remote", "add", "origin", "https://github.com/a/awesome-things"],
        ["add", "-A"],
        ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)
    branch = subprocess.run(
        ["git", "branch", "--show-current"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["git", "config", f"branch.{branch}.remote", "origin"], cwd=folder, check=True)
    awesome = subprocess.run(
        [str(TOOLS / "awesome-lint"), "readme.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    markdown = subprocess.run(
        [str(TOOLS / "markdownlint-cli2"), "readme.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return (awesome.stdout + awesome.stderr, markdown.stdout + markdown.stderr)


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["bullets", "table"])
def test_a_real_lists_generated_region_lints_clean(tmp_path: Path, layout: str) -> None:
    root = tmp_path / "survey"
    root.mkdir()
    listing = DATA / "lists-wild" / "04-Yutong-Zhou-cv-Awesome-Text-to-Image.md"
    (root / "README.md").write_text(
        "# X\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
    )
    assert runner(root)("import", "--offline", str(listing)).exit_code == 0
    with (root / "vlabib.toml").open("a") as settings:
        settings.write(f'readme_layout = "{layout}"\n')
    assert runner(root)("build").exit_code == 0
    awesome, markdown = lint_region(root / "README.md", tmp_path / "lint")
    assert "✔ Linting" in awesome, awesome
    assert "Summary: 0 error(s)" in markdown, markdown


@pytest.mark.slow
def test_this_surveys_generated_region_lints_clean(tmp_path: Path) -> None:
    awesome, markdown = lint_region(REPO / "README.md", tmp_path / "lint")
    assert "✔ Linting" in awesome, awesome
    assert "Summary: 0 error(s)" in markdown, markdown
