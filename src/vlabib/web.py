"""Polite HTTP for the services vlabib asks (arXiv, Semantic Scholar, DBLP): one request at
a time, paced, bounded retries with backoff honouring ``Retry-After``, and errors that say
what went wrong and what to do.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from vlabib.errors import NetworkError


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vlabib")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


class Http:
    """Polite HTTP for one service: paced, bounded retries honouring ``Retry-After``."""

    RETRY_STATUS = (429, 500, 502, 503, 504)

    def __init__(
        self,
        service: str,
        *,
        delay: float,
        timeout: float,
        attempts: int = 4,
        max_wait: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service
        self.clock = clock
        self.explain_400: Callable[[bytes], object] | None = None
        self.delay = delay
        self.timeout = timeout
        self.attempts = attempts
        self.max_wait = max_wait
        self.sleep = sleep
        self._last = -float("inf")
        self.user_agent = f"vlabib/{_version()} (survey bibliography tool; mailto via git config)"

    def _pace(self) -> None:
        wait = self._last + self.delay - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last = self.clock()

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        *,
        json_body: object = None,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        """The body of a 200 answer; retries what is worth retrying, then a clear error.

        *data* is sent as a form, *json_body* as JSON; neither means GET.
        """
        problem = ""
        sent = {"User-Agent": self.user_agent, **(headers or {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        for attempt in range(self.attempts):
            self._pace()
            req = urllib.request.Request(url, data=body, headers=sent)
            retry_after: float | None = None
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    payload: bytes = resp.read()
                if payload.strip() == b"Rate exceeded.":
                    problem = "answered 'Rate exceeded.'"
                else:
                    return payload
            except urllib.error.HTTPError as exc:
                payload = exc.read()
                if exc.code not in self.RETRY_STATUS:
                    if exc.code == 400 and self.explain_400 is not None:
                        self.explain_400(payload)  # raises with the service's own words
                    raise NetworkError(
                        f"{self.service} answered HTTP {exc.code} {exc.reason} for {url}"
                    ) from None
                problem = f"answered HTTP {exc.code} {exc.reason}"
                retry_after = _retry_after(exc.headers.get("Retry-After"))
            except TimeoutError:
                problem = f"did not answer within {self.timeout:g} s"
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, ConnectionRefusedError):
                    raise NetworkError(
                        f"cannot reach {self.service} at {url}: connection refused "
                        "(check the network, or the endpoint's environment variable)"
                    ) from None
                if isinstance(reason, TimeoutError):
                    problem = f"did not answer within {self.timeout:g} s"
                else:
                    problem = f"could not be reached ({reason})"
            except (http.client.HTTPException, ConnectionError) as exc:
                problem = f"broke the connection ({type(exc).__name__})"
            if attempt + 1 == self.attempts:
                break
            wait = retry_after if retry_after is not None else self.delay * 2**attempt
            if wait > self.max_wait:
                raise NetworkError(
                    f"{self.service} {problem} and asks to wait {wait:.0f} s; try again later"
                )
            self.sleep(wait)
        raise NetworkError(f"{self.service} {problem} ({self.attempts} attempts); try again later")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise NetworkError(f"{name}={value!r} is not a number of seconds") from None
