"""``vlabib overleaf``: a bare repository on disk stands in for the Overleaf project, and
one test goes through ``git http-backend`` behind a loopback server that demands the token."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run, runner
from tests.helpers import git
from tests.servers import FakeArxiv, GitHttp


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
    assert remote_log(remote) == ["vlabib: first sync, 18 files"]
    files = git(remote, "ls-tree", "-r", "--name-only", "master").split()
    generated = [
        "appendix",
        "body",
        "cites",
        "table-evaluation",
        "table-methods",
        "table-surveys",
        "taxonomy",
    ]
    prose = [
        "evaluation",
        "low-rank",
        "merging",
        "methods",
        "prompt-compression",
        "quantization",
        "surveys",
        "token-eviction",
    ]
    assert files == sorted(
        ["main.tex", "generated/references.bib", "generated/vlabibnat.bst"]
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
    assert status.output == (
        "file      here      overleaf  pull / push\n"
        "main.tex  -         modified  pull: edited on Overleaf; push: -\n"
    )
    result = run("overleaf", "pull")
    assert result.exit_code == 0, result.output
    assert "pulled latex/main.tex (edited on Overleaf)" in result.output
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
    assert result.output == (
        "merged latex/main.tex\npushed latex/main.tex\nvlabib: main.tex updated\n"
    )
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
        assert result.stderr == (
            "Error: Overleaf and this checkout disagree; nothing was changed on either side:\n"
            "Error:   latex/generated/taxonomy.tex: generated by vlabib, edited on Overleaf\n"
            "Error: to put this checkout's version on Overleaf: vlabib overleaf push --ours "
            "latex/generated/taxonomy.tex\n"
        )
        assert git(remote, "rev-parse", "master") == remote_before
        assert {
            p: p.read_bytes() for p in (survey / "latex").rglob("*") if p.is_file()
        } == local_before
    assert run("overleaf", "status").output == (
        "file                    here      overleaf  pull / push\n"
        "generated/taxonomy.tex  -         modified  pull: conflict: generated by vlabib, "
        "edited on Overleaf; push: -\n"
    )
    # The user decides: vlabib's version goes back, the co-author's edit is gone (as told).
    result = run("overleaf", "push", "--ours", "latex/generated/taxonomy.tex")
    assert result.exit_code == 0, result.stderr
    assert "SnapKV (edited on Overleaf)" not in remote_file(remote, "generated/taxonomy.tex")
    assert run("overleaf", "status").output == "in sync with Overleaf\n"


def test_the_same_line_edited_on_both_sides_loses_neither_wording(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Theirs.")
    main = survey / "latex" / "main.tex"
    main.write_text(main.read_text().replace("\\placeholder{Introduction.}", "Ours."))
    before = remote_log(remote)
    # push changes nothing and says how to go on.
    pushed = run("overleaf", "push")
    assert pushed.exit_code == 1
    assert pushed.stderr == (
        "Error: Overleaf and this checkout disagree; nothing was changed on either side:\n"
        "Error:   latex/main.tex: edited here and on Overleaf, on the same lines (run 'vlabib "
        "overleaf pull' to get both wordings in the file)\n"
        "Error: to take Overleaf's version here: vlabib overleaf pull --theirs latex/main.tex\n"
        "Error: to put this checkout's version on Overleaf: vlabib overleaf push --ours "
        "latex/main.tex\n"
    )
    assert "Ours." in main.read_text()
    assert remote_log(remote) == before
    # pull writes both wordings between standard markers.
    pulled = run("overleaf", "pull")
    assert pulled.exit_code == 1
    assert pulled.stdout == "conflict in latex/main.tex\n"
    text = main.read_text()
    line = text.splitlines().index("<<<<<<< here") + 1
    assert pulled.stderr == (
        f"Error: latex/main.tex:{line}: edited here and on Overleaf; both wordings are between "
        "the <<<<<<< and >>>>>>> lines: keep the one you want, delete the marker lines, then "
        "push\n"
    )
    assert "<<<<<<< here\n" in text
    assert "Ours." in text
    assert "Theirs." in text
    assert "\n>>>>>>> overleaf\n" in text
    assert f"Error: latex/main.tex:{line}: an unresolved conflict" in run("check").stderr
    # push waits for the markers to go.
    waiting = run("overleaf", "push")
    assert waiting.exit_code == 1
    assert f"Error:   latex/main.tex:{line}: an unresolved conflict (<<<<<<<)" in waiting.stderr
    assert remote_log(remote) == before
    resolved = re.sub(r"<<<<<<< here\n(.*?)=======\n.*?>>>>>>> overleaf\n", r"\1", text, flags=re.S)
    main.write_text(resolved)
    done = run("overleaf", "push")
    assert done.exit_code == 0, done.stderr
    assert "Ours." in remote_file(remote, "main.tex")
    assert "Theirs." not in remote_file(remote, "main.tex")


@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_a_side_can_be_picked_per_file(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor, side: str
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Theirs.")
    main = survey / "latex" / "main.tex"
    main.write_text(main.read_text().replace("\\placeholder{Introduction.}", "Ours."))
    command = "push" if side == "ours" else "pull"
    result = run("overleaf", command, f"--{side}", "latex/main.tex")
    assert result.exit_code == 0, result.stderr
    if side == "theirs":
        assert result.output == "pulled latex/main.tex (Overleaf's version)\n"
    wanted = "Ours." if side == "ours" else "Theirs."
    assert wanted in main.read_text()
    assert run("overleaf", "push").exit_code == 0
    assert wanted in remote_file(remote, "main.tex")
    assert "<<<<<<<" not in remote_file(remote, "main.tex")
    assert run("overleaf", "status").output == "in sync with Overleaf\n"


OVERLEAF_TEMPLATE = """\\documentclass{article}
\\usepackage{graphicx} % Required for inserting images

\\title{Efficient VLA survey}
\\author{Ada Lovelace}
\\date{November 2026}

\\begin{document}

\\maketitle

\\section{Introduction}

\\end{document}
"""


def template_project(remote: Path, tmp_path: Path, main: str = OVERLEAF_TEMPLATE) -> None:
    """What Overleaf's "New Project > Blank Project" holds when first fetched."""
    work = tmp_path / "template"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(work)], check=True)
    (work / "main.tex").write_text(main)
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "Initial commit")
    git(work, "push", "--quiet", "origin", "HEAD:master")


def test_first_push_replaces_overleafs_untouched_template(
    run: Run, survey: Path, remote: Path, tmp_path: Path
) -> None:
    template_project(remote, tmp_path)
    result = run("overleaf", "push")
    assert result.exit_code == 0, result.stderr
    assert "replaced Overleaf's new-project template: main.tex" in result.output
    assert remote_log(remote)[0] == (
        "vlabib: first sync, 18 files (replacing Overleaf's new-project template)"
    )
    assert remote_file(remote, "main.tex") == (survey / "latex" / "main.tex").read_text()
    assert run("overleaf", "status").output == "in sync with Overleaf\n"


def test_first_push_into_a_project_with_writing_asks_which_side(
    run: Run, survey: Path, remote: Path, tmp_path: Path
) -> None:
    written = OVERLEAF_TEMPLATE.replace(
        "\\section{Introduction}", "\\section{Introduction}\nOur draft."
    )
    template_project(remote, tmp_path, written)
    before = (survey / "latex" / "main.tex").read_text()
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Overleaf and this checkout disagree; nothing was changed on either side:\n"
        "Error:   latex/main.tex: this is the first sync and it differs here and on Overleaf, "
        "with no common version\n"
        "Error: to take Overleaf's version here: vlabib overleaf pull --theirs latex/main.tex\n"
        "Error: to put this checkout's version on Overleaf: vlabib overleaf push --ours "
        "latex/main.tex\n"
    )
    assert (survey / "latex" / "main.tex").read_text() == before
    assert remote_file(remote, "main.tex") == written
    assert run("overleaf", "push", "--ours", "main.tex").exit_code == 0
    assert remote_file(remote, "main.tex") == before


def test_reset_then_push_keeps_the_coauthors_work(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    """The everyday accident: pull a co-author's files and paragraph, throw away the working
    copy (git checkout -- . && git clean -fd latex), push. Nothing on Overleaf is lost."""
    assert run("overleaf", "push").exit_code == 0
    git(coauthor.folder, "pull", "--quiet")
    (coauthor.folder / "extra.tex").write_text("Extra material.\n")
    (coauthor.folder / "figures").mkdir()
    (coauthor.folder / "figures" / "arch.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    git(coauthor.folder, "add", ".")
    git(coauthor.folder, "commit", "--quiet", "-m", "Update on Overleaf.")
    git(coauthor.folder, "push", "--quiet", "origin", "HEAD:master")
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Robots need speed.\nA lot.")
    latex = survey / "latex"
    before_pull = (latex / "main.tex").read_text()
    assert run("overleaf", "pull").exit_code == 0
    # The reset: back to what the repository had.
    (latex / "extra.tex").unlink()
    shutil.rmtree(latex / "figures")
    (latex / "main.tex").write_text(before_pull)
    log = remote_log(remote)
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: this push would undo work that came from Overleaf; nothing was changed on "
        "either side:\n"
        "Error:   latex/extra.tex: delete a file written on Overleaf\n"
        "Error:   latex/figures/arch.png: delete a file written on Overleaf\n"
        "Error:   latex/main.tex: take back 2 lines (35–36 there) written on Overleaf\n"
        "Error: to take Overleaf's version here: vlabib overleaf pull --theirs latex/extra.tex "
        "--theirs latex/figures/arch.png --theirs latex/main.tex\n"
        "Error: to put this checkout's version on Overleaf: vlabib overleaf push --ours "
        "latex/extra.tex --ours latex/figures/arch.png --ours latex/main.tex\n"
    )
    assert remote_log(remote) == log
    dry = run(
        "overleaf",
        "pull",
        "--dry-run",
        "--theirs",
        "latex/extra.tex",
        "--theirs",
        "latex/figures/arch.png",
        "--theirs",
        "latex/main.tex",
    )
    assert dry.output == (
        "would write latex/extra.tex (Overleaf's version)\n"
        "would write latex/figures/arch.png (Overleaf's version)\n"
        "would write latex/main.tex (Overleaf's version)\n"
        "dry run: nothing was changed\n"
    )
    assert not (latex / "extra.tex").exists()
    restore = run(
        "overleaf",
        "pull",
        "--theirs",
        "latex/extra.tex",
        "--theirs",
        "latex/figures/arch.png",
        "--theirs",
        "latex/main.tex",
    )
    assert restore.exit_code == 0, restore.stderr
    assert (latex / "extra.tex").read_text() == "Extra material.\n"
    assert "Robots need speed." in (latex / "main.tex").read_text()
    assert run("overleaf", "push").output == "Overleaf is up to date\n"


def test_a_paragraph_edited_here_on_purpose_is_pushed_with_ours(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Robots need speed.")
    assert run("overleaf", "pull").exit_code == 0
    main = survey / "latex" / "main.tex"
    main.write_text(main.read_text().replace("Robots need speed.", "Robots need more speed."))
    assert run("overleaf", "push").exit_code == 1  # a co-author's line: confirm first
    assert run("overleaf", "push", "--ours", "latex/main.tex").exit_code == 0
    assert "Robots need more speed." in remote_file(remote, "main.tex")
    # Lines vlabib sent are ours to change without asking.
    main.write_text(main.read_text().replace("\\placeholder{Conclusion", "\\placeholder{End"))
    assert run("overleaf", "push").exit_code == 0


def test_dry_run_push_shows_both_sides_and_changes_nothing(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Robots need speed.")
    prose = survey / "latex" / "sections" / "merging.tex"
    prose.write_text(prose.read_text() + "Merging is cheap.\n")
    log = remote_log(remote)
    local = {p: p.read_bytes() for p in (survey / "latex").rglob("*") if p.is_file()}
    result = run("overleaf", "push", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.output == (
        "would write latex/main.tex (edited on Overleaf)\n"
        "would update sections/merging.tex on Overleaf\n"
        "would commit: vlabib: sections/merging.tex updated\n"
        "dry run: nothing was changed\n"
    )
    assert remote_log(remote) == log
    assert {p: p.read_bytes() for p in (survey / "latex").rglob("*") if p.is_file()} == local


def test_a_second_maintainer_syncs_without_false_conflicts(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor, tmp_path: Path
) -> None:
    """A fresh clone of the repository: no .vlabib/ sync state, the same files."""
    assert run("overleaf", "push").exit_code == 0
    coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Robots need speed.")
    second = tmp_path / "second"
    shutil.copytree(survey, second, ignore=shutil.ignore_patterns(".vlabib"))
    other = runner(second)
    assert other("overleaf", "status").output == (
        "file      here      overleaf  pull / push\n"
        "main.tex  -         modified  pull: edited on Overleaf; push: -\n"
    )
    assert other("overleaf", "pull").exit_code == 0
    assert "Robots need speed." in (second / "latex" / "main.tex").read_text()
    prose = second / "latex" / "sections" / "surveys.tex"
    prose.write_text(prose.read_text() + "Two surveys came first.\n")
    result = other("overleaf", "push")
    assert result.exit_code == 0, result.stderr
    assert remote_log(remote)[0] == "vlabib: sections/surveys.tex updated"
    # And the first maintainer gets it back without a conflict either.
    assert run("overleaf", "pull").exit_code == 0
    assert "Two surveys came first." in (survey / "latex" / "sections" / "surveys.tex").read_text()


def test_a_deletion_on_overleaf_is_a_deletion(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    assert run("overleaf", "push").exit_code == 0
    git(coauthor.folder, "pull", "--quiet")
    git(coauthor.folder, "rm", "--quiet", "sections/low-rank.tex")
    git(coauthor.folder, "commit", "--quiet", "-m", "Remove a section")
    git(coauthor.folder, "push", "--quiet", "origin", "HEAD:master")
    status = run("overleaf", "status").output
    assert "sections/low-rank.tex  -         deleted   pull: deleted on Overleaf" in status
    result = run("overleaf", "pull")
    assert result.output == "deleted latex/sections/low-rank.tex (deleted on Overleaf)\n"
    assert not (survey / "latex" / "sections" / "low-rank.tex").exists()


def test_wrong_urls_say_what_to_do(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VLABIB_OVERLEAF_URL", str(tmp_path / "nothing.git"))
    assert run("build").exit_code == 0
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: there is no Overleaf project at {tmp_path / 'nothing.git'}: check "
        "VLABIB_OVERLEAF_URL (or overleaf = under [tool.vlabib]); it looks like "
        "https://git.overleaf.com/PROJECT_ID\n"
    )
    monkeypatch.setenv("VLABIB_OVERLEAF_URL", "http://127.0.0.1:9/project.git")
    result = run("overleaf", "pull")
    assert result.stderr == (
        "Error: cannot reach 127.0.0.1: check the network (and the URL "
        "http://127.0.0.1:9/project.git), then try again\n"
    )


def test_a_rejected_push_says_so_and_leaves_the_sync_state(
    run: Run, survey: Path, remote: Path
) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'Project is over its storage quota' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Overleaf refused the push; nothing was pushed: ")
    assert "storage quota" in result.stderr
    hook.unlink()
    again = run("overleaf", "push")
    assert again.exit_code == 0, again.stderr
    assert remote_log(remote) == ["vlabib: first sync, 18 files"]


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

    monkeypatch.setattr("vlabib.overleaf.bridge.subprocess.run", spy)

    monkeypatch.delenv("OVERLEAF_TOKEN", raising=False)
    denied = run("overleaf", "push")
    assert denied.exit_code == 1
    assert denied.stderr == (
        "Error: Overleaf asks for a token and none is set: put a git token from Overleaf "
        "(Account Settings, Git Integration) in OVERLEAF_TOKEN and try again\n"
    )
    assert http_remote.refused >= 1

    monkeypatch.setenv("OVERLEAF_TOKEN", "wrong-token")
    wrong = run("overleaf", "push")
    assert wrong.exit_code == 1
    assert wrong.stderr == (
        "Error: Overleaf refused the token in OVERLEAF_TOKEN: it is wrong or expired; make a "
        "new one in Overleaf's Account Settings (Git Integration) and try again\n"
    )
    assert "wrong-token" not in wrong.output + wrong.stderr

    monkeypatch.setenv("OVERLEAF_TOKEN", TOKEN)
    result = run("overleaf", "push")
    assert result.exit_code == 0, result.output
    assert "vlabib: first sync" in result.output
    served = tmp_path / "served" / "p.git"
    assert git(served, "log", "--format=%s", "master").strip() == "vlabib: first sync, 18 files"
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


def test_a_push_that_races_a_coauthor_is_rejected_cleanly(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overleaf moves between vlabib's fetch and its push (a non-fast-forward)."""
    assert run("overleaf", "push").exit_code == 0
    prose = survey / "latex" / "sections" / "merging.tex"
    prose.write_text(prose.read_text() + "Merging is cheap.\n")
    from vlabib.overleaf import bridge
    from vlabib.overleaf import session as overleaf

    def racing_fetch(git: bridge.Git, url: str) -> str | None:
        sha = bridge.fetch(git, url)
        coauthor.edit("main.tex", "\\placeholder{Introduction.}", "Typed meanwhile.")
        return sha

    monkeypatch.setattr(overleaf, "fetch", racing_fetch)
    result = run("overleaf", "push")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Overleaf changed while vlabib was pushing (a co-author is editing); nothing "
        "was pushed: run the push again\n"
    )
    monkeypatch.setattr(overleaf, "fetch", bridge.fetch)
    again = run("overleaf", "push")
    assert again.exit_code == 0, again.stderr
    assert "Typed meanwhile." in remote_file(remote, "main.tex")
    assert "Merging is cheap." in remote_file(remote, "sections/merging.tex")


@pytest.mark.tex
def test_a_coauthors_latexmkrc_is_named_and_never_run(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor, tmp_path: Path
) -> None:
    """A latexmkrc is Perl that latexmk runs: pull writes it (it is the co-authors') and
    says so, check names it, and the compile ignores it (latexmk -norc)."""
    canary = tmp_path / "canary"
    assert run("overleaf", "push").exit_code == 0
    git(coauthor.folder, "pull", "--quiet")
    perl = f'system("touch {canary}");\n'
    (coauthor.folder / "latexmkrc").write_text(perl)
    (coauthor.folder / ".latexmkrc").write_text(perl)
    (coauthor.folder / "Makefile").write_text(f"all:\n\ttouch {canary}\n")
    git(coauthor.folder, "add", ".")
    git(coauthor.folder, "commit", "--quiet", "-m", "Build settings")
    git(coauthor.folder, "push", "--quiet", "origin", "HEAD:master")
    result = run("overleaf", "pull")
    assert result.exit_code == 0, result.output
    for name, what in (
        ("latexmkrc", "a latexmk configuration (Perl that latexmk runs)"),
        (".latexmkrc", "a latexmk configuration (Perl that latexmk runs)"),
        ("Makefile", "a Makefile (commands that make runs)"),
    ):
        assert (
            f"latex/{name}: {what} came from Overleaf; vlabib never runs it (latexmk gets "
            "-norc); delete it unless you trust whoever wrote it"
        ) in result.stderr
        assert f"Warning: latex/{name}: {what}: vlabib never runs it" in run("check").output
    assert run("pdf").exit_code == 0
    assert not canary.exists()


def test_a_pull_takes_no_file_larger_than_overleaf_holds(
    run: Run, survey: Path, remote: Path, coauthor: CoAuthor
) -> None:
    """A 51 MiB file planted in the project is refused before it is read into memory, and
    nothing changes on either side."""
    assert run("overleaf", "push").exit_code == 0
    git(coauthor.folder, "pull", "--quiet")
    with (coauthor.folder / "huge.bin").open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    git(coauthor.folder, "add", ".")
    git(coauthor.folder, "commit", "--quiet", "-m", "Huge")
    git(coauthor.folder, "push", "--quiet", "origin", "HEAD:master")
    result = run("overleaf", "pull")
    assert result.exit_code == 1
    assert "'huge.bin': 51 MiB, over Overleaf's 50 MiB a file" in result.stderr
    assert not (survey / "latex" / "huge.bin").exists()
