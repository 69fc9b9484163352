"""What vlabib remembers between runs: values keyed by a digest of everything they were made
from, in the user's cache directory — never in the survey, so nothing a checkout holds can
stand in for a computation.

An entry is trusted only with its MAC: an HMAC of its digest and body, keyed by a random
secret kept beside the entries (readable by the user alone). An entry edited, damaged or
swapped in without the key is a miss, and the value is computed again. Bodies are
:mod:`marshal` data (plain lists, tuples, dicts, strings and numbers; never pickle), read
only once their MAC holds.

>>> code_version("memo.py") == code_version("memo.py")
True
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import marshal
import os
import secrets
import time
from pathlib import Path
from typing import Any

from vlabib.environment import cache_dir

_KEEP = 4  # entries kept per kind: a few bibs (or branches) in turn stay remembered


def digest(*parts: str | bytes) -> bytes:
    """SHA-256 of *parts*, each length-prefixed (``"ab", "c"`` differs from ``"a", "bc"``)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.digest()


def recall(kind: str, key: bytes) -> Any:
    """The value remembered under *key*, or None (never remembered, damaged, forged)."""
    folder = cache_dir() / kind
    try:
        data = (folder / f"{key.hex()}.bin").read_bytes()
        cut = data.index(b"\n")
        body = memoryview(data)[cut + 1 :]  # a large entry is not copied to be checked
        if hmac.compare_digest(data[:cut], _mac(folder, key, body)):
            return marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    return None


def remember(kind: str, key: bytes, value: Any) -> None:
    """Remember *value* (marshal data) under *key*; a cache that cannot be written is no
    error. Not fsynced: a torn entry fails its MAC and is computed again."""
    folder = cache_dir() / kind
    with contextlib.suppress(OSError, ValueError):
        body = marshal.dumps(value)
        path = folder / f"{key.hex()}.bin"
        tmp = folder / f".{key.hex()}.{secrets.token_hex(4)}.tmp"
        mac = _mac(folder, key, body)
        with tmp.open("wb") as f:
            f.write(mac + b"\n")
            f.write(body)
        os.replace(tmp, path)
        for old in sorted(folder.glob("*.bin"), key=lambda f: f.stat().st_mtime)[:-_KEEP]:
            old.unlink()
        _forget_torn(folder)


_TORN_AFTER = 3600.0  # seconds: no write takes this long; a staged entry this old was cut


def _forget_torn(folder: Path) -> None:
    """Remove the staged entries of writes that never finished (a process killed midway:
    a child that lost a race, say)."""
    now = time.time()
    for staged in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - staged.stat().st_mtime > _TORN_AFTER:
                staged.unlink()


def _mac(folder: Path, key: bytes, body: bytes | memoryview) -> bytes:
    """The entry's MAC, hex: HMAC-SHA256 of its key and body."""
    mac = hmac.new(_secret(folder), key, hashlib.sha256)
    mac.update(body)
    return mac.hexdigest().encode()


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
    for old in folder.glob("*.bin"):  # their MACs were made with another key
        with contextlib.suppress(OSError):
            old.unlink()
    return key


@functools.cache
def code_version(*patterns: str) -> str:
    """A digest of the package's files matching *patterns* (relative to the package,
    ``"tex/**/*.py"``): it changes whenever that code changes, installed or not (what the
    code makes depends on what it says, not on the version number it carries)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file()}):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
