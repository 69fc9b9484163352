"""LaTeX source <-> Unicode text. The only module that imports pylatexenc.

Strings in the bib are LaTeX source in ASCII (``M{\\"u}ller``); Unicode appears only at the
edges (README, terminal). Every conversion to LaTeX is checked by converting back, so a
character LaTeX cannot carry is a clear error instead of silent corruption.

>>> text_to_latex("Müller & Söhne")
'M{\\\\"u}ller \\\\& S{\\\\"o}hne'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

from vlabib.errors import VlabibError

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text
    from pylatexenc.latexencode import UnicodeToLatexEncoder

# Combining marks and the LaTeX accent that draws them. pylatexenc 2.11 maps some of
# these wrongly (U+0171 ű becomes \'{u}, which reads back as ú), so letters go through
# this table, after Unicode decomposition, and pylatexenc only handles the rest.
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0328": "k",
    "\u0331": "b",
}
_LETTERS = {
    "ß": r"{\ss}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
    "å": r"{\aa}",
    "Å": r"{\AA}",
}
# Characters special to LaTeX in text mode, and how to write them literally.
_SPECIALS = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts those braces too, and a lone one breaks the entry.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_MATH_RE = re.compile(r"(?<!\\)\$[^$]+(?<!\\)\$")
_WORD_RE = re.compile(r"[^\W_]+")


class LatexError(VlabibError):
    """A string cannot be carried by LaTeX/BibTeX as it stands."""


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
        macros=[
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
        ],
        prepend=True,
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)


@functools.cache
def _encoder() -> UnicodeToLatexEncoder:
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    _quiet()
    return UnicodeToLatexEncoder(
        non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy="keep"
    )


@functools.lru_cache(maxsize=65536)
def latex_to_text(latex: str) -> str:
    """Unicode text of a LaTeX string: ``M{\\"u}ller`` -> ``Müller``; math stays verbatim.

    The LaTeX vlabib itself writes is decoded here directly; anything else goes through
    pylatexenc, which is exact but a thousand times slower.
    """
    if not _LATEX_SYNTAX_RE.search(latex):
        return latex
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


_LATEX_SYNTAX_RE = re.compile(r"[\\{}$~%`']|--")
_PLAIN_RUN_RE = re.compile(r"[^\\{}$~%`'-]+")
_MACRO_RE = re.compile(r"\\([A-Za-z]+|.)")
_ACCENT_ARG_RE = re.compile(r"\{(\\i(?![A-Za-z])|[A-Za-z])\}|(\\i(?![A-Za-z])|[A-Za-z])")
_ACCENT_MARK = {cmd: mark for mark, cmd in _ACCENTS.items()}
_SYMBOLS = {
    **{cmd.strip("{}\\"): ch for ch, cmd in _LETTERS.items()},
    "textbraceleft": "{",
    "textbraceright": "}",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textendash": "\u2013",
    "textemdash": "\u2014",
    "textquotedblleft": "\u201c",
    "textquotedblright": "\u201d",
    "textquoteleft": "\u2018",
    "textquoteright": "\u2019",
    "textellipsis": "\u2026",
    "ldots": "\u2026",
    # Letters pylatexenc writes as commands, and common typographic symbols.
    "DH": "Ð", "dh": "ð", "TH": "Þ", "th": "þ", "DJ": "Đ", "dj": "đ", "IJ": "Ĳ", "ij": "ĳ",
    "NG": "Ŋ", "ng": "ŋ", "texttimes": "×", "textdegree": "°", "textsection": "§",
    "textcopyright": "©", "textregistered": "®", "guillemotleft": "«", "guillemotright": "»",
    "textquestiondown": "¿", "textexclamdown": "¡", "textonehalf": "½", "textdagger": "†",
    "textbullet": "•", "quotedblbase": "„", "textmu": "µ", "textperthousand": "‰",
}  # fmt: skip


def _fast_decode(latex: str) -> str | None:
    """Decode the subset of LaTeX vlabib writes; None for anything else."""
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
        elif ch == "$":
            end = latex.find("$", pos + 1)
            if end < 0 or latex[end - 1] == "\\":
                return None
            out.append(latex[pos : end + 1])
            pos = end + 1
        elif ch == "~":
            out.append("\xa0")
            pos += 1
        elif ch == "-":
            if latex.startswith("---", pos):
                out.append("\u2014")
                pos += 3
            elif latex.startswith("--", pos):
                out.append("\u2013")
                pos += 2
            else:
                out.append("-")
                pos += 1
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
            return None  # '%': a comment in LaTeX; let pylatexenc decide
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _encode_char(ch: str) -> str:
    if ch in _LETTERS:
        return _LETTERS[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if marks and base.isascii() and all(m in _ACCENTS for m in marks):
        out = base
        for mark in marks:
            cmd = _ACCENTS[mark]
            out = f"\\{cmd}{out}" if not cmd.isalpha() else f"\\{cmd} {out}"
            out = "{" + out + "}"
        return out
    encoded: str = _encoder().unicode_to_latex(ch)
    return encoded


def _encode_plain(text: str) -> str:
    """Escape LaTeX specials and encode non-ASCII characters of plain text."""
    out = []
    for ch in text:
        if ch in _SPECIALS:
            out.append(_SPECIALS[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(_encode_char(ch))
    return "".join(out)


def _needs_protection(word: str) -> bool:
    """Acronyms and inner-capital words keep their case in every bibliography style."""
    return any(c.isupper() for c in word[1:]) or (
        word[0].isupper() and any(c.isdigit() for c in word)
    )


def text_to_latex(text: str, *, math: bool = False, protect: bool = False) -> str:
    """LaTeX source for Unicode *text*, checked to read back as the same text.

    ``math=True`` keeps ``$…$`` spans verbatim (arXiv titles use them); ``protect=True``
    braces acronyms and inner-capital words (``{VLA}-Adapter``, ``{SmolVLA}``).

    >>> text_to_latex("SmolVLA: 50% $x_1$", math=True, protect=True)
    '{SmolVLA}: 50\\\\% $x_1$'
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    pieces: list[str] = []
    pos = 0
    spans = list(_MATH_RE.finditer(text)) if math else []
    for span in [*spans, None]:
        end = span.start() if span else len(text)
        pieces.append(_encode_words(text[pos:end], protect))
        if span:
            pieces.append(span.group())
            pos = span.end()
    latex = "".join(pieces)
    _check_ascii(text, latex)
    if latex_to_text(latex) != text:
        raise LatexError(
            f"{text!r} cannot be written as LaTeX without changing it "
            f"(it would read back as {latex_to_text(latex)!r}); rephrase or use a LaTeX command"
        )
    return latex


def _encode_words(text: str, protect: bool) -> str:
    if not protect:
        return _encode_plain(text)
    out = []
    pos = 0
    for m in _WORD_RE.finditer(text):
        out.append(_encode_plain(text[pos : m.start()]))
        word = _encode_plain(m.group())
        out.append("{" + word + "}" if _needs_protection(m.group()) else word)
        pos = m.end()
    out.append(_encode_plain(text[pos:]))
    return "".join(out)


def _check_ascii(text: str, latex: str) -> None:
    for ch in latex:
        if not ch.isascii() or (unicodedata.category(ch) == "Cc"):
            bad = next((c for c in text if not c.isascii() or unicodedata.category(c) == "Cc"), ch)
            raise LatexError(
                f"character {bad!r} (U+{ord(bad):04X}, {unicodedata.name(bad, 'unnamed')}) "
                f"in {text!r} cannot be written to BibTeX; "
                "replace it or write it as a LaTeX command"
            )


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def is_ascii_latex(latex: str) -> bool:
    """True when *latex* is printable ASCII, as BibTeX needs (it reads bytes)."""
    return latex.isascii() and not _CONTROL_RE.search(latex)


@functools.lru_cache(maxsize=4096)
def _checked_char(ch: str) -> str | None:
    """The LaTeX for *ch* when it reads back as *ch*, else None."""
    encoded = _encode_char(ch)
    return encoded if is_ascii_latex(encoded) and latex_to_text(encoded) == ch else None


def encode_non_ascii(latex: str) -> str:
    """Encode the non-ASCII characters of a LaTeX string, leaving its LaTeX as it is.

    >>> encode_non_ascii("R{\\\\'e}my Müller")
    'R{\\\\\\'e}my M{\\\\"u}ller'
    """
    if latex.isascii() and is_ascii_latex(latex):
        return latex
    out = []
    for ch in unicodedata.normalize("NFC", latex):
        if ch.isascii() and unicodedata.category(ch) != "Cc":
            out.append(ch)
            continue
        encoded = _checked_char(ch)
        if encoded is None:
            raise LatexError(
                f"character {ch!r} (U+{ord(ch):04X}, {unicodedata.name(ch, 'control character')}) "
                "cannot be written to BibTeX; replace it or write it as a LaTeX command"
            )
        out.append(encoded)
    return "".join(out)
