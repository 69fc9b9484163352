"""What a list says about a paper beyond its title and link: its authors, a date, a note, a
recommended mark and every other link with its label — read from the paper's own line and
from the lines that belong to it (sub-bullets, and labelled bullets right after it).

The line's own words are split into *segments*: runs of text outside links and images, cut
where the line breaks or its style changes (an italic author list, a bold title). Then:

- authors: the first segment that reads as a list of names ("A B, C D et al.", "Last,
  First, and C D"), or one labelled ``Authors:``; ``et al.`` is kept as what it is;
- date: a month stated with its year ("2026.06.18", "2024-05", "06/2024", "May 2024"), in a
  segment, a labelled line or a date column; a year alone is no date;
- note: labelled lines (``Task:``, ``Summary:``, ``Key:``, ``TL;DR:``) and the free text of
  the lines that belong to the paper, joined with `` | ``;
- recommended: ⭐ 🌟 🔥 ★ (or ``:star:``, ``:fire:``) on the paper's own line.

>>> from vlabib.listimport.units import Piece, Unit
>>> unit = Unit(1, "list-item", (), (Piece("Title", link=0), Piece(" "),
...             Piece("Ann Lee, Bo Li.", italic=True), Piece(" ICRA 2025, May 2025.")), ())
>>> read_facts(unit, "Title").authors, read_facts(unit, "Title").date
(('Ann Lee', 'Bo Li'), '2025-05')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from vlabib.listimport.units import Piece, Unit

STAR_RE = re.compile(r"⭐|🌟|🔥|★|:star2?:|:fire:")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)[./-](\d{1,2})[./-](\d{1,2})(?!\d)")
_YEAR_MONTH_RE = re.compile(r"(?<![\d.])((?:19|20)\d\d)[./-](\d{1,2})(?![\d])")
_MONTH_YEAR_RE = re.compile(r"(?<![\d/])(\d{1,2})/((?:19|20)\d\d)(?!\d)")
_NAMED_MONTH_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_COLON_RE = re.compile("[:：]")
_LABEL_RE = re.compile(r"^\s*([^:：\d][^:：]{0,28}?)\s*[:：]\s*(.*)$", re.DOTALL)
_AUTHOR_LABELS = frozenset({"author", "authors", "作者", "by"})
_DATE_LABELS = frozenset({"date", "published", "publish", "时间", "日期", "发表"})
_CODE_LABELS = frozenset({"code", "codes", "github", "代码", "repo", "repository"})


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _words_of(
    "van von de der den da di del della la le du dos das bin ibn al el ter ten y zu"
)
# Capitalised words that are not names: labels, venues, institutions, common title words.
_NOT_NAMES = _words_of(
    """
    code paper papers project website demo task summary datasets dataset publisher publish
    date survey note key github arxiv preprint conference workshop journal proceedings
    university institute lab laboratory inc google openai meta microsoft deepmind nvidia
    transformer transformers model models learning network networks language vision robot
    robotics large generation image video text benchmark official unofficial none pdf link
    blog homepage page star stars new news update tutorial keywords abstract introduction
    """
)
_ETAL_RE = re.compile(r"[,\s]*\bet\.?\s*al\.?\s*$", re.IGNORECASE)
_NAME_TOKEN_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.-])*$")
_NICKNAME_RE = re.compile(r"\s*\([^()]{1,30}\)")  # Hao (Frank) Yang
_MARKS_RE = re.compile(r"[*†‡§¶#]+")  # equal contribution, corresponding author


@dataclass(frozen=True)
class Facts:
    """What lines say about one paper besides its title, link, venue and code."""

    authors: tuple[str, ...] = ()  # as written, "others" last for "et al."
    date: str = ""  # YYYY-MM or YYYY-MM-DD
    notes: tuple[str, ...] = ()
    star: bool = False
    links: tuple[tuple[str, str], ...] = ()  # (label, URL)
    code: tuple[str, ...] = ()  # repositories named on labelled "Code:" lines


def segments(unit: Unit, title: str = "") -> list[str]:
    """The unit's own words outside links and images, cut at line breaks, cells and style
    changes, with the title taken out."""
    return [s for s in (_strip(r) for r in _runs(unit, title)) if s]


def _runs(unit: Unit, title: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    style: tuple[bool, bool, int, bool, bool] | None = None

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            runs.extend(_without(text, title))
        current.clear()

    for piece in unit.pieces:
        if piece.link >= 0 or piece.image or piece.brk:
            flush()
            continue
        here = (piece.italic, piece.bold, piece.cell, piece.code, piece.mark)
        if here != style:
            flush()
            style = here
        current.append(piece.text)
    flush()
    return runs


def _without(text: str, title: str) -> list[str]:
    if title and len(title) > 3 and title in text:
        return [part for part in text.split(title) if part.strip()]
    return [text]


def _strip(text: str) -> str:
    return text.strip(" \t,;.*_[](){}|-–—\"“”'")


def _is_note(raw: str) -> bool:
    """vlabib writes a curator's note after an em dash: ``… [[Code](…)] — merges tokens``."""
    return raw.lstrip(" \t.[]").startswith("— ")


def date_in(text: str) -> str:
    """``"Publish Date: 2026.06.18"`` -> ``"2026-06-18"``; ``"May 2024"`` -> ``"2024-05"``;
    ``""`` when no month is stated with a year."""
    m = _DAY_RE.search(text)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = _YEAR_MONTH_RE.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = _MONTH_YEAR_RE.search(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    m = _NAMED_MONTH_RE.search(text)
    if m:
        return f"{m.group(2)}-{_MONTHS.index(m.group(1)[:3].lower()) + 1:02d}"
    return ""


def names_in(text: str) -> tuple[str, ...]:
    """The names of a written author list, or ``()`` when *text* is not one.

    >>> names_in("Sohl-Dickstein, Jascha, et al.")
    ('Jascha Sohl-Dickstein', 'others')
    >>> names_in("Shi Luohe, Zhang Hongyi, Yao Yao.")
    ('Shi Luohe', 'Zhang Hongyi', 'Yao Yao')
    >>> names_in("Task: Planning"), names_in("Text-to-Image, Scene Graph to Image")
    ((), ())
    >>> names_in("Keda Tao, Kele Shao, Jian liu, Huan Wang")  # one name typed in lower case
    ('Keda Tao', 'Kele Shao', 'Jian liu', 'Huan Wang')
    """
    text = _MARKS_RE.sub("", _NICKNAME_RE.sub("", _strip(text)))
    etal = bool(_ETAL_RE.search(text))
    text = _ETAL_RE.sub("", text).strip(" ,.")
    parts = [p.strip(" .") for p in re.split(r"\s*[,;&]\s*(?:and\s+)?|\s+and\s+", text)]
    parts = [p for p in parts if p and p.lower() != "and"]
    if (
        len(parts) >= 2
        and len(parts[0].split()) == len(parts[1].split()) == 1
        and not _cjk(parts[0])
    ):
        parts = [f"{parts[1]} {parts[0]}", *parts[2:]]  # "Last, First, …"
    if not parts or not _names(parts):
        return ()
    if len(parts) == 1 and len(parts[0].split()) < 2 and not etal:
        return ()  # one word is rarely a name list (a label, a method)
    return (*parts, *(("others",) if etal else ()))


def _names(parts: list[str]) -> bool:
    """Whether every part is a name; in a list of three or more, one may be typed in lower
    case ("Jian liu") when it starts with a capital."""
    strict = sum(_is_name(p) for p in parts)
    if strict == len(parts):
        return True
    return len(parts) >= 3 and strict == len(parts) - 1 and all(map(_loose_name, parts))


def _loose_name(part: str) -> bool:
    tokens = part.split()
    return (
        1 <= len(tokens) <= 4
        and part[:1].isupper()
        and all(_NAME_TOKEN_RE.match(t) and t.lower() not in _NOT_NAMES for t in tokens)
    )


def _is_name(part: str) -> bool:
    tokens = part.split()
    if not 1 <= len(tokens) <= 5:
        return False
    if any(t.lower().strip(".") in _NOT_NAMES for t in tokens):
        return False
    if all(_cjk(t) for t in tokens):
        return len(part.replace(" ", "")) <= 6
    capital = [t for t in tokens if t[:1].isupper()]
    return bool(capital) and all(
        (t[:1].isupper() and _NAME_TOKEN_RE.match(t)) or t.lower() in _PARTICLES for t in tokens
    )


def _cjk(token: str) -> bool:
    return all("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in token)


def label_of(text: str) -> tuple[str, str]:
    """``("Task", "Planning")`` for ``"Task: Planning"``; ``("", text)`` when unlabelled."""
    m = _LABEL_RE.match(text)
    if not m or len(m.group(1).split()) > 4 or "://" in m.group(1):
        return "", text
    return m.group(1).strip(), m.group(2).strip()


def _label_words(label: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", label.lower()))


def star_in(pieces: Sequence[Piece]) -> bool:
    """Whether the line carries a recommended mark (⭐, 🌟, 🔥, ★, :star:, :fire:)."""
    return any(STAR_RE.search(p.text) for p in pieces if not p.image)


def read_facts(unit: Unit, title: str, date_column: str = "") -> Facts:
    """What the paper's own line says besides its title, link, venue and code."""
    authors: tuple[str, ...] = ()
    notes: list[str] = []
    date = date_in(date_column)
    if names_in(title) and names_in(title)[-1] == "others":  # a row naming "Li et al."
        authors = names_in(title)
    for raw in _runs(unit, title):
        text = _strip(raw)
        if text and _is_note(raw):
            notes.append(raw.lstrip(" \t.[]").removeprefix("— ").strip())
            continue
        if not text:
            continue
        label, rest = label_of(text)
        words = _label_words(label)
        if label and words & _AUTHOR_LABELS:
            authors = authors or names_in(rest)
        elif label and words & _DATE_LABELS:
            date = date or date_in(rest)
        elif label and not words & _CODE_LABELS:
            if rest:  # "Paper:" before its link says nothing of its own
                notes.append(text)
        elif not authors and names_in(text):
            authors = names_in(text)
        else:
            date = date or date_in(text)
    return Facts(authors=authors, date=date, notes=tuple(notes), star=star_in(unit.pieces))


@dataclass
class Gathered:
    """Facts from the lines that belong to a paper (its sub-bullets, labelled siblings)."""

    authors: tuple[str, ...] = ()
    date: str = ""
    notes: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)

    def add(self, unit: Unit, links: Iterable[tuple[str, str]]) -> None:
        """One attached line: an author list, a date, a code line, or a note."""
        text = " ".join(" ".join(p.text for p in unit.pieces if not p.image).split())
        label, rest = label_of(text)
        words = _label_words(label)
        repos = [url for _, url in links]
        if label and words & _CODE_LABELS:
            self.code += repos
            if not repos and rest.strip().lower() not in ("", "none", "-", "n/a"):
                self.notes.append(text)
            return
        if label and words & _AUTHOR_LABELS and names_in(rest):
            self.authors = self.authors or names_in(rest)
            return
        if label and words & _DATE_LABELS and date_in(rest):
            self.date = self.date or date_in(rest)
            return
        if not label and not self.authors and names_in(text):
            self.authors = names_in(text)
            return
        if text.strip() and not (label and _only_urls(rest)):  # "Website: https://…" is a link
            if self.notes and self.notes[-1].endswith((":", "：")):  # "Summary:" over its lines
                self.notes[-1] += " " + text.strip()
            else:
                self.notes.append(text.strip())


def labelled_links(unit: Unit, used: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Every other web link of a line, with its label (a badge's alt text when it has no
    words of its own): project pages, demos, model cards, blogs, datasets, more code."""
    seen = {_same(u) for u in used if u}
    text = "".join(p.text for p in unit.pieces if not p.image)
    line_label = label_of(text)[0].split("/")[-1].strip()
    out = []
    for n, link in enumerate(unit.links):
        url = link.url.strip()
        if not url.startswith(("http://", "https://")) or _same(url) in seen:
            continue
        if "arxiv.org/" in url.lower():
            continue
        seen.add(_same(url))
        label = link.label or next((p.text for p in unit.pieces if p.link == n and p.image), "")
        if "://" in label or label.startswith("www.") or _same(label) == _same(url):
            label = line_label  # a bare URL: the line's own label names it ("Website: …")
        out.append((" ".join(label.split()).strip(" []") or "Link", url))
    return tuple(out)


def _same(url: str) -> str:
    """A URL as two spellings of one link compare (scheme, www. and trailing / aside)."""
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")


def combined(facts: Sequence[Facts]) -> Facts:
    """What several lines say of one paper (it is listed under two headings, say): the
    first author list and date given, every note, mark and link."""
    return Facts(
        authors=next((f.authors for f in facts if f.authors), ()),
        date=next((f.date for f in facts if f.date), ""),
        notes=tuple(dict.fromkeys(n for f in facts for n in f.notes)),
        star=any(f.star for f in facts),
        links=tuple(dict.fromkeys(link for f in facts for link in f.links)),
        code=tuple(dict.fromkeys(c for f in facts for c in f.code)),
    )


def _only_urls(text: str) -> bool:
    found = text.split()
    return bool(found) and all(w.startswith(("http://", "https://", "www.")) for w in found)


def belongs_to(
    unit: Unit, found: Sequence[str], owner: dict[int, int], previous: int | None
) -> int | None:
    """The item a line belongs to when it is no paper of its own (*found*: the arXiv IDs of
    the papers it names, "" for one without): its parent line's item (a sub-bullet), or —
    for a labelled line such as ``- Code: …`` — the item of the line just before it in the
    same list (*owner* maps lines to items). A nested line with its own arXiv paper is a
    paper."""
    if any(found):
        return None
    if unit.parent in owner:
        return owner[unit.parent]
    if found or previous is None or previous not in owner:
        return None
    return owner[previous] if _labelled(unit) else None


def _labelled(unit: Unit) -> bool:
    """Whether a line opens with a label (``Code: …``, ``**Task:** …``), not with a name of
    its own: a link's text (``[Diffusers](…): …``) or a bold title that runs on past its
    colon (``**Deepspeed-MoE: Advancing …**``) is no label."""
    pieces = [p for p in unit.pieces if not p.image]
    if not label_of("".join(p.text for p in pieces))[0]:
        return False
    for piece in pieces:
        colon = _COLON_RE.search(piece.text)
        if piece.link >= 0 and piece.text.strip():
            return False
        if colon:
            return not (piece.bold and piece.text[colon.end() :].strip())
    return True
