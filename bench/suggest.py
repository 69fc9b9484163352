"""How well `vlabib suggest` files a paper, measured as the issue states it: on the VLA
survey's 2026 website data (bench/website-papers.2026-04-30.json: 106 distinct papers with
titles, abstracts and one or more of 19 leaves), each paper left out in turn and the leaves
ranked for it from the other 105. Its hierarchy (which leaf sits under which node) is the
2026 taxonomy of tests/data/vla107. Beside vlabib's ranker, the two plain TF-IDF baselines:
nearest centroid and k nearest neighbours (k = 5), on unstemmed words, title counted once.

A paper counts as placed when the leaf ranked first (or one of the first three) is one of
its leaves. Run alone: .venv/bin/python bench/suggest.py
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path

from vlabib.commands.suggest import _STOP, Doc, Ranker, stem
from vlabib.taxonomy import load_taxonomy

HERE = Path(__file__).resolve().parent
DATA = HERE / "website-papers.2026-04-30.json"
TAXONOMY = HERE.parent / "tests" / "data" / "vla107" / "refs" / "taxonomy.toml"
Rank = Callable[[list[Doc], Doc], list[str]]


def _key(title: str) -> str:
    return " ".join(stem(w) for w in re.findall(r"[a-z0-9]+", title.lower()))


def papers() -> tuple[list[Doc], dict[str, str]]:
    """The distinct papers (leaves merged over duplicates) and each leaf's parent node."""
    merged: dict[str, Doc] = {}
    for p in json.loads(DATA.read_text(encoding="utf-8"))["papers"]:
        key = p["arxiv_id"] or p["id"]
        leaves = {c["subcategory"] or c["category"] for c in p["categories"]}
        if key in merged:
            leaves |= set(merged[key].leaves)
        merged[key] = Doc(key, p["title"], p["abstract"], tuple(sorted(leaves)))
    taxonomy = load_taxonomy(TAXONOMY, str(TAXONOMY))
    by_title = {_key(n.title): n for n in taxonomy.leaves}
    leaves = {leaf for d in merged.values() for leaf in d.leaves}
    parents = {leaf: by_title[_key(leaf)].parent or leaf for leaf in leaves}
    return list(merged.values()), parents


def ranker(parents: Mapping[str, str]) -> Rank:
    titles = {leaf: leaf for leaf in parents}
    return lambda train, doc: [
        s.leaf for s in Ranker(train, titles, parents).rank(doc.title, doc.abstract)
    ]


def _plain(train: list[Doc], doc: Doc) -> tuple[dict[str, float], list[dict[str, float]]]:
    def counts(d: Doc) -> Counter[str]:
        text = f"{d.title} {d.abstract}".lower()
        return Counter(
            w
            for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text)
            if w not in _STOP and len(w) > 1
        )

    docs = [counts(d) for d in train]
    df = Counter(w for c in docs for w in c)
    idf = {w: math.log((1 + len(docs)) / (1 + n)) + 1 for w, n in df.items()}

    def vector(c: Counter[str]) -> dict[str, float]:
        v = {w: (1 + math.log(n)) * idf[w] for w, n in c.items() if w in idf}
        size = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / size for w, x in v.items()}

    return vector(counts(doc)), [vector(c) for c in docs]


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def centroid(train: list[Doc], doc: Doc) -> list[str]:
    query, vectors = _plain(train, doc)
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    for d, v in zip(train, vectors, strict=True):
        for leaf in d.leaves:
            sums[leaf].update(v)
    scores = {
        leaf: _cos(query, s) / (math.sqrt(sum(x * x for x in s.values())) or 1.0)
        for leaf, s in sums.items()
    }
    return sorted(scores, key=lambda leaf: (-scores[leaf], leaf))


def neighbours(train: list[Doc], doc: Doc, k: int = 5) -> list[str]:
    query, vectors = _plain(train, doc)
    near = sorted(
        zip((_cos(query, v) for v in vectors), (d.key for d in train), train, strict=True),
        key=lambda t: (-t[0], t[1]),
    )[:k]
    scores: dict[str, float] = defaultdict(float)
    for sim, _, d in near:
        for leaf in d.leaves:
            scores[leaf] += sim
    leaves = {leaf for d in train for leaf in d.leaves}
    return sorted(leaves, key=lambda leaf: (-scores[leaf], leaf))


def leave_one_out(rank: Rank, docs: list[Doc]) -> tuple[float, float]:
    """Share of papers with a right leaf first, and within the first three."""
    first = three = 0
    for doc in docs:
        ranked = rank([d for d in docs if d.key != doc.key], doc)
        first += ranked[0] in doc.leaves
        three += bool(set(ranked[:3]) & set(doc.leaves))
    return first / len(docs), three / len(docs)


def leave_one_out_all() -> dict[str, tuple[float, float]]:
    docs, parents = papers()
    return {
        "vlabib suggest": leave_one_out(ranker(parents), docs),
        "TF-IDF nearest centroid": leave_one_out(centroid, docs),
        "TF-IDF 5 nearest neighbours": leave_one_out(neighbours, docs),
    }


def report(results: Mapping[str, tuple[float, float]]) -> None:
    docs, parents = papers()
    print(f"suggest, leave-one-out on the 2026 data ({len(docs)} papers, {len(parents)} leaves):")
    print()
    print(f"| {'ranker':<28} | right leaf first | in the top three |")
    print(f"|{'-' * 30}|------------------|------------------|")
    for name, (first, three) in results.items():
        print(f"| {name:<28} | {first:>16.1%} | {three:>16.1%} |")


if __name__ == "__main__":
    report(leave_one_out_all())
