"""Overleaf's git bridge: git with the token only in its processes' environment, a private
mirror clone, the trees on each side, and the bridge's rules for files and paths.

The token travels only in the environment of git's own processes, read by a credential
helper that is itself defined in the environment: never in argv, a config file or a log.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

from vlabib import environment
from vlabib.config import Project
from vlabib.errors import OverleafError

BRANCH = "master"
# Every commit vlabib makes on Overleaf starts so; anything else a co-author wrote.
VLABIB_SUBJECT = "vlabib:"
MAX_FILE = 50 * 1024 * 1024
MAX_FILES = 2000
_ARTIFACTS = (
    ".aux",
    ".log",
    ".bbl",
    ".blg",
    ".out",
    ".toc",
    ".lof",
    ".lot",
    ".fls",
    ".fdb_latexmk",
    ".synctex.gz",
    ".run.xml",
    ".bcf",
    ".xdv",
    ".nav",
    ".snm",
    ".vrb",
)
_BAD_NAME_RE = re.compile(r'[\\*?"<>|:\x00-\x1f]')
_TOKEN_ENV = "VLABIB_OVERLEAF_SECRET"
_HELPER = (
    f'!f() {{ test "$1" = get || exit 0; echo username=git; echo "password=${_TOKEN_ENV}"; }}; f'
)


def remote_url(project: Project) -> str:
    """The Overleaf git URL, from the environment or the settings; never with credentials."""
    url = environment.text("VLABIB_OVERLEAF_URL") or project.settings.overleaf
    if not url:
        raise OverleafError(
            "no Overleaf project: set VLABIB_OVERLEAF_URL or overleaf = "
            '"https://git.overleaf.com/PROJECT_ID" under [tool.vlabib]'
        )
    parts = urllib.parse.urlsplit(url)
    if parts.password or (parts.username and parts.scheme in ("http", "https")):
        raise OverleafError(
            "the Overleaf URL must not hold credentials; put the token in OVERLEAF_TOKEN"
        )
    return url


class Git:
    """git in the mirror, with the token (if any) only in its environment."""

    def __init__(self, mirror: Path, token: str | None) -> None:
        self.mirror = mirror
        self.token = token
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        env.pop("OVERLEAF_TOKEN", None)
        if token:
            # Our helper replaces the user's (an empty value resets the list), so no helper
            # of theirs is asked to store the token either.
            env.update(
                {
                    "GIT_CONFIG_COUNT": "2",
                    "GIT_CONFIG_KEY_0": "credential.helper",
                    "GIT_CONFIG_VALUE_0": "",
                    "GIT_CONFIG_KEY_1": "credential.helper",
                    "GIT_CONFIG_VALUE_1": _HELPER,
                    _TOKEN_ENV: token,
                }
            )
        self.env = env

    def scrub(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token else text

    def call(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                ["git", *args],
                cwd=self.mirror,
                env=self.env,
                capture_output=True,
                timeout=300,
            )
        except FileNotFoundError:
            raise OverleafError("git is not installed; install it to sync with Overleaf") from None
        except subprocess.TimeoutExpired:
            raise OverleafError(f"git {args[0]} took longer than 5 minutes; try again") from None

    def run(self, *args: str, check: bool = True) -> bytes:
        proc = self.call(*args)
        if check and proc.returncode != 0:
            message = self.scrub(proc.stderr.decode("utf-8", "replace")).strip()
            raise OverleafError(
                f"git {args[0]} failed: {message.splitlines()[-1] if message else proc.returncode}"
            )
        return proc.stdout

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8", "replace").strip()


def mirror(project: Project, token: str | None) -> Git:
    folder = project.root / ".vlabib" / "overleaf"
    if not (folder / ".git").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        git = Git(folder, token)
        git.run("init", "--quiet", "--initial-branch", BRANCH)
        git.run("config", "core.symlinks", "false")
        return git
    return Git(folder, token)


def fetch(git: Git, url: str) -> str | None:
    """Overleaf's current commit, or None for an empty project."""
    out = git.call(
        "fetch", "--quiet", "--no-tags", url, f"+refs/heads/{BRANCH}:refs/remotes/overleaf/{BRANCH}"
    )
    if out.returncode != 0:
        message = git.scrub(out.stderr.decode("utf-8", "replace"))
        if "couldn't find remote ref" in message:
            return None
        raise OverleafError(explain(message, url, bool(git.token)))
    return git.text("rev-parse", f"refs/remotes/overleaf/{BRANCH}")


# What git says when the bridge cannot be used, and what to tell the user instead.
_FAILURES = (
    (
        ("could not read Username", "could not read Password", "terminal prompts disabled"),
        "Overleaf asks for a token and none is set: put a git token from Overleaf (Account "
        "Settings, Git Integration) in OVERLEAF_TOKEN and try again",
    ),
    (
        ("Authentication failed", "HTTP Basic: Access denied", "403", "401"),
        "Overleaf refused the token in OVERLEAF_TOKEN: it is wrong or expired; make a new one "
        "in Overleaf's Account Settings (Git Integration) and try again",
    ),
    (
        ("not found", "does not appear to be a git repository", "No such file or directory"),
        "there is no Overleaf project at {url}: check VLABIB_OVERLEAF_URL (or overleaf = under "
        "[tool.vlabib]); it looks like https://git.overleaf.com/PROJECT_ID",
    ),
    (
        (
            "Could not resolve host",
            "Failed to connect",
            "Connection refused",
            "timed out",
            "Couldn't connect",
        ),
        "cannot reach {host}: check the network (and the URL {url}), then try again",
    ),
)


def explain(message: str, url: str, has_token: bool) -> str:
    """A whole sentence for a failed fetch or push: what happened and what to do."""
    host = urllib.parse.urlsplit(url).hostname or url
    for needles, sentence in _FAILURES:
        if any(n in message for n in needles):
            if needles[0] == "could not read Username" and has_token:
                sentence = _FAILURES[1][1]
            return sentence.format(url=url, host=host)
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    said = " ".join(ln.removeprefix("fatal: ").removeprefix("error: ") for ln in lines[:3])
    return f"git could not talk to the Overleaf project at {url}: {said or 'no message'}"


def push_failure(message: str, url: str, has_token: bool) -> str:
    """Why Overleaf did not take a push, in a sentence that says what to do."""
    moved = ("non-fast-forward", "fetch first", "[rejected]")
    if any(m in message for m in moved):
        return (
            "Overleaf changed while vlabib was pushing (a co-author is editing); nothing "
            "was pushed: run the push again"
        )
    if "remote rejected" in message or "hook declined" in message or "denied" in message:
        said = [ln for ln in message.splitlines() if "rejected" in ln or "remote:" in ln]
        return "Overleaf refused the push; nothing was pushed: " + (
            " ".join(s.strip() for s in said[:2]) or "no reason given"
        )
    return explain(message, url, has_token)


def vlabib_commit(git: Git, commit: str) -> str | None:
    """The newest commit in *commit*'s history that vlabib made (``vlabib: …``), or None."""
    log = git.text("log", "--format=%H %s", commit)
    for line in log.splitlines():
        sha, _, subject = line.partition(" ")
        if subject.startswith(VLABIB_SUBJECT):
            return sha
    return None


def touched_on_overleaf(git: Git, commit: str | None, path: str) -> bool:
    """Whether a commit not made by vlabib ever changed *path* up to *commit*."""
    if commit is None:
        return False
    subjects = git.text("log", "--format=%s", commit, "--", path).splitlines()
    return any(not s.startswith(VLABIB_SUBJECT) for s in subjects)


def overleaf_lines(git: Git, commit: str | None, path: str) -> frozenset[int]:
    """The lines (1-based) of *path* at *commit* last written by a commit not vlabib's."""
    if commit is None or not touched_on_overleaf(git, commit, path):
        return frozenset()
    porcelain = git.run("blame", "--line-porcelain", commit, "--", path).decode("utf-8", "replace")
    lines = set()
    final = 0
    for row in porcelain.splitlines():
        head, _, rest = row.partition(" ")
        if len(head) == 40 and rest[:1].isdigit():
            final = int(rest.split()[1])
        elif head == "summary" and not rest.startswith(VLABIB_SUBJECT):
            lines.add(final)
    return frozenset(lines)


def head(git: Git) -> str | None:
    out = git.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).decode().strip()
    return out or None


def tree(git: Git, commit: str | None) -> dict[str, bytes]:
    """The files of a commit; a path that could land outside ``latex/`` refuses them all."""
    if commit is None:
        return {}
    listing = git.run("ls-tree", "-r", "-z", "-l", "--full-tree", commit)
    files = {}
    problems = []
    for item in filter(None, listing.split(b"\0")):
        meta, raw = item.split(b"\t", 1)
        mode, _, sha, size = meta.decode().split()
        path = raw.decode("utf-8", "replace")
        problem = path_problem(path, mode) or _size_problem(size)
        if problem:
            problems.append(f"{path[:200]!r}: {problem}")
            continue
        files[path] = git.run("cat-file", "blob", sha)
    if problems:
        raise OverleafError(
            "the Overleaf project holds paths vlabib will not write; nothing was changed on "
            "either side:\n" + "\n".join(problems)
        )
    return files


_PATH_CHAR_RE = re.compile(r"[\x00-\x1f\x7f\\]")


def _size_problem(size: str) -> str:
    """A pull takes no file larger than Overleaf itself holds (it would sit in memory)."""
    if size.isdigit() and int(size) > MAX_FILE:
        return f"{int(size) / 2**20:.0f} MiB, over Overleaf's 50 MiB a file"
    return ""


def path_problem(path: str, mode: str = "100644") -> str:
    """Why a path from Overleaf may not be written under ``latex/``, or ``""``.

    >>> path_problem("figures/arch.png"), path_problem("../refs/vla.bib")
    ('', "a '..' part leads out of the manuscript's folder")
    >>> path_problem("a", "120000")
    'a symlink (Overleaf has none; it could point anywhere)'
    """
    if mode == "120000":
        return "a symlink (Overleaf has none; it could point anywhere)"
    if mode not in ("100644", "100755"):
        return f"not a file (git mode {mode})"
    parts = path.split("/")
    rules = (
        (
            path.startswith("/") or bool(_PATH_CHAR_RE.search(path)),
            "an absolute path or one with control characters or backslashes",
        ),
        (".." in parts, "a '..' part leads out of the manuscript's folder"),
        (any(p in ("", ".") or p.lower() == ".git" for p in parts), "an empty, '.' or '.git' part"),
        (len(path) > 1000, "longer than 1000 characters"),
    )
    return next((why for broken, why in rules if broken), "")


def local_files(project: Project) -> dict[str, bytes]:
    """``latex/`` as Overleaf should see it: build artifacts out, symlinks as contents."""
    root = project.path("latex")
    if not root.is_dir():
        raise OverleafError(f"{project.settings.latex}/ does not exist; run 'vlabib build' first")
    files: dict[str, bytes] = {}
    problems = []
    for path in sorted(root.rglob("*")):
        if _not_sent(path, root):
            continue
        rel = path.relative_to(root).as_posix()
        problem = _unsendable(path, rel, project.root)
        if problem:
            problems.append(f"{rel}: {problem}")
        else:
            files[rel] = path.read_bytes()  # a symlink to a file sends its contents
    if len(files) > MAX_FILES:
        problems.append(f"{len(files)} files, over Overleaf's {MAX_FILES} a project")
    if problems:
        raise OverleafError("cannot push to Overleaf:\n" + "\n".join(problems))
    return files


def _not_sent(path: Path, root: Path) -> bool:
    """Hidden files, folders and build artifacts stay here."""
    if any(part.startswith(".") for part in path.relative_to(root).parts):
        return True
    if path.is_dir() and not path.is_symlink():
        return True
    return path.name.endswith(_ARTIFACTS) or (
        path.suffix == ".pdf" and path.with_suffix(".tex").exists()
    )


def _unsendable(path: Path, rel: str, survey: Path) -> str:
    """Why a file cannot go to Overleaf, or ``""``."""
    if path.is_symlink() and not path.is_file():
        return "a symlink to a directory or to nothing; Overleaf takes no symlinks"
    if path.is_symlink() and not path.resolve().is_relative_to(survey.resolve()):
        return "a symlink to a file outside the survey; copy it in instead"
    if _BAD_NAME_RE.search(rel) or rel != rel.strip():
        return "Overleaf cannot hold this file name; rename it"
    size = path.stat().st_size
    if size > MAX_FILE:
        return f"{size / 2**20:.0f} MiB, over Overleaf's 50 MiB a file"
    return ""


def merge3(git: Git, base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, bool]:
    """A three-way merge of text; with conflicts, both wordings between standard markers
    (``<<<<<<< here`` … ``>>>>>>> overleaf``). The result and whether it merged cleanly."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (("here", ours), ("base", base), ("overleaf", theirs)):
            p = Path(tmp) / name
            p.write_bytes(data)
            paths.append(str(p))
        proc = subprocess.run(
            ["git", "merge-file", "-p", "-L", "here", "-L", "last sync", "-L", "overleaf", *paths],
            capture_output=True,
            env=git.env,
            timeout=60,
        )
    if proc.returncode < 0 or proc.returncode > 127:
        raise OverleafError("git merge-file failed; nothing was changed")
    return proc.stdout, proc.returncode == 0


def identity(git: Git) -> None:
    if not git.run("config", "user.name", check=False).strip():
        git.env.update(
            GIT_AUTHOR_NAME="vlabib",
            GIT_AUTHOR_EMAIL="vlabib@localhost",
            GIT_COMMITTER_NAME="vlabib",
            GIT_COMMITTER_EMAIL="vlabib@localhost",
        )
