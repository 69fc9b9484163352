"""Polite HTTP for the services vlabib asks (arXiv, Semantic Scholar, DBLP): one request at
a time, paced, bounded retries with backoff honouring ``Retry-After``, and errors that say
what went wrong and what to do.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from vlabib.errors import NetworkError


def _tell_terminal(message: str) -> None:
    """Say on a terminal what a wait is for; scripts and logs get only the outcome."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


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
        # A server may trickle a byte at a time, each within *timeout*: a whole answer
        # gets this long at most (arXiv's slowest full batch takes about 20 s).
        self.deadline = timeout + 30.0
        self.attempts = attempts
        self.max_wait = max_wait
        self.sleep = sleep
        self._last = -float("inf")
        self.user_agent = f"vlabib/{_version()} (survey bibliography tool; mailto via git config)"
        self.notify: Callable[[str], None] = _tell_terminal

    def _pace(self) -> None:
        wait = self._last + self.delay - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last = self.clock()

    def _http_error(self, exc: urllib.error.HTTPError, url: str) -> tuple[str, float | None]:
        """What an HTTP error answer means: a problem worth a retry (and how long to wait),
        or, raised, one that is not."""
        if exc.code in _REDIRECTS:
            raise NetworkError(
                f"{self.service} redirected {url} in a loop (or more than "
                f"{_MAX_REDIRECTS} times); check the endpoint's environment "
                "variable"
            ) from None
        payload = _read_capped(exc, self.service)
        if exc.code not in self.RETRY_STATUS:
            if exc.code == 400 and self.explain_400 is not None:
                self.explain_400(payload)  # raises with the service's own words
            raise NetworkError(
                f"{self.service} answered HTTP {exc.code} {exc.reason} for {url}"
            ) from None
        return f"answered HTTP {exc.code} {exc.reason}", _retry_after(
            exc.headers.get("Retry-After")
        )

    def _unreachable(self, exc: urllib.error.URLError, url: str) -> str:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            raise NetworkError(
                f"cannot reach {self.service} at {url}: connection refused "
                "(check the network, or the endpoint's environment variable)"
            ) from None
        if isinstance(reason, TimeoutError):
            return f"did not answer within {self.timeout:g} s"
        return f"could not be reached ({reason})"

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
        sent = {"User-Agent": self.user_agent, **(headers or {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        problem = ""
        for attempt in range(self.attempts):
            self._pace()
            payload, problem, retry_after = self._attempt(
                urllib.request.Request(url, data=body, headers=sent)
            )
            if payload is not None:
                return payload
            if attempt + 1 == self.attempts:
                break
            wait = retry_after if retry_after is not None else self.delay * 2**attempt
            if wait > self.max_wait:
                raise NetworkError(
                    f"{self.service} {problem} and asks to wait {wait:.0f} s; try again later"
                )
            self.notify(
                f"{self.service} {problem}; retry {attempt + 2}/{self.attempts} in {wait:.0f} s"
            )
            self.sleep(wait)
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        raise NetworkError(f"{self.service} {problem} ({tries}); try again later")

    def _attempt(self, req: urllib.request.Request) -> tuple[bytes | None, str, float | None]:
        """One try: the answer's body, or what went wrong and how long the server asks to
        wait; what no retry can help is raised."""
        url = req.full_url
        try:
            payload = _fetch(req, self.timeout, self.deadline, self.service)
        except urllib.error.HTTPError as exc:
            with contextlib.closing(exc):  # its socket, whatever the verdict
                return (None, *self._http_error(exc, url))
        except TimeoutError as exc:
            late = str(exc).startswith(_LATE)
            return None, str(exc) if late else f"did not answer within {self.timeout:g} s", None
        except urllib.error.URLError as exc:
            return None, self._unreachable(exc, url), None
        except (http.client.HTTPException, ConnectionError) as exc:
            return None, f"broke the connection ({type(exc).__name__})", None
        if payload.strip() == b"Rate exceeded.":
            return None, "answered 'Rate exceeded.'", None
        return payload, "", None


# The largest answer vlabib reads: arXiv's feed for 100 papers is about 300 KB.
MAX_BYTES = 64 * 1024 * 1024
_MAX_REDIRECTS = 5
_LATE = "did not finish answering"
_REDIRECTS = (301, 302, 303, 307, 308)


class _Watched(threading.local):
    """Where this thread's current request records its socket, for the watchdog."""

    holder: dict[str, socket.socket] | None = None


_WATCHED = _Watched()


def _watch(sock: socket.socket) -> None:
    if _WATCHED.holder is not None:
        _WATCHED.holder["sock"] = sock


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects within http(s) only, and a few of them."""

    max_redirections = _MAX_REDIRECTS

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            fp.close()
            raise NetworkError(
                f"{req.full_url} redirects to {newurl[:200]}, which is not an "
                "http(s) URL; vlabib does not follow it"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HTTPHandler, _HTTPSHandler, _Redirects)


def _fetch(req: urllib.request.Request, timeout: float, deadline: float, service: str) -> bytes:
    """The whole body of a 2xx answer, read within *deadline* seconds and *MAX_BYTES*."""
    late = threading.Event()
    holder: dict[str, socket.socket] = {}

    def cut() -> None:  # the watchdog: shut the socket under a trickling server
        late.set()
        sock = holder.get("sock")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    _WATCHED.holder = holder
    timer = threading.Timer(deadline, cut)
    timer.daemon = True
    timer.start()
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            body = _read_capped(resp, service)
        if late.is_set():  # the watchdog cut it short: what was read is not the answer
            raise TimeoutError(f"{_LATE} within {deadline:g} s")
        return body
    except (OSError, http.client.HTTPException):
        if late.is_set():
            raise TimeoutError(f"{_LATE} within {deadline:g} s") from None
        raise
    finally:
        timer.cancel()
        _WATCHED.holder = None


def _read_capped(resp: Any, service: str) -> bytes:
    chunks, size = [], 0
    while chunk := resp.read(1 << 16):
        size += len(chunk)
        if size > MAX_BYTES:
            raise NetworkError(
                f"{service} sent more than {MAX_BYTES // 2**20} MiB; vlabib "
                "reads no answer that large (check the endpoint)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


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
