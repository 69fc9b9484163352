"""Regression tests for the faults an attack round found: each one reproduced, each outcome
asserted exactly (stdout, stderr, exit status, and what is on disk)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import Run, runner
from tests.helpers import snapshot
from tests.servers import FakeArxiv
from vlabib import bib
from vlabib.errors import VlabibError

ATOMIC = "every file is either fully written or as it was"


def cli(
    survey: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stdout: int | None = subprocess.PIPE,
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "vlabib", "-C", str(survey), *args],
        env={**os.environ, **(env or {})},
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


# -- 1. a closed or full stdout after the work is done ------------------------------------


@pytest.mark.parametrize(
    ("args", "sink", "code", "stderr"),
    [
        (
            ["build"],
            "full",
            1,
            f"Error: cannot write to standard output (No space left on device); {ATOMIC}\n",
        ),
        (
            ["fmt"],
            "full",
            1,
            f"Error: cannot write to standard output (No space left on device); {ATOMIC}\n",
        ),
        (["list"], "closed", 0, ""),
        (["stats"], "closed", 0, ""),
        (["build"], "closed", 0, ""),
    ],
)
def test_a_report_that_cannot_be_printed_is_not_a_lost_command(
    survey: Path, args: list[str], sink: str, code: int, stderr: str
) -> None:
    if sink == "full":
        with open("/dev/full", "wb") as full:
            proc = cli(survey, *args, stdout=full.fileno())
            _, err = proc.communicate(timeout=60)
    else:
        read, write = os.pipe()
        os.close(read)  # the reader is gone (`| head -c 0`)
        proc = cli(survey, *args, stdout=write)
        os.close(write)
        _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err.decode()) == (code, stderr)
    if args == ["build"]:
        assert (survey / "latex" / "generated" / "taxonomy.tex").is_file()  # the work is done


def test_add_with_a_full_stdout_still_adds(survey: Path) -> None:
    with FakeArxiv({}, any_id=True) as server, open("/dev/full", "wb") as full:
        env = {"VLABIB_ARXIV_API": server.api, "VLABIB_ARXIV_DELAY": "0"}
        proc = cli(survey, "add", "2501.00001", "-c", "evaluation", env=env, stdout=full.fileno())
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.decode() == (
        f"Error: cannot write to standard output (No space left on device); {ATOMIC}\n"
    )
    assert "2501.00001" in {p.key for p in bib.load(survey / "refs" / "papers.bib")}


# -- 2. build writes all of its outputs or none ---------------------------------------------


def test_build_stages_every_output_before_replacing_any(
    built: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the second output is staged: nothing is replaced."""
    papers = built / "refs" / "papers.bib"
    papers.write_text(papers.read_text().replace("{ICLR 2025}", "{ICLR 2026}"))
    before = snapshot(built)
    from vlabib import files

    real = files._stage
    staged: list[Path] = []

    def stage(path: Path, text: bytes) -> str:
        if len(staged) == 1:
            raise VlabibError(f"{path}: cannot write: No space left on device")
        staged.append(path)
        return real(path, text)

    monkeypatch.setattr(files, "_stage", stage)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.endswith(": cannot write: No space left on device\n")
    assert snapshot(built) == before
    assert not [p for p in built.rglob("*.tmp")]  # the staged copies are gone too


# -- 3. symlinks written through, line endings kept ----------------------------------------


def test_a_symlinked_readme_and_bib_stay_links(survey: Path, run: Run) -> None:
    (survey / "docs").mkdir()
    (survey / "README.md").rename(survey / "docs" / "README.md")
    (survey / "README.md").symlink_to("docs/README.md")
    (survey / "refs" / "papers.bib").rename(survey / "refs" / "real.bib")
    (survey / "refs" / "papers.bib").symlink_to("real.bib")
    assert run("build").exit_code == 0
    assert (survey / "README.md").is_symlink()
    assert "vlabib:begin papers" in (survey / "docs" / "README.md").read_text()
    assert "SnapKV" in (survey / "docs" / "README.md").read_text()
    text = (survey / "refs" / "real.bib").read_text()
    (survey / "refs" / "real.bib").write_text(text.replace("  title", " title", 1))
    assert run("fmt").output == "refs/papers.bib: reformatted\n"
    assert (survey / "refs" / "papers.bib").is_symlink()
    assert (survey / "refs" / "real.bib").read_text() == text


def test_a_symlink_out_of_the_survey_is_not_written_through(
    survey: Path, run: Run, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text((survey / "README.md").read_text())
    (survey / "README.md").unlink()
    (survey / "README.md").symlink_to(outside)
    before = outside.read_text()
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: README.md: points outside the survey; vlabib reads and writes only files "
        f"inside {survey}\n"
    )
    assert outside.read_text() == before


def test_crlf_files_keep_crlf(built: Path, run: Run) -> None:
    readme = built / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"\n", b"\r\n"))
    papers = built / "refs" / "papers.bib"
    papers.write_bytes(papers.read_bytes().replace(b"\n", b"\r\n"))
    assert run("check").exit_code == 0  # CRLF is the same text
    papers.write_bytes(papers.read_bytes().replace(b"{ICLR 2025}", b"{ICLR 2026}"))
    assert run("build").exit_code == 0
    data = readme.read_bytes()
    assert b"ICLR" in data
    assert data.count(b"\n") == data.count(b"\r\n")  # every line, inside the region too
    assert run("check").exit_code == 0


# -- 4. markers count only as HTML comments of their own line -------------------------------


def test_markers_in_code_are_not_the_region(survey: Path, run: Run) -> None:
    readme = survey / "README.md"
    readme.write_text(
        "# KV\n\nTo add the list, write:\n\n```markdown\n<!-- vlabib:begin papers -->\n"
        "<!-- vlabib:end papers -->\n```\n\nor `<!-- vlabib:begin papers -->` inline.\n\n"
        "<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
    )
    assert run("build").exit_code == 0
    text = readme.read_text()
    head = text.split("or `")[0]
    assert head.endswith(
        "```markdown\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n```\n\n"
    )
    assert "## KV Cache Compression" in text.split("inline.")[1]


def test_markers_only_in_code_are_reported(survey: Path, run: Run) -> None:
    (survey / "README.md").write_text(
        "# KV\n\n```\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n```\n"
    )
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: README must hold the marker lines <!-- vlabib:begin papers --> and "
        "<!-- vlabib:end papers --> once each, where the paper list goes; line 4 is ignored "
        "(it is inside code)\n"
    )


# -- 5. clear errors where an internal error was -------------------------------------------

TAXONOMY_CASES = {
    "single-brackets": (
        'id = "r"\ntitle = "R"\n[node]\nid = "a"\ntitle = "A"\n',
        "Error: refs/taxonomy.toml: nodes are written [[node]] (a list of tables), not [node]\n",
    ),
    "parent-list": (
        'id = "r"\ntitle = "R"\n[[node]]\nid = "a"\ntitle = "A"\nparent = ["r"]\n',
        "Error: refs/taxonomy.toml:4: node a: parent must be one node id in quotes\n",
    ),
    "bom": ('\ufeffid = "r"\ntitle = "R"\n[[node]]\nid = "evaluation"\ntitle = "E"\n', ""),
    "toml-syntax": (
        'id = "r"\ntitle = "R"\n[[node]\n',
        "Error: refs/taxonomy.toml:3: not valid TOML: expected ']]' at the end of "
        "an array declaration\n",
    ),
    "deep": (
        'id = "r"\ntitle = "R"\n'
        + "".join(
            f'[[node]]\nid = "n{i}"\ntitle = "N{i}"\n' + (f'parent = "n{i - 1}"\n' if i else "")
            for i in range(1200)
        ),
        "Error: refs/taxonomy.toml:51: node n12 is 13 levels deep; a taxonomy may have at "
        "most 12 levels below its root\n",
    ),
}


@pytest.mark.parametrize("case", sorted(TAXONOMY_CASES))
def test_taxonomy_faults_are_one_clear_line(survey: Path, run: Run, case: str) -> None:
    text, stderr = TAXONOMY_CASES[case]
    (survey / "refs" / "taxonomy.toml").write_text(text, encoding="utf-8")
    result = run("list")
    assert result.stderr == stderr
    assert result.exit_code == (1 if stderr else 0)


@pytest.mark.parametrize(
    ("path", "data", "stderr"),
    [
        (
            "refs/taxonomy.toml",
            b'id = "r"\ntitle = "R\xff"\n',
            "Error: refs/taxonomy.toml:2: not UTF-8 text; save the file as UTF-8\n",
        ),
        (
            "README.md",
            b"# KV\n\xff\n",
            "Error: README.md:2: not UTF-8 text; save the file as UTF-8\n",
        ),
        (
            "vlabib.toml",
            b'bib = "refs/papers.bib"\n# \xff\n',
            "Error: vlabib.toml:2: not UTF-8 text; save the file as UTF-8\n",
        ),
    ],
)
def test_files_that_are_not_utf8(
    survey: Path, run: Run, path: str, data: bytes, stderr: str
) -> None:
    (survey / path).write_bytes(data)
    result = run("build")
    assert (result.exit_code, result.stderr) == (1, stderr)


def test_a_readme_that_is_a_folder(survey: Path, run: Run) -> None:
    (survey / "README.md").unlink()
    (survey / "README.md").mkdir()
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: README.md: not a regular file; the readme setting must name one\n",
    )


def test_deep_braces_in_a_title(survey: Path, run: Run) -> None:
    papers = survey / "refs" / "papers.bib"
    deep = "{" * 3000 + "x" + "}" * 3000
    papers.write_text(
        papers.read_text().replace("{Palu: Compressing", "{" + deep + " Palu: Compressing", 1)
    )
    for command in ("build", "check", "list", "fmt"):
        result = run(command)
        assert "internal error" not in result.stderr, command
        assert result.exit_code == 1, (command, result.stderr)
        assert (
            "field title: braces nest 3000 deep (TeX stops at 255; keep it under 100)"
            in result.stderr
        ), command


@pytest.mark.parametrize(
    ("name", "value", "stderr"),
    [
        (
            "VLABIB_ARXIV_TIMEOUT",
            "-1",
            "Error: VLABIB_ARXIV_TIMEOUT='-1' is not a number of seconds (more than 0)\n",
        ),
        (
            "VLABIB_ARXIV_TIMEOUT",
            "nan",
            "Error: VLABIB_ARXIV_TIMEOUT='nan' is not a number of seconds (more than 0)\n",
        ),
        (
            "VLABIB_ARXIV_DELAY",
            "inf",
            "Error: VLABIB_ARXIV_DELAY='inf' is not a number of seconds (0 or more)\n",
        ),
        (
            "VLABIB_ARXIV_API",
            "not a url",
            "Error: VLABIB_ARXIV_API='not a url' is not an "
            "http(s) URL; unset it to use "
            "https://export.arxiv.org/api/query\n",
        ),
        (
            "VLABIB_ARXIV_API",
            "file:///etc/passwd",
            "Error: VLABIB_ARXIV_API='file:///etc/passwd' "
            "is not an http(s) URL; unset it to use "
            "https://export.arxiv.org/api/query\n",
        ),
    ],
)
def test_bad_environment_values(
    run: Run, monkeypatch: pytest.MonkeyPatch, name: str, value: str, stderr: str
) -> None:
    monkeypatch.setenv(name, value)
    result = run("add", "2501.00001", "-c", "evaluation")
    assert (result.exit_code, result.stderr) == (1, stderr)


# -- 6. bounded answers: size and time -----------------------------------------------------


class Hostile(BaseHTTPRequestHandler):
    """A server that trickles, floods, loops or redirects off the web."""

    mode = ""

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()  # vlabib may hang up, as it should

    def _answer(self) -> None:
        if self.mode == "trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(600):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.01)
        elif self.mode == "flood":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * (1 << 20)
            for _ in range(80):
                self.wfile.write(chunk)
        elif self.mode == "loop":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.end_headers()
        elif self.mode == "ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/feed")
            self.end_headers()

    def do_POST(self) -> None:  # arXiv's client posts its query
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile() -> object:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mode", "stderr"),
    [
        (
            "trickle",
            "Error: arXiv did not finish answering within 2 s (1 attempt); try again later\n",
        ),
        (
            "flood",
            "Error: arXiv sent more than 64 MiB; vlabib reads no answer that large (check "
            "the endpoint)\n",
        ),
        (
            "loop",
            "Error: arXiv redirected {url} in a loop (or more than 5 times); check the "
            "endpoint's environment variable\n",
        ),
        (
            "ftp",
            "Error: {url} redirects to ftp://127.0.0.1/feed, which is not an http(s) URL; "
            "vlabib does not follow it\n",
        ),
    ],
)
def test_hostile_servers(
    run: Run,
    survey: Path,
    hostile: ThreadingHTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    stderr: str,
) -> None:
    Hostile.mode = mode
    api = f"http://127.0.0.1:{hostile.server_address[1]}/api/query"
    monkeypatch.setenv("VLABIB_ARXIV_API", api)
    monkeypatch.setenv("VLABIB_ARXIV_TIMEOUT", "0.5")
    from vlabib.remote import http as web

    # One attempt with a two-second deadline, so that the trickle ends quickly.
    def fixed(value: float) -> property:
        return property(lambda _: value, lambda *_: None)

    monkeypatch.setattr(web.Http, "deadline", fixed(2.0), raising=False)
    monkeypatch.setattr(web.Http, "attempts", fixed(1), raising=False)
    before = snapshot(survey)
    result = run("add", "2501.00001", "-c", "evaluation")
    assert result.exit_code == 1
    assert result.stderr == stderr.format(url=api)
    assert snapshot(survey) == before


# -- 7. taxonomies that must still render --------------------------------------------------


def test_deep_nodes_are_bold_lines_with_anchors(survey: Path, run: Run) -> None:
    lines = ['id = "r"', 'title = "R"']
    for i in range(7):
        lines += ["[[node]]", f'id = "level-{i}"', f'title = "Level {i}"']
        lines += [f'parent = "level-{i - 1}"'] if i else []
    (survey / "refs" / "taxonomy.toml").write_text("\n".join(lines) + "\n")
    papers = survey / "refs" / "papers.bib"
    import re

    papers.write_text(
        re.sub(r"keywords      = \{[^}]*\}", "keywords      = {level-6}", papers.read_text())
    )
    assert run("build").exit_code == 0
    readme = (survey / "README.md").read_text()
    assert "###### Level 3\n" in readme
    assert '<a id="level-4"></a>**Level 4**\n' in readme
    assert "  - [Level 5](#level-5)" in readme
    assert "#######" not in readme


def test_a_thousand_leaves_make_a_brief_figure(tmp_path: Path) -> None:
    root = tmp_path / "wide"
    (root / "refs").mkdir(parents=True)
    lines = ['id = "root"', 'title = "Root"', "[[node]]", 'id = "area"', 'title = "Area"']
    for i in range(1000):
        lines += ["[[node]]", f'id = "leaf-{i}"', f'title = "Leaf {i}"', 'parent = "area"']
    (root / "refs" / "taxonomy.toml").write_text("\n".join(lines) + "\n")
    from vlabib.model import Paper

    papers = [
        Paper(
            f"2401.{i:05d}",
            "misc",
            {
                "title": f"Paper {i}",
                "author": "Li, Wei",
                "year": "2024",
                "eprint": f"2401.{i:05d}",
                "archiveprefix": "arXiv",
                "url": f"https://arxiv.org/abs/2401.{i:05d}",
                "keywords": f"leaf-{i}",
            },
        )
        for i in range(1000)
    ]
    (root / "refs" / "papers.bib").write_text(bib.write_string(papers))
    (root / "README.md").write_text(
        "# W\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
    )
    (root / "vlabib.toml").write_text('bib = "refs/papers.bib"\n')
    assert runner(root)("build").exit_code == 0
    figure = (root / "latex" / "generated" / "taxonomy.tex").read_text()
    assert figure.count("\\begin{figure*}") == 1
    assert "Taxonomy of Root in brief: its areas and the leaves under each" in figure
    assert "and 9" in figure  # "…, and 9NN more"


# -- 8. leftovers and small lies -----------------------------------------------------------


def test_a_killed_write_leaves_no_temporary_behind(survey: Path, run: Run) -> None:
    leftover = survey / "refs" / ".papers.bib.abc123.tmp"
    leftover.write_text("half a bib")
    with FakeArxiv({}, any_id=True) as server:
        env = {"VLABIB_ARXIV_API": server.api, "VLABIB_ARXIV_DELAY": "0"}
        proc = cli(survey, "add", "2501.00001", "-c", "evaluation", env=env)
        proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert not leftover.exists()


def test_fmt_check_on_a_read_only_folder(survey: Path, run: Run) -> None:
    refs = survey / "refs"
    refs.chmod(0o555)
    try:
        result = run("fmt", "--check")
    finally:
        refs.chmod(0o755)
    assert (result.exit_code, result.stdout) == (0, "refs/papers.bib: already canonical\n")
    assert not (refs / ".papers.bib.lock").exists()


def test_ctrl_c_is_an_error_line(survey: Path) -> None:
    with FakeArxiv({}, any_id=True, stall=5) as server:
        env = {"VLABIB_ARXIV_API": server.api, "VLABIB_ARXIV_DELAY": "0"}
        before = snapshot(survey)
        proc = cli(survey, "add", "2501.00001", "-c", "evaluation", env=env)
        deadline = time.monotonic() + 20
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err.decode()) == (130, f"Error: interrupted; {ATOMIC}\n")
    assert snapshot(survey) == before


def test_a_bib_that_would_not_read_back_is_told_by_entry(
    survey: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never a line number in a file that was never written."""
    from vlabib.bib import parse, store
    from vlabib.errors import BibError

    real = parse.parse_string
    before = snapshot(survey)

    def fussy(text: str, path: str = "refs/vla.bib") -> list[object]:
        if "2501.00001" in text:
            line = text.split("\n").index("  title         = {Paper 2501.00001},") + 1
            raise BibError(f"{path}:{line}: entry 2501.00001: field title: not allowed")
        return real(text, path)  # type: ignore[return-value]

    monkeypatch.setattr(store, "parse_string", fussy)
    with FakeArxiv({}, any_id=True) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = run("add", "2501.00001", "-c", "evaluation")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: entry 2501.00001: field title: not allowed\n"
        "Error: nothing was written to refs/papers.bib: vlabib would not be able to read it "
        "back; please report this with the command you ran\n"
    )
    assert snapshot(survey) == before


def test_what_a_killed_build_left_is_named_then_removed(built: Path, run: Run) -> None:
    """A SIGKILL between staging and renaming leaves '.README.md.*.tmp': check names it,
    the next build removes it (once it is old enough to be no write in flight)."""
    left = built / ".README.md.k1ll3d.tmp"
    left.write_text("half a README")
    os.utime(left, (time.time() - 3600, time.time() - 3600))
    fresh = built / "latex" / "generated" / ".body.tex.inflight.tmp"
    fresh.write_text("another build, writing now")
    check = run("check")
    assert (
        "Warning: .README.md.k1ll3d.tmp: a temporary file an interrupted write of README.md "
        "left; 'vlabib build' removes it"
    ) in check.output
    assert run("build").exit_code == 0
    assert not left.exists()
    assert fresh.exists()  # too young to be anyone's leftover


def test_deep_font_commands_in_a_title(survey: Path, run: Run) -> None:
    papers = survey / "refs" / "papers.bib"
    deep = "\\textbf{" * 300 + "x" + "}" * 300
    papers.write_text(papers.read_text().replace("{Palu: Compressing", "{" + deep + " Palu:", 1))
    for command in ("build", "check", "list", "show 2407.21118"):
        result = run(*command.split())
        assert "internal error" not in result.stderr, command
        assert result.exit_code == 1, (command, result.stderr)
        assert (
            "refs/papers.bib:92: entry 2407.21118: field title: braces nest 300 deep"
            in result.stderr
        ), command


@pytest.mark.parametrize("case", ["latin1", "folder", "fifo", "dev-zero", "outside"])
def test_a_planted_discover_ignore_list_is_read_like_every_input(
    survey: Path, run: Run, tmp_path: Path, case: str
) -> None:
    """refs/discover-ignore.txt is committed, so a pull request can plant anything there:
    one clear error, never a hang, never a read outside the survey, nothing written."""
    path = survey / "refs" / "discover-ignore.txt"
    outside = tmp_path / "secret.txt"
    outside.write_text("2601.00009\n")
    if case == "latin1":
        path.write_bytes("# caf\xe9\n".encode("latin-1"))
    elif case == "folder":
        path.mkdir()
    elif case == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero" if case == "dev-zero" else outside)
    before = (survey / "refs" / "papers.bib").read_bytes()
    result = run("discover", "--dismiss", "2601.00003")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: refs/discover-ignore.txt"), result.stderr
    assert "internal error" not in result.stderr
    assert (survey / "refs" / "papers.bib").read_bytes() == before
    assert outside.read_text() == "2601.00009\n"
