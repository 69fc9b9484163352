"""The response cache: JSON answers by key, misses included, under ``VLABIB_CACHE_DIR``.

>>> Cache(Path("/tmp/x"), refresh=False).path("cs/0112017").name
'cs_0112017.672ef8502c.json'
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

from vlabib.errors import VlabibError
from vlabib.files import atomic_write


class Cache:
    """One service's answers. ``refresh`` ignores what is stored; ``max_age`` expires it."""

    def __init__(
        self, folder: Path, *, refresh: bool = False, max_age: float | None = None
    ) -> None:
        self.folder = folder
        self.refresh = refresh
        self.max_age = max_age

    def path(self, key: str) -> Path:
        readable = re.sub(r"[^A-Za-z0-9.-]", "_", key)[:60]
        return self.folder / f"{readable}.{hashlib.sha256(key.encode()).hexdigest()[:10]}.json"

    def get(self, key: str) -> tuple[bool, Any]:
        """``(True, value)`` for a stored answer (``value`` may be None: a miss)."""
        if self.refresh:
            return False, None
        path = self.path(key)
        try:
            if self.max_age is not None and time.time() - path.stat().st_mtime > self.max_age:
                return False, None
            return True, json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False, None

    def put(self, key: str, value: Any) -> None:
        # A cache that cannot be written only costs a request next time.
        with contextlib.suppress(VlabibError):
            atomic_write(self.path(key), json.dumps(value, ensure_ascii=False))
