"""Orders refunded in full keep their goods: a migration keeps the history of every sale.

An export that counts what is left after refunds (WooCommerce's ``Quantity (- Refund)``) has 0
on every line of an order refunded item by item; left out, those lines leave the order nothing
to create. An order whose status is ``return`` and that has no line left is created with its
lines as they were sold: at the units ordered when the file gives them (``ordered_quantity``),
else one unit each. Each such line says so in place of its ``zero-quantity`` warning; an order
with any line left keeps only those (a partial refund), as does any order not returned.
"""

from __future__ import annotations

from collections.abc import Mapping

from justclick_import.models import Order, OrderLine
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.rows.goods import RowGoods

__all__ = ["restore_refunded_orders"]


def restore_refunded_orders(
    orders: list[Order], goods: RowGoods | None, *, headers: Mapping[str, str] | None = None
) -> tuple[list[RowProblem], set[RowProblem]]:
    """Give each order refunded in full its goods as sold; each line's problem is added to its
    order in place of its ``zero-quantity`` warning.

    Returns the problems added (``refunded-quantity-ordered`` or, when the file does not give
    the units ordered, ``refunded-quantity-assumed``) and the warnings they replace.
    ``headers`` maps fields to the file's headers for the messages.
    """
    if goods is None or not goods.refunded:
        return [], set()
    headers = headers or {}
    ordered_header = headers.get("ordered_quantity", "ordered_quantity")
    refunded = goods.refunded
    added: list[RowProblem] = []
    replaced: set[RowProblem] = set()
    for order in orders:
        if order.lines or order.customer.get("order_status") != "return":
            continue
        rows = [row for row in order.rows if row in refunded]
        if not rows:
            continue
        order.lines = [
            OrderLine(name, price, row) for row in rows for name, price in refunded[row].units
        ]
        told: dict[RowProblem, RowProblem] = {}
        for problem in order.problems:
            line = refunded.get(problem.row)
            if problem.code != ProblemCode.ZERO_QUANTITY or line is None:
                continue
            if line.ordered is None:
                code, detail = ProblemCode.REFUNDED_QUANTITY_ASSUMED, ""
            else:
                code, detail = (
                    ProblemCode.REFUNDED_QUANTITY_ORDERED,
                    f"{ordered_header}: {line.ordered}",
                )
            told[problem] = RowProblem(problem.row, problem.column, problem.value, code, detail)
        order.problems = [told.get(problem, problem) for problem in order.problems]
        added.extend(told.values())
        replaced.update(told)
    return added, replaced
