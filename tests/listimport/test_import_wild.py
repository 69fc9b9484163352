"""``vlabib import --offline`` on real paper lists, against their independent answers: every
arXiv ID filed under its heading, and the papers without an arXiv link kept."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import runner
from tests.helpers import DATA
from vlabib import bib
from vlabib.listimport.text import clean
from vlabib.model import Paper
from vlabib.taxonomy import load_taxonomy

WILD = DATA / "lists-wild"
FILES = sorted(p.name for p in WILD.glob("[0-9][0-9]-*.md"))
# What each import gives, exactly: papers without an arXiv ID, and taxonomy leaves.
# Per list: papers without an arXiv ID, other links kept (repositories, blog posts, videos,
# websites), and the taxonomy's leaves.
OUTCOMES = {
    "01-GT-RIPL-Awesome-LLM-Robotics.md": (12, 1, 8),
    "02-October2001-Awesome-KV-Cache-Compression.md": (3, 3, 11),
    "03-Hannibal046-Awesome-LLM.md": (9, 300, 14),
    "04-Yutong-Zhou-cv-Awesome-Text-to-Image.md": (49, 2, 3),
    "05-Thinklab-SJTU-Awesome-LLM4AD.md": (4, 2, 3),
    "06-cokeshao-Awesome-Multimodal-Token-Compression.md": (0, 0, 2),
    "07-zhengli97-Awesome-Prompt-Adapter-Learning-for-VLMs.md": (22, 0, 20),
    "08-codecaution-Awesome-Mixture-of-Experts-Papers.md": (11, 1, 11),
    "09-mbreuss-diffusion-literature-for-robotics.md": (38, 11, 12),
    "10-DWCTOD-CVPR2024-Papers-with-Code-Demo.md": (0, 0, 34),
    "13-zchoi-Awesome-Embodied-Robotics-and-Agent.md": (48, 3, 15),
    "14-Zhen-Dong-Awesome-Quantization-Papers.md": (180, 3, 9),
}


def words(title: str) -> str:
    """A title as the answers and vlabib can both spell it: letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", clean(title).lower())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each list imported (offline) into a survey of its own, once for the module."""
    out = {}
    for name in FILES:
        root = tmp_path_factory.mktemp(name[:2])
        shutil.copy(WILD / name, root / name)
        (root / "README.md").write_text(
            "# Imported\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
        )
        result = runner(root)("import", "--offline", str(root / name))
        assert result.exit_code == 0, (name, result.output)
        out[name] = root
    return out


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (WILD / "expected" / name.replace(".md", ".json")).read_text()
    )
    return data


@pytest.mark.parametrize("name", FILES)
def test_every_arxiv_id_is_filed_under_its_heading(imported: dict[str, Path], name: str) -> None:
    root = imported[name]
    papers = {p.key: p for p in bib.load(root / "refs" / "vla.bib")}
    taxonomy = load_taxonomy(root / "refs" / "taxonomy.toml", "taxonomy.toml")
    # A node's path of titles below the root, and where the root's own heading ends.
    paths = {n.id: tuple(words(x.title) for x in taxonomy.path(n.id)) for n in taxonomy}
    groups = [g for g in expected(name)["groups"] if g["ids"]]
    heading_paths = [tuple(words(t) for t in g["path"]) for g in groups]
    root_heading = heading_paths[0]
    for hp in heading_paths[1:]:
        n = 0
        while n < min(len(root_heading), len(hp)) and root_heading[n] == hp[n]:
            n += 1
        root_heading = root_heading[:n]
    for group, hp in zip(groups, heading_paths, strict=True):
        below = hp[len(root_heading) :]
        for ident in group["ids"]:
            assert ident in papers, (ident, group["path"])
            nodes = [paths[k] for k in papers[ident].categories]
            general = (*below, words(f"{group['path'][-1]} (general)"))
            # The node's path is the heading's path below the root, or — where a heading
            # above all papers also holds a list's other links — a longer tail of it.
            tails = [n for n in nodes if len(n) >= len(below) and hp[len(hp) - len(n) :] == n]
            assert tails or general in nodes, (ident, group["path"], nodes)


@pytest.mark.parametrize("name", FILES)
def test_papers_without_arxiv_links_and_other_links_are_kept(
    imported: dict[str, Path], name: str
) -> None:
    root = imported[name]
    papers = bib.load(root / "refs" / "vla.bib")
    others = [p for p in papers if not p.arxiv_id and not p.resource]
    units = expected(name)["nonarxiv_paper_units"]
    want, links, leaves = OUTCOMES[name]
    assert len(others) == want
    assert sum(bool(p.resource) for p in papers) == links
    assert len(others) >= 0.8 * len({u["line"] for u in units})
    assert all(p.get("url").startswith(("http://", "https://")) for p in others)
    taxonomy = load_taxonomy(root / "refs" / "taxonomy.toml", "taxonomy.toml")
    assert len(taxonomy.leaves) == leaves


@pytest.mark.parametrize("name", FILES)
def test_an_imported_list_builds_and_checks(imported: dict[str, Path], name: str) -> None:
    run = runner(imported[name])
    assert run("fmt", "--check").exit_code == 0
    assert run("build").exit_code == 0
    errors = [ln for ln in run("check").stderr.splitlines() if ln.startswith("Error")]
    # Titles a list gives two papers by mistake are duplicates check must point out.
    assert all("nearly the same title" in ln for ln in errors), errors


def folded(text: str) -> str:
    """Text as the answers compare it: LaTeX accents and braces out, ASCII, lower case."""
    text = re.sub(r"\\[`'\"^~=.uvHtcdbkr]\s*\{?\s*(\w)\}?", r"\1", text)
    text = text.replace("{", "").replace("}", "")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def bare_url(url: str) -> str:
    return (
        re.sub(r"^(https?:)?//(www\.)?", "", folded(url).strip()).rstrip("/").removesuffix(".git")
    )


#: Venue names the answers count as one (the scorer's aliases).
ALIASES = {
    "acm mm": ["acm mm", "acmmm", "mm"],
    "neurips": ["neurips", "nips"],
    "ra-l": ["ra-l", "ral"],
}


def kept(field: str, stated: Any, paper: Paper) -> bool:
    """Whether *paper* keeps what the list stated (the answers' rules, as the workplace's
    score-retention.py applies them)."""
    text = " ".join(v for k, v in paper.fields.items() if k != "keywords")
    words = set(re.findall(r"[a-z0-9]+", folded(text)))
    if field == "authors":
        have = set(re.findall(r"[a-z0-9]+", folded(paper.get("author"))))
        found = [n for n in stated if {w for w in re.findall(r"[a-z0-9]+", folded(n))} & have]
        return len(found) >= 0.8 * len(stated)
    if field in ("code", "links"):
        flat = re.sub(r"https?://(www\.)?", "", folded(text))
        return all(bare_url(u) in flat for u in stated)
    if field == "venue":
        name, _, year = stated.rpartition(" ")
        name = name if year.isdigit() else stated
        names = ALIASES.get(name.lower(), [name])
        return any(set(re.findall(r"[a-z0-9]+", folded(n))) <= words for n in names) and (
            not year.isdigit() or year in words
        )
    if field == "date":
        return stated[:7] in paper.get("date") or (
            paper.get("year") == stated[:4] and paper.month == int(stated[5:7])
        )
    if field == "note":
        parts = [re.sub(r"^[^:：]{1,24}[:：]\s*", "", p) for p in stated.split(" | ")]
        said = [w for w in re.findall(r"[a-z0-9]+", folded(" ".join(parts))) if len(w) > 1]
        return sum(w in words for w in said) >= 0.8 * len(said)
    assert field == "star"
    return paper.get("recommended") == "yes"


#: What an import cannot keep, by list: fields of lines that share their arXiv ID with a
#: line saying otherwise (two papers under one link: the bib has one entry for it).
LOST = {
    "01-GT-RIPL-Awesome-LLM-Robotics.md": {"links": 2, "venue": 2, "code": 2},
    "02-October2001-Awesome-KV-Cache-Compression.md": {"code": 2, "authors": 1},
    "04-Yutong-Zhou-cv-Awesome-Text-to-Image.md": {"links": 1, "authors": 1},
    "06-cokeshao-Awesome-Multimodal-Token-Compression.md": {"code": 2},
    "07-zhengli97-Awesome-Prompt-Adapter-Learning-for-VLMs.md": {"venue": 2},
    "08-codecaution-Awesome-Mixture-of-Experts-Papers.md": {"venue": 1},
    "13-zchoi-Awesome-Embodied-Robotics-and-Agent.md": {"venue": 1, "authors": 3},
}


@pytest.mark.parametrize("name", FILES)
def test_what_each_list_says_is_kept_in_the_bib(imported: dict[str, Path], name: str) -> None:
    """Every field the answers find in a list's arXiv papers (authors, code, venue, date,
    note, mark, links) is in the paper's entry, but for the papers two lines claim."""
    answers = json.loads((WILD / "expected" / name.replace(".md", ".fields.json")).read_text())
    by_id = {p.arxiv_id: p for p in bib.load(imported[name] / "refs" / "vla.bib")}
    lost: dict[str, int] = {}
    for unit in answers["units"]:
        paper = by_id.get(unit["arxiv"])
        for field, stated in unit["fields"].items() if unit["arxiv"] else ():
            if paper is None or not kept(field, stated, paper):
                lost[field] = lost.get(field, 0) + 1
    assert lost == LOST.get(name, {})
