from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DATA
from tests.servers import FakeArxiv, Reply
from vlabib.errors import NetworkError
from vlabib.remote.arxiv import Client, parse_feed
from vlabib.remote.entries import from_record, github_url

ARXIV = DATA / "arxiv"


def test_parse_recorded_feed() -> None:
    (record,) = parse_feed((ARXIV / "id_list-1605.08386.xml").read_bytes()).values()
    assert record.id == "1605.08386"
    assert record.version == 1
    assert record.title == "Heat-bath random walks with Markov bases"
    assert record.authors == ("Caprice Stanley", "Tobias Windisch")
    assert record.published == "2016-05-26"
    assert record.primary_class == "math.CO"
    assert record.comment == "20 pages, 3 figures"


def test_parse_legacy_feed_with_wrapped_title_doi_and_journal_ref() -> None:
    (record,) = parse_feed((ARXIV / "id_list-1111.2011v2.legacy-2016.xml").read_bytes()).values()
    assert record.id == "1111.2011"
    assert record.version == 2
    assert record.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert record.doi == "10.1103/PhysRevB.85.115117"
    assert record.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert record.published == "2011-11-08"
    assert record.updated == "2012-04-02"


def test_parse_ten_entry_search_feed() -> None:
    records = parse_feed((ARXIV / "search_query-testing.10-entries.xml").read_bytes())
    assert len(records) == 10
    assert records["1205.1866"].doi == "10.5121/vlsic.2012.3205"


def test_missing_id_is_simply_absent() -> None:
    records = parse_feed((ARXIV / "id_list-0808.05394,1707.08567.missing-id.xml").read_bytes())
    assert list(records) == ["1707.08567"]
    assert records["1707.08567"].authors[4] == "Peter H. N. de With"


def test_error_entry_is_a_clear_error() -> None:
    with pytest.raises(
        NetworkError, match="arXiv rejected the request: incorrect id format for abc"
    ):
        parse_feed((ARXIV / "id_list-abc.http400-error.xml").read_bytes())


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>", id="truncated"),
        pytest.param(b"Rate exceeded.", id="plain-text"),
        pytest.param(b"", id="empty"),
    ],
)
def test_malformed_feeds(data: bytes) -> None:
    with pytest.raises(NetworkError, match="malformed or truncated"):
        parse_feed(data)


def test_record_to_canonical_entry() -> None:
    records = parse_feed((ARXIV / "id_list-0808.05394,1707.08567.missing-id.xml").read_bytes())
    paper = from_record(records["1707.08567"], ["token-pruning"])
    assert paper.fields["title"] == (
        "Proceedings of Workshop {AEW10}: Concepts in Information Theory and Communications"
    )
    authors = paper.authors
    assert authors[0] == "Immink, Kees A. Schouhamer"  # BibTeX's reading of the name as given
    assert "de With, Peter H. N." in authors
    assert "van der Putten, Joost" in authors
    assert 'W{\\"u}bben, Dirk' in authors
    assert (paper.fields["year"], paper.fields["month"]) == ("2017", "jul")
    assert paper.fields["primaryclass"] == "cs.IT"
    assert paper.fields["url"] == "https://arxiv.org/abs/1707.08567"
    assert paper.fields["arxivcomment"].startswith("44 pages")
    assert "shortname" not in paper.fields  # "Proceedings of Workshop AEW10" is no method name


def test_github_url_from_abstract_or_comment() -> None:
    assert github_url("Code: https://github.com/OpenHelix-Team/VLA-Adapter.") == (
        "https://github.com/OpenHelix-Team/VLA-Adapter"
    )
    assert github_url("none", "see https://github.com/a/b.git, or not") == "https://github.com/a/b"
    assert github_url("https://gitlab.com/a/b") == ""


def client(server: FakeArxiv, tmp_path: Path, refresh: bool = False) -> tuple[Client, list[float]]:
    """A client whose clock only moves when it sleeps: its waits are exact and instant."""
    sleeps: list[float] = []
    now = [1000.0]

    def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 6))
        now[0] += seconds

    c = Client(
        server.api,
        delay=3.0,
        timeout=5,
        cache=tmp_path,
        refresh=refresh,
        sleep=sleep,
        clock=lambda: now[0],
    )
    return c, sleeps


def test_batches_of_100_with_max_results_by_post(tmp_path: Path) -> None:
    ids = [f"2501.{n:05d}" for n in range(1, 251)]
    with FakeArxiv({}, any_id=True) as server:
        c, sleeps = client(server, tmp_path)
        records = c.fetch(ids)
        assert list(records) == ids
        assert [len(batch) for batch in server.asked_ids()] == [100, 100, 50]
        assert [r.params["max_results"] for r in server.requests] == ["100", "100", "50"]
        assert {r.method for r in server.requests} == {"POST"}
        assert server.requests[0].headers["User-Agent"].startswith("vlabib/")
        # Paced: before the 2nd and 3rd request it waited (almost) the whole delay.
        assert sleeps == [3.0, 3.0]
        # Cached: asking again costs nothing; --refresh asks again.
        assert c.fetch(ids[:120]) == {i: records[i] for i in ids[:120]}
        assert len(server.requests) == 3
        fresh, _ = client(server, tmp_path, refresh=True)
        fresh.fetch(ids[:120])
        assert len(server.requests) == 5


def test_cache_files_are_per_paper_json(tmp_path: Path) -> None:
    with FakeArxiv({}, any_id=True) as server:
        c, _ = client(server, tmp_path)
        c.fetch(["2501.00001", "cs/0112017"])
    (path,) = (tmp_path / "arxiv").glob("cs_0112017.*.json")
    stored = json.loads(path.read_text())
    assert stored["title"] == "Paper cs/0112017"


def test_retries_then_succeeds_honouring_retry_after(tmp_path: Path) -> None:
    with FakeArxiv({}, any_id=True) as server:
        server.script = [
            Reply(503),
            Reply(429, headers={"Retry-After": "7"}),
            Reply(200, b"Rate exceeded."),
        ]
        c, sleeps = client(server, tmp_path)
        assert list(c.fetch(["2501.00001"])) == ["2501.00001"]
        assert len(server.requests) == 4
    # Backoff: 3 s after the 503, Retry-After's 7 s after the 429, 12 s after 'Rate exceeded.';
    # pacing adds nothing, the backoff already waited longer than the delay.
    assert sleeps == [3.0, 7.0, 12.0]


def test_gives_up_after_bounded_attempts(tmp_path: Path) -> None:
    with FakeArxiv({}, any_id=True) as server:
        server.script = [Reply(503)] * 10
        c, _ = client(server, tmp_path)
        with pytest.raises(NetworkError, match=r"arXiv answered HTTP 503 .* \(4 attempts\)"):
            c.fetch(["2501.00001"])
        assert len(server.requests) == 4
