"""Sync ``latex/`` with an Overleaf project through its git bridge, never losing a co-author's
work.

A private mirror clone (``.vlabib/overleaf``, see :mod:`vlabib.overleaf.bridge`) holds the state of
the last sync: its HEAD is the merge base. Without it (a fresh clone, a second maintainer)
the base is the newest commit vlabib made on Overleaf. :mod:`vlabib.overleaf.plan` decides every
file before anything is written; a refusal leaves both sides as they were and names the
flag (``--ours``/``--theirs``) that decides it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from vlabib.config import Project
from vlabib.errors import OverleafError
from vlabib.files import atomic_write
from vlabib.overleaf import plan as syncplan
from vlabib.overleaf.bridge import (
    BRANCH,
    Git,
    fetch,
    head,
    identity,
    local_files,
    merge3,
    mirror,
    overleaf_lines,
    push_failure,
    remote_url,
    touched_on_overleaf,
    tree,
    vlabib_commit,
)
from vlabib.overleaf.plan import Change, Plan, Refusal


@dataclass
class Result:
    """What a command did, for the CLI to print; *errors* make it exit 1 afterwards."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class _Sync:
    """Both sides, read once: the trees, the commits, and how paths are shown."""

    project: Project
    git: Git
    url: str
    remote_sha: str | None
    base_sha: str | None
    base: dict[str, bytes] | None  # None: no common version yet (the first sync)
    remote: dict[str, bytes]
    local: dict[str, bytes]
    template: frozenset[str]  # Overleaf's untouched new-project files, replaced by ours

    @property
    def generated(self) -> str:
        gen = self.project.path("generated").relative_to(self.project.path("latex"))
        return gen.as_posix().rstrip("/") + "/"

    def shown(self, path: str) -> str:
        return f"{self.project.settings.latex}/{path}"


def _open(project: Project) -> _Sync:
    """Checks before any sync (a sound bib, a URL), then both sides."""
    from vlabib import bib
    from vlabib.tex.read import is_blank_template

    bib.load(project.bib, project.settings.bib)  # a broken bib means stale outputs
    url = remote_url(project)
    local = local_files(project)  # the bridge's limits are checked before anything moves
    git = mirror(project, os.environ.get("OVERLEAF_TOKEN") or None)
    remote_sha = fetch(git, url)
    base_sha = head(git) or (vlabib_commit(git, remote_sha) if remote_sha else None)
    remote = tree(git, remote_sha)
    template: frozenset[str] = frozenset()
    if base_sha is None and remote and all(
        path.endswith(".tex") and syncplan.is_text(data)
        and is_blank_template(data.decode("utf-8"))
        for path, data in remote.items()
    ):  # fmt: skip
        template = frozenset(remote)
    base = tree(git, base_sha) if base_sha else None
    return _Sync(project, git, url, remote_sha, base_sha, base, remote, local, template)


def _choices(
    sync: _Sync, ours: tuple[str, ...], theirs: tuple[str, ...]
) -> tuple[set[str], set[str]]:
    """``--ours``/``--theirs`` paths as the trees name them (``latex/`` prefix optional)."""
    known = set(sync.local) | set(sync.remote) | set(sync.base or {})
    prefix = sync.project.settings.latex.rstrip("/") + "/"
    sides: list[set[str]] = []
    for given in (ours, theirs):
        paths = {p.removeprefix("./").removeprefix(prefix) for p in given}
        unknown = sorted(paths - known)
        if unknown:
            raise OverleafError(f"{', '.join(unknown)}: not a file here or on Overleaf; name "
                                f"files as {prefix}PATH")  # fmt: skip
        sides.append(paths)
    both = sorted(sides[0] & sides[1])
    if both:
        raise OverleafError(f"{', '.join(both)}: given with both --ours and --theirs; pick one")
    return sides[0], sides[1]


def _incoming(sync: _Sync, ours: set[str], theirs: set[str]) -> Plan:
    return syncplan.incoming(
        sync.base, sync.remote, sync.local, generated=sync.generated,
        merge=lambda b, m, r: merge3(sync.git, b, m, r), ours=ours, theirs=theirs,
        template=sync.template,
    )  # fmt: skip


def _outgoing(sync: _Sync, local: dict[str, bytes], ours: set[str]) -> Plan:
    origins = syncplan.Origins(
        touched=lambda path: touched_on_overleaf(sync.git, sync.remote_sha, path),
        lines=lambda path: overleaf_lines(sync.git, sync.remote_sha, path),
    )
    return syncplan.outgoing(sync.remote, local, generated=sync.generated, origins=origins,
                             ours=ours, template=sync.template)  # fmt: skip


def _after(local: dict[str, bytes], changes: list[Change]) -> dict[str, bytes]:
    out = dict(local)
    for change in changes:
        if change.data is None:
            out.pop(change.path, None)
        else:
            out[change.path] = change.data
    return out


def _refuse(sync: _Sync, refusals: list[Refusal], headline: str) -> None:
    if not refusals:
        return
    lines = [headline]
    for r in refusals:
        if r.line:
            lines.append(f"  {sync.shown(r.path)}:{r.line}: {r.why}")
        else:
            lines.append(f"  {sync.shown(r.path)}: {r.why}")
    theirs = [sync.shown(r.path) for r in refusals if "--theirs" in r.fixes and not r.line]
    ours = [sync.shown(r.path) for r in refusals if "--ours" in r.fixes]
    if theirs:
        lines.append("to take Overleaf's version here: vlabib overleaf pull --theirs "
                     + " --theirs ".join(theirs))  # fmt: skip
    if ours:
        lines.append("to put this checkout's version on Overleaf: vlabib overleaf push --ours "
                     + " --ours ".join(ours))  # fmt: skip
    raise OverleafError("\n".join(lines))


def _write_here(sync: _Sync, changes: list[Change]) -> list[str]:
    root = sync.project.path("latex")
    inside = root.resolve()
    for change in changes:
        # A local symlinked folder could carry a write outside latex/: check before writing.
        if not (root / change.path).parent.resolve().is_relative_to(inside):
            raise OverleafError(f"{sync.shown(change.path)}: its folder leads outside "
                                f"{sync.project.settings.latex}/ (a symlink?); nothing was "
                                "changed")  # fmt: skip
    done = []
    for change in changes:
        target = root / change.path
        if change.data is None:
            target.unlink(missing_ok=True)
            done.append(f"deleted {sync.shown(change.path)} ({change.how})")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_bytes(target, change.data)
        verb = "merged" if change.how == "merged" else "conflict in" if \
            change.how == "conflict markers" else "pulled"  # fmt: skip
        done.append(f"{verb} {sync.shown(change.path)}"
                    + (f" ({change.how})" if verb == "pulled" else ""))  # fmt: skip
    return done


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data.decode("utf-8"))
    except UnicodeDecodeError:
        tmp = path.with_name(f".{path.name}.vlabib-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)


def _resolving(sync: _Sync) -> Path:
    """Files a pull wrote conflict markers into: the user's edit of them is their choice."""
    return sync.git.mirror / ".git" / "vlabib-resolving"


def _settle(sync: _Sync) -> None:
    """The mirror's HEAD becomes what Overleaf has: the base of the next sync."""
    if sync.remote_sha:
        sync.git.run("reset", "--quiet", "--hard", sync.remote_sha)


def pull(project: Project, *, dry_run: bool = False, ours: tuple[str, ...] = (),
         theirs: tuple[str, ...] = ()) -> Result:  # fmt: skip
    """Bring co-authors' Overleaf edits into ``latex/``: clean merges are written, conflicting
    prose gets both wordings between conflict markers, anything else asks for a flag."""
    sync = _open(project)
    mine, their = _choices(sync, ours, theirs)
    plan = _incoming(sync, mine, their)
    _refuse(sync, plan.refusals, "Overleaf and this checkout disagree; nothing was changed on "
            "either side:")  # fmt: skip
    if dry_run:
        lines = [f"would write {sync.shown(c.path)} ({c.how})" for c in plan.here]
        return Result([*lines, "dry run: nothing was changed"] if lines else
                      ["up to date with Overleaf (dry run)"])  # fmt: skip
    done = _write_here(sync, plan.here)
    _settle(sync)
    if plan.conflicts:
        state = _resolving(sync)
        known = state.read_text().split("\n") if state.exists() else []
        atomic_write(state, "\n".join(sorted({*known, *plan.conflicts} - {""})) + "\n")
    result = Result(done or ["up to date with Overleaf"])
    for path in plan.conflicts:
        line = syncplan.marker_line((project.path("latex") / path).read_bytes())
        result.errors.append(f"{sync.shown(path)}:{line}: edited here and on Overleaf; both "
                             "wordings are between the <<<<<<< and >>>>>>> lines: keep the one "
                             "you want, delete the marker lines, then push")  # fmt: skip
    if done:
        result.lines += _manuscript_warnings(project)
    return result


def _manuscript_warnings(project: Project) -> list[str]:
    """Co-authors may cite papers the bib lacks: say so now ('vlabib check' will too)."""
    from vlabib.commands import build
    from vlabib.commands.check import lint_manuscript

    survey = build.load(project)
    will_write = {o.path for o in build.outputs(project, survey)}
    problems = lint_manuscript(project, survey.papers, survey.taxonomy, will_write)
    return [
        p.line_text().replace("Error: ", "Warning: ", 1)
        for p in problems
        if not p.warning and "unresolved conflict" not in p.message  # said as an error
    ]


def push(project: Project, *, dry_run: bool = False, ours: tuple[str, ...] = (),
         theirs: tuple[str, ...] = ()) -> Result:  # fmt: skip
    """Send ``latex/`` to Overleaf as one commit, after bringing Overleaf's new edits here;
    stops before deleting or taking back anything that came from Overleaf."""
    sync = _open(project)
    mine, their = _choices(sync, ours, theirs)
    incoming = _incoming(sync, mine, their)
    _refuse(sync, incoming.refusals, "Overleaf and this checkout disagree; nothing was "
            "changed on either side:")  # fmt: skip
    if incoming.conflicts:
        _refuse(
            sync,
            [
                Refusal(
                    p,
                    "edited here and on Overleaf, on the same lines (run 'vlabib "
                    "overleaf pull' to get both wordings in the file)",
                    ("--ours", "--theirs"),
                )
                for p in incoming.conflicts
            ],
            "Overleaf and this checkout disagree; nothing was changed on either side:",
        )
    local = _after(sync.local, incoming.here)
    state = _resolving(sync)
    resolved = set(state.read_text().split()) if state.exists() else set()
    outgoing = _outgoing(sync, local, mine | resolved)
    _refuse(sync, outgoing.refusals, "this push would undo work that came from Overleaf; "
            "nothing was changed on either side:")  # fmt: skip
    message = syncplan.describe(sync.remote, local, sync.generated, sync.template)
    if dry_run:
        lines = [f"would write {sync.shown(c.path)} ({c.how})" for c in incoming.here]
        lines += [f"would {c.how} {c.path} on Overleaf" for c in outgoing.overleaf]
        return Result([*lines, f"would commit: {message}" if outgoing.overleaf else
                       "Overleaf is up to date", "dry run: nothing was changed"])  # fmt: skip
    result = Result(_write_here(sync, incoming.here))
    _settle(sync)
    if not outgoing.overleaf:
        state.unlink(missing_ok=True)
        result.lines.append("Overleaf is up to date")
        return result
    _commit_and_push(sync, local, message)
    state.unlink(missing_ok=True)
    for change in outgoing.overleaf:
        verb = "deleted on Overleaf" if change.data is None else "pushed"
        result.lines.append(f"{verb} {sync.shown(change.path)}")
    if sync.template:
        result.lines.append("replaced Overleaf's new-project template: "
                            + ", ".join(sorted(sync.template)))  # fmt: skip
    result.lines.append(message)
    return result


def _commit_and_push(sync: _Sync, files: dict[str, bytes], message: str) -> None:
    git = sync.git
    _write_worktree(git.mirror, sync.remote, files)
    identity(git)
    git.run("add", "--all")
    git.run("commit", "--quiet", "--message", message)
    proc = git.call("push", "--quiet", sync.url, f"HEAD:refs/heads/{BRANCH}")
    if proc.returncode != 0:
        # Undo the local commit: the mirror's HEAD must stay what Overleaf has.
        if sync.remote_sha:
            git.run("reset", "--quiet", "--hard", sync.remote_sha)
        else:
            git.run("update-ref", "-d", "HEAD", check=False)
        said = git.scrub(proc.stderr.decode("utf-8", "replace"))
        raise OverleafError(push_failure(said, sync.url, bool(git.token)))


def _write_worktree(mirror: Path, before: dict[str, bytes], files: dict[str, bytes]) -> None:
    for path in set(before) - set(files):
        (mirror / path).unlink(missing_ok=True)
    for path, data in files.items():
        target = mirror / path
        if target.is_symlink():
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def status(project: Project) -> Result:
    """Per file, what changed on each side since the last sync and what a pull and a push
    would do with it."""
    sync = _open(project)
    incoming = _incoming(sync, set(), set())
    local = _after(sync.local, incoming.here)
    state = _resolving(sync)
    resolved = set(state.read_text().split()) if state.exists() else set()
    outgoing = _outgoing(sync, local, resolved) if not incoming.refusals else Plan()
    rows = syncplan.status_table(sync.base or {}, sync.remote, sync.local, incoming, outgoing)
    return Result(rows or ["in sync with Overleaf"])
