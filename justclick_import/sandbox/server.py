"""An embedded JustClick stand-in on loopback: signs, checks and answers as the real API does.

It parses bodies the way PHP fills ``$_POST`` and checks the signature over PHP's re-encoding of
what it parsed, never over the bytes received, so a client encoder bug fails here as it would on
the real server (``../shared/justclick/API.md``).

It can also misbehave on purpose (:class:`Faults`): add latency, answer bursts of HTTP 503 or 429,
drop connections, answer orders it created too late, sign answers with a wrong secret.

This module is the transport (HTTP, signatures, faults); the orders and the API functions over
them (CreateOrder, GetOrderDetails, GetBills, UpdateOrderStatus, DeleteOrder) live in
:mod:`justclick_import.sandbox.store`.
"""

from __future__ import annotations

import collections
import hmac
import ipaddress
import secrets
import threading
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

from justclick_import.api.signing import (
    http_build_query,
    parse_php_query,
    response_hash,
    sign_query,
)
from justclick_import.sandbox.faults import BLOCKING, Faults, Plan, check_count
from justclick_import.sandbox.store import Answer, OrderStore, SandboxOrder, StatusChange
from justclick_import.sandbox.transport import SandboxHTTPServer, function_name
from justclick_import.sources.catalog import Product, load_catalog

__all__ = [
    "DEFAULT_CATALOG",
    "Faults",
    "Product",
    "Sandbox",
    "SandboxOrder",
    "StatusChange",
    "load_catalog",
]

DEFAULT_CATALOG = Path(__file__).with_name("data") / "catalog.csv"


class Sandbox:
    """A local JustClick API over HTTP on loopback.

    It answers CreateOrder, GetOrderDetails, GetBills, UpdateOrderStatus and DeleteOrder
    (:class:`justclick_import.sandbox.store.OrderStore`); :meth:`orders` shows what they stored.

    Faults (:class:`Faults`) are set with ``faults=`` and changed while it runs with
    :meth:`set_faults`, :meth:`set_latency`, :meth:`fail_next`, :meth:`drop_next`,
    :meth:`slow_next` and :meth:`wrong_hash_next`; all are thread-safe.
    """

    def __init__(
        self,
        catalog: Path | None = None,
        *,
        login: str = "demo-shop",
        secret: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        max_input_vars: int = 1000,
        first_bill_id: int = 1001,
        faults: Faults | None = None,
    ) -> None:
        """Load the catalog and prepare (not start) the server."""
        # Never reachable from the network: the sandbox accepts any client's orders.
        address = ipaddress.ip_address("127.0.0.1" if host == "localhost" else host)
        if address.version != 4 or not address.is_loopback:
            raise ValueError(f"the sandbox only listens on IPv4 loopback, not {host!r}")
        self._host = str(address)
        self._port = port
        self._login = login
        self._secret = secret if secret is not None else secrets.token_hex(16)
        self._answer_secret = self._secret
        self._max_input_vars = max_input_vars
        self._catalog = load_catalog(catalog if catalog is not None else DEFAULT_CATALOG)
        self._lock = threading.Lock()
        self._store = OrderStore(self._catalog, first_bill_id)
        self._forced: collections.deque[Answer] = collections.deque()
        self._calls: collections.Counter[str] = collections.Counter()
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._faults = faults if faults is not None else Faults()
        self._served: collections.Counter[str] = collections.Counter()
        self._wrong_secret = secrets.token_hex(16)  # signs the wrong_hash answers
        self._stopping = threading.Event()  # set by stop(): sleeping handlers wake and hang up

    # --- life cycle -------------------------------------------------------------------------

    def _bind(self) -> SandboxHTTPServer:
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        server = SandboxHTTPServer((self._host, self._port), self)
        self._port = int(server.server_address[1])
        self._server = server
        self._stopping.clear()
        return server

    def bind(self) -> Sandbox:
        """Take the port without serving yet (``url`` is then known); returns self.

        Follow with :meth:`serve_forever`, or :meth:`stop` to release the port.
        """
        self._bind()
        return self

    def start(self) -> Sandbox:
        """Serve in a background daemon thread; returns self."""
        server = self._bind() if self._server is None or self._thread is not None else self._server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="justclick-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted (Ctrl+C propagates after a clean close).

        Serves the port taken by :meth:`bind` if there is one, else binds now.
        """
        server = self._bind() if self._server is None or self._thread is not None else self._server
        try:
            server.serve_forever(poll_interval=0.05)
        finally:
            self._stopping.set()
            server.server_close()
            self._server = None

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice.

        Requests still sleeping (latency, slow answers) wake at once and close their connection
        without answering; a slow CreateOrder has created its order by then.
        """
        self._stopping.set()
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- properties and test hooks -----------------------------------------------------------

    @property
    def port(self) -> int:
        """The port bound (the requested one until started)."""
        return self._port

    @property
    def url(self) -> str:
        """The base API URL; append a function name (``CreateOrder``)."""
        return f"http://{self._host}:{self._port}/api/"

    @property
    def login(self) -> str:
        """The shop login requests must be signed with."""
        return self._login

    @property
    def secret(self) -> str:
        """The secret key requests must be signed with."""
        return self._secret

    @property
    def catalog(self) -> dict[str, Product]:
        """The products this shop sells (a copy)."""
        return dict(self._catalog)

    def force_answers(self, *answers: tuple[int, str] | tuple[int, str, dict[str, Any]]) -> None:
        """Make the next CreateOrder calls (that pass the hash check) get these answers instead."""
        with self._lock:
            for answer in answers:
                code, text, *rest = answer
                self._forced.append((code, text, rest[0] if rest else None))

    def sign_with(self, secret: str | None) -> None:
        """Sign answers with another secret (None: the real one), to mimic a wrong client secret."""
        self._answer_secret = self._secret if secret is None else secret

    @property
    def faults(self) -> Faults:
        """The faults in force: counters show how many requests are still to get each one."""
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> None:
        """Replace every fault setting and counter at once (``Faults()``: none)."""
        with self._lock:
            self._faults = faults

    def set_latency(self, seconds: float) -> None:
        """Wait this long before answering every API call (0: no latency)."""
        with self._lock:
            self._faults = replace(self._faults, latency=seconds)

    def fail_next(self, status: int, count: int = 1, *, retry_after: float | None = None) -> None:
        """The next ``count`` requests get HTTP ``status`` (503 or 429) and create nothing.

        The answer carries ``Retry-After``: ``retry_after`` seconds if given (it then applies to
        every 503 and 429 still to come), else the current setting (1 by default).
        """
        names = {code: name for name, code in BLOCKING.items() if code}
        if status not in names:
            raise ValueError(f"status must be 503 or 429, not {status!r}")
        settings = {} if retry_after is None else {"retry_after": retry_after}
        self._add(names[status], count, **settings)

    def drop_next(self, count: int = 1) -> None:
        """The next ``count`` requests are read, then their connection closes with no answer.

        Nothing is processed: no order is created.
        """
        self._add("drop", count)

    def slow_next(self, count: int = 1, seconds: float | None = None) -> None:
        """The next ``count`` CreateOrder calls are processed (the order IS created), then answered
        only after ``seconds`` (if given, it applies to every slow call still to come; default 90).
        """
        self._add("slow", count, **({} if seconds is None else {"slow_seconds": seconds}))

    def wrong_hash_next(self, count: int = 1) -> None:
        """The next ``count`` answers (any function) are signed with a wrong secret.

        The calls are processed as usual: an order IS created, as behind a mangling proxy.
        """
        self._add("wrong_hash", count)

    def faults_served(self) -> collections.Counter[str]:
        """How many requests took each fault so far, keyed by :class:`Faults` counter name."""
        with self._lock:
            return collections.Counter(self._served)

    def _add(self, name: str, count: int, **settings: Any) -> None:
        """Add ``count`` to one fault counter (counters add up) and change settings with it."""
        check_count("count", count)
        with self._lock:
            current = self._faults
            self._faults = replace(current, **{name: getattr(current, name) + count}, **settings)

    def wrong_signature(self, code: int, text: str) -> str:
        """An answer's signature under a secret the client does not have (``wrong_hash``)."""
        return response_hash(code, text, self._wrong_secret)

    def plan_faults(self, function: str) -> Plan:
        """Decide the faults of one arriving request, taking them off the counters atomically."""
        with self._lock:
            faults = self._faults
            blocking = next((name for name in BLOCKING if getattr(faults, name)), None)
            slow = blocking is None and function == "CreateOrder" and faults.slow > 0
            wrong_hash = blocking is None and faults.wrong_hash > 0
            taken = [blocking] if blocking else []
            taken += ["slow"] * slow + ["wrong_hash"] * wrong_hash
            if taken:
                self._faults = replace(
                    faults, **{name: getattr(faults, name) - 1 for name in taken}
                )
                self._served.update(taken)
        slow_seconds = faults.slow_seconds if slow else 0.0
        return Plan(faults.latency, blocking, faults.retry_after, slow_seconds, wrong_hash)

    def pause(self, seconds: float) -> bool:
        """Sleep unless stopping; False when the sandbox is stopping (the answer is abandoned)."""
        return seconds <= 0 or not self._stopping.wait(seconds)

    def orders(self, include_deleted: bool = False) -> list[SandboxOrder]:
        """The orders created so far, in creation order; deleted ones only if asked for.

        Each is a snapshot: a later status change or deletion does not alter it.
        """
        return self._store.orders(include_deleted)

    def call_counts(self) -> collections.Counter[str]:
        """How many requests each function name received."""
        with self._lock:
            return collections.Counter(self._calls)

    # --- the API ---------------------------------------------------------------------------------

    def _answer(self, code: int, text: str, result: dict[str, Any] | None = None) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "error_code": code,
            "error_text": text,
            "hash": response_hash(code, text, self._answer_secret),
        }
        if result is not None:
            answer["result"] = result
        return answer

    def dispatch(self, path: str, body: str) -> dict[str, Any]:
        """Check one call's signature as PHP would and answer it (the signed JSON, as a dict)."""
        function = function_name(path)
        with self._lock:
            self._calls[function] += 1
        # PHP registers max_input_vars + 1 pairs, empty ones included, and drops the rest with a
        # warning (measured on PHP 8.2) - a trailing hash is then lost, as on the real server.
        pairs = body.split("&")
        if len(pairs) > self._max_input_vars + 1:
            body = "&".join(pairs[: self._max_input_vars + 1])
        params = parse_php_query(body)
        if not params:
            return self._answer(2, "No parameters")
        if "hash" not in params:
            return self._answer(1, "Hash not sent")
        given = params.pop("hash")
        expected = sign_query(http_build_query(params), self._login, self._secret)
        if not isinstance(given, str) or not hmac.compare_digest(
            given.encode("utf-8", "replace"), expected.encode()
        ):
            return self._answer(4, "Incorrect hash")
        if function == "CreateOrder":
            with self._lock:
                forced = self._forced.popleft() if self._forced else None
            if forced is not None:
                return self._answer(*forced)
        return self._answer(*self._store.call(function, params))
