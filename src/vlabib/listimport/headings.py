"""A taxonomy from a paper list's headings: the innermost heading above every paper is the
root, the headings below it are its nodes, chrome (Contents, News, Citation…) left out.

>>> heads = [("L",), ("L", "A"), ("L", "A", "B"), ("L", "C"), ("L", "News")]
>>> t, ids = from_headings(heads, [("L", "A", "B"), ("L", "C")])
>>> [n.id for n in t], ids[("L", "A", "B")]
(['l', 'a', 'b', 'c'], 'b')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from vlabib.errors import ConfigError
from vlabib.taxonomy import MAX_ID, Spec, Taxonomy, node_id

#: Headings of a list's chrome, never a part of its taxonomy unless papers sit under them.
CHROME = (
    "contents", "table of contents", "table of content", "toc", "news", "updates", "update log",
    "update records", "changelog", "citation", "citations", "cite", "citing", "bibtex",
    "contributing", "contribution", "contributions", "how to contribute", "contributors",
    "star history", "stars", "acknowledgement", "acknowledgements", "acknowledgment",
    "acknowledgments", "acknowledge", "license", "contact", "contact us", "contact me",
    "maintainers", "to do", "todo", "about", "tips", "notice", "back to top",
)  # fmt: skip


def is_chrome(title: str, extra: Sequence[str] = ()) -> bool:
    """``Table of Contents``, ``Star History``…: a list's furniture, not a topic."""
    words = " ".join(re.findall(r"[^\W_]+", title.lower()))
    return words in CHROME or words in {" ".join(e.lower().split()) for e in extra}


def _ids(
    paths: Sequence[tuple[str, ...]], root: tuple[str, ...], root_id: str
) -> dict[tuple[str, ...], str]:
    """Readable, unique ids: the title's slug, else its parent's id before it, else a number."""
    ids: dict[tuple[str, ...], str] = {root: root_id}
    taken = {root_id}
    for n, path in enumerate(paths, 1):
        base = node_id(unicodedata.normalize("NFKC", path[-1]))
        parent = ids.get(path[:-1], root_id)
        candidates = [base, f"{parent}-{base}"[:MAX_ID].strip("-")] if base != "section" else []
        nid = next((c for c in candidates if c not in taken), f"{base}-{n}")
        taken.add(nid)
        ids[path] = nid
    return ids


def from_headings(
    headings: Sequence[tuple[str, ...]],
    holding: Sequence[tuple[str, ...]],
    title: str = "Survey",
    skip: Sequence[str] = (),
) -> tuple[Taxonomy, dict[tuple[str, ...], str]]:
    """A taxonomy from a list's heading paths (in order) and the paths papers sit under.

    The innermost heading above every paper is the root (a root titled *title* when there
    is none); every heading below it is a node, except chrome with no papers. A heading
    holding papers and sub-headings gets a leaf of its own, ``… (general)``, for them. Also
    returns heading path -> leaf id.
    """
    root = _common_root(holding)
    held = set(holding)
    paths = _kept_paths(headings, root, held, skip)
    inner = {p[:-1] for p in paths}
    general = [p for p in paths if p in inner and p in held]
    root_title = survey_title(root[-1] if root else title)
    root_id = node_id(unicodedata.normalize("NFKC", root_title))
    ordered = []
    for path in paths:
        ordered.append(path)
        if path in general:
            ordered.append((*path, f"{path[-1]} (general)"))
    ids = _ids(ordered, root, root_id)
    specs: list[Spec] = []
    for path in ordered:
        parent = ids[path[:-1]]
        specs.append((ids[path], path[-1], None if parent == root_id else parent, ""))
    leaves = {p: ids[(*p, f"{p[-1]} (general)")] if p in general else ids[p] for p in ids}
    return Taxonomy.build(root_id, root_title, specs), leaves


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
    paths = [p for p in paths if not (is_chrome(p[-1], skip) and not _holds(p, held))]
    kept: list[tuple[str, ...]] = []
    for path in paths:
        if path[:-1] == root or path[:-1] in kept:
            kept.append(path)
    return kept


def _holds(path: tuple[str, ...], held: set[tuple[str, ...]]) -> bool:
    return any(h[: len(path)] == path for h in held)
