"""The facts of a run laid out as tables: one source for the workbook, the CSV files and the JSON.

Each function here is pure: it reads a ``RunResult`` (and the row outcomes, computed once by the
caller because a million rows take a second) and returns plain values, so the three outputs can
never disagree on a count.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from justclick_import.models import Doubt, OrderResult, OrderStatus, RowOutcome, RunResult
from justclick_import.problems import RowProblem
from justclick_import.sending.identity import IMPORT_NAME_ITEM

__all__ = [
    "IMPORT_NAME_ITEM",
    "ORDERS_HEADERS",
    "OUTCOME_HEADERS",
    "PROBLEMS_HEADERS",
    "RowsPart",
    "as_text",
    "created_total",
    "file_sha256",
    "kept_input_columns",
    "order_line",
    "order_status_counts",
    "problem_code_counts",
    "problem_line",
    "row_index",
    "row_status_counts",
    "rows_headers",
    "rows_parts",
    "settling",
    "sorted_problems",
    "summary_items",
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
)
OUTCOME_HEADERS = ("import_status", "bill_id", "import_message")
PROBLEMS_HEADERS = ("row", "column", "value", "code", "problem", "severity")
TOP_PROBLEM_CODES = 10  # the most frequent problem codes the summary lists
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


def row_status_counts(outcomes: Sequence[RowOutcome]) -> dict[str, int]:
    """How many input rows ended in each status, every status listed."""
    counts = Counter(outcome.import_status for outcome in outcomes)
    ordered = {status: counts.pop(status, 0) for status in _STATUSES}
    ordered.update(sorted(counts.items()))  # a status the models may add later still counts
    return ordered


def sorted_problems(result: RunResult) -> list[RowProblem]:
    """The problems in reading order: by row, then column."""
    return sorted(result.problems, key=lambda problem: (problem.row, problem.column))


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


def summary_items(
    result: RunResult,
    outcomes: Sequence[RowOutcome],
    *,
    sheets: Sequence[str] = (),
    previous: Path | None = None,
) -> list[tuple[str, Any]]:
    """The Summary sheet's (item, value) lines, in the order a person reads them.

    ``sheets`` names the sheets a table continues on when it is longer than Excel allows;
    ``previous`` is where an earlier results file was kept.
    """
    items: list[tuple[str, Any]] = [
        ("input file", result.source.name),
        ("input sha256", file_sha256(result.source)),
        ("sheet", result.sheet_name or ""),
        ("rows read", len(result.rows)),
        ("login", result.login),
        ("target", result.target),
        ("started", _local(result.started)),
        ("finished", _local(result.finished)),
        ("duration seconds", round((result.finished - result.started).total_seconds(), 3)),
        ("stopped because", result.stop_message),
        ("interrupted", "yes" if result.interrupted else "no"),
        ("orders", len(result.results)),
    ]
    items += [(f"orders {status}", n) for status, n in order_status_counts(result).items()]
    items.append(("created total", created_total(result)))
    items += [(f"rows {status}", n) for status, n in row_status_counts(outcomes).items()]
    items += [
        ("rows with problems", len({problem.row for problem in result.problems})),
        ("problems", len(result.problems)),
    ]
    top = problem_code_counts(result.problems)[:TOP_PROBLEM_CODES]
    items += [(f"problem {code}", count) for code, count in top]
    items += [
        # Read back when this workbook is imported again: the same import, the same orders.
        (IMPORT_NAME_ITEM, result.import_name),
        ("run id", result.run_id),
        ("journal", str(result.journal_path or "")),
        ("previous results kept as", previous.name if previous else ""),
        ("dates without a time zone read in", result.timezone),
        ("read as", result.source_format),
        ("ignored columns (never sent)", ", ".join(result.ignored_columns)),
    ]
    items += [(f"in doubt: {kind}", line) for kind, line in settling(result).items()]
    if sheets:
        items.append(("continued on", ", ".join(sheets) + " (Excel holds 1,048,576 rows a sheet)"))
    return items


_DOUBT_WORDS = {
    Doubt.UNREAD: "not looked up yet",
    Doubt.WAITING: "sent without an answer, and the shop may still be creating them",
    Doubt.ABSENT: "looked up: not in the shop",
    Doubt.CHECK: "bills to check by hand",
}


def settling(result: RunResult) -> dict[str, str]:
    """For each kind of doubt among the run's orders: how many, why, and what settles them."""
    counts = Counter(r.doubt for r in result.results if r.doubt is not None)
    after = max((r.resend_after for r in result.results if r.resend_after), default="")
    lines = {}
    for doubt in Doubt:
        if counts[doubt]:
            how = result.settle_commands.get(doubt.value, "")
            when = f" (after {after})" if doubt is Doubt.WAITING and after else ""
            lines[doubt.value] = f"{counts[doubt]} orders, {_DOUBT_WORDS[doubt]}{when}" + (
                f": {how}" if how else ""
            )
    return lines


def order_line(order_result: OrderResult) -> tuple[Any, ...]:
    """One order's line of the Orders table (``ORDERS_HEADERS``)."""
    order = order_result.order
    return (
        order.key,
        order.email,
        ", ".join(line.good_name for line in order.lines),
        order.total,
        order_result.status.value,
        order_result.bill_id,
        order_result.error_code,
        order_result.error_text,
        ", ".join(str(row) for row in order.rows),
        order_result.link,
        order_result.status_note,
    )


def kept_input_columns(frame: pd.DataFrame) -> list[int]:
    """Positions of the input columns the Rows table keeps, in the file's order.

    A results workbook imported again brings its own status columns; they are left out
    (by exact header) so that the new ones are not doubled.
    """
    return [i for i, name in enumerate(frame.columns) if str(name) not in OUTCOME_HEADERS]


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


def row_index(result: RunResult, row: int) -> int | None:
    """Position in the Rows table of spreadsheet ``row``, or None when it is not there."""
    numbers = result.row_numbers  # ascending: the reader keeps the file's order
    position = bisect_left(numbers, row)
    if position < len(numbers) and numbers[position] == row:
        return position
    return None


def _local(moment: datetime) -> datetime:
    """A naive local datetime: Excel has no time zones."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)
