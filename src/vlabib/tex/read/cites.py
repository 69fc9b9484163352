r"""Citations in a manuscript's .tex files, where each key stands to the byte, and rewriting
them: only the keys change, every other byte stays as it was.

Read with pylatexenc's LaTeX parser (comments and verbatim are skipped as TeX skips them), so
a key in ``% \cite{old}`` or in a ``verbatim`` block is never touched. The commands are those
of natbib, biblatex, apacite and ACM's classes, starred or not, with optional arguments.

>>> text = r"See \citep[p.~3]{kim2024openvla, octo} and \citeA{rice_1976}. % \cite{kim2024openvla}"
>>> [(c.key, c.line) for c in cites(text)]
[('kim2024openvla', 1), ('octo', 1), ('rice_1976', 1)]
>>> rewritten(text, {"kim2024openvla": "2406.09246"})[0]
'See \\citep[p.~3]{2406.09246, octo} and \\citeA{rice_1976}. % \\cite{kim2024openvla}'
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

#: Every citation command vlabib reads: natbib, biblatex, apacite, ACM (and the capitalised
#: forms that start a sentence).
CITE_COMMANDS = (
    *("cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear"),
    *("citeyearpar", "citenum", "citetext", "nocite", "citepalias", "citetalias"),
    *("parencite", "textcite", "autocite", "footcite", "fullcite", "smartcite", "supercite"),
    *("footfullcite", "citetitle", "citeurl", "citedate", "volcite", "pvolcite"),
    *("citeA", "citeN", "citeNP", "citeyearNP", "citeauthorNP", "shortcite", "shortciteA"),
    *("shortciteN", "shortciteNP", "fullciteA", "fullciteN", "fullciteNP", "citeANP"),
    *("Cite", "Citep", "Citet", "Citealp", "Citealt", "Citeauthor", "Parencite", "Textcite"),
    *("Autocite", "Smartcite", "Footcite"),
)


# Environments whose body TeX does not read as LaTeX (beside verbatim, which pylatexenc knows).
_VERBATIM = ("lstlisting", "minted", "comment", "Verbatim", "BVerbatim", "alltt")


class Cite(NamedTuple):
    """One key in a citation command: the key, where it stands (offsets into the text), its
    line and the command."""

    key: str
    start: int
    end: int
    line: int
    command: str


@functools.cache
def _context(extra: tuple[str, ...] = ()) -> Any:
    from pylatexenc.latexwalker import get_default_latex_context_db
    from pylatexenc.macrospec import EnvironmentSpec, MacroSpec

    db = get_default_latex_context_db().filter_context()
    verbatim = [EnvironmentSpec(name, args_parser=_verbatim_body(name)) for name in _VERBATIM]
    db.add_context_category(
        "vlabib-cites",
        macros=[
            *(MacroSpec(n, "*[[{") for n in CITE_COMMANDS),
            *(MacroSpec(n, "{") for n in extra),
            *(MacroSpec(n, "*[{") for n in _LEVELS),
            *(MacroSpec(n, "[{") for n in ("title",)),
            *(MacroSpec(n, "{") for n in ("input", "include")),
        ],
        environments=verbatim,
        prepend=True,
    )
    return db


def _verbatim_body(name: str) -> Any:
    r"""An argument parser that takes an environment's whole body as text, up to its
    ``\end{name}``, as TeX does for verbatim-like environments (pylatexenc knows only
    ``verbatim`` itself)."""
    from pylatexenc import latexwalker
    from pylatexenc.macrospec import ParsedVerbatimArgs, VerbatimArgsParser

    class Body(VerbatimArgsParser):  # type: ignore[misc]
        def parse_args(self, w: Any, pos: int, parsing_state: Any = None) -> Any:
            end = w.s.find(f"\\end{{{name}}}", pos)
            end = len(w.s) if end == -1 else end
            chars = w.make_node(
                latexwalker.LatexCharsNode,
                parsing_state=parsing_state,
                chars=w.s[pos:end],
                pos=pos,
                len=end - pos,
            )
            return (ParsedVerbatimArgs(verbatim_chars_node=chars), pos, end - pos)

    return Body("verbatim-environment")


def _macros(text: str, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, Any, int]]:
    """Every macro of *text* that takes a braced last argument, in document order: its name,
    that argument's group node and its line (pylatexenc, tolerant: it logs and goes on)."""
    import logging

    from pylatexenc.latexwalker import LatexGroupNode, LatexMacroNode, LatexWalker

    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)
    walker = LatexWalker(text, latex_context=_context(extra), tolerant_parsing=True)

    def visit(nodes: Any) -> Iterator[tuple[str, Any, int]]:
        for node in nodes or ():
            if node is None:
                continue
            macro = isinstance(node, LatexMacroNode)
            args = node.nodeargd.argnlist if macro and node.nodeargd else []
            if macro and args and isinstance(args[-1], LatexGroupNode):
                yield node.macroname, args[-1], walker.pos_to_lineno_colno(node.pos)[0]
            for arg in args:
                yield from visit(getattr(arg, "nodelist", None))
            if not macro:
                yield from visit(getattr(node, "nodelist", None))

    yield from visit(walker.get_latex_nodes()[0])


def cites(text: str, commands: tuple[str, ...] = CITE_COMMANDS) -> list[Cite]:
    """Every key of every citation command in *text*, in order; or the arguments of other
    one-argument *commands* (a survey's ``\\surveycite{NODE}``)."""
    extra = tuple(sorted(set(commands) - set(CITE_COMMANDS)))
    names = frozenset(commands)
    return [
        cite
        for name, group, line in _macros(text, extra)
        if name in names
        for cite in _keys(text, group, line, name)
    ]


def _keys(text: str, group: Any, line: int, command: str) -> Iterator[Cite]:
    """The keys of one ``{a, b}`` argument, each with its exact offsets."""
    start = group.pos + 1
    inner = text[start : group.pos + group.len - 1]
    offset = 0
    for part in inner.split(","):
        key = part.strip()
        if key:
            at = start + offset + part.index(key)
            where = line + inner[: at - start].count("\n")
            yield Cite(key, at, at + len(key), where, command)
        offset += len(part) + 1


def rewritten(
    text: str, mapping: Mapping[str, str], commands: tuple[str, ...] = CITE_COMMANDS
) -> tuple[str, list[Cite]]:
    """*text* with every key in *mapping* that the *commands* cite replaced by its new key
    (nothing else changed), and the citations that changed."""
    changed = [c for c in cites(text, commands) if c.key in mapping and mapping[c.key] != c.key]
    parts = []
    last = 0
    for c in changed:
        parts += [text[last : c.start], mapping[c.key]]
        last = c.end
    return "".join([*parts, text[last:]]), changed


class Mark(NamedTuple):
    """A place in a manuscript's outline: a heading (``section``, its level and title), a
    citation (``cite``, its key) or an input (``input``, the file), in document order."""

    kind: str
    value: str
    level: int
    line: int


_LEVELS = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "subsubsection": 4,
    "paragraph": 5,
}


def outline(text: str) -> list[Mark]:
    """The headings, citations and inputs of one .tex file, in order (the document's
    ``\\title`` as a heading of level -1)."""
    from pylatexenc.latex2text import LatexNodes2Text

    plain = LatexNodes2Text(math_mode="verbatim")
    out: list[Mark] = []
    cite_names = frozenset(CITE_COMMANDS)
    for name, group, line in _macros(text):
        if name in cite_names:
            out.extend(Mark("cite", c.key, 0, c.line) for c in _keys(text, group, line, ""))
        elif name in (*_LEVELS, "title"):
            title = " ".join(plain.nodelist_to_text(group.nodelist).split())
            out.append(Mark("section", title, _LEVELS.get(name, -1), line))
        elif name in ("input", "include"):
            out.append(Mark("input", group.latex_verbatim()[1:-1].strip(), 0, line))
    return out
