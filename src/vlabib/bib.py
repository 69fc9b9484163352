"""Read and write the canonical bibliography. The only module that imports bibtexparser.

bibtexparser splits the file into blocks (with an empty parse stack: its middlewares would
rewrite values); everything after that is vlabib's: strict validation with file:line errors,
normalised values, and one canonical writer, so ``write(parse(text))`` is the formatter.

>>> write_string(parse_string('@misc{2509.09372, title={A}, author={Li, Wei}, year=2025, '
...     'eprint={2509.09372}, archiveprefix={arXiv}}')).splitlines()[0]
'@misc{2509.09372,'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import bibtexparser
from bibtexparser import model as bpm

from vlabib import ids
from vlabib.errors import BibError
from vlabib.model import Paper, is_month, split_keywords, split_top_level
from vlabib.tex import LatexError, encode_non_ascii

# bibtexparser logs each failed block; vlabib reports them itself, with a better line.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

#: Canonical field order; fields not listed follow in alphabetical order.
FIELD_ORDER = (
    "title",
    "author",
    "editor",
    "booktitle",
    "journal",
    "volume",
    "number",
    "pages",
    "publisher",
    "year",
    "month",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "doi",
    "url",
    "venue",
    "shortname",
    "code",
    "website",
    "journalref",
    "arxivcomment",
    "keywords",
)
_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}
_WIDTH = max(len(n) for n in FIELD_ORDER)
# An entry imported offline has no author until it is fetched: check reports that.
REQUIRED = ("title", "year")
REQUIRED_BY_TYPE = {"article": ("journal",), "inproceedings": ("booktitle",)}
_AND_RE = re.compile(r"\s+and\s+")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


def parse_string(text: str, path: str = "refs/vla.bib") -> list[Paper]:
    """Papers in *text*, sorted by key, values normalised; :class:`BibError` lists every problem."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    before = len(problems)
    key = block.key.strip()
    if not (ids.is_arxiv_id(key) or ids.is_doi_key(key)):
        problems.append((line, _bad_key(key)))
    fields: dict[str, str] = {}
    failed: set[str] = set()
    for f in block.fields:
        name = f.key.strip().lower()
        fline = f.start_line + 1
        if not _NAME_RE.match(name):
            problems.append((fline, f"entry {key}: field name {f.key!r} is not valid"))
            continue
        if name in fields:
            problems.append((fline, f"entry {key}: field {name} appears twice; keep one"))
            continue
        try:
            fields[name] = normalise(name, _value(name, f.value))
        except (BibError, LatexError) as exc:
            failed.add(name)
            problems.append((fline, f"entry {key}: field {name}: {exc}"))
    etype = block.entry_type.lower()
    for name in REQUIRED + REQUIRED_BY_TYPE.get(etype, ()):
        if not fields.get(name) and name not in failed:
            problems.append((line, f"entry {key}: required field {name} is missing"))
    if "year" in fields and not re.fullmatch(r"\d{4}", fields["year"]):
        problems.append((line, f"entry {key}: year {fields['year']!r} is not a 4-digit year"))
    if ids.is_arxiv_id(key) and fields.get("eprint") != key:
        problems.append(
            (line, f"entry {key}: eprint must be the key ({key}), found {fields.get('eprint')!r}")
        )
    if ids.is_doi_key(key) and ids.doi_key(fields.get("doi", "")) != key:
        problems.append((line, f"entry {key}: a doi: key must match its doi field"))
    if len(problems) > before:
        return None
    return Paper(key, etype, fields, line)


def _bad_key(key: str) -> str:
    hint = ""
    try:
        hint = f" (write {ids.parse_arxiv_id(key)})"
    except ids.IdError:
        hint = " (expected a bare arXiv ID such as 2509.09372 or cs/0112017, or doi:…)"
    return f"entry {key} is not a valid arXiv ID{hint}"


def _value(name: str, raw: str) -> str:
    """The content of a raw field value: braces or quotes removed, macros refused."""
    raw = raw.strip()
    inner = _delimited(raw)
    if inner is not None:
        return inner
    if raw.isdigit():
        return raw
    if name == "month" and is_month(raw):
        return raw.lower()
    if "#" in raw:
        raise BibError("'#' concatenation is not supported; write the whole value in braces")
    raise BibError(f"{raw!r} is an undefined macro; write the value in braces")


def _delimited(raw: str) -> str | None:
    """The inside of ``{…}`` or ``"…"`` when that one group is the whole value."""
    if not raw or raw[0] not in '{"':
        return None
    depth = 0
    for pos, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if pos and depth == 0 and (ch == "}" if raw[0] == "{" else ch == '"'):
            return raw[1:-1] if pos == len(raw) - 1 else None
    return None


# Commands that read or write files, run programs or redefine LaTeX: a bibliography field
# has no business holding them, and the manuscript would execute them.
_DANGEROUS_RE = re.compile(
    r"\\(input|include|InputIfFileExists|write|write18|immediate|openin|openout|read|"
    r"readline|catcode|def|edef|gdef|xdef|let|futurelet|csname|newcommand|renewcommand|"
    r"providecommand|usepackage|RequirePackage|documentclass|special|directlua|outer|"
    r"everyeof|everypar|endinput|makeatletter|pdfprimitive|scantokens)(?![A-Za-z])"
)


def normalise(name: str, value: str) -> str:
    """Canonical form of a field value: whitespace collapsed, non-ASCII as LaTeX."""
    danger = _DANGEROUS_RE.search(value)
    if danger:
        raise BibError(
            f"\\{danger.group(1)} would be executed by LaTeX; "
            f"write it as text (\\textbackslash{{}}{danger.group(1)})"
        )
    depth = 0
    for ch in value:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    if depth:
        raise BibError(
            "braces do not balance (BibTeX counts \\{ and \\} too); "
            "write a literal brace as \\textbraceleft{} or \\textbraceright{}"
        )
    value = encode_non_ascii(" ".join(value.split()))
    if name == "keywords":
        return ", ".join(split_keywords(value))
    if name in ("author", "editor"):
        return " and ".join(split_top_level(value, _AND_RE))
    if name == "month" and is_month(value):
        return value.lower()
    return value


def write_string(papers: Iterable[Paper]) -> str:
    """The canonical text: entries sorted by key, fields in :data:`FIELD_ORDER`, aligned."""
    blocks = []
    for paper in sorted(papers, key=lambda p: p.key):
        lines = [f"@{paper.type}{{{paper.key},"]
        for name in sorted(paper.fields, key=lambda n: (_RANK.get(n, len(_RANK)), n)):
            value = paper.fields[name]
            text = value if name == "month" and is_month(value) else "{" + value + "}"
            lines.append(f"  {name:<{_WIDTH}} = {text},")
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def read(path: Path, display: str | None = None) -> tuple[str, list[Paper]]:
    """The file's text and its papers; a missing or undecodable file is a :class:`BibError`."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BibError(
            f"{name}: no such file; create it with 'vlabib add ID' or 'vlabib import'"
        ) from None
    except OSError as exc:
        raise BibError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BibError(f"{name}:{line}: not UTF-8 text; save the file as UTF-8") from None
    return text, parse_string(text, name)


def load(path: Path, display: str | None = None) -> list[Paper]:
    """The papers of the bib at *path*."""
    return read(path, display)[1]


def format_file(path: Path, display: str, *, check_only: bool = False) -> bool:
    """Rewrite the bib canonically; True when it was (or, with *check_only*, would be) changed."""
    from vlabib.files import atomic_write, locked

    with locked(path):
        text, papers = read(path, display)
        canonical = write_string(papers)
        if canonical == text:
            return False
        if not check_only:
            atomic_write(path, canonical)
        return True
