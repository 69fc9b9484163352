"""Nothing lost: concurrent writers, SIGKILL at any moment, full and read-only disks, and a
corpus of hostile input that every command must handle or refuse with one clear error."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers import DATA
from tests.servers import FakeArxiv, Reply, entry_xml, feed
from vlabib import bib
from vlabib.listimport.markdown import parse_list
from vlabib.model import Paper
from vlabib.tex.read import latex_to_text

HOSTILE = DATA / "hostile"


def vlabib(survey: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "vlabib", "-C", str(survey), *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_concurrent_adds_all_land(survey: Path) -> None:
    ids = [f"2501.{n:05d}" for n in range(1, 5)]
    # Each fetch takes a while, so the four processes overlap and meet at the lock.
    with FakeArxiv({}, any_id=True, stall=0.5) as server:
        env = {"VLABIB_ARXIV_API": server.api}
        procs = [vlabib(survey, "add", i, "-c", "evaluation", env=env) for i in ids]
        results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], results
    keys = {p.key for p in bib.load(survey / "refs" / "papers.bib")}
    assert set(ids) <= keys
    assert len(keys) == 14


def big_bib(n: int) -> str:
    papers = [
        Paper(
            f"2401.{i:05d}",
            "misc",
            {
                "title": f"A Study of Things, Part {i}",
                "author": 'Li, Wei and M{\\"u}ller, Hans',
                "year": "2024",
                "month": "jan",
                "eprint": f"2401.{i:05d}",
                "archiveprefix": "arXiv",
                "url": f"https://arxiv.org/abs/2401.{i:05d}",
                "keywords": "evaluation",
            },
        )
        for i in range(n)
    ]
    return bib.write_string(papers)


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_the_old_or_the_new_bib(survey: Path) -> None:
    path = survey / "refs" / "papers.bib"
    old = big_bib(3000)
    path.write_text(old)
    with FakeArxiv({}, any_id=True) as server:
        env = {"VLABIB_ARXIV_API": server.api, "VLABIB_CACHE_DIR": str(survey / "cache")}
        start = time.monotonic()
        full = vlabib(survey, "add", "2501.00001", "-c", "evaluation", env=env)
        full.communicate(timeout=60)
        assert full.returncode == 0
        duration = time.monotonic() - start
        new = path.read_text()
        assert new != old
        rng = random.Random(1124)
        outcomes = {"old": 0, "new": 0}
        for _ in range(30):
            path.write_text(old)
            proc = vlabib(survey, "add", "2501.00001", "-c", "evaluation", env=env)
            time.sleep(rng.uniform(0, duration * 1.1))
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            text = path.read_text()
            assert text in (old, new), "a torn bib"
            outcomes["old" if text == old else "new"] += 1
    assert outcomes["old"] > 0  # some kills landed before the write


def in_private_mount(survey: Path, out: Path, setup: str, *args: str) -> tuple[int, str, bool]:
    """Run vlabib on a copy of *survey* inside a tmpfs in a private mount namespace
    (unshare: no effect outside it); *setup* fills or remounts it first."""
    script = f"""
set -e
mount -t tmpfs -o size=1m tmpfs "$MNT"
cp -a "$SRC/." "$MNT/"
sha256sum "$MNT/refs/papers.bib" > "$OUT/before"
{setup}
set +e
"$PY" -m vlabib -C "$MNT" {" ".join(args)} > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
sha256sum "$MNT/refs/papers.bib" > "$OUT/after"
"""
    mnt = out / "mnt"
    mnt.mkdir()
    env = {**os.environ, "MNT": str(mnt), "SRC": str(survey), "OUT": str(out), "PY": sys.executable}
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    rc = int((out / "rc").read_text())
    same = (out / "before").read_text() == (out / "after").read_text()
    return rc, (out / "stderr").read_text(), same


def messy(survey: Path) -> None:
    path = survey / "refs" / "papers.bib"
    path.write_text(path.read_text().replace("  title         =", "title="))


def test_full_disk_is_a_clear_error(survey: Path, tmp_path: Path) -> None:
    messy(survey)
    fill = 'dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null || true'
    rc, err, same = in_private_mount(survey, tmp_path, fill, "fmt")
    assert rc == 1
    assert err.startswith("Error: ")
    assert "No space left on device" in err, err
    assert len(err.splitlines()) == 1
    assert same


def test_read_only_directory_is_a_clear_error(survey: Path, tmp_path: Path) -> None:
    messy(survey)
    rc, err, same = in_private_mount(survey, tmp_path, 'mount -o remount,ro "$MNT"', "fmt")
    assert rc == 1
    assert err.startswith("Error: ")
    assert "Read-only file system" in err, err
    assert same


# -- hostile input -------------------------------------------------------------------------------

COMMANDS = [
    ["fmt", "--check"],
    ["fmt"],
    ["check"],
    ["list", "--json"],
    ["show", "2509.09372"],
    ["stats"],
    ["build"],
    ["add", "2509.09372", "-c", "evaluation"],
    ["update", "--dry-run"],
]
# Bibs no command can read: each refuses with exactly this first line, and writes nothing.
BROKEN = {
    "at-string.bib": "refs/papers.bib:1: @string ieee is not supported; write its value into "
    "each field",
    "case-twins.bib": "refs/papers.bib:11: entry CS/0112017 is not a valid arXiv ID (write "
    "cs/0112017)",
    "comment.bib": "refs/papers.bib:1: @comment is not kept by the canonical writer; remove it",
    "concatenation.bib": "refs/papers.bib:2: entry 2509.09372: field title: '#' concatenation "
    "is not supported; write the whole value in braces",
    "deep.bib": "refs/papers.bib:2: entry 2509.09372: field title: braces nest 300 deep (TeX "
    "stops at 255; keep it under 100)",
    "executable.bib": "refs/papers.bib:2: entry 2509.09372: field title: \\input is not allowed "
    "in a bibliography field (only accents, symbols, font commands and simple math are); write "
    "it as text: \\textbackslash{}input",
    "latin1.bib": "refs/papers.bib:2: not UTF-8 text; save the file as UTF-8",
    "unclosed.bib": "refs/papers.bib:12: '{' is never closed; add the missing '}'",
}
# Bibs that are odd but sound: what each command does with them.
NOT_BUILT = "README.md:5: the paper list has not been generated yet; run 'vlabib build'"
NOT_CANONICAL = "refs/papers.bib: not in canonical format; run 'vlabib fmt'"
NO_ARXIV = (
    "cannot reach arXiv at http://127.0.0.1:9/no-server-here: connection refused (check the "
    "network, or the endpoint's environment variable)"
)
SOUND = {"bom-crlf.bib", "cjk.bib", "empty.bib", "long.bib", "nested.bib", "quoted.bib"}


def sound_outcome(case: str, command: str) -> tuple[int, str]:
    """Exit code and first error line of *command* on the sound bib *case*."""
    if command == "fmt --check":
        return (1, NOT_CANONICAL) if case in ("bom-crlf.bib", "quoted.bib") else (0, "")
    if command == "check":
        return 1, NOT_BUILT
    if command.startswith("add") or (command.startswith("update") and case != "empty.bib"):
        return 1, NO_ARXIV
    if command.startswith("show") and case == "empty.bib":
        return 1, "2509.09372 is not in refs/papers.bib; add it with 'vlabib add 2509.09372'"
    return 0, ""


@pytest.mark.parametrize("case", sorted(p.name for p in HOSTILE.glob("*.bib")))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_hostile_bib_files(run: Run, survey: Path, case: str, command: list[str]) -> None:
    data = (HOSTILE / case).read_bytes()
    bibfile = survey / "refs" / "papers.bib"
    bibfile.write_bytes(data)
    result = run(*command)
    if case in BROKEN:
        code, first = 1, BROKEN[case]
    else:
        assert case in SOUND
        code, first = sound_outcome(case, " ".join(command))
    assert result.exit_code == code, result.output
    assert (result.stderr.splitlines() or [""])[0] == (f"Error: {first}" if first else "")
    if code == 1 or command[0] != "fmt":
        assert bibfile.read_bytes() == data


@pytest.mark.parametrize("case", sorted(SOUND))
def test_sound_bibs_format_once_and_build(run: Run, survey: Path, case: str) -> None:
    (survey / "refs" / "papers.bib").write_bytes((HOSTILE / case).read_bytes())
    assert run("fmt").exit_code == 0
    assert run("fmt", "--check").exit_code == 0
    assert run("build").exit_code == 0


TITLES = {
    "specials": "Costs & Benefits: 100% of #1 in a_b ~ ^ \\ { }",
    "unbalanced": "An {Unbalanced} Title with { Braces",
    "control": "Tabs\tand\nnewlines in a title",
    "rtl": "שלום Robots مرحبا",
    "emoji": "Robots 🤖 Are Here",
    "cjk": "机器人 Policies",
    "markdown": "**Bold** [link](http://evil.example) <script>alert(1)</script> | cell |",
    "write18": "\\write18{rm -rf /} and \\input{/etc/passwd}",
    "long": "Long " * 2000,
}


@pytest.mark.tex
@pytest.mark.parametrize("case", sorted(TITLES))
def test_hostile_titles_from_arxiv(
    run: Run, survey: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every title is kept exactly (what the PDF cannot print is noted), shown as text, and
    checks clean."""
    title = TITLES[case]
    with FakeArxiv({"2501.00001": entry_xml("2501.00001", title)}) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = run("add", "2501.00001", "-c", "evaluation")
    assert result.exit_code == 0, result.output
    assert result.stdout == "added 2501.00001\nadded 1, updated 0, unchanged 0\n"
    missing = {"emoji": "🤖", "rtl": "ש ל ו ם م ر ح ب ا"}.get(case)
    assert result.stderr == (
        f"2501.00001: title: {missing} shown in the README, left out of the PDF "
        "(pdflatex has no font for it)\n"
        if missing
        else ""
    )
    (paper,) = [p for p in bib.load(survey / "refs" / "papers.bib") if p.key == "2501.00001"]
    assert latex_to_text(paper.title) == " ".join(title.split())
    assert run("build").exit_code == 0
    check = run("check")
    assert check.exit_code == 0, check.stderr
    readme = parse_list((survey / "README.md").read_text())
    (item,) = [i for i in readme.items if i.arxiv_id == "2501.00001"]
    assert item.section == ("Awesome KV Cache Compression", "KV Cache Compression", "Evaluation")
    text = (survey / "README.md").read_text()
    assert "<script>" not in text
    assert "](http://evil" not in text


def test_feed_with_a_broken_body_is_refused(
    run: Run, survey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (survey / "refs" / "papers.bib").read_bytes()
    with FakeArxiv({}) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        server.script = [Reply(200, feed(["<entry><id>http://arxiv.org/abs/\x01</id></entry>"]))]
        result = run("add", "2501.00001", "-c", "evaluation")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: arXiv sent a malformed or truncated response (XML error at line 4); "
        "try again later\n"
    )
    assert (survey / "refs" / "papers.bib").read_bytes() == before
