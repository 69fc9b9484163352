"""Compile the manuscript: latexmk and pdflatex confined to the manuscript's folder.

The manuscript holds text from outside (titles, co-authors' prose), so the compile is
defence in depth behind the allow-list: no shell escape, no latexmkrc (it is Perl, and
Overleaf can send one), and kpathsea's paranoid mode, which refuses to read or write any
file given by an absolute path or through ``..``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from vlabib.errors import CompileError

PDFLATEX = "pdflatex -no-shell-escape -file-line-error %O %S"
COMMAND = (
    "latexmk",
    "-norc",
    "-pdf",
    "-recorder",
    "-interaction=nonstopmode",
    "-halt-on-error",
    f"-pdflatex={PDFLATEX}",
    # A survey of hundreds of papers settles in six runs: citation numbers widen the table
    # columns, the tables move their page breaks, the pages move the bibliography. latexmk
    # stops at five by default; nine leaves room, and a layout that truly flips still fails.
    "-e",
    "$max_repeat = 9",
)


@dataclass(frozen=True)
class Compiled:
    """A finished compile: the PDF and the log to read."""

    pdf: Path
    log: Path


def environment() -> dict[str, str]:
    """The environment for TeX: paranoid file access, shell escape off."""
    env = {k: v for k, v in os.environ.items() if k not in ("TEXMFOUTPUT", "OVERLEAF_TOKEN")}
    # Long lines unwrapped in the log, so that an error names its whole file name.
    env.update(openin_any="p", openout_any="p", shell_escape="f", max_print_line="10000")
    return env


def compile_pdf(
    folder: Path, main: str = "main.tex", *, display: str = "latex", timeout: float = 600
) -> Compiled:
    """Run latexmk on *folder*/*main*; a :class:`CompileError` names the first TeX error
    as ``DISPLAY/FILE:LINE: message``."""
    if shutil.which("latexmk") is None:
        raise CompileError(
            "latexmk is not installed; 'make tex' installs TeX Live (or run scripts/texlive.sh)"
        )
    if not (folder / main).is_file():
        raise CompileError(f"{folder / main}: no such file; 'vlabib build' writes a skeleton")
    try:
        done = subprocess.run(
            [*COMMAND, main],
            cwd=folder,
            env=environment(),
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise CompileError(f"latexmk took longer than {timeout:.0f} s; see its log") from None
    stem = main.removesuffix(".tex")
    log = folder / f"{stem}.log"
    if done.returncode != 0:
        raise CompileError(_first_error(log, display) or _tail(done.stdout + done.stderr))
    return Compiled(folder / f"{stem}.pdf", log)


_ERROR_RE = re.compile(r"^(\S+?:\d+: .*|! .*)$", re.MULTILINE)


def _first_error(log: Path, folder: str) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    m = _ERROR_RE.search(text)
    if not m:
        return ""
    line = m.group(1).removeprefix("./")
    hint = ""
    if "generated/taxonomy.tex" in line and "Not in outer par mode" in line:
        # A main.tex from before vlabib drew the figure itself (\resizebox{…}{\input…}).
        hint = (
            " generated/taxonomy.tex holds its own figure* floats now: \\input it on "
            "its own line, outside any box or figure (a fresh skeleton: move main.tex "
            "away and run 'vlabib build')"
        )
    if m := _CJK_FONT_RE.search(line):
        family, page = m.group(1), int(m.group(2), 16)
        hint = (
            f" The CJK font {family} cannot print the characters U+{page:02X}00–U+{page:02X}FF "
            "(it has none of them, or it is not installed); vlabib's \\vlacjk{…} (Chinese), "
            "\\vlacjkja{…} (Japanese) and \\vlacjkko{…} (Korean) pick the font that has them; "
            "the fonts: apt-get install latex-cjk-chinese-arphic-gbsn00lp "
            "latex-cjk-japanese-wadalab texlive-lang-korean"
        )
    return f"{folder}/{line}{hint} (see {folder}/{log.name})"


# pdflatex stops at a CJK character whose font has no file for its Unicode page:
# "Font C70/nanummj/m/n/10/6f=nanummjm6f at 10.0pt not loadable: Metric (TFM) file not found".
_CJK_FONT_RE = re.compile(r"Font C70/([A-Za-z]+)(?:/[^/ ]*){3}/([0-9a-f]{2})=\S+ .*not loadable")


# What latexmk says when it stops, and what that means for the user.
_LATEXMK_CAUSES = (
    (
        "Maximum runs of pdflatex reached",
        "the PDF did not settle: labels kept moving between pdflatex runs (a float or a "
        "table break that flips each run)",
    ),
    ("gave an error in previous invocation", "an earlier run failed; run 'make clean' first"),
    ("Bibtex.*errors", "BibTeX reported errors; see the .blg file"),
)


def _tail(output: bytes) -> str:
    """The cause latexmk names, rather than its last line ("to try to force complete
    processing")."""
    text = output.decode("utf-8", "replace")
    for pattern, cause in _LATEXMK_CAUSES:
        if re.search(pattern, text):
            return f"latexmk failed: {cause}"
    said = [ln.removeprefix("Latexmk: ") for ln in text.splitlines() if ln.startswith("Latexmk: ")]
    return "latexmk failed: " + (said[-1] if said else "no output")
