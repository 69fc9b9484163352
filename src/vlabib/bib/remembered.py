"""Large bibs, read once: the parsed and validated papers remembered by the text's hash in
the user's cache directory (JSON, never pickle, and never inside the survey)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from vlabib.environment import cache_dir
from vlabib.errors import VlabibError
from vlabib.files import atomic_write
from vlabib.model import Paper

# Below this size parsing costs less than hashing the text and reading the JSON back.
_REMEMBER_FROM = 1 << 20


def remembered_parse(text: str, name: str, parse: Callable[[str, str], list[Paper]]) -> list[Paper]:
    """The papers of a large bib, remembered by its text in the user's cache directory —
    never in the survey, so nothing a checkout holds can stand in for the reader. Only bibs
    that read without a problem are remembered."""
    if len(text) < _REMEMBER_FROM:
        return parse(text, name)
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(reader_version().encode())
    path = cache_dir() / "parsed" / f"{digest.hexdigest()}.json"
    try:
        rows = json.loads(path.read_bytes())
        return [Paper(key, etype, fields, line) for key, etype, fields, line in rows]
    except (OSError, ValueError, TypeError):
        pass
    papers = parse(text, name)
    with contextlib.suppress(OSError, VlabibError):
        rows = [[p.key, p.type, dict(p.fields), p.line] for p in papers]
        atomic_write(path, json.dumps(rows, ensure_ascii=False, separators=(",", ":")))
        for old in sorted(path.parent.glob("*.json"), key=lambda f: f.stat().st_mtime)[:-4]:
            old.unlink()
    return papers


@functools.cache
def reader_version() -> str:
    """Changes whenever any code that can shape a parsed paper changes: every module of the
    layers a bib is read with (the core, ``tex/``, ``bib/``) and the package's version."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(_version().encode())
    for path in sorted([*root.glob("*.py"), *root.glob("tex/*.py"), *root.glob("bib/*.py")]):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vlabib")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"
