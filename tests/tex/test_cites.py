"""Citations read from four real manuscripts (tests/data/manuscripts-wild, each folder's
SOURCE.md names its repository): every citation their answers list, at its file, line and
command, and nothing else — apacite's \\citeA, natbib, biblatex, starred forms, optional
arguments, keys over several lines; none inside comments or verbatim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DATA
from vlabib.tex.read.cites import cites, rewritten

MANUSCRIPTS = sorted((DATA / "manuscripts-wild").glob("0*"))


@pytest.mark.parametrize("folder", MANUSCRIPTS, ids=lambda p: p.name)
def test_every_citation_of_a_real_manuscript(folder: Path) -> None:
    answers = json.loads((folder / "expected.json").read_text())
    want = {
        (key, o["file"], o["line"], o["command"])
        for key, found in answers["cited_keys"].items()
        for o in found
    }
    got = {
        (c.key, name, c.line, c.command)
        for name in answers["tex_files"]
        for c in cites((folder / name).read_text(encoding="utf-8"))
    }
    assert got == want


@pytest.mark.parametrize("folder", MANUSCRIPTS, ids=lambda p: p.name)
def test_rewriting_every_key_and_back_gives_the_file_byte_for_byte(folder: Path) -> None:
    answers = json.loads((folder / "expected.json").read_text())
    keys = sorted(answers["cited_keys"])
    there = {k: f"k{n:04d}" for n, k in enumerate(keys)}
    back = {v: k for k, v in there.items()}
    for name in answers["tex_files"]:
        text = (folder / name).read_text(encoding="utf-8")
        new, changed = rewritten(text, there)
        assert len(changed) == sum(1 for c in cites(text) if c.key != "*")
        assert {c.key for c in cites(new)} <= {*back, "*"}
        assert rewritten(new, back)[0] == text


def test_comments_and_verbatim_are_not_citations() -> None:
    text = (
        "\\cite{a} % \\cite{commented}\n\\begin{verbatim}\n\\cite{v1}\n\\end{verbatim}\n"
        "\\begin{lstlisting}\n\\cite{v2}\n\\end{lstlisting}\n\\begin{minted}{tex}\n\\cite{v3}\n"
        "\\end{minted}\n\\verb|\\cite{v4}| \\citet*[see][ch.~2]{b,\n  c}\n"
    )
    assert [(c.key, c.line) for c in cites(text)] == [("a", 1), ("b", 11), ("c", 12)]
    assert rewritten(text, {"a": "x", "v1": "y", "commented": "z"})[0] == text.replace(
        "\\cite{a}", "\\cite{x}", 1
    )
