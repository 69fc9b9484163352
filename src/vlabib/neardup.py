"""Near-identical titles in linear time on any titles: the pairs at most two edits apart
whose ``difflib`` ratio is above a threshold.

An edit is a character inserted, deleted or replaced (Levenshtein), counted on the titles
as given (``check`` passes them normalised: case, accents and punctuation gone). Two edits
are what a duplicate entry looks like — a typo, a plural, two letters swapped, a dropped
article — and a bound on edits is what makes an exact index possible: titles drawn from a
narrow field's few words share most of their trigrams, and a ratio alone (eight edits on
an 80-character title) leaves no key that a pair must share and a stranger rarely does.

The index is a pigeonhole. A title is cut into four disjoint regions of a quarter of its
length: the first anchored at its start, the last at its end, the middle two at their
offsets. Two edits touch at most two regions (an insertion before the first character
counts against the first region, one after the last against the last), so of any three
regions one reaches the other title intact: at the same start, at the same end, or moved
by at most two characters. Each title indexes its three rarest regions; each title asks
for every region a partner of its length class could have kept, and every candidate is
checked exactly. A key is a quarter of a title, so a stranger shares one only when it
shares that quarter at that place: near-linear on real titles and on small vocabularies
alike (``make bench``: ``neardup``).
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

EDITS = 2
REGIONS = 4  # of which EDITS + 1 are indexed: two edits cannot spoil all three

Key = tuple[int, int, str]  # (region length, region number, the region's text)


def similar_pairs(titles: Sequence[str], threshold: float = 0.95) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of titles at most two edits apart whose
    ``difflib.SequenceMatcher`` ratio is above *threshold* (equal titles included)."""
    regions = [_regions(title) for title in titles]
    counts = Counter(key for keys in regions for key in keys)
    index: dict[Key, list[int]] = defaultdict(list)
    pairs = []
    # Shortest first: every partner already indexed is at most as long, by at most EDITS.
    for k in sorted(range(len(titles)), key=lambda k: (len(titles[k]), k)):
        title = titles[k]
        candidates: set[int] = set()
        for key in _probes(title):
            if found := index.get(key):
                candidates.update(found)
        for c in candidates:
            if _near(titles[c], title, EDITS) and _ratio_above(titles[c], title, threshold):
                pairs.append((c, k) if c < k else (k, c))
        rarest = sorted(regions[k], key=lambda key: (counts[key], key[1]))
        for key in rarest[: EDITS + 1]:
            index[key].append(k)
    return sorted(pairs)


def _regions(title: str) -> list[Key]:
    """The title's four regions, each keyed by its length and number."""
    n = len(title)
    r = n // REGIONS
    middle = [(r, j, title[j * r : (j + 1) * r]) for j in range(1, REGIONS - 1)]
    return [(r, 0, title[:r]), *middle, (r, REGIONS - 1, title[n - r :])]


def _probes(title: str) -> Iterator[Key]:
    """Every region a title up to EDITS characters shorter could share with this one."""
    n = len(title)
    for r in sorted({m // REGIONS for m in range(max(0, n - EDITS), n + 1)}):
        yield r, 0, title[:r]
        yield r, REGIONS - 1, title[n - r :]
        for j in range(1, REGIONS - 1):
            for shift in range(-EDITS, EDITS + 1):
                start = j * r + shift
                if start >= 0 and start + r <= n:
                    yield r, j, title[start : start + r]


def _near(a: str, b: str, budget: int) -> bool:
    """Whether *a* and *b* are at most *budget* edits apart. A common start and end never
    add to the distance; the first difference left is an edit of one of three kinds."""
    if a == b:
        return True
    if budget == 0 or abs(len(a) - len(b)) > budget:
        return False
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    j = 0
    while j < n - i and a[-1 - j] == b[-1 - j]:
        j += 1
    a, b = a[i : len(a) - j], b[i : len(b) - j]
    budget -= 1
    return _near(a[1:], b[1:], budget) or _near(a[1:], b, budget) or _near(a, b[1:], budget)


def _ratio_above(a: str, b: str, threshold: float) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() > threshold
