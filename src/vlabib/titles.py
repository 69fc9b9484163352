"""Titles: the one normal form used to compare them, and the method name a title opens with.

>>> norm_title("RoboMamba: Efficient Vision–Language Models, for Müller!")
'robomamba efficient vision language models for muller'
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD_RE = re.compile(r"[^a-z0-9\x80-\U0010ffff]+")  # what is left of ASCII: letters, digits
_SHORT_RE = re.compile(r"^([^:]{1,40}):\s")


def norm_title(title: str) -> str:
    """Lower-case words: accents folded, punctuation and markup dropped; letters of other
    scripts (Chinese, Japanese, Korean, Greek) kept as they are, or every title written in
    them would be the empty string, and each the same as every other.

    >>> norm_title("视觉语言模型：综述"), norm_title("Łukasz’s α-Tuning")
    ('视觉语言模型 综述', 'ukasz s α tuning')
    """
    if title.isascii():  # nothing to fold
        return " ".join(_NON_WORD_RE.sub(" ", title.lower()).split())
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    if not text.isascii():
        text = "".join(c if c.isascii() or _other_script(c) else " " for c in text)
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


def _other_script(ch: str) -> bool:
    """A letter or digit of a script other than Latin (whose letters fold to ASCII or go)."""
    return ch.isalnum() and not unicodedata.name(ch, "LATIN").startswith("LATIN")


_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9][\w-]*")
_DIGIT_RE = re.compile(r"\d")
# Capitalised words every title in the field uses: no paper's name.
_COMMON_CAPS = frozenset(
    "AI LLM VLM VLA MLLM RL ML DL NLP CV RNN CNN GNN GAN LSTM MLP KV GPU CPU TPU SOTA API "
    "IOT".split()
)


def _is_name(word: str) -> bool:
    """A word written as a name: an inner capital or a digit, or four capitals; not a
    hyphenated word with a lower-case part ("DETR-based", "Multi-State" counts as words)."""
    if len(word) < 3 or not word[0].isalpha():
        return False
    if word[1:].islower() and not _DIGIT_RE.search(word):
        return False  # most words: no capital after the first letter, no digit
    parts = word.split("-")
    if any(p[:1].islower() for p in parts[1:]):
        return False
    inner = any(any(c.isupper() for c in p[1:]) and any(c.islower() for c in p) for p in parts)
    digit = any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    caps = word.replace("-", "").isupper() and len(word.replace("-", "")) >= 4
    common = word.upper().rstrip("S") in _COMMON_CAPS or word.upper() in _COMMON_CAPS
    return (inner or digit or caps) and not common


def title_name(title: str) -> str:
    """A method's name a title states: the name it opens with (:func:`title_shortname`),
    else its first word written as a name (``SnapKV``, ``H2O``, ``GPT-4``; not a common
    abbreviation such as ``LLM``, nor ``Post-Training``), else ``""``.

    >>> title_name("Model Tells You What to Discard: Adaptive KV Cache Compression")
    ''
    >>> title_name("Efficient Streaming with SnapKV and Friends"), title_name("LLM Agents")
    ('SnapKV', '')
    """
    return title_shortname(title) or next(
        (w for w in _NAME_TOKEN_RE.findall(title) if _is_name(w)), ""
    )


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
