"""The survey's taxonomy: its type and the TOML file it lives in (a list's headings become
one in :mod:`vlabib.listimport.headings`).

>>> t = parse_taxonomy('id = "s"\\ntitle = "S"\\n[[node]]\\nid = "a"\\ntitle = "A"\\n')
>>> [n.id for n in t.leaves], t.root.title
(['a'], 'S')
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vlabib.errors import ConfigError
from vlabib.files import read_source
from vlabib.model import Paper, Problem

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 64
# Deeper trees are not drawn or read well; a deeper one is almost surely a mistake.
MAX_DEPTH = 12
Spec = tuple[str, str, str | None, str]  # (id, title, parent or None, blurb)


def is_node_id(value: object) -> bool:
    """A node id: lower-case words joined by ``-``, at most 64 characters.

    >>> is_node_id("token-pruning"), is_node_id("a}input{x"), is_node_id("x" * 65)
    (True, False, False)
    """
    return isinstance(value, str) and len(value) <= MAX_ID and bool(_ID_RE.match(value))


def node_id(title: str) -> str:
    """A readable id for a heading title: ``"Token Pruning (2025)"`` -> ``token-pruning-2025``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:MAX_ID].strip("-")
    return slug or "section"


@dataclass(frozen=True)
class Node:
    """A taxonomy heading. ``depth`` 0 is the root; leaves hold papers."""

    id: str
    title: str
    parent: str | None
    depth: int
    children: tuple[str, ...] = ()
    blurb: str = ""
    #: README anchors the node had before a rename (``vlabib rename --title``): kept working.
    anchors: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Taxonomy:
    """The survey's headings in display (pre-)order; ``nodes[0]`` is the root."""

    nodes: tuple[Node, ...]
    #: The file it was read from, as messages name it ("" for one made from a list).
    source: str = field(default="", compare=False)
    _index: Mapping[str, Node] = field(init=False, repr=False, compare=False)
    _leaves: dict[str, list[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {n.id: n for n in self.nodes})
        object.__setattr__(self, "_leaves", {})

    @property
    def root(self) -> Node:
        return self.nodes[0]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index

    def __getitem__(self, node_id: str) -> Node:
        return self._index[node_id]

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self.nodes if n.is_leaf and n.depth > 0]

    @property
    def areas(self) -> list[Node]:
        return [self[c] for c in self.root.children]

    def subtree(self, node_id: str) -> list[Node]:
        """The node and every node below it, in display order."""
        out = [self[node_id]]
        for child in self[node_id].children:
            out.extend(self.subtree(child))
        return out

    def leaves_under(self, node_id: str) -> list[str]:
        """Leaf ids at or below a node, in display order (computed once per node)."""
        cache: dict[str, list[str]] = self._leaves
        if node_id not in cache:
            cache[node_id] = [n.id for n in self.subtree(node_id) if n.is_leaf]
        return cache[node_id]

    def without(self, leaf_ids: Collection[str]) -> Taxonomy:
        """The taxonomy without those leaves, and without the inner nodes they leave empty
        (the root always stays)."""
        gone = set(leaf_ids)
        for node in reversed(self.nodes):  # children before parents
            if node.depth and not node.is_leaf and all(c in gone for c in node.children):
                gone.add(node.id)
        if not gone:
            return self
        root = self.root
        specs = [
            (n.id, n.title, n.parent if n.parent != root.id else None, n.blurb)
            for n in self.nodes[1:]
            if n.id not in gone
        ]
        built = Taxonomy.build(root.id, root.title, specs, self.source)
        kept_root = replace(built.root, blurb=root.blurb)
        return Taxonomy((kept_root, *built.nodes[1:]), self.source)

    def path(self, node_id: str) -> list[Node]:
        """Root-to-node chain, root excluded: ``[Efficient Inference, Token Pruning]``."""
        chain = []
        node: Node | None = self[node_id]
        while node is not None and node.depth > 0:
            chain.append(node)
            node = self[node.parent] if node.parent else None
        return chain[::-1]

    @classmethod
    def build(
        cls, root_id: str, root_title: str, specs: Sequence[Spec], source: str = ""
    ) -> Taxonomy:
        """From ``(id, title, parent or None, blurb)`` in file order; children keep file order."""
        children: dict[str, list[str]] = {root_id: []}
        info = {}
        for node_id, title, parent, blurb in specs:
            children.setdefault(node_id, [])
            children.setdefault(parent or root_id, []).append(node_id)
            info[node_id] = (title, parent or root_id, blurb)
        nodes: list[Node] = []

        def visit(node_id: str, depth: int) -> None:
            title, parent, blurb = info.get(node_id, (root_title, None, ""))
            kids = tuple(children.get(node_id, ()))
            nodes.append(Node(node_id, title, parent, depth, kids, blurb))
            for kid in kids:
                visit(kid, depth + 1)

        visit(root_id, 0)
        return cls(tuple(nodes), source)


# -- the file ----------------------------------------------------------------------------------


def load_taxonomy(path: Path, display: str) -> Taxonomy:
    """Read the taxonomy file; errors name the line of the offending node."""
    try:
        text = read_source(path, display, ConfigError)
    except FileNotFoundError:
        raise ConfigError(
            f"{display}: no such file; describe the survey's headings there"
        ) from None
    return parse_taxonomy(text, display)


def toml_error(display: str, exc: tomllib.TOMLDecodeError) -> str:
    """``refs/taxonomy.toml:3: …`` from tomllib's "… (at line 3, column 7)"."""
    m = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
    what = str(exc)[: m.start()].strip() if m else str(exc)
    where = f"{display}:{m.group(1)}" if m else display
    return f"{where}: not valid TOML: {what[:1].lower()}{what[1:]}"


def parse_taxonomy(text: str, display: str = "taxonomy.toml") -> Taxonomy:
    """A :class:`Taxonomy` from taxonomy TOML: root ``id``/``title`` and ``[[node]]`` tables."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(toml_error(display, exc)) from None

    def fail(node_id: str, message: str) -> ConfigError:
        m = re.search(rf'^\s*id\s*=\s*"{re.escape(node_id)}"', text, re.MULTILINE)
        line = text[: m.start()].count("\n") + 1 if m else 1
        return ConfigError(f"{display}:{line}: {message}")

    root_id, root_title = data.get("id"), data.get("title")
    if not isinstance(root_id, str) or not isinstance(root_title, str):
        raise ConfigError(f'{display}: the root needs id = "…" and title = "…" at the top')
    if not is_node_id(root_id):
        raise fail(root_id, _bad_id("root id", root_id))
    unknown_top = sorted(set(data) - {"id", "title", "node"})
    if unknown_top:
        raise ConfigError(f"{display}: unknown key {unknown_top[0]!r} at the top level")
    nodes = data.get("node", [])
    if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
        raise ConfigError(f"{display}: nodes are written [[node]] (a list of tables), not [node]")
    seen = {root_id: 0}  # id: depth
    specs: list[Spec] = []
    for node in nodes:
        problem, spec = _node_spec(node, seen)
        if problem:
            raise fail(str(node.get("id")), problem)
        seen[spec[0]] = seen[spec[2]] + 1 if spec[2] else 1
        if seen[spec[0]] > MAX_DEPTH:
            raise fail(
                spec[0],
                f"node {spec[0]} is {seen[spec[0]]} levels deep; a taxonomy "
                f"may have at most {MAX_DEPTH} levels below its root",
            )
        specs.append(spec)
    return _with_anchors(Taxonomy.build(root_id, root_title, specs, display), nodes)


def _with_anchors(built: Taxonomy, nodes: list[dict[str, Any]]) -> Taxonomy:
    """The nodes' old README anchors, from their tables."""
    anchors = {str(n["id"]): tuple(n["anchors"]) for n in nodes if n.get("anchors")}
    if not anchors:
        return built
    kept = tuple(replace(n, anchors=anchors.get(n.id, ())) for n in built.nodes)
    return Taxonomy(kept, built.source)


def _bad_id(what: str, value: object) -> str:
    return (
        f"{what} {str(value)[:80]!r} must be lower-case words joined by '-' "
        f"(at most {MAX_ID} characters)"
    )


def _node_spec(node: dict[str, object], seen: Mapping[str, int]) -> tuple[str, Spec]:
    """A ``[[node]]`` table as a spec, or what is wrong with it."""
    nid, title, parent, blurb = (node.get(k) for k in ("id", "title", "parent", "blurb"))
    problem = next(_node_problems(node, seen), "")
    if problem or not isinstance(title, str):
        return problem, ("", "", None, "")
    return "", (
        str(nid),
        title.strip(),
        parent if isinstance(parent, str) else None,
        (blurb if isinstance(blurb, str) else "").strip(),
    )


def _node_problems(node: dict[str, object], seen: Mapping[str, int]) -> Iterator[str]:
    """What is wrong with a ``[[node]]`` table, first things first."""
    nid, title, parent, blurb = (node.get(k) for k in ("id", "title", "parent", "blurb"))
    if not is_node_id(nid):
        yield _bad_id("node id", nid)
        return
    extra = sorted(set(node) - {"id", "title", "parent", "blurb", "anchors"})
    if extra:
        yield f"node {nid}: unknown key {extra[0]!r} (known: id, title, parent, blurb, anchors)"
    anchors = node.get("anchors", [])
    if not isinstance(anchors, list) or not all(
        isinstance(a, str) and re.fullmatch(r"[\w-]{1,200}", a) for a in anchors
    ):
        yield f'node {nid}: anchors must be a list of README anchors, such as ["old-title"]'
    if nid in seen:
        yield f"node id {nid} is used twice"
    if not isinstance(title, str) or not title.strip():
        yield f"node {nid} needs a title"
    if parent is not None and not isinstance(parent, str):
        yield f"node {nid}: parent must be one node id in quotes"
    if blurb is not None and not isinstance(blurb, str):
        yield f"node {nid}: blurb must be text in quotes"
    if parent is not None and parent not in seen:
        yield f"node {nid}: parent {parent!r} must be a node defined above it"


def toml_string(text: str) -> str:
    """*text* as a TOML basic string: any Unicode as itself (an emoji too; JSON's surrogate
    pairs are not TOML), quotes, backslashes and control characters escaped.

    >>> print(toml_string('Efficient VLA 🚀 "Survey"'))
    "Efficient VLA 🚀 \\"Survey\\""
    """
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def to_toml(taxonomy: Taxonomy, source: str = "the list's headings") -> str:
    """TOML for a taxonomy, in the layout of ``refs/taxonomy.toml``."""
    q = toml_string
    lines = [
        f"# The survey's taxonomy, made by 'vlabib import' from {source}.",
        "# Papers are filed under leaves (nodes without children) by their keywords.",
        "",
        f"id = {q(taxonomy.root.id)}",
        f"title = {q(taxonomy.root.title)}",
    ]
    for node in taxonomy.nodes[1:]:
        lines += [
            "",
            "[[node]]",
            f"id = {q(node.id)}",
            f"title = {q(node.title)}",
        ]
        if node.depth > 1:
            lines.append(f"parent = {q(node.parent or '')}")
        if node.anchors:
            lines.append(f"anchors = [{', '.join(q(a) for a in node.anchors)}]")
    return "\n".join(lines) + "\n"


def category_problems(papers: Sequence[Paper], taxonomy: Taxonomy, path: str) -> list[Problem]:
    """Papers no output would show: no category, or one that is not a leaf (with the leaf
    meant, when one is close)."""
    leaves = {leaf.id for leaf in taxonomy.leaves}
    problems = []
    for paper in papers:
        if not paper.categories:
            message = f"entry {paper.key} has no category; add keywords = {{LEAF}}"
            problems.append(Problem(path, paper.line, message))
        for cat in paper.categories:
            if cat not in leaves:
                problems.append(Problem(path, paper.line, _unknown(paper.key, cat, taxonomy)))
    return problems


def _unknown(key: str, cat: str, taxonomy: Taxonomy) -> str:
    if cat in taxonomy:
        leaves = ", ".join(taxonomy.leaves_under(cat))
        return f"entry {key}: category {cat} is a heading with sub-headings; use one of: {leaves}"
    close = difflib.get_close_matches(cat, [leaf.id for leaf in taxonomy.leaves], n=1)
    hint = f"did you mean {close[0]}?" if close else f"see {taxonomy.source or 'the taxonomy'}"
    return f"entry {key}: unknown category {cat} ({hint})"
