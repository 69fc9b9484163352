"""``vlabib add`` and ``vlabib import`` against a loopback arXiv API."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import Run
from tests.helpers import DATA, snapshot
from tests.servers import FakeArxiv, Reply
from vlabib import bib
from vlabib.listimport.markdown import parse_list
from vlabib.names import display_name
from vlabib.outputs.readme import region
from vlabib.tex.read import latex_to_text

SEED = DATA / "efficient-vla-survey.2025-09-17.seed.md"
TABLE = DATA / "efficient-vla-survey.2026-06-23.md"


def bib_lines(root: Path) -> list[str]:
    return (root / "refs" / "papers.bib").read_text().splitlines()


def test_add_a_new_paper(run: Run, survey: Path, arxiv: FakeArxiv) -> None:
    result = run("add", "https://arxiv.org/abs/1605.08386v1", "-c", "token-eviction")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "added 1, updated 0, unchanged 0"
    (paper,) = [p for p in bib.load(survey / "refs" / "papers.bib") if p.key == "1605.08386"]
    assert paper.fields == {
        "title": "Heat-bath random walks with Markov bases",
        "author": "Stanley, Caprice and Windisch, Tobias",
        "year": "2016",
        "month": "may",
        "eprint": "1605.08386",
        "archiveprefix": "arXiv",
        "primaryclass": "math.CO",
        "url": "https://arxiv.org/abs/1605.08386",
        "arxivcomment": "20 pages, 3 figures",
        "keywords": "token-eviction",
        "abstract": "Graphs on lattice points are studied whose edges come from a finite set of "
        "allowed moves of arbitrary length. We show that the diameter of these graphs on fibers "
        "of a fixed integer matrix can be bounded from above by a constant. We then study the "
        "mixing behaviour of heat-bath random walks on these graphs. We also state explicit "
        "conditions on the set of moves so that the heat-bath random walk, a generalization of "
        "the Glauber dynamics, is an expander in fixed dimension.",
    }
    assert arxiv.asked_ids() == [["1605.08386"]]
    assert run("fmt", "--check").exit_code == 0


def test_add_merges_keeping_hand_set_fields(run: Run, survey: Path, arxiv: FakeArxiv) -> None:
    before = {p.key: p for p in bib.load(survey / "refs" / "papers.bib")}["2306.14048"]
    result = run("add", "arXiv:2306.14048v2", "-c", "merging")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "added 0, updated 1, unchanged 0"
    after = {p.key: p for p in bib.load(survey / "refs" / "papers.bib")}["2306.14048"]
    assert after.categories == ("merging", "token-eviction")
    for name in ("venue", "code", "shortname", "title", "author"):
        assert after.fields[name] == before.fields[name]
    again = run("add", "2306.14048", "-c", "merging")
    assert again.output.splitlines()[-1] == "added 0, updated 0, unchanged 1"


def test_code_and_name_options_win(run: Run, survey: Path, arxiv: FakeArxiv) -> None:
    result = run("add", "2306.14048", "--code", "https://github.com/x/y", "--name", "HëavyHitter")
    assert result.exit_code == 0, result.output
    paper = {p.key: p for p in bib.load(survey / "refs" / "papers.bib")}["2306.14048"]
    assert (paper.code, paper.shortname) == ("https://github.com/x/y", 'H{\\"e}avyHitter')
    assert run("fmt", "--check").exit_code == 0
    two = run("add", "2306.14048", "2404.14469", "--name", "X")
    assert two.exit_code == 1
    assert "give exactly one ID" in two.stderr


def test_every_accepted_form_becomes_one_request(run: Run, arxiv: FakeArxiv) -> None:
    result = run(
        "add",
        "2404.14469",
        "2404.14469v2",
        "arXiv:2306.14048",
        "https://arxiv.org/pdf/2305.17118v1.pdf",
        "https://www.arxiv.org/html/2210.09461v3",
        "-c",
        "evaluation",
        "--dry-run",
    )
    assert result.exit_code == 0, result.output
    assert arxiv.asked_ids() == [["2404.14469", "2306.14048", "2305.17118", "2210.09461"]]
    assert "dry run: added 0, updated 4, unchanged 0" in result.output


def test_dry_run_writes_nothing(run: Run, survey: Path, arxiv: FakeArxiv) -> None:
    before = snapshot(survey, "refs")
    result = run("add", "1605.08386", "-c", "token-eviction", "--dry-run")
    assert "would be added 1605.08386" in result.output
    assert snapshot(survey, "refs") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["abc", "2509.1", "2404.14469", "-c", "token-eviction"],
            "Error: not an arXiv ID or URL: 'abc', '2509.1' (expected e.g. 2509.09372, "
            "arXiv:2509.09372v2, cs/0112017 or an arxiv.org abs/pdf/html URL)\n",
            id="bad-ids-all-named",
        ),
        pytest.param(
            ["1605.08386", "-c", "token-evicton", "-c", "tokens"],
            "Error: unknown category: token-evicton is not a taxonomy leaf (did you mean "
            "token-eviction?); tokens is not a taxonomy leaf — see 'vlabib stats'\n",
            id="unknown-category",
        ),
        pytest.param(
            ["1605.08386", "-c", "methods"],
            "Error: unknown category: methods is a heading with sub-headings (use one of: "
            "token-eviction, merging, low-rank, quantization, prompt-compression) — see "
            "'vlabib stats'\n",
            id="inner-node",
        ),
    ],
)
def test_bad_arguments_fail_before_any_request(
    run: Run, survey: Path, arxiv: FakeArxiv, args: list[str], message: str
) -> None:
    before = snapshot(survey, "refs")
    result = run("add", *args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert arxiv.requests == []
    assert snapshot(survey, "refs") == before


TRUNCATED = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arx'


@pytest.mark.parametrize(
    ("script", "args", "message"),
    [
        pytest.param(
            [Reply(429, headers={"Retry-After": "600"})],
            ["1605.08386"],
            "arXiv answered HTTP 429 Too Many Requests and asks to wait 600 s; try again later",
            id="429-retry-after-too-long",
        ),
        pytest.param(
            [Reply(200, b"Rate exceeded.")] * 4,
            ["1605.08386"],
            "arXiv answered 'Rate exceeded.' (4 attempts); try again later",
            id="rate-exceeded",
        ),
        pytest.param(
            [Reply(400, (DATA / "arxiv" / "id_list-abc.http400-error.xml").read_bytes())],
            ["1605.08386"],
            "arXiv rejected the request: incorrect id format for abc",
            id="http-400-error-entry",
        ),
        pytest.param(
            [],
            ["--strict", "2509.99999", "1707.08567", "1605.08386"],
            "arXiv has no paper 2509.99999; check the ID",
            id="missing-from-feed-strict",
        ),
        pytest.param(
            [Reply(200, TRUNCATED)],
            ["1605.08386"],
            "arXiv sent a malformed or truncated response (XML error at line 1); try again later",
            id="truncated-xml",
        ),
    ],
)
def test_failures_are_clear_and_write_nothing(
    run: Run,
    survey: Path,
    arxiv: FakeArxiv,
    script: list[Reply],
    args: list[str],
    message: str,
) -> None:
    arxiv.script = list(script)
    before = snapshot(survey, "refs")
    result = run("add", *args, "-c", "token-eviction")
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(survey, "refs") == before


def test_unknown_ids_are_named_and_the_rest_are_added(
    run: Run, survey: Path, arxiv: FakeArxiv
) -> None:
    """One unknown ID among three: the two others are written, the one is named, exit 1."""
    result = run("add", "2509.99999", "1707.08567", "1605.08386", "-c", "token-eviction")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 2509.99999: arXiv has no paper by this ID (withdrawn, or mistyped)\n"
        "Error: 1 paper could not be fetched (above); everything else was written (--strict "
        "writes nothing when any paper fails)\n"
    )
    assert result.stdout.splitlines() == [
        "added 1707.08567",
        "added 1605.08386",
        "added 2, updated 0, unchanged 0, failed 1",
    ]
    keys = {p.key for p in bib.load(survey / "refs" / "papers.bib")}
    assert {"1605.08386", "1707.08567"} <= keys
    assert "2509.99999" not in keys


def test_503_then_200_is_retried_and_succeeds(run: Run, survey: Path, arxiv: FakeArxiv) -> None:
    arxiv.script = [Reply(503)]
    result = run("add", "1605.08386", "-c", "token-eviction")
    assert result.exit_code == 0, result.output
    assert len(arxiv.requests) == 2
    assert "1605.08386" in {p.key for p in bib.load(survey / "refs" / "papers.bib")}


@pytest.mark.slow
def test_429_retry_after_is_honoured(run: Run, arxiv: FakeArxiv) -> None:
    arxiv.script = [Reply(429, headers={"Retry-After": "1"})]
    result = run("add", "1605.08386", "-c", "token-eviction")
    assert result.exit_code == 0, result.output
    first, second = arxiv.requests
    assert second.at - first.at >= 1.0  # the server saw the client wait as asked


def test_connection_refused(run: Run, survey: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VLABIB_ARXIV_API", "http://127.0.0.1:9/api/query")
    before = snapshot(survey, "refs")
    result = run("add", "1605.08386", "-c", "token-eviction")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: cannot reach arXiv at http://127.0.0.1:9/api/query: connection refused"
    )
    assert snapshot(survey, "refs") == before


@pytest.mark.slow
def test_server_slower_than_the_timeout(
    run: Run, survey: Path, arxiv: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VLABIB_ARXIV_TIMEOUT", "0.2")
    arxiv.script = [Reply(stall=1.0)] * 4
    before = snapshot(survey, "refs")
    result = run("add", "1605.08386", "-c", "token-eviction")
    assert result.exit_code == 1
    assert (
        result.stderr == "Error: arXiv did not answer within 0.2 s (4 attempts); try again later\n"
    )
    assert snapshot(survey, "refs") == before


def test_ctrl_c_during_the_fetch_writes_nothing(survey: Path, arxiv: FakeArxiv) -> None:
    arxiv.script = [Reply(stall=30)]
    before = snapshot(survey, "refs")
    env = {**os.environ, "VLABIB_ARXIV_API": arxiv.api}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vlabib",
            "-C",
            str(survey),
            "add",
            "1605.08386",
            "-c",
            "evaluation",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not arxiv.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert arxiv.requests, "the fetch never started"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert err == "Error: interrupted; every file is either fully written or as it was\n"
    assert snapshot(survey, "refs") == before


def test_many_new_ids_cost_one_request_per_hundred(
    run: Run, survey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [f"2501.{n:05d}" for n in range(1, 151)]
    with FakeArxiv({}, any_id=True) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = run("add", *ids, "-c", "evaluation")
        assert result.exit_code == 0, result.output
        assert len(server.requests) == math.ceil(len(ids) / 100)
        assert "added 150" in result.output
        # Cached: the same IDs again, and with a new one, cost only what is new.
        assert run("add", *ids, "-c", "merging").exit_code == 0
        assert len(server.requests) == 2
        assert run("add", *ids, "2501.99999", "-c", "evaluation").exit_code == 0
        assert server.asked_ids()[-1] == ["2501.99999"]


# -- import -----------------------------------------------------------------------------------


def test_import_seed_list_into_a_new_survey(run: Run, survey: Path, arxiv: FakeArxiv) -> None:
    (survey / "refs" / "papers.bib").unlink()
    (survey / "refs" / "taxonomy.toml").unlink()
    result = run("import", str(SEED))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "added 32, updated 0, unchanged 0"
    assert len(arxiv.requests) == 1
    imported = {p.key: p for p in bib.load(survey / "refs" / "papers.bib")}
    seed = {p["arxiv_id"]: p for p in json.loads((DATA / "seed-papers.json").read_text())}
    assert imported.keys() == seed.keys()
    assert sum(len(p.categories) for p in imported.values()) == 48
    for key, paper in imported.items():
        assert latex_to_text(paper.title) == seed[key]["title"], key
        assert [display_name(latex_to_text(a)) for a in paper.authors] == seed[key]["authors"]
        assert paper.get("primaryclass") == (seed[key]["primary_category"] or "")
    assert run("fmt", "--check").exit_code == 0


def test_import_without_a_taxonomy_makes_one_from_the_headings(
    run: Run, survey: Path, arxiv: FakeArxiv
) -> None:
    (survey / "refs" / "papers.bib").unlink()
    (survey / "refs" / "taxonomy.toml").unlink()
    result = run("import", str(SEED))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-2:] == [
        "wrote refs/taxonomy.toml from the list's headings",
        'set order = "list" in vlabib.toml (the list\'s own order under each heading)',
    ]
    assert (
        (survey / "vlabib.toml")
        .read_text()
        .endswith('\norder = "list"  # the list\'s own order under each heading\n')
    )
    stats = json.loads(run("stats", "--json").output)
    nodes = {n["id"]: n for n in stats["nodes"]}
    assert nodes["efficient-vlas"]["depth"] == 0
    assert nodes["token-pruning"]["own"] == 6
    assert nodes["pre-training-data"]["own"] == 0  # empty headings are kept
    assert nodes["hardward-aware-acceleration"]["own"] == 1  # the list's own spelling
    assert stats["memberships"] == 48


def test_import_offline_table_list_keeps_every_id_and_category(run: Run, survey: Path) -> None:
    (survey / "refs" / "papers.bib").unlink()
    (survey / "refs" / "taxonomy.toml").unlink()
    result = run("import", "--offline", str(TABLE))
    assert result.exit_code == 0, result.output
    assert "107 papers (0 without an arXiv ID), 1 other links (1 blog)" in result.output
    papers = {p.key: p for p in bib.load(survey / "refs" / "papers.bib")}
    # A row whose only link is a blog post is kept as the blog post it is.
    blog = papers.pop("url:ai.stanford.edu/blog/minivla")
    assert (blog.type, blog.title, blog.resource) == (
        "misc",
        "{MiniVLA}: A Better {VLA} with a Smaller Footprint",
        "blog",
    )
    rows = [i for i in parse_list(TABLE.read_text()).items if i.arxiv_id]
    assert set(papers) == {i.arxiv_id for i in rows}
    assert len(papers) == 107
    stats = json.loads(run("stats", "--json").output)
    titles = {n["title"]: n["id"] for n in stats["nodes"]}
    for row in rows:
        assert titles[row.section[-1]] in papers[row.arxiv_id].categories, row
    long_vla = papers["2508.19958"]
    assert long_vla.venue == "CoRL 2025"
    assert long_vla.get("website") == "https://long-vla.github.io/"
    assert papers["2510.26742"].code == "https://github.com/Dexmal/realtime-vla"
    # Offline entries lack authors until fetched: check says so once, naming the command.
    unfilled = [ln for ln in run("check").stderr.splitlines() if "no author" in ln]
    first = next(t for t in bib_lines(survey) if t.startswith("@misc{"))
    line = bib_lines(survey).index(first) + 1
    assert unfilled == [
        f"Warning: refs/papers.bib:{line}: 107 arXiv papers have no author (2312.01990, "
        "2403.13358, 2406.04339, …); fill them in from arXiv with 'vlabib update --fill'"
    ]


def test_import_onto_an_existing_taxonomy_maps_headings(
    run: Run, survey: Path, tmp_path: Path
) -> None:
    listing = tmp_path / "list.md"
    listing.write_text(
        "# S\n## Methods\n### Token Evicton\n"
        "- P. <ins>ICRA, 2025</ins> [[Paper](https://arxiv.org/abs/2404.14469)]\n"
        "### Nowhere\n- Q. [[Paper](https://arxiv.org/abs/2306.14048)]\n"
    )
    before = snapshot(survey, "refs")
    result = run("import", "--offline", str(listing))
    assert result.exit_code == 1
    assert f"{listing}:5: heading 'Nowhere' matches no leaf of the taxonomy" in result.stderr
    assert snapshot(survey, "refs") == before
    listing.write_text(listing.read_text().replace("### Nowhere\n", ""))
    assert run("import", "--offline", str(listing)).exit_code == 0
    papers = {p.key: p for p in bib.load(survey / "refs" / "papers.bib")}
    # 'Token Evicton' is mapped onto token-eviction; the list fills in what the bib lacks.
    assert papers["2306.14048"].categories == ("token-eviction",)
    assert papers["2404.14469"].venue == "ICRA 2025"
    assert papers["2306.14048"].venue == "NeurIPS 2023"


def test_progress_bar_when_fetching_many(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [f"2501.{n:05d}" for n in range(1, 121)]
    with FakeArxiv({}, any_id=True) as server:
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        result = run("add", *ids, "-c", "evaluation")
    assert result.exit_code == 0, result.output
    assert "Fetching from arXiv" in result.stderr
    assert result.output.splitlines()[-1] == "added 120, updated 0, unchanged 0"


def test_import_dry_run_shows_papers_and_tree_and_writes_nothing(run: Run, survey: Path) -> None:
    (survey / "refs" / "papers.bib").unlink()
    (survey / "refs" / "taxonomy.toml").unlink()
    listing = survey / "list.md"
    listing.write_text(
        "# Awesome Token Pruning\n## Contents\n- [Vision](#vision)\n## Vision\n"
        "- [**Fast Pruning of Tokens.**](https://arxiv.org/abs/2401.00001) ICLR 2024.\n"
        "- **Old Pruning** [[pdf]](https://openreview.net/forum?id=AbC12) NeurIPS 2022\n"
        "## Star History\n[![Star](https://api.star-history.com/x.svg)](https://x.org)\n"
    )
    before = sorted(p.name for p in survey.rglob("*"))
    result = run("import", "--offline", "--dry-run", str(listing))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "key                      year  venue          leaves                   title",
        "2401.00001               2024  ICLR 2024      vision                   "
        "Fast Pruning of Tokens",
        "openreview:abc12         2022  NeurIPS 2022   vision                   Old Pruning",
        "",
        "taxonomy:",
        "Token Pruning [token-pruning] 2",
        "  Vision [vision] 2",
        "2 papers (1 without an arXiv ID), 2 memberships",
        "dry run: added 2, updated 0, unchanged 0",
    ]
    assert sorted(p.name for p in survey.rglob("*")) == before


def test_import_arxiv_only_leaves_the_others_out(run: Run, survey: Path) -> None:
    (survey / "refs" / "papers.bib").unlink()
    (survey / "refs" / "taxonomy.toml").unlink()
    listing = survey / "list.md"
    listing.write_text(
        "# L\n## A\n- [Fast Pruning of Tokens](https://arxiv.org/abs/2401.00001)\n## B\n"
        "- [Old Pruning of Tokens](https://openreview.net/forum?id=AbC12)\n"
    )
    result = run("import", "--offline", "--arxiv-only", str(listing))
    assert result.exit_code == 0, result.output
    assert f"{listing}: 1 papers without an arXiv ID left out" in result.stderr.splitlines()
    assert [p.key for p in bib.load(survey / "refs" / "papers.bib")] == ["2401.00001"]


HOSTILE_LIST = """# Hostile
## Attacks
- [<script>alert(1)</script> Title](https://arxiv.org/abs/2401.00001)
- [\\<script\\>alert(2)\\</script\\> Title](https://arxiv.org/abs/2401.00006)
- [A --> B <!-- C](https://arxiv.org/abs/2401.00002)
- [\\write18{touch pwned} and \\input{/etc/passwd}](https://arxiv.org/abs/2401.00003)
- [Unbalanced { brace and } } more {](https://arxiv.org/abs/2401.00004)

| Paper | Code |
|---|---|
| [Pipes \\| in \\| cells ]] [[x](https://arxiv.org/abs/2401.00005) | - |
"""


def test_hostile_titles_in_a_list_are_text_everywhere(run: Run, survey: Path) -> None:
    (survey / "refs" / "papers.bib").unlink()
    (survey / "refs" / "taxonomy.toml").unlink()
    (survey / "list.md").write_text(HOSTILE_LIST)
    result = run("import", "--offline", str(survey / "list.md"))
    assert result.exit_code == 0, result.output
    papers = {p.key: latex_to_text(p.title) for p in bib.load(survey / "refs" / "papers.bib")}
    assert papers == {
        "2401.00001": "alert(1) Title",  # HTML in Markdown is not text (GitHub strips it)
        "2401.00006": "<script>alert(2)</script> Title",
        "2401.00002": "A --> B <!-- C",
        "2401.00003": "\\write18{touch pwned} and \\input{/etc/passwd}",
        "2401.00004": "Unbalanced { brace and } } more {",
        "2401.00005": "Pipes | in | cells",
    }
    assert run("build").exit_code == 0
    readme = (survey / "README.md").read_text()
    body = region(readme).split("\n", 1)[1]  # after the generated header's own comment
    # vlabib's own comments, first and last:
    body = body.removeprefix("<!--lint disable awesome-list-item double-link-->\n")
    body = body.removesuffix(
        "<!--lint enable awesome-list-item double-link-->\n<!-- markdownlint-enable MD013 -->\n"
    )
    assert "<script>" not in body
    assert "-->" not in body
    html = MarkdownIt("gfm-like").render(readme)
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Title" in html
    assert "<script" not in html
    assert "A --&gt; B &lt;!-- C" in html
    tex = (survey / "latex" / "generated" / "references.bib").read_text()
    assert "\\textbackslash{}write18\\textbraceleft{}touch pwned\\textbraceright{}" in tex
    assert run("check").exit_code == 0
