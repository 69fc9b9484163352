"""The bib file: read it (a large one's parse remembered), and change it through
:func:`transaction` — the one write protocol: lock, read once, edit, write canonically,
read back, replace atomically.

>>> write_string(parse_string('@misc{2509.09372, title={A}, author={Li, Wei}, year=2025, '
...     'eprint={2509.09372}, archiveprefix={arXiv}}')).splitlines()[0]
'@misc{2509.09372,'
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vlabib.bib import remembered
from vlabib.bib.parse import parse_string
from vlabib.bib.write import first_difference, write_string
from vlabib.errors import BibError
from vlabib.files import atomic_write, locked, read_source_digest, unchanged
from vlabib.model import Paper


@dataclass(frozen=True)
class Snapshot:
    """The bib as read: its text, its papers, and a digest that keys what is made from it."""

    text: str
    papers: list[Paper]
    digest: bytes = hashlib.sha256(b"").digest()  # of the file's bytes (an empty bib's)
    kept: bool = True  # its parse came from memory, or needs none: see keep()


def read(path: Path, display: str | None = None, *, keep_now: bool = True) -> Snapshot:
    """The file's text and papers; a missing or undecodable file is a :class:`BibError`.

    A large bib's parse is remembered for the next read: now, or (not *keep_now*) when the
    caller calls :func:`keep`, on a core that has time for it."""
    name = display or str(path)
    try:  # a CRLF file reads as LF; writes keep its CRLF
        text, digest = read_source_digest(path, name, BibError)
    except FileNotFoundError:
        raise BibError(
            f"{name}: no such file; create it with 'vlabib add ID' or 'vlabib import'"
        ) from None
    papers = remembered.recalled(text, digest)
    if papers is not None:
        return Snapshot(text, papers, digest)
    papers = parse_string(text, name)
    snapshot = Snapshot(text, papers, digest, kept=not remembered.worth_remembering(text))
    if keep_now:
        keep(snapshot)
    return snapshot


def keep(snapshot: Snapshot) -> None:
    """Remember the parse of a snapshot :func:`read` with ``keep_now=False`` (once)."""
    if not snapshot.kept:
        remembered.remember(snapshot.digest, snapshot.papers)


def load(path: Path, display: str | None = None) -> list[Paper]:
    """The papers of the bib at *path*."""
    return read(path, display).papers


@dataclass
class Change:
    """The papers of a transaction, by key, for the caller to edit; then the text written."""

    papers: dict[str, Paper]
    before: str
    text: str = ""
    written: bool = False


def _unwritable(message: str, text: str, display: str) -> str:
    """A read-back failure, told by entry: ``display:LINE:`` means a line of *text*."""
    lines = text.split("\n")
    out = []
    for problem in message.split("\n"):
        m = re.match(rf"{re.escape(display)}:(\d+): (.*)", problem)
        if m:
            number = int(m.group(1))
            key = next(
                (
                    ln[ln.index("{") + 1 : -1]
                    for ln in reversed(lines[:number])
                    if ln.startswith("@")
                ),
                "?",
            )
            said = m.group(2)
            problem = said if said.startswith(f"entry {key}") else f"entry {key}: {said}"
        out.append(problem)
    return (
        "\n".join(out) + f"\nnothing was written to {display}: vlabib would not be able to "
        "read it back; please report this with the command you ran"
    )


@contextlib.contextmanager
def transaction(
    path: Path,
    display: str,
    *,
    base: Snapshot | None = None,
    create: bool = False,
    dry_run: bool = False,
    reformat: bool = False,
    root: Path | None = None,
) -> Iterator[Change]:
    """The one way the bib changes: lock, read once, let the caller edit the papers, write
    canonically, read the result back, replace the file atomically. An exception in the
    caller's block writes nothing.

    *base* is a snapshot read earlier (before a fetch, say): if the file still holds its
    text, it is not parsed again. *create* starts an empty bib when there is none. The file
    is written when a paper changed, or (with *reformat*) when its text is not canonical.
    A symlinked bib is written through to its target inside *root* (the survey).
    """
    # A new survey's refs/ folder does not exist yet: nobody else can be writing there; and a
    # dry run writes nothing, not even a lock file.
    with locked(path) if path.parent.is_dir() and not dry_run else contextlib.nullcontext():
        if create and not path.exists():
            current = Snapshot("", [])
        elif base is not None and unchanged(path, base.text):
            current = base
        else:
            current = read(path, display)
        read_papers = {p.key: p for p in current.papers}
        change = Change(dict(read_papers), current.text)
        yield change
        change.text = write_string(change.papers.values())
        try:
            if change.text != current.text:  # whatever is written must read back
                parse_string(change.text, display)
        except BibError as exc:
            # Its lines are in a text that was never written: name the entries instead.
            raise BibError(_unwritable(str(exc), change.text, display)) from None
        wanted = change.papers != read_papers or reformat
        if wanted and not dry_run and change.text != current.text:
            atomic_write(path, change.text, root=root)
            change.written = True


def canonical_diff(path: Path, display: str, limit: int = 40) -> list[str]:
    """The first differences between the bib and its canonical form, as a unified diff
    (at most *limit* lines; the rest is counted)."""
    import difflib

    current = read(path, display)
    lines = list(
        difflib.unified_diff(
            current.text.splitlines(),
            write_string(current.papers).splitlines(),
            f"{display} (as it is)",
            f"{display} (canonical)",
            lineterm="",
        )
    )
    if len(lines) > limit:
        rest = sum(1 for ln in lines[limit:] if ln.startswith(("+", "-")))
        lines = [*lines[:limit], f"… and {rest} more changed lines; 'vlabib fmt' makes them all"]
    return lines


def format_file(
    path: Path, display: str, *, check_only: bool = False, root: Path | None = None
) -> bool:
    """Rewrite the bib canonically; True when it was (or, with *check_only*, would be) changed."""
    if check_only:
        current = read(path, display)
        return first_difference(current.text, current.papers) != 0
    with transaction(path, display, reformat=True, root=root) as change:
        pass
    return change.written
