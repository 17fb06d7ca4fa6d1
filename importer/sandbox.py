"""An embedded JustClick stand-in on loopback: signs, checks and answers as the real API does.

It parses bodies the way PHP fills ``$_POST`` and checks the signature over PHP's re-encoding of
what it parsed, never over the bytes received, so a client encoder bug fails here as it would on
the real server (``../shared/justclick/API.md``).
"""

from __future__ import annotations

import collections
import csv
import hmac
import ipaddress
import json
import math
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from importer.fields import DELIVERY_FIELDS
from importer.signing import http_build_query, parse_php_query, response_hash, sign_query

__all__ = ["DEFAULT_CATALOG", "Product", "Sandbox", "SandboxOrder", "load_catalog"]

DEFAULT_CATALOG = Path(__file__).with_name("data") / "catalog.csv"

_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}
_UTM = ("source", "medium", "campaign", "content", "term")
# GetOrderDetails' names for the CreateOrder parameters it echoes back.
_DETAIL_FIELDS = {
    "first_name": "bill_first_name",
    "last_name": "bill_surname",
    "middle_name": "bill_middle_name",
    "phone": "bill_phone",
    "country": "bill_country",
    "region": "bill_region",
    "city": "bill_city",
    "address": "bill_address",
    "postalcode": "bill_postal_code",
    "comment": "bill_comment",
    "tag": "bill_tag",
    "kupon": "bill_kupon",
}

Answer = tuple[int, str, dict[str, Any] | None]


@dataclass(frozen=True)
class Product:
    """One product of the shop's catalog."""

    id: str
    title: str
    price: float
    physical: bool


@dataclass(frozen=True)
class SandboxOrder:
    """An order the sandbox created: what was sent (without ``hash``) and what it cost."""

    bill_id: int
    email: str
    params: dict[str, Any]
    items: tuple[tuple[str, float, bool], ...]  # (good_name, effective price, physical)
    created: int


def load_catalog(path: Path) -> dict[str, Product]:
    """Read a catalog CSV (``id,title,price,physical``) into products keyed by id."""
    products: dict[str, Product] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:  # -sig: Excel writes a BOM
        reader = csv.DictReader(handle)
        missing = {"id", "title", "price", "physical"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: line 1: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            where = f"{path}: line {reader.line_num}"
            product_id = (row["id"] or "").strip()
            if not product_id:
                raise ValueError(f"{where}: empty id")
            if product_id in products:
                raise ValueError(f"{where}: duplicate id {product_id!r}")
            try:
                price = float((row["price"] or "").strip())
            except ValueError:
                raise ValueError(f"{where}: price {row['price']!r} is not a number") from None
            if not math.isfinite(price) or price < 0:
                raise ValueError(f"{where}: price {row['price']!r} is not a valid price")
            flag = (row["physical"] or "").strip().lower()
            if flag not in _TRUE | _FALSE:
                raise ValueError(
                    f"{where}: physical {row['physical']!r} is not 1/0, true/false, yes/no"
                )
            title = (row["title"] or "").strip()
            products[product_id] = Product(product_id, title, price, flag in _TRUE)
    return products


def _plausible_email(value: Any) -> bool:
    # Deliberately loose, like the server: one '@', something before it, a dotted domain.
    # Unicode domains (почта.рф) pass; whitespace does not.
    if not isinstance(value, str) or value.count("@") != 1 or any(c.isspace() for c in value):
        return False
    local, domain = value.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) > 1 and all(labels)


def _text(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    return value if isinstance(value, str) else ""


def _price(raw: Any, product: Product) -> float | None:
    """The effective price of one item; None when ``good_sum`` is not a usable number."""
    if raw is None or raw == "":
        return product.price
    try:
        value = float(raw) if isinstance(raw, str) else math.nan
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    # API.md: a zero good_sum silently falls back to the shop's price.
    return product.price if value == 0 else value


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    sandbox: Sandbox


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real server behind nginx
    disable_nagle_algorithm = True  # otherwise every small answer waits ~40 ms for a delayed ACK
    timeout = 60  # so abandoned keep-alive connections do not pin threads forever

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the sandbox runs inside tests and the importer's own output."""

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, text: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, text.encode() + b"\n", "text/plain; charset=utf-8", extra or {})

    def do_POST(self) -> None:
        """Answer one API call."""
        length = self.headers.get("Content-Length", "0").strip()
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower() or not length.isdigit():
            self.close_connection = True  # an unread body would be taken for the next request
            self._refuse(411, "Content-Length required")
            return
        body = self.rfile.read(int(length)).decode("utf-8", errors="replace")
        sandbox = cast(_Server, self.server).sandbox
        try:
            answer = sandbox._dispatch(self.path, body)
        except Exception:  # a sandbox bug must still give the client a well-formed answer
            self.close_connection = True
            self._refuse(500, "Internal sandbox error")
            raise
        data = json.dumps(answer).encode()  # ASCII escapes, as PHP's json_encode writes them
        self._send(200, data, "application/json; charset=utf-8", {})

    def _not_allowed(self) -> None:
        self._refuse(405, "Method not allowed", {"Allow": "POST"})

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


class Sandbox:
    """A local JustClick API: CreateOrder and GetOrderDetails over HTTP on loopback."""

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
        self._next_bill_id = first_bill_id
        self._orders: dict[int, SandboxOrder] = {}  # dicts keep insertion (creation) order
        self._forced: collections.deque[Answer] = collections.deque()
        self._calls: collections.Counter[str] = collections.Counter()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle -------------------------------------------------------------------------

    def _bind(self) -> _Server:
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        server = _Server((self._host, self._port), _Handler)
        server.sandbox = self
        self._port = int(server.server_address[1])
        self._server = server
        return server

    def start(self) -> Sandbox:
        """Serve in a background daemon thread; returns self."""
        server = self._bind()
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="justclick-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted (Ctrl+C propagates after a clean close)."""
        server = self._bind()
        try:
            server.serve_forever(poll_interval=0.05)
        finally:
            server.server_close()
            self._server = None

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
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

    def orders(self) -> list[SandboxOrder]:
        """The orders created so far, in creation order."""
        with self._lock:
            return list(self._orders.values())

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

    def _dispatch(self, path: str, body: str) -> dict[str, Any]:
        function = path.split("?", 1)[0].removeprefix("/api/").strip("/")
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
            return self._create_order(params)
        if function == "GetOrderDetails":
            return self._order_details(params)
        return self._answer(3, "Unknown function")

    def _create_order(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            forced = self._forced.popleft() if self._forced else None
        if forced is not None:
            return self._answer(*forced)
        email = params.get("bill_email")
        if not _plausible_email(email):
            return self._answer(600, "Bad customer email")
        goods = params.get("goods")
        entries = list(goods.values()) if isinstance(goods, dict) else []
        if not entries or not all(
            isinstance(entry, dict) and _text(entry, "good_name") for entry in entries
        ):
            return self._answer(603, "No goods")
        items: list[tuple[str, float, bool]] = []
        for entry in entries:
            name = entry["good_name"]
            product = self._catalog.get(name)
            if product is None:
                return self._answer(604, f"Product not exist: {name}")
            price = _price(entry.get("good_sum"), product)
            if price is None:
                return self._answer(3, "Wrong parameters")
            items.append((name, price, product.physical))
        if any(physical for _, _, physical in items) and not all(
            _text(params, field).strip() for field in DELIVERY_FIELDS
        ):
            return self._answer(605, "Delivery data missing")
        with self._lock:
            bill_id = self._next_bill_id
            self._next_bill_id += 1
            self._orders[bill_id] = SandboxOrder(
                bill_id, cast(str, email), params, tuple(items), int(time.time())
            )
        return self._answer(0, "Order created", {"bill_id": bill_id})

    def _order_details(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            bill_id = int(_text(params, "bill_id"))
        except ValueError:
            return self._answer(3, "Wrong parameters")
        with self._lock:
            order = self._orders.get(bill_id)
        if order is None:
            return self._answer(400, "Order not found")
        sent = order.params
        domain = _text(sent, "bill_domain")
        utm = sent.get("utm")
        utm = utm if isinstance(utm, dict) else {}
        total = sum(price for _, price, _ in order.items)
        created = _text(sent, "bill_created")
        result: dict[str, Any] = {"id": order.bill_id, "email": order.email}
        result |= {key: _text(sent, name) for key, name in _DETAIL_FIELDS.items()}
        result["middle_name"] = result["middle_name"] or _text(sent, "bill_otchestvo")
        result |= {
            "created": int(created) if created.isascii() and created.isdigit() else order.created,
            "paid": 0,
            "pay_status": "waiting",
            "domain": domain,
            "link": f"https://{domain}/order/{bill_id}/" if domain else f"/order/{bill_id}/",
            "price": total,
            "bill_sum_topay": total,
            "utm": {key: _text(utm, f"utm_{key}") for key in _UTM},
            "items": [
                {"id": name, "title": self._catalog[name].title, "sum": price,
                 "price": self._catalog[name].price}
                for name, price, _ in order.items
            ],
        }  # fmt: skip
        return self._answer(0, "OK", result)
