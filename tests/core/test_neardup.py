"""The near-duplicate index finds exactly the pairs the quadratic comparison finds."""

from __future__ import annotations

import difflib
import random
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import DATA
from vlabib.listimport.markdown import parse_list
from vlabib.neardup import similar_pairs
from vlabib.titles import norm_title


def brute_force(titles: list[str], threshold: float = 0.95) -> list[tuple[int, int]]:
    """What check did before: every pair in a first-two-words bucket, through difflib."""
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(titles):
        buckets[" ".join(t.split()[:2])].append(i)
    out = []
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = titles[i], titles[j]
                if a == b or difflib.SequenceMatcher(None, a, b).ratio() > threshold:
                    out.append((i, j))
    return sorted(out)


def mutate(rng: random.Random, title: str) -> str:
    i = rng.randrange(max(1, len(title) - 1))
    return rng.choice(
        [
            title + "s",
            title[:i] + title[i + 1 :],
            title[:i] + "x" + title[i:],
            title + " v2",
            title[:i] + title[i + 1 : i + 2] + title[i : i + 1] + title[i + 2 :],
        ]
    )


@pytest.mark.slow
def test_real_titles_with_planted_near_duplicates() -> None:
    titles: list[str] = []
    for path in sorted((DATA / "lists-wild").glob("*.md")):
        titles += [
            norm_title(i.title) for i in parse_list(path.read_text()).items if not i.resource
        ]
    titles = list(dict.fromkeys(t for t in titles if t))[:1200]
    rng = random.Random(7)
    titles += [mutate(rng, rng.choice(titles)) for _ in range(200)]
    titles += ["a survey of " + rng.choice(titles) for _ in range(150)]
    expected = brute_force(titles)
    assert len(expected) == 197  # planted ones, a few real ones, fewer where an edit is big
    assert similar_pairs(titles) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab c", min_size=0, max_size=24), max_size=24))
def test_any_titles(titles: list[str]) -> None:
    assert similar_pairs(titles) == brute_force(titles)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(alphabet="abcde fg", min_size=30, max_size=60), min_size=2, max_size=12),
    st.integers(0, 2**32),
)
def test_long_titles_and_their_edits(titles: list[str], seed: int) -> None:
    rng = random.Random(seed)
    titles = titles + [mutate(rng, t) for t in titles]
    assert similar_pairs(titles) == brute_force(titles)
