"""An order's total and currency as the old shop wrote them: checked, never sent as prices.

A total (``order_total``) is the price of an order of one product with no price of its own
(GetCourse, amoCRM, Tilda write only the total); otherwise it is compared with what JustClick
will charge (the prices given, the catalog's for the rest): a difference (a discount, shipping,
a tip) is a warning, and the workbook shows both. An order not in the shop's currency is not
sent: its prices would be read as the shop's money.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from justclick_import.models import Order
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.sources.catalog import Product

__all__ = ["check_totals"]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # a bad total: told by validation


def _money(value: float) -> str:
    return f"{value:.2f}".removesuffix(".00")


def _price_from_total(order: Order, total: float) -> bool:
    """Give the units of a one-product order without prices the total's share; True if done."""
    lines = order.lines
    if total <= 0 or not lines or any(line.good_sum is not None for line in lines):
        return False
    if len({(line.good_name, line.row) for line in lines}) != 1:
        return False
    share = round(total / len(lines), 2)
    if abs(share * len(lines) - total) > 0.004:  # 100 for 3 units: not an exact price
        return False
    order.lines = [replace(line, good_sum=share) for line in lines]
    return True


def _shop_total(order: Order, catalog: Mapping[str, Product] | None) -> float | None:
    total = 0.0
    for line in order.lines:
        if line.good_sum is not None:
            total += line.good_sum
        elif catalog is not None and line.good_name in catalog:
            total += catalog[line.good_name].price
        else:
            return None
    return round(total, 2)


def check_totals(
    orders: list[Order],
    *,
    catalog: Mapping[str, Product] | None = None,
    currency: str = "RUB",
    file_currency: str = "",
    headers: Mapping[str, str] | None = None,
) -> list[RowProblem]:
    """Check each order's currency and total (see the module); problems are added to orders.

    ``currency`` is the shop's; ``file_currency`` the file's amounts' when no column says.
    """
    headers = headers or {}
    shop = currency.strip().upper()
    found: list[RowProblem] = []
    for order in orders:
        new: list[RowProblem] = []
        written = order.customer.get("currency") or file_currency
        if written and shop and written != shop:
            column = headers.get("currency", headers.get("order_total", "currency"))
            new.append(
                RowProblem(order.rows[0], column, written, ProblemCode.FOREIGN_CURRENCY, shop)
            )
        text = order.customer.get("order_total", "")
        total = _number(text) if text else None
        order.source_total = total
        used = total is not None and _price_from_total(order, total)
        order.shop_total = _shop_total(order, catalog)
        charged = order.charged_total
        if total is not None and not used and charged is not None and order.lines:
            difference = round(total - charged, 2)
            if abs(difference) >= 0.01:
                column = headers.get("order_total", "order_total")
                detail = f"{_money(charged)} ({difference:+.2f})"
                code = ProblemCode.TOTAL_DIFFERS
                new.append(RowProblem(order.rows[0], column, _money(total), code, detail))
        order.problems.extend(new)
        found.extend(new)
    return found
