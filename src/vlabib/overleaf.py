"""Sync ``latex/`` with an Overleaf project through its git bridge.

A private mirror clone (``.vlabib/overleaf``) holds the state of the last sync: its HEAD is
the merge base. Every file is judged three ways (base, Overleaf, here): a side that did not
change takes the other side's version, prose both sides changed is merged with
``git merge-file``, and an Overleaf-side edit of a generated file is a conflict. The plan is
made in full before anything is written, so a refusal leaves both sides as they were.

The token travels only in the environment of git's own processes, read by a credential
helper that is itself defined in the environment: never in argv, a config file or a log.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from vlabib.config import Project
from vlabib.errors import VlabibError
from vlabib.files import atomic_write

BRANCH = "master"
MAX_FILE = 50 * 1024 * 1024
MAX_FILES = 2000
_ARTIFACTS = (
    ".aux", ".log", ".bbl", ".blg", ".out", ".toc", ".lof", ".lot", ".fls", ".fdb_latexmk",
    ".synctex.gz", ".run.xml", ".bcf", ".xdv", ".nav", ".snm", ".vrb",
)  # fmt: skip
_BAD_NAME_RE = re.compile(r'[\\*?"<>|:\x00-\x1f]')
_TOKEN_ENV = "VLABIB_OVERLEAF_SECRET"
_HELPER = (
    f'!f() {{ test "$1" = get || exit 0; echo username=git; echo "password=${_TOKEN_ENV}"; }}; f'
)


class OverleafError(VlabibError):
    """The sync cannot go ahead; nothing was changed on either side."""


@dataclass
class Plan:
    """What a sync does: files to take from Overleaf, and conflicts that stop it."""

    take: dict[str, bytes | None] = field(default_factory=dict)  # None: delete here
    conflicts: list[str] = field(default_factory=list)


@dataclass
class Result:
    """What a command did, for the CLI to print."""

    lines: list[str] = field(default_factory=list)


def remote_url(project: Project) -> str:
    """The Overleaf git URL, from the environment or the settings; never with credentials."""
    url = os.environ.get("VLABIB_OVERLEAF_URL") or project.settings.overleaf
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


def _mirror(project: Project, token: str | None) -> Git:
    folder = project.root / ".vlabib" / "overleaf"
    if not (folder / ".git").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        git = Git(folder, token)
        git.run("init", "--quiet", "--initial-branch", BRANCH)
        git.run("config", "core.symlinks", "false")
        return git
    return Git(folder, token)


def _fetch(git: Git, url: str) -> str | None:
    """Overleaf's current commit, or None for an empty project."""
    out = git.call(
        "fetch", "--quiet", "--no-tags", url, f"+refs/heads/{BRANCH}:refs/remotes/overleaf/{BRANCH}"
    )
    if out.returncode != 0:
        message = git.scrub(out.stderr.decode("utf-8", "replace"))
        if "couldn't find remote ref" in message:
            return None
        last = message.strip().splitlines()[-1] if message.strip() else str(out.returncode)
        raise OverleafError(f"cannot fetch from Overleaf ({url}): {last}")
    return git.text("rev-parse", f"refs/remotes/overleaf/{BRANCH}")


def _head(git: Git) -> str | None:
    out = git.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).decode().strip()
    return out or None


def _tree(git: Git, commit: str | None) -> dict[str, bytes]:
    """The files of a commit; a path that could land outside ``latex/`` refuses them all."""
    if commit is None:
        return {}
    listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit)
    files = {}
    problems = []
    for item in filter(None, listing.split(b"\0")):
        meta, raw = item.split(b"\t", 1)
        mode, _, sha = meta.decode().split()
        path = raw.decode("utf-8", "replace")
        problem = path_problem(path, mode)
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


def path_problem(path: str, mode: str = "100644") -> str:
    """Why a path from Overleaf may not be written under ``latex/``, or ``""``.

    >>> path_problem("figures/arch.png"), path_problem("../refs/vla.bib")
    ('', "a '..' part leads out of latex/")
    >>> path_problem("a", "120000")
    'a symlink (Overleaf has none; it could point anywhere)'
    """
    if mode == "120000":
        return "a symlink (Overleaf has none; it could point anywhere)"
    if mode not in ("100644", "100755"):
        return f"not a file (git mode {mode})"
    parts = path.split("/")
    if path.startswith("/") or _PATH_CHAR_RE.search(path):
        return "an absolute path or one with control characters or backslashes"
    if ".." in parts:
        return "a '..' part leads out of latex/"
    if any(p in ("", ".") for p in parts) or any(p.lower() == ".git" for p in parts):
        return "an empty, '.' or '.git' part"
    if len(path) > 1000:
        return "longer than 1000 characters"
    return ""


def _local(project: Project) -> dict[str, bytes]:
    """``latex/`` as Overleaf should see it: build artifacts out, symlinks as contents."""
    root = project.path("latex")
    if not root.is_dir():
        raise OverleafError(f"{project.settings.latex}/ does not exist; run 'vlabib build' first")
    files: dict[str, bytes] = {}
    problems = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.is_dir() and not path.is_symlink():
            continue
        if rel.endswith(_ARTIFACTS) or (
            path.suffix == ".pdf" and path.with_suffix(".tex").exists()
        ):
            continue
        if path.is_symlink() and not path.is_file():
            problems.append(
                f"{rel}: a symlink to a directory or to nothing; Overleaf takes no symlinks"
            )
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(project.root.resolve()):
            problems.append(f"{rel}: a symlink to a file outside the survey; copy it in instead")
            continue
        if _BAD_NAME_RE.search(rel) or rel != rel.strip():
            problems.append(f"{rel}: Overleaf cannot hold this file name; rename it")
            continue
        size = path.stat().st_size
        if size > MAX_FILE:
            problems.append(f"{rel}: {size / 2**20:.0f} MiB, over Overleaf's 50 MiB a file")
            continue
        files[rel] = path.read_bytes()  # a symlink to a file sends its contents
    if len(files) > MAX_FILES:
        problems.append(f"{len(files)} files, over Overleaf's {MAX_FILES} a project")
    if problems:
        raise OverleafError("cannot push to Overleaf:\n" + "\n".join(problems))
    return files


def _generated_prefix(project: Project) -> str:
    gen = project.path("generated").relative_to(project.path("latex"))
    return gen.as_posix().rstrip("/") + "/"


def _merge3(git: Git, base: bytes, ours: bytes, theirs: bytes) -> bytes | None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(data)
            paths.append(str(p))
        proc = subprocess.run(
            ["git", "merge-file", "-p", *paths], capture_output=True, env=git.env, timeout=60
        )
    return proc.stdout if proc.returncode == 0 else None


def plan_integration(
    git: Git,
    base: dict[str, bytes],
    remote: dict[str, bytes],
    local: dict[str, bytes],
    generated: str,
) -> Plan:
    """How Overleaf's changes since the last sync come here, or why they cannot."""
    plan = Plan()
    for path in sorted(set(base) | set(remote)):
        b, r, mine = base.get(path), remote.get(path), local.get(path)
        if r == b:
            continue  # Overleaf did not touch it
        if path.startswith(generated):
            if r != mine:
                plan.conflicts.append(f"{path} (generated by vlabib, edited on Overleaf)")
            continue
        if mine == b:
            plan.take[path] = r
        elif mine == r:
            continue
        elif b is not None and r is not None and mine is not None:
            merged = _merge3(git, b, mine, r)
            if merged is None:
                plan.conflicts.append(f"{path} (edited here and on Overleaf)")
            else:
                plan.take[path] = merged
        else:
            plan.conflicts.append(f"{path} (added, changed or deleted on both sides)")
    return plan


def _apply_plan(project: Project, plan: Plan) -> list[str]:
    root = project.path("latex")
    inside = root.resolve()
    for path in plan.take:
        # A local symlinked folder could carry a write outside latex/: check before writing.
        if not (root / path).parent.resolve().is_relative_to(inside):
            raise OverleafError(
                f"{project.settings.latex}/{path}: its folder leads outside "
                f"{project.settings.latex}/ (a symlink?); nothing was changed"
            )
    done = []
    for path, data in sorted(plan.take.items()):
        target = root / path
        if data is None:
            if target.exists():
                target.unlink()
            done.append(f"deleted {project.settings.latex}/{path}")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_bytes(target, data)
            done.append(f"pulled {project.settings.latex}/{path}")
    return done


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data.decode("utf-8"))
    except UnicodeDecodeError:
        tmp = path.with_name(f".{path.name}.vlabib-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)


def _refuse(plan: Plan) -> None:
    if plan.conflicts:
        raise OverleafError(
            "Overleaf and this checkout disagree; nothing was changed on either side:\n"
            + "\n".join(plan.conflicts)
            + "\nkeep one side's version (copy it over the other), then sync again"
        )


def _integrate(project: Project, git: Git, url: str) -> tuple[str | None, list[str]]:
    """Fetch and bring Overleaf's new edits here; the new base commit and what was done."""
    remote_sha = _fetch(git, url)
    base_sha = _head(git)
    if remote_sha is None or remote_sha == base_sha:
        return base_sha, []
    plan = plan_integration(
        git,
        _tree(git, base_sha),
        _tree(git, remote_sha),
        _local(project),
        _generated_prefix(project),
    )
    _refuse(plan)
    done = _apply_plan(project, plan)
    git.run("reset", "--quiet", "--hard", remote_sha)
    return remote_sha, done


def _describe(before: dict[str, bytes], after: dict[str, bytes], generated: str) -> str:
    """``vlabib: 3 papers added; figure and tables updated``."""
    changed = changed_paths(before, after)
    if not before:
        return f"vlabib: first sync, {len(after)} files"
    parts = []
    bib = f"{generated}references.bib"
    keys = [
        set(re.findall(rb"^@\w+\{([^,]+),", side.get(bib, b""), re.M)) for side in (before, after)
    ]
    added, removed = len(keys[1] - keys[0]), len(keys[0] - keys[1])
    if added:
        parts.append(f"{added} paper{'s' if added != 1 else ''} added")
    if removed:
        parts.append(f"{removed} paper{'s' if removed != 1 else ''} removed")
    names = []
    for path in changed:
        name = path.removeprefix(generated)
        label = (
            "figure" if name == "taxonomy.tex"
            else "tables" if name.startswith("table-")
            else "cite lists" if name == "cites.tex"
            else "bibliography" if path == bib and not (added or removed)
            else None if path == bib
            else path
        )  # fmt: skip
        if label and label not in names:
            names.append(label)
    order = ["figure", "tables", "cite lists", "bibliography"]
    names.sort(key=lambda n: (order.index(n) if n in order else len(order), n))
    if names:
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{listed} updated")
    return "vlabib: " + "; ".join(parts)


def _identity(git: Git) -> None:
    if not git.run("config", "user.name", check=False).strip():
        git.env.update(
            GIT_AUTHOR_NAME="vlabib",
            GIT_AUTHOR_EMAIL="vlabib@localhost",
            GIT_COMMITTER_NAME="vlabib",
            GIT_COMMITTER_EMAIL="vlabib@localhost",
        )


def _start(project: Project) -> tuple[str, Git]:
    """Checks before any sync: a sound bib, a URL, the mirror."""
    from vlabib import bib

    # A broken bib means the generated files may be stale: fix it before syncing anything.
    bib.load(project.bib, project.settings.bib)
    url = remote_url(project)
    return url, _mirror(project, os.environ.get("OVERLEAF_TOKEN") or None)


def push(project: Project) -> Result:
    """Send ``latex/`` to Overleaf as one commit, after bringing Overleaf's new edits here."""
    url, git = _start(project)
    local = _local(project)  # the bridge's limits are checked before anything moves
    result = Result()
    base_sha, pulled = _integrate(project, git, url)
    result.lines += pulled
    if pulled:
        local = _local(project)  # Overleaf's edits are here now
    base = _tree(git, base_sha)
    if local == base:
        result.lines.append("Overleaf is up to date")
        return result
    generated = _generated_prefix(project)
    message = _describe(base, local, generated)
    _write_worktree(git.mirror, base, local)
    _identity(git)
    git.run("add", "--all")
    git.run("commit", "--quiet", "--message", message)
    try:
        git.run("push", "--quiet", url, f"HEAD:refs/heads/{BRANCH}")
    except OverleafError as exc:
        # Undo the local commit: the mirror's HEAD must stay what Overleaf has.
        git.run("reset", "--quiet", "--hard", base_sha or "HEAD")
        if base_sha is None:
            git.run("update-ref", "-d", "HEAD", check=False)
        raise OverleafError(
            f"{exc}; Overleaf may have changed meanwhile: run the push again"
        ) from None
    result.lines += [f"pushed {project.settings.latex}/{p}" for p in changed_paths(base, local)]
    result.lines.append(message)
    return result


def _write_worktree(mirror: Path, base: dict[str, bytes], files: dict[str, bytes]) -> None:
    for path in set(base) - set(files):
        (mirror / path).unlink(missing_ok=True)
    for path, data in files.items():
        target = mirror / path
        if target.is_symlink():
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def pull(project: Project) -> Result:
    """Bring co-authors' Overleaf edits into ``latex/``."""
    url, git = _start(project)
    _, done = _integrate(project, git, url)
    result = Result(done or ["up to date with Overleaf"])
    if done:
        # Co-authors may cite papers the bib lacks: say so now, 'vlabib check' will too.
        from vlabib import bib
        from vlabib.check import lint_manuscript

        papers = bib.load(project.bib, project.settings.bib)
        for problem in lint_manuscript(project, papers, project.taxonomy()):
            if not problem.warning:
                result.lines.append(problem.line_text().replace("Error: ", "Warning: ", 1))
    return result


def status(project: Project) -> Result:
    """What changed here and on Overleaf since the last sync."""
    url, git = _start(project)
    remote_sha = _fetch(git, url)
    base_sha = _head(git)
    base, remote, local = _tree(git, base_sha), _tree(git, remote_sha), _local(project)
    lines = []
    for side, files in (("here", local), ("overleaf", remote)):
        for path in sorted(set(base) | set(files)):
            if base.get(path) != files.get(path):
                how = (
                    "added" if path not in base else "deleted" if path not in files else "modified"
                )
                lines.append(f"{side:<9} {how:<9} {path}")
    plan = plan_integration(git, base, remote, local, _generated_prefix(project))
    lines += [f"conflict  {c}" for c in plan.conflicts]
    return Result(lines or ["in sync with Overleaf"])


def changed_paths(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """Paths whose content differs between two trees (added and deleted ones too)."""
    return sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))
