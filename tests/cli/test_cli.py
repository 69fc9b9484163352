from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import Run
from tests.helpers import DATA
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
    bib = survey / "refs" / "papers.bib"
    original = bib.read_bytes()
    bib.write_text(bib.read_text().replace("  ", " ").replace("\n", "\r\n"))
    assert run("fmt", "--check").exit_code == 1
    first = run("fmt")
    assert first.output == "refs/papers.bib: reformatted\n"
    once = bib.read_bytes()
    second = run("fmt")
    assert second.output == "refs/papers.bib: already canonical\n"
    # The file's own line endings stay (a Windows checkout keeps its CRLF).
    assert bib.read_bytes() == once == original.replace(b"\n", b"\r\n")


def test_fmt_check_reports_without_writing(run: Run, survey: Path) -> None:
    bib = survey / "refs" / "papers.bib"
    messy = bib.read_text().replace("  title         =", "title=")
    bib.write_text(messy)
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert result.stderr == "Error: refs/papers.bib: not in canonical format; run 'vlabib fmt'\n"
    assert bib.read_text() == messy


ARGS = {
    "add": ["2404.14469", "-c", "token-eviction"],
    "import": [str(DATA / "efficient-vla-survey.2025-09-17.seed.md")],
    "overleaf": ["status"],
    "show": ["2404.14469"],
    "remove": ["2404.14469"],
    "move": ["2404.14469", "--to", "merging"],
    "rename": ["merging", "token-merging"],
    "suggest": ["2404.14469"],
}


# init reads no bib: it starts a survey (and refuses an existing one, see test_init).
@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "init"])
def test_unclosed_brace_fails_every_command_and_writes_nothing(
    run: Run, survey: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VLABIB_ARXIV_API", "http://127.0.0.1:9/nothing-listens-here")
    bib = survey / "refs" / "papers.bib"
    lines = bib.read_text().splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines, 1) if line.startswith("  title         = {Palu:"))
    lines[n - 1] = lines[n - 1].replace("Projection},", "Projection,")  # the brace stays open
    broken = "".join(lines).encode()
    bib.write_bytes(broken)
    before = sorted(p.name for p in survey.rglob("*"))
    result = run(command, *ARGS.get(command, []))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: refs/papers.bib:{n}: '{{' is never closed; add the missing '}}'\n"
    )
    assert bib.read_bytes() == broken
    assert sorted(p.name for p in survey.rglob("*") if not p.name.endswith(".lock")) == [
        name for name in before if not name.endswith(".lock")
    ]


def test_missing_bib_is_a_clear_error(run: Run, survey: Path) -> None:
    (survey / "refs" / "papers.bib").unlink()
    result = run("stats")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: refs/papers.bib: no such file; create it with 'vlabib add ID' or 'vlabib import'\n"
    )


def test_stats(run: Run) -> None:
    result = run("stats", "--json")
    data = json.loads(result.output)
    assert (data["papers"], data["memberships"]) == (10, 11)
    own = {n["id"]: n["own"] for n in data["nodes"]}
    total = {n["id"]: n["total"] for n in data["nodes"]}
    assert own == {
        "kv-cache-compression": 0,
        "surveys": 2,
        "methods": 0,
        "token-eviction": 3,
        "merging": 2,
        "low-rank": 1,
        "quantization": 1,
        "prompt-compression": 0,
        "evaluation": 2,
    }
    assert (total["methods"], total["kv-cache-compression"]) == (6, 10)
    assert data["years"] == [
        {"year": 2022, "papers": 1},
        {"year": 2023, "papers": 2},
        {"year": 2024, "papers": 7},
    ]
    human = run("stats").output.splitlines()
    assert human[0] == "10 papers, 11 memberships, 7 leaves"
    assert "    Token Eviction" in human[6]


def test_list_filters_by_subtree(run: Run) -> None:
    records = json.loads(run("list", "-c", "methods", "--json").output)
    assert len(records) == 6
    merging = json.loads(run("list", "-c", "merging", "--json").output)
    assert [r["id"] for r in merging] == ["2404.10308", "2210.09461"]
    bad = run("list", "-c", "token-evicton")
    assert bad.exit_code == 1
    assert bad.stderr == (
        "Error: unknown category 'token-evicton' (did you mean token-eviction?)\n"
    )


def test_list_human_table(run: Run) -> None:
    out = run("list").output.splitlines()
    assert out[-1] == "10 papers"
    assert out[0].startswith("2412.19442   2024  arXiv           A Survey on Large Language Model")


def test_show(run: Run) -> None:
    out = run("show", "arXiv:2306.14048v1").output
    assert "Christopher Ré" in out
    assert "venue       NeurIPS 2023" in out.splitlines()
    record = json.loads(run("show", "2306.14048", "--json").output)
    assert record["categories"] == ["token-eviction"]
    missing = run("show", "2509.99999")
    assert missing.exit_code == 1
    assert missing.stderr == (
        "Error: 2509.99999 is not in refs/papers.bib; add it with 'vlabib add 2509.99999'\n"
    )
