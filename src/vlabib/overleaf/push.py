"""``vlabib overleaf push``: the manuscript folder to Overleaf as one commit, after taking
Overleaf's newer edits, never deleting or taking back a co-author's work unasked."""

from __future__ import annotations

from pathlib import Path

from vlabib.config import Project
from vlabib.errors import OverleafError
from vlabib.model import Report
from vlabib.overleaf import plan as syncplan
from vlabib.overleaf.bridge import BRANCH, identity, push_failure
from vlabib.overleaf.plan import Refusal
from vlabib.overleaf.session import (
    DISAGREE,
    Session,
    after,
    choices,
    incoming,
    open_session,
    outgoing,
    refuse,
    resolved,
    resolving,
    settle,
    write_here,
)


def push(
    project: Project,
    *,
    dry_run: bool = False,
    ours: tuple[str, ...] = (),
    theirs: tuple[str, ...] = (),
) -> Report:
    """Send the manuscript folder to Overleaf as one commit, after bringing Overleaf's new
    edits here; stops before deleting or taking back anything that came from Overleaf."""
    sync = open_session(project)
    mine, their = choices(sync, ours, theirs)
    arriving = incoming(sync, mine, their)
    refuse(sync, arriving.refusals, DISAGREE)
    refuse(sync, [_both_edited(p) for p in arriving.conflicts], DISAGREE)
    local = after(sync.local, arriving.here)
    leaving = outgoing(sync, local, mine | resolved(sync))
    refuse(
        sync,
        leaving.refusals,
        "this push would undo work that came from Overleaf; nothing was changed on either side:",
    )
    message = syncplan.describe(sync.remote, local, sync.generated, sync.template)
    if dry_run:
        lines = [f"would write {sync.shown(c.path)} ({c.how})" for c in arriving.here]
        lines += [f"would {c.how} {c.path} on Overleaf" for c in leaving.overleaf]
        return Report(
            (
                *lines,
                f"would commit: {message}" if leaving.overleaf else "Overleaf is up to date",
                "dry run: nothing was changed",
            )
        )
    lines = write_here(sync, arriving.here)
    settle(sync)
    if not leaving.overleaf:
        resolving(sync).unlink(missing_ok=True)
        return Report((*lines, "Overleaf is up to date"))
    _commit_and_push(sync, local, message)
    resolving(sync).unlink(missing_ok=True)
    for change in leaving.overleaf:
        verb = "deleted on Overleaf" if change.data is None else "pushed"
        lines.append(f"{verb} {sync.shown(change.path)}")
    if sync.template:
        lines.append(
            "replaced Overleaf's new-project template: " + ", ".join(sorted(sync.template))
        )
    return Report((*lines, message))


def _both_edited(path: str) -> Refusal:
    return Refusal(
        path,
        "edited here and on Overleaf, on the same lines (run 'vlabib overleaf pull' to get "
        "both wordings in the file)",
        ("--ours", "--theirs"),
    )


def _commit_and_push(sync: Session, files: dict[str, bytes], message: str) -> None:
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
