"""The results workbook: a summary, the orders, the input rows with their outcome, the problems."""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from importer.models import OrderStatus, RunResult

SUMMARY_HEADERS = ("item", "value")
IMPORT_NAME_ITEM = "import name"
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
)
OUTCOME_HEADERS = ("import_status", "bill_id", "import_message")
PROBLEMS_HEADERS = ("row", "column", "value", "code", "problem")

# Spreadsheet programs read text starting with these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60
_WIDTH_SAMPLE = 200  # rows looked at to size the columns
_CHUNK = 50_000  # input rows turned into Python lists at a time

# Shared style objects: openpyxl registers each distinct style once, cells only point at it.
_BOLD = Font(bold=True)
_GREEN = PatternFill(fill_type="solid", start_color="FFC6EFCE", end_color="FFC6EFCE")
_RED = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
_AMBER = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
_GREY = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
_STATUS_FILLS: dict[str, PatternFill] = {
    OrderStatus.CREATED: _GREEN,
    OrderStatus.ALREADY_EXISTS: _GREEN,
    OrderStatus.FAILED: _RED,
    OrderStatus.INVALID: _RED,
    OrderStatus.UNCERTAIN: _AMBER,
    OrderStatus.SKIPPED: _GREY,
    OrderStatus.NOT_SENT: _GREY,
}


def check_writable(path: Path) -> str | None:
    """Say why the workbook could not be written to ``path``, or None when it can."""
    folder = path.parent
    if not folder.is_dir():
        return f"the folder {folder} does not exist; create it or choose another output file"
    if path.is_dir():
        return f"{path} is a folder; give a file name for the results workbook"
    probe = path.with_name(path.name + ".tmp")
    try:
        with open(probe, "ab"):
            pass
        probe.unlink()
    except OSError as error:
        return f"cannot write to the folder {folder} ({error.strerror or error})"
    if path.exists():
        try:
            # Appending nothing leaves the file as it was, but fails while Excel holds it open.
            with open(path, "ab"):
                pass
        except OSError as error:
            return (
                f"cannot replace {path} ({error.strerror or error}); "
                "close it in Excel or any other program, or choose another output file"
            )
    return None


def write_workbook(result: RunResult, path: Path) -> Path:
    """Write the results workbook for ``result`` to ``path`` atomically and return ``path``."""
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the folder {path.parent} does not exist")
    if len(result.row_numbers) != len(result.rows):
        raise ValueError(f"{len(result.rows)} input rows but {len(result.row_numbers)} row numbers")
    workbook = Workbook(write_only=True)
    summary = _summary_items(result)
    _write_sheet(workbook, "Summary", SUMMARY_HEADERS, summary, len(summary))
    _write_sheet(
        workbook, "Orders", ORDERS_HEADERS, _order_rows(result), len(result.results), status=4
    )
    headers = [str(name) for name in result.rows.columns] + list(OUTCOME_HEADERS)
    rows = _input_rows(result)
    _write_sheet(workbook, "Rows", headers, rows, len(result.rows), status=len(headers) - 3)
    problems = sorted(result.problems, key=lambda problem: (problem.row, problem.column))
    problem_rows = ((p.row, p.column, p.value, p.code, p.message) for p in problems)
    _write_sheet(workbook, "Problems", PROBLEMS_HEADERS, problem_rows, len(problems))
    temporary = path.with_name(path.name + ".tmp")
    try:
        workbook.save(str(temporary))
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


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


def _summary_items(result: RunResult) -> list[tuple[str, Any]]:
    """The Summary sheet's (item, value) lines."""
    created_totals = [
        order_result.order.total
        for order_result in result.results
        if order_result.status == OrderStatus.CREATED and order_result.order.total is not None
    ]
    items: list[tuple[str, Any]] = [
        ("input file", result.source.name),
        ("input sha256", file_sha256(result.source)),
        ("sheet", result.sheet_name or ""),
        ("rows read", len(result.rows)),
        ("login", result.login),
        ("target", result.target),
        ("started", _excel_datetime(result.started)),
        ("finished", _excel_datetime(result.finished)),
        ("duration seconds", round((result.finished - result.started).total_seconds(), 3)),
        # Read back when this workbook is imported again: the same import, the same orders.
        (IMPORT_NAME_ITEM, result.import_name),
        ("run id", result.run_id),
        ("journal", str(result.journal_path or "")),
    ]
    items += [(f"orders {status.value}", result.count(status)) for status in OrderStatus]
    items += [
        ("rows with problems", len({problem.row for problem in result.problems})),
        ("problems", len(result.problems)),
        ("created total", sum(created_totals)),
        ("stopped because", result.stop_message),
        ("interrupted", "yes" if result.interrupted else "no"),
    ]
    return items


def _order_rows(result: RunResult) -> Iterator[tuple[Any, ...]]:
    """The Orders sheet's lines, one per order result."""
    for order_result in result.results:
        order = order_result.order
        yield (
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
        )


def _input_rows(result: RunResult) -> Iterator[tuple[Any, ...]]:
    """The Rows sheet's lines: the input's values as text, then the row's outcome."""
    frame = result.rows
    outcomes = result.row_outcomes()
    # A slice at a time, so that a million rows are never all copied into Python lists at once.
    for start in range(0, len(frame), _CHUNK):
        part = frame.iloc[start : start + _CHUNK]
        # By position, not by name: a file may repeat a header.
        columns = [
            [_as_text(value) for value in part.iloc[:, i].tolist()] for i in range(part.shape[1])
        ]
        done = outcomes[start : start + _CHUNK]
        statuses = [outcome.import_status for outcome in done]
        bill_ids = [outcome.bill_id for outcome in done]
        messages = [outcome.import_message for outcome in done]
        yield from zip(*columns, statuses, bill_ids, messages, strict=True)


def _as_text(value: Any) -> str | None:
    """An input value as the text that was read; None for a missing value."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return str(value)


def _excel_datetime(moment: datetime) -> datetime:
    """A naive local datetime: Excel has no time zones."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def _write_sheet(
    workbook: Any,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    count: int,
    status: int | None = None,
) -> None:
    """Stream one sheet: bold frozen header, sized columns, autofilter, coloured status column."""
    sheet = workbook.create_sheet(title)
    rows = iter(rows)
    sample = list(islice(rows, _WIDTH_SAMPLE))
    # Write-only sheets put views, columns and the filter around the rows: set them all first.
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    for index, header in enumerate(headers):
        longest = max([len(header) + 1, *(_width(line[index]) for line in sample)])  # +1: bold
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(longest + 2, _MAX_WIDTH)
    sheet.append([_styled(sheet, header, _BOLD) for header in headers])
    for line in chain(sample, rows):
        cells = [_cell(sheet, value) for value in line]
        if status is not None:
            cells[status] = _status_cell(sheet, line[status])
        sheet.append(cells)


def _width(value: Any) -> int:
    """The characters a value shows in its column (its longest line)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    return max(len(part) for part in str(value).split("\n"))


def _cell(sheet: Any, value: Any) -> Any:
    """A value ready to append: numbers and dates as they are, text never as a formula."""
    if isinstance(value, str):
        return _text(sheet, value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _text(sheet: Any, value: str) -> Any:
    """Text as a string cell, verbatim except for characters XML cannot hold."""
    if not value:
        return None
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if value.startswith(_FORMULA_START):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # openpyxl makes "=..." a formula; this keeps it plain text
        return cell
    return value


def _status_cell(sheet: Any, status: str) -> Any:
    """A status, filled in the colour of its outcome."""
    fill = _STATUS_FILLS.get(status)
    return _styled(sheet, status, fill=fill) if fill else _text(sheet, status)


def _styled(
    sheet: Any, value: str, font: Font | None = None, fill: PatternFill | None = None
) -> Any:
    """A string cell with a shared font or fill."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell
