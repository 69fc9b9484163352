"""vlabib's exceptions: one base class the CLI maps to ``Error: …`` and exit 1."""

from __future__ import annotations

import os


class VlabibError(Exception):
    """A problem the user can fix; the message says what, where and how."""


class BibError(VlabibError):
    """The bibliography cannot be read or written as it stands."""


class ConfigError(VlabibError):
    """The taxonomy or the ``[tool.vlabib]`` settings are wrong."""


class NetworkError(VlabibError):
    """A remote service failed, timed out or answered nonsense."""


class OverleafError(VlabibError):
    """The sync with Overleaf cannot go ahead; nothing was changed on either side."""


class ReadmeError(VlabibError):
    """The README has no usable marker region."""


class CompileError(VlabibError):
    """The manuscript did not compile."""


class IdError(VlabibError):
    """An argument is not an arXiv ID or arXiv URL."""


class LatexError(VlabibError):
    """A string cannot be read as LaTeX."""


def redact(text: str) -> str:
    """*text* with the Overleaf token (if set) replaced by ``***``, whatever said it."""
    token = os.environ.get("OVERLEAF_TOKEN", "")
    return text.replace(token, "***") if len(token) >= 4 else text
