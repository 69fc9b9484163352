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

import email.utils
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from vlabib.cache import Cache, cache_root
from vlabib.errors import NetworkError
from vlabib.ids import IdError, parse_arxiv_id

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
DEFAULT_API = "https://export.arxiv.org/api/query"
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vlabib")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


class Http:
    """Polite HTTP for one service: paced, bounded retries honouring ``Retry-After``."""

    RETRY_STATUS = (429, 500, 502, 503, 504)

    def __init__(
        self,
        service: str,
        *,
        delay: float,
        timeout: float,
        attempts: int = 4,
        max_wait: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service
        self.clock = clock
        self.delay = delay
        self.timeout = timeout
        self.attempts = attempts
        self.max_wait = max_wait
        self.sleep = sleep
        self._last = -float("inf")
        self.user_agent = f"vlabib/{_version()} (survey bibliography tool; mailto via git config)"

    def _pace(self) -> None:
        wait = self._last + self.delay - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last = self.clock()

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        *,
        json_body: object = None,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        """The body of a 200 answer; retries what is worth retrying, then a clear error.

        *data* is sent as a form, *json_body* as JSON; neither means GET.
        """
        problem = ""
        sent = {"User-Agent": self.user_agent, **(headers or {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        for attempt in range(self.attempts):
            self._pace()
            req = urllib.request.Request(url, data=body, headers=sent)
            retry_after: float | None = None
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    payload: bytes = resp.read()
                if payload.strip() == b"Rate exceeded.":
                    problem = "answered 'Rate exceeded.'"
                else:
                    return payload
            except urllib.error.HTTPError as exc:
                payload = exc.read()
                if exc.code not in self.RETRY_STATUS:
                    if exc.code == 400 and self.service == "arXiv":
                        parse_feed(payload)  # raises with arXiv's own explanation
                    raise NetworkError(
                        f"{self.service} answered HTTP {exc.code} {exc.reason} for {url}"
                    ) from None
                problem = f"answered HTTP {exc.code} {exc.reason}"
                retry_after = _retry_after(exc.headers.get("Retry-After"))
            except TimeoutError:
                problem = f"did not answer within {self.timeout:g} s"
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, ConnectionRefusedError):
                    raise NetworkError(
                        f"cannot reach {self.service} at {url}: connection refused "
                        "(check the network, or the endpoint's environment variable)"
                    ) from None
                if isinstance(reason, TimeoutError):
                    problem = f"did not answer within {self.timeout:g} s"
                else:
                    problem = f"could not be reached ({reason})"
            except (http.client.HTTPException, ConnectionError) as exc:
                problem = f"broke the connection ({type(exc).__name__})"
            if attempt + 1 == self.attempts:
                break
            wait = retry_after if retry_after is not None else self.delay * 2**attempt
            if wait > self.max_wait:
                raise NetworkError(
                    f"{self.service} {problem} and asks to wait {wait:.0f} s; try again later"
                )
            self.sleep(wait)
        raise NetworkError(f"{self.service} {problem} ({self.attempts} attempts); try again later")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


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
        self.endpoint = endpoint or os.environ.get("VLABIB_ARXIV_API") or DEFAULT_API
        self.http = Http(
            "arXiv",
            delay=_env_float("VLABIB_ARXIV_DELAY", 3.0) if delay is None else delay,
            timeout=_env_float("VLABIB_ARXIV_TIMEOUT", 30.0) if timeout is None else timeout,
            sleep=sleep,
            clock=clock,
        )
        self.cache = Cache((cache or cache_root()) / "arxiv", refresh=refresh, max_age=max_age)

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

    def fetch(
        self, ids: Iterable[str], progress: Callable[[int], None] | None = None
    ) -> dict[str, Record]:
        """Records for every ID; IDs arXiv does not know are one :class:`NetworkError`."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Record] = {}
        todo = []
        for ident in wanted:
            record = self._cached(ident)
            if record is None:
                todo.append(ident)
            else:
                found[ident] = record
        if progress and len(found):
            progress(len(found))
        fetched: dict[str, Record] = {}
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            body = self.http.request(
                self.endpoint,
                {"id_list": ",".join(batch), "max_results": str(len(batch)), "start": "0"},
            )
            records = parse_feed(body)
            fetched.update({i: records[i] for i in batch if i in records})
            if progress:
                progress(len(batch))
        missing = [i for i in todo if i not in fetched]
        if missing:
            raise NetworkError(
                f"arXiv has no paper {', '.join(missing)}; check the ID"
                + ("s" if len(missing) > 1 else "")
            )
        for record in fetched.values():
            self._store(record)
        found.update(fetched)
        return {i: found[i] for i in wanted}


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise NetworkError(f"{name}={value!r} is not a number of seconds") from None
