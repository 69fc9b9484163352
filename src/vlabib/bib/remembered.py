"""Large bibs, read once: the parsed and validated papers remembered by the text's hash in
the user's cache directory (JSON, never pickle, and never inside the survey)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

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
    from vlabib.remote.cache import cache_root

    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(_reader_version().encode())
    path = cache_root() / "parsed" / f"{digest.hexdigest()}.json"
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
def _reader_version() -> str:
    """Changes whenever the code that reads and validates a bib changes."""
    from vlabib import ids, names
    from vlabib.bib import fields
    from vlabib.tex import allow as texsafe
    from vlabib.tex import chars as texchars

    sources = [Path(m.__file__ or "").read_bytes() for m in (fields, ids, names, texchars,
                                                             texsafe)]  # fmt: skip
    sources.append((Path(__file__).parent / "parse.py").read_bytes())
    return hashlib.sha256(b"".join(sources)).hexdigest()
