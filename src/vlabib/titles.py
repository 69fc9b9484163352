"""Titles: the one normal form used to compare them, and the method name a title opens with.

>>> norm_title("RoboMamba: Efficient Vision–Language Models, for Müller!")
'robomamba efficient vision language models for muller'
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD_RE = re.compile(r"[^a-z0-9]+")
_SHORT_RE = re.compile(r"^([^:]{1,40}):\s")


def norm_title(title: str) -> str:
    """Lower-case ASCII words: accents folded, punctuation and markup dropped."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


def title_shortname(title: str) -> str:
    """The method name a title opens with, before its colon, or ``""`` when there is none.

    Only a name-like prefix counts: one word, or up to three with an acronym or an
    inner capital (``Discrete Diffusion VLA``), never a phrase (``Static and Plugged``).

    >>> title_shortname("SmolVLA: A Vision-Language-Action Model"), title_shortname("No colon")
    ('SmolVLA', '')
    """
    m = _SHORT_RE.match(title)
    if not m:
        return ""
    words = m.group(1).split()
    if len(words) == 1:
        return words[0]
    if len(words) <= 3 and any(
        any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w) for w in words
    ):
        return " ".join(words)
    return ""
