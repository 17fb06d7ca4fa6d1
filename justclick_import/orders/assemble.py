"""Stage 3, assemble: validated rows become orders, one per order number or per customer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from justclick_import.fields import (
    CUSTOMER_FIELDS,
    FREE_TEXT_FIELDS,
    ORDER_ID,
    SOURCE_ORDER_FIELDS,
    STATUS_FIELDS,
    UTM_FIELDS,
)
from justclick_import.models import Order, OrderLine
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.rows.goods import RowGoods
from justclick_import.rows.validate import ValidRows

__all__ = ["assemble_orders"]

# Status: migrations; the source fields (full name, total, currency) become what is sent later.
_ORDER_FIELDS = (*CUSTOMER_FIELDS, *UTM_FIELDS, *STATUS_FIELDS, *SOURCE_ORDER_FIELDS)
_TIMER_KILL = {"true": "1", "yes": "1", "false": "0", "no": "0"}


def _group_rows(valid: ValidRows) -> tuple[dict[tuple[str, str], list[int]], list[int]]:
    """Row positions per order, in order of first appearance (rows need not be adjacent), and
    the order (its index in that order) of every row position.
    """
    emails = valid.texts("bill_email")
    order_ids = valid.texts(ORDER_ID) if ORDER_ID in valid.frame else [""] * len(emails)
    groups: dict[tuple[str, str], list[int]] = {}
    group_of: list[int] = []
    for position, (order_id, email) in enumerate(zip(order_ids, emails, strict=True)):
        if order_id:
            key = ("order", order_id)
        elif email:
            key = ("email", email.casefold())  # one customer, however the e-mail is capitalised
        else:
            key = ("row", str(valid.row_numbers[position]))
        positions = groups.get(key)
        if positions is None:
            positions = groups[key] = []
        positions.append(position)
        group_of.append(len(groups) - 1 if len(positions) == 1 else group_of[positions[0]])
    return groups, group_of


def _merge_column(
    name: str,
    column: tuple[np.ndarray, list[str]],
    group_of: np.ndarray,
    customers: list[dict[str, str]],
) -> set[int]:
    """Put each order's first non-empty value of ``column`` (each row's index into its
    distinct values, and those values) into its customer; the orders that disagree.

    Whole arrays, not one step per row: rows come in file order, so a group's first row with a
    value is its first occurrence. E-mails compare case-insensitively.
    """
    positions, distinct = column
    filled = np.fromiter((text != "" for text in distinct), dtype=bool, count=len(distinct))
    rows = filled[positions]
    groups = group_of[rows]
    taken = positions[rows]
    if name == "bill_email":
        folded, _ = pd.factorize(np.array([text.casefold() for text in distinct], dtype=object))
        compared = np.asarray(folded)[taken]
    else:
        compared = taken
    present, first = np.unique(groups, return_index=True)
    for group, position in zip(present.tolist(), taken[first].tolist(), strict=True):
        customers[group][name] = distinct[position]
    wanted = np.full(len(customers), -1, dtype=np.int64)
    wanted[present] = compared[first]
    return set(np.unique(groups[compared != wanted[groups]]).tolist())


def _join_column(
    name: str, values: list[str], group_of: list[int], customers: list[dict[str, str]]
) -> dict[int, int]:
    """Free text: each order's distinct non-empty ``values``, in row order, joined with ``; ``
    into its customer; the orders that had several, with how many."""
    texts: dict[int, list[str]] = {}
    for group, value in zip(group_of, values, strict=True):
        if value:
            seen = texts.setdefault(group, [])
            if value not in seen:
                seen.append(value)
    for group, seen in texts.items():
        customers[group][name] = "; ".join(seen)
    return {group: len(seen) for group, seen in texts.items() if len(seen) > 1}


def _conflict(
    name: str,
    header: str,
    values: list[str],
    positions: list[int],
    rows: list[int],
    written: list[str] | None = None,
) -> RowProblem:
    """The problem of one order whose rows disagree on ``name``, naming each distinct value
    as the file wrote it (``written``: a date as written, not its unix time)."""
    # First row and value per distinct value; e-mails compare case-insensitively.
    seen: dict[str, tuple[int, str]] = {}
    for i in positions:
        value = values[i]
        if value:
            shown = written[i] if written is not None else value
            seen.setdefault(value.casefold() if name == "bill_email" else value, (rows[i], shown))
    firsts = sorted(seen.values())
    return RowProblem(
        firsts[0][0],
        header,
        " | ".join(value for _, value in firsts),
        ProblemCode.CONFLICTING_ORDER,
        ", ".join(f"row {row}: {value!r}" for row, value in firsts),
    )


def _merge_customers(
    valid: ValidRows,
    headers: dict[str, str],
    groups: list[list[int]],
    group_of: list[int],
) -> tuple[list[dict[str, str]], dict[int, list[RowProblem]]]:
    """Each order's customer values, and each order's conflicts and joined texts."""
    rows = valid.row_numbers
    customers: list[dict[str, str]] = [{} for _ in groups]
    # Column by column (in the order the fields are sent), each order's problems in that order.
    found: dict[int, list[RowProblem]] = {}
    groups_of = np.asarray(group_of, dtype=np.int64)
    for name in _ORDER_FIELDS:
        if name not in valid.frame:
            continue
        column = valid.distinct(name)
        positions, distinct = column
        if not any(distinct):
            continue
        header = headers.get(name, name)
        if name in FREE_TEXT_FIELDS:
            values = np.asarray(distinct, dtype=object)[positions].tolist()
            for group, count in _join_column(name, values, group_of, customers).items():
                joined = customers[group][name]
                first = rows[groups[group][0]]
                code = ProblemCode.TEXTS_JOINED
                found.setdefault(group, []).append(
                    RowProblem(first, header, joined, code, str(count))
                )
            continue
        clashes = _merge_column(name, column, groups_of, customers)
        if clashes:
            values = np.asarray(distinct, dtype=object)[positions].tolist()
            written = valid.written.get(name)
            shown = written.tolist() if written is not None else None
            for group in sorted(clashes):
                conflict = _conflict(name, header, values, groups[group], rows, shown)
                found.setdefault(group, []).append(conflict)
    if "bill_timer_kill" in valid.frame:
        for customer in customers:
            if "bill_timer_kill" in customer:
                timer = customer["bill_timer_kill"]
                customer["bill_timer_kill"] = _TIMER_KILL.get(timer.casefold(), timer)
    return customers, found


def _status_words(valid: ValidRows, groups: list[list[int]]) -> list[str]:
    """Each order's status word as the file wrote it (its first row that has one)."""
    written = valid.written.get("order_status")
    if written is None:
        return [""] * len(groups)
    words = written.tolist()
    return [next((words[i] for i in positions if words[i]), "") for positions in groups]


def assemble_orders(
    valid: ValidRows,
    *,
    headers: dict[str, str] | None = None,
    goods: RowGoods | None = None,
) -> tuple[list[Order], list[RowProblem]]:
    """Group rows into orders: rows sharing an ``order_id``, else all rows of one e-mail.

    A customer value (name, address, coupon, ...) may be written on one row of the order only;
    rows that disagree make the order invalid, but for free text (comment, tag), joined with a
    warning. ``goods`` are the rows' goods entries (default: each row one unit of its
    ``good_name``) with the problems found resolving them. ``headers`` maps fields to the
    file's headers for the messages. Returns the orders and the problems found while grouping.
    """
    headers = headers or {}
    rows = valid.row_numbers
    groups, group_of = _group_rows(valid)
    group_positions = list(groups.values())
    customers, grouping = _merge_customers(valid, headers, group_positions, group_of)
    words = _status_words(valid, group_positions)
    problems_by_row: dict[int, list[RowProblem]] = {}
    for problem in [*valid.problems, *(goods.problems if goods is not None else ())]:
        problems_by_row.setdefault(problem.row, []).append(problem)
    if goods is None:
        good_names = valid.texts("good_name")  # one text object per product, not one per line
        prices = valid.prices
    orders: list[Order] = []
    found: list[RowProblem] = []
    for group, ((kind, identity), positions) in enumerate(groups.items()):
        problems = [p for i in positions for p in problems_by_row.get(rows[i], ())]
        if group in grouping:
            problems += grouping[group]
            found += grouping[group]
        if goods is None:
            lines = [OrderLine(good_names[i], prices[i], rows[i]) for i in positions]
        else:
            units = goods.units
            lines = [OrderLine(name, price, rows[i]) for i in positions for name, price in units[i]]
        key = identity if kind != "row" else f"row {identity}"
        order_id = identity if kind == "order" else ""
        positions_rows = [rows[i] for i in positions]
        order = Order(key, customers[group], lines, positions_rows, problems, order_id=order_id)
        order.status_word = words[group]
        orders.append(order)
    return orders, found
