"""A taxonomy from a paper list's headings, as a person would make it: the innermost heading
above every paper is the root (titled by the survey's own title, else the list's H1 when
that heading is chrome or generic, "Papers"), the headings below it are its nodes. Left out:
chrome (Contents, News, Citation, anchor menus…), top-level headings without papers,
sentence-like banners; headings naming a venue ("ICLR 2025") are venue data, not topics.

>>> heads = [("L",), ("L", "A"), ("L", "A", "B"), ("L", "C"), ("L", "News")]
>>> t, ids = from_headings(heads, [("L", "A", "B"), ("L", "C")])
>>> [n.id for n in t], ids[("L", "A", "B")]
(['l', 'a', 'b', 'c'], 'b')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from vlabib.errors import ConfigError
from vlabib.taxonomy import MAX_ID, Spec, Taxonomy, node_id

#: Headings of a list's chrome, never a part of its taxonomy unless papers sit under them.
CHROME = (
    "contents", "table of contents", "table of content", "toc", "news", "updates", "update log",
    "update records", "changelog", "citation", "citations", "cite", "citing", "bibtex",
    "contributing", "contribution", "contributions", "how to contribute", "contributors",
    "star history", "stars", "acknowledgement", "acknowledgements", "acknowledgment",
    "acknowledgments", "acknowledge", "license", "contact", "contact us", "contact me",
    "maintainers", "to do", "todo", "about", "tips", "notice", "back to top", "quick link",
    "quick links", "navigation", "menu", "jump to", "welcome", "badge colors", "keywords",
)  # fmt: skip
#: Words of a heading that names a list of papers, not a topic ("Papers from 2024 - Now").
GENERIC = frozenset(
    "paper papers list lists method methods publication publications all full the of from now "
    "see recent latest new reading resources awesome collection table contents content to and "
    "jan feb mar apr may jun jul aug sep sept oct nov dec".split()
)


def is_chrome(title: str, extra: Sequence[str] = ()) -> bool:
    """``Table of Contents``, ``Star History``, ``欢迎进群 | Welcome``…: a list's furniture,
    not a topic (a bilingual heading is chrome when one of its languages says so)."""
    skipped = {" ".join(e.lower().split()) for e in extra}
    for part in (title, *re.split(r"[|/｜（(]", title)):
        words = " ".join(re.findall(r"[^\W_]+", part.lower()))
        if words in CHROME or words in skipped:
            return True
    return False


def _ids(
    paths: Sequence[tuple[str, ...]], root: tuple[str, ...], root_id: str
) -> dict[tuple[str, ...], str]:
    """Readable, unique ids: the title's slug, else its parent's id before it, else a number."""
    ids: dict[tuple[str, ...], str] = {root: root_id}
    taken = {root_id}
    bases = [node_id(unicodedata.normalize("NFKC", path[-1])) for path in paths]
    twice = {b for b in bases if bases.count(b) > 1}
    for n, (path, base) in enumerate(zip(paths, bases, strict=True), 1):
        parent = ids.get(path[:-1], root_id)
        # Two headings with one title (a "Paper List" under each area) are told apart by
        # their parents, both of them: neither takes the bare name.
        candidates = [base, f"{parent}-{base}"[:MAX_ID].strip("-")] if base != "section" else []
        if base in twice and parent != root_id:
            candidates.reverse()
        nid = next((c for c in candidates if c not in taken), f"{base}-{n}")
        taken.add(nid)
        ids[path] = nid
    return ids


def is_generic(title: str) -> bool:
    """``Papers``, ``Paper from Sep 30, 2024 - Now (see Full List)``: a heading that holds
    a list, not a topic."""
    words = [w for w in re.findall(r"[^\W\d_]+", title.lower())]
    return bool(words) and all(w in GENERIC for w in words)


def is_banner(title: str) -> bool:
    """A sentence set as a heading ("Please feel free to send me pull requests!")."""
    return len(title.split()) >= 8 or bool(re.search(r"[!?]|\bplease\b", title, re.I))


def from_headings(
    headings: Sequence[tuple[str, ...]],
    holding: Sequence[tuple[str, ...]],
    title: str = "Survey",
    skip: Sequence[str] = (),
    *,
    own_title: str = "",
    is_venue: Callable[[str], bool] = lambda _: False,
) -> tuple[Taxonomy, dict[tuple[str, ...], str]]:
    """A taxonomy from a list's heading paths (in order) and the paths papers sit under.

    The innermost heading above every paper is the root; it is titled *own_title* when the
    survey has one, else *title* (the list's H1) when that heading is missing, chrome or
    generic. Every heading below it is a node, except those left out (see the module).
    Headings *is_venue* names hold their papers for the heading above them. A heading
    holding papers and sub-headings gets a leaf of its own, ``… (general)``, for them. Also
    returns heading path (as the list has it) -> leaf id.
    """
    collapse = {p: _collapse(p, is_venue) for p in {*headings, *holding}}
    holding = [collapse[p] for p in holding]
    root = _common_root(holding)
    held = set(holding)
    paths = _kept_paths([collapse[p] for p in headings], root, held, skip)
    inner = {p[:-1] for p in paths}
    general = {p: (*p, f"{p[-1]} (general)") for p in paths if p in inner and p in held}
    if root in held:  # papers right under the root: what held them were venue headings
        general[root] = (*root, "Papers")
    plain = not root or is_chrome(root[-1], skip) or is_generic(root[-1])
    root_title = own_title or survey_title(plain_letters(title if plain else root[-1]))
    root_id = node_id(unicodedata.normalize("NFKC", root_title))
    ordered = [] if root not in general else [general[root]]
    for path in paths:
        ordered.append(path)
        if path in general:
            ordered.append(general[path])
    ids = _ids(ordered, root, root_id)
    specs: list[Spec] = []
    for path in ordered:
        parent = ids[path[:-1]]
        specs.append(
            (ids[path], plain_letters(path[-1]), None if parent == root_id else parent, "")
        )
    leaves = {p: ids[general[p]] if p in general else ids[p] for p in ids}
    mapping = {p: leaves[c] for p, c in collapse.items() if c in leaves}
    return Taxonomy.build(root_id, root_title, specs), mapping


def _collapse(path: tuple[str, ...], is_venue: Callable[[str], bool]) -> tuple[str, ...]:
    """The path without the headings that name a venue (their papers belong above them)."""
    return tuple(t for n, t in enumerate(path) if n == 0 or not is_venue(t))


def plain_letters(text: str) -> str:
    """Mathematical script and bold letters as plain ones: ``𝓣𝓮𝔁𝓽`` -> ``Text`` (fancy
    fonts in headings are Unicode letters of their own; NFKC only where they are)."""
    if text.isascii():
        return text
    return "".join(
        unicodedata.normalize("NFKC", c) if 0x1D400 <= ord(c) <= 0x1D7FF else c for c in text
    )


def survey_title(title: str) -> str:
    """A list's title as the survey's: ``Awesome-LLM-Robotics`` -> ``LLM Robotics``.

    >>> survey_title("Awesome Efficient LLM Inference"), survey_title("Awesome")
    ('Efficient LLM Inference', 'Awesome')
    >>> survey_title("02-October2001-Awesome-KV-Cache-Compression")
    'KV Cache Compression'
    """
    words = title.split()
    folded = [unicodedata.normalize("NFKC", w).lower() for w in words]
    if len(words) == 1 and re.search(r"[-_]", title):
        words = [w for w in re.split(r"[-_]+", title) if w]  # a repository's or file's name
        folded = [w.lower() for w in words]
        if "awesome" in folded[:-1]:  # 02-owner-Awesome-KV-Cache: what follows "Awesome"
            words = words[len(folded) - folded[::-1].index("awesome") :]
    elif len(words) > 1 and folded[0] == "awesome":
        words = words[1:]
    return " ".join(words) or title


def _common_root(holding: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The innermost heading path above every paper."""
    if not holding:
        raise ConfigError("no papers found (no arXiv or paper links in list items or tables)")
    root = holding[0]
    for path in holding[1:]:
        n = 0
        while n < min(len(root), len(path)) and root[n] == path[n]:
            n += 1
        root = root[:n]
    if root in holding:
        root = root[:-1]  # papers right under it: it is a leaf, its parent the root
    return root


def _kept_paths(
    headings: Sequence[tuple[str, ...]],
    root: tuple[str, ...],
    held: set[tuple[str, ...]],
    skip: Sequence[str],
) -> list[tuple[str, ...]]:
    """Heading paths below the root, chrome without papers (and what is under it) left out."""
    paths = list(dict.fromkeys(p for p in headings if p[: len(root)] == root and p != root))
    paths = [p for p in paths if _holds(p, held) or not _furniture(p, root, skip)]
    kept: list[tuple[str, ...]] = []
    for path in paths:
        if path[:-1] == root or path[:-1] in kept:
            kept.append(path)
    return kept


def _furniture(path: tuple[str, ...], root: tuple[str, ...], skip: Sequence[str]) -> bool:
    """An empty heading that is no planned topic: chrome, a banner, or an empty area right
    under the root (Overview, License). Empty headings inside an area are kept: a survey
    plans its categories before it fills them."""
    return is_chrome(path[-1], skip) or is_banner(path[-1]) or len(path) == len(root) + 1


def _holds(path: tuple[str, ...], held: set[tuple[str, ...]]) -> bool:
    return any(h[: len(path)] == path for h in held)
