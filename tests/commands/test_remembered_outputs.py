"""build and check remember what they made from which inputs (vlabib.memo): an unchanged
survey is not rendered again, and anything changed — an input, an output, the code — is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.helpers import edit
from vlabib.commands import build, check


def counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of *module.name* from here on."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(module, name)

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_an_unchanged_survey_is_not_rendered_again(
    built: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders = counted(monkeypatch, build, "outputs")
    assert run("build").output == "0 files changed\n"
    assert run("check").exit_code == 0
    assert renders == []
    # The README's own prose is an input: rendered again (nothing to write), then remembered.
    edit(
        built / "README.md",
        "<!-- vlabib:begin papers -->",
        "Intro.\n\n<!-- vlabib:begin papers -->",
    )
    assert run("build").output == "0 files changed\n"
    assert run("build").output == "0 files changed\n"
    assert renders == [1]
    # So are the taxonomy and the settings.
    edit(built / "refs" / "taxonomy.toml", "title =", "title =", 1)
    with (built / "vlabib.toml").open("a") as settings:
        settings.write('order = "oldest"\n')
    assert run("build").exit_code == 0
    assert renders == [1, 1]


@pytest.mark.parametrize("damage", ["edited", "deleted", "stray"])
def test_an_output_that_no_longer_holds_what_was_made_is_made_again(
    built: Path, run: Run, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    taxonomy = built / "latex" / "generated" / "taxonomy.tex"
    made = taxonomy.read_text()
    stray = built / "latex" / "generated" / "old.tex"
    if damage == "edited":
        edit(taxonomy, "SnapKV~", "SnapKV!~")
        said = "Error: latex/generated/taxonomy.tex:1: edited by hand"
    elif damage == "deleted":
        taxonomy.unlink()
        said = "Error: latex/generated/taxonomy.tex: missing; run 'vlabib build'"
    else:  # a generated file no output is any longer: not rendered, still reported
        stray.write_text(made)
        said = "Error: latex/generated/old.tex: no longer generated; run 'vlabib build'"
    result = run("check")
    assert result.exit_code == 1
    assert said in result.stderr
    written = run("build").output
    assert taxonomy.read_text() == made
    assert not stray.exists()
    assert written == (
        "wrote latex/generated/old.tex (removed)\n1 file changed\n"
        if damage == "stray"
        else "wrote latex/generated/taxonomy.tex\n1 file changed\n"
    )
    assert run("check").exit_code == 0


def test_checks_of_an_unchanged_bib_are_remembered(
    built: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("check")
    lints = counted(monkeypatch, check, "lint_bib")
    assert run("check").stderr == first.stderr
    assert lints == []
    edit(
        built / "refs" / "papers.bib", "venue         = {ICLR 2025}", "venue         = {ICLR 2026}"
    )
    assert "the paper list is stale" in run("check").stderr
    assert lints == [1]
