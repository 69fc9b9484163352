"""``vlabib overleaf status``: per file, what changed on each side and what pull and push
would do."""

from __future__ import annotations

from vlabib.config import Project
from vlabib.model import Report
from vlabib.overleaf import plan as syncplan
from vlabib.overleaf.plan import Plan
from vlabib.overleaf.session import (
    after,
    incoming,
    open_session,
    outgoing,
    resolved,
)


def status(project: Project) -> Report:
    """Per file, what changed on each side since the last sync and what a pull and a push
    would do with it."""
    sync = open_session(project)
    arriving = incoming(sync, set(), set())
    local = after(sync.local, arriving.here)
    leaving = outgoing(sync, local, resolved(sync)) if not arriving.refusals else Plan()
    rows = syncplan.status_table(sync.base or {}, sync.remote, sync.local, arriving, leaving)
    return Report(tuple(rows or ["in sync with Overleaf"]))
