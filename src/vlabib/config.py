"""Where a survey's files are: ``[tool.vlabib]`` in pyproject.toml, or ``vlabib.toml``.

>>> Settings().bib
'refs/vla.bib'
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath
from typing import Any, TypeAlias

from vlabib.errors import ConfigError
from vlabib.files import read_source
from vlabib.taxonomy import Taxonomy, load_taxonomy

# Settings naming a file vlabib reads, and those naming a folder.
_FILES = ("bib", "taxonomy", "readme", "citation")
_FOLDERS = ("latex", "generated", "site")


@dataclass(frozen=True)
class Settings:
    """``[tool.vlabib]`` in pyproject.toml (or the top level of vlabib.toml); paths are relative."""

    bib: str = "refs/vla.bib"  # kept for existing surveys; 'vlabib init' writes refs/papers.bib
    taxonomy: str = "refs/taxonomy.toml"
    readme: str = "README.md"
    latex: str = "latex"
    generated: str = "latex/generated"
    readme_layout: str = "bullets"
    #: The table layout's columns, any of COLUMNS or a bib field ("" : chosen from the data).
    readme_columns: tuple[str, ...] = ()
    #: Authors shown in the list before "et al." (0: all of them).
    readme_authors: int = 0
    #: A GitHub stars badge beside each GitHub code link.
    readme_badges: bool = False
    #: The order of each heading's papers: "newest", "oldest", "title" or "list" (as the
    #: papers were imported or added).
    order: str = "newest"
    #: Recommended papers (⭐) first under each heading.
    pin_recommended: bool = False
    overleaf: str = ""
    #: Headings an import leaves out of the taxonomy (beside Contents, News, Citation, …).
    skip_headings: tuple[str, ...] = ()
    #: Bib fields the manuscript's tables show beside method, venue, year and category.
    table_fields: tuple[str, ...] = ()
    #: Which papers a crowded leaf of the taxonomy figure names first (the rest: "and N
    #: more"): "order" (the list's), "recommended" (⭐ first), "venue" (published first),
    #: "oldest" or "newest". A paper's own ``figure = {yes}`` puts it first, ``{no}`` never.
    figure_pick: str = "order"
    #: Where each area's table of methods goes: "sections" (after the area's prose) or
    #: "appendix" (all of them after the references, in generated/appendix.tex).
    tables: str = "sections"
    #: Empty leaves in the taxonomy figure: "show" (dashed) or "hide".
    empty_leaves: str = "show"
    #: The manuscript's macros: \\PREFIXcite{NODE} and \\PREFIXcount{NODE}.
    cite_prefix: str = "survey"
    #: The manuscript's title; by default "A Survey on" the taxonomy's root title.
    title: str = ""
    #: Where the survey's website goes ("" for none: a survey opts in; ``init`` does).
    site: str = ""
    #: A file holding the survey's own BibTeX entry: the website shows "Cite this survey".
    citation: str = ""
    #: The manuscript's main file, in the latex folder: what check follows and pdf compiles.
    main: str = "main.tex"
    #: A GitHub issue form for suggesting a paper, its category menu kept current by build.
    issue_form: bool = False
    #: The manuscript's document class, for the main file a new survey gets: "article",
    #: "acmart" (ACM's journals, such as CSUR) or "ieeetran" (IEEE's, such as TPAMI).
    document_class: str = "article"
    #: Write a main file and a prose file per taxonomy node when missing (a manuscript
    #: adopted with 'vlabib import REFS.bib' has its own: false).
    skeleton: bool = True


DOCUMENT_CLASSES = ("article", "acmart", "ieeetran")


@dataclass(frozen=True)
class Project:
    """A survey checkout: its root directory and settings."""

    root: Path
    settings: Settings

    def path(self, name: str) -> Path:
        """The file or folder a setting names, checked to be inside the survey.

        A symlink may point elsewhere inside the survey, never outside it; a file vlabib
        reads must be a regular file (not a FIFO, a device or a directory).
        """
        value: str = getattr(self.settings, name)
        path = self.root / value
        try:
            real = path.resolve()
            mode = real.stat().st_mode if real.exists() else None
        except (OSError, RuntimeError) as exc:
            raise ConfigError(f"{value}: cannot be resolved ({exc})") from None
        if not real.is_relative_to(self.root.resolve()):
            raise ConfigError(
                f"{value}: points outside the survey; vlabib reads and writes only files "
                f"inside {self.root}"
            )
        if mode is not None and name in _FILES and not stat.S_ISREG(mode):
            raise ConfigError(f"{value}: not a regular file; the {name} setting must name one")
        if mode is not None and name in _FOLDERS and not stat.S_ISDIR(mode):
            raise ConfigError(f"{value}: not a folder; the {name} setting must name one")
        return path

    def rel(self, path: Path) -> str:
        """*path* as the user sees it, relative to the project root when inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    @property
    def bib(self) -> Path:
        return self.path("bib")

    def taxonomy(self) -> Taxonomy:
        return load_taxonomy(self.path("taxonomy"), self.settings.taxonomy)


def find_project(start: Path) -> Project:
    """The survey *start* is in: the nearest directory at or above it with vlabib settings
    (``vlabib.toml``, or ``[tool.vlabib]`` in pyproject.toml)."""
    project = nearest_project(start)
    if project is None:
        raise ConfigError(
            f"no survey here: neither {start} nor a folder above it has a vlabib.toml (or "
            "[tool.vlabib] in pyproject.toml); start one with 'vlabib init --title \"…\"'"
        )
    return project


def nearest_project(start: Path) -> Project | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        own = folder / "vlabib.toml"
        if own.is_file():
            return Project(folder, parse_settings(_read_toml(own), own.name))
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            if "vlabib" in data.get("tool", {}):
                return Project(folder, parse_settings(data["tool"]["vlabib"], "[tool.vlabib]"))
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    from vlabib.taxonomy import toml_error

    try:
        return tomllib.loads(read_source(path, path.name, ConfigError))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(toml_error(path.name, exc)) from None
    except FileNotFoundError:
        raise ConfigError(f"{path.name}: cannot read: it vanished") from None


#: A setting's rule: (where, name, value) -> the value, checked (or a ConfigError).
Rule: TypeAlias = Callable[[str, str, Any], Any]


def _text(where: str, name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {name} must be a string")
    return value


def _path(where: str, name: str, value: Any) -> str:
    if not _relative_inside(_text(where, name, value)):
        raise ConfigError(
            f"{where}: {name} = {value!r} must be a relative path inside the survey "
            "(no leading '/', no '..')"
        )
    return str(value)


def _choice(*options: str) -> Rule:
    def rule(where: str, name: str, value: Any) -> str:
        if _text(where, name, value) not in options:
            said = " or ".join(repr(o) for o in options)
            raise ConfigError(f"{where}: {name} must be {said}")
        return str(value)

    return rule


def _strings(pattern: str = "", what: str = "") -> Rule:
    """A list of strings, each matching *pattern* (when given), which is *what*."""

    def rule(where: str, name: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{where}: {name} must be a list of strings: ["…"]')
        bad = [v for v in value if pattern and not re.fullmatch(pattern, v)]
        if bad:
            raise ConfigError(f"{where}: {name}: {bad[0]!r} is not {what}")
        return tuple(value)

    return rule


def _count(where: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise ConfigError(f"{where}: {name} must be a whole number from 0 to 1000")
    return value


def _flag(where: str, name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {name} must be true or false")
    return value


def _tex_name(where: str, name: str, value: Any) -> str:
    text = _text(where, name, value)
    if not (_relative_inside(text) and text.endswith(".tex")):
        raise ConfigError(
            f'{where}: {name} must be a .tex file inside the latex folder, such as "main.tex"'
        )
    return text


def _cite_prefix(where: str, name: str, value: Any) -> str:
    if not re.fullmatch(r"[a-z]{1,20}", _text(where, name, value)):
        raise ConfigError(
            f"{where}: cite_prefix must be 1 to 20 lower-case letters (a TeX "
            'macro name), such as "survey"'
        )
    return str(value)


_RULES: dict[str, Rule] = {
    **{f.name: _text for f in fields(Settings)},
    **{name: _path for name in _FILES + _FOLDERS},
    "readme_layout": _choice("bullets", "table"),
    "readme_columns": _strings(
        r"[a-z][a-z0-9_-]*", "a column: a bib field or one of paper, authors, links"
    ),
    "readme_authors": _count,
    "readme_badges": _flag,
    "skeleton": _flag,
    "issue_form": _flag,
    "main": _tex_name,
    "order": _choice("newest", "oldest", "title", "list"),
    "pin_recommended": _flag,
    "empty_leaves": _choice("show", "hide"),
    "tables": _choice("sections", "appendix"),
    "figure_pick": _choice("order", "recommended", "venue", "oldest", "newest"),
    "document_class": _choice(*DOCUMENT_CLASSES),
    "cite_prefix": _cite_prefix,
    "skip_headings": _strings(),
    "table_fields": _strings(r"[a-z][a-z0-9_-]*", "a bib field name"),
}


def parse_settings(data: dict[str, Any], where: str) -> Settings:
    """Settings from a TOML table, each value checked by its rule; *where* names the table."""
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    checked = {name: _RULES[name](where, name, v) for name, v in data.items()}
    return Settings(**checked)


def _relative_inside(value: str) -> bool:
    parts = PurePosixPath(value).parts
    return (
        bool(value.strip())
        and not value.startswith(("/", "~"))
        and ".." not in parts
        and ("\\" not in value)
    )
