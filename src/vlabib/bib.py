"""Read and write the canonical bibliography. The only module that imports bibtexparser.

bibtexparser splits the file into blocks (with an empty parse stack: its middlewares would
rewrite values); everything after that is vlabib's: strict validation with file:line errors,
normalised values, and one canonical writer, so ``write(parse(text))`` is the formatter.

>>> write_string(parse_string('@misc{2509.09372, title={A}, author={Li, Wei}, year=2025, '
...     'eprint={2509.09372}, archiveprefix={arXiv}}')).splitlines()[0]
'@misc{2509.09372,'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from vlabib import ids
from vlabib.errors import BibError, LatexError
from vlabib.model import Paper, is_month, split_keywords, split_names
from vlabib.tex import encode_non_ascii
from vlabib.texsafe import is_category, is_doi, is_eprint, is_url, unsafe_construct

if TYPE_CHECKING:
    from bibtexparser import model as bpm

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
_FIELD_NAMES = frozenset(FIELD_ORDER)
# Outside printable ASCII: such a value needs encoding or whitespace folding.
_UNUSUAL_CHAR_RE = re.compile(r"[^ -~]")
_WIDTH = max(len(n) for n in FIELD_ORDER)
# An entry imported offline has no author until it is fetched: check reports that.
REQUIRED = ("title", "year")
REQUIRED_BY_TYPE = {"article": ("journal",), "inproceedings": ("booktitle",)}
_AND_RE = re.compile(r"\s+and\s+")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_BRACE_FIND = re.compile(r"[{}]").finditer
# Anything beyond single-spaced printable ASCII without braces or backslashes needs a look.
_SPECIAL_CHAR_RE = re.compile(r"[^ -\[\]-z|~]")
_YEAR_RE = re.compile(r"\d{4}")
# Characters that make a value more than plain text to TeX: such a value is checked
# against the allow-list.
_TEX_MARKUP_RE = re.compile(r"[\\$^#%&_\x00-\x1f\x7f]")
URL_FIELDS = ("url", "code", "website")
_LOOSE_SPACE_RE = re.compile(r"\s\s|[^ \S]|^\s|\s$")


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
        paper = _validated(key, etype, fields, line, problems, balanced=True)
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
            fields.append((f.key.strip(), _value(f.key.strip().lower(), f.value), fline))
        except BibError as exc:
            failed.append(f.key.strip().lower())
            problems.append((fline, f"entry {key}: field {f.key.strip().lower()}: {exc}"))
    return _validated(key, block.entry_type, fields, line, problems, failed)


def _validated(
    key: str,
    etype: str,
    raw_fields: list[tuple[str, str, int]],
    line: int,
    problems: list[tuple[int, str]],
    failed: Iterable[str] = (),
    *,
    balanced: bool = False,
) -> Paper | None:
    """The paper for an entry's key, type and (name, value, line) fields, or None after
    adding its problems to *problems*. Both readers end here, so they agree.

    *balanced* says every value came from a balanced brace group (the fast reader's), so
    the brace check can be skipped.
    """
    before = len(problems)
    failed = set(failed)
    arxiv_key = ids.is_arxiv_id(key)
    if not (arxiv_key or ids.is_doi_key(key)):
        problems.append((line, _bad_key(key)))
    fields: dict[str, str] = {}
    unusual = _UNUSUAL_CHAR_RE.search
    for raw_name, value, fline in raw_fields:
        name = raw_name if raw_name in _FIELD_NAMES else raw_name.lower()
        if name not in _FIELD_NAMES and not _NAME_RE.match(name):
            problems.append((fline, f"entry {key}: field name {raw_name!r} is not valid"))
            continue
        if name in fields:
            problems.append((fline, f"entry {key}: field {name} appears twice; keep one"))
            continue
        if balanced and not (
            unusual(value) or "  " in value or value[:1] == " " or value[-1:] == " "
        ):
            # Printable, single-spaced ASCII with balanced braces: only the field's own
            # rule can change it, and for most fields there is none.
            if name == "keywords":
                value = _canonical_keywords(value)
            elif name == "month" and is_month(value):
                value = value.lower()
        else:
            try:
                value = normalise(name, value)
            except (BibError, LatexError) as exc:
                failed.add(name)
                problems.append((fline, f"entry {key}: field {name}: {exc}"))
                continue
        problem = field_problem(name, value)
        if problem:
            failed.add(name)
            problems.append((fline, f"entry {key}: field {name}: {problem}"))
            continue
        fields[name] = value
    etype = etype.lower()
    for name in REQUIRED + REQUIRED_BY_TYPE.get(etype, ()):
        if not fields.get(name) and name not in failed:
            problems.append((line, f"entry {key}: required field {name} is missing"))
    if "year" in fields and not _YEAR_RE.fullmatch(fields["year"]):
        problems.append((line, f"entry {key}: year {fields['year']!r} is not a 4-digit year"))
    if arxiv_key and fields.get("eprint") != key:
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


def field_problem(name: str, value: str) -> str | None:
    r"""Why *value* may not stand in field *name*, or None.

    Identifiers must match their strict patterns; every other field reaches TeX through
    BibTeX and must hold only allow-listed LaTeX (see :mod:`vlabib.texsafe`).

    >>> field_problem("url", "javascript:alert(1)")
    'javascript:alert(1) is not an http(s) URL'
    >>> print(field_problem("title", r"A \input{x}"))  # doctest: +ELLIPSIS
    \input is not allowed in a bibliography field (...); write it as text: \textbackslash{}input
    """
    if name in URL_FIELDS:
        return None if is_url(value) else f"{value[:80]} is not an http(s) URL"
    if name == "doi":
        return None if is_doi(value) else f"{value[:80]} is not a DOI (10.NNNN/…)"
    if name == "primaryclass":
        return None if is_category(value) else f"{value[:40]} is not an arXiv category"
    if name == "eprint":
        return None if is_eprint(value) else f"{value[:40]} is not an e-print identifier"
    if not _TEX_MARKUP_RE.search(value):
        return None
    construct = unsafe_construct(value)
    if construct is None:
        return None
    if construct.startswith("\\") and construct[1:].isalpha():
        hint = f"write it as text: \\textbackslash{{}}{construct[1:]}"
    elif construct.startswith("^^"):
        hint = "write ^ as \\textasciicircum{}"
    else:
        hint = "write it as text"
    return (
        f"{construct} is not allowed in a bibliography field (only accents, symbols, "
        f"font commands and simple math are); {hint}"
    )


def normalise(name: str, value: str) -> str:
    """Canonical form of a field value: whitespace collapsed, non-ASCII as LaTeX."""
    if (
        _SPECIAL_CHAR_RE.search(value)
        or "  " in value
        or value.startswith(" ")
        or value.endswith(" ")
    ):
        value = _normalise_text(value)
    if name == "keywords":
        return _canonical_keywords(value)
    if name in ("author", "editor"):
        return " and ".join(split_names(value))
    if name == "month" and is_month(value):
        return value.lower()
    return value


@functools.lru_cache(maxsize=4096)
def _canonical_keywords(value: str) -> str:
    return ", ".join(split_keywords(value))


def _normalise_text(value: str) -> str:
    if "{" in value or "}" in value:
        depth = 0
        for brace in _BRACE_FIND(value):
            depth += 1 if brace.group() == "{" else -1
            if depth < 0:
                break
        if depth:
            raise BibError(
                "braces do not balance (BibTeX counts \\{ and \\} too); "
                "write a literal brace as \\textbraceleft{} or \\textbraceright{}"
            )
    if _LOOSE_SPACE_RE.search(value):
        value = " ".join(value.split())
    if not value.isascii():
        value = encode_non_ascii(value)
    return value


@functools.lru_cache(maxsize=1024)
def _field_order(names: tuple[str, ...]) -> list[str]:
    return sorted(names, key=lambda n: (_RANK.get(n, len(_RANK)), n))


def write_string(papers: Iterable[Paper]) -> str:
    """The canonical text: entries sorted by key, fields in :data:`FIELD_ORDER`, aligned."""
    blocks = []
    for paper in sorted(papers, key=lambda p: p.key):
        lines = [f"@{paper.type}{{{paper.key},"]
        for name in _field_order(tuple(paper.fields)):
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
