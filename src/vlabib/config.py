"""Where a survey's files are, and its taxonomy: ``[tool.vlabib]`` and ``refs/taxonomy.toml``.

>>> Settings().bib
'refs/vla.bib'
"""

from __future__ import annotations

import re
import stat
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath
from typing import Any

from vlabib.errors import ConfigError
from vlabib.model import Taxonomy

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 64
# Settings naming a file vlabib reads, and those naming a folder.
_FILES = ("bib", "taxonomy", "readme")
_FOLDERS = ("latex", "generated")


def is_node_id(value: object) -> bool:
    """A taxonomy node id: lower-case words joined by ``-``, at most 64 characters.

    >>> is_node_id("token-pruning"), is_node_id("a}input{x"), is_node_id("x" * 65)
    (True, False, False)
    """
    return isinstance(value, str) and len(value) <= MAX_ID and bool(_ID_RE.match(value))


@dataclass(frozen=True)
class Settings:
    """``[tool.vlabib]`` in pyproject.toml (or the top level of vlabib.toml); paths are relative."""

    bib: str = "refs/vla.bib"
    taxonomy: str = "refs/taxonomy.toml"
    readme: str = "README.md"
    latex: str = "latex"
    generated: str = "latex/generated"
    readme_layout: str = "bullets"
    overleaf: str = ""


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
    """The nearest directory at or above *start* with vlabib settings, else *start* itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        own = folder / "vlabib.toml"
        if own.is_file():
            return Project(folder, _settings(_read_toml(own), own.name))
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            if "vlabib" in data.get("tool", {}):
                return Project(folder, _settings(data["tool"]["vlabib"], "[tool.vlabib]"))
    return Project(start, Settings())


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot read: {exc.strerror}") from None


def _settings(data: dict[str, Any], where: str) -> Settings:
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    for name, value in data.items():
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {name} must be a string")
        if name in _FILES + _FOLDERS:
            parts = PurePosixPath(value).parts
            if not value.strip() or value.startswith(("/", "~")) or ".." in parts or "\\" in value:
                raise ConfigError(
                    f"{where}: {name} = {value!r} must be a relative path inside the survey "
                    "(no leading '/', no '..')"
                )
    if data.get("readme_layout", "bullets") not in ("bullets", "table"):
        raise ConfigError(f"{where}: readme_layout must be 'bullets' or 'table'")
    return Settings(**data)


def load_taxonomy(path: Path, display: str) -> Taxonomy:
    """Read the taxonomy file; errors name the line of the offending node."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{display}: no such file; describe the survey's headings there"
        ) from None
    return parse_taxonomy(text, display)


def parse_taxonomy(text: str, display: str = "refs/taxonomy.toml") -> Taxonomy:
    """A :class:`Taxonomy` from taxonomy TOML: root ``id``/``title`` and ``[[node]]`` tables.

    >>> parse_taxonomy('id = "s"\\ntitle = "S"\\n[[node]]\\nid = "a"\\ntitle = "A"\\n').leaves[0].id
    'a'
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{display}: {exc}") from None

    def fail(node_id: str, message: str) -> ConfigError:
        m = re.search(rf'^\s*id\s*=\s*"{re.escape(node_id)}"', text, re.MULTILINE)
        line = text[: m.start()].count("\n") + 1 if m else 1
        return ConfigError(f"{display}:{line}: {message}")

    root_id, root_title = data.get("id"), data.get("title")
    if not isinstance(root_id, str) or not isinstance(root_title, str):
        raise ConfigError(f'{display}: the root needs id = "…" and title = "…" at the top')
    if not is_node_id(root_id):
        raise fail(
            root_id,
            f"root id {root_id[:80]!r} must be lower-case words joined by '-' "
            f"(at most {MAX_ID} characters)",
        )
    unknown_top = sorted(set(data) - {"id", "title", "node"})
    if unknown_top:
        raise ConfigError(f"{display}: unknown key {unknown_top[0]!r} at the top level")
    seen = {root_id}
    specs: list[tuple[str, str, str | None, str]] = []
    nodes = data.get("node", [])
    if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
        raise ConfigError(f"{display}: nodes are written [[node]] (a list of tables), not [node]")
    for node in nodes:
        node_id = node.get("id")
        if not is_node_id(node_id):
            raise fail(
                str(node_id),
                f"node id {str(node_id)[:80]!r} must be lower-case words joined by '-' "
                f"(at most {MAX_ID} characters)",
            )
        extra = sorted(set(node) - {"id", "title", "parent", "blurb"})
        if extra:
            raise fail(
                node_id,
                f"node {node_id}: unknown key {extra[0]!r} (known: id, title, parent, blurb)",
            )
        if node_id in seen:
            raise fail(node_id, f"node id {node_id} is used twice")
        title = node.get("title")
        if not isinstance(title, str) or not title.strip():
            raise fail(node_id, f"node {node_id} needs a title")
        parent = node.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise fail(node_id, f"node {node_id}: parent must be one node id in quotes")
        blurb = node.get("blurb", "")
        if not isinstance(blurb, str):
            raise fail(node_id, f"node {node_id}: blurb must be text in quotes")
        if parent is not None and parent not in seen:
            raise fail(
                node_id, f"node {node_id}: parent {parent!r} must be a node defined above it"
            )
        seen.add(node_id)
        specs.append((node_id, title.strip(), parent, blurb.strip()))
    return Taxonomy.build(root_id, root_title, specs)
