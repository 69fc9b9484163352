"""The allow-list of LaTeX that may reach TeX from a bibliography field.

Anyone can put any title on arXiv, so a field value is LaTeX *data*: letters, escaped
specials, accents and symbols from a fixed table, font switches, and math whose every token
is allowed. Nothing else passes: not ``^^`` (TeX's character-code notation: ``^^5c`` is a
backslash), not an unknown control sequence, not a raw ``#``, ``%`` or ``&``.

>>> unsafe_construct("M{\\\\\\"u}ller: $O(n^2)$ \\\\& more")
>>> unsafe_construct("$x^^5cinput{/etc/passwd}$")
'^^ (TeX character-code notation)'
>>> unsafe_construct("\\\\inpu^^74{x}")
'^^ (TeX character-code notation)'
>>> unsafe_construct("\\\\input{x}")
'\\\\input'
"""

from __future__ import annotations

import re
import urllib.parse


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Accents and letters LaTeX's text fonts draw (vlabib's encoder writes these).
ACCENTS = frozenset("'`^\"~=.uvHcdbkrt")
TEXT_LETTERS = _names(
    """
    i j ss SS ae AE oe OE o O l L aa AA dh DH th TH dj DJ ng NG ij IJ
    """
)
TEXT_SYMBOLS = _names(
    """
    textbackslash textbraceleft textbraceright textasciitilde textasciicircum textendash
    textemdash textquotedblleft textquotedblright textquoteleft textquoteright
    textellipsis ldots dots textdollar textunderscore textbar textless textgreater
    textperiodcentered textbullet textdagger textdaggerdbl textsection textparagraph
    textcopyright textregistered texttrademark textdegree texttimes textdiv textpm textmu
    textonehalf textonequarter textthreequarters textperthousand textquestiondown
    textexclamdown guillemotleft guillemotright guilsinglleft guilsinglright quotedblbase
    quotesinglbase textsterling texteuro textyen textcent textordfeminine textordmasculine
    textasciiacute textasciigrave textquotesingle textquotedbl textvisiblespace LaTeX TeX
    LaTeXe
    """
)
# Font and box commands that only change how their argument looks.
TEXT_STYLES = _names(
    """
    emph textit textbf textsc texttt textrm textsf textsl textup textmd textnormal
    textsuperscript textsubscript mbox em it bf sc tt rm sf sl up nocorr
    """
)
TEXT_COMMANDS = ACCENTS | TEXT_LETTERS | TEXT_SYMBOLS | TEXT_STYLES
# Control symbols (backslash and one non-letter) allowed in text: escaped specials, spacing.
TEXT_SYMBOL_CHARS = frozenset("&%$#_{} ,-/@'`^\"~=.")

GREEK = _names(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma
    Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
    """
)
MATH_COMMANDS = GREEK | _names(
    """
    times cdot pm mp div ast star circ bullet leq le geq ge neq ne approx sim simeq cong
    equiv propto ll gg in notin ni subset subseteq supset supseteq cup cap wedge vee oplus
    otimes infty partial nabla sum prod int oint forall exists neg lnot to rightarrow
    leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow mapsto uparrow downarrow
    longrightarrow ldots cdots vdots ddots dots prime ell hbar emptyset mid parallel perp
    angle triangle log ln exp sin cos tan max min arg sup inf lim det dim mod bmod sqrt
    frac mathcal mathrm mathbf mathit mathsf mathtt mbox left right big Big bigg Bigg
    langle rangle lfloor rfloor lceil rceil vert Vert quad qquad hat bar tilde vec dot
    ddot overline underline widehat widetilde surd dagger top bot vdash models star
    diamond
    """
)
MATH_SYMBOL_CHARS = frozenset("{}|,;:! _%&#$")
# Characters that mean markup to TeX and must arrive escaped (``\\&``) in text.
_TEXT_RAW_BANNED = {"#": "#", "%": "%", "&": "&", "_": "_", "^": "^"}
_MATH_RAW_BANNED = {"#": "#", "%": "%", "&": "&"}
_TOKEN_RE = re.compile(r"\\([A-Za-z]+|.?)|\$|[#%&_^]|[\x00-\x08\x0b-\x1f\x7f]", re.DOTALL)


_URL_MACRO_RE = re.compile(r"\\url\{([^{}\\\s%#]+)\}")


def unsafe_construct(value: str) -> str | None:
    """The first construct in *value* that vlabib does not let reach TeX, or None.

    Text and math (``$…$``) modes each have their own allow-list; ``$$``, an unclosed
    ``$`` and ``\\\\`` (a line break) are refused too.
    """
    if _plain_text(value):
        return None
    return _first_unsafe(value)


# What only the token-by-token reading below can judge: math, a character TeX reads as
# markup (unescaped), \{ \} \\ \left \right \url (each changes what a brace or a token means).
_NOT_PLAIN_RE = re.compile(r"(?<!\\)[$#%&_^]|[\x00-\x08\x0b-\x1f\x7f]|\\(?:[{}\\]|left|right|url)")
_COMMAND_NAMES = re.compile(r"\\([A-Za-z]+|.?)", re.DOTALL).findall
_PLAIN_COMMANDS = frozenset(n for n in TEXT_COMMANDS if n.isalpha()) | TEXT_SYMBOL_CHARS
_INNERMOST_GROUP = re.compile(r"\{[^{}]*\}")


def _plain_text(value: str) -> bool:
    """Text that is certainly allowed: no math or markup character, only allow-listed
    commands, braces that TeX groups as BibTeX does (a fast path for the common names and
    titles; whatever it does not accept, :func:`_first_unsafe` reads token by token)."""
    if _NOT_PLAIN_RE.search(value) or not _PLAIN_COMMANDS.issuperset(_COMMAND_NAMES(value)):
        return False
    for _ in range(8):  # names and titles nest a few deep; anything deeper: token by token
        if "{" not in value:
            return "}" not in value
        value, groups = _INNERMOST_GROUP.subn("", value)
        if not groups:
            return False
    return False


def _first_unsafe(value: str) -> str | None:
    """:func:`unsafe_construct`, read token by token."""
    if "^^" in value:
        return "^^ (TeX character-code notation)"
    if "\\url{" in value:  # \url{https://…} of plain URL characters: the url package's
        value = _URL_MACRO_RE.sub(lambda m: "URL" if is_url(m.group(1)) else m.group(), value)
    math = False
    for m in _TOKEN_RE.finditer(value):
        token = m.group()
        if token == "$":
            if not math and value.startswith("$$", m.start()):
                return "$$ (display math)"
            math = not math
            continue
        problem = _raw_problem(token, math) if m.group(1) is None else _command_problem(m, math)
        if problem:
            return problem
    if math:
        return "a $ that is never closed"
    return _tex_structure(value)


_TEX_BRACE_RE = re.compile(r"\\[{}]|[{}]|\\left\b|\\right\b|\\\\")


def _tex_structure(value: str) -> str | None:
    """What TeX would stop at although BibTeX's brace count balances: ``\\{`` and ``\\}``
    are characters to TeX, not groups (``\\{}x{\\}`` closes a group never opened), and a
    ``\\left`` needs its ``\\right``."""
    depth = lefts = 0
    for m in _TEX_BRACE_RE.finditer(value):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return "a } that closes no { (\\{ and \\} are characters to TeX, not braces)"
        elif token == "\\left":
            lefts += 1
        elif token == "\\right":
            lefts -= 1
    if depth:
        return "a { that TeX never closes (\\{ and \\} are characters to TeX, not braces)"
    return "a \\left without its \\right" if lefts else None


def _raw_problem(token: str, math: bool) -> str:
    """What is wrong with a character TeX reads as markup, or ``""``."""
    if token in (_MATH_RAW_BANNED if math else _TEXT_RAW_BANNED):
        return f"an unescaped {token} (write \\{token})"
    if not token.isprintable():
        return f"control character U+{ord(token):04X}"
    return ""


def _command_problem(m: re.Match[str], math: bool) -> str:
    """What is wrong with a backslash command in text or math mode, or ``""``."""
    name = m.group(1)
    if name == "":
        return "a backslash at the end"
    if name == "\\":
        return "\\\\ (a line break)"
    if len(name) == 1 and not name.isalpha():
        allowed = name in (MATH_SYMBOL_CHARS if math else TEXT_SYMBOL_CHARS)
    else:
        allowed = name in (MATH_COMMANDS if math else TEXT_COMMANDS)
    if allowed:
        return ""
    return f"\\{name}" + (" in math" if math and name in TEXT_COMMANDS else "")


def is_safe_math(inner: str) -> bool:
    """True when ``$inner$`` is math vlabib keeps as math.

    >>> is_safe_math("O(n^2)"), is_safe_math("\\\\pi_0"), is_safe_math("x^^5c")
    (True, True, False)
    """
    return "$" not in inner and unsafe_construct(f"${inner}$") is None


# -- identifiers ------------------------------------------------------------------------------

_URL_RE = re.compile(
    r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$"
)
_DOI_RE = re.compile(r"^10\.\d{4,9}/[A-Za-z0-9\-._;()/:<>\[\]+]+$")
_CATEGORY_RE = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$")
_EPRINT_RE = re.compile(r"^[A-Za-z0-9./-]+$")


def is_url(value: str) -> bool:
    """An http(s) URL of plain URL characters: no spaces, braces, backslashes or quotes.

    >>> is_url("https://github.com/a/b"), is_url("javascript:alert(1)"), is_url("http://x/{a}")
    (True, False, False)
    """
    return len(value) <= 2000 and bool(_URL_RE.match(value))


def to_url(text: str) -> str:
    """*text* as a plain-character http(s) URL (unsafe characters percent-encoded), or ``""``.

    >>> to_url("https://x.org/a b|c"), to_url("ftp://x.org/"), to_url("")
    ('https://x.org/a%20b%7Cc', '', '')
    """
    url = urllib.parse.quote(text.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")
    return url if is_url(url) else ""


def is_doi(value: str) -> bool:
    """A DOI as registries issue them: ``10.1109/LRA.2025.1234567``."""
    return len(value) <= 300 and bool(_DOI_RE.match(value))


def is_category(value: str) -> bool:
    """An arXiv subject class: ``cs.RO``, ``q-bio.NC``, ``hep-th``."""
    return len(value) <= 40 and bool(_CATEGORY_RE.match(value))


def is_eprint(value: str) -> bool:
    return len(value) <= 100 and bool(_EPRINT_RE.match(value))
