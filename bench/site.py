"""The website at size, in Debian's chromium: axe-core's findings on a real imported list
(light and dark, desktop and phone) and the load time of a 1,000-paper site from file://.

usage: .venv/bin/python bench/site.py [LIST.md]   (default: the 544-paper LLM4AD list)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

import data  # noqa: E402

VLABIB = str(Path(sys.executable).parent / "vlabib")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LIST = ROOT / "tests" / "data" / "lists-wild" / "05-Thinklab-SJTU-Awesome-LLM4AD.md"
SCREENS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
}


def imported_site(listing: Path, folder: Path) -> Path:
    """A survey made from a real list, offline, with its website."""
    shutil.copy(listing, folder / listing.name)
    (folder / "README.md").write_text(
        "# X\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
    )
    subprocess.run(
        [VLABIB, "import", "--offline", listing.name], cwd=folder, check=True, capture_output=True
    )
    with (folder / "vlabib.toml").open("a") as settings:
        settings.write('site = "site"\n')
    subprocess.run([VLABIB, "build"], cwd=folder, check=True, capture_output=True)
    return folder / "site" / "index.html"


def generated_site(n: int, folder: Path) -> Path:
    """A survey of *n* papers from the bench's realistic data, with its website."""
    survey = data.survey(n)
    (folder / "refs").mkdir()
    (folder / "refs" / "vla.bib").write_text(survey.bib)
    shutil.copy(data.TAXONOMY, folder / "refs" / "taxonomy.toml")
    (folder / "README.md").write_text(
        "# X\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n"
    )
    (folder / "vlabib.toml").write_text('site = "site"\n')
    subprocess.run([VLABIB, "build"], cwd=folder, check=True, capture_output=True)
    return folder / "site" / "index.html"


def axe_findings(browser: Browser, page_path: Path) -> dict[str, list[str]]:
    out = {}
    for scheme in ("light", "dark"):
        for screen, options in SCREENS.items():
            page = browser.new_context(color_scheme=scheme, **options).new_page()
            page.goto(page_path.as_uri())
            found = Axe().run(page).response["violations"]
            out[f"{scheme} {screen}"] = [f"{v['id']} ({len(v['nodes'])})" for v in found]
            page.context.close()
    return out


def load_seconds(browser: Browser, page_path: Path, runs: int = 5) -> float:
    """Median seconds from navigation to the load event, script done."""
    times = []
    for _ in range(runs):
        page = browser.new_context().new_page()
        page.goto(page_path.as_uri())
        script = "() => performance.getEntriesByType('navigation')[0].loadEventEnd / 1000"
        times.append(float(page.evaluate(script)))
        page.context.close()
    return statistics.median(times)


def main() -> None:
    listing = Path(sys.argv[1]) if len(sys.argv) > 1 else LIST
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        (Path(tmp) / "real").mkdir()
        real = imported_site(listing, Path(tmp) / "real")
        count = real.read_text().count('<article class="paper"')
        print(f"axe-core on {listing.name} ({count} papers):")
        for where, found in axe_findings(browser, real).items():
            print(f"  {where:14} {len(found)} violations {' '.join(found)}")
        (Path(tmp) / "big").mkdir()
        big = generated_site(1000, Path(tmp) / "big")
        size = big.stat().st_size / 2**20
        print(
            f"1,000-paper site ({size:.1f} MiB): loaded from file:// in "
            f"{load_seconds(browser, big):.2f} s (median of 5)"
        )
        browser.close()


if __name__ == "__main__":
    main()
