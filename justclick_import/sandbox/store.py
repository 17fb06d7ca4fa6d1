"""The sandbox shop's order book: its orders and the API functions that read and change them.

Each function takes the parameters of one call as PHP parsed them (the sandbox has already
checked and removed ``hash``) and returns ``(error_code, error_text, result)``, unsigned: the
sandbox (:mod:`justclick_import.sandbox`) signs and sends it. Behaviour follows
``../shared/justclick/API.md``; where it is silent, the choice is noted here. Thread-safe.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, Protocol

from justclick_import.fields import DELIVERY_FIELDS

__all__ = ["PAY_STATUSES", "STATUSES", "Answer", "OrderStore", "SandboxOrder", "StatusChange"]

Answer = tuple[int, str, dict[str, Any] | None]

# UpdateOrderStatus' statuses: payment received, shipped by post, returned, cancelled.
STATUSES = ("paid", "sent", "return", "cancel")
# GetBills' pay_status filter, and GetOrderDetails' pay_status.
PAY_STATUSES = ("paid", "waiting", "cancel")

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
_WRONG: Answer = (3, "Wrong parameters", None)
_NOT_FOUND: Answer = (400, "Order not found", None)


class CatalogItem(Protocol):
    """What the order book needs of a catalog product."""

    @property
    def title(self) -> str: ...
    @property
    def price(self) -> float: ...
    @property
    def physical(self) -> bool: ...


class StatusChange(NamedTuple):
    """One status UpdateOrderStatus applied: the status, its unix time, the tracking number."""

    status: str
    date: int
    rpo: str  # set for "sent" only


@dataclass(frozen=True)
class SandboxOrder:
    """An order the sandbox created: what was sent (without ``hash``), what it cost, its status.

    A snapshot: changing an order's status or deleting it stores a new one.
    """

    bill_id: int
    email: str
    params: dict[str, Any]
    items: tuple[tuple[str, float, bool], ...]  # (good_name, effective price, physical)
    created: int
    status: str = "waiting"  # the last status applied (STATUSES); "waiting" before any
    status_date: int = 0  # its unix time
    rpo: str = ""  # the tracking number of the last "sent"
    status_history: tuple[StatusChange, ...] = ()  # every status applied, repeats included
    deleted: bool = False

    @property
    def pay_status(self) -> str:
        """``paid`` or ``cancel``, whichever was applied last; ``waiting`` before either.

        ``sent`` and ``return`` leave it as it was: a paid order that is shipped stays paid.
        """
        paying = [change.status for change in self.status_history if change.status in PAY_STATUSES]
        return paying[-1] if paying else "waiting"

    @property
    def paid(self) -> int:
        """The unix time of the payment while the order counts as paid; 0 otherwise."""
        if self.pay_status != "paid":
            return 0
        return next(c.date for c in reversed(self.status_history) if c.status == "paid")


def _plausible_email(value: Any) -> bool:
    # Deliberately loose, like the server: one '@', something before it, a dotted domain.
    # Unicode domains (почта.рф) pass; whitespace does not.
    if not isinstance(value, str) or value.count("@") != 1 or any(c.isspace() for c in value):
        return False
    local, domain = value.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) > 1 and all(labels)


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    return value if isinstance(value, str) else ""


def _whole(text: str) -> int | None:
    """A non-negative whole number written in ASCII digits; None for anything else."""
    return int(text) if text.isascii() and text.isdigit() else None


def _price(raw: Any, product: CatalogItem) -> float | None:
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


class OrderStore:
    """The orders of the sandbox shop and the API functions over them."""

    def __init__(
        self,
        catalog: Mapping[str, CatalogItem],
        first_bill_id: int = 1001,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """An empty order book selling ``catalog``; bill ids count up from ``first_bill_id``;
        ``clock`` is the shop's own (bills' ``created``)."""
        self._catalog = catalog
        self._clock = clock
        self._lock = threading.Lock()
        self._next_bill_id = first_bill_id
        self._orders: dict[int, SandboxOrder] = {}  # dicts keep insertion (creation) order
        self._functions: dict[str, Callable[[dict[str, Any]], Answer]] = {
            "CreateOrder": self.create_order,
            "GetOrderDetails": self.order_details,
            "GetBills": self.bills,
            "UpdateOrderStatus": self.update_status,
            "DeleteOrder": self.delete_order,
        }

    def orders(self, include_deleted: bool = False) -> list[SandboxOrder]:
        """The orders created so far, in creation order; deleted ones only if asked for."""
        with self._lock:
            return [o for o in self._orders.values() if include_deleted or not o.deleted]

    def call(self, function: str, params: dict[str, Any]) -> Answer:
        """Answer one call of the API ``function`` (error 3 for a name it does not know)."""
        handler = self._functions.get(function)
        return handler(params) if handler is not None else (3, "Unknown function", None)

    def _live(self, bill_id: int) -> SandboxOrder | None:
        """The order with this id unless it does not exist or was deleted (lock held)."""
        order = self._orders.get(bill_id)
        return None if order is None or order.deleted else order

    # --- the API functions -------------------------------------------------------------------

    def create_order(self, params: dict[str, Any]) -> Answer:
        """CreateOrder: check the order as the server does and store it."""
        email = params.get("bill_email")
        if not isinstance(email, str) or not _plausible_email(email):
            return (600, "Bad customer email", None)
        goods = params.get("goods")
        entries = list(goods.values()) if isinstance(goods, dict) else []
        if not entries or not all(
            isinstance(entry, dict) and _text(entry, "good_name") for entry in entries
        ):
            return (603, "No goods", None)
        items: list[tuple[str, float, bool]] = []
        for entry in entries:
            name = entry["good_name"]
            product = self._catalog.get(name)
            if product is None:
                return (604, f"Product not exist: {name}", None)
            price = _price(entry.get("good_sum"), product)
            if price is None:
                return _WRONG
            items.append((name, price, product.physical))
        if any(physical for _, _, physical in items) and not all(
            _text(params, field).strip() for field in DELIVERY_FIELDS
        ):
            return (605, "Delivery data missing", None)
        with self._lock:
            bill_id = self._next_bill_id
            self._next_bill_id += 1
            self._orders[bill_id] = SandboxOrder(
                bill_id, email, params, tuple(items), int(self._clock())
            )
        return (0, "Order created", {"bill_id": bill_id})

    def order_details(self, params: dict[str, Any]) -> Answer:
        """GetOrderDetails: one order with its status (400 when unknown or deleted)."""
        bill_id = _whole(_text(params, "bill_id"))
        if bill_id is None:
            return _WRONG
        with self._lock:
            order = self._live(bill_id)
        return _NOT_FOUND if order is None else (0, "OK", self._details(order))

    def bills(self, params: dict[str, Any]) -> Answer:
        """GetBills: a customer's orders keyed by bill id, optionally only one ``pay_status``.

        The e-mail is compared trimmed and case-insensitively; deleted orders are not listed.
        An e-mail with no orders gets error 0 and an empty ``result`` ``{}``: API.md does not
        say what the server answers then (PHP's json_encode would even write ``[]`` for an empty
        array), and an empty list is what a client looking for an uncertain order must handle.
        """
        email = _text(params, "email").strip().lower()
        wanted = _text(params, "pay_status")
        if not email or (wanted and wanted not in PAY_STATUSES):
            return _WRONG
        with self._lock:
            found = [
                order
                for order in self._orders.values()
                if not order.deleted
                and order.email.lower() == email
                and wanted in ("", order.pay_status)
            ]
        return (0, "OK", {str(order.bill_id): self._details(order) for order in found})

    def update_status(self, params: dict[str, Any]) -> Answer:
        """UpdateOrderStatus: apply ``status`` (``sent`` needs ``rpo``) at ``date`` (default now).

        Every call that succeeds is recorded, so applying a status twice shows twice.
        """
        bill_id = _whole(_text(params, "bill_id"))
        status = _text(params, "status")
        rpo = _text(params, "rpo").strip() if status == "sent" else ""
        raw_date = _text(params, "date")
        date = _whole(raw_date) if raw_date else int(self._clock())
        if bill_id is None or status not in STATUSES or date is None:
            return _WRONG
        if status == "sent" and not rpo:  # shipped by post: the tracking number is required
            return _WRONG
        change = StatusChange(status, date, rpo)
        with self._lock:
            order = self._live(bill_id)
            if order is None:
                return _NOT_FOUND
            self._orders[bill_id] = replace(
                order,
                status=status,
                status_date=date,
                rpo=rpo or order.rpo,
                status_history=(*order.status_history, change),
            )
        return (0, "OK", None)

    def delete_order(self, params: dict[str, Any]) -> Answer:
        """DeleteOrder: the order disappears from every answer (400 when unknown or deleted)."""
        bill_id = _whole(_text(params, "bill_id"))
        if bill_id is None:
            return _WRONG
        with self._lock:
            order = self._live(bill_id)
            if order is None:
                return _NOT_FOUND
            self._orders[bill_id] = replace(order, deleted=True)
        return (0, "OK", None)

    def _details(self, order: SandboxOrder) -> dict[str, Any]:
        """GetOrderDetails' ``result`` for one order (GetBills lists the same per order)."""
        sent = order.params
        bill_id = order.bill_id
        domain = _text(sent, "bill_domain")
        utm = sent.get("utm")
        utm = utm if isinstance(utm, dict) else {}
        total = sum(price for _, price, _ in order.items)
        created = _whole(_text(sent, "bill_created"))
        result: dict[str, Any] = {"id": bill_id, "email": order.email}
        result |= {key: _text(sent, name) for key, name in _DETAIL_FIELDS.items()}
        result["middle_name"] = result["middle_name"] or _text(sent, "bill_otchestvo")
        result |= {
            "created": order.created if created is None else created,
            "paid": order.paid,
            "pay_status": order.pay_status,
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
        return result
