"""Any survey starts here: `vlabib init`, neutral names, one survey per tree, a workflow that
validates, a pre-commit hook that runs, and a README that lints clean."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import runner
from tests.helpers import DATA
from vlabib.cli import main

TITLE = "Efficient LLM Inference"
BIN = Path(sys.executable).parent


def init(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "vlabib"), "-C", str(folder), "init", *args], capture_output=True, text=True
    )


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    folder = tmp_path / "llm-survey"
    folder.mkdir()
    subprocess.run(["git", "init", "--quiet", str(folder)], check=True)
    done = init(folder, "--title", TITLE)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.mark.tex
def test_init_makes_a_survey_that_builds_checks_and_compiles(fresh: Path) -> None:
    files = sorted(
        str(p.relative_to(fresh)) for p in fresh.rglob("*") if p.is_file() and ".git/" not in str(p)
    )
    assert files[:11] == [
        ".github/ISSUE_TEMPLATE/add-paper.yml",
        ".github/workflows/add-paper.yml",
        ".github/workflows/vlabib.yml",
        ".gitignore",
        ".markdownlint-cli2.jsonc",
        ".pre-commit-config.yaml",
        "Makefile",
        "README.md",
        "latex/generated/appendix.tex",
        "latex/generated/body.tex",
        "latex/generated/cites.tex",
    ]
    run = runner(fresh)
    assert run("build").output == "0 files changed\n"
    check = run("check")
    assert check.exit_code == 0
    assert check.stdout == "ok (4 warnings)\n"  # four leaves wait for papers
    readme = (fresh / "README.md").read_text()
    assert readme.startswith(f"# {TITLE}\n")
    assert "## Efficient LLM Inference" in readme
    main_tex = (fresh / "latex" / "main.tex").read_text()
    assert "\\title{Efficient LLM Inference}" in main_tex
    assert "\\surveycount{*} papers~\\surveycite{*}" in main_tex
    assert "vla" not in main_tex.replace("vlabib", "")  # no trace of the VLA survey
    assert (fresh / "refs" / "papers.bib").read_text() == ""
    assert run("pdf").exit_code == 0


@pytest.mark.tex
@pytest.mark.parametrize(
    ("cls", "line"), [("acmart", "[acmsmall,nonacm]{acmart}"), ("ieeetran", "[journal]{IEEEtran}")]
)
def test_init_in_a_publishers_class(tmp_path: Path, cls: str, line: str) -> None:
    """--class: the setting, a main file in that class, a PDF at once."""
    folder = tmp_path / "survey"
    folder.mkdir()
    done = init(folder, "--title", TITLE, "--class", cls)
    assert done.returncode == 0, done.stderr
    settings = tomllib.loads((folder / "vlabib.toml").read_text())
    assert settings["document_class"] == cls
    assert f"\\documentclass{line}" in (folder / "latex" / "main.tex").read_text()
    assert runner(folder)("pdf").exit_code == 0


def test_init_refuses_a_class_it_does_not_know(tmp_path: Path) -> None:
    done = init(tmp_path, "--title", TITLE, "--class", "neurips")
    assert done.returncode == 2
    assert "'neurips' is not one of 'article', 'acmart', 'ieeetran'" in done.stderr
    assert list(tmp_path.iterdir()) == []


EXAMPLE_STUBS = ["benchmarks", "first-family", "methods", "second-family", "surveys"]
KV_LIST = DATA / "lists-wild" / "02-October2001-Awesome-KV-Cache-Compression.md"


def stubs(folder: Path) -> list[str]:
    return sorted(p.stem for p in (folder / "latex" / "sections").glob("*.tex"))


def test_import_replaces_the_untouched_example_taxonomy(fresh: Path) -> None:
    """The README's recipe: init, then import a real list; the list's headings take the
    example's place under the survey's title, the example's untouched stubs go."""
    run = runner(fresh)
    assert stubs(fresh) == EXAMPLE_STUBS
    imported = run("import", "--offline", str(KV_LIST))
    assert imported.exit_code == 0, imported.stderr
    assert "wrote refs/taxonomy.toml in place of the example" in imported.stderr
    assert [ln for ln in imported.stderr.splitlines() if ln.startswith("removed")] == [
        f"removed latex/sections/{stub}.tex: an untouched stub of a node no longer there"
        for stub in EXAMPLE_STUBS
    ]
    assert run("build").exit_code == 0
    check = run("check")
    assert check.exit_code == 0, check.output
    taxonomy = (fresh / "refs" / "taxonomy.toml").read_text()
    assert taxonomy.splitlines()[3:5] == ['id = "efficient-llm-inference"', f'title = "{TITLE}"']
    assert not set(EXAMPLE_STUBS) & set(stubs(fresh))
    # The list gives authors for every paper but the one line that names none.
    no_author = [ln for ln in check.output.splitlines() if "has no author" in ln]
    assert len(no_author) == 1


def test_a_list_imported_over_a_deleted_taxonomy_takes_the_survey_title(fresh: Path) -> None:
    run = runner(fresh)
    (fresh / "refs" / "taxonomy.toml").unlink()
    (fresh / "latex" / "sections" / "methods.tex").write_text("Our own words on methods.\n")
    imported = run("import", "--offline", str(KV_LIST))
    assert imported.exit_code == 0, imported.stderr
    taxonomy = (fresh / "refs" / "taxonomy.toml").read_text()
    assert f'title = "{TITLE}"' in taxonomy
    assert 'title = "Contents"' not in taxonomy
    assert "methods" in stubs(fresh)  # prose someone wrote is never removed
    assert run("build").exit_code == 0
    check = run("check")
    assert "latex/sections/methods.tex" in check.output


def test_an_edited_example_taxonomy_is_mapped_not_replaced(fresh: Path) -> None:
    """A taxonomy the user touched is theirs: the list's headings are mapped onto it."""
    path = fresh / "refs" / "taxonomy.toml"
    path.write_text(path.read_text().replace("First Family of Methods", "Token Eviction"))
    before = {p: p.read_bytes() for p in fresh.rglob("*") if p.is_file() and ".git" not in p.parts}
    refused = runner(fresh)("import", "--offline", str(KV_LIST))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        "Error: add those headings to refs/taxonomy.toml as leaves; or, to take the list's "
        "headings as the taxonomy (as for a survey 'vlabib init' just made), delete "
        "refs/taxonomy.toml and import again"
    )
    after = {p: p.read_bytes() for p in fresh.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before


def test_init_from_a_list_does_both_in_one_step(tmp_path: Path) -> None:
    folder = tmp_path / "kv"
    args = ["kv", "--title", "KV Cache Compression", "--from", str(KV_LIST), "--offline"]
    done = init(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert "160 papers (3 without an arXiv ID), 3 other links (3 code)" in done.stdout
    assert "added 163, updated 0, unchanged 0" in done.stdout
    assert done.stdout.count("wrote README.md\n") == 1
    assert not set(EXAMPLE_STUBS) & set(stubs(folder))
    check = runner(folder)("check")
    assert check.exit_code == 0, check.output


TABLE_LIST = DATA / "lists-wild" / "06-cokeshao-Awesome-Multimodal-Token-Compression.md"


def test_a_list_kept_as_tables_keeps_its_layout(tmp_path: Path) -> None:
    """The README vlabib writes looks like the curators' own: tables with their columns
    (a venue badge in the title's cell gets a venue column), in their order."""
    folder = tmp_path / "mm"
    done = init(
        tmp_path, "mm", "--title", "Token Compression", "--from", str(TABLE_LIST), "--offline"
    )
    assert done.returncode == 0, done.stderr
    settings = (folder / "vlabib.toml").read_text().splitlines()
    assert settings[-4:] == [
        'order = "list"  # the list\'s own order under each heading',
        "readme_badges = true  # the list showed its code's GitHub stars",
        'readme_layout = "table"  # the list kept its papers in tables',
        'readme_columns = ["venue", "paper", "code", "links"]  # the list\'s own columns',
    ]
    assert (
        "the list's columns 'Areas', 'Tags' name nothing vlabib keeps (the taxonomy holds its "
        "headings); the README's tables leave them out"
    ) in done.stderr
    readme = (folder / "README.md").read_text()
    assert "| Venue " in readme
    assert runner(folder)("check").exit_code == 0
    # Importing again changes none of it.
    again = runner(folder)("import", "--offline", str(TABLE_LIST))
    assert (folder / "vlabib.toml").read_text().splitlines()[-4:] == settings[-4:]
    assert again.exit_code == 0, again.output


def test_init_never_overwrites(fresh: Path) -> None:
    readme = (fresh / "README.md").read_bytes()
    again = init(fresh, "--title", "Another")
    assert again.returncode == 1
    assert again.stderr.startswith(f"Error: {fresh}: vlabib.toml, refs/taxonomy.toml, ")
    assert again.stderr.endswith(
        "already there; 'vlabib init' writes only where none of its "
        "files exist (nothing was written)\n"
    )
    assert (fresh / "README.md").read_bytes() == readme


def test_one_survey_per_tree(fresh: Path, tmp_path: Path) -> None:
    inner = init(fresh / "latex", "--title", "Nested")
    assert inner.returncode == 1
    assert inner.stderr == (
        f"Error: {fresh / 'latex'} is inside the survey at {fresh}; one "
        "survey per tree (nothing was written)\n"
    )
    # From a sub-folder, commands find the survey above; nothing new appears there.
    result = CliRunner().invoke(main, ["-C", str(fresh / "latex"), "check"])
    assert result.exit_code == 0, result.output
    assert not (fresh / "latex" / "refs").exists()
    outside = tmp_path / "nowhere"
    outside.mkdir()
    lost = CliRunner().invoke(main, ["-C", str(outside), "add", "2501.00001", "-c", "x"])
    assert lost.exit_code == 1
    assert lost.stderr == (
        f"Error: no survey here: neither {outside} nor a folder above it has a vlabib.toml (or "
        "[tool.vlabib] in pyproject.toml); start one with 'vlabib init --title \"…\"'\n"
    )
    assert list(outside.iterdir()) == []


def test_the_generated_workflow_is_valid_for_github(fresh: Path) -> None:
    done = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(fresh / ".github" / "workflows" / "vlabib.yml"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


@pytest.mark.slow
def test_the_pre_commit_hook_runs(fresh: Path) -> None:
    env_path = f"{BIN}:/usr/bin:/bin"
    subprocess.run(["git", "-C", str(fresh), "add", "-A"], check=True)
    done = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files"],
        cwd=fresh,
        capture_output=True,
        text=True,
        env={
            "PATH": env_path,
            "HOME": str(fresh.parent),
            "PRE_COMMIT_HOME": str(fresh.parent / "pc"),
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vlabib check" in done.stdout
    assert "Passed" in done.stdout


def test_the_repository_ships_pre_commit_hooks() -> None:
    manifest = DATA.parent.parent / ".pre-commit-hooks.yaml"
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-manifest", str(manifest)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ids = [
        ln.split(":", 1)[1].strip()
        for ln in manifest.read_text().splitlines()
        if ln.startswith("- id:")
    ]
    assert ids == ["vlabib-check", "vlabib-fmt"]


@pytest.mark.slow
def test_the_readme_lints_clean(fresh: Path) -> None:
    """markdownlint-cli2 with the committed config, on this repository's README and on a
    new survey's."""
    # make test installs it (scripts/node-tools.sh).
    tool = str(DATA.parent.parent / ".bench" / "node_modules" / ".bin" / "markdownlint-cli2")
    for folder in (DATA.parent.parent, fresh):
        done = subprocess.run([tool, "README.md"], cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Summary: 0 error(s)" in done.stderr + done.stdout


@pytest.mark.parametrize(
    "title", ["Efficient VLA 🚀 Survey", 'A "Quoted" \\ Survey', "視覚言語 Models"]
)
def test_any_unicode_title_makes_a_survey(tmp_path: Path, title: str) -> None:
    """An emoji is one TOML character, not JSON's surrogate pair (which TOML refuses)."""
    done = init(tmp_path, "s", "--title", title)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "s"
    assert tomllib.loads((folder / "vlabib.toml").read_text())["title"] == title
    assert runner(folder)("check").exit_code == 0
