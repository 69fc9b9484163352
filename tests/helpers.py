"""Helpers every test module may use: where the test data is, a survey's files as bytes, a
one-place text edit, and git run as a co-author."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
REPO = TESTS.parent


def snapshot(root: Path, under: str = "") -> dict[str, bytes]:
    """Every file below *root* (or its folder *under*), by relative path, as bytes; lock
    files aside. Two snapshots compare a tree byte for byte."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted((root / under).rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace *old* (which must be there) by *new* in a text file."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


def git(cwd: Path, *args: str, input: str | None = None) -> str:
    """git's standard output, as a co-author runs it (an identity of their own)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Co Author",
        "GIT_AUTHOR_EMAIL": "co@example.org",
        "GIT_COMMITTER_NAME": "Co Author",
        "GIT_COMMITTER_EMAIL": "co@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, input=input, capture_output=True, text=True, check=True
    ).stdout


def assert_region(path: Path, name: str, body: str) -> None:
    """The text between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` in *path* is
    *body* (a document's generated table); ``VLABIB_GOLDEN=1`` rewrites it instead."""
    text = path.read_text()
    begin, end = f"<!-- {name}:begin -->\n", f"<!-- {name}:end -->"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    wanted = f"{head}{begin}{body}{end}{tail}"
    if os.environ.get("VLABIB_GOLDEN"):
        path.write_text(wanted)
    assert text == wanted
