"""The arXiv API: ``parse_feed(bytes)`` (pure) beside :class:`Client` (batched, paced, cached).

Facts it rests on (see DESIGN.md): ``id_list`` needs ``max_results`` or it silently stops at
10; a missing ID is silently left out of the feed; a malformed one answers HTTP 400 with one
``<entry>`` titled ``Error``; throttling may answer the plain text ``Rate exceeded.``.

>>> feed = b'''<feed xmlns="http://www.w3.org/2005/Atom"><entry>
... <id>http://arxiv.org/abs/2509.09372v2</id><title>A
...   Title</title><published>2025-09-11T17:59:59Z</published>
... <author><name>Yihao Wang</name></author></entry></feed>'''
>>> parse_feed(feed)["2509.09372"].title
'A Title'
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from vlabib import environment
from vlabib.errors import NetworkError
from vlabib.ids import IdError, parse_arxiv_id
from vlabib.model import Progress
from vlabib.remote.cache import Cache
from vlabib.remote.http import Http

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
BATCH = 100
_CACHE_VERSION = 1


@dataclass(frozen=True)
class Record:
    """One paper as the arXiv API describes it; text is Unicode, whitespace collapsed."""

    id: str
    version: int
    title: str
    authors: tuple[str, ...]
    summary: str
    published: str  # YYYY-MM-DD of v1, "" when the feed has none
    updated: str
    primary_class: str
    doi: str
    journal_ref: str
    comment: str


def _text(entry: ET.Element, tag: str) -> str:
    node = entry.find(tag)
    return " ".join((node.text or "").split()) if node is not None else ""


def parse_feed(data: bytes) -> dict[str, Record]:
    """Records in an Atom feed, by bare arXiv ID. An ``Error`` entry is a :class:`NetworkError`."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise NetworkError(
            f"arXiv sent a malformed or truncated response (XML error at line {line}); "
            "try again later"
        ) from None
    if root.tag != f"{ATOM}feed":
        raise NetworkError("arXiv's response is not an Atom feed; check VLABIB_ARXIV_API")
    records: dict[str, Record] = {}
    for entry in root.iter(f"{ATOM}entry"):
        raw_id = _text(entry, f"{ATOM}id")
        if _text(entry, f"{ATOM}title") == "Error" or "/api/errors" in raw_id:
            raise NetworkError(f"arXiv rejected the request: {_text(entry, f'{ATOM}summary')}")
        m = re.search(r"/abs/(.+?)(?:v(\d+))?$", raw_id)
        if not m:
            raise NetworkError(f"arXiv sent an entry with an unexpected id {raw_id!r}")
        try:
            ident = parse_arxiv_id(m.group(1))
        except IdError:
            raise NetworkError(f"arXiv sent an entry with an unexpected id {raw_id!r}") from None
        primary = entry.find(f"{ARXIV}primary_category")
        records[ident] = Record(
            id=ident,
            version=int(m.group(2) or 1),
            title=_text(entry, f"{ATOM}title"),
            authors=tuple(
                " ".join((a.findtext(f"{ATOM}name") or "").split())
                for a in entry.findall(f"{ATOM}author")
            ),
            summary=_text(entry, f"{ATOM}summary"),
            published=_text(entry, f"{ATOM}published")[:10],
            updated=_text(entry, f"{ATOM}updated")[:10],
            primary_class=primary.get("term", "") if primary is not None else "",
            doi=_text(entry, f"{ARXIV}doi"),
            journal_ref=_text(entry, f"{ARXIV}journal_ref"),
            comment=_text(entry, f"{ARXIV}comment"),
        )
    return records


class Client:
    """Fetches records by ID: cached ones from disk, the rest ``BATCH`` at a time."""

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        delay: float | None = None,
        timeout: float | None = None,
        cache: Path | None = None,
        refresh: bool = False,
        max_age: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.endpoint = endpoint or environment.url("VLABIB_ARXIV_API", environment.ARXIV_API)
        self.http = Http(
            "arXiv",
            delay=environment.seconds("VLABIB_ARXIV_DELAY", 3.0) if delay is None else delay,
            timeout=environment.seconds("VLABIB_ARXIV_TIMEOUT", 30.0, positive=True)
            if timeout is None
            else timeout,
            sleep=sleep,
            clock=clock,
        )
        # A malformed ID answers 400 with an Atom 'Error' entry that says what was wrong.
        self.http.explain_400 = parse_feed
        self.cache = Cache(
            (cache or environment.cache_dir()) / "arxiv", refresh=refresh, max_age=max_age
        )

    def _cached(self, ident: str) -> Record | None:
        hit, data = self.cache.get(ident)
        if not hit or not isinstance(data, dict) or data.pop("_v", None) != _CACHE_VERSION:
            return None
        try:
            return Record(**{**data, "authors": tuple(data["authors"])})
        except TypeError:
            return None

    def _store(self, record: Record) -> None:
        self.cache.put(record.id, {"_v": _CACHE_VERSION, **asdict(record)})

    def fetch(self, ids: Iterable[str], progress: Progress | None = None) -> dict[str, Record]:
        """Records for every ID; any ID that cannot be fetched is one :class:`NetworkError`."""
        records, failed = self.fetch_some(ids, progress)
        if failed:
            raise not_fetched(failed)
        return records

    def fetch_some(
        self, ids: Iterable[str], progress: Progress | None = None
    ) -> tuple[dict[str, Record], dict[str, str]]:
        """The records arXiv gives, and for each ID it did not, why (:data:`UNKNOWN`, or
        the network's failure: the IDs after a failed batch are not asked)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Record] = {}
        todo = []
        for ident in wanted:
            record = self._cached(ident)
            if record is None:
                todo.append(ident)
            else:
                found[ident] = record
        if progress and found:
            progress(len(found), len(wanted))
        failed: dict[str, str] = {}
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            try:
                records = self._batch(batch)
            except NetworkError as exc:
                failed.update((i, str(exc)) for i in todo[start:])
                break
            for ident in batch:
                if ident in records:
                    found[ident] = records[ident]
                    self._store(records[ident])
                else:
                    failed[ident] = UNKNOWN
            if progress:
                progress(len(found) + len(failed), len(wanted))
        return {i: found[i] for i in wanted if i in found}, failed

    def _batch(self, batch: list[str]) -> dict[str, Record]:
        body = self.http.request(
            self.endpoint,
            {"id_list": ",".join(batch), "max_results": str(len(batch)), "start": "0"},
        )
        return parse_feed(body)


#: Why an ID was not fetched when arXiv answered without it.
UNKNOWN = "arXiv has no paper by this ID (withdrawn, or mistyped)"


def not_fetched(failed: dict[str, str]) -> NetworkError:
    """One error for IDs that could not be fetched: the unknown ones named, else the
    network's own words."""
    unknown = [i for i, why in failed.items() if why == UNKNOWN]
    if len(unknown) == len(failed):
        plural = "s" if len(unknown) > 1 else ""
        return NetworkError(f"arXiv has no paper {', '.join(unknown)}; check the ID{plural}")
    return NetworkError(next(why for why in failed.values() if why != UNKNOWN))


# Search answers change daily; a day-old page is asked again.
_SEARCH_MAX_AGE = 24 * 3600.0


def search(
    client: Client, query: str, *, limit: int = 50, since: str = "", page: int = 50
) -> list[Record]:
    """Papers matching an arXiv search query, newest first: pages of *page* until *limit*
    papers, or a paper submitted before *since* (YYYY-MM-DD), or the end of the results.
    Each page is asked once a day at most (cached), as politely as any other request."""
    out: list[Record] = []
    start = 0
    cache = Cache(
        client.cache.folder.parent / "arxiv-search",
        max_age=_SEARCH_MAX_AGE,
        refresh=client.cache.refresh,
    )
    while len(out) < limit:
        size = min(page, limit - len(out))
        params = {
            "search_query": query,
            "start": str(start),
            "max_results": str(size),
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }
        key = "&".join(f"{k}={v}" for k, v in params.items())
        hit, rows = cache.get(key)
        try:
            records = [Record(**{**r, "authors": tuple(r["authors"])}) for r in rows]
        except (TypeError, KeyError):
            hit = False
        if not hit:
            records = list(parse_feed(client.http.request(client.endpoint, params)).values())
            cache.put(key, [asdict(r) for r in records])
        for record in records:
            if since and record.published and record.published < since:
                return out
            out.append(record)
        if len(records) < size:
            break
        start += size
    return out[:limit]
