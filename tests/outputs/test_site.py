"""The survey's website in a real browser: Debian's chromium driven by Playwright (launched by
its path; no browser is ever downloaded), from file://, as a reader uses it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import runner
from tests.helpers import DATA, REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DOCS = REPO / "docs" / "site"


def test_chromium_is_installed() -> None:
    """No silent skips: `make test` installs Debian's chromium (scripts/browser.sh)."""
    assert Path(CHROMIUM).is_file(), "install chromium: bash scripts/browser.sh"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site") / "vla107"
    shutil.copytree(DATA / "vla107", root)
    result = runner(root)("build")
    assert result.exit_code == 0, result.output
    return root / "site"


class Cards(HTMLParser):
    """Each paper element's text, as the server wrote it (independent of the page's JS)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.key = ""
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.key:
            self.depth += tag == "article"
        elif tag == "article":
            self.key = dict(attrs).get("data-key") or ""
            self.texts[self.key] = ""

    def handle_endtag(self, tag: str) -> None:
        if self.key and tag == "article":
            self.key = "" if self.depth == 0 else self.key
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if self.key:
            self.texts[self.key] += data


def card_texts(site: Path) -> dict[str, str]:
    parser = Cards()
    parser.feed((site / "index.html").read_text())
    return {k: " ".join(v.lower().split()) for k, v in parser.texts.items()}


def papers(site: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((site / "papers.json").read_text())["papers"]
    return data


def open_page(browser: Browser, url: str, **options: Any) -> tuple[Page, list[str], list[str]]:
    context = browser.new_context(**options)
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return page, errors, requests


def visible_keys(page: Page) -> list[str]:
    keys: list[str] = page.eval_on_selector_all(
        "[data-key]", "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.key)"
    )
    return keys


def test_every_paper_is_on_the_page_and_nothing_leaves_file(site: Path, browser: Browser) -> None:
    page, errors, requests = open_page(browser, (site / "index.html").as_uri())
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
    assert page.locator("[data-key]").count() == len(papers(site)) == 107
    assert page.locator("[aria-live]").inner_text() == "107 of 107 papers"
    keys = [p["key"] for p in papers(site)]
    assert sorted(visible_keys(page)) == sorted(keys)


def test_searching_a_leaf_name_finds_every_paper_filed_there(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri())
    texts = card_texts(site)
    for leaf, title in (
        ("quantization", "Quantization"),
        ("mixture-of-experts", "Mixture-of-Experts"),
    ):
        page.fill("input[type=search]", title)
        shown = set(visible_keys(page))
        filed = {p["key"] for p in papers(site) if leaf in p["leaves"]}
        assert filed <= shown
        assert shown == {k for k, t in texts.items() if title.lower() in t}
        assert page.locator("[aria-live]").inner_text() == f"{len(shown)} of 107 papers"
    assert errors == []


def test_filter_then_expand_shows_that_papers_own_abstract(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri())
    page.check("input[name=leaf][value=layer-pruning]")
    shown = visible_keys(page)
    by_key = {p["key"]: p for p in papers(site)}
    assert set(shown) == {k for k, p in by_key.items() if "layer-pruning" in p["leaves"]}
    with_abstract = [k for k in shown if by_key[k]["abstract"]]
    key = with_abstract[-1]
    card = page.locator(f"[data-key='{key}']")
    card.locator("summary", has_text="Abstract").click()
    assert card.locator("details p").inner_text() == by_key[key]["abstract"]
    assert errors == []


def test_the_state_is_in_the_url_and_survives_a_reload(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri())
    page.fill("input[type=search]", "token")
    page.check("input[name=year][value='2025']")
    page.select_option("#sort", "title")
    assert re.search(r"\?q=token&year=2025&sort=title$", page.url)
    count = page.locator("[aria-live]").inner_text()
    order = visible_keys(page)
    page.reload()
    assert page.input_value("input[type=search]") == "token"
    assert page.is_checked("input[name=year][value='2025']")
    assert page.locator("[aria-live]").inner_text() == count
    assert visible_keys(page) == order
    page.click("#clear")
    assert page.locator("[aria-live]").inner_text() == "107 of 107 papers"
    assert errors == []


def test_copy_puts_that_papers_bibtex_on_the_clipboard(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri())
    page.add_init_script("")
    page.evaluate("""() => { window.__copied = null;
        navigator.clipboard.writeText = async text => { window.__copied = text; }; }""")
    entry = papers(site)[3]
    card = page.locator(f"[data-key='{entry['key']}']")
    card.locator("summary", has_text="BibTeX").click()
    card.locator("button.copy").click()
    assert page.evaluate("() => window.__copied") == entry["bibtex"]
    assert card.locator("button.copy").inner_text() == "Copied"
    assert errors == []


def test_a_phone_has_no_horizontal_scroll(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(
        browser, (site / "index.html").as_uri(), viewport={"width": 390, "height": 844}
    )
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("summary", has_text="BibTeX").first.click()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []


def test_dark_scheme_and_no_javascript(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri(), color_scheme="dark")
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == (
        "rgb(13, 17, 23)"
    )
    page, _, _ = open_page(browser, (site / "index.html").as_uri(), java_script_enabled=False)
    assert page.locator("[data-key]").count() == 107
    assert len(visible_keys(page)) == 107  # everything shows without the script
    assert errors == []


def test_screenshots_for_the_readme(site: Path, browser: Browser, tmp_path: Path) -> None:
    """What a reader sees: light, dark and phone. Saved under docs/site/ when they are not
    there yet or with VLABIB_SCREENSHOTS=update (anti-aliasing varies by a few pixels from
    run to run: a plain test run leaves the committed images alone)."""
    update = os.environ.get("VLABIB_SCREENSHOTS") == "update" or not (DOCS / "light.png").exists()
    folder = DOCS if update else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    url = (site / "index.html").as_uri() + "?q=quantization"
    shots: dict[str, dict[str, Any]] = {
        "light": {"color_scheme": "light"},
        "dark": {"color_scheme": "dark"},
        "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2},
    }
    for name, options in shots.items():
        options.setdefault("viewport", {"width": 1280, "height": 900})
        page, errors, _ = open_page(browser, url, **options)
        page.screenshot(path=str(folder / f"{name}.png"))
        assert errors == []
        assert (folder / f"{name}.png").stat().st_size > 10_000


def test_papers_json_matches_its_schema(site: Path) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--schemafile",
            str(REPO / "schemas" / "papers.schema.json"),
            str(site / "papers.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pages_workflow_is_valid(site: Path) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(REPO / ".github" / "workflows" / "pages.yml"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hostile_text_is_text_on_the_page(tmp_path: Path, browser: Browser) -> None:
    root = tmp_path / "survey"
    shutil.copytree(DATA / "survey", root)
    bib = root / "refs" / "papers.bib"
    hostile = "{<script>alert(1)</script> \\textless{}img src=x onerror=alert(2)> Palu: Compressing"
    bib.write_text(bib.read_text().replace("{Palu: Compressing", hostile, 1))
    assert runner(root)("build").exit_code == 0
    assert not (root / "site").exists()  # a survey opts in to its website
    config = root / "vlabib.toml"
    config.write_text(config.read_text() + 'site = "site"\n')
    assert runner(root)("build").exit_code == 0
    page, errors, requests = open_page(browser, (root / "site" / "index.html").as_uri())
    card = page.locator("[data-key='2407.21118']")
    assert "<script>alert(1)</script>" in card.locator("h2").inner_text()
    assert page.locator("img").count() == 0
    assert errors == []
    assert all(url.startswith("file://") for url in requests)


def axe_violations(page: Page) -> list[str]:
    """axe-core's findings on the page as it stands (every rule it runs by default)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, {v['nodes'][0]['target']})" for v in found
    ]


SCREENS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_axe_finds_nothing(site: Path, browser: Browser, scheme: str, screen: str) -> None:
    page, errors, _ = open_page(
        browser, (site / "index.html").as_uri(), color_scheme=scheme, **SCREENS[screen]
    )
    assert axe_violations(page) == []
    page.locator("summary", has_text="BibTeX").first.click()
    if screen == "phone":
        page.click("#filters-toggle")
    assert axe_violations(page) == []  # opened parts too
    assert errors == []


def test_a_phone_shows_papers_first_and_filters_on_request(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri(), **SCREENS["phone"])
    first = page.locator("#papers .paper").first.bounding_box()
    assert first is not None
    assert first["y"] < 844  # a paper on the first screen
    assert not page.locator("#venue-filter").is_visible()
    assert page.get_attribute("#filters-toggle", "aria-expanded") == "false"
    page.click("#filters-toggle")
    assert page.locator("#venue-filter").is_visible()
    assert page.get_attribute("#filters-toggle", "aria-expanded") == "true"
    assert errors == []


def test_the_venue_filter_names_venues_with_their_counts(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri())
    venues: dict[str, int] = {}
    for p in papers(site):
        name = (
            re.sub(r"\s*\d{4}$", "", p["venue"])
            if p["venue"] and not p["venue"].startswith("arXiv preprint")
            else ("arXiv" if p["arxiv_id"] else "Other")
        )
        venues[name] = venues.get(name, 0) + 1
    labels = [t.strip() for t in page.locator("#venue-filter label").all_inner_texts()]
    assert sorted(labels) == sorted(f"{v} {n}" for v, n in venues.items())
    page.check("input[name=venue][value=ICLR]")
    assert len(visible_keys(page)) == venues["ICLR"]
    assert re.search(r"\?venue=ICLR$", page.url)
    assert errors == []


@pytest.mark.parametrize("sort", ["newest", "oldest", "title", "list"])
def test_every_sort_is_a_sort(site: Path, browser: Browser, sort: str) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri() + f"?sort={sort}")
    shown = page.eval_on_selector_all(
        "#papers .paper", "els => els.map(e => [e.dataset.date, e.dataset.title])"
    )
    dates, titles = [d for d, _ in shown], [t for _, t in shown]
    wanted = {
        "newest": dates == sorted(dates, reverse=True),
        "oldest": dates == sorted(dates),
        "title": titles == sorted(titles, key=str.lower) or len(set(titles)) == len(titles),
        "list": [p["key"] for p in papers(site)] == visible_keys(page),
    }
    assert wanted[sort]
    assert errors == []


def test_the_keyboard_reaches_search_sort_and_filters(site: Path, browser: Browser) -> None:
    page, errors, _ = open_page(browser, (site / "index.html").as_uri())
    focused = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate("() => document.activeElement.id || document.activeElement.name")
        )
        if "venue" in focused:
            break
    assert {"q", "sort", "clear", "leaf", "year", "venue"} <= set(focused)
    page.focus("#q")
    page.keyboard.type("quantization")
    assert page.locator("[aria-live]").inner_text() != "107 of 107 papers"
    assert errors == []


def test_cite_this_survey_and_leaves_of_one_title(tmp_path: Path, browser: Browser) -> None:
    root = tmp_path / "survey"
    shutil.copytree(DATA / "survey", root)
    (root / "CITATION.bib").write_text("@article{us2026, title = {Our Survey}, year = {2026}}\n")
    taxonomy = root / "refs" / "taxonomy.toml"
    taxonomy.write_text(
        taxonomy.read_text()
        .replace('title = "Low-Rank"', 'title = "Others"')
        .replace('title = "Evaluation"', 'title = "Others"')
    )
    config = root / "vlabib.toml"
    config.write_text(config.read_text() + 'site = "site"\ncitation = "CITATION.bib"\n')
    assert runner(root)("build").exit_code == 0
    page, errors, _ = open_page(browser, (root / "site" / "index.html").as_uri())
    page.locator("summary", has_text="Cite this survey").click()
    assert page.locator(".cite pre").inner_text().startswith("@article{us2026,")
    labels = [t.strip() for t in page.locator("#leaf-filter label").all_inner_texts()]
    assert sum(label.startswith("Others") for label in labels) == 2
    assert len({label for label in labels if label.startswith("Others")}) == 2  # told apart
    assert errors == []
