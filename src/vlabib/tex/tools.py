"""Files in a manuscript's folder that a tool would run rather than read: a latexmk
configuration, a Makefile, git settings, a script. vlabib writes such a file when it comes
from Overleaf (it is the co-authors'), names it in ``overleaf pull`` and ``check``, and never
runs it: every latexmk call gets ``-norc``.
"""

from __future__ import annotations

from pathlib import Path

_RUN_BY_TOOLS = {
    "latexmkrc": "a latexmk configuration (Perl that latexmk runs)",
    ".latexmkrc": "a latexmk configuration (Perl that latexmk runs)",
    "makefile": "a Makefile (commands that make runs)",
    "gnumakefile": "a Makefile (commands that make runs)",
    ".gitattributes": "git settings (filters name commands)",
    ".gitmodules": "git settings (submodules fetch code)",
    ".gitconfig": "git settings",
    ".envrc": "a direnv script (runs on entering the folder)",
}
_SCRIPT_SUFFIXES = (".sh", ".bash", ".zsh", ".py", ".pl", ".rb", ".lua", ".bat", ".cmd", ".ps1")


def runnable(path: str, data: bytes = b"") -> str:
    """What a file in the manuscript folder is when a tool could run it (a latexmkrc, a
    Makefile, git settings, a script), or ``""``: vlabib writes such a file from Overleaf
    (it is the co-authors') but says so, and never runs it (latexmk gets ``-norc``).

    >>> runnable("latexmkrc"), runnable("figures/plot.py"), runnable("main.tex")
    ('a latexmk configuration (Perl that latexmk runs)', 'a script', '')
    """
    name = path.rsplit("/", 1)[-1].lower()
    if name in _RUN_BY_TOOLS:
        return _RUN_BY_TOOLS[name]
    if name.endswith(_SCRIPT_SUFFIXES) or data.startswith(b"#!"):
        return "a script"
    return ""


def runnable_files(folder: Path) -> list[tuple[Path, str]]:
    """Every file under *folder* a tool would run, with what it is."""
    found = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                what = runnable(path.name, f.read(2))
            if what:
                found.append((path, what))
    return found
