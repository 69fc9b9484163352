r"""LaTeX source to Unicode text, for the edges (README, site, terminal); with
:mod:`vlabib.tex.read.cites`, the only place that imports pylatexenc.

The LaTeX vlabib itself writes is decoded here directly; anything else goes through
pylatexenc, which is exact but a thousand times slower. Simple math becomes text.

>>> latex_to_text(r'{$\Psi_{0}$}: M{\"u}ller $O(n^2)$ -- {\L}{\'o}d{\'z}')
'Ψ₀: Müller O(n²) – Łódź'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Any, NamedTuple

from vlabib.errors import LatexError
from vlabib.tex.chars import ACCENTS, LETTERS, MATH_TEXT, SPECIALS, SUB_TEXT, SUP_TEXT, SYMBOLS
from vlabib.tex.read.cites import CITE_COMMANDS

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

_MATH_RE = re.compile(r"(?<!\\)\$([^$]+)(?<!\\)\$")


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


@functools.lru_cache(maxsize=1 << 20)  # every title, name and venue of a large survey
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
    if _only_braces(latex):  # most titles: "{VLA}-Adapter: …"
        return unicodedata.normalize("NFC", latex.replace("{", "").replace("}", ""))
    fast = _fast_decode(latex)
    if fast is not None:
        return unicodedata.normalize("NFC", fast)
    return pylatexenc_to_text(latex)


def _only_braces(latex: str) -> bool:
    """Whether the only LaTeX in *latex* (math aside) is braces, which read as nothing:
    no macro, tie, comment, dash pair or quote pair (what :func:`_fast_decode` reads)."""
    return not (
        "\\" in latex
        or "~" in latex
        or "%" in latex
        or "--" in latex
        or "``" in latex
        or "''" in latex
    )


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
    "textellipsis": "\u2026",
    "dots": "\u2026",
    "textdollar": "$",
    "textunderscore": "_",
    "texttimes": "×",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
}


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
        reader = _READERS.get(latex[pos])
        step = reader(latex, pos) if reader else None
        if step is None:
            return None  # '$' or '%': math or a comment; let pylatexenc decide
        text, pos = step
        out.append(text)
    return "".join(out)


Step = tuple[str, int] | None


def _brace(latex: str, pos: int) -> Step:
    return "", pos + 1


def _tilde(latex: str, pos: int) -> Step:
    return "\xa0", pos + 1


def _dash(latex: str, pos: int) -> Step:
    width = 3 if latex.startswith("---", pos) else 2 if latex.startswith("--", pos) else 1
    return {3: "\u2014", 2: "\u2013", 1: "-"}[width], pos + width


def _quote(latex: str, pos: int) -> Step:
    pair = latex[pos : pos + 2]
    if pair in ("``", "''"):
        return ("\u201c" if pair == "``" else "\u201d"), pos + 2
    return latex[pos], pos + 1


def _macro(latex: str, pos: int) -> Step:
    m = _MACRO_RE.match(latex, pos)
    if not m:
        return None
    name, pos = m.group(1), m.end()
    if name in "&%$#_{}":
        return name, pos
    if name in _ACCENT_MARK:
        return _accent(latex, pos, name)
    if name in _SYMBOLS:
        return _SYMBOLS[name], _skip_spaces(latex, pos) if name.isalpha() else pos
    return None


def _accent(latex: str, pos: int, name: str) -> Step:
    """An accent on the next letter: \\"u, \\"{u}, \\u g, {\\'\\i}."""
    if name.isalpha():
        pos = _skip_spaces(latex, pos)
    arg = _ACCENT_ARG_RE.match(latex, pos)
    if arg:
        letter = arg.group(1) or arg.group(2)
        base, end = ("i" if letter == "\\i" else letter), arg.end()
    else:  # an accented letter, braced: Nguy{\~{\^e}}n (Vietnamese names)
        inner = _MACRO_RE.match(latex, pos + 1) if latex.startswith("{\\", pos) else None
        if inner is None or inner.group(1) not in _ACCENT_MARK:
            return None
        step = _accent(latex, inner.end(), inner.group(1))
        if step is None or not latex.startswith("}", step[1]):
            return None
        base, end = step[0], step[1] + 1
    return unicodedata.normalize("NFC", base + _ACCENT_MARK[name]), end


def _skip_spaces(latex: str, pos: int) -> int:
    """TeX eats the spaces after a control word."""
    while pos < len(latex) and latex[pos] == " ":
        pos += 1
    return pos


_READERS = {
    "{": _brace,
    "}": _brace,
    "~": _tilde,
    "-": _dash,
    "`": _quote,
    "'": _quote,
    "\\": _macro,
}


class Reference(NamedTuple):
    """A file, cite key or taxonomy node a hand-written .tex file names, and where."""

    command: str  # input, include, cite (any \...cite... command), nodecite, nodecount
    argument: str
    line: int


# Commands that take a file, keys or node ids, with the argument specs LaTeX gives them, so
# that optional arguments are read as such: \cite[p.~3]{key}.
_CITES = CITE_COMMANDS
_FILES = ("input", "include", "subfile")


@functools.cache
def _walker_context(prefix: str = "survey") -> Any:
    from pylatexenc.latexwalker import get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec

    _quiet()
    db = get_default_latex_context_db().filter_context()
    specs = [MacroSpec(name, "*[[{") for name in _CITES]
    specs += [MacroSpec(name, "{") for name in (*_FILES, prefix + "cite", prefix + "count")]
    db.add_context_category("vlabib-references", macros=specs, prepend=True)
    return db


def references(text: str, prefix: str = "survey") -> list[Reference]:
    """Every ``\\input``/``\\include`` file, cite key and node of the survey's own macros
    (``\\PREFIXcite``, ``\\PREFIXcount``, as ``nodecite``/``nodecount``) in *text*, read by a
    LaTeX parser: comments and verbatim are skipped as TeX skips them."""
    from pylatexenc.latexwalker import LatexMacroNode, LatexWalker

    walker = LatexWalker(text, latex_context=_walker_context(prefix), tolerant_parsing=True)
    out: list[Reference] = []
    macros = {prefix + "cite": "nodecite", prefix + "count": "nodecount"}

    def visit(nodes: Any) -> None:
        for node in nodes or ():
            if node is None:
                continue
            args = (
                node.nodeargd.argnlist if isinstance(node, LatexMacroNode) and node.nodeargd else []
            )
            if isinstance(node, LatexMacroNode):
                line = walker.pos_to_lineno_colno(node.pos)[0]
                _collect(macros.get(node.macroname, node.macroname), args, line, out)
            for arg in args:
                visit(getattr(arg, "nodelist", None))
            if not isinstance(node, LatexMacroNode):
                visit(getattr(node, "nodelist", None))

    visit(walker.get_latex_nodes()[0])
    return out


def _collect(name: str, args: list[Any], line: int, out: list[Reference]) -> None:
    group = args[-1] if args else None
    if group is None or not group.isNodeType(_group_type()):
        return  # \input file (without braces) is left to TeX
    value = group.latex_verbatim()[1:-1]
    if name in _FILES:
        out.append(Reference("input" if name != "include" else "include", value.strip(), line))
    elif name in ("nodecite", "nodecount") or name in _CITES:
        command = name if name.startswith("node") else "cite"
        out += [Reference(command, item.strip(), line) for item in value.split(",") if item.strip()]


@functools.cache
def _group_type() -> type:
    from pylatexenc.latexwalker import LatexGroupNode

    group: type = LatexGroupNode
    return group


# What Overleaf's "New Project" main.tex holds: a preamble, a title block, empty headings.
_TEMPLATE_MACROS = frozenset(
    ("documentclass", "usepackage", "title", "author", "date", "maketitle", "section")
) | {"tableofcontents"}


def is_blank_template(text: str) -> bool:
    """Whether a .tex file is an untouched new-project template: no prose, no figures, no
    citations — only the document class, packages, title, author, date, ``\\maketitle`` and
    empty section headings (read by a LaTeX parser; comments do not count)."""
    from pylatexenc.latexwalker import (
        LatexCharsNode,
        LatexCommentNode,
        LatexEnvironmentNode,
        LatexMacroNode,
        LatexWalker,
    )

    def blank(nodes: Any) -> bool:
        for node in nodes or ():
            if node is None or isinstance(node, LatexCommentNode):
                continue
            if isinstance(node, LatexCharsNode):
                if node.chars.strip():
                    return False
            elif isinstance(node, LatexMacroNode):
                if node.macroname not in _TEMPLATE_MACROS:
                    return False
            elif isinstance(node, LatexEnvironmentNode):
                if node.environmentname != "document" or not blank(node.nodelist):
                    return False
            else:
                return False
        return True

    walker = LatexWalker(text, latex_context=_walker_context(), tolerant_parsing=True)
    return blank(walker.get_latex_nodes()[0])
