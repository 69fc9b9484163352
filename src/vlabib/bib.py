"""Read and write the canonical bibliography. The only module that imports bibtexparser.

bibtexparser splits the file into blocks (with an empty parse stack: its middlewares would
rewrite values); everything after that is vlabib's: strict validation with file:line errors
(:mod:`vlabib.fields`), and one canonical writer, so ``write(parse(text))`` is the
formatter. Every change to the file goes through :func:`transaction`.

>>> write_string(parse_string('@misc{2509.09372, title={A}, author={Li, Wei}, year=2025, '
...     'eprint={2509.09372}, archiveprefix={arXiv}}')).splitlines()[0]
'@misc{2509.09372,'
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vlabib.bibcache import remembered_parse
from vlabib.bibwrite import first_difference as first_difference
from vlabib.bibwrite import write_string as write_string
from vlabib.errors import BibError
from vlabib.fields import raw_value, validated
from vlabib.files import atomic_write, locked, read_source, unchanged
from vlabib.model import Paper, is_month

if TYPE_CHECKING:
    from bibtexparser import model as bpm


def parse_string(text: str, path: str = "refs/vla.bib") -> list[Paper]:
    """Papers in *text*, sorted by key, values normalised; :class:`BibError` lists every problem.

    A well-formed file is read by :func:`_fast_parse`; anything it does not accept goes
    through bibtexparser, which finds and words every problem.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    papers = _fast_parse(text)
    if papers is not None:
        return papers
    return _careful_parse(text, path)


# One field value: braces nested up to four deep, a number, or a month macro. The
# quantifiers are possessive: a value that does not close fails at once instead of
# backtracking exponentially.
_VALUE = (
    r"\{((?:[^{}]++|\{(?:[^{}]++|\{(?:[^{}]++|\{[^{}]*+\})*+\})*+\})*+)\}"
    r"|(\d++|[A-Za-z]++)"
)
_FIELD = rf"\s*+([A-Za-z][\w-]*+)\s*+=\s*+(?:{_VALUE})\s*+"
# A whole entry in one match: its fields are then taken out by _FIELD_RE.findall.
_ENTRY_RE = re.compile(
    rf"\s*+@([A-Za-z]++)\s*+\{{\s*+([^\s,{{}}()\"#%'=]++)\s*+,((?:{_FIELD},)*+(?:{_FIELD})?)\s*+\}}"
)
_FIELD_RE = re.compile(_FIELD)


def _fast_parse(text: str) -> list[Paper] | None:
    """The papers of a well-formed bib, or None when anything needs a closer look.

    It never reports a problem: whatever it does not accept, :func:`_careful_parse` reads
    again and words. Field lines are therefore not tracked here, only entry lines.
    """
    papers: list[Paper] = []
    seen: set[str] = set()
    problems: list[tuple[int, str]] = []
    pos, line, counted = 0, 1, 0
    end = len(text.rstrip())
    match, fields_of = _ENTRY_RE.match, _FIELD_RE.findall
    while pos < end:
        m = match(text, pos)
        if m is None:
            return None
        etype, key = m.group(1).lower(), m.group(2)
        if etype in ("string", "comment", "preamble"):
            return None
        line += text.count("\n", counted, m.start(1))
        counted = m.start(1)
        pos = m.end()
        fields = []
        for name, braced, bare in fields_of(m.group(3)):
            if bare and not bare.isdigit() and not (name.lower() == "month" and is_month(bare)):
                return None
            fields.append((name, braced or bare, line))
        paper = validated(key, etype, fields, line, problems, balanced=True)
        if paper is None or key.lower() in seen:
            return None
        seen.add(key.lower())
        papers.append(paper)
    papers.sort(key=lambda p: p.key)
    return papers


def _careful_parse(text: str, path: str) -> list[Paper]:
    """Every problem in *text*, by line, through bibtexparser (or its papers, if none)."""
    import logging

    # Imported here: well-formed files never need it, and it costs start-up time.
    import bibtexparser
    from bibtexparser import model as bpm

    # bibtexparser logs each failed block; vlabib reports them itself, with a better line.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

    library = bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
    problems: list[tuple[int, str]] = []
    papers: dict[str, Paper] = {}
    folded: dict[str, Paper] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bpm.DuplicateBlockKeyBlock):
            first = papers.get(block.key) or folded.get(block.key.lower())
            where = f" (first at line {first.line})" if first else ""
            problems.append((line, f"duplicate key {block.key}{where}; merge the two entries"))
        elif isinstance(block, bpm.ParsingFailedBlock):
            problems.append(_failed_block(block, line))
        elif isinstance(block, bpm.String):
            problems.append(
                (line, f"@string {block.key} is not supported; write its value into each field")
            )
        elif isinstance(block, bpm.Preamble):
            problems.append((line, "@preamble is not supported; put LaTeX set-up in main.tex"))
        elif isinstance(block, bpm.ExplicitComment):
            problems.append((line, "@comment is not kept by the canonical writer; remove it"))
        elif isinstance(block, bpm.ImplicitComment):
            if block.comment.strip():
                problems.append(
                    (line, f"text outside any entry: {block.comment.strip()[:40]!r}; remove it")
                )
        elif isinstance(block, bpm.Entry):
            paper = _entry(block, line, problems)
            if paper is None:
                continue
            twin = folded.get(paper.key.lower())
            if twin is not None:
                problems.append(
                    (
                        line,
                        f"duplicate key {paper.key} (line {twin.line} has {twin.key}; "
                        "BibTeX keys are case-insensitive); merge the two entries",
                    )
                )
                continue
            papers[paper.key] = folded[paper.key.lower()] = paper
    if problems:
        problems.sort()
        raise BibError("\n".join(f"{path}:{ln}: {msg}" for ln, msg in problems))
    return sorted(papers.values(), key=lambda p: p.key)


def _failed_block(block: bpm.ParsingFailedBlock, line: int) -> tuple[int, str]:
    where, what = _brace_problem(block.raw or "", line)
    if what:
        return where, what
    reason = str(getattr(block.error, "abort_reason", None) or block.error)
    dup = re.search(r"Duplicate field keys on entry: '([^']*)'", reason)
    if dup:
        return line, f"field {dup.group(1)} appears twice in this entry; keep one"
    return line, f"entry could not be parsed: {' '.join(str(reason).split())}"


# A line that starts a field or an entry cannot be inside a field value: if it is, the
# value's opening brace is the one never closed.
_FRESH_LINE_RE = re.compile(r"\s*(?:[A-Za-z][\w-]*\s*=|@\w+\s*[{(])")


def _brace_problem(raw: str, line: int) -> tuple[int, str]:
    """Line of the ``{`` never closed (or of a stray ``}``) in a failed block's text."""
    # BibTeX counts every brace, a backslash before it or not.
    stack: list[int] = []
    for pos, ch in enumerate(raw):
        if ch == "{":
            stack.append(line)
        elif ch == "}":
            if not stack:
                return line, "'}' closes nothing; remove it or add the missing '{'"
            stack.pop()
        if ch == "\n":
            line += 1
            if len(stack) >= 2 and _FRESH_LINE_RE.match(raw, pos + 1):
                return stack[-1], "'{' is never closed; add the missing '}'"
    if stack:
        return stack[-1], "'{' is never closed; add the missing '}'"
    return line, ""


def _entry(block: bpm.Entry, line: int, problems: list[tuple[int, str]]) -> Paper | None:
    """A bibtexparser entry, validated; its problems are added to *problems*."""
    fields: list[tuple[str, str, int]] = []
    key = block.key.strip()
    failed = []
    for f in block.fields:
        fline = f.start_line + 1
        try:
            fields.append((f.key.strip(), raw_value(f.key.strip().lower(), f.value), fline))
        except BibError as exc:
            failed.append(f.key.strip().lower())
            problems.append((fline, f"entry {key}: field {f.key.strip().lower()}: {exc}"))
    return validated(key, block.entry_type, fields, line, problems, failed)


@dataclass(frozen=True)
class Snapshot:
    """The bib as read: its text and its papers."""

    text: str
    papers: list[Paper]


def read(path: Path, display: str | None = None) -> Snapshot:
    """The file's text and papers; a missing or undecodable file is a :class:`BibError`."""
    name = display or str(path)
    try:  # a CRLF file reads as LF; writes keep its CRLF
        text = read_source(path, name, BibError)
    except FileNotFoundError:
        raise BibError(
            f"{name}: no such file; create it with 'vlabib add ID' or 'vlabib import'"
        ) from None
    # The papers live as long as the command: the cyclic collector need not walk them
    # again and again (at 100,000 entries that walk costs more than the parse).
    gc.disable()
    try:
        papers = remembered_parse(text, name, parse_string)
    finally:
        gc.enable()
    gc.freeze()
    return Snapshot(text, papers)


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
            key = next((ln[ln.index("{") + 1 : -1] for ln in reversed(lines[:number])
                        if ln.startswith("@")), "?")  # fmt: skip
            said = m.group(2)
            problem = said if said.startswith(f"entry {key}") else f"entry {key}: {said}"
        out.append(problem)
    return ("\n".join(out) + f"\nnothing was written to {display}: vlabib would not be able to "
            "read it back; please report this with the command you ran")  # fmt: skip


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
    lines = list(difflib.unified_diff(current.text.splitlines(), write_string(current.papers)
                                      .splitlines(), f"{display} (as it is)",
                                      f"{display} (canonical)", lineterm=""))  # fmt: skip
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
