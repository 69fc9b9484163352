from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import Run
from vlabib.cli import main

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: vlabib " + command.split()[0] in result.output


@pytest.mark.parametrize("command", sorted(main.commands["overleaf"].commands))  # type: ignore[attr-defined]
def test_every_overleaf_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, ["overleaf", command, "--help"])
    assert result.exit_code == 0
    assert f"Example: vlabib overleaf {command}" in result.output


def test_top_level_help_and_version() -> None:
    assert "Example: vlabib" in CliRunner().invoke(main, ["--help"]).output
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "version" in result.output


def test_python_m_vlabib() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "vlabib", "--help"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("Usage: vlabib")


def test_bad_usage_exits_2(run: Run) -> None:
    assert run("list", "--no-such-option").exit_code == 2


def test_fmt_twice_is_a_byte_for_byte_no_op(run: Run, survey: Path) -> None:
    bib = survey / "refs" / "vla.bib"
    bib.write_text(bib.read_text().replace("  ", " ").replace("\n", "\r\n"))
    assert run("fmt", "--check").exit_code == 1
    first = run("fmt")
    assert first.exit_code == 0
    assert "reformatted" in first.output
    once = bib.read_bytes()
    second = run("fmt")
    assert "already canonical" in second.output
    assert bib.read_bytes() == once
    assert once == (Path(__file__).parent.parent / "refs" / "vla.bib").read_bytes()


def test_fmt_check_reports_without_writing(run: Run, survey: Path) -> None:
    bib = survey / "refs" / "vla.bib"
    messy = bib.read_text().replace("  title         =", "title=")
    bib.write_text(messy)
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert "Error: refs/vla.bib: not in canonical format; run 'vlabib fmt'" in result.stderr
    assert bib.read_text() == messy


ARGS = {
    "add": ["2509.09372", "-c", "token-pruning"],
    "import": [str(Path(__file__).parent / "data" / "efficient-vla-survey.2025-09-17.seed.md")],
    "overleaf": ["status"],
    "fmt": [],
    "check": [],
    "list": [],
    "show": ["2509.09372"],
    "stats": [],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_unclosed_brace_fails_every_command_and_writes_nothing(
    run: Run, survey: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VLABIB_ARXIV_API", "http://127.0.0.1:9/nothing-listens-here")
    bib = survey / "refs" / "vla.bib"
    lines = bib.read_text().splitlines(keepends=True)
    n = (
        next(i for i, line in enumerate(lines) if "2509.09372" in line and "title" in lines[i + 1])
        + 2
    )
    lines[n - 1] = lines[n - 1].replace("Model},", "Model,")  # the title's brace stays open
    broken = "".join(lines).encode()
    bib.write_bytes(broken)
    before = sorted(p.name for p in (survey / "refs").iterdir())
    result = run(command, *ARGS.get(command, []))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: refs/vla.bib:{n}: '{{' is never closed")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    assert bib.read_bytes() == broken
    assert sorted(p.name for p in (survey / "refs").iterdir() if not p.name.endswith(".lock")) == [
        n for n in before if not n.endswith(".lock")
    ]


def test_missing_bib_is_a_clear_error(run: Run, survey: Path) -> None:
    (survey / "refs" / "vla.bib").unlink()
    result = run("stats")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: refs/vla.bib: no such file; create it with 'vlabib add ID' or 'vlabib import'\n"
    )


def test_stats_of_the_seed_survey(run: Run) -> None:
    result = run("stats", "--json")
    data = json.loads(result.output)
    assert data["papers"] == 32
    assert data["memberships"] == 48
    own = {n["id"]: n["own"] for n in data["nodes"]}
    total = {n["id"]: n["total"] for n in data["nodes"]}
    assert own["token-pruning"] == 6
    assert own["vision-encoder"] == 1
    assert own["pre-training-data"] == 0
    assert total["efficient-use-of-tokens"] == 10
    assert total["efficient-vlas"] == 32
    assert data["years"] == [{"year": 2024, "papers": 2}, {"year": 2025, "papers": 30}]
    human = run("stats").output
    assert "      Token Pruning" in human
    assert "32 papers, 48 memberships" in human


def test_list_filters_by_subtree(run: Run) -> None:
    records = json.loads(run("list", "-c", "efficient-use-of-tokens", "--json").output)
    assert len(records) == 10
    assert {r["id"] for r in json.loads(run("list", "-c", "token-caching", "--json").output)} == {
        "2502.02175",
        "2506.10100",
    }
    bad = run("list", "-c", "token-prunning")
    assert bad.exit_code == 1
    assert "unknown category 'token-prunning'" in bad.stderr


def test_list_human_table(run: Run) -> None:
    out = run("list").output.splitlines()
    assert out[-1] == "32 papers"
    assert out[0].startswith("2509.")  # newest first


def test_show(run: Run) -> None:
    out = run("show", "arXiv:2509.04996v1").output
    assert "Ömer Erdinç Yağmurlu" in out
    assert "CoRL 2025" in out
    record = json.loads(run("show", "2509.04996", "--json").output)
    assert record["categories"] == ["efficient-finetuning", "layer-skipping"]
    missing = run("show", "2509.99999")
    assert missing.exit_code == 1
    assert "2509.99999 is not in refs/vla.bib" in missing.stderr


def test_errors_are_click_exceptions_only_at_the_edge() -> None:
    from vlabib import errors

    for name in dir(errors):
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert not issubclass(obj, click.ClickException)
