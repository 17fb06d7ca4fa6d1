"""The facts of a run laid out as tables: one source for the workbook, the CSV files and the JSON.

Each function here is pure: it reads a ``RunResult`` (and the row outcomes, computed once by the
caller because a million rows take a second) and returns plain values, so the three outputs can
never disagree on a count.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from justclick_import.language import Language
from justclick_import.models import Doubt, OrderResult, OrderStatus, RowOutcome, RunResult
from justclick_import.problems import RowProblem
from justclick_import.sending.identity import IMPORT_NAME_ITEM

__all__ = [
    "IMPORT_NAME_ITEM",
    "ORDERS_HEADERS",
    "OUTCOME_HEADERS",
    "PROBLEMS_HEADERS",
    "RESULT_HEADERS",
    "ROW_NUMBER_HEADER",
    "RowsPart",
    "as_text",
    "created_total",
    "file_sha256",
    "kept_input_columns",
    "order_columns",
    "order_line",
    "order_status_counts",
    "problem_code_counts",
    "problem_line",
    "reading_order",
    "row_status_counts",
    "rows_headers",
    "rows_parts",
    "settling",
    "sorted_problems",
]

ORDERS_HEADERS = (
    "order_key",
    "bill_email",
    "goods",
    "total",
    "status",
    "bill_id",
    "error_code",
    "error_text",
    "source_rows",
    "link",
    "legacy_status",
    "source_total",
    "difference",
)
OUTCOME_HEADERS = ("import_status", "bill_id", "import_message")
ROW_NUMBER_HEADER = "source_row"  # the Rows sheet's first column: the input's own row number
# Columns the results add to the input's: a results workbook imported again drops them.
RESULT_HEADERS = (ROW_NUMBER_HEADER, *OUTCOME_HEADERS)
PROBLEMS_HEADERS = ("row", "column", "value", "code", "problem", "severity")
_STATUSES = tuple(status.value for status in OrderStatus)


def file_sha256(source: Path) -> str:
    """The hex SHA-256 of a file, read in chunks, or "" when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def as_text(value: Any) -> str | None:
    """An input value as the text that was read; None for a missing value."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return str(value)


def order_status_counts(result: RunResult) -> dict[str, int]:
    """How many orders ended in each status, every status listed (in ``OrderStatus`` order)."""
    counts = Counter(order_result.status.value for order_result in result.results)
    return {status: counts[status] for status in _STATUSES}


def row_status_counts(statuses: Sequence[str]) -> dict[str, int]:
    """How many input rows ended in each status (``RunResult.row_statuses``), every status
    listed."""
    counts = Counter(statuses)
    ordered = {status: counts.pop(status, 0) for status in _STATUSES}
    ordered.update(sorted(counts.items()))  # a status the models may add later still counts
    return ordered


def reading_order(problem: RowProblem) -> tuple[int, str]:
    """Where ``problem`` comes in the Problems table: by row, then column."""
    return problem.row, problem.column


def sorted_problems(result: RunResult) -> list[RowProblem]:
    """The problems in reading order (``reading_order``; ties as listed)."""
    return sorted(result.problems, key=reading_order)


def problem_line(problem: RowProblem) -> tuple[int, str, str, str, str, str]:
    """One problem's line of the Problems table (``PROBLEMS_HEADERS``)."""
    return (
        problem.row,
        problem.column,
        problem.value,
        str(problem.code),
        problem.message,
        problem.severity,
    )


def problem_code_counts(problems: Sequence[RowProblem]) -> list[tuple[str, int]]:
    """Problem codes with how often each occurs, most frequent first (ties by code)."""
    counts = Counter(problem.code for problem in problems)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def created_total(result: RunResult) -> float:
    """The sum of the prices of the orders created by this run (prices given in the file)."""
    return sum(
        order_result.order.total
        for order_result in result.results
        if order_result.status == OrderStatus.CREATED and order_result.order.total is not None
    )


_DOUBT_WORDS: dict[Language, dict[Doubt, str]] = {
    "en": {
        Doubt.UNREAD: "{count} orders, not looked up yet",
        Doubt.WAITING: "{count} orders, sent without an answer, and the shop may still be "
        "creating them",
        Doubt.ABSENT: "{count} orders, looked up: not in the shop",
        Doubt.CHECK: "{count} orders, bills to check by hand",
    },
    "ru": {
        Doubt.UNREAD: "заказов: {count}, ещё не искали в магазине",
        Doubt.WAITING: "заказов: {count}, отправлены без ответа, магазин может ещё создавать их",
        Doubt.ABSENT: "заказов: {count}, искали: в магазине их нет",
        Doubt.CHECK: "заказов: {count}, счета нужно проверить вручную",
    },
}
_AFTER: dict[Language, str] = {"en": " (after {time})", "ru": " (после {time})"}


def settling(result: RunResult) -> dict[str, str]:
    """For each kind of doubt among the run's orders: how many, why, and what settles them."""
    counts = Counter(r.doubt for r in result.results if r.doubt is not None)
    after = max((r.resend_after for r in result.results if r.resend_after), default="")
    lines = {}
    for doubt in Doubt:
        if counts[doubt]:
            how = result.settle_commands.get(doubt.value, "")
            words = _DOUBT_WORDS[result.language][doubt].format(count=counts[doubt])
            when = _AFTER[result.language].format(time=after)
            when = when if doubt is Doubt.WAITING and after else ""
            lines[doubt.value] = f"{words}{when}" + (f": {how}" if how else "")
    return lines


def order_line(order_result: OrderResult) -> tuple[Any, ...]:
    """One order's line of the Orders table (``ORDERS_HEADERS``)."""
    return tuple(column[0] for column in order_columns([order_result]))


def order_columns(part: Sequence[OrderResult]) -> list[list[Any]]:
    """The Orders table's columns (``ORDERS_HEADERS``) of the orders of ``part``."""
    orders = [found.order for found in part]
    charged = [order.charged_total for order in orders]  # the shop's prices where none given
    source = [order.source_total for order in orders]  # the order's total in the file
    difference = [
        round(given - paid, 2) if given is not None and paid is not None else None
        for given, paid in zip(source, charged, strict=True)
    ]
    return [
        [order.key for order in orders],
        [order.email for order in orders],
        [", ".join([line.good_name for line in order.lines]) for order in orders],
        charged,
        [found.status.value for found in part],
        [found.bill_id for found in part],
        [found.error_code for found in part],
        [found.error_text for found in part],
        [", ".join(map(str, order.rows)) for order in orders],
        [found.link for found in part],
        [found.status_note for found in part],
        source,
        difference,
    ]


def kept_input_columns(frame: pd.DataFrame) -> list[int]:
    """Positions of the input columns the Rows table keeps, in the file's order.

    A results workbook imported again brings its own row-number and status columns; they are
    left out (by exact header) so that the new ones are not doubled.
    """
    return [i for i, name in enumerate(frame.columns) if str(name) not in RESULT_HEADERS]


def rows_headers(result: RunResult) -> list[str]:
    """The Rows table's headers: the input's own (as written), then ``OUTCOME_HEADERS``."""
    names = [str(name) for name in result.rows.columns]
    return [names[i] for i in kept_input_columns(result.rows)] + list(OUTCOME_HEADERS)


@dataclass(frozen=True)
class RowsPart:
    """A slice of the Rows table: the kept input columns and the outcomes of the same rows."""

    start: int  # position of the first row in the whole table
    inputs: list[pd.Series]  # one per kept input column
    outcomes: Sequence[RowOutcome]


def rows_parts(result: RunResult, outcomes: Sequence[RowOutcome], size: int) -> Iterator[RowsPart]:
    """The Rows table ``size`` rows at a time, so a million rows are never all copied at once."""
    frame = result.rows
    kept = kept_input_columns(frame)
    for start in range(0, len(frame), size):
        part = frame.iloc[start : start + size]
        # By position, not by name: a file may repeat a header.
        yield RowsPart(start, [part.iloc[:, i] for i in kept], outcomes[start : start + size])
