"""Is this bill that order? Everything GetBills and GetOrderDetails show, compared with the order.

A customer may have bills of their own beside the import's (placed meanwhile, or long ago), with
the same products. A bill is taken for an order only when every field both sides have agrees:
the goods with their prices, the names, phone and address, the coupon, tag, comment, domain and
utm fields, and the creation date a migrated order was sent with. A field the bill does not
show is not held against it; one it shows differently is.

Times: ``created`` may be a unix time, a date string (``2026-11-29 14:30:00``, the server's
zone unknown: it could be any zone within ±14 hours) or missing; ``created_span`` says what is
known of it, never guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from justclick_import.models import Order

__all__ = ["ZONE_SPREAD", "bill_differences", "created_span"]

ZONE_SPREAD = 14 * 3600  # a naive date string may be in any zone from UTC-12 to UTC+14

# GetOrderDetails' names for the CreateOrder fields it shows (API.md).
_FIELDS = {
    "bill_email": "email",
    "bill_first_name": "first_name",
    "bill_surname": "last_name",
    "bill_middle_name": "middle_name",
    "bill_phone": "phone",
    "bill_country": "country",
    "bill_region": "region",
    "bill_city": "city",
    "bill_address": "address",
    "bill_postal_code": "postalcode",
    "bill_kupon": "kupon",
    "bill_tag": "tag",
    "bill_comment": "comment",
    "bill_domain": "domain",
}
# Fields of one order, never of the customer: a bill that has one the order lacks is another's.
_OWN_FIELDS = ("bill_kupon", "bill_tag", "bill_comment")
_UTM = ("source", "medium", "campaign", "content", "term")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d.%m.%Y %H:%M:%S",
                 "%d.%m.%Y %H:%M", "%d.%m.%Y")  # fmt: skip


def created_span(value: Any) -> tuple[float, float] | None:
    """The earliest and latest unix time a bill's ``created`` can mean; None when unknown."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return (float(value), float(value)) if value > 0 else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        stamp = float(text)
        return (stamp, stamp) if stamp > 0 else None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is not None:
        return (moment.timestamp(), moment.timestamp())
    for form in _DATE_FORMATS:
        try:
            moment = datetime.strptime(text, form)
        except ValueError:
            continue
        break
    if moment is None:
        return None
    stamp = moment.replace(tzinfo=UTC).timestamp()
    return (stamp - ZONE_SPREAD, stamp + ZONE_SPREAD)


def _plain(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value))


def _same(name: str, ours: str, theirs: Any) -> bool:
    if name == "bill_phone":
        return _digits(ours) == _digits(theirs)
    if name == "bill_domain":
        return _plain(ours).removeprefix("www.") == _plain(theirs).removeprefix("www.")
    return _plain(ours) == _plain(theirs)


def _price(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _goods_differences(order: Order, items: list[Any]) -> list[str]:
    """What differs between the order's goods (with the prices it gives) and the bill's."""
    theirs = [
        (str(item.get("id", "")), _price(item.get("sum", item.get("price"))))
        for item in items
        if isinstance(item, Mapping)
    ]
    ours = sorted(
        ((line.good_name, line.good_sum or None) for line in order.lines),  # 0: shop's price
        key=lambda line: (line[1] is None, line),
    )
    if len(theirs) != len(ours):
        return [f"{len(theirs)} goods, not {len(ours)}"]
    left = list(theirs)
    for name, price in ours:  # priced lines first: each takes an item of its id and price
        found = next(
            (
                i
                for i, (item_id, item_sum) in enumerate(left)
                if item_id == name
                and (price is None or (item_sum is not None and abs(item_sum - price) < 0.005))
            ),
            None,
        )
        if found is None:
            shown = name if price is None else f"{name} at {price:g}"
            return [f"no {shown} among its goods"]
        left.pop(found)
    return []


def bill_differences(order: Order, bill: Mapping[str, Any]) -> list[str]:
    """How ``bill`` (GetOrderDetails' fields) differs from ``order``; empty when it is the same.

    ``bill`` must hold ``items``; a field it does not show is not counted against it.
    """
    items = bill.get("items")
    differences = _goods_differences(order, items if isinstance(items, list) else [])
    customer = order.customer
    for field, key in _FIELDS.items():
        ours = customer.get(field, "")
        if key not in bill or bill[key] is None:
            continue
        theirs = bill[key]
        if (ours and not _same(field, ours, theirs)) or (
            not ours and field in _OWN_FIELDS and _plain(theirs)
        ):
            differences.append(f"{key} {str(theirs)[:40]!r}")
    utm = bill.get("utm")
    if isinstance(utm, Mapping):
        for key in _UTM:
            ours = customer.get(f"utm_{key}", "")
            if ours and key in utm and not _same("utm", ours, utm[key]):
                differences.append(f"utm {key} {str(utm[key])[:40]!r}")
    stated = customer.get("bill_created", "")
    span = created_span(bill.get("created"))
    if stated.isdigit() and span is not None and not span[0] - 1 <= int(stated) <= span[1] + 1:
        differences.append("another creation date")
    return differences
