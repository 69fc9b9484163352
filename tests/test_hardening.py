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

from tests.conftest import DATA, Run
from tests.servers import FakeArxiv, feed, made_up_entry
from vlabib import bib
from vlabib.model import Paper

HOSTILE = DATA / "hostile"


def vlabib(survey: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "vlabib", "-C", str(survey), *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_adds_all_land(survey: Path) -> None:
    ids = [f"2501.{n:05d}" for n in range(1, 5)]
    # Each fetch takes a while, so the four processes overlap and meet at the lock.
    with FakeArxiv({}, any_id=True, stall=0.5) as server:
        env = {"VLABIB_ARXIV_API": server.api}
        procs = [vlabib(survey, "add", i, "-c", "benchmarks", env=env) for i in ids]
        results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], results
    keys = {p.key for p in bib.load(survey / "refs" / "vla.bib")}
    assert set(ids) <= keys
    assert len(keys) == 36


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
                "keywords": "benchmarks",
            },
        )
        for i in range(n)
    ]
    return bib.write_string(papers)


def test_sigkill_at_any_moment_leaves_the_old_or_the_new_bib(survey: Path) -> None:
    path = survey / "refs" / "vla.bib"
    old = big_bib(3000)
    path.write_text(old)
    with FakeArxiv({}, any_id=True) as server:
        env = {"VLABIB_ARXIV_API": server.api, "VLABIB_CACHE_DIR": str(survey / "cache")}
        start = time.monotonic()
        full = vlabib(survey, "add", "2501.00001", "-c", "benchmarks", env=env)
        full.communicate(timeout=60)
        assert full.returncode == 0
        duration = time.monotonic() - start
        new = path.read_text()
        assert new != old
        rng = random.Random(1124)
        outcomes = {"old": 0, "new": 0}
        for _ in range(30):
            path.write_text(old)
            proc = vlabib(survey, "add", "2501.00001", "-c", "benchmarks", env=env)
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
sha256sum "$MNT/refs/vla.bib" > "$OUT/before"
{setup}
set +e
"$PY" -m vlabib -C "$MNT" {" ".join(args)} > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
sha256sum "$MNT/refs/vla.bib" > "$OUT/after"
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
    path = survey / "refs" / "vla.bib"
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
    ["add", "2509.09372", "-c", "benchmarks"],
    ["update", "--dry-run"],
]


def assert_clean_outcome(result_code: int, stderr: str, output: str) -> None:
    assert result_code in (0, 1), (result_code, output, stderr)
    assert "Traceback" not in output + stderr
    assert "internal error" not in stderr, stderr
    if result_code == 1:
        assert stderr.strip(), "an error needs a message"
        lines = stderr.strip().splitlines()
        assert all(line.startswith(("Error: ", "Warning: ")) for line in lines), stderr
        assert any(line.startswith("Error: ") for line in lines), stderr


@pytest.mark.parametrize("case", sorted(p.name for p in HOSTILE.glob("*.bib")))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_hostile_bib_files(run: Run, survey: Path, case: str, command: list[str]) -> None:
    data = (HOSTILE / case).read_bytes()
    (survey / "refs" / "vla.bib").write_bytes(data)
    result = run(*command)
    assert_clean_outcome(result.exit_code, result.stderr, result.output)
    if result.exit_code == 1 and command[0] != "fmt":
        assert (survey / "refs" / "vla.bib").read_bytes() == data


EXPECTED = {
    "at-string.bib": "@string ieee is not supported",
    "concatenation.bib": "'#' concatenation is not supported",
    "comment.bib": "@comment is not kept",
    "case-twins.bib": "entry CS/0112017 is not a valid arXiv ID (write cs/0112017)",
    "unclosed.bib": "'{' is never closed",
    "latin1.bib": "not UTF-8",
    "executable.bib": "\\input is not allowed in a bibliography field",
}


@pytest.mark.parametrize(("case", "message"), sorted(EXPECTED.items()))
def test_hostile_bib_errors_say_what(run: Run, survey: Path, case: str, message: str) -> None:
    (survey / "refs" / "vla.bib").write_bytes((HOSTILE / case).read_bytes())
    result = run("check")
    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.parametrize(
    "case",
    ["bom-crlf.bib", "quoted.bib", "nested.bib", "empty.bib", "long.bib", "deep.bib", "cjk.bib"],
)
def test_hostile_bib_files_that_are_fine(run: Run, survey: Path, case: str) -> None:
    (survey / "refs" / "vla.bib").write_bytes((HOSTILE / case).read_bytes())
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


@pytest.mark.parametrize("case", sorted(TITLES))
def test_hostile_titles_from_arxiv(
    run: Run, survey: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xml.sax.saxutils import escape

    title = TITLES[case]
    entry = made_up_entry("2501.00001").replace(
        "<title>Paper 2501.00001</title>", f"<title>{escape(title)}</title>"
    )
    before = (survey / "refs" / "vla.bib").read_bytes()
    with FakeArxiv({"2501.00001": entry}) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = run("add", "2501.00001", "-c", "benchmarks")
    assert_clean_outcome(result.exit_code, result.stderr, result.output)
    if result.exit_code == 1:
        assert "2501.00001: title:" in result.stderr
        assert (survey / "refs" / "vla.bib").read_bytes() == before
        return
    assert run("build").exit_code == 0
    check = run("check")
    assert check.exit_code == 0, check.stderr
    readme = (survey / "README.md").read_text()
    assert "<script>" not in readme
    assert "](http://evil" not in readme


def test_feed_with_a_broken_body_is_refused(
    run: Run, survey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeArxiv({}) as server:
        server.script = []
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        from tests.servers import Reply

        server.script = [Reply(200, feed(["<entry><id>http://arxiv.org/abs/\x01</id></entry>"]))]
        result = run("add", "2501.00001", "-c", "benchmarks")
    assert_clean_outcome(result.exit_code, result.stderr, result.output)
    assert result.exit_code == 1
