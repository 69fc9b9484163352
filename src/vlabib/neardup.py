"""Near-identical titles in linear time (in practice): the pairs whose ``difflib`` ratio is
above a threshold, among titles that open with the same two words.

Comparing every pair is quadratic, and real surveys put hundreds of titles in one bucket
("A Survey of …", "Towards …"). This is a similarity join with prefix filtering: two strings
with ratio r > 0.95 differ by few insertions and deletions, so they share most of their
character trigrams (each edit destroys at most three). Ordered by rarity, a title's rarest
trigrams — as many as it could lose, plus one — must then include one the other title also
has among its own rarest. Only such candidates are compared, exactly as before.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Sequence

Q = 3  # trigrams


def similar_pairs(titles: Sequence[str], threshold: float = 0.95) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of titles sharing their first two words whose
    ``difflib.SequenceMatcher`` ratio is above *threshold* (equal titles included)."""
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, title in enumerate(titles):
        buckets[" ".join(title.split()[:2])].append(i)
    pairs = []
    for members in buckets.values():
        if len(members) > 1:
            pairs += _join([titles[i] for i in members], members, threshold)
    return sorted(pairs)


def _grams(title: str) -> frozenset[str]:
    """The title's distinct trigrams. An edit removes at most Q trigram occurrences, so at
    most Q of these per edit are missing from the other title."""
    return frozenset([title[k : k + Q] for k in range(len(title) - Q + 1)])


def _prefix_size(length: int, grams: int, threshold: float) -> int:
    """How many of a title's rarest trigrams must be indexed so that no partner with ratio
    above *threshold* is missed (all of them when the title is short)."""
    # ratio > t bounds the partner's length (<= length * (2 - t) / t) and the insertions
    # plus deletions between them (< (1 - t) * (both lengths)); each destroys <= Q trigrams.
    edits = (1 - threshold) * length * (1 + (2 - threshold) / threshold)
    must_share = grams - Q * edits
    return grams if must_share < 1 else grams - int(must_share) + 1


# Buckets this small are compared pair by pair: an index costs more than it saves.
_SMALL = 40


def _join(texts: list[str], ids: list[int], threshold: float) -> list[tuple[int, int]]:
    grams = sets = [_grams(t) for t in texts]
    if len(texts) <= _SMALL:
        return [
            (ids[a], ids[b])
            for a in range(len(texts))
            for b in range(a + 1, len(texts))
            if _similar(texts[a], texts[b], sets[a], sets[b], threshold)
        ]
    pairs = []
    # One global order of the trigrams, rarest first (ties by the trigram itself).
    counts = Counter(g for gs in grams for g in gs)
    rank = {g: r for r, g in enumerate(sorted(counts, key=lambda g: (counts[g], g)))}
    # Shortest first: a title's partners already indexed are at most as long, and those
    # shorter than t / (2 - t) of it can never be similar: they are skipped for good.
    index: dict[str, list[int]] = defaultdict(list)
    start: dict[str, int] = defaultdict(int)
    for k in sorted(range(len(texts)), key=lambda k: (len(texts[k]), k)):
        ranked = sorted(grams[k], key=rank.__getitem__)
        prefix = ranked[: _prefix_size(len(texts[k]), len(ranked), threshold)] or [""]
        shortest = threshold * len(texts[k]) / (2 - threshold)
        candidates = set()
        for g in prefix:
            posting, first = index[g], start[g]
            while first < len(posting) and len(texts[posting[first]]) < shortest:
                first += 1
            start[g] = first
            candidates.update(posting[first:])
        for c in candidates:
            if _similar(texts[c], texts[k], sets[c], sets[k], threshold):
                pairs.append((min(ids[c], ids[k]), max(ids[c], ids[k])))
        for g in prefix:
            index[g].append(k)
    return pairs


def _similar(a: str, b: str, grams_a: frozenset[str], grams_b: frozenset[str], t: float) -> bool:
    """difflib's verdict, after two cheap filters that never reject a similar pair: the
    lengths, and the trigrams the pair must share."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if 2 * min(la, lb) <= t * (la + lb):
        return False  # even if the shorter one matched entirely
    edits = (1 - t) * (la + lb)
    if len(grams_a & grams_b) < max(len(grams_a), len(grams_b)) - Q * edits:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() > t
