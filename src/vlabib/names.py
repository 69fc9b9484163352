"""Person names as BibTeX wants them: ``Last, First``, with particles and suffixes.

>>> bibtex_name("Peter H. N. de With")
'de With, Peter H. N.'
>>> bibtex_name("Martin Luther King Jr.")
'King, Jr., Martin Luther'
"""

from __future__ import annotations

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


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
