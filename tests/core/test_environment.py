"""The environment: every variable read through one table, checked where it is read, and
documented in docs/usage.md exactly as the table says."""

from __future__ import annotations

import re

import pytest

from tests.helpers import REPO, assert_region
from vlabib import environment
from vlabib.errors import NetworkError


def docs_table() -> str:
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [
        f"| `{v.name}` | {v.default or '(unset)'} | {v.meaning} |" for v in environment.VARIABLES
    ]
    return "\n".join(rows) + "\n"


def test_the_docs_list_every_variable_as_the_table_says() -> None:
    """VLABIB_GOLDEN=1 rewrites the docs' table."""
    assert_region(REPO / "docs" / "usage.md", "environment", docs_table())


def test_every_variable_the_code_reads_is_in_the_table() -> None:
    src = REPO / "src" / "vlabib"
    read = set()
    for path in src.rglob("*.py"):
        read |= set(re.findall(r"\b((?:VLABIB|OVERLEAF)_[A-Z0-9_]+)\b", path.read_text()))
    # A commit-message prefix, and the variable vlabib hands the token to git in: not read.
    read -= {"VLABIB_SUBJECT", "VLABIB_OVERLEAF_SECRET"}
    assert read == {v.name for v in environment.VARIABLES}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("-1", "VLABIB_X='-1' is not a number of seconds (0 or more)", id="negative"),
        pytest.param("nan", "VLABIB_X='nan' is not a number of seconds (0 or more)", id="nan"),
        pytest.param("inf", "VLABIB_X='inf' is not a number of seconds (0 or more)", id="inf"),
        pytest.param("soon", "VLABIB_X='soon' is not a number of seconds (0 or more)", id="text"),
    ],
)
def test_seconds_are_checked(monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    monkeypatch.setenv("VLABIB_X", value)
    with pytest.raises(NetworkError) as info:
        environment.seconds("VLABIB_X", 3.0)
    assert str(info.value) == message


def test_seconds_default_and_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VLABIB_X", raising=False)
    assert environment.seconds("VLABIB_X", 3.0) == 3.0
    monkeypatch.setenv("VLABIB_X", "0.5")
    assert environment.seconds("VLABIB_X", 3.0) == 0.5


def test_urls_are_http_with_a_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VLABIB_X", "file:///etc/passwd")
    with pytest.raises(NetworkError) as info:
        environment.url("VLABIB_X", "https://example.org")
    assert str(info.value) == (
        "VLABIB_X='file:///etc/passwd' is not an http(s) URL; unset it to use https://example.org"
    )
