"""The data vlabib works on: papers and the taxonomy. Frozen, no I/O.

>>> Paper("2509.09372", "misc", {"title": "{VLA}-Adapter", "keywords": "token-pruning"}).categories
('token-pruning',)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

_AND_RE = re.compile(r"\s+and\s+")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def split_names(value: str) -> list[str]:
    """``"Li, Wei and {Barnes and Noble}"`` -> ``["Li, Wei", "{Barnes and Noble}"]``.

    Splits on every ``and``, then joins back the pieces a brace group spans (BibTeX does
    not split inside braces), without walking the string a character at a time.
    """
    pieces = _AND_RE.split(value.strip())
    if "{" not in value:
        return [p for p in pieces if p]
    names: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending} and {piece}" if pending else piece
        if pending.count("{") == pending.count("}"):
            names.append(pending)
            pending = ""
    if pending:
        names.append(pending)
    return [n.strip() for n in names if n.strip()]


def split_keywords(value: str) -> tuple[str, ...]:
    """``"b, a,a"`` -> ``("a", "b")``: keywords are a sorted set."""
    return tuple(sorted({k.strip() for k in value.split(",") if k.strip()}))


@dataclass(frozen=True)
class Paper:
    """One bibliography entry. Field values are LaTeX source, field names lower-case."""

    key: str
    type: str
    fields: Mapping[str, str]
    line: int = field(default=0, compare=False)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def title(self) -> str:
        return self.get("title")

    @property
    def authors(self) -> list[str]:
        return split_names(self.get("author"))

    @property
    def year(self) -> int | None:
        y = self.get("year")
        return int(y) if y.isdigit() else None

    @property
    def month(self) -> int | None:
        m = self.get("month").lower()
        return _MONTHS.index(m) + 1 if m in _MONTHS else None

    @property
    def categories(self) -> tuple[str, ...]:
        return split_keywords(self.get("keywords"))

    @property
    def venue(self) -> str:
        return self.get("venue")

    @property
    def code(self) -> str:
        return self.get("code")

    @property
    def shortname(self) -> str:
        return self.get("shortname")

    @property
    def arxiv_id(self) -> str:
        return self.get("eprint") if self.get("archiveprefix").lower() == "arxiv" else ""

    def replace(self, **changes: str | None) -> Paper:
        """A copy with fields set (or removed, for ``None``)."""
        fields = dict(self.fields)
        for name, value in changes.items():
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = value
        return Paper(self.key, self.type, fields, self.line)


def month_name(month: int) -> str:
    """BibTeX's month macro: ``9`` -> ``"sep"``."""
    return _MONTHS[month - 1]


def is_month(value: str) -> bool:
    return value.lower() in _MONTHS


@dataclass(frozen=True)
class Node:
    """A taxonomy heading. ``depth`` 0 is the root; leaves hold papers."""

    id: str
    title: str
    parent: str | None
    depth: int
    children: tuple[str, ...] = ()
    blurb: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Taxonomy:
    """The survey's headings in display (pre-)order; ``nodes[0]`` is the root."""

    nodes: tuple[Node, ...]
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
        cls, root_id: str, root_title: str, specs: list[tuple[str, str, str | None, str]]
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
        return cls(tuple(nodes))


_SHORT_RE = re.compile(r"^([^:]{1,40}):\s")


def title_shortname(title: str) -> str:
    """The method name a title opens with, before its colon, or ``""`` when there is none.

    Only a name-like prefix counts: one word, or up to three with an acronym or an
    inner capital (``Discrete Diffusion VLA``), never a phrase (``Static and Plugged``).

    >>> title_shortname("SmolVLA: A Vision-Language-Action Model"), title_shortname("No colon")
    ('SmolVLA', '')
    """
    m = _SHORT_RE.match(title)
    if not m:
        return ""
    words = m.group(1).split()
    if len(words) == 1:
        return words[0]
    if len(words) <= 3 and any(
        any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w) for w in words
    ):
        return " ".join(words)
    return ""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of ``vlabib check``; warnings are shown but do not fail it.

    >>> Problem("refs/vla.bib", 3, "entry 1 has no url").line_text()
    'Error: refs/vla.bib:3: entry 1 has no url'
    """

    path: str
    line: int
    message: str
    warning: bool = False

    def line_text(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{'Warning' if self.warning else 'Error'}: {where}: {self.message}"
