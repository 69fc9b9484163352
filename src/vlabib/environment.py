"""Every environment variable vlabib reads, in one table, and the readers that check them.
The docs' table is this one (a test compares them).

>>> [v.name for v in VARIABLES][:2]
['VLABIB_ARXIV_API', 'VLABIB_ARXIV_DELAY']
"""

from __future__ import annotations

import math
import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from vlabib.errors import NetworkError


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, its default as the docs say it, what it means."""

    name: str
    default: str
    meaning: str


ARXIV_API = "https://export.arxiv.org/api/query"
S2_API = "https://api.semanticscholar.org/graph/v1"
DBLP_API = "https://dblp.org"

VARIABLES = (
    Variable(
        "VLABIB_ARXIV_API", ARXIV_API, "arXiv API endpoint (tests point it at a loopback server)"
    ),
    Variable("VLABIB_ARXIV_DELAY", "3", "seconds between arXiv requests (arXiv's terms ask for 3)"),
    Variable("VLABIB_ARXIV_TIMEOUT", "30", "seconds to wait for an arXiv answer before a retry"),
    Variable("VLABIB_S2_API", S2_API, "Semantic Scholar API endpoint (venue look-up)"),
    Variable("VLABIB_S2_DELAY", "1", "seconds between Semantic Scholar requests"),
    Variable(
        "VLABIB_S2_KEY", "", "Semantic Scholar API key (also read as SEMANTIC_SCHOLAR_API_KEY)"
    ),
    Variable("VLABIB_DBLP_API", DBLP_API, "DBLP search endpoint (venue look-up)"),
    Variable("VLABIB_DBLP_DELAY", "1", "seconds between DBLP requests"),
    Variable("VLABIB_TIMEOUT", "30", "seconds to wait for a Semantic Scholar or DBLP answer"),
    Variable(
        "VLABIB_CACHE_DIR",
        "$XDG_CACHE_HOME/vlabib or ~/.cache/vlabib",
        "HTTP response cache, remembered parses and what build and check made from which "
        "inputs; `--refresh` bypasses the HTTP cache",
    ),
    Variable("VLABIB_OVERLEAF_URL", "[tool.vlabib] overleaf", "git URL of the Overleaf project"),
    Variable(
        "OVERLEAF_TOKEN",
        "git's credential helper",
        "Overleaf git token; never written to disk or printed",
    ),
    Variable("VLABIB_DEBUG", "", "set to 1 to see the traceback of an internal error"),
)


def seconds(name: str, default: float, *, positive: bool = False) -> float:
    """A number of seconds from the environment: finite, not negative (*positive*: above 0)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        least = "more than 0" if positive else "0 or more"
        raise NetworkError(f"{name}={value[:40]!r} is not a number of seconds ({least})")
    return number


def url(name: str, default: str) -> str:
    """An endpoint from the environment: an http(s) URL with a host."""
    value = os.environ.get(name) or default
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NetworkError(
            f"{name}={value[:80]!r} is not an http(s) URL; unset it to use {default}"
        )
    return value


def text(name: str, *also: str) -> str:
    """The first of the variables that is set, or ``""``."""
    for key in (name, *also):
        if os.environ.get(key):
            return os.environ[key]
    return ""


def cache_dir() -> Path:
    """``VLABIB_CACHE_DIR``, else the platform's cache directory."""
    if os.environ.get("VLABIB_CACHE_DIR"):
        return Path(os.environ["VLABIB_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "vlabib"
    return Path.home() / ".cache" / "vlabib"
