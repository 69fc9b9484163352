"""Large bibs, read once: the parsed and validated papers remembered by the text's hash in
the user's cache directory (JSON, never pickle, and never inside the survey).

A remembered parse is trusted only with its MAC: an HMAC of the bib's text, the reader's
version and the rows, keyed by a random secret kept beside the entries (readable by the user
alone). An entry edited or swapped in without the key is discarded and the bib parsed again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import secrets
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
    folder = cache_dir() / "parsed"
    path = folder / f"{digest.hexdigest()}.json"
    try:
        mac, _, body = path.read_bytes().partition(b"\n")
        if hmac.compare_digest(mac, _mac(folder, digest.digest(), body)):
            rows = json.loads(body)
            return [Paper(key, etype, fields, line) for key, etype, fields, line in rows]
    except (OSError, ValueError, TypeError):
        pass
    papers = parse(text, name)
    with contextlib.suppress(OSError, VlabibError):
        rows = [[p.key, p.type, dict(p.fields), p.line] for p in papers]
        body = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
        atomic_write(path, _mac(folder, digest.digest(), body) + b"\n" + body)
        for old in sorted(path.parent.glob("*.json"), key=lambda f: f.stat().st_mtime)[:-4]:
            old.unlink()
    return papers


def _mac(folder: Path, digest: bytes, body: bytes) -> bytes:
    """The entry's MAC, hex: HMAC-SHA256 of the text's digest and the rows."""
    return hmac.new(_secret(folder), digest + body, hashlib.sha256).hexdigest().encode()


def _secret(folder: Path) -> bytes:
    """The cache's key: 32 random bytes, made once, readable by the user alone."""
    path = folder / "key"
    try:
        key = path.read_bytes()
        if len(key) == 32 and (path.stat().st_mode & 0o077) == 0:
            return key
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    tmp = folder / f".key.{secrets.token_hex(8)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    os.replace(tmp, path)
    for old in folder.glob("*.json"):  # their MACs were made with another key
        with contextlib.suppress(OSError):
            old.unlink()
    return key


@functools.cache
def reader_version() -> str:
    """Changes whenever any code that can shape a parsed paper changes: every module of the
    layers a bib is read with (the core, ``tex/``, ``bib/``) and the package's version."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(_version().encode())
    for path in sorted([*root.glob("*.py"), *root.glob("tex/**/*.py"), *root.glob("bib/**/*.py")]):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vlabib")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"
