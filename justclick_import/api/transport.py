"""HTTP with bounds: every answer is capped in size and must be whole before a deadline.

``requests`` bounds each socket read (``timeout``) but not a whole answer: a server that sends
one byte a second, or an answer without end, keeps a sender (and its memory) forever. Here the
body is read in pieces up to ``limit`` bytes, and a watchdog thread shuts the request's socket
down when its deadline passes, whatever the request is doing (connecting, sending, waiting for
the headers, reading the body). Either way the caller learns it did not get an answer.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["AnswerTooLarge", "DeadlinePassed", "Reply", "bounded_post", "make_session"]

_PIECE = 64 * 1024


class AnswerTooLarge(requests.RequestException):
    """The answer was longer than the limit: it is not one of JustClick's short JSON answers."""


class DeadlinePassed(requests.RequestException):
    """The whole answer did not arrive before the request's deadline."""


@dataclass(frozen=True)
class Reply:
    """An answer read whole: its status, headers and body."""

    status_code: int
    headers: CaseInsensitiveDict[str]
    content: bytes
    received: float = 0.0  # time.time() when the answer was complete


@dataclass(eq=False)
class _Watch:
    """One request's deadline, and the connection it runs on (set when the request starts)."""

    deadline: float  # time.monotonic()
    connection: Any = None
    fired: bool = False
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fire(self) -> None:
        with self.lock:
            if self.done:
                return
            self.fired = True
            sock = getattr(self.connection, "sock", None)
        if sock is not None:  # the base method: an SSLSocket's own would tear its TLS state down
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def finish(self) -> None:
        with self.lock:
            self.done = True


class _Watchdog:
    """One daemon thread firing the watches whose deadline passed (a heap, not a thread each)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Watch]] = []
        self._count = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, watch: _Watch) -> None:
        with self._wake:
            heapq.heappush(self._heap, (watch.deadline, next(self._count), watch))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="justclick-deadlines", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                _, _, due = heapq.heappop(self._heap)
            due.fire()


_WATCHDOG = _Watchdog()
_CURRENT = threading.local()  # the watch of the request this thread is making


class _Tracking:
    """A connection that tells the current watch it carries its request."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = getattr(_CURRENT, "watch", None)
        if watch is not None:
            watch.connection = self
            if watch.fired:  # the deadline passed while waiting for a connection
                raise DeadlinePassed("the deadline passed before the request left")
        super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Tracking, HTTPConnection):
    pass


class _HTTPSConnection(_Tracking, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _BoundedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def make_session(verify: bool | str = True, url: str = "") -> requests.Session:
    """A session whose requests can be bounded by ``bounded_post``.

    ``verify`` is True (the system's certificates, or the bundle ``REQUESTS_CA_BUNDLE`` /
    ``CURL_CA_BUNDLE`` names) or the path of a CA bundle to trust instead; certificates are
    always verified. The environment (proxies for ``url``, the CA bundle) is read once, here:
    requests would read it, and look for a netrc file, again on every request (a third of a
    sender's CPU time at 500 orders a second).
    """
    session = requests.Session()
    session.trust_env = False
    from_environment = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    session.verify = verify if isinstance(verify, str) and verify else from_environment or True
    if url:
        session.proxies = requests.utils.get_environ_proxies(url)  # NO_PROXY honoured
    adapter = _BoundedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def bounded_post(
    session: requests.Session,
    url: str,
    *,
    data: bytes,
    headers: dict[str, str],
    timeout: tuple[float, float],
    deadline: float,
    limit: int,
) -> Reply:
    """POST and read the whole answer, at most ``limit`` bytes, within ``deadline`` seconds.

    Raises ``requests`` exceptions as ``session.post`` does, ``AnswerTooLarge`` for a longer
    answer and ``DeadlinePassed`` when the deadline cut the request short.
    """
    watch = _Watch(time.monotonic() + deadline)
    _CURRENT.watch = watch
    _WATCHDOG.watch(watch)
    try:
        response = session.post(
            url,
            data=data,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
            stream=True,
        )
        try:
            body = _read_body(response, limit)
        finally:
            response.close()
        return Reply(response.status_code, response.headers, body, time.time())
    except requests.RequestException:
        if watch.fired:
            raise DeadlinePassed(f"no whole answer within {deadline:g} s") from None
        raise
    except OSError:
        if watch.fired:
            raise DeadlinePassed(f"no whole answer within {deadline:g} s") from None
        raise requests.ConnectionError("the connection broke while reading") from None
    finally:
        watch.finish()
        _CURRENT.watch = None


def _read_body(response: requests.Response, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise AnswerTooLarge(f"the answer announces {int(declared)} bytes (limit {limit})")
    pieces: list[bytes] = []
    size = 0
    for piece in response.iter_content(_PIECE):
        size += len(piece)
        if size > limit:
            raise AnswerTooLarge(f"the answer is longer than {limit} bytes")
        pieces.append(piece)
    return b"".join(pieces)
