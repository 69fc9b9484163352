"""The catalogs vlabib asks where a preprint was published: Semantic Scholar and DBLP.
Parsers are pure (bytes in, :class:`~vlabib.remote.claims.Claim` out); the clients are paced to each
service's published limits and cache every answer, misses included.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

from vlabib import environment
from vlabib.errors import NetworkError
from vlabib.remote.cache import Cache
from vlabib.remote.claims import Claim, Decision, Preprint, decide, journal_ref_claim, judge
from vlabib.remote.http import Http

S2_BATCH = 500
S2_FIELDS = "title,authors,year,venue,publicationVenue,journal,externalIds"


def parse_s2_batch(data: bytes, asked: Sequence[str]) -> dict[str, Claim | None]:
    """Semantic Scholar's ``/paper/batch`` answer (a list aligned with the IDs asked)."""
    try:
        items = json.loads(data)
    except ValueError:
        raise NetworkError("Semantic Scholar sent a malformed answer (not JSON)") from None
    if not isinstance(items, list) or len(items) != len(asked):
        raise NetworkError("Semantic Scholar's answer does not match the papers asked for")
    out: dict[str, Claim | None] = {}
    for ident, item in zip(asked, items, strict=True):
        if not isinstance(item, dict):
            out[ident] = None
            continue
        pv = item.get("publicationVenue") or {}
        journal = item.get("journal") or {}
        venue = item.get("venue") or pv.get("name") or journal.get("name") or ""
        out[ident] = Claim(
            "Semantic Scholar",
            item.get("title") or "",
            tuple(a.get("name", "") for a in item.get("authors") or []),
            venue,
            item.get("year"),
            tuple(pv.get("alternate_names") or ()),
            (item.get("externalIds") or {}).get("DBLP") or "",
        )
    return out


def _dblp_authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, dict):
        value = [value]
    return tuple(a.get("text", "") if isinstance(a, dict) else str(a) for a in value or [])


def parse_dblp_search(data: bytes) -> list[Claim]:
    """Hits of DBLP's ``/search/publ/api?format=json``."""
    try:
        hits = json.loads(data)["result"]["hits"].get("hit", [])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise NetworkError("DBLP sent a malformed search answer") from None
    if isinstance(hits, dict):
        hits = [hits]
    claims = []
    for hit in hits:
        info = hit.get("info", {})
        year = str(info.get("year", ""))
        claims.append(
            Claim(
                "DBLP",
                info.get("title", ""),
                _dblp_authors((info.get("authors") or {}).get("author")),
                info.get("venue", "")
                if not isinstance(info.get("venue"), list)
                else info["venue"][0],
                int(year) if year.isdigit() else None,
                dblp_key=info.get("key", ""),
            )
        )
    return claims


def parse_dblp_record(data: bytes) -> Claim:
    """A DBLP record, ``/rec/KEY.xml``."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise NetworkError("DBLP sent a malformed record") from None
    record = root[0] if root.tag == "dblp" and len(root) else root
    venue = record.findtext("booktitle") or record.findtext("journal") or ""
    year = record.findtext("year") or ""
    title = record.find("title")
    return Claim(
        "DBLP",
        "".join(title.itertext()) if title is not None else "",
        tuple(a.text or "" for a in record.findall("author")),
        venue,
        int(year) if year.isdigit() else None,
        dblp_key=record.get("key", ""),
    )


# -- clients --------------------------------------------------------------------------------


def _claim_to_json(claim: Claim | None) -> Any:
    return None if claim is None else {**claim.__dict__}


def _claim_from_json(data: Any) -> Claim | None:
    if data is None:
        return None
    return Claim(**{**data, "authors": tuple(data["authors"]), "aliases": tuple(data["aliases"])})


class Catalogs:
    """Semantic Scholar and DBLP, each paced to its published rate limit."""

    def __init__(
        self,
        *,
        refresh: bool = False,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.s2_api = environment.url("VLABIB_S2_API", environment.S2_API).rstrip("/")
        self.dblp_api = environment.url("VLABIB_DBLP_API", environment.DBLP_API).rstrip("/")
        timeout = environment.seconds("VLABIB_TIMEOUT", 30.0, positive=True)
        # Semantic Scholar: 1 request a second (with or without a key); DBLP asks for restraint.
        self.s2 = Http(
            "Semantic Scholar",
            delay=environment.seconds("VLABIB_S2_DELAY", 1.0),
            timeout=timeout,
            sleep=sleep or time.sleep,
        )
        self.dblp = Http(
            "DBLP",
            delay=environment.seconds("VLABIB_DBLP_DELAY", 1.0),
            timeout=timeout,
            sleep=sleep or time.sleep,
        )
        key = environment.text("VLABIB_S2_KEY", "SEMANTIC_SCHOLAR_API_KEY")
        self.s2_headers = {"x-api-key": key} if key else {}
        root = environment.cache_dir()
        self.s2_cache = Cache(root / "s2", refresh=refresh)
        self.dblp_cache = Cache(root / "dblp", refresh=refresh)

    def semantic_scholar(self, arxiv_ids: Sequence[str]) -> dict[str, Claim | None]:
        out: dict[str, Claim | None] = {}
        todo = []
        for ident in arxiv_ids:
            hit, value = self.s2_cache.get(ident)
            if hit:
                out[ident] = _claim_from_json(value)
            else:
                todo.append(ident)
        for start in range(0, len(todo), S2_BATCH):
            batch = todo[start : start + S2_BATCH]
            url = f"{self.s2_api}/paper/batch?fields={S2_FIELDS}"
            body = self.s2.request(
                url, json_body={"ids": [f"arXiv:{i}" for i in batch]}, headers=self.s2_headers
            )
            for ident, claim in parse_s2_batch(body, batch).items():
                self.s2_cache.put(ident, _claim_to_json(claim))
                out[ident] = claim
        return out

    def dblp_record(self, key: str) -> Claim | None:
        hit, value = self.dblp_cache.get("rec:" + key)
        if hit:
            return _claim_from_json(value)
        try:
            claim: Claim | None = parse_dblp_record(
                self.dblp.request(f"{self.dblp_api}/rec/{urllib.parse.quote(key)}.xml")
            )
        except NetworkError as exc:
            if "HTTP 404" not in str(exc):
                raise
            claim = None
        self.dblp_cache.put("rec:" + key, _claim_to_json(claim))
        return claim

    def dblp_search(self, title: str) -> list[Claim]:
        hit, value = self.dblp_cache.get("q:" + title)
        if hit:
            return [c for c in map(_claim_from_json, value) if c]
        query = urllib.parse.urlencode({"q": title, "format": "json", "h": "10"})
        claims = parse_dblp_search(self.dblp.request(f"{self.dblp_api}/search/publ/api?{query}"))
        self.dblp_cache.put("q:" + title, [_claim_to_json(c) for c in claims])
        return claims


def find(catalogs: Catalogs, preprints: Sequence[Preprint]) -> dict[str, Decision]:
    """Where each preprint was published. The order of asking: arXiv's journal-ref (the
    authors' own word), Semantic Scholar in one batch, then DBLP — the record Semantic
    Scholar names, or else a title search when nothing usable was found yet."""
    s2 = catalogs.semantic_scholar([p.key for p in preprints]) if preprints else {}
    decisions = {}
    for p in preprints:
        claims: list[Claim] = []
        ref = journal_ref_claim(p.journal_ref, p.title, p.authors, p.year)
        if ref:
            claims.append(ref)
        s2_claim = s2.get(p.key)
        if s2_claim:
            claims.append(s2_claim)
        if s2_claim and s2_claim.dblp_key:
            dblp = catalogs.dblp_record(s2_claim.dblp_key)
            claims += [dblp] if dblp else []
        elif not any(not judge(c, p.title, p.authors, p.year) for c in claims):
            claims += catalogs.dblp_search(p.title)
        decisions[p.key] = decide(claims, p.title, p.authors, p.year)
    return decisions
