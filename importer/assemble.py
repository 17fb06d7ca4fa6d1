"""Stage 4, assemble: validated rows become orders, one per order number or per customer."""

from __future__ import annotations

from importer.fields import CUSTOMER_FIELDS, ORDER_ID, UTM_FIELDS
from importer.models import Order, OrderLine, RowProblem
from importer.validate import ValidRows

__all__ = ["assemble_orders"]

_ORDER_FIELDS = (*CUSTOMER_FIELDS, *UTM_FIELDS)
_TIMER_KILL = {"true": "1", "yes": "1", "false": "0", "no": "0"}


def _group_rows(valid: ValidRows) -> dict[tuple[str, str], list[int]]:
    """Row positions per order, in order of first appearance (rows need not be adjacent)."""
    emails = valid.frame["bill_email"].tolist()
    order_ids = valid.frame[ORDER_ID].tolist() if ORDER_ID in valid.frame else [""] * len(emails)
    groups: dict[tuple[str, str], list[int]] = {}
    for position, (order_id, email) in enumerate(zip(order_ids, emails, strict=True)):
        if order_id:
            key = ("order", order_id)
        elif email:
            key = ("email", email.casefold())  # one customer, however the e-mail is capitalised
        else:
            key = ("row", str(valid.row_numbers[position]))
        groups.setdefault(key, []).append(position)
    return groups


def assemble_orders(
    valid: ValidRows, *, headers: dict[str, str] | None = None
) -> tuple[list[Order], list[RowProblem]]:
    """Group rows into orders: rows sharing an ``order_id``, else all rows of one e-mail.

    A customer value (name, address, coupon, ...) may be written on one row of the order only;
    rows that disagree make the order invalid. ``headers`` maps fields to the file's headers
    for the messages. Returns the orders and the problems found while grouping.
    """
    headers = headers or {}
    columns = {name: valid.frame[name].tolist() for name in _ORDER_FIELDS if name in valid.frame}
    good_names = valid.frame["good_name"].tolist()
    rows = valid.row_numbers
    problems_by_row: dict[int, list[RowProblem]] = {}
    for problem in valid.problems:
        problems_by_row.setdefault(problem.row, []).append(problem)

    orders: list[Order] = []
    found: list[RowProblem] = []
    for (kind, identity), positions in _group_rows(valid).items():
        customer: dict[str, str] = {}
        problems = [p for i in positions for p in problems_by_row.get(rows[i], [])]
        for name, values in columns.items():
            # First row and value per distinct value; e-mails compare case-insensitively.
            seen: dict[str, tuple[int, str]] = {}
            for i in positions:
                value = values[i]
                if value:
                    seen.setdefault(
                        value.casefold() if name == "bill_email" else value, (rows[i], value)
                    )
            if len(seen) > 1:
                firsts = sorted(seen.values())
                conflict = RowProblem(
                    firsts[0][0],
                    headers.get(name, name),
                    " | ".join(value for _, value in firsts),
                    "conflicting-order",
                    "rows of one order disagree ("
                    + ", ".join(f"row {row}: {value!r}" for row, value in firsts)
                    + "); make them equal or give the orders different order numbers",
                )
                problems.append(conflict)
                found.append(conflict)
            if seen:
                value = min(seen.values())[1]
                if name == "bill_timer_kill":
                    value = _TIMER_KILL.get(value.casefold(), value)
                customer[name] = value
        lines = [OrderLine(good_names[i], valid.prices[i], rows[i]) for i in positions]
        key = identity if kind != "row" else f"row {identity}"
        order_id = identity if kind == "order" else ""
        positions_rows = [rows[i] for i in positions]
        orders.append(Order(key, customer, lines, positions_rows, problems, order_id=order_id))
    return orders, found
