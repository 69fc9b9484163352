"""Realistic survey data for `make bench`, the same for the same seed.

Titles keep the statistics of real paper lists: they are built from the titles of the real
lists under tests/data/ (their first words, so the common openings — "Towards", "A Survey
of", "Learning to", "VLA:" — are as common as in real lists, joined to another title's tail),
and 1 in 200 is a near-duplicate of an earlier one, planted on purpose (check must find them).
Abstracts have 120–250 words, authors have accents, papers sit in 1–3 leaves.

The adversarial variant (``vocabulary="small"``): titles of 10 words drawn from 20, as in a
narrow field whose titles share most of their words, so that every title shares most of
its trigrams with every other; near-duplicates planted the same way.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TAXONOMY = ROOT / "tests" / "data" / "vla107" / "refs" / "taxonomy.toml"
FIRST = [
    "Wei",
    "Yu",
    "Marcel",
    "Ömer",
    "Peter",
    "Jiaming",
    "Chelsea",
    "Sergey",
    "Hao",
    "Ana",
    "Zoë",
    "Łukasz",
    "Søren",
    "José",
    "Bjørn",
    "Françoise",
    "Dong-Hyun",
    "Xinyu",
    "Aditi",
    "Müge",
    "Jürgen",
    "Renée",
    "Nuño",
    "Tomáš",
]
LAST = [
    "Li",
    "Wang",
    "Rühle",
    "Yağmurlu",
    "de With",
    "Liu",
    "Finn",
    "Levine",
    "Zhao",
    "García",
    "Kravitz",
    "Kowalczyk",
    "Ørsted",
    "Müller",
    "Nguyễn",
    "Dvořák",
    "O'Neil",
    "van der Berg",
    "Zhang",
    "Chen",
    "Kim",
    "Sánchez",
    "Šimůnek",
    "Çelik",
]
VENUES = [
    "NeurIPS 2024",
    "ICLR 2025",
    "CoRL 2025",
    "ICRA 2025",
    "IEEE RA-L 2025",
    "CVPR 2025",
    "ICML 2024",
    "RSS 2025",
    "AAAI 2026",
    "IROS 2025",
    "TPAMI 2025",
    "EMNLP 2025",
]
SYLLABLES = [
    "ro",
    "va",
    "li",
    "ne",
    "mo",
    "ka",
    "to",
    "si",
    "pa",
    "re",
    "lu",
    "xi",
    "qu",
    "ze",
    "fo",
    "da",
    "mi",
    "no",
    "te",
    "ga",
    "vi",
    "ra",
    "ko",
    "su",
    "be",
    "fa",
    "hu",
    "jo",
]
FILLER = [
    "we",
    "propose",
    "a",
    "method",
    "that",
    "the",
    "model",
    "with",
    "for",
    "and",
    "on",
    "in",
    "to",
    "of",
    "by",
    "from",
    "which",
    "this",
    "our",
    "results",
    "show",
    "significant",
    "improvements",
    "over",
    "strong",
    "baselines",
    "across",
    "tasks",
]


def real_titles() -> list[str]:
    """Every title in the real lists the tests carry (about 2,000)."""
    from vlabib.listimport.markdown import parse_list

    titles: dict[str, None] = {}
    sources = sorted((ROOT / "tests" / "data" / "lists-wild").glob("*.md"))
    sources.append(ROOT / "tests" / "data" / "efficient-vla-survey.2026-06-23.md")
    for path in sources:
        for item in parse_list(path.read_text(encoding="utf-8")).items:
            if len(item.title.split()) >= 3 and item.title.isprintable():
                titles[item.title] = None
    return list(titles)


# A narrow field's words: every small-vocabulary title is 10 of these.
SMALL_VOCABULARY = (
    "efficient vision language action model models for with token pruning robot learning "
    "via large policy diffusion quantization inference fast a"
).split()


def titles(
    n: int, rng: random.Random, vocabulary: str = "real"
) -> tuple[list[str], list[tuple[int, int]]]:
    """*n* distinct titles and the planted near-duplicates (index of the original, index of
    the copy)."""
    pool = real_titles() if vocabulary == "real" else []
    seen: set[str] = set()
    out: list[str] = []
    planted = []
    while len(out) < n:
        if out and rng.random() < 0.005:
            source = rng.randrange(len(out))
            title = _near_duplicate(out[source], rng)
            planted.append((source, len(out)))
        elif pool:
            title = _recombined(pool, rng)
        else:
            title = " ".join(rng.choice(SMALL_VOCABULARY) for _ in range(10)).capitalize()
        if title in seen:
            title += f" ({len(out)})"
        seen.add(title)
        out.append(title)
    return out, planted


def _recombined(pool: list[str], rng: random.Random) -> str:
    """A real title's opening words, a middle and an end from two others; a third of them
    named after a method first ("Name: …"), as real titles are."""
    head, middle, tail = (rng.choice(pool).split() for _ in range(3))
    words = head[: rng.randint(1, min(3, len(head) - 1))]
    words += middle[rng.randint(1, len(middle) - 1) :][: rng.randint(1, 4)]
    words += tail[rng.randint(1, len(tail) - 1) :]
    if rng.random() < 0.35:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        words.insert(0, name + rng.choice(["", "", "-VLA", "Net", "-2"]) + ":")
    return " ".join(words)


def _near_duplicate(title: str, rng: random.Random) -> str:
    i = rng.randrange(len(title) - 1)
    return rng.choice(
        [
            title + "s",
            title[:i] + title[i + 1 :],
            title.replace(" ", "  ", 1) if "  " not in title else title + ".",
            title + "!",
        ]
    )


def abstract(rng: random.Random, vocabulary: list[str]) -> str:
    words = [
        rng.choice(vocabulary if rng.random() < 0.5 else FILLER)
        for _ in range(rng.randint(120, 250))
    ]
    sentences, start = [], 0
    while start < len(words):
        end = start + rng.randint(12, 28)
        sentences.append(" ".join(words[start:end]).capitalize() + ".")
        start = end
    return " ".join(sentences)


@dataclass(frozen=True)
class Survey:
    bib: str
    markdown: str  # the same papers as a Markdown list (for import)
    ids: list[str]
    planted: list[tuple[str, str]]  # the keys of each planted near-duplicate pair


def survey(n: int, seed: int = 20251125, vocabulary: str = "real") -> Survey:
    from vlabib import bib
    from vlabib.model import Paper
    from vlabib.names import bibtex_name
    from vlabib.taxonomy import load_taxonomy
    from vlabib.tex.encode import text_to_latex

    rng = random.Random(seed)
    taxonomy = load_taxonomy(TAXONOMY, "taxonomy")
    leaves = [leaf.id for leaf in taxonomy.leaves]
    names, planted = titles(n, rng, vocabulary)
    words = [w.lower().strip(":,.") for t in names[:2000] for w in t.split()]
    papers, ids = [], []
    for i, title in enumerate(names):
        key = f"{rng.randint(18, 25):02d}{rng.randint(1, 12):02d}.{i:05d}"
        ids.append(key)
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 12))]
        fields = {
            "title": text_to_latex(title, math=True, protect=True, ligatures=True),
            "author": " and ".join(text_to_latex(bibtex_name(a)) for a in authors),
            "year": f"20{key[:2]}",
            "eprint": key,
            "archiveprefix": "arXiv",
            "url": f"https://arxiv.org/abs/{key}",
            "abstract": text_to_latex(abstract(rng, words)),
            "keywords": ", ".join(sorted(set(rng.sample(leaves, rng.randint(1, 3))))),
        }
        if rng.random() < 0.4:
            fields["venue"] = rng.choice(VENUES)
        if rng.random() < 0.5:
            fields["code"] = f"https://github.com/lab{i}/repo{i}"
        papers.append(Paper(key, "misc", fields))
    return Survey(
        bib.write_string(papers),
        "".join(_markdown(taxonomy, papers, names)),
        ids,
        [(ids[a], ids[b]) for a, b in planted],
    )


def _markdown(taxonomy: object, papers: Sequence[object], names: list[str]) -> Iterator[str]:
    """An awesome-list: a heading per leaf, a bullet per paper (with its code link)."""
    from vlabib.model import Paper
    from vlabib.taxonomy import Taxonomy

    assert isinstance(taxonomy, Taxonomy)
    yield f"# {taxonomy.root.title}\n\n"
    by_leaf: dict[str, list[int]] = {leaf.id: [] for leaf in taxonomy.leaves}
    for i, paper in enumerate(papers):
        assert isinstance(paper, Paper)
        by_leaf[paper.categories[0]].append(i)
    for node in taxonomy.nodes[1:]:
        yield f"{'#' * (node.depth + 1)} {node.title}\n\n"
        for i in by_leaf.get(node.id, []):
            paper = papers[i]
            assert isinstance(paper, Paper)
            code = f" [[code]({paper.code})]" if paper.code else ""
            yield f"- [{names[i]}](https://arxiv.org/abs/{paper.key}){code}\n"
        yield "\n"
