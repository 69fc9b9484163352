"""``vlabib import REFS.bib`` on four real manuscripts (tests/data/manuscripts-wild; each
folder's SOURCE.md names its repository) and on small made-up bibs: the key map, the
rewritten citations, the way back through ``ids``, merges, repeats, and nothing written by
a dry run or a failure."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import runner
from tests.helpers import DATA
from tests.servers import FakeArxiv, entry_xml
from vlabib import bib
from vlabib.bib.fields import aliases
from vlabib.tex.read import latex_to_text
from vlabib.tex.read.cites import cites, rewritten

MANUSCRIPTS = sorted((DATA / "manuscripts-wild").glob("0*"))


def adopted(tmp_path: Path, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A fresh survey folder whose latex/ is the manuscript, before the import."""
    answers = json.loads((folder / "expected.json").read_text())
    root = tmp_path / "survey"
    prefix = str(Path(answers["bib_files"][0]).parent)  # "paper" for 06, "." for the rest
    for name in [*answers["tex_files"], *answers["bib_files"]]:
        target = root / "latex" / Path(name).relative_to(prefix)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / name, target)
    return root, answers


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def folded(title: str) -> str:
    text = unicodedata.normalize("NFKD", latex_to_text(title))
    return re.sub(r"[^a-z0-9]", "", text.lower())


@pytest.mark.parametrize("folder", MANUSCRIPTS, ids=lambda p: p.name)
def test_a_real_manuscript_comes_in_whole(tmp_path: Path, folder: Path) -> None:
    root, answers = adopted(tmp_path, folder)
    bib_name = "latex/" + Path(answers["bib_files"][0]).name
    before = tree(root)
    done = runner(root)("import", "--offline", bib_name)
    assert done.exit_code == 0, done.output
    papers = {p.key: p for p in bib.load(root / bib_name)}
    by_old = {old: p for p in papers.values() for old in aliases(p.get("ids"))}
    entries = answers["entry"]
    # Every entry, its arXiv ID its key where its fields state one, its old key in ids.
    assert set(by_old) == set(entries)
    for old, want in entries.items():
        if want["arxiv"]:
            assert by_old[old].key == want["arxiv"], old
    assert len(papers) == len(entries)  # no two entries of these four are one paper
    assert {folded(e["title"]) for e in entries.values() if e["title"]} <= {
        folded(p.title) for p in papers.values()
    }
    # Every citation now names a key of the bib; the way back through ids gives the files.
    back = {p.key: old for old, p in by_old.items() if p.key != old}
    prefix = str(Path(answers["bib_files"][0]).parent)
    for name in answers["tex_files"]:
        path = root / "latex" / Path(name).relative_to(prefix)
        text = path.read_text(encoding="utf-8")
        assert {c.key for c in cites(text)} - {"*"} <= set(papers), name
        assert rewritten(text, back)[0].encode() == before[str(path.relative_to(root))]
    assert runner(root)("build").exit_code == 0
    check = runner(root)("check")
    assert check.exit_code == 0, check.output


def test_a_dry_run_prints_the_key_map_and_writes_nothing(tmp_path: Path) -> None:
    root, _ = adopted(tmp_path, DATA / "manuscripts-wild" / "06-guzonghua-awesome-latency-attacks")
    before = tree(root)
    done = runner(root)("import", "--offline", "--dry-run", "latex/references.bib")
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert "rao2021dynamicvit -> 2106.02034" in lines
    assert "zhang2023slowbert -> doi:10_18653/v1/2023.findings-acl.634" in lines
    assert lines[-3:] == [
        "96 entries became 96 papers: 47 keyed by arXiv ID, 48 by DOI or link, 1 kept their "
        "own key",
        "would rewrite 219 citations in 1 files",
        "dry run: added 96, updated 0",
    ]
    assert tree(root) == before


BIB = r"""@string{ICLR = "International Conference on Learning Representations"}
@inproceedings{kim2024openvla,
  title = {{OpenVLA}: An Open-Source Vision-Language-Action Model},
  author = {Kim, Moo Jin and Pertsch, Karl},
  booktitle = ICLR,
  year = 2025,
  eprint = {2406.09246}, archivePrefix = {arXiv},
}
@misc{openvla,
  title = {OpenVLA: An Open-Source Vision-Language-Action Model},
  author = {Moo Jin Kim},
  howpublished = {arXiv preprint arXiv:2406.09246},
  year = {2024},
}
@article{smith1999,
  title = {A Paper Without Identifiers},
  author = {Smith, Ann},
  journal = {Journal of Things},
  year = {1999},
  keywords = {robots, old},
}
@article{smith1999,
  title = {The Same Key Again},
  year = {2000},
}
"""
TEX = r"""\documentclass{article}
\title{A Survey of Things}
\begin{document}
\section{Models}
\citep{kim2024openvla} and \citet[p.~2]{openvla, smith1999}.
% \cite{kim2024openvla} stays: a comment.
\section{Old work}
\cite{smith1999,  nowhere}
\end{document}
"""


def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    (root / "latex").mkdir(parents=True)
    (root / "latex" / "refs.bib").write_text(BIB)
    (root / "latex" / "main.tex").write_text(TEX)
    return root


def test_one_paper_under_two_keys_becomes_one_entry(tmp_path: Path) -> None:
    root = small(tmp_path)
    done = runner(root)("import", "--offline", "latex/refs.bib")
    assert done.exit_code == 0, done.output
    papers = {p.key: p for p in bib.load(root / "latex" / "refs.bib")}
    assert sorted(papers) == ["2406.09246", "smith1999"]
    openvla = papers["2406.09246"]
    assert openvla.get("ids") == "kim2024openvla, openvla"
    assert openvla.get("booktitle") == "International Conference on Learning Representations"
    assert papers["smith1999"].get("tags") == "robots, old"  # vlabib's keywords are leaves
    assert (root / "latex" / "main.tex").read_text() == TEX.replace(
        r"\citep{kim2024openvla}", r"\citep{2406.09246}"
    ).replace("{openvla, smith1999}", "{2406.09246, smith1999}")
    notes = done.stderr
    assert "latex/refs.bib:22: smith1999 is defined again (first at line 15)" in notes
    assert (
        "latex/refs.bib:11: openvla and kim2024openvla are one paper; their author fields differ "
        "('Kim, Moo Jin and Pertsch, Karl', 'Moo Jin Kim'): kept the first"
    ) in notes
    assert "their title" not in notes  # braced otherwise, the same title
    assert "latex/main.tex:8: \\cite{nowhere}: nowhere is defined in no entry of the bib" in notes
    taxonomy = (root / "refs" / "taxonomy.toml").read_text()
    assert 'title = "A Survey of Things"' in taxonomy
    assert {p.key: p.categories for p in papers.values()} == {
        "2406.09246": ("models",),
        "smith1999": ("models", "old-work"),
    }


def test_co_authors_old_keys_are_named_and_rewritten(tmp_path: Path) -> None:
    root = small(tmp_path)
    run = runner(root)
    assert run("import", "--offline", "latex/refs.bib").exit_code == 0
    assert run("build").exit_code == 0
    main = root / "latex" / "main.tex"
    main.write_text(main.read_text().replace(r"\end{document}", "\\cite{openvla}\n\\end{document}"))
    check = run("check")
    assert (
        "Error: latex/main.tex:9: openvla is 2406.09246 now; 'vlabib fmt --cites' rewrites it"
        in check.output
    )
    done = run("fmt", "--cites")
    assert "rewrote latex/main.tex: 1 citation of old keys" in done.output
    assert "\\cite{2406.09246}\n\\end{document}" in main.read_text()


def test_a_bib_that_does_not_parse_changes_nothing(tmp_path: Path) -> None:
    root = small(tmp_path)
    (root / "latex" / "refs.bib").write_text(BIB + "@article{broken,\n  title = {Open\n")
    before = tree(root)
    done = runner(root)("import", "--offline", "latex/refs.bib")
    assert done.exit_code == 1
    assert "latex/refs.bib:27: '{' is never closed" in done.output
    assert tree(root) == before


def wrapper(cited: list[str], bib_stem: str) -> str:
    """A minimal document citing *cited* in order, with BibTeX's plain style: the
    manuscripts' own classes (acmart, sig-alternate) are not what this compares."""
    body = "\n".join(f"\\cite{{{key}}}" for key in cited)
    return (
        "\\documentclass{article}\n\\usepackage{url}\n\\begin{document}\n"
        f"{body}\n\\bibliographystyle{{plain}}\n\\bibliography{{{bib_stem}}}\n\\end{{document}}\n"
    )


def bbl_titles(folder: Path, cited: list[str], bib: Path) -> tuple[int, list[str]]:
    """latexmk's exit code and the titles of the bibliography BibTeX makes for *cited* from
    *bib*, folded."""
    folder.mkdir()
    shutil.copy(bib, folder / bib.name)
    (folder / "wrapper.tex").write_text(wrapper(cited, bib.stem))
    done = subprocess.run(
        ["latexmk", "-norc", "-pdf", "-interaction=nonstopmode", "wrapper.tex"],
        cwd=folder,
        capture_output=True,
        timeout=600,
        check=False,
    )
    items = re.split(r"\\bibitem\{[^}]*\}", (folder / "wrapper.bbl").read_text())[1:]
    return done.returncode, sorted(
        folded(([*item.split("\\newblock"), ""])[1] or item) for item in items
    )


@pytest.mark.tex
@pytest.mark.parametrize("folder", MANUSCRIPTS, ids=lambda p: p.name)
def test_the_manuscript_compiles_with_the_same_references(tmp_path: Path, folder: Path) -> None:
    """Every citation of the manuscript, in a minimal wrapper, before and after the import:
    the same references (their titles, as BibTeX prints them). 02's bib has an author
    ``S\\vasa`` (an undefined command), so it does not compile before; after, that name is
    text (and named by the import), and it does."""
    root, answers = adopted(tmp_path, folder)
    bib_name = "latex/" + Path(answers["bib_files"][0]).name
    texts = sorted((root / "latex").rglob("*.tex"))

    def cited() -> list[str]:
        keys = (c.key for path in texts for c in cites(path.read_text(encoding="utf-8")))
        return list(dict.fromkeys(k for k in keys if k != "*"))

    compiled, before = bbl_titles(tmp_path / "before", cited(), root / bib_name)
    assert runner(root)("import", "--offline", bib_name).exit_code == 0
    compiles, after = bbl_titles(tmp_path / "after", cited(), root / bib_name)
    assert (compiled == 0) == (folder.name != "02-larskotthoff-assurvey")
    assert compiles == 0
    assert len(before) == len(set(cited()))
    assert after == before


def test_a_bib_into_a_survey_that_exists_goes_under_one_leaf(built: Path) -> None:
    """The survey's bib takes the entries (a paper it has keeps its fields), the manuscript
    under latex/ gets the new keys, the taxonomy stands."""
    run = runner(built)
    (built / "latex" / "extra.bib").write_text(BIB)
    intro = built / "latex" / "sections" / "intro.tex"
    intro.parent.mkdir(exist_ok=True)
    intro.write_text("As \\citet{kim2024openvla} shows.\n")
    taxonomy = (built / "refs" / "taxonomy.toml").read_bytes()
    assert run("import", "--offline", "latex/extra.bib").exit_code == 1  # where do they go?
    done = run("import", "--offline", "latex/extra.bib", "-c", "merging")
    assert done.exit_code == 0, done.output
    assert "added 2, updated 0" in done.output
    papers = {p.key: p for p in bib.load(built / "refs" / "papers.bib")}
    assert papers["2406.09246"].categories == ("merging",)
    assert intro.read_text() == "As \\citet{2406.09246} shows.\n"
    assert (built / "refs" / "taxonomy.toml").read_bytes() == taxonomy


ONLINE_BIB = r"""@article{chi2023diffusion,
  title = {Diffusion Policy: Visuomotor Policy Learning via Action Diffusion},
  author = {Chi, Cheng and Feng, Siyuan},
  journal = {RSS},
  year = {2023},
}
@inproceedings{lee2020same,
  title = {A Title Two Groups Used},
  author = {Lee, Ann},
  booktitle = {ICRA},
  year = {2020},
}
@article{nowhere2019,
  title = {A Paper arXiv Never Had},
  author = {Smith, Bo},
  journal = {J},
  year = {2019},
}
"""


def test_online_entries_are_found_by_title_and_first_author(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --offline, an entry that states no arXiv ID is looked up by its title: taken
    when arXiv's title is the same and its authors include the first author's family name;
    the same title by other authors is named for review, never taken."""
    root = tmp_path / "online"
    (root / "latex").mkdir(parents=True)
    (root / "latex" / "refs.bib").write_text(ONLINE_BIB)
    (root / "latex" / "main.tex").write_text(
        "\\documentclass{article}\\begin{document}\\section{A}"
        "\\cite{chi2023diffusion,lee2020same,nowhere2019}\\end{document}\n"
    )
    with FakeArxiv({}) as server:
        server.search_entries = [
            entry_xml(
                "2303.04137",
                "Diffusion Policy: Visuomotor Policy Learning via Action Diffusion",
                authors=("Cheng Chi", "Siyuan Feng", "Yilun Du"),
            ),
            entry_xml("2001.00001", "A title two groups used", authors=("Zed Quinn",)),
        ]
        monkeypatch.setenv("VLABIB_ARXIV_API", server.api)
        done = runner(root)("import", "latex/refs.bib")
        queries = [r.params["search_query"] for r in server.requests]
    assert done.exit_code == 0, done.output
    assert queries == [
        'ti:"Diffusion Policy Visuomotor Policy Learning via Action Diffusion" OR '
        'ti:"A Title Two Groups Used" OR ti:"A Paper arXiv Never Had"'
    ]
    papers = {p.key: p for p in bib.load(root / "latex" / "refs.bib")}
    assert sorted(papers) == ["2303.04137", "lee2020same", "nowhere2019"]
    assert papers["2303.04137"].get("ids") == "chi2023diffusion"
    assert papers["2303.04137"].get("journal") == "RSS"  # the bib's own fields kept
    assert (
        "latex/refs.bib:7: lee2020same: arXiv has this title as 2001.00001, by Zed Quinn; not "
        "taken (other authors): add eprint = {2001.00001} if it is the same paper"
    ) in done.stderr
    assert "\\cite{2303.04137,lee2020same,nowhere2019}" in (root / "latex" / "main.tex").read_text()


def test_online_lookups_that_fail_are_named_and_the_rest_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small(tmp_path)
    monkeypatch.setenv("VLABIB_ARXIV_API", "http://127.0.0.1:9/no-server-here")
    done = runner(root)("import", "latex/refs.bib")
    assert done.exit_code == 1
    assert "smith1999: cannot reach arXiv" in done.stderr
    assert sorted(p.key for p in bib.load(root / "latex" / "refs.bib")) == [
        "2406.09246",
        "smith1999",
    ]
    strict = small(tmp_path / "strict")
    before = tree(strict)
    assert runner(strict)("import", "--strict", "latex/refs.bib").exit_code == 1
    assert tree(strict) == before
