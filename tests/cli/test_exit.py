"""The program ends without taking its objects apart one by one (vlabib.cli.app.run): what
it printed arrives whole, its exit code is the command's, a reader that stops early is no
error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import DATA

VLABIB = [sys.executable, "-m", "vlabib"]


def test_output_and_exit_code_arrive_whole(built: Path) -> None:
    listed = subprocess.run([*VLABIB, "list"], cwd=built, capture_output=True, text=True)
    assert listed.returncode == 0
    assert len(listed.stdout.splitlines()) == 11  # the fixture's ten papers, every line
    assert listed.stdout.endswith("\n10 papers\n")
    (built / "refs" / "papers.bib").write_text("@misc{x,\n  title = {A}\n")
    failed = subprocess.run([*VLABIB, "check"], cwd=built, capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: refs/papers.bib:1:")
    usage = subprocess.run([*VLABIB, "nosuch"], cwd=built, capture_output=True, text=True)
    assert usage.returncode == 2
    assert "No such command 'nosuch'" in usage.stderr


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """As ``vlabib list | head -1`` when head has gone: the write fails, quietly."""
    survey = tmp_path / "vla107"
    shutil.copytree(DATA / "vla107", survey)
    listing = subprocess.Popen(
        [*VLABIB, "list"], cwd=survey, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert listing.stdout is not None
    assert listing.stderr is not None
    listing.stdout.close()  # no reader: every write to the pipe fails
    error = listing.stderr.read()
    listing.stderr.close()
    assert listing.wait() == 0
    assert error == b""
