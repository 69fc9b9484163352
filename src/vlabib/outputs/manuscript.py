"""The manuscript's outputs: the taxonomy figure(s), one table per area, the body that
follows the taxonomy, the cite lists and the bibliography — all under ``generated/`` — and,
written only when missing, the skeleton ``main.tex`` and one prose file per node.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Sequence
from importlib.resources import files as files_of
from pathlib import PurePosixPath
from typing import NamedTuple

from vlabib import bib
from vlabib.config import Settings
from vlabib.model import Paper
from vlabib.names import family_name
from vlabib.outputs.figure import figure_order, figures, forest
from vlabib.outputs.view import Section, split_venue
from vlabib.taxonomy import Taxonomy
from vlabib.tex.encode import for_pdflatex, protect_compounds, text_to_latex
from vlabib.venues import venue_kind

# vlabib's own fields say nothing to BibTeX styles; keywords stay for biblatex's filters.
#: vlabib's own fields: what the list and the site show, never the manuscript's bibliography.
PRIVATE_FIELDS = (
    "shortname",
    "code",
    "venue",
    "website",
    "links",
    "recommended",
    "resource",
    "position",
    "annote",
    "date",
    "journalref",
    "arxivcomment",
    "abstract",
)
# The authors' prose, one file a taxonomy node, below latex/.
SECTIONS = "sections"
_HEADINGS = ("section", "subsection", "subsubsection", "paragraph", "subparagraph")


class File(NamedTuple):
    """A file of the manuscript: path below latex/, text, and whether vlabib owns it."""

    path: str
    text: str
    owned: bool = True


Template = Callable[..., str]


def heading(depth: int) -> str:
    """The sectioning command for a node at *depth*; deeper than five levels, paragraphs."""
    return _HEADINGS[min(depth, len(_HEADINGS)) - 1]


class _FigureView(NamedTuple):
    tree: str
    caption: str
    labels: str


def _figures(secs: Sequence[Section], hide_empty: bool, pick: str) -> list[_FigureView]:
    """The figure floats: captions name the area when the tree is split; the first one is
    always ``fig:taxonomy``. *hide_empty* leaves out the nodes with no papers; *pick* is
    the order in which a crowded leaf names its papers (:func:`figure_order`)."""
    # A leaf's box names its papers, in the pick's order; an inner node's only counts them.
    shown = [
        dataclasses.replace(s, papers=figure_order(s.papers, pick)) if s.node.is_leaf else s
        for s in secs
        if not (hide_empty and s.node.depth and not s.papers)
    ]
    root = secs[0].title_tex
    views = []
    for n, fig in enumerate(figures(shown)):
        labels = r"\label{fig:taxonomy}" if n == 0 else ""
        caption = f"Taxonomy of {root}."
        if fig.brief:
            k, total = fig.part
            caption = (
                f"Taxonomy of {root} in brief: its areas and the leaves under each, "
                f"with their papers{f' (part {k} of {total})' if total > 1 else ''}."
            )
            labels += rf"\label{{fig:taxonomy-{k}}}" if k > 1 else ""
        if fig.area:
            k, n = fig.part
            labels += rf"\label{{fig:taxonomy-{fig.area}{'' if k == 1 else f'-{k}'}}}"
            part = f" (part {k} of {n})" if n > 1 else ""
            caption = f"Taxonomy of {root}: {fig.root.section.title_tex}{part}."
        views.append(_FigureView(forest(fig), caption, labels))
    return views


def _column_spec(extra: int, category: bool = True) -> str:
    """Ragged-right columns that share the width left by the year and the gaps: method,
    venue and (when shown) category wide, each extra field an equal part (percentages of
    that width)."""
    if category:
        shares = [40, 22, 38] if not extra else [30, 16, 20, *[34 // extra] * extra]
    else:
        shares = [60, 40] if not extra else [36, 20, *[44 // extra] * extra]
    gaps = 2 * len(shares)  # a \tabcolsep each side of every gap between columns
    width = rf"\dimexpr(\linewidth-{gaps}\tabcolsep-2em)*{{}}/100\relax"
    # \hspace{0pt}: TeX may hyphenate a cell's first word too (a long header, say).
    cols = [
        rf">{{\raggedright\arraybackslash\hspace{{0pt}}}}p{{{width.format(s)}}}" for s in shares
    ]
    return " ".join([*cols[:2], "l", *cols[2:]])


def _table(
    area: Section,
    taxonomy: Taxonomy,
    by_id: dict[str, Section],
    fields: Sequence[str],
    template: Template,
) -> str:
    """An area's methods, a row each: name and cite, venue, year, categories, chosen fields."""
    under = set(taxonomy.leaves_under(area.node.id))
    # An area that is one leaf would repeat the caption's name on every row: no column.
    category = len(under) > 1
    extra = [f.replace("_", " ").replace("-", " ").capitalize() for f in fields]
    columns = ["Method", "Venue", "Year", *(["Category"] if category else []), *extra]
    spec = _column_spec(len(fields), category)
    rows = []
    for p in area.papers:
        cats = [", ".join(by_id[c].title_tex for c in p.categories if c in under)]
        values = [p.extra.get(f, "") for f in fields]
        # A row that opened with "[" would be read as the optional argument of the \\ before.
        label = "{}" + p.label_tex if p.label_tex.startswith("[") else p.label_tex
        cells = [f"{label} \\cite{{{p.key}}}", p.venue_tex, str(p.year or "")]
        rows.append([*cells, *(cats if category else []), *values])
    return template(
        "table.tex", area=area, rows=rows, columns=columns, spec=spec, header=" & ".join(columns)
    )


def files(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    settings: Settings,
    secs: Sequence[Section],
    template: Template,
) -> list[File]:
    """Every manuscript file: ``generated/…`` (vlabib's) and the skeleton (the authors')."""
    by_id = {s.node.id: s for s in secs}
    generated = PurePosixPath(settings.generated).relative_to(settings.latex)
    template = functools.partial(template, p=settings.cite_prefix)  # the survey's macros

    own = {
        "taxonomy.tex": template(
            "taxonomy.tex",
            figures=_figures(secs, settings.empty_leaves == "hide", settings.figure_pick),
        ),
        "cites.tex": template("cites.tex", sections=secs, cite_lists=_cite_lists(papers, secs)),
        "references.bib": bib.write_string(
            exported(papers, eprint_style=settings.document_class == "acmart")
        ),
        "body.tex": template(
            "body.tex", sections=secs, heading=heading, appendix=settings.tables == "appendix"
        ),
        "appendix.tex": template(
            "appendix.tex", sections=secs, appendix=settings.tables == "appendix"
        ),
        # plainnat, able to tell apart more than 26 references with one author-year label
        "vlabibnat.bst": (files_of("vlabib.outputs") / "templates" / "vlabibnat.bst").read_text(
            "utf-8"
        ),
    }
    for area in taxonomy.areas:
        own[f"table-{area.id}.tex"] = _table(
            by_id[area.id], taxonomy, by_id, settings.table_fields, template
        )
    out = [File(str(generated / name), for_pdflatex(own[name])) for name in _generated(taxonomy)]
    if not settings.skeleton:
        return out
    title = text_to_latex(settings.title) if settings.title else f"A Survey on {secs[0].title_tex}"
    main = template("main.tex", root=secs[0], title=title, cls=settings.document_class)
    out.append(File(settings.main, for_pdflatex(main), owned=False))
    for s in secs[1:]:
        stub = for_pdflatex(template("section.tex", s=s))
        out.append(File(f"{SECTIONS}/{s.node.id}.tex", stub, owned=False))
    return out


_FIXED = (
    "appendix.tex",
    "body.tex",
    "cites.tex",
    "references.bib",
    "taxonomy.tex",
    "vlabibnat.bst",
)


def _generated(taxonomy: Taxonomy) -> list[str]:
    """The names of vlabib's files in generated/, in order."""
    return sorted([*_FIXED, *(f"table-{area.id}.tex" for area in taxonomy.areas)])


def paths(taxonomy: Taxonomy, settings: Settings) -> list[str]:
    """The paths (below latex/) of the files :func:`files` makes, without making them."""
    generated = PurePosixPath(settings.generated).relative_to(settings.latex)
    out = [str(generated / name) for name in _generated(taxonomy)]
    if settings.skeleton:
        out += [settings.main, *(f"{SECTIONS}/{node.id}.tex" for node in list(taxonomy)[1:])]
    return out


def _cite_lists(papers: Sequence[Paper], secs: Sequence[Section]) -> dict[str, str]:
    """Each node's keys in about the order the bibliography numbers them (by authors, year,
    title, as plainnat sorts): natbib's sort&compress sorts a long list unsorted into it
    by insertion, and runs out of TeX's memory past a thousand keys in random order."""
    rank = {p.key: n for n, p in enumerate(sorted(papers, key=_sort_label))}
    return {
        s.node.id: ",".join(sorted((p.key for p in s.papers), key=rank.__getitem__)) for s in secs
    }


@functools.lru_cache(maxsize=1 << 16)  # a survey's authors recur from paper to paper
def _family(name: str) -> str:
    return family_name(name).lower()


def _sort_label(paper: Paper) -> tuple[str, str, str, str]:
    """plainnat's sort key, near enough (an order natbib sorts quickly, not the exact one):
    the short label (Li, Li and Wang, Li et al), all the authors, the year, the key."""
    names = [_family(a) for a in paper.authors]
    if not names:
        short = (paper.shortname or paper.title).lower()
    elif len(names) > 2:
        short = f"{names[0]} et al"
    else:
        short = " and ".join(names)
    return short, " ".join(names), str(paper.year or ""), paper.key


def exported(
    papers: Sequence[Paper], *, ascii_only: bool = True, eprint_style: bool = False
) -> list[Paper]:
    """The manuscript's bib: vlabib's own fields out; a published paper an @inproceedings or
    @article with its venue in booktitle or journal, dated by the venue's year alone; a
    preprint "arXiv preprint arXiv:ID" (howpublished), dated by its year; ASCII
    only (see :func:`~vlabib.tex.encode.for_pdflatex`; *ascii_only* False keeps UTF-8, for readers
    who copy an entry), compounds braced whole ({VLA-Adapter}). An *eprint_style* (ACM's)
    prints the arXiv ID from ``eprint`` itself: no howpublished then, or it says it twice."""
    out = []
    for paper in papers:
        fields = {k: v for k, v in paper.fields.items() if k not in _PRIVATE}
        kind = paper.type
        if paper.venue and paper.type == "misc":
            name, year = split_venue(paper.venue, paper.year)
            kind = "article" if venue_kind(name) == "journal" else "inproceedings"
            fields["journal" if kind == "article" else "booktitle"] = name
            if year or paper.get("year"):
                fields["year"] = str(year) if year else paper.get("year")
            else:
                fields.pop("year", None)
            fields.pop("month", None)
        elif (
            paper.type == "misc"
            and paper.arxiv_id
            and not paper.get("howpublished")
            and not eprint_style
        ):
            # A preprint as ML surveys cite it: "arXiv preprint arXiv:2406.09246, 2024".
            fields["howpublished"] = f"arXiv preprint arXiv:{paper.arxiv_id}"
            fields.pop("month", None)
            if paper.get("url") == f"https://arxiv.org/abs/{paper.arxiv_id}":
                fields.pop("url")  # the ID says it
        if not paper.get("author").strip():
            # Styles sort by author; without one, by key (else the order, and the .bbl,
            # change with every run).
            fields["key"] = paper.shortname or paper.title
        if ascii_only:
            fields = {k: for_pdflatex(v, bibtex=True) for k, v in fields.items()}
        if "title" in fields:
            fields["title"] = protect_compounds(fields["title"])
        out.append(Paper(paper.key, kind, fields, paper.line))
    return out


_PRIVATE = frozenset(PRIVATE_FIELDS)
_STUB_LINE_RE = re.compile(
    r"\\placeholder\{[^{}]*\}(?: Methods in this category:~\\[a-z]+cite\{[a-z0-9-]+\}\.)?"
)


def is_untouched_stub(text: str) -> bool:
    """Whether a node's prose file is still the stub vlabib wrote: comments and placeholders
    only, not a word of anyone's."""
    lines = [ln.strip() for ln in text.splitlines() if not ln.lstrip().startswith("%")]
    return all(not ln or _STUB_LINE_RE.fullmatch(ln) for ln in lines)
