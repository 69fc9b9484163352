r"""Unicode text to LaTeX source: the one way text from outside becomes LaTeX.

Strings in the bib are LaTeX source (``M{\"u}ller``); :func:`encode` emits only allow-listed
constructs (see :mod:`vlabib.tex.allow`) and never refuses a title. Reading LaTeX back is
:mod:`vlabib.tex.read`'s.

>>> print(text_to_latex("Müller & Söhne"))
M{\"u}ller \& S{\"o}hne
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from vlabib.tex.allow import is_safe_math
from vlabib.tex.chars import CJK_RUN_RE, MATH, char_latex, cjk_fonts

_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_MATH_RE = re.compile(r"(?<!\\)\$([^$]+)(?<!\\)\$")
# A word, or a hyphenated compound (VLA-Adapter): protected whole when any part needs it,
# since BibTeX's sentence case would lower the parts outside the braces.
_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# The same compound in vlabib's LaTeX, some parts braced: {VLA}-Adapter, Align-Then-{stEer}.
_BRACED_COMPOUND_RE = re.compile(
    r"(?<![^\s(\[/])(?:\{[A-Za-z0-9]+\}|[A-Za-z0-9]+)(?:-(?:\{[A-Za-z0-9]+\}|[A-Za-z0-9]+))+(?![\w{}])"
)


@dataclass(frozen=True)
class Latex:
    """Encoded text: the LaTeX, the characters left out, and whether math was unsafe."""

    text: str
    dropped: tuple[str, ...] = ()  # left out (control and invisible formatting characters)
    literal_math: bool = False
    pdf_only_missing: tuple[str, ...] = ()  # kept, but the PDF leaves them out (emoji)


def encode(
    text: str, *, math: bool = False, protect: bool = False, ligatures: bool = False
) -> Latex:
    r"""Allow-listed LaTeX for Unicode *text*; never raises.

        ``math=True`` keeps ``$…$`` spans as math when every token in them is allowed (and
        prints them literally otherwise); ``protect=True`` braces acronyms, inner-capital words
        and math, so BibTeX styles keep their case (``{VLA}-Adapter``, ``{SmolVLA}``). Greek
        and sub/superscripts become math, CJK and emoji stay UTF-8 (:func:`for_pdflatex` says
    how the manuscript prints them), invisible controls are dropped. ``--``, ``---``,
        ````` `` ````` and ``''`` mean dashes and quotes only with *ligatures* (arXiv's titles are
        written in TeX); elsewhere they are the characters typed.

        >>> latex = encode("Ψ₀ 🤖\u202e $x^^5c$", math=True, protect=True)
        >>> print(latex.text)
        {$\Psi_{0}$} 🤖 \$x\textasciicircum{}\textasciicircum{}5c\$
        >>> latex.dropped, latex.literal_math, latex.pdf_only_missing
        ((), True, ('🤖',))
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    dropped: list[str] = []
    out: list[str] = []
    literal = False
    pos = 0
    for span in _MATH_RE.finditer(text) if math and "$" in text else ():
        out.append(_encode_run(text[pos : span.start()], protect, dropped, ligatures))
        inner = _math_tokens(span.group(1))
        if inner is not None:
            out.append("{$" + inner + "$}" if protect else "$" + inner + "$")
        else:
            literal = True
            out.append(_encode_run(span.group(), protect, dropped, ligatures))
        pos = span.end()
    out.append(_encode_run(text[pos:], protect, dropped, ligatures))
    latex = "".join(out)
    if dropped:
        latex = " ".join(latex.split())
    shown = tuple(c for c in dropped if unicodedata.category(c) not in ("Mn", "Me", "Cf", "Cc"))
    return Latex(latex, shown, literal, tuple(pdf_missing(latex)))


def text_to_latex(
    text: str, *, math: bool = False, protect: bool = False, ligatures: bool = False
) -> str:
    r"""The LaTeX of :func:`encode`, for text whose dropped characters need no notice.

    >>> print(text_to_latex("SmolVLA: 50% $x_1$", math=True, protect=True))
    {SmolVLA}: 50\% {$x_1$}
    """
    return encode(text, math=math, protect=protect, ligatures=ligatures).text


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
    """Acronyms and inner-capital words keep their case in every bibliography style; a
    compound keeps all of it when one part must (VLA-Adapter, not VLA-adapter)."""
    return any(
        any(c.isupper() for c in part[1:])
        or (part[:1].isupper() and any(c.isdigit() for c in part))
        for part in word.split("-")
    )


def protect_compounds(latex: str) -> str:
    r"""Brace a whole hyphenated compound when a part of it is braced, so that sentence case
    keeps it as written.

    >>> print(protect_compounds(r"{VLA}-Adapter and Align-Then-{stEer} and Vision-Language"))
    {VLA-Adapter} and {Align-Then-stEer} and Vision-Language
    """

    if "{" not in latex or "-" not in latex:
        return latex  # no compound with a braced part (most titles)

    def whole(m: re.Match[str]) -> str:
        compound = m.group()
        return (
            "{" + compound.replace("{", "").replace("}", "") + "}" if "{" in compound else compound
        )

    return _BRACED_COMPOUND_RE.sub(whole, latex)


_LIGATURE_RE = re.compile(r"-(?=-)|`(?=`)|'(?=')")


def _encode_run(text: str, protect: bool, dropped: list[str], ligatures: bool = False) -> str:
    latex = _encode_words(text, protect, dropped)
    if not ligatures and ("--" in latex or "``" in latex or "''" in latex):
        latex = _LIGATURE_RE.sub(lambda m: m.group() + "{}", latex)
    return latex


def _encode_words(text: str, protect: bool, dropped: list[str]) -> str:
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


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


def _runs(text: str) -> Iterator[tuple[bool, str]]:
    """The text in runs: (True, a run of CJK characters) or (False, one other character)."""
    pos = 0
    for m in CJK_RUN_RE.finditer(text):
        yield from ((False, ch) for ch in text[pos : m.start()])
        yield True, m.group()
        pos = m.end()
    yield from ((False, ch) for ch in text[pos:])


def _cjk_latex(font: str, text: str, bibtex: bool) -> str:
    """CJK text in its font's macro (\\vlacjk for Chinese, \\vlacjkja, \\vlacjkko); for
    BibTeX in TeX's ``^^`` byte notation, braced, so BibTeX passes it through as it is."""
    macro = r"\vlacjk" + ("" if font == "zh" else font)
    if not bibtex:
        return macro + "{" + text + "}"
    return "{" + macro + "{" + "".join(f"^^{b:02x}" for b in text.encode("utf-8")) + "}}"


def pdf_missing(text: str) -> list[str]:
    """The characters of *text* the PDF leaves out: no pdflatex font has them (emoji, other
    scripts, a CJK character none of the CJK fonts has).

    >>> pdf_missing("Müller: 中文 視覚モデル 시각 🤖 𠀋𠀋")
    ['🤖', '𠀋', '𠀋']
    """
    missing = []
    for span in _NON_ASCII_RE.findall(text):  # most text is ASCII: only the rest is looked at
        for cjk, run in _runs(span):
            if cjk:
                missing += [ch for font, part in cjk_fonts(run) if not font for ch in part]
            elif char_latex(run)[0] not in ("text", "math"):
                missing.append(run)
    return missing


def for_pdflatex(latex: str, *, bibtex: bool = False) -> str:
    r"""vlabib's LaTeX as pdflatex prints it: accents and Greek spelled in LaTeX, CJK runs in
    ``\vlacjk{…}`` (the CJK environment), and characters no pdflatex font has (emoji, other
    scripts) left out. With *bibtex*, the result is ASCII: CJK is written in TeX's ``^^``
    byte notation, which BibTeX passes through as it is.

    >>> print(for_pdflatex("Müller: 中文 🤖 robots"))
    M{\"u}ller: \vlacjk{中文} robots
    >>> print(for_pdflatex("中文", bibtex=True))
    {\vlacjk{^^e4^^b8^^ad^^e6^^96^^87}}
    >>> print(for_pdflatex("視覚モデル and 시각"))
    \vlacjkja{視覚モデル} and \vlacjkko{시각}
    """
    if latex.isascii():
        return latex
    out: list[str] = []
    left_out = False
    for cjk, run in _runs(encode_non_ascii(latex)):
        if cjk:
            for font, text in cjk_fonts(run):
                if font:
                    out.append(_cjk_latex(font, text, bibtex))
            left_out = False
        elif run.isascii():
            if not (left_out and run == " " and out and out[-1].endswith(" ")):
                out.append(run)
            left_out = False
        else:
            left_out = True
    return "".join(out)
