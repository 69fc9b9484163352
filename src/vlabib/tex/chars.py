"""What each Unicode character becomes in LaTeX, and back: vlabib's fixed tables.

Every entry is allow-listed LaTeX (see :mod:`vlabib.tex.allow`); a character with no entry is
either kept as UTF-8 (CJK, which the manuscript prints through CJKutf8, and emoji, which the
README shows and the PDF leaves out) or, for control and invisible formatting characters,
dropped.

>>> char_latex("ü"), char_latex("Ψ"), char_latex("₀"), char_latex("中"), char_latex("\u202e")
(('text', '{\\\\"u}'), ('math', '\\\\Psi'), ('math', '_{0}'), ('raw', '中'), ('drop', '\u202e'))
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Literal

Kind = Literal["text", "math", "raw", "drop"]

# Combining marks and the LaTeX accent that draws them. (pylatexenc 2.11 maps U+0171 ű to
# \'{u}, which reads back as ú: vlabib does accents itself.)
ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0327": "c", "\u0328": "k", "\u0331": "b",
}  # fmt: skip
LETTERS = {
    "ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "œ": r"{\oe}", "Œ": r"{\OE}", "ø": r"{\o}",
    "Ø": r"{\O}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}", "ȷ": r"{\j}", "å": r"{\aa}",
    "Å": r"{\AA}", "ð": r"{\dh}", "Ð": r"{\DH}", "þ": r"{\th}", "Þ": r"{\TH}", "đ": r"{\dj}",
    "Đ": r"{\DJ}", "ŋ": r"{\ng}", "Ŋ": r"{\NG}", "ĳ": r"{\ij}", "Ĳ": r"{\IJ}",
}  # fmt: skip
# Hyphens that pdflatex's fonts lack under their own code point (titles copied from a PDF
# hold them): the hyphen they are.
HYPHENS = {"\u2010": "-", "\u2011": "-"}
# Characters special to LaTeX in text, and how to write them literally. Not \{ and \}:
# BibTeX counts those braces too, and a lone one breaks the entry.
SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
# Typographic characters and text symbols.
SYMBOLS = {
    "\u2013": "textendash", "\u2014": "textemdash", "\u201c": "textquotedblleft",
    "\u201d": "textquotedblright", "\u2018": "textquoteleft", "\u2019": "textquoteright",
    "\u2026": "ldots", "«": "guillemotleft", "»": "guillemotright", "‹": "guilsinglleft",
    "›": "guilsinglright", "„": "quotedblbase", "‚": "quotesinglbase", "§": "textsection",
    "¶": "textparagraph", "©": "textcopyright", "®": "textregistered", "™": "texttrademark",
    "°": "textdegree", "µ": "textmu", "½": "textonehalf", "¼": "textonequarter",
    "¾": "textthreequarters", "‰": "textperthousand", "¿": "textquestiondown",
    "¡": "textexclamdown", "†": "textdagger", "‡": "textdaggerdbl", "•": "textbullet",
    "·": "textperiodcentered", "£": "textsterling", "€": "texteuro", "¥": "textyen",
    "¢": "textcent", "ª": "textordfeminine", "º": "textordmasculine",
}  # fmt: skip
_GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "finalsigma sigma tau upsilon phi chi psi omega"
)
MATH = {
    **{chr(0x3B1 + i): f"\\{n}" for i, n in enumerate(_GREEK_NAMES.split())},
    **{chr(0x391 + i): f"\\{n.capitalize()}" for i, n in enumerate(_GREEK_NAMES.split())},
    "ϑ": r"\vartheta", "ϕ": r"\phi", "ϖ": r"\varpi", "ϵ": r"\epsilon", "ϱ": r"\varrho",
    "ς": r"\varsigma", "×": r"\times", "±": r"\pm", "∓": r"\mp", "÷": r"\div", "⋅": r"\cdot",
    "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "∼": r"\sim", "≃": r"\simeq",
    "≅": r"\cong", "≡": r"\equiv", "∝": r"\propto", "≪": r"\ll", "≫": r"\gg", "∈": r"\in",
    "∉": r"\notin", "∋": r"\ni", "⊂": r"\subset", "⊆": r"\subseteq", "⊃": r"\supset",
    "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap", "∧": r"\wedge", "∨": r"\vee",
    "⊕": r"\oplus", "⊗": r"\otimes", "∞": r"\infty", "∂": r"\partial", "∇": r"\nabla",
    "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "∮": r"\oint", "∀": r"\forall",
    "∃": r"\exists", "¬": r"\neg", "→": r"\rightarrow", "←": r"\leftarrow",
    "↔": r"\leftrightarrow", "⇒": r"\Rightarrow", "⇐": r"\Leftarrow",
    "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "↑": r"\uparrow", "↓": r"\downarrow",
    "⟶": r"\longrightarrow", "⋯": r"\cdots", "′": r"\prime", "ℓ": r"\ell", "ℏ": r"\hbar",
    "∅": r"\emptyset", "∣": r"\mid", "∥": r"\parallel", "⊥": r"\perp", "∠": r"\angle",
    "△": r"\triangle", "∗": r"\ast", "⋆": r"\star", "∘": r"\circ", "√": r"\surd",
    "⟨": r"\langle", "⟩": r"\rangle", "⊤": r"\top", "⊢": r"\vdash", "⊨": r"\models",
    "⋄": r"\diamond", "−": "-",
}  # fmt: skip
del MATH["\u03a2"]  # there is no capital final sigma
# Capitals shaped like Latin ones have no command of their own.
for _code, _latin in zip(
    (0x391, 0x392, 0x395, 0x396, 0x397, 0x399, 0x39A, 0x39C, 0x39D, 0x39F, 0x3A1, 0x3A4, 0x3A7),
    "ABEZHIKMNOPTX",
    strict=True,
):
    MATH[chr(_code)] = f"\\mathrm{{{_latin}}}"
MATH.update({"\u03bf": "o", "\u03c2": r"\varsigma", "\u03b5": r"\varepsilon", "\u03c6": r"\varphi"})
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", "0123456789+-=()aeoxhklmnpst", strict=True))
_SUP = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ", "0123456789+-=()in", strict=True))
MATH.update({ch: f"_{{{v}}}" for ch, v in _SUB.items()})
MATH.update({ch: f"^{{{v}}}" for ch, v in _SUP.items()})

# Emoji and their joiners: decoration, dropped from titles.
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F1E6, 0x1F1FF),
    (0xE0020, 0xE007F), (0xFE00, 0xFE0F), (0x200D, 0x200D), (0x20E3, 0x20E3),
    (0x2300, 0x23FF), (0x25A0, 0x25FF), (0x2190, 0x21FF),
)  # fmt: skip


@functools.lru_cache(maxsize=8192)
def is_decoration(ch: str) -> bool:
    """Emoji, pictographs, keycaps and their joiners and variation selectors."""
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES) and ch not in MATH:
        return True
    return unicodedata.category(ch) in ("So", "Co", "Cn", "Cs")


@functools.lru_cache(maxsize=8192)
def char_latex(ch: str) -> tuple[Kind, str]:
    """How one character is written: as text LaTeX, a math token, kept as UTF-8, or dropped."""
    if ch.isascii():
        if ch in SPECIALS:
            return "text", SPECIALS[ch]
        return ("text", ch) if ch.isprintable() else ("drop", ch)
    table: tuple[tuple[dict[str, str], Kind, str], ...] = (
        (LETTERS, "text", "{}"),
        (HYPHENS, "text", "{}"),
        (SYMBOLS, "text", "\\{}{{}}"),
        (MATH, "math", "{}"),
    )
    for mapping, kind, form in table:
        if ch in mapping:
            return kind, form.format(mapping[ch])
    if ch == "\xa0":
        return "text", "~"
    if 0xFF01 <= ord(ch) <= 0xFF5E or ord(ch) == 0x3000 or 0xFB00 <= ord(ch) <= 0xFB06:
        # Fullwidth ASCII (CJK punctuation such as ：) and ligatures: the plain characters.
        compat = unicodedata.normalize("NFKC", ch)
        return "text", "".join(char_latex(c)[1] for c in compat)
    return _accented(ch) or _other(ch)


def _accented(ch: str) -> tuple[Kind, str] | None:
    """A Latin letter with accents LaTeX draws: ``ǘ`` -> ``{\\'{\\"u}}``."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not (marks and base.isascii() and base.isalpha() and all(m in ACCENTS for m in marks)):
        return None
    out = base
    for mark in marks:
        cmd = ACCENTS[mark]
        out = "{" + (f"\\{cmd} {out}" if cmd.isalpha() else f"\\{cmd}{out}") + "}"
    return "text", out


# Invisible characters that belong to an emoji: the joiner and the variation selectors.
_EMOJI_FORMAT = frozenset("\u200d\ufe0e\ufe0f")


def _other(ch: str) -> tuple[Kind, str]:
    """Spaces become spaces; control, private-use and invisible formatting characters (a
    right-to-left override, say) go; letters, symbols and emoji stay as UTF-8."""
    category = unicodedata.category(ch)
    if category.startswith("Z"):
        return "text", " "
    if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and ch not in _EMOJI_FORMAT):
        return "drop", ch
    return "raw", ch


# Scripts the manuscript prints through CJKutf8: Han, kana, bopomofo, Hangul, punctuation.
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x318F),
    (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FA1F),
)  # fmt: skip
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))
# The CJK fonts the manuscript prints with (CJKutf8, Type 1, from Debian's TeX packages), by
# what each has: the Unicode pages of its subfont files (a character on a page with no file
# stops pdflatex), and within them the character set its glyphs cover (Python's codec for
# that set says whether a character is in it). Arphic's GB Song: GB 2312; DNP (Wadalab)
# Mincho: JIS X 0208; Nanum Myeongjo: every Hangul syllable and KS X 1001's other Korean.
_PAGES = {
    "zh": {0x00, 0x01, 0x02, 0x03, 0x04, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x30, 0x31,
           0x32, *range(0x4E, 0x9D), 0x9E, 0x9F, 0xFE, 0xFF},
    "ja": set(range(0x100)),  # its subfonts are by JIS row, not Unicode page: the set decides
    "ko": {0x00, 0x01, 0x02, 0x03, 0x04, *range(0x20, 0x28), 0x30, 0x31, 0x32, 0x33,
           *range(0xAC, 0xD8), 0xFF},
}  # fmt: skip
_CHARSET = {"zh": "gb2312", "ja": "euc_jp", "ko": "euc_kr"}


CJK_RUN_RE = re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _CJK_RANGES) + "]+")


def is_cjk(ch: str) -> bool:
    """Han characters, kana, bopomofo, Hangul and CJK punctuation."""
    return CJK_RUN_RE.fullmatch(ch) is not None


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in ranges)


def _covers(font: str, ch: str) -> bool:
    cp = ord(ch)
    if cp > 0xFFFF or cp >> 8 not in _PAGES[font]:
        return False
    if font == "ko" and 0xAC00 <= cp <= 0xD7A3:
        return True
    try:
        ch.encode(_CHARSET[font])
    except UnicodeEncodeError:
        return False
    return True


def _preferred(run: str) -> str:
    if any(_in(ch, _HANGUL) for ch in run):
        return "ko"
    if any(_in(ch, _KANA) or (not _covers("zh", ch) and _covers("ja", ch)) for ch in run):
        return "ja"
    return "zh"


def cjk_fonts(run: str) -> list[tuple[str, str]]:
    """A run of CJK text in the pieces each font prints: the run's own font (Korean for
    Hangul, Japanese for kana or a kanji only the Japanese font has, else Chinese), another
    for a character it lacks; ``""`` for a character no font has.

    >>> cjk_fonts("中文"), cjk_fonts("視覚言語モデル"), cjk_fonts("시각")
    ([('zh', '中文')], [('ja', '視覚言語モデル')], [('ko', '시각')])
    >>> cjk_fonts("한국語𠀋")
    [('ko', '한국'), ('ja', '語'), ('', '𠀋')]
    """
    own = _preferred(run)
    pieces: list[tuple[str, str]] = []
    for ch in run:
        font = next((f for f in (own, "zh", "ja", "ko") if _covers(f, ch)), "")
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + ch)
        else:
            pieces.append((font, ch))
    return pieces


def _inverse() -> dict[str, str]:
    back = {v: k for k, v in MATH.items() if k not in ("\u03bf", "−")}
    back.update({r"\le": "≤", r"\ge": "≥", r"\ne": "≠", r"\to": "→", r"\dots": "…"})
    back.update({r"\ldots": "…", r"\lnot": "¬", r"\bullet": "•", r"\cdot": "⋅"})
    return back


#: Math token -> Unicode, for showing simple math as text (README, site, terminal).
MATH_TEXT = _inverse()
SUB_TEXT = {v: k for k, v in _SUB.items()}
SUP_TEXT = {v: k for k, v in _SUP.items()}
