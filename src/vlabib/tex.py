r"""LaTeX source <-> Unicode text. The only module that imports pylatexenc.

Strings in the bib are LaTeX source (``M{\"u}ller``); Unicode appears at the edges (README,
site, terminal). :func:`encode` is the one way text from outside becomes LaTeX: it emits only
allow-listed constructs (see :mod:`vlabib.texsafe`) and never refuses a title.

>>> print(text_to_latex("Müller & Söhne"))
M{\"u}ller \& S{\"o}hne
>>> latex_to_text(r'{$\Psi_{0}$}: M{\"u}ller $O(n^2)$')
'Ψ₀: Müller O(n²)'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vlabib.errors import LatexError
from vlabib.texchars import (
    ACCENTS,
    LETTERS,
    MATH,
    MATH_TEXT,
    SPECIALS,
    SUB_TEXT,
    SUP_TEXT,
    SYMBOLS,
    char_latex,
)
from vlabib.texsafe import is_safe_math

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

__all__ = ["Latex", "LatexError", "encode", "encode_non_ascii", "latex_to_text", "text_to_latex"]

_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_MATH_RE = re.compile(r"(?<!\\)\$([^$]+)(?<!\\)\$")
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Latex:
    """Encoded text: the LaTeX, the characters left out, and whether math was unsafe."""

    text: str
    dropped: tuple[str, ...] = ()
    literal_math: bool = False


def encode(text: str, *, math: bool = False, protect: bool = False) -> Latex:
    r"""Allow-listed LaTeX for Unicode *text*; never raises.

    ``math=True`` keeps ``$…$`` spans as math when every token in them is allowed (and
    prints them literally otherwise); ``protect=True`` braces acronyms, inner-capital words
    and math, so BibTeX styles keep their case (``{VLA}-Adapter``, ``{SmolVLA}``). Greek
    and sub/superscripts become math, CJK stays UTF-8, emoji are dropped.

    >>> latex = encode("Ψ₀ 🤖 $x^^5c$", math=True, protect=True)
    >>> print(latex.text)
    {$\Psi_{0}$} \$x\textasciicircum{}\textasciicircum{}5c\$
    >>> latex.dropped, latex.literal_math
    (('🤖',), True)
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    dropped: list[str] = []
    out: list[str] = []
    literal = False
    pos = 0
    for span in _MATH_RE.finditer(text) if math and "$" in text else ():
        out.append(_encode_run(text[pos : span.start()], protect, dropped))
        inner = _math_tokens(span.group(1))
        if inner is not None:
            out.append("{$" + inner + "$}" if protect else "$" + inner + "$")
        else:
            literal = True
            out.append(_encode_run(span.group(), protect, dropped))
        pos = span.end()
    out.append(_encode_run(text[pos:], protect, dropped))
    latex = "".join(out)
    if dropped:
        latex = " ".join(latex.split())
    shown = tuple(c for c in dropped if unicodedata.category(c) not in ("Mn", "Me", "Cf", "Cc"))
    return Latex(latex, shown, literal)


def text_to_latex(text: str, *, math: bool = False, protect: bool = False) -> str:
    r"""The LaTeX of :func:`encode`, for text whose dropped characters need no notice.

    >>> print(text_to_latex("SmolVLA: 50% $x_1$", math=True, protect=True))
    {SmolVLA}: 50\% {$x_1$}
    """
    return encode(text, math=math, protect=protect).text


def _math_tokens(inner: str) -> str | None:
    """The math span's content with Unicode symbols as commands, when all of it is allowed."""
    if not inner.isascii():
        tokens = []
        for ch in inner:
            token = ch if ch.isascii() else MATH.get(ch)
            if token is None:
                return None
            tokens.append(token)
        inner = _join_math(tokens)
    return inner if is_safe_math(inner) else None


def _join_math(tokens: list[str]) -> str:
    """Math tokens in a row; a space where a command would run into a letter."""
    out = ""
    for token in tokens:
        if out and token[:1].isalpha() and re.search(r"\\[A-Za-z]+$", out):
            out += " "
        out += token
    return out


def _needs_protection(word: str) -> bool:
    """Acronyms and inner-capital words keep their case in every bibliography style."""
    return any(c.isupper() for c in word[1:]) or (
        word[0].isupper() and any(c.isdigit() for c in word)
    )


def _encode_run(text: str, protect: bool, dropped: list[str]) -> str:
    if not protect:
        return _encode_chars(text, dropped)
    out = []
    pos = 0
    for m in _WORD_RE.finditer(text):
        out.append(_encode_chars(text[pos : m.start()], dropped))
        word = _encode_chars(m.group(), dropped)
        out.append("{" + word + "}" if _needs_protection(m.group()) else word)
        pos = m.end()
    out.append(_encode_chars(text[pos:], dropped))
    return "".join(out)


def _encode_chars(text: str, dropped: list[str]) -> str:
    if text.isascii() and not _SPECIAL_RE.search(text) and text.isprintable():
        return text
    out: list[str] = []
    math: list[str] = []
    for ch in text:
        kind, latex = char_latex(ch)
        if kind == "math":
            math.append(latex)
            continue
        if math:
            out.append("$" + _join_math(math) + "$")
            math = []
        if kind == "drop":
            dropped.append(ch)
        else:
            out.append(latex)
    if math:
        out.append("$" + _join_math(math) + "$")
    return "".join(out)


def encode_non_ascii(latex: str) -> str:
    r"""Write the non-ASCII characters of a LaTeX string in LaTeX where LaTeX has a spelling,
    leaving its LaTeX as it is; other characters (CJK, emoji) stay as they are.

    >>> print(encode_non_ascii(r"R{\'e}my Müller, $α$ and α 中"))
    R{\'e}my M{\"u}ller, $\alpha$ and $\alpha$ 中
    """
    out: list[str] = []
    in_math = False
    previous = ""
    for ch in unicodedata.normalize("NFC", latex):
        if ch == "$" and previous != "\\":
            in_math = not in_math
        previous = ch
        if ch.isascii():
            out.append(ch)
            continue
        kind, encoded = char_latex(ch)
        if kind == "math" and in_math:
            out.append(" " + encoded if encoded[:1].isalpha() else encoded)
        elif kind == "math":
            out.append(f"${encoded}$")
        elif kind == "text":
            out.append(encoded)
        else:
            out.append(ch)
    return "".join(out)


# -- LaTeX to text ------------------------------------------------------------------------------


def _quiet() -> None:
    """pylatexenc logs every unmapped character; vlabib reports them itself, once."""
    import logging

    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)


# pylatexenc is imported only when needed: the LaTeX vlabib writes never needs it.
@functools.cache
def _decoder() -> LatexNodes2Text:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    _quiet()
    db = get_default_latex_context_db().filter_context()
    db.add_context_category(
        "vlabib",
        macros=[MacroTextSpec(name, ch) for name, ch in _SYMBOLS.items()],
        prepend=True,
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)


@functools.lru_cache(maxsize=65536)
def latex_to_text(latex: str) -> str:
    """Unicode text of a LaTeX string: ``M{\\"u}ller`` -> ``Müller``; simple math as text
    (``$\\pi_0$`` -> ``π₀``), other math verbatim.

    The LaTeX vlabib itself writes is decoded here directly; anything else goes through
    pylatexenc, which is exact but a thousand times slower.
    """
    if not _LATEX_SYNTAX_RE.search(latex):
        return latex
    if "$" not in latex:
        return _text(latex)
    out = []
    pos = 0
    for span in _MATH_RE.finditer(latex):
        out.append(_text(latex[pos : span.start()]))
        out.append(_math_text(span.group(1)) or span.group())
        pos = span.end()
    out.append(_text(latex[pos:]))
    return "".join(out)


def _text(latex: str) -> str:
    fast = _fast_decode(latex)
    if fast is not None:
        return unicodedata.normalize("NFC", fast)
    return pylatexenc_to_text(latex)


def pylatexenc_to_text(latex: str) -> str:
    """The reference decoding, through pylatexenc."""
    from pylatexenc import latexwalker

    try:
        text = _decoder().latex_to_text(latex)
    except latexwalker.LatexWalkerError as exc:  # pragma: no cover - pylatexenc is lenient
        raise LatexError(f"cannot read LaTeX {latex!r}: {exc}") from None
    return unicodedata.normalize("NFC", text)


_MATH_TOKEN_RE = re.compile(r"\\mathrm\{([A-Za-z])\}|\\([A-Za-z]+)|([_^])(?:\{([^{}]*)\}|(.))|(.)")


def _math_text(inner: str) -> str | None:
    """Math as Unicode when every token has a character (``\\Psi_{0}`` -> ``Ψ₀``), else None."""
    out = []
    for m in _MATH_TOKEN_RE.finditer(inner):
        roman, name, script, group, single, char = m.groups()
        if roman:
            out.append(roman)
        elif name:
            if f"\\{name}" not in MATH_TEXT:
                return None
            out.append(MATH_TEXT[f"\\{name}"])
        elif script:
            table = SUB_TEXT if script == "_" else SUP_TEXT
            chars = group if group is not None else single
            if not chars or any(c not in table for c in chars):
                return None
            out.append("".join(table[c] for c in chars))
        elif char in "{} ":
            continue
        elif char.isascii() and (char.isalnum() or char in "+-=()[]/<>|.,;:!'*"):
            out.append(char)
        else:
            return None
    return "".join(out)


_LATEX_SYNTAX_RE = re.compile(r"[\\{}$~%`']|--")
_PLAIN_RUN_RE = re.compile(r"[^\\{}$~%`'-]+")
_MACRO_RE = re.compile(r"\\([A-Za-z]+|.)")
_ACCENT_ARG_RE = re.compile(r"\{(\\i(?![A-Za-z])|[A-Za-z])\}|(\\i(?![A-Za-z])|[A-Za-z])")
_ACCENT_MARK = {cmd: mark for mark, cmd in ACCENTS.items()}
_SYMBOLS = {
    **{cmd.strip("{}\\"): ch for ch, cmd in LETTERS.items()},
    **{name: ch for ch, name in SYMBOLS.items()},
    **{c.removeprefix("\\").removesuffix("{}"): ch for ch, c in SPECIALS.items() if "{}" in c},
    "textellipsis": "\u2026", "dots": "\u2026", "textdollar": "$", "textunderscore": "_",
    "texttimes": "×", "textbar": "|", "textless": "<", "textgreater": ">",
}  # fmt: skip


def _fast_decode(latex: str) -> str | None:
    """Decode the subset of LaTeX vlabib writes (no math); None for anything else."""
    out: list[str] = []
    pos, n = 0, len(latex)
    while pos < n:
        m = _PLAIN_RUN_RE.match(latex, pos)
        if m:
            out.append(m.group())
            pos = m.end()
            continue
        ch = latex[pos]
        if ch in "{}":
            pos += 1
        elif ch == "~":
            out.append("\xa0")
            pos += 1
        elif ch == "-":
            width = 3 if latex.startswith("---", pos) else 2 if latex.startswith("--", pos) else 1
            out.append({3: "\u2014", 2: "\u2013", 1: "-"}[width])
            pos += width
        elif ch in "`'":
            pair = latex[pos : pos + 2]
            if pair in ("``", "''"):
                out.append("\u201c" if pair == "``" else "\u201d")
                pos += 2
            else:
                out.append(ch)
                pos += 1
        elif ch == "\\":
            m = _MACRO_RE.match(latex, pos)
            if not m:
                return None
            name = m.group(1)
            pos = m.end()
            if name in "&%$#_{}":
                out.append(name)
            elif name in _ACCENT_MARK:
                # An accent on the next letter: \"u, \"{u}, \u g, {\'\i}.
                if name.isalpha():
                    while pos < n and latex[pos] == " ":
                        pos += 1
                arg = _ACCENT_ARG_RE.match(latex, pos)
                if not arg:
                    return None
                letter = arg.group(1) or arg.group(2)
                base = "i" if letter == "\\i" else letter
                out.append(unicodedata.normalize("NFC", base + _ACCENT_MARK[name]))
                pos = arg.end()
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
                if name.isalpha():
                    while pos < n and latex[pos] == " ":  # TeX eats spaces after \word
                        pos += 1
            else:
                return None
        else:
            return None  # '$' or '%': math or a comment; let pylatexenc decide
    return "".join(out)
