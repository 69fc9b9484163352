"""The bib's text to papers: a fast reader for well-formed files, and bibtexparser (its one
home) for everything else, which finds and words every problem with its line. Both end in
:func:`vlabib.bib.fields.validated`, so they agree.

>>> text = '@misc{2509.09372, title={A}, eprint={2509.09372}, archiveprefix={arXiv}}'
>>> [p.key for p in parse_string(text)]
['2509.09372']
"""

from __future__ import annotations

import marshal
import re
from typing import TYPE_CHECKING, NamedTuple

from vlabib import parallel
from vlabib.bib.fields import delimited, raw_value, validated
from vlabib.errors import BibError
from vlabib.model import Paper, is_month

if TYPE_CHECKING:
    from bibtexparser import model as bpm


def parse_string(text: str, path: str = "bib") -> list[Paper]:
    """Papers in *text*, sorted by key, values normalised; :class:`BibError` lists every problem.

    A well-formed file is read by :func:`_fast_parse`; anything it does not accept goes
    through bibtexparser, which finds and words every problem.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    large = len(text) >= parallel.LARGE * _ENTRY_SIZE
    papers = _fast_parse_halves(text) if large else _fast_parse(text)
    if papers is not None:
        return papers
    return _careful_parse(text, path)


_ENTRY_SIZE = 2048  # characters an entry with its abstract takes, about


def _fast_parse_halves(text: str) -> list[Paper] | None:
    """:func:`_fast_parse` of a large text, its two halves on two cores (see
    :mod:`vlabib.parallel`), cut where an entry begins; None as it would say None."""
    cut = text.find("\n@", len(text) // 2) + 1
    if cut <= 0:
        return _fast_parse(text)
    first_lines = text.count("\n", 0, cut)
    head, rows = parallel.both(
        lambda: _fast_parse(text[:cut]), lambda: _as_rows(_fast_parse(text[cut:], first_lines + 1))
    )
    tail = _from_rows(rows)
    if head is None or tail is None:
        return None
    if {p.key.lower() for p in head} & {p.key.lower() for p in tail}:
        return None  # a key in both halves: the careful reader words it
    return sorted(head + tail, key=lambda p: p.key)


def _as_rows(papers: list[Paper] | None) -> bytes:
    """Papers as :mod:`marshal` data: from the child, twice as fast as pickling them."""
    return marshal.dumps(None if papers is None else [p.as_row() for p in papers])


def _from_rows(data: bytes) -> list[Paper] | None:
    rows = marshal.loads(data)
    return None if rows is None else [Paper(*row) for row in rows]


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


def _fast_parse(text: str, line: int = 1) -> list[Paper] | None:
    """The papers of a well-formed bib, or None when anything needs a closer look.

    It never reports a problem: whatever it does not accept, :func:`_careful_parse` reads
    again and words. Field lines are therefore not tracked here, only entry lines (the
    text's first being *line*).
    """
    papers: list[Paper] = []
    seen: set[str] = set()
    problems: list[tuple[int, str]] = []
    pos, counted = 0, 0
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
        duplicate = isinstance(block, bpm.DuplicateBlockKeyBlock)  # a failed block too
        if isinstance(block, bpm.ParsingFailedBlock) and not duplicate:
            problems.append(_failed_block(block, line))
            continue
        if not isinstance(block, bpm.Entry):
            problem = _block_problem(block, papers, folded)
            if problem:
                problems.append((line, problem))
            continue
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


def _block_problem(block: bpm.Block, papers: dict[str, Paper], folded: dict[str, Paper]) -> str:
    """What is wrong with a block that is not an entry ("" for a blank comment)."""
    from bibtexparser import model as bpm

    if isinstance(block, bpm.DuplicateBlockKeyBlock):
        first = papers.get(block.key) or folded.get(block.key.lower())
        where = f" (first at line {first.line})" if first else ""
        return f"duplicate key {block.key}{where}; merge the two entries"
    if isinstance(block, bpm.String):
        return f"@string {block.key} is not supported; write its value into each field"
    if isinstance(block, bpm.Preamble):
        return "@preamble is not supported; put LaTeX set-up in main.tex"
    if isinstance(block, bpm.ExplicitComment):
        return "@comment is not kept by the canonical writer; remove it"
    if isinstance(block, bpm.ImplicitComment) and block.comment.strip():
        return f"text outside any entry: {block.comment.strip()[:40]!r}; remove it"
    return ""


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


class Foreign(NamedTuple):
    """A bib someone else wrote, as its entries say it: each entry's key, type, fields
    (lower-case name, value without its delimiters, line) and line; and each key defined
    again (key, line, the line of its first definition), which BibTeX ignores."""

    entries: list[tuple[str, str, list[tuple[str, str, int]], int]]
    repeats: list[tuple[str, int, int]]


_MONTH_NAMES = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}


def read_foreign(text: str, path: str) -> Foreign:
    """Every entry of a bib exported by Zotero, DBLP, Google Scholar or typed by hand, with
    ``@string`` abbreviations and ``#`` concatenation resolved as BibTeX does; a key defined
    twice keeps its first definition. :class:`BibError` lists every block that does not
    parse, and every undefined abbreviation, with its line."""
    import logging

    import bibtexparser
    from bibtexparser import model as bpm

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    library = bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
    strings: dict[str, str] = {}
    problems: list[tuple[int, str]] = []
    entries: list[tuple[str, str, list[tuple[str, str, int]], int]] = []
    first: dict[str, int] = {}
    repeats: list[tuple[str, int, int]] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bpm.DuplicateBlockKeyBlock):
            repeats.append((block.key, line, first.get(block.key.lower(), 0)))
        elif isinstance(block, bpm.ParsingFailedBlock):
            problems.append(_failed_block(block, line))
        elif isinstance(block, bpm.String):
            strings[block.key.lower()] = _resolved(str(block.value), strings, line, problems)
        elif isinstance(block, bpm.Entry):
            fields = [
                (
                    f.key.strip().lower(),
                    _resolved(f.value, strings, f.start_line + 1, problems),
                    f.start_line + 1,
                )
                for f in block.fields
            ]
            first.setdefault(block.key.lower(), line)
            entries.append((block.key.strip(), block.entry_type.lower(), fields, line))
    if problems:
        raise BibError("\n".join(f"{path}:{ln}: {msg}" for ln, msg in sorted(problems)))
    return Foreign(entries, repeats)


def _resolved(raw: str, strings: dict[str, str], line: int, problems: list[tuple[int, str]]) -> str:
    """A raw value as BibTeX reads it: ``{…}`` and ``"…"`` parts, numbers, ``@string``
    names and month names, joined where ``#`` joins them."""
    out = []
    for part in _concatenated(raw.strip()):
        inner = delimited(part)
        if inner is not None:
            out.append(inner)
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in _MONTH_NAMES:
            out.append(part.lower() if raw.strip() == part else _MONTH_NAMES[part.lower()])
        else:
            problems.append(
                (line, f"{part!r} is not defined (no @string names it); write the value in braces")
            )
    return "".join(out)


def _concatenated(raw: str) -> list[str]:
    """The parts of a value that ``#`` joins, outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for pos, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:pos].strip())
            start = pos + 1
    return [*parts, raw[start:].strip()]
