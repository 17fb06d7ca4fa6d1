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
import ssl
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from justclick_import.api.signing import (
    http_build_query,
    parse_php_query,
    response_hash,
    sign_query,
)
from justclick_import.sandbox.fault_controls import FaultControls
from justclick_import.sandbox.faults import Faults
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


class Sandbox(FaultControls):
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
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """Load the catalog and prepare (not start) the server (over HTTPS with ``tls``)."""
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
        self._store = OrderStore(self._catalog, first_bill_id, clock=self.now)
        self._tls = tls
        self._limit_tokens = 0.0
        self._limit_stamp = 0.0
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
        if self._tls is not None:  # the handshake happens in each connection's own thread
            server.socket = self._tls.wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
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
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://{self._host}:{self._port}/api/"

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

    def wrong_signature(self, code: int, text: str) -> str:
        """An answer's signature under a secret the client does not have (``wrong_hash``)."""
        return response_hash(code, text, self._wrong_secret)

    def signed(self, code: int, text: str) -> dict[str, Any]:
        """An answer with ``code`` and ``text``, signed (error 8 for the request limit)."""
        return self._answer(code, text)

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
        code, text, result = self._store.call(function, params)
        if function == "GetBills" and isinstance(result, dict):
            result = _bills_as(self.faults.bills_created, result)
        return self._answer(code, text, result)


def _bills_as(variant: str, bills: dict[str, Any]) -> dict[str, Any]:
    """GetBills' bills with ``created`` as ``variant`` says (API.md: do not rely on it)."""
    if variant == "unix":
        return bills
    changed = {}
    for key, bill in bills.items():
        bill = dict(bill)
        if variant == "missing":
            bill.pop("created", None)
        else:  # "text": as a PHP date() in the server's zone might write it
            moment = datetime.fromtimestamp(int(bill["created"]), UTC)
            bill["created"] = moment.strftime("%Y-%m-%d %H:%M:%S")
        changed[key] = bill
    return changed
