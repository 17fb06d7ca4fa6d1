"""Checks over whole orders, after their rows are merged: partner sales and the shop's catalog.

They run after ``assemble`` because a customer value may be written on one row of an order only:
the partner's login, or the delivery address that a physical product needs.
"""

from __future__ import annotations

import re

from justclick_import.fields import CUSTOMER_FIELDS, DELIVERY_FIELDS, UTM_FIELDS
from justclick_import.models import Order
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.rows.validate import ValidRows
from justclick_import.sources.catalog import Product

__all__ = ["check_orders"]

_FIELD_WORDS = {
    "bill_first_name": "first name",
    "bill_surname": "surname",
    "bill_country": "country",
    "bill_city": "city",
    "bill_address": "address",
}


# PHP keeps max_input_vars + 1 pairs of a POST body (1000 by default: 1,001 pairs, measured
# on PHP 8.2's own server); the rest, and the signature sent last, are dropped: the server
# answers "hash not sent".
MAX_INPUT_VARS = 1000
MAX_PAIRS = MAX_INPUT_VARS + 1
# PHP's post_max_size (8 MiB by default): a bigger body arrives empty ("no parameters").
MAX_BODY_BYTES = 8 * 1024 * 1024
_SENT_FIELDS = (*CUSTOMER_FIELDS, *UTM_FIELDS)


def _request_values(order: Order) -> int:
    """How many name=value pairs the order's CreateOrder sends, its signature included."""
    if 2 * len(order.lines) + len(order.customer) + 1 <= MAX_PAIRS:
        return 0  # an upper bound already below the limit: most orders are far below it
    goods = sum(2 if line.good_sum is not None else 1 for line in order.lines)
    customer = order.customer
    return goods + sum(1 for name in _SENT_FIELDS if customer.get(name)) + 1


def _body_size(order: Order) -> int:
    """The bytes of the order's CreateOrder body (an upper bound first: most are far below)."""
    customer = order.customer
    # Every value of the customer, sent or not, and each product name: an upper bound.
    texts = sum(map(len, customer.values())) + sum(len(line.good_name) for line in order.lines)
    # Each character is at most 4 UTF-8 bytes, each byte at most 3 characters (%XX).
    if 12 * texts + 96 * len(order.lines) + 48 * len(_SENT_FIELDS) <= MAX_BODY_BYTES:
        return 0
    size = sum(_encoded(customer.get(name) or "") + len(name) + 12 for name in _SENT_FIELDS)
    for line in order.lines:  # goods%5B12%5D%5Bgood_name%5D=...&goods%5B12%5D%5Bgood_sum%5D=...
        size += _encoded(line.good_name) + 80
    return size + len("&hash=") + 32


_UNSAFE = re.compile(rb"[^A-Za-z0-9_.\- ]")


def _encoded(text: str) -> int:
    """The length of ``text`` as PHP's urlencode writes it (a byte, or %XX per byte)."""
    data = text.encode("utf-8", "replace")
    return len(data) + 2 * len(_UNSAFE.findall(data))


def check_orders(
    orders: list[Order],
    valid: ValidRows,
    *,
    catalog: dict[str, Product] | None = None,
    headers: dict[str, str] | None = None,
    ids_checked: bool = False,
) -> list[RowProblem]:
    """Find what is wrong with whole orders; each problem is also added to its order.

    - ``missing-email``: no row of a numbered order gives the customer's e-mail.
    - ``affiliate-without-source``: ``utm_medium`` is ``affiliate`` but the order has no
      ``utm_source`` (JustClick marks a partner sale by both together).
    - ``too-many-goods``: more values than JustClick's PHP reads from one request.
    - ``request-too-large``: a body larger than PHP's ``post_max_size``.
    - ``missing-tracking``: a legacy status ``sent`` without the postal tracking number.
    - ``no-goods``: no line of the order is a product to import (all left out).
    - With a ``catalog``: ``unknown-product`` for an id the shop does not have (unless
      ``ids_checked``: the goods were resolved with the catalog already), and
      ``missing-delivery`` for a physical product whose order lacks a delivery field.

    ``headers`` maps fields to the file's headers for the messages.
    """
    headers = headers or {}
    found: list[RowProblem] = []
    medium_rows = _affiliate_rows(valid)
    for order in orders:
        new: list[RowProblem] = []
        if not order.email and not any(p.code == ProblemCode.MISSING_EMAIL for p in order.problems):
            # Rows with an order number, none of them with the e-mail.
            new.append(
                RowProblem(
                    order.rows[0],
                    headers.get("bill_email", "bill_email"),
                    "",
                    ProblemCode.MISSING_EMAIL,
                )
            )
        if order.customer.get("utm_medium") == "affiliate" and not order.customer.get("utm_source"):
            row = next((row for row in order.rows if row in medium_rows), order.rows[0])
            column = headers.get("utm_medium", "utm_medium")
            new.append(RowProblem(row, column, "affiliate", ProblemCode.AFFILIATE_WITHOUT_SOURCE))
        if order.customer.get("order_status") == "sent" and not order.customer.get(
            "tracking_number"
        ):
            column = headers.get("tracking_number", "tracking_number")
            new.append(RowProblem(order.rows[0], column, "", ProblemCode.MISSING_TRACKING))
        if not order.lines and order.is_valid:
            column = headers.get("good_name", headers.get("good_title", "good_name"))
            new.append(RowProblem(order.rows[0], column, "", ProblemCode.NO_GOODS))
        if _request_values(order) > MAX_PAIRS:
            column = headers.get("good_name", "good_name")
            count = str(len(order.lines))
            new.append(RowProblem(order.rows[0], column, count, ProblemCode.TOO_MANY_GOODS))
        size = _body_size(order) if order.is_valid and not new else 0
        if size > MAX_BODY_BYTES:
            column = headers.get("good_name", "good_name")
            megabytes = f"{size / 1024 / 1024:.1f} MiB"
            new.append(
                RowProblem(order.rows[0], column, "", ProblemCode.REQUEST_TOO_LARGE, megabytes)
            )
        if catalog is not None:
            new.extend(_catalog_problems(order, catalog, headers, ids_checked))
        order.problems.extend(new)
        found.extend(new)
    return found


def _affiliate_rows(valid: ValidRows) -> set[int]:
    if "utm_medium" not in valid.frame:
        return set()
    media = valid.texts("utm_medium")
    return {row for row, medium in zip(valid.row_numbers, media, strict=True) if medium}


def _catalog_problems(
    order: Order, catalog: dict[str, Product], headers: dict[str, str], ids_checked: bool
) -> list[RowProblem]:
    column = headers.get("good_name", headers.get("good_title", "good_name"))
    problems: list[RowProblem] = []
    missing = [name for name in DELIVERY_FIELDS if not order.customer.get(name)]
    seen: set[tuple[int, str]] = set()
    for line in order.lines:
        if not line.good_name or (line.row, line.good_name) in seen:
            continue  # already reported as missing-product, or a further unit of a line
        seen.add((line.row, line.good_name))
        product = catalog.get(line.good_name)
        if product is None and ids_checked:
            continue  # told when its title or id was matched with the catalog
        if product is None:
            problems.append(
                RowProblem(line.row, column, line.good_name, ProblemCode.UNKNOWN_PRODUCT)
            )
        elif product.physical and missing:
            absent = ", ".join(headers.get(name, _FIELD_WORDS[name]) for name in missing)
            problems.append(
                RowProblem(
                    line.row,
                    column,
                    line.good_name,
                    ProblemCode.MISSING_DELIVERY,
                    f"missing: {absent}",
                )
            )
    return problems
