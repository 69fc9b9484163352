"""One sync's view of both sides, read once — the trees, the commits, the merge base — and
the steps pull, push and status share: the plans, refusals, writes here, the state file.

A private mirror clone (``.vlabib/overleaf``, see :mod:`vlabib.overleaf.bridge`) holds the state of
the last sync: its HEAD is the merge base. Without it (a fresh clone, a second maintainer)
the base is the newest commit vlabib made on Overleaf. :mod:`vlabib.overleaf.plan` decides every
file before anything is written; a refusal leaves both sides as they were and names the
flag (``--ours``/``--theirs``) that decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vlabib import environment
from vlabib.config import Project
from vlabib.errors import OverleafError
from vlabib.files import atomic_write
from vlabib.overleaf import plan as syncplan
from vlabib.overleaf.bridge import (
    Git,
    fetch,
    head,
    local_files,
    merge3,
    mirror,
    overleaf_lines,
    remote_url,
    touched_on_overleaf,
    tree,
    vlabib_commit,
)
from vlabib.overleaf.plan import Change, Plan, Refusal

DISAGREE = "Overleaf and this checkout disagree; nothing was changed on either side:"


@dataclass
class Session:
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


def open_session(project: Project) -> Session:
    """Checks before any sync (a sound bib, a URL), then both sides."""
    from vlabib import bib
    from vlabib.tex.read import is_blank_template

    bib.load(project.bib, project.settings.bib)  # a broken bib means stale outputs
    url = remote_url(project)
    local = local_files(project)  # the bridge's limits are checked before anything moves
    git = mirror(project, environment.text("OVERLEAF_TOKEN") or None)
    remote_sha = fetch(git, url)
    base_sha = head(git) or (vlabib_commit(git, remote_sha) if remote_sha else None)
    remote = tree(git, remote_sha)
    template: frozenset[str] = frozenset()
    if (
        base_sha is None
        and remote
        and all(
            path.endswith(".tex")
            and syncplan.is_text(data)
            and is_blank_template(data.decode("utf-8"))
            for path, data in remote.items()
        )
    ):
        template = frozenset(remote)
    base = tree(git, base_sha) if base_sha else None
    return Session(project, git, url, remote_sha, base_sha, base, remote, local, template)


def choices(
    sync: Session, ours: tuple[str, ...], theirs: tuple[str, ...]
) -> tuple[set[str], set[str]]:
    """``--ours``/``--theirs`` paths as the trees name them (``latex/`` prefix optional)."""
    known = set(sync.local) | set(sync.remote) | set(sync.base or {})
    prefix = sync.project.settings.latex.rstrip("/") + "/"
    sides: list[set[str]] = []
    for given in (ours, theirs):
        paths = {p.removeprefix("./").removeprefix(prefix) for p in given}
        unknown = sorted(paths - known)
        if unknown:
            raise OverleafError(
                f"{', '.join(unknown)}: not a file here or on Overleaf; name files as {prefix}PATH"
            )
        sides.append(paths)
    both = sorted(sides[0] & sides[1])
    if both:
        raise OverleafError(f"{', '.join(both)}: given with both --ours and --theirs; pick one")
    return sides[0], sides[1]


def incoming(sync: Session, ours: set[str], theirs: set[str]) -> Plan:
    return syncplan.incoming(
        sync.base,
        sync.remote,
        sync.local,
        generated=sync.generated,
        merge=lambda b, m, r: merge3(sync.git, b, m, r),
        ours=ours,
        theirs=theirs,
        template=sync.template,
    )


def outgoing(sync: Session, local: dict[str, bytes], ours: set[str]) -> Plan:
    origins = syncplan.Origins(
        touched=lambda path: touched_on_overleaf(sync.git, sync.remote_sha, path),
        lines=lambda path: overleaf_lines(sync.git, sync.remote_sha, path),
    )
    return syncplan.outgoing(
        sync.remote,
        local,
        generated=sync.generated,
        origins=origins,
        ours=ours,
        template=sync.template,
    )


def after(local: dict[str, bytes], changes: list[Change]) -> dict[str, bytes]:
    out = dict(local)
    for change in changes:
        if change.data is None:
            out.pop(change.path, None)
        else:
            out[change.path] = change.data
    return out


def refuse(sync: Session, refusals: list[Refusal], headline: str) -> None:
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
        lines.append(
            "to take Overleaf's version here: vlabib overleaf pull --theirs "
            + " --theirs ".join(theirs)
        )
    if ours:
        lines.append(
            "to put this checkout's version on Overleaf: vlabib overleaf push --ours "
            + " --ours ".join(ours)
        )
    raise OverleafError("\n".join(lines))


def write_here(sync: Session, changes: list[Change]) -> list[str]:
    root = sync.project.path("latex")
    inside = root.resolve()
    for change in changes:
        # A local symlinked folder could carry a write outside latex/: check before writing.
        if not (root / change.path).parent.resolve().is_relative_to(inside):
            raise OverleafError(
                f"{sync.shown(change.path)}: its folder leads outside "
                f"{sync.project.settings.latex}/ (a symlink?); nothing was "
                "changed"
            )
    done = []
    for change in changes:
        target = root / change.path
        if change.data is None:
            target.unlink(missing_ok=True)
            done.append(f"deleted {sync.shown(change.path)} ({change.how})")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, change.data, root=sync.project.root)
        verb = (
            "merged"
            if change.how == "merged"
            else "conflict in"
            if change.how == "conflict markers"
            else "pulled"
        )
        done.append(
            f"{verb} {sync.shown(change.path)}" + (f" ({change.how})" if verb == "pulled" else "")
        )
    return done


def resolving(sync: Session) -> Path:
    """Files a pull wrote conflict markers into: the user's edit of them is their choice."""
    return sync.git.mirror / ".git" / "vlabib-resolving"


def settle(sync: Session) -> None:
    """The mirror's HEAD becomes what Overleaf has: the base of the next sync."""
    if sync.remote_sha:
        sync.git.run("reset", "--quiet", "--hard", sync.remote_sha)


def resolved(sync: Session) -> set[str]:
    """Files whose conflict markers a pull wrote and the user has since resolved here."""
    state = resolving(sync)
    return set(state.read_text().split()) if state.exists() else set()
