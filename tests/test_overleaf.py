"""``vlabib overleaf``: a bare repository on disk stands in for the Overleaf project, and
one test goes through ``git http-backend`` behind a loopback server that demands the token."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.servers import FakeArxiv, GitHttp


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Co Author",
        "GIT_AUTHOR_EMAIL": "co@example.org",
        "GIT_COMMITTER_NAME": "Co Author",
        "GIT_COMMITTER_EMAIL": "co@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def remote(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Overleaf project (a bare repository with branch master), and a built survey."""
    bare = tmp_path / "overleaf.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "master", str(bare)], check=True)
    monkeypatch.setenv("VLABIB_OVERLEAF_URL", str(bare))
    return bare


class CoAuthor:
    """A co-author's clone of the Overleaf project."""

    def __init__(self, remote: Path, folder: Path) -> None:
        subprocess.run(["git", "clone", "--quiet", str(remote), str(folder)], check=True)
        self.folder = folder

    def edit(self, path: str, old: str, new: str) -> None:
        git(self.folder, "pull", "--quiet")
        target = self.folder / path
        text = target.read_text()
        assert old in text
        target.write_text(text.replace(old, new, 1))
        git(self.folder, "commit", "--quiet", "-am", f"Edit {path}")
        git(self.folder, "push", "--quiet", "origin", "HEAD:master")


@pytest.fixture
def coauthor(remote: Path, tmp_path: Path) -> CoAuthor:
    return CoAuthor(remote, tmp_path / "coauthor")


def remote_log(remote: Path) -> list[str]:
    return git(remote, "log", "--format=%s", "master").splitlines()


def remote_file(remote: Path, path: str) -> str:
    return git(remote, "show", f"master:{path}")


def test_first_push_to_an_empty_project(run: Run, survey: Path, remote: Path) -> None:
    result = run("overleaf", "push")
    assert result.exit_code == 0, result.output
    assert "pushed latex/main.tex" in result.output
    assert remote_log(remote) == ["vlabib: first sync, 16 files"]
    files = git(remote, "ls-tree", "-r", "--name-only", "master").split()
    generated = ["body", "cites", "table-evaluation", "table-methods", "table-surveys",
                 "taxonomy"]  # fmt: skip
    prose = ["evaluation", "low-rank", "merging", "methods", "prompt-compression",
             "quantization", "surveys", "token-eviction"]  # fmt: skip
    assert files == sorted(
        ["main.tex", "generated/references.bib"]
        + [f"generated/{name}.tex" for name in generated]
        + [f"sections/{name}.tex" for name in prose]
    )
    assert remote_file(remote, "main.tex") == (survey / "latex" / "main.tex").read_text()


def test_noop_push(run: Run, remote: Path) -> None:
    assert run("overleaf", "push").exit_code == 0
    again = run("overleaf", "push")
    assert again.exit_code == 0
    assert again.output == "Overleaf is up to date\n"
    assert len(remote_log(remote)) == 1


def test_push_after_add_sends_only_what_changed(
    run: Run, survey: Path, remote: Path, arxiv: FakeArxiv
) -> None:
    assert run("overleaf", "push").exit_code == 0
    assert run("add", "1605.08386", "-c", "merging").exit_code == 0
    assert run("build").exit_code == 0
    result = run("overleaf", "push")
    assert result.exit_code == 0, result.output
    assert remote_log(remote)[0] == "vlabib: 1 paper added; figure, tables and cite lists updated"
    changed = git(remote, "show", "--name-only", "--format=", "master").split()
    assert changed == [
        "generated/cites.tex",
        "generated/references.bib",
        "generated/table-methods.tex",
        "generated/taxonomy.tex",
    ]


def test_pull_brings_a_coauthors_prose_and_check_sees_their_cites(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit(
        "main.tex",
        "\\placeholder{Conclusion and future directions.}",
        "Efficiency is the bottleneck~\\cite{9999.99999}.",
    )
    status = run("overleaf", "status")
    assert "overleaf  modified  main.tex" in status.output
    result = run("overleaf", "pull")
    assert result.exit_code == 0, result.output
    assert "pulled latex/main.tex" in result.output
    assert "\\cite{9999.99999}: 9999.99999 is not in the bib" in result.output
    assert "Efficiency is the bottleneck" in (survey / "latex" / "main.tex").read_text()
    check = run("check")
    assert check.exit_code == 1
    assert "latex/main.tex:" in check.stderr
    assert run("overleaf", "pull").output == "up to date with Overleaf\n"
    assert run("overleaf", "status").output == "in sync with Overleaf\n"


def test_edits_on_both_sides_are_merged(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Robots need speed.")
    main = survey / "latex" / "main.tex"
    main.write_text(
        main.read_text().replace("\\placeholder{Conclusion and future directions.}", "In sum.")
    )
    result = run("overleaf", "push")
    assert result.exit_code == 0, result.output
    assert "pulled latex/main.tex" in result.output
    merged = remote_file(remote, "main.tex")
    assert "Robots need speed." in merged
    assert "In sum." in merged
    assert main.read_text() == merged


def test_overleaf_edit_of_a_generated_file_is_refused(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("generated/taxonomy.tex", "SnapKV~", "SnapKV (edited on Overleaf)~")
    remote_before = git(remote, "rev-parse", "master")
    local_before = {p: p.read_bytes() for p in (survey / "latex").rglob("*") if p.is_file()}
    for command in ("pull", "push"):
        result = run("overleaf", command)
        assert result.exit_code == 1
        assert (
            "Error: Overleaf and this checkout disagree; nothing was changed on either side:"
            in result.stderr
        )
        assert (
            "Error: generated/taxonomy.tex (generated by vlabib, edited on Overleaf)"
            in result.stderr
        )
        assert git(remote, "rev-parse", "master") == remote_before
        assert {
            p: p.read_bytes() for p in (survey / "latex").rglob("*") if p.is_file()
        } == local_before
    assert "conflict  generated/taxonomy.tex" in run("overleaf", "status").output


def test_conflicting_prose_is_refused(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Theirs.")
    main = survey / "latex" / "main.tex"
    main.write_text(main.read_text().replace("\\placeholder{Introduction.}", "Ours."))
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert "main.tex (edited here and on Overleaf)" in result.stderr
    assert "Ours." in main.read_text()
    assert "Theirs." in remote_file(remote, "main.tex")


def test_symlinks_are_sent_as_contents_and_limits_are_checked(
    run: Run, survey: Path, remote: Path, tmp_path: Path
) -> None:
    figure = survey / "figures-src" / "figure.tex"
    figure.parent.mkdir()
    figure.write_text("% a figure kept elsewhere\n")
    (survey / "latex" / "figure.tex").symlink_to(figure)
    assert run("overleaf", "push").exit_code == 0
    assert git(remote, "ls-tree", "master", "figure.tex").split()[0] == "100644"  # a file
    assert remote_file(remote, "figure.tex") == "% a figure kept elsewhere\n"

    big = survey / "latex" / "data.bin"
    with big.open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    (survey / "latex" / "what?.tex").write_text("x")
    (survey / "latex" / "dir-link").symlink_to(tmp_path)
    (tmp_path / "secret.txt").write_text("not for Overleaf")
    (survey / "latex" / "outside.tex").symlink_to(tmp_path / "secret.txt")
    before = remote_log(remote)
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert "Error: cannot push to Overleaf:" in result.stderr
    assert "data.bin: 51 MiB, over Overleaf's 50 MiB a file" in result.stderr
    assert "what?.tex: Overleaf cannot hold this file name" in result.stderr
    assert "dir-link: a symlink to a directory or to nothing" in result.stderr
    assert "outside.tex: a symlink to a file outside the survey" in result.stderr
    assert remote_log(remote) == before


def test_missing_url_and_credentials_in_url(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VLABIB_OVERLEAF_URL", raising=False)
    assert "no Overleaf project: set VLABIB_OVERLEAF_URL" in run("overleaf", "status").stderr
    monkeypatch.setenv("VLABIB_OVERLEAF_URL", "https://git:secret@git.overleaf.com/abc")
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert "must not hold credentials; put the token in OVERLEAF_TOKEN" in result.stderr
    assert "secret" not in result.output


# -- over HTTP, with a token ------------------------------------------------------------------

TOKEN = "olp_s3cr3t-T0KEN-4242"


@pytest.fixture
def http_remote(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHttp]:
    root = tmp_path / "served"
    root.mkdir()
    subprocess.run(
        ["git", "init", "--quiet", "--bare", "-b", "master", str(root / "p.git")], check=True
    )
    with GitHttp(root, TOKEN) as server:
        monkeypatch.setenv("VLABIB_OVERLEAF_URL", server.url + "/p.git")
        # A user-level credential helper that would store what it is given, as many set up.
        home = tmp_path / "home"
        home.mkdir()
        monkeypatch.setenv("HOME", str(home))
        (home / ".gitconfig").write_text(
            f"[credential]\n\thelper = store --file {home / 'stored-credentials'}\n"
        )
        yield server


def test_token_over_http_works_and_is_never_written_or_shown(
    run: Run, survey: Path, tmp_path: Path, http_remote: GitHttp, monkeypatch: pytest.MonkeyPatch
) -> None:
    argvs: list[list[str]] = []
    real_run = subprocess.run

    def spy(args: list[str], *a: object, **kw: object) -> subprocess.CompletedProcess[bytes]:
        argvs.append(list(args))
        return real_run(args, *a, **kw)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr("vlabib.bridge.subprocess.run", spy)

    monkeypatch.delenv("OVERLEAF_TOKEN", raising=False)
    denied = run("overleaf", "push")
    assert denied.exit_code == 1
    assert "cannot fetch from Overleaf" in denied.stderr
    assert http_remote.refused >= 1

    monkeypatch.setenv("OVERLEAF_TOKEN", "wrong-token")
    wrong = run("overleaf", "push")
    assert wrong.exit_code == 1
    assert "wrong-token" not in wrong.output + wrong.stderr

    monkeypatch.setenv("OVERLEAF_TOKEN", TOKEN)
    result = run("overleaf", "push")
    assert result.exit_code == 0, result.output
    assert "vlabib: first sync" in result.output
    served = tmp_path / "served" / "p.git"
    assert git(served, "log", "--format=%s", "master").strip() == "vlabib: first sync, 16 files"
    assert run("overleaf", "status").output == "in sync with Overleaf\n"

    outputs = result.output + result.stderr + denied.output + wrong.output
    assert TOKEN not in outputs
    assert not any(TOKEN in arg for argv in argvs for arg in argv)
    for folder in (survey, tmp_path / "home", tmp_path / "cache"):
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                assert TOKEN.encode() not in path.read_bytes(), path
    assert not (tmp_path / "home" / "stored-credentials").exists()


def test_pull_brings_new_sections_and_binary_figures(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    git(coauthor.folder, "pull", "--quiet")
    figure = bytes(range(256)) * 4  # not UTF-8
    (coauthor.folder / "figures").mkdir()
    (coauthor.folder / "figures" / "robot.png").write_bytes(figure)
    (coauthor.folder / "sections").mkdir(exist_ok=True)  # vlabib's prose stubs are there
    (coauthor.folder / "sections" / "related.tex").write_text("\\section{Related work}\n")
    git(coauthor.folder, "add", ".")
    git(coauthor.folder, "commit", "--quiet", "-m", "Figure and section")
    git(coauthor.folder, "push", "--quiet", "origin", "HEAD:master")
    result = run("overleaf", "pull")
    assert result.exit_code == 0, result.output
    assert (survey / "latex" / "figures" / "robot.png").read_bytes() == figure
    assert (
        survey / "latex" / "sections" / "related.tex"
    ).read_text() == "\\section{Related work}\n"
    assert run("overleaf", "push").output == "Overleaf is up to date\n"
