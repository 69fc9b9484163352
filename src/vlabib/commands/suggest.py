"""Where a paper belongs: the taxonomy's leaves ranked for a title and abstract, from the
papers already filed. Offline, deterministic, no model: TF-IDF over words (the title counted
three times), scored against each leaf's centroid, its parent's centroid, its nearest filed
papers and the leaf's own title words.

>>> docs = [Doc("a", "Token pruning for VLAs", "prune visual tokens", ("pruning",)),
...         Doc("b", "Quantized VLAs", "4-bit weights", ("quant",))]
>>> [s.leaf for s in Ranker(docs, {"pruning": "Token Pruning", "quant": "Quantization"},
...                         {"pruning": "a", "quant": "a"}).rank("Pruning tokens", "")]
['pruning', 'quant']
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vlabib import bib
from vlabib.commands.query import find
from vlabib.config import Project
from vlabib.errors import VlabibError
from vlabib.ids import IdError, parse_arxiv_id
from vlabib.remote.services import Services
from vlabib.taxonomy import Taxonomy
from vlabib.tex.read import latex_to_text
from vlabib.titles import title_name

# Words that say nothing about where a paper belongs.
_STOP = frozenset(
    re.findall(
        r"\w+",
        """a an the of for and or to in on with by from via as at is are be this
    that we our it its their which into using based these can not than more most also both while
    such has have been show shows propose proposed method methods approach model models framework
    results""",
    )
)
# Leaf-title words too general to point anywhere.
_GENERIC = frozenset(re.findall(r"\w+", "effici data method system strategi other base"))
WORD_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Weights of the four signals (chosen on the VLA survey's 2026 data; see bench/suggest.py).
CENTROID, NEIGHBOURS, TITLE_WORDS, PARENT = 1.0, 0.3, 0.3, 1.0
K = 7


@dataclass(frozen=True)
class Doc:
    """A filed paper: key, title, abstract (plain text) and leaves."""

    key: str
    title: str
    abstract: str
    leaves: tuple[str, ...]

    @property
    def name(self) -> str:
        """What a person knows the paper by: the name its title states, else its first words."""
        words = self.title.split()
        return title_name(self.title) or " ".join(words[:4]) + ("…" if len(words) > 4 else "")


@dataclass(frozen=True)
class Suggestion:
    """A leaf for a paper, its score, and the filed papers that make the case (keys, and
    the names a person reads)."""

    leaf: str
    score: float
    closest: tuple[str, ...]
    names: tuple[str, ...] = ()


def stem(word: str) -> str:
    """A light, rule-based stem: ``pruning`` -> ``prun``, ``tokens`` -> ``token``."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def terms(title: str, abstract: str) -> Counter[str]:
    """Stemmed words, the title's counted three times."""
    out: Counter[str] = Counter()
    for text, weight in ((title, 3), (abstract, 1)):
        for word in WORD_RE.findall(text.lower()):
            if word not in _STOP and len(word) > 1:
                out[stem(word)] += weight
    return out


def _unit(vector: Mapping[str, float]) -> dict[str, float]:
    size = math.sqrt(sum(x * x for x in vector.values())) or 1.0
    return {k: x / size for k, x in vector.items()}


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


class Ranker:
    """The filed papers, weighed once; :meth:`rank` places any title and abstract."""

    def __init__(
        self, docs: Sequence[Doc], titles: Mapping[str, str], parents: Mapping[str, str]
    ) -> None:
        self.docs = [d for d in docs if d.leaves]
        self.titles = titles  # leaf -> title
        self.parents = parents  # leaf -> its parent node
        counts = [terms(d.title, d.abstract) for d in self.docs]
        df = Counter(w for c in counts for w in c)
        n = len(self.docs)
        self.idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self.vectors = [self._vector(c) for c in counts]
        self.centroids = self._centroids(lambda d: d.leaves)
        self.parent_centroids = self._centroids(
            lambda d: tuple({parents.get(x, x) for x in d.leaves})
        )
        self.leaf_words = {
            leaf: {stem(w) for w in WORD_RE.findall(t.lower())} - _GENERIC
            for leaf, t in titles.items()
        }

    def _vector(self, counts: Mapping[str, int]) -> dict[str, float]:
        return _unit(
            {w: (1 + math.log(c)) * self.idf[w] for w, c in counts.items() if w in self.idf}
        )

    def _centroids(self, groups: object) -> dict[str, dict[str, float]]:
        sums: dict[str, Counter[str]] = defaultdict(Counter)
        for doc, vector in zip(self.docs, self.vectors, strict=True):
            for group in groups(doc):  # type: ignore[operator]
                sums[group].update(vector)
        return {g: _unit(s) for g, s in sums.items()}

    def rank(self, title: str, abstract: str) -> list[Suggestion]:
        """Every leaf, best first. (A paper already filed is ranked by a Ranker made
        without it.)"""
        words = terms(title, abstract)
        query = self._vector(words)
        near = sorted(
            ((_cos(query, v), d.key, d) for d, v in zip(self.docs, self.vectors, strict=True)),
            key=lambda t: (-t[0], t[1]),
        )
        votes: dict[str, float] = defaultdict(float)
        for sim, _, doc in near[:K]:
            for leaf in doc.leaves:
                votes[leaf] += sim / len(doc.leaves)
        present = set(words)
        out = []
        for leaf in self.titles:
            own = self.leaf_words.get(leaf, set())
            parent = self.parent_centroids.get(self.parents.get(leaf, leaf), {})
            score = (
                CENTROID * _cos(query, self.centroids.get(leaf, {}))
                + NEIGHBOURS * votes[leaf]
                + TITLE_WORDS * (len(own & present) / len(own) if own else 0.0)
                + PARENT * _cos(query, parent)
            )
            docs = [d for _, _, d in near if leaf in d.leaves][:3]
            out.append(
                Suggestion(
                    leaf,
                    round(score, 4),
                    tuple(d.key for d in docs),
                    tuple(d.name for d in docs),
                )
            )
        return sorted(out, key=lambda s: (-s.score, s.leaf))


def ranker(project: Project, taxonomy: Taxonomy, without: str = "") -> Ranker:
    """The filed papers of the survey (but *without*), ready to rank leaves."""
    docs = [
        Doc(
            p.key,
            latex_to_text(p.title),
            latex_to_text(p.get("abstract")),
            tuple(c for c in p.categories if c in taxonomy),
        )
        for p in bib.load(project.bib, project.settings.bib)
        if p.key != without
    ]
    titles = {leaf.id: leaf.title for leaf in taxonomy.leaves}
    # A leaf right under the root is its own area.
    parents = {
        leaf.id: leaf.parent if leaf.parent != taxonomy.root.id else leaf.id
        for leaf in taxonomy.leaves
        if leaf.parent
    }
    return Ranker(docs, titles, parents)


@dataclass(frozen=True)
class Suggested:
    """A paper and every leaf ranked for it, best first."""

    key: str
    title: str
    ranked: list[Suggestion]

    def as_json(self, top: int) -> dict[str, object]:
        leaves = [
            {"leaf": s.leaf, "score": s.score, "closest": list(s.closest)}
            for s in self.ranked[:top]
        ]
        return {"paper": self.key, "title": self.title, "leaves": leaves}


def suggest(project: Project, wanted: str, services: Services) -> Suggested:
    """The leaves ranked for a paper: one in the bib (by key, ID or short name) from its
    own title and abstract, offline; anything else fetched from arXiv."""
    taxonomy = project.taxonomy()
    filed = find(bib.load(project.bib, project.settings.bib), wanted)
    if filed is not None:
        title, abstract = latex_to_text(filed.title), latex_to_text(filed.get("abstract"))
        return Suggested(
            filed.key, title, ranker(project, taxonomy, without=filed.key).rank(title, abstract)
        )
    try:
        ident = parse_arxiv_id(wanted)
    except IdError:
        raise VlabibError(f"{wanted} is neither in the bib nor an arXiv ID or URL") from None
    record = services.arxiv.fetch([ident])[ident]
    return Suggested(
        ident, record.title, ranker(project, taxonomy).rank(record.title, record.summary)
    )
