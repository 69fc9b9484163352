"""Real HTTP servers on 127.0.0.1 standing in for remote services in tests.

Each serves recorded responses (or ones made in the services' own formats), can be told to
misbehave, and records every request it saw.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from xml.sax.saxutils import escape

from tests.helpers import DATA

FEED_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
    ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
    "  <title>arXiv Query (vlabib test server)</title>\n"
)


@dataclass
class Reply:
    """One scripted answer: status, body, headers, and seconds to stall first."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    query: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float


class Server:
    """A loopback HTTP server; ``answer(seen)`` makes the default replies."""

    def __init__(self, answer: Callable[[Seen], Reply]) -> None:
        self.answer = answer
        self.script: list[Reply] = []
        self.requests: list[Seen] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(url.query))
                length = int(self.headers.get("Content-Length", 0) or 0)
                body = self.rfile.read(length) if length else b""
                if self.headers.get("Content-Type") == "application/x-www-form-urlencoded":
                    params.update(urllib.parse.parse_qsl(body.decode()))
                seen = Seen(
                    self.command,
                    url.path,
                    url.query,
                    params,
                    dict(self.headers),
                    body,
                    time.monotonic(),
                )
                outer.requests.append(seen)
                reply = outer.script.pop(0) if outer.script else outer.answer(seen)
                if reply.stall:
                    time.sleep(reply.stall)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A short poll: shutdown() waits for it, and tests start and stop many servers.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- arXiv ------------------------------------------------------------------------------------


def recorded_entries() -> dict[str, str]:
    """``<entry>`` elements of the recorded arXiv responses, by bare ID."""
    entries = {}
    for path in sorted((DATA / "arxiv").glob("id_list-*.xml")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<entry>.*?</entry>", text, re.DOTALL):
            ident = re.search(r"<id>https?://arxiv\.org/abs/(.+?)(?:v\d+)?</id>", m.group())
            if ident:
                entries[ident.group(1)] = m.group()
    return entries


def seed_entry(paper: dict[str, Any]) -> str:
    """An Atom entry, in arXiv's format, from seed-papers.json; a null field is left out."""
    ident = paper["arxiv_id"]
    parts = [
        "<entry>",
        f"<id>http://arxiv.org/abs/{ident}v1</id>",
        f"<title>{escape(paper['title'])}</title>",
    ]
    if paper["submitted"]:
        parts.append(f"<published>{paper['submitted']}T12:00:00Z</published>")
    parts += [f"<author><name>{escape(a)}</name></author>" for a in paper["authors"]]
    if paper["primary_category"]:
        term = paper["primary_category"]
        parts.append(f'<arxiv:primary_category term="{term}"/>')
        parts.append(f'<category term="{term}" scheme="http://arxiv.org/schemas/atom"/>')
    parts.append("</entry>")
    return "\n".join(parts)


def seed_entries() -> dict[str, str]:
    papers = json.loads((DATA / "seed-papers.json").read_text(encoding="utf-8"))
    return {p["arxiv_id"]: seed_entry(p) for p in papers}


def survey_entries() -> dict[str, str]:
    """The fixture survey's papers as arXiv entries (tests/data/survey-papers.json)."""
    papers = json.loads((DATA / "survey-papers.json").read_text(encoding="utf-8"))
    return {
        p["arxiv_id"]: seed_entry({**p, "submitted": None, "primary_category": "cs.CL"})
        for p in papers
    }


def entry_xml(
    ident: str,
    title: str,
    *,
    doi: str = "",
    category: str = "cs.CL",
    authors: tuple[str, ...] | list[str] = ("Ada Lovelace",),
    summary: str = "",
    published: str = "2025-01-02",
) -> str:
    """An Atom entry with any title, authors, DOI and category (escaped as XML, as arXiv
    does)."""
    extra = f"<arxiv:doi>{escape(doi)}</arxiv:doi>" if doi else ""
    names = "".join(f"<author><name>{escape(name)}</name></author>" for name in authors)
    return (
        f"<entry><id>http://arxiv.org/abs/{ident}v1</id><title>{escape(title)}</title>"
        f"<summary>{escape(summary)}</summary><published>{published}T00:00:00Z</published>"
        f"{names}{extra}"
        f'<arxiv:primary_category term="{escape(category, {chr(34): "&quot;"})}"/></entry>'
    )


def made_up_entry(ident: str) -> str:
    """A plausible entry for any ID, for tests that need many papers."""
    return (
        f"<entry><id>http://arxiv.org/abs/{ident}v1</id><title>Paper {ident}</title>"
        "<published>2025-01-02T00:00:00Z</published>"
        "<author><name>Ada Lovelace</name></author></entry>"
    )


def feed(entries: Iterator[str] | list[str]) -> bytes:
    return (FEED_HEAD + "\n".join(entries) + "\n</feed>\n").encode("utf-8")


class FakeArxiv(Server):
    """Answers ``id_list`` queries from known entries; unknown IDs are left out, as arXiv does."""

    def __init__(self, entries: dict[str, str], *, any_id: bool = False, stall: float = 0) -> None:
        self.entries = entries
        self.search_entries: list[str] = []  # what any search_query finds, newest first
        self.any_id = any_id
        self.stall = stall
        super().__init__(self._answer)

    def _answer(self, seen: Seen) -> Reply:
        if "search_query" in seen.params:  # newest first, a page at a time
            start = int(seen.params.get("start", "0"))
            size = int(seen.params.get("max_results", "10"))
            page = self.search_entries[start : start + size]
            return Reply(200, feed(page), {"Content-Type": "application/atom+xml"})
        asked = [i for i in seen.params.get("id_list", "").split(",") if i]
        limit = int(seen.params.get("max_results", "10"))  # arXiv's silent default
        found = []
        for ident in asked:
            bare = re.sub(r"v\d+$", "", ident)
            if bare in self.entries:
                found.append(self.entries[bare])
            elif self.any_id:
                found.append(made_up_entry(bare))
        return Reply(200, feed(found[:limit]), {"Content-Type": "application/atom+xml"}, self.stall)

    @property
    def api(self) -> str:
        return self.url + "/api/query"

    def asked_ids(self) -> list[list[str]]:
        return [r.params.get("id_list", "").split(",") for r in self.requests]


# -- git over HTTP ----------------------------------------------------------------------------


class GitHttp(Server):
    """``git http-backend`` behind Basic authentication, as Overleaf's bridge (user ``git``,
    password = the token), serving the bare repositories under *root*."""

    def __init__(self, root: Path, token: str) -> None:
        self.root = root
        self.expected = "Basic " + base64.b64encode(f"git:{token}".encode()).decode()
        exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True)
        self.backend = exec_path.stdout.strip() + "/git-http-backend"
        self.refused = 0
        super().__init__(self._answer)

    def _answer(self, seen: Seen) -> Reply:
        if seen.headers.get("Authorization") != self.expected:
            self.refused += 1
            return Reply(401, headers={"WWW-Authenticate": 'Basic realm="overleaf"'})
        env = {
            "PATH": os.environ.get("PATH", ""),
            "GIT_PROJECT_ROOT": str(self.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "REMOTE_USER": "git",  # also what lets http-backend accept pushes
            "REMOTE_ADDR": "127.0.0.1",
            "PATH_INFO": seen.path,
            "QUERY_STRING": seen.query,
            "REQUEST_METHOD": seen.method,
            "CONTENT_TYPE": seen.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(seen.body)),
            "HTTP_CONTENT_ENCODING": seen.headers.get("Content-Encoding", ""),
            "GIT_PROTOCOL": seen.headers.get("Git-Protocol", ""),
        }
        proc = subprocess.run([self.backend], input=seen.body, env=env, capture_output=True)
        head, _, payload = proc.stdout.partition(b"\r\n\r\n")
        status, headers = 200, {}
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers[name] = value.strip()
        return Reply(status, payload, headers)


# -- Semantic Scholar and DBLP ------------------------------------------------------------------


def s2_paper(
    arxiv_id: str,
    title: str,
    authors: list[str],
    venue: str,
    year: int,
    *,
    aliases: list[str] | None = None,
    dblp: str = "",
) -> dict[str, Any]:
    """A paper as Semantic Scholar's graph API returns it for our fields."""
    ids: dict[str, Any] = {"ArXiv": arxiv_id, "CorpusId": abs(hash(arxiv_id)) % 10**9}
    if dblp:
        ids["DBLP"] = dblp
    return {
        "paperId": f"{abs(hash(title)):040x}"[:40],
        "externalIds": ids,
        "title": title,
        "venue": venue,
        "year": year,
        "journal": {"name": venue} if venue else None,
        "publicationVenue": (
            {"id": "v-1", "name": venue, "type": "conference", "alternate_names": aliases or []}
            if venue
            else None
        ),
        "authors": [{"authorId": str(i), "name": a} for i, a in enumerate(authors)],
    }


class FakeS2(Server):
    """``POST /paper/batch``: a JSON list aligned with the IDs asked, null for unknown ones."""

    def __init__(self, papers: dict[str, dict[str, Any]]) -> None:
        self.papers = papers
        super().__init__(self._answer)

    def _answer(self, seen: Seen) -> Reply:
        if seen.path != "/graph/v1/paper/batch" or seen.method != "POST":
            return Reply(404, b'{"error":"Not found"}')
        asked = json.loads(seen.body)["ids"]
        answer = [self.papers.get(i.removeprefix("arXiv:")) for i in asked]
        return Reply(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})

    @property
    def api(self) -> str:
        return self.url + "/graph/v1"


def dblp_record(key: str, kind: str, title: str, authors: list[str], venue: str, year: int) -> str:
    """A record as ``https://dblp.org/rec/KEY.xml`` returns it."""
    where = "booktitle" if kind == "inproceedings" else "journal"
    names = "\n".join(f"<author>{escape(a)}</author>" for a in authors)
    return (
        '<?xml version="1.0" encoding="US-ASCII"?>\n<dblp>\n'
        f'<{kind} key="{key}" mdate="2025-01-23">\n{names}\n'
        f"<title>{escape(title)}.</title>\n<year>{year}</year>\n"
        f"<{where}>{escape(venue)}</{where}>\n</{kind}>\n</dblp>\n"
    )


def dblp_hit(
    key: str, title: str, authors: list[str], venue: str, year: int, kind: str
) -> dict[str, Any]:
    """One hit of ``/search/publ/api?format=json``; a single author is an object, as DBLP does."""
    people: Any = [{"@pid": str(i), "text": a} for i, a in enumerate(authors)]
    return {
        "@score": "10",
        "@id": key,
        "info": {
            "authors": {"author": people[0] if len(people) == 1 else people},
            "title": title + ".",
            "venue": venue,
            "year": str(year),
            "type": kind,
            "key": key,
            "url": f"https://dblp.org/rec/{key}",
        },
    }


class FakeDblp(Server):
    """``/rec/KEY.xml`` and ``/search/publ/api`` from known records and hits."""

    def __init__(self, records: dict[str, str], hits: list[dict[str, Any]]) -> None:
        self.records = records
        self.hits = hits
        super().__init__(self._answer)

    def _answer(self, seen: Seen) -> Reply:
        if seen.path.startswith("/rec/") and seen.path.endswith(".xml"):
            key = urllib.parse.unquote(seen.path[len("/rec/") : -len(".xml")])
            if key in self.records:
                return Reply(200, self.records[key].encode(), {"Content-Type": "application/xml"})
            return Reply(404, b"Not found")
        if seen.path == "/search/publ/api":
            words = set(re.findall(r"\w+", seen.params.get("q", "").lower()))
            found = [
                h for h in self.hits if words <= set(re.findall(r"\w+", h["info"]["title"].lower()))
            ]
            hits: dict[str, Any] = {"@total": str(len(found)), "@sent": str(len(found))}
            if found:
                hits["hit"] = found
            body = {"result": {"query": seen.params.get("q"), "hits": hits}}
            return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
        return Reply(404, b"Not found")


def recorded_search() -> list[str]:
    """The entries of a real search_query response (tests/data/arxiv), in its order."""
    text = (DATA / "arxiv" / "search_query-testing.10-entries.xml").read_text(encoding="utf-8")
    return re.findall(r"<entry>.*?</entry>", text, re.DOTALL)
