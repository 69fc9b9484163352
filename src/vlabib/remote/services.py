"""The services a command talks to, built once from the environment and ``--refresh``, then
passed to every library function that fetches (tests hand in their own).

>>> Services().refresh
False
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from vlabib.remote.arxiv import Client
from vlabib.remote.catalogs import Catalogs


@dataclass(frozen=True)
class Services:
    """arXiv and the venue catalogs; each client is made on first use (the environment is
    read then, so a bad endpoint stops only a command that would have used it)."""

    refresh: bool = False

    @functools.cached_property
    def arxiv(self) -> Client:
        return Client(refresh=self.refresh)

    @functools.cached_property
    def arxiv_metadata(self) -> Client:
        """arXiv for ``update``: cached answers older than a day are asked again."""
        return Client(refresh=self.refresh, max_age=24 * 3600)

    @functools.cached_property
    def catalogs(self) -> Catalogs:
        return Catalogs(refresh=self.refresh)
