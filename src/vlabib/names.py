"""Person names: split an author field, write ``Last, First`` for BibTeX, show ``First Last``.

>>> bibtex_name("Peter H. N. de With")
'de With, Peter H. N.'
>>> bibtex_name("Martin Luther King Jr.")
'King, Jr., Martin Luther'
"""

from __future__ import annotations

import re
import unicodedata

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_AND_RE = re.compile(r"\s+and\s+")


def split_names(value: str) -> list[str]:
    """``"Li, Wei and {Barnes and Noble}"`` -> ``["Li, Wei", "{Barnes and Noble}"]``.

    Splits on every ``and``, then joins back the pieces a brace group spans (BibTeX does
    not split inside braces), without walking the string a character at a time.
    """
    pieces = _AND_RE.split(value.strip())
    if "{" not in value:
        return [p for p in pieces if p]
    names: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending} and {piece}" if pending else piece
        if pending.count("{") == pending.count("}"):
            names.append(pending)
            pending = ""
    if pending:
        names.append(pending)
    return [n.strip() for n in names if n.strip()]


def bibtex_name(full: str) -> str:
    """``First von Last, Jr.`` order for a name written ``First [von] Last [Jr.]``.

    The von part starts at the first lower-case word after the first word (BibTeX's own
    rule); without one, the last word is the family name. A name already holding a comma
    is taken to be in BibTeX form and kept.
    """
    words = full.split()
    if "," in full or len(words) < 2:
        return " ".join(words)
    suffix = ""
    if words[-1].lower().rstrip(",") in _SUFFIXES and len(words) > 2:
        suffix = words.pop()
    start = len(words) - 1
    for i, word in enumerate(words[1:-1], 1):
        if word[0].islower():
            start = i
            break
    first, last = " ".join(words[:start]), " ".join(words[start:])
    return f"{last}, {suffix}, {first}" if suffix else f"{last}, {first}"


def display_name(bibtex: str) -> str:
    """``de With, Peter H. N.`` -> ``Peter H. N. de With``."""
    parts = [p.strip() for p in bibtex.split(",")]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3:
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return bibtex


def family_name(name: str) -> str:
    """The family name as written: ``Liu, Jiaming`` or ``Jiaming Liu`` -> ``Liu``."""
    return name.split(",")[0].strip() if "," in name else (name.split() or [""])[-1]


def surname_key(name: str) -> str:
    """A family name to compare: folded, lower-case; DBLP's ``Jiaming Liu 0001`` -> ``liu``."""
    name = re.sub(r"\s+\d{4}$", "", name.strip())
    text = unicodedata.normalize("NFKD", family_name(name))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
