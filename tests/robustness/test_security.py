"""Text from outside is data, never code: hostile titles, identifiers, bibs, taxonomies,
config paths and Overleaf trees. Every LaTeX claim is checked on a real compile, whose
``-recorder`` file lists each file TeX read and wrote."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, runner
from tests.helpers import git
from tests.servers import FakeArxiv, FakeDblp, FakeS2, entry_xml, survey_entries
from vlabib.overleaf.bridge import path_problem

SECRET = "CANARYSECRET4711"
# Where TeX Live's own files live on Debian: TeX may read these and nothing else outside
# the manuscript's folder.
TEX_TREES = ("/usr/share/texlive", "/usr/share/texmf", "/var/lib/texmf", "/etc/texmf")

PAYLOADS = [
    "Hat $x^^5cinput{CANARY}^^5cimmediate^^5copenout7=pwned^^5cimmediate^^5cwrite7{owned}"
    "^^5cimmediate^^5ccloseout7$ x",
    "$^^5cimmediate^^5copenout7=main^^5cimmediate^^5ccloseout7$ truncates",
    "\\inpu^^74{CANARY} reads",
    "^^5c^^69nput{CANARY} reads",
    "\\openin5=CANARY \\read5 to \\x leaks",
    "\\catcode`\\^=7 \\catcode`\\|=0 |input{CANARY}",
    "\\csname input\\endcsname{CANARY}",
    "\\DeclareRobustCommand\\cite[1]{pwned}",
    "\\end{document} ends early",
    "\\pdfobj stream file{CANARY} embeds",
    "\\pdffiledump length 16{CANARY} dumps",
    "\\IfFileExists{CANARY}{found}{absent}",
    "\\immediate\\write18{touch pwned18} runs",
    "$\\input{CANARY}$ in math",
    "$x \\immediate\\write18{touch pwned18}$ in math",
]
IDS = [f"2501.{10001 + n}" for n in range(len(PAYLOADS))]


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary.tex"
    path.write_text(SECRET + "\n")
    return path


def payloads(canary: Path) -> list[str]:
    return [p.replace("CANARY", str(canary)) for p in PAYLOADS]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded(latex: Path) -> tuple[set[Path], set[Path]]:
    """Files TeX read and wrote, from the ``-recorder`` file."""
    reads: set[Path] = set()
    writes: set[Path] = set()
    pwd = latex
    for line in (latex / "main.fls").read_text().splitlines():
        kind, _, name = line.partition(" ")
        if kind == "PWD":
            pwd = Path(name)
        elif kind in ("INPUT", "OUTPUT"):
            path = Path(os.path.normpath(pwd / name))
            (reads if kind == "INPUT" else writes).add(path)
    return reads, writes


def assert_confined(root: Path, canary: Path) -> None:
    """The compile read only the manuscript and TeX Live, and wrote only its own outputs."""
    latex = root / "latex"
    reads, writes = recorded(latex)
    assert reads, "no recorder file"
    outside = [p for p in reads if not p.is_relative_to(latex) and not str(p).startswith(TEX_TREES)]
    assert outside == []
    assert canary not in reads
    assert {p.name for p in writes} <= {"main.aux", "main.log", "main.out", "main.pdf"}
    assert all(p.parent == latex for p in writes)
    assert not list(root.parent.rglob("pwned*"))
    text = subprocess.run(
        ["pdftotext", str(latex / "main.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert SECRET not in text


def build_and_compile(run: Run, root: Path, canary: Path) -> None:
    """build, check and pdf as 'make tex' runs them; main.tex must come out intact."""
    assert run("build").exit_code == 0
    main = root / "latex" / "main.tex"
    before = sha(main)
    check = run("check")
    assert check.exit_code == 0, check.output
    result = run("pdf")
    assert result.exit_code == 0, result.output
    assert sha(main) == before
    assert_confined(root, canary)


def test_hostile_arxiv_titles_and_identifiers_are_added_as_text(
    survey: Path, canary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = runner(survey)
    entries = {i: entry_xml(i, t) for i, t in zip(IDS, payloads(canary), strict=True)}
    entries["2501.20001"] = entry_xml(
        "2501.20001",
        "Bad identifiers",
        doi=f"10.1000/x}}, note = {{^^5cinput{{{canary}}}",
        category=f"cs.RO}}, note={{\\input{{{canary}}}}}",
    )
    with FakeArxiv(entries) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = run("add", *entries, "-c", "evaluation")
    assert result.exit_code == 0, result.output
    assert "2501.20001: arXiv's DOI '10.1000/x}, note" in result.stderr
    assert "2501.20001: arXiv's category 'cs.RO}, note" in result.stderr
    assert "2501.10001: title: math that LaTeX may not run is kept as plain text" in result.stderr
    bib = (survey / "refs" / "papers.bib").read_text()
    assert "note" not in bib
    assert "^^" not in bib
    build_and_compile(run, survey, canary)


def test_hostile_titles_in_an_imported_list(survey: Path, canary: Path) -> None:
    run = runner(survey)
    items = "\n".join(
        f"- {title}. <ins>arXiv, 2025</ins> [[Paper](https://arxiv.org/abs/{ident})]"
        for ident, title in zip(IDS, payloads(canary), strict=True)
    )
    (survey / "list.md").write_text(f"# KV Cache Compression\n\n## Evaluation\n\n{items}\n")
    result = run("import", "--offline", str(survey / "list.md"))
    assert result.exit_code == 0, result.output
    assert f"added {len(IDS)}" in result.output
    # Offline entries have no authors: give them one so that check passes.
    bib = survey / "refs" / "papers.bib"
    bib.write_text(
        re.sub(
            r"(@misc\{2501\.1\d+,\n  title .*\n)", r"\1  author = {Doe, Jane},\n", bib.read_text()
        )
    )
    assert run("fmt").exit_code == 0
    build_and_compile(run, survey, canary)


def test_hostile_title_arriving_through_update(
    survey: Path, canary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = runner(survey)
    entries = survey_entries()
    entries["2404.14469"] = entry_xml("2404.14469", payloads(canary)[0])
    with FakeArxiv(entries) as server, FakeS2({}) as s2, FakeDblp({}, []) as dblp:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        monkeypatch.setenv("VLABIB_S2_API", s2.api)
        monkeypatch.setenv("VLABIB_DBLP_API", dblp.url)
        result = run("update")
    assert result.exit_code == 0, result.output
    assert "2404.14469: title changed" in result.output
    build_and_compile(run, survey, canary)


@pytest.mark.parametrize(
    ("field", "value", "construct"),
    [
        ("title", "^^5cinput{/etc/passwd}", "^^ (TeX character-code notation)"),
        ("title", "\\inpu^^74{/etc/passwd}", "^^ (TeX character-code notation)"),
        ("title", "\\input{/etc/passwd}", "\\input"),
        ("title", "\\openin5=x", "\\openin"),
        ("title", "\\read5 to \\x", "\\read"),
        ("title", "\\catcode`\\|=0", "\\catcode"),
        ("title", "\\csname input\\endcsname", "\\csname"),
        ("title", "\\DeclareRobustCommand\\cite{x}", "\\DeclareRobustCommand"),
        ("title", "\\end{document}", "\\end"),
        ("title", "\\pdfobj stream file{x}", "\\pdfobj"),
        ("title", "\\pdffiledump length 5{x}", "\\pdffiledump"),
        ("title", "\\IfFileExists{x}{a}{b}", "\\IfFileExists"),
        ("title", "\\write18{id}", "\\write"),
        ("title", "$\\input{x}$", "\\input"),
        ("title", "A 100% raw", "an unescaped % (write \\%)"),
        ("author", "Doe, \\input{x}", "\\input"),
        ("venue", "\\immediate\\write18{id}", "\\immediate"),
        ("shortname", "\\input{x}", "\\input"),
        ("url", "javascript:alert(1)", "javascript:alert(1) is not an http(s) URL"),
        ("doi", "10.1/x\\input{y}", "10.1/x\\input{y} is not a DOI"),
        ("primaryclass", "cs.RO\\input", "cs.RO\\input is not an arXiv category"),
    ],
)
def test_a_hand_edited_bib_with_live_tex_is_refused(
    survey: Path, field: str, value: str, construct: str
) -> None:
    run = runner(survey)
    bib = survey / "refs" / "papers.bib"
    text = bib.read_text()
    lines = text.splitlines()
    number = next(i for i, ln in enumerate(lines, 1) if ln.startswith("@misc{2210.09461"))
    entry_end = lines.index("}", number)
    added = f"  {field:<13} = {{{value}}},"
    old = [i for i in range(number, entry_end) if lines[i].startswith(f"  {field:<13} =")]
    if old:
        lines[old[0]] = added
    else:
        lines.insert(entry_end, added)
    bib.write_text("\n".join(lines) + "\n")
    line = lines.index(added) + 1
    readme = (survey / "README.md").read_bytes()
    check = run("check")
    assert check.exit_code == 1
    where = f"Error: refs/papers.bib:{line}: entry 2210.09461: field {field}: "
    assert where + construct in check.stderr, check.stderr
    build = run("build")
    assert build.exit_code == 1
    assert where in build.stderr
    assert (survey / "README.md").read_bytes() == readme
    assert not (survey / "latex").exists()


@pytest.mark.tex
def test_compile_is_confined_even_when_tex_gets_through(survey: Path, canary: Path) -> None:
    """Defence in depth: a manuscript that itself tries to read, write and run."""
    run = runner(survey)
    assert run("build").exit_code == 0
    main = survey / "latex" / "main.tex"
    text = main.read_text()
    attack = (
        f"\\IfFileExists{{{canary}}}{{FOUND}}{{ABSENT}}\n"
        f"\\pdffiledump length 16{{{canary}}}\n"
        "\\immediate\\write18{touch pwned18}\n"
        f"\\immediate\\openout5={canary.parent}/pwned-abs.tex\\immediate\\closeout5\n"
    )
    main.write_text(text.replace("\\maketitle", "\\maketitle\n" + attack, 1))
    (survey / "latex" / ".latexmkrc").write_text("system('touch ../pwned-rc');\n")
    (survey / "latex" / "latexmkrc").write_text("system('touch ../pwned-rc');\n")
    result = run("pdf")
    assert result.exit_code == 1
    assert f"I can't write on file `{canary.parent}/pwned-abs.tex'" in result.stderr
    log = (survey / "latex" / "main.log").read_text()
    assert "runsystem(touch pwned18)...disabled" in log
    reads, _ = recorded(survey / "latex")
    assert canary not in reads
    assert not list(survey.parent.rglob("pwned*"))


@pytest.mark.parametrize(
    "root_id",
    ["x}\\input{/etc/passwd}", "A Survey", "x" * 65, ""],
)
def test_taxonomy_root_id_is_validated(survey: Path, root_id: str) -> None:
    taxonomy = survey / "refs" / "taxonomy.toml"
    text = taxonomy.read_text().replace('id = "kv-cache-compression"', f"id = {root_id!r}")
    taxonomy.write_text(text.replace("'", '"') if "\\" not in root_id else text)
    result = runner(survey)("build")
    assert result.exit_code == 1
    assert "refs/taxonomy.toml:" in result.stderr
    assert "must be lower-case words joined by '-'" in result.stderr
    assert not (survey / "latex").exists()


def test_config_paths_stay_inside_the_survey(survey: Path, tmp_path: Path) -> None:
    run = runner(survey)
    config = survey / "vlabib.toml"
    config.write_text('bib = "/proc/self/environ"\n')
    os.environ["VLABIB_TEST_SECRET"] = "do-not-print-me"
    try:
        result = run("check")
    finally:
        del os.environ["VLABIB_TEST_SECRET"]
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: [tool.vlabib]: bib = '/proc/self/environ' must be a relative path inside "
        "the survey (no leading '/', no '..')\n"
    ).replace("[tool.vlabib]", "vlabib.toml")
    config.write_text('bib = "../outside.bib"\n')
    assert "no '..'" in run("check").stderr
    outside = tmp_path / "outside.bib"
    outside.write_text((survey / "refs" / "papers.bib").read_text())
    (survey / "refs" / "link.bib").symlink_to(outside)
    config.write_text('bib = "refs/link.bib"\n')
    assert "refs/link.bib: points outside the survey" in run("check").stderr
    os.mkfifo(survey / "refs" / "fifo.bib")
    config.write_text('bib = "refs/fifo.bib"\n')
    result = run("check")
    assert (
        result.stderr == "Error: refs/fifo.bib: not a regular file; the bib setting must name one\n"
    )


def test_the_token_is_redacted_from_every_error(
    survey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "olp_s3cr3tT0ken"
    monkeypatch.setenv("OVERLEAF_TOKEN", token)
    (survey / "vlabib.toml").write_text(f'bib = "refs/{token}.bib"\n')
    result = runner(survey)("check")
    assert result.exit_code == 1
    assert token not in result.output + result.stderr
    assert "refs/***.bib: no such file" in result.stderr


# -- Overleaf ----------------------------------------------------------------------------------


def hostile_remote(bare: Path, nested: bool) -> None:
    """A commit whose tree holds ``..`` (git's porcelain refuses to make one; mktree does)."""
    blob = git(bare, "hash-object", "-w", "--stdin", input="@misc{pwned}\n").strip()
    main = git(bare, "hash-object", "-w", "--stdin", input="\\documentclass{article}\n").strip()
    refs = git(bare, "mktree", input=f"100644 blob {blob}\tvla.bib\n").strip()
    if nested:
        inner = git(bare, "mktree", input=f"040000 tree {refs}\trefs\n").strip()
        up = git(bare, "mktree", input=f"040000 tree {inner}\t..\n").strip()
        listing = f"040000 tree {up}\tfigures\n100644 blob {main}\tmain.tex\n"
        top = git(bare, "mktree", input=listing).strip()
    else:
        up = git(bare, "mktree", input=f"040000 tree {refs}\trefs\n").strip()
        listing = f"040000 tree {up}\t..\n100644 blob {main}\tmain.tex\n"
        top = git(bare, "mktree", input=listing).strip()
    commit = git(bare, "commit-tree", top, "-m", "hostile").strip()
    git(bare, "update-ref", "refs/heads/master", commit)


@pytest.mark.parametrize("nested", [False, True], ids=["top-level", "nested"])
def test_overleaf_tree_leaving_latex_is_refused(
    survey: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nested: bool
) -> None:
    run = runner(survey)
    assert run("build").exit_code == 0
    bare = tmp_path / "overleaf.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "master", str(bare)], check=True)
    hostile_remote(bare, nested)
    monkeypatch.setenv("VLABIB_OVERLEAF_URL", str(bare))
    before = {
        p: p.read_bytes() for p in survey.rglob("*") if p.is_file() and ".vlabib" not in p.parts
    }
    for command in ("pull", "push", "status"):
        result = run("overleaf", command)
        assert result.exit_code == 1, result.output
        assert "the Overleaf project holds paths vlabib will not write" in result.stderr
        assert "a '..' part leads out of the manuscript's folder" in result.stderr
    after = {
        p: p.read_bytes() for p in survey.rglob("*") if p.is_file() and ".vlabib" not in p.parts
    }
    assert after == before
    assert not (tmp_path / "refs").exists()


@pytest.mark.parametrize(
    ("path", "mode", "problem"),
    [
        ("main.tex", "100644", ""),
        ("figures/a b.png", "100644", ""),
        ("..", "100644", "a '..' part leads out of the manuscript's folder"),
        ("a/../../x", "100644", "a '..' part leads out of the manuscript's folder"),
        ("/etc/passwd", "100644", "an absolute path or one with control characters or backslashes"),
        ("a\\..\\b", "100644", "an absolute path or one with control characters or backslashes"),
        (".git/hooks/post-checkout", "100755", "an empty, '.' or '.git' part"),
        ("a//b", "100644", "an empty, '.' or '.git' part"),
        ("link", "120000", "a symlink (Overleaf has none; it could point anywhere)"),
        ("sub", "160000", "not a file (git mode 160000)"),
    ],
)
def test_overleaf_path_rules(path: str, mode: str, problem: str) -> None:
    assert path_problem(path, mode) == problem


def test_titles_never_steer_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    """A title from arXiv (discover, suggest) with an escape sequence or a right-to-left
    override prints as escapes: every command prints through show()."""
    from vlabib.cli.app import show
    from vlabib.model import Report

    show(Report(("2501.00077  Robots\u202etxt.exe \x1b[2J",), ("note \x9b31m",)))
    out, err = capsys.readouterr()
    assert out == "2501.00077  Robots\\u202etxt.exe \\x1b[2J\n"
    assert err == "note \\x9b31m\n"
