r"""What each bibliography field may hold, and its canonical form. Both bib readers (the fast
one and bibtexparser's) end in :func:`validated`, so they agree.

>>> field_problem("url", "javascript:alert(1)")
'javascript:alert(1) is not an http(s) URL'
>>> print(field_problem("title", r"A \input{x}"))  # doctest: +ELLIPSIS
\input is not allowed in a bibliography field (...); write it as text: \textbackslash{}input
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from vlabib import ids
from vlabib.errors import BibError
from vlabib.keys import is_fallback_key
from vlabib.model import RESOURCES, Paper, is_month, split_keywords
from vlabib.names import split_names
from vlabib.tex.allow import is_category, is_doi, is_eprint, is_url, unsafe_construct
from vlabib.tex.encode import encode_non_ascii

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
    "date",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "doi",
    "url",
    "venue",
    "shortname",
    "code",
    "website",
    "links",
    "recommended",
    "resource",
    "position",
    "annote",
    "journalref",
    "arxivcomment",
    "keywords",
    "ids",
    "abstract",
)
RANK = {name: i for i, name in enumerate(FIELD_ORDER)}
WIDTH = max(len(n) for n in FIELD_ORDER)
_FIELD_NAMES = frozenset(FIELD_ORDER)
# An entry imported offline has no author until it is fetched: check reports that.
REQUIRED = ("title",)
REQUIRED_BY_TYPE = {"article": ("journal",), "inproceedings": ("booktitle",)}
URL_FIELDS = ("url", "code", "website", "ee", "biburl")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
#: A key an adopted entry may keep: what BibTeX reads as one key.
OWN_KEY_RE = re.compile(r"^[^\s,{}()\"#%'=\\~]{1,200}$")
_BRACE_FIND = re.compile(r"[{}]").finditer
_YEAR_RE = re.compile(r"\d{4}")
# Outside printable ASCII: such a value needs encoding or whitespace folding.
_UNUSUAL_CHAR_RE = re.compile(r"[^ -~]")
# Anything beyond single-spaced printable ASCII without braces or backslashes needs a look.
_SPECIAL_CHAR_RE = re.compile(r"[^ -\[\]-z|~]")
# Characters that make a value more than plain text to TeX: checked against the allow-list.
_TEX_MARKUP_RE = re.compile(r"[\\$^#%&_\x00-\x1f\x7f]")
_LOOSE_SPACE_RE = re.compile(r"\s\s|[^ \S]|^\s|\s$")

Problems = list[tuple[int, str]]


def validated(
    key: str,
    etype: str,
    raw_fields: list[tuple[str, str, int]],
    line: int,
    problems: Problems,
    failed: Iterable[str] = (),
    *,
    balanced: bool = False,
) -> Paper | None:
    """The paper for an entry's key, type and (name, value, line) fields, or None after
    adding its problems to *problems*.

    *balanced* says every value came from a balanced brace group (the fast reader's), so
    the brace check can be skipped.
    """
    before = len(problems)
    failed = set(failed)
    fields: dict[str, str] = {}
    for raw_name, value, fline in raw_fields:
        name = raw_name if raw_name in _FIELD_NAMES else raw_name.lower()
        problem = _name_problem(name, raw_name, fields)
        if not problem:
            value, problem = _field_value(name, value, balanced)
        if problem:
            failed.add(name)
            problems.append((fline, f"entry {key}: {problem}"))
        else:
            fields[name] = value
    if not (ids.is_arxiv_id(key) or is_fallback_key(key) or _adopted(key, fields)):
        problems.append((line, _bad_key(key)))
    problems += [(line, f"entry {key}: {p}") for p in _entry_problems(key, etype, fields, failed)]
    if len(problems) > before:
        return None
    return Paper(key, etype.lower(), fields, line)


def _name_problem(name: str, raw_name: str, fields: dict[str, str]) -> str:
    if name not in _FIELD_NAMES and not _NAME_RE.match(name):
        return f"field name {raw_name!r} is not valid"
    if name in fields:
        return f"field {name} appears twice; keep one"
    return ""


def _field_value(name: str, value: str, balanced: bool) -> tuple[str, str]:
    """The canonical value of one field, or what is wrong with it."""
    loose = "  " in value or value[:1] == " " or value[-1:] == " "
    if (
        balanced
        and not loose
        and name not in _RULED
        and _free_text(value)
        and value.count("{") <= MAX_DEPTH
    ):
        # Free text in printable ASCII, single-spaced, its braces balanced, with no
        # character TeX reads as markup (most abstracts, many titles): canonical, and sound.
        return value, ""
    return _checked_value(name, value, balanced and not loose)


def _checked_value(name: str, value: str, balanced: bool) -> tuple[str, str]:
    """:func:`_field_value`, every rule applied (*balanced*: and single-spaced)."""
    plain = balanced and not _UNUSUAL_CHAR_RE.search(value)
    if plain:
        # Printable, single-spaced ASCII with balanced braces: only the field's own rule can
        # change it, and for most fields there is none.
        if name == "keywords":
            value = canonical_keywords(value)
        elif name == "month" and is_month(value):
            value = value.lower()
    else:
        try:
            value = normalise(name, value)
        except BibError as exc:
            return value, f"field {name}: {exc}"
    problem = _depth_problem(value) or field_problem(name, value)
    return value, f"field {name}: {problem}" if problem else ""


MAX_DEPTH = 100  # TeX itself stops at 255 nested groups; no real title comes near


def _depth_problem(value: str) -> str:
    """Braces nested deeper than :data:`MAX_DEPTH`, which TeX could not typeset."""
    if value.count("{") <= MAX_DEPTH:
        return ""
    depth = deepest = 0
    for brace in _BRACE_FIND(value):
        depth += 1 if brace.group() == "{" else -1
        deepest = max(deepest, depth)
    if deepest <= MAX_DEPTH:
        return ""
    return f"braces nest {deepest} deep (TeX stops at 255; keep it under {MAX_DEPTH})"


def _entry_problems(key: str, etype: str, fields: dict[str, str], failed: set[str]) -> list[str]:
    problems = []
    # An entry adopted from someone's bib keeps what it had: BibTeX only warns of a missing
    # journal or title, and the manuscript printed it so before.
    required = () if "ids" in fields else REQUIRED + REQUIRED_BY_TYPE.get(etype.lower(), ())
    for name in required:
        if not fields.get(name) and name not in failed:
            problems.append(f"required field {name} is missing")
    if "year" in fields and not _YEAR_RE.fullmatch(fields["year"]):
        problems.append(f"year {fields['year']!r} is not a 4-digit year")
    if ids.is_arxiv_id(key) and fields.get("eprint") != key:
        problems.append(f"eprint must be the key ({key}), found {fields.get('eprint')!r}")
    if ids.is_doi_key(key) and ids.doi_key(fields.get("doi", "")) != key:
        problems.append("a doi: key must match its doi field")
    return problems


def _adopted(key: str, fields: dict[str, str]) -> bool:
    """An entry adopted from someone's bib with no identifier keeps its own key, and says so:
    the key is one of its ``ids``."""
    return bool(OWN_KEY_RE.match(key)) and key in aliases(fields.get("ids", ""))


def aliases(value: str) -> list[str]:
    """The keys of an ``ids`` field: ``"kim2024openvla, openvla"`` -> both."""
    return [k.strip() for k in value.split(",") if k.strip()]


def _bad_key(key: str) -> str:
    hint = ""
    try:
        hint = f" (write {ids.parse_arxiv_id(key)})"
    except ids.IdError:
        hint = (
            " (expected a bare arXiv ID such as 2509.09372 or cs/0112017, or a key such as "
            "doi:10_1145/3610978_3640671 or openreview:1qmmub4zfl)"
        )
    return f"entry {key} is not a valid arXiv ID{hint}"


def raw_value(name: str, raw: str) -> str:
    """The content of a raw field value: braces or quotes removed, macros refused."""
    raw = raw.strip()
    inner = delimited(raw)
    if inner is not None:
        return inner
    if raw.isdigit():
        return raw
    if name == "month" and is_month(raw):
        return raw.lower()
    if "#" in raw:
        raise BibError("'#' concatenation is not supported; write the whole value in braces")
    raise BibError(f"{raw!r} is an undefined macro; write the value in braces")


def delimited(raw: str) -> str | None:
    """The inside of ``{…}`` or ``"…"`` when that one group is the whole value."""
    if not raw or raw[0] not in '{"':
        return None
    closing = "}" if raw[0] == "{" else '"'
    depth = 0
    for pos, ch in enumerate(raw):
        depth += (ch == "{") - (ch == "}")
        if pos and depth == 0 and ch == closing:
            return raw[1:-1] if pos == len(raw) - 1 else None
    return None


def _ids_ok(value: str) -> bool:
    keys = aliases(value)
    return bool(keys) and all(OWN_KEY_RE.match(k) for k in keys) and ", ".join(keys) == value


_DATE_RE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?")
_POSITION_RE = re.compile(r"[a-z0-9][a-z0-9-]*: \d{1,6}(?:, [a-z0-9][a-z0-9-]*: \d{1,6})*")
# Fields with a strict pattern of their own: the test, and what a value must be.
_STRICT: dict[str, tuple[Callable[[str], object], str]] = {
    "doi": (is_doi, "a DOI (10.NNNN/…)"),
    "primaryclass": (is_category, "an arXiv category"),
    "eprint": (is_eprint, "an e-print identifier"),
    "date": (_DATE_RE.fullmatch, "a date: YYYY-MM or YYYY-MM-DD"),
    "recommended": ("yes".__eq__, "yes (or leave the field out)"),
    "ids": (_ids_ok, "a list of keys: key1, key2"),
    "resource": (RESOURCES.__contains__, "one of " + ", ".join(RESOURCES)),
    "position": (_POSITION_RE.fullmatch, "leaf positions: LEAF: N, LEAF: N"),
}


# Fields with a rule of their own: everything else is free text.
_RULED = frozenset([*URL_FIELDS, "links", "keywords", "month", *_STRICT])


def _free_text(value: str) -> bool:
    """Printable ASCII without a character TeX reads as markup (str's own scans: several
    times faster on an abstract than one regular expression)."""
    return (
        value.isascii()
        and value.isprintable()
        and not (
            "\\" in value
            or "$" in value
            or "^" in value
            or "#" in value
            or "%" in value
            or "&" in value
            or "_" in value
        )
    )


def field_problem(name: str, value: str) -> str | None:
    """Why *value* may not stand in field *name*, or None.

    Identifiers must match their strict patterns; every other field reaches TeX through
    BibTeX and must hold only allow-listed LaTeX (see :mod:`vlabib.tex.allow`).
    """
    if name in URL_FIELDS:
        return None if is_url(value) else f"{value[:80]} is not an http(s) URL"
    if name == "links":
        return _links_problem(value)
    if name in _STRICT:
        ok, what = _STRICT[name]
        return None if ok(value) else f"{value[:80]} is not {what}"
    if not _TEX_MARKUP_RE.search(value):
        return None
    construct = unsafe_construct(value)
    return None if construct is None else _construct_problem(construct)


def _construct_problem(construct: str) -> str:
    """What to say of LaTeX that may not reach TeX, and how to write it instead."""
    if construct.startswith(("a } that", "a { that", "a \\left")):
        return f"TeX would stop at {construct}; balance the value as TeX reads it"
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


_LINK_RE = re.compile(r"([^;:{}]+): (\S+)")


def _links_problem(value: str) -> str | None:
    parts = value.split("; ")
    for part in parts:
        m = _LINK_RE.fullmatch(part.strip())
        if m is None:
            return f"{part[:60]!r} is not LABEL: URL (links are written 'Label: URL; Label: URL')"
        if not is_url(m.group(2)):
            return f"{m.group(2)[:80]} is not an http(s) URL"
        construct = unsafe_construct(m.group(1))
        if construct is not None:
            return f"link label {m.group(1)[:40]!r}: {construct} is not allowed"
    return None


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
        return canonical_keywords(value)
    if name in ("author", "editor"):
        return " and ".join(split_names(value))
    if name == "month" and is_month(value):
        return value.lower()
    return value


@functools.lru_cache(maxsize=4096)
def canonical_keywords(value: str) -> str:
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
def field_order(names: tuple[str, ...]) -> list[str]:
    return sorted(names, key=lambda n: (RANK.get(n, len(RANK)), n))
