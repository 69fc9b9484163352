"""The near-duplicate index finds exactly the pairs the quadratic comparison finds: every
pair of titles at most two edits apart whose difflib ratio is above the threshold."""

from __future__ import annotations

import difflib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import DATA
from vlabib.listimport.markdown import parse_list
from vlabib.neardup import similar_pairs
from vlabib.titles import norm_title


def edits(a: str, b: str) -> int:
    """Levenshtein distance, the textbook dynamic programme."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def brute_force(titles: list[str], threshold: float = 0.95) -> list[tuple[int, int]]:
    """Every pair, through the definition."""
    out = []
    for i, a in enumerate(titles):
        for j in range(i + 1, len(titles)):
            b = titles[j]
            if abs(len(a) - len(b)) > 2:
                continue  # (a shortcut of the definition: each edit changes the length by <= 1)
            matcher = difflib.SequenceMatcher(None, a, b)
            near = a == b or (matcher.quick_ratio() > threshold and matcher.ratio() > threshold)
            if near and edits(a, b) <= 2:
                out.append((i, j))
    return out


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
    # The planted ones, a few real ones; not ' v2' (three edits) nor 'a survey of …'.
    assert len(expected) == 174
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


def test_an_edit_in_the_first_words_or_the_last_is_found() -> None:
    """The old index only compared titles opening with the same two words."""
    title = "efficient vision language action models for robot manipulation"
    titles = [
        title,
        "eficient vision language action models for robot manipulation",
        "efficient vision language action models for robot manipulations",
        "efficient vison language action model for robot manipulation",
        "efficient language vision action models for robot manipulation",
    ]
    assert similar_pairs(titles) == [(0, 1), (0, 2), (0, 3), (1, 2)]  # (1, 3): three edits


def test_titles_from_a_few_words_pair_only_when_near() -> None:
    """Titles that share every word but not their order are strangers."""
    words = "token pruning for vision language action models with fast inference".split()
    rng = random.Random(3)
    titles = [" ".join(rng.sample(words, len(words))) for _ in range(300)]
    titles = list(dict.fromkeys(titles))
    planted = [t[:20] + "x" + t[21:] for t in titles[:10]]
    got = similar_pairs(titles + planted)
    assert got == brute_force(titles + planted)
    assert [(i, j) for i, j in got if j >= len(titles)] == [(i, len(titles) + i) for i in range(10)]
