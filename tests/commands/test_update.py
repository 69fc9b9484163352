"""``vlabib update`` against loopback arXiv, Semantic Scholar and DBLP servers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import Run, runner
from tests.helpers import DATA
from tests.servers import (
    FakeArxiv,
    FakeDblp,
    FakeS2,
    dblp_hit,
    dblp_record,
    recorded_entries,
    s2_paper,
    seed_entries,
)
from vlabib import bib
from vlabib.cli import main
from vlabib.remote.catalogs import parse_dblp_search
from vlabib.remote.claims import Claim, decide, judge

ROBOMAMBA = (
    "RoboMamba: Efficient Vision-Language-Action Model for Robotic Reasoning and Manipulation"
)
ROBOMAMBA_AUTHORS = [
    "Jiaming Liu",
    "Mengzhen Liu",
    "Zhenyu Wang",
    "Pengju An",
    "Xiaoqi Li",
    "Kaichen Zhou",
    "Senqiao Yang",
    "Renrui Zhang",
    "Yandong Guo",
    "Shanghang Zhang",
]
CEED = "CEED-VLA: Consistency Vision-Language-Action Model with Early-Exit Decoding"
CEED_AUTHORS = [
    "Wenxuan Song",
    "Jiayi Chen",
    "Pengxiang Ding",
    "Yuxin Huang",
    "Han Zhao",
    "Donglin Wang",
    "Haoang Li",
]
SMOL = "SmolVLA: A Vision-Language-Action Model for Affordable and Efficient Robotics"
NINA = "NinA: Normalizing Flows in Action. Training VLA Models with Normalizing Flows"
FLOWER = (
    "FLOWER: Democratizing Generalist Robot Policies with Efficient Vision-Language-Action "
    "Flow Policies"
)


@pytest.fixture
def seeded(tmp_path: Path, arxiv: FakeArxiv) -> Path:
    """An empty survey into which the Efficient VLA survey's seed list (test data) was
    imported, with a cache of its own so that update asks the servers afresh."""
    root = tmp_path / "seeded"
    shutil.copytree(DATA / "survey", root)
    (root / "refs" / "papers.bib").unlink()
    (root / "refs" / "taxonomy.toml").unlink()
    result = CliRunner().invoke(
        main,
        ["-C", str(root), "import", str(DATA / "efficient-vla-survey.2025-09-17.seed.md")],
        env={"VLABIB_CACHE_DIR": str(tmp_path / "import-cache")},
    )
    assert result.exit_code == 0, result.output
    arxiv.requests.clear()
    return root


@pytest.fixture
def run_seeded(seeded: Path) -> Run:
    """``run_seeded("update")`` invokes the CLI on the seeded survey."""
    return runner(seeded)


@pytest.fixture
def services(
    monkeypatch: pytest.MonkeyPatch, arxiv: FakeArxiv
) -> Iterator[tuple[FakeS2, FakeDblp]]:
    s2 = FakeS2(
        {
            # Published: Semantic Scholar and DBLP agree (RoboMamba became NeurIPS 2024).
            "2406.04339": s2_paper(
                "2406.04339",
                ROBOMAMBA,
                ROBOMAMBA_AUTHORS,
                "Neural Information Processing Systems",
                2024,
                aliases=["Neural Inf Process Syst", "NeurIPS", "NIPS"],
                dblp="conf/nips/LiuLWALZYZGZ24",
            ),
            # Two sources disagree.
            "2506.13725": s2_paper(
                "2506.13725",
                CEED,
                CEED_AUTHORS,
                "International Conference on Learning Representations",
                2026,
                aliases=["ICLR"],
                dblp="conf/nips/SongCDHZWL25",
            ),
            # Same title, other people: not this paper.
            "2506.01844": s2_paper(
                "2506.01844",
                SMOL,
                ["Alice Example", "Bob Sample"],
                "Conference on Robot Learning",
                2025,
                aliases=["CoRL"],
            ),
            # Only a preprint server.
            "2508.16845": s2_paper("2508.16845", NINA, ["Denis Tarasov"], "arXiv.org", 2025),
            # Has a hand-set venue in the bib: must not even be asked about.
            "2509.04996": s2_paper("2509.04996", FLOWER, ["Moritz Reuss"], "ICRA", 2026),
        }
    )
    dblp = FakeDblp(
        {
            "conf/nips/LiuLWALZYZGZ24": dblp_record(
                "conf/nips/LiuLWALZYZGZ24",
                "inproceedings",
                ROBOMAMBA,
                [a + (" 0007" if a == "Jiaming Liu" else "") for a in ROBOMAMBA_AUTHORS],
                "NeurIPS",
                2024,
            ),
            "conf/nips/SongCDHZWL25": dblp_record(
                "conf/nips/SongCDHZWL25", "inproceedings", CEED, CEED_AUTHORS, "NeurIPS", 2025
            ),
        },
        [
            dblp_hit(
                "journals/corr/abs-2506-01844",
                SMOL,
                ["Mustafa Shukor"],
                "CoRR",
                2025,
                "Informal and Other Publications",
            )
        ],
    )
    # The submission case: arXiv's own journal reference says "Submitted to ICLR 2026".
    entries = {**seed_entries(), **recorded_entries()}
    entries["2509.09090"] = entries["2509.09090"].replace(
        "</entry>", "<arxiv:journal_ref>Submitted to ICLR 2026</arxiv:journal_ref></entry>"
    )
    arxiv.entries = entries
    with s2, dblp:
        monkeypatch.setenv("VLABIB_S2_API", s2.api)
        monkeypatch.setenv("VLABIB_DBLP_API", dblp.url)
        monkeypatch.setenv("VLABIB_S2_DELAY", "0")
        monkeypatch.setenv("VLABIB_DBLP_DELAY", "0")
        yield s2, dblp


def without_venue(seeded: Path, key: str) -> None:
    path = seeded / "refs" / "papers.bib"
    papers = bib.load(path)
    path.write_text(
        bib.write_string([p.replace(venue=None) if p.key == key else p for p in papers])
    )


def venue_of(seeded: Path, key: str) -> str:
    return {p.key: p for p in bib.load(seeded / "refs" / "papers.bib")}[key].venue


def test_preprint_upgraded_to_its_proceedings(
    run_seeded: Run,
    seeded: Path,
    services: tuple[FakeS2, FakeDblp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VLABIB_S2_KEY", "s2-key-123")
    without_venue(seeded, "2406.04339")
    result = run_seeded("update", "2406.04339")
    assert result.exit_code == 0, result.output
    assert "2406.04339: venue NeurIPS 2024 (Semantic Scholar, DBLP)" in result.output
    assert venue_of(seeded, "2406.04339") == "NeurIPS 2024"
    assert result.output.splitlines()[-1] == (
        "checked 1 papers, 1 venues found, 1 changes applied, 0 conflicts left for a person"
    )
    s2, dblp = services
    assert s2.requests[0].headers["Content-Type"] == "application/json"
    headers = {name.lower(): value for name, value in s2.requests[0].headers.items()}
    assert headers["x-api-key"] == "s2-key-123"  # header names are case-insensitive
    assert [r.path for r in dblp.requests] == ["/rec/conf/nips/LiuLWALZYZGZ24.xml"]
    # After build, the README shows it.
    assert run_seeded("build").exit_code == 0
    assert (
        "<ins>NeurIPS, 2024</ins> \\[[Paper](https://arxiv.org/abs/2406.04339)\\]"
        in (seeded / "README.md").read_text()
    )


def test_same_title_by_other_authors_and_preprint_servers_are_rejected(
    run_seeded: Run, seeded: Path, services: tuple[FakeS2, FakeDblp]
) -> None:
    result = run_seeded("update", "2506.01844", "2508.16845")
    assert result.exit_code == 0, result.output
    assert venue_of(seeded, "2506.01844") == ""
    assert venue_of(seeded, "2508.16845") == ""
    assert "0 venues found" in result.output
    # With nothing usable from Semantic Scholar, DBLP was searched by title: CoRR only.
    _, dblp = services
    assert any(r.path == "/search/publ/api" for r in dblp.requests)


def test_submitted_to_is_not_a_venue(
    run_seeded: Run, seeded: Path, services: tuple[FakeS2, FakeDblp]
) -> None:
    result = run_seeded("update", "2509.09090")
    assert result.exit_code == 0, result.output
    assert venue_of(seeded, "2509.09090") == ""
    paper = {p.key: p for p in bib.load(seeded / "refs" / "papers.bib")}["2509.09090"]
    assert paper.get("journalref") == "Submitted to ICLR 2026"  # kept as arXiv says, not a venue


def test_hand_set_venue_is_untouched(
    run_seeded: Run, seeded: Path, services: tuple[FakeS2, FakeDblp]
) -> None:
    path = seeded / "refs" / "papers.bib"
    papers = bib.load(path)
    path.write_text(
        bib.write_string(
            [p.replace(venue="CoRL 2025") if p.key == "2509.04996" else p for p in papers]
        )
    )
    result = run_seeded("update", "2509.04996")
    assert result.exit_code == 0
    assert venue_of(seeded, "2509.04996") == "CoRL 2025"
    s2, _ = services
    assert s2.requests == []  # a hand-set venue is not even looked up


def test_disagreeing_sources_are_reported_not_applied(
    run_seeded: Run, seeded: Path, services: tuple[FakeS2, FakeDblp]
) -> None:
    result = run_seeded("update", "2506.13725")
    assert result.exit_code == 0
    assert (
        "2506.13725: sources disagree (Semantic Scholar say ICLR 2026; DBLP say NeurIPS 2025); "
        "left for a person"
    ) in result.output
    assert "1 conflicts left for a person" in result.output
    assert venue_of(seeded, "2506.13725") == ""


def test_new_arxiv_version_title_and_authors_are_applied_and_shown(
    run_seeded: Run, seeded: Path, services: tuple[FakeS2, FakeDblp]
) -> None:
    path = seeded / "refs" / "papers.bib"
    text = path.read_text()
    text = text.replace(
        "{{RoboMamba}: Efficient Vision-Language-Action Model for Robotic",
        "{{RoboMamba}: Multimodal State Space Model for Efficient Robot",
    ).replace("Li, Xiaoqi and", "Lee, Lily and")
    path.write_text(text)
    result = run_seeded("update", "2406.04339")
    assert result.exit_code == 0, result.output
    assert (
        "2406.04339: title changed (arXiv v1)\n"
        "  - RoboMamba: Multimodal State Space Model for Efficient Robot"
        " Reasoning and Manipulation\n"
        f"  + {ROBOMAMBA}\n"
        "2406.04339: authors changed (arXiv v1)\n"
        "  - Lily Lee\n"
        "  + Xiaoqi Li\n"
    ) in result.output
    paper = {p.key: p for p in bib.load(path)}["2406.04339"]
    assert paper.title.startswith("{RoboMamba}: Efficient")
    assert paper.venue == "NeurIPS 2024"  # hand-set, kept


def test_dry_run_writes_nothing(
    run_seeded: Run, seeded: Path, services: tuple[FakeS2, FakeDblp]
) -> None:
    without_venue(seeded, "2406.04339")
    before = (seeded / "refs" / "papers.bib").read_bytes()
    result = run_seeded("update", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2406.04339: venue NeurIPS 2024" in result.output
    assert result.output.splitlines()[-1] == (
        "dry run: checked 32 papers, 2 venues found, 3 changes applied, 1 conflicts left for a "
        "person"
    )
    assert (seeded / "refs" / "papers.bib").read_bytes() == before


@pytest.mark.parametrize("service", ["VLABIB_S2_API", "VLABIB_DBLP_API"])
def test_a_service_down_fails_cleanly(
    run_seeded: Run,
    seeded: Path,
    services: tuple[FakeS2, FakeDblp],
    monkeypatch: pytest.MonkeyPatch,
    service: str,
) -> None:
    without_venue(seeded, "2406.04339")
    monkeypatch.setenv(service, "http://127.0.0.1:9")
    before = (seeded / "refs" / "papers.bib").read_bytes()
    result = run_seeded("update", "2406.04339")
    assert result.exit_code == 1
    name = "Semantic Scholar" if "S2" in service else "DBLP"
    assert result.stderr.startswith(f"Error: cannot reach {name} at http://127.0.0.1:9")
    assert (seeded / "refs" / "papers.bib").read_bytes() == before


def test_answers_are_cached_misses_included(
    run_seeded: Run, services: tuple[FakeS2, FakeDblp]
) -> None:
    assert run_seeded("update", "2406.04339", "2508.16845", "2506.01844").exit_code == 0
    s2, dblp = services
    seen = (len(s2.requests), len(dblp.requests))
    assert run_seeded("update", "2406.04339", "2508.16845", "2506.01844").exit_code == 0
    assert (len(s2.requests), len(dblp.requests)) == seen
    assert run_seeded("update", "--refresh", "2508.16845").exit_code == 0
    assert len(s2.requests) == seen[0] + 1


def test_unknown_id_is_an_error(run_seeded: Run) -> None:
    result = run_seeded("update", "2509.99999")
    assert result.exit_code == 1
    assert "not in refs/papers.bib: 2509.99999" in result.stderr


@pytest.mark.parametrize(
    ("claim", "why"),
    [
        pytest.param(
            Claim("S", "A Title", ("Wei Li",), "CoRR", 2025), "CoRR is a preprint server", id="corr"
        ),
        pytest.param(
            Claim("S", "A Title", ("Wei Li",), "Submitted to ICLR", 2025),
            "is a submission",
            id="submitted",
        ),
        pytest.param(
            Claim("S", "Another Title", ("Wei Li",), "ICRA", 2025), "title differs", id="title"
        ),
        pytest.param(
            Claim("S", "A title.", ("Ann Other",), "ICRA", 2025),
            "no author in common",
            id="authors",
        ),
        pytest.param(
            Claim("S", "A title", ("W. Li",), "ICRA", 2019), "year 2019 is implausible", id="year"
        ),
        pytest.param(Claim("S", "A  TITLE.", ("Li, Wei",), "ICRA", 2026), "", id="accepted"),
    ],
)
def test_judge(claim: Claim, why: str) -> None:
    verdict = judge(claim, "A Title", ["Wei Li", "Yu Wang"], 2025)
    assert (why in verdict) if why else verdict == ""


def test_decide_agreement_across_spellings() -> None:
    s2 = Claim(
        "Semantic Scholar",
        "T",
        ("Wei Li",),
        "Neural Information Processing Systems",
        2024,
        ("NeurIPS",),
    )
    dblp = Claim("DBLP", "T.", ("Wei Li 0001",), "NeurIPS", 2024)
    assert decide([s2, dblp], "T", ["Wei Li"], 2024).venue == "NeurIPS 2024"


def test_dblp_single_author_hit_is_an_object() -> None:
    body = b'{"result":{"hits":{"@total":"1","hit":{"info":{"authors":{"author":{"text":"Wei Li"}},'
    body += b'"title":"T.","venue":"ICRA","year":"2025","key":"conf/icra/Li25"}}}}}'
    (claim,) = parse_dblp_search(body)
    assert claim.authors == ("Wei Li",)
    assert claim.label == "ICRA 2025"
