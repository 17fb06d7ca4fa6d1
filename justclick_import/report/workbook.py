"""The results workbook: a summary, the orders, the input rows with their outcome, the problems.

Streamed through rust_xlsxwriter (see ``report_sheets``). Measured on a 1M x 28 text table,
2 cores: 16 s and a few MB over the data, where openpyxl's write-only mode took 202 s and
xlsxwriter's constant-memory mode 111 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from rvgsrust_xlsxwriter import (  # type: ignore[attr-defined]  # ChartPoint: not in its stub
    Chart,
    ChartFormat,
    ChartPoint,
    ChartSeries,
    Workbook,
    Worksheet,
)

from justclick_import.atomic import atomic_path
from justclick_import.models import OrderStatus, RowOutcome, RunResult
from justclick_import.problems import RowProblem
from justclick_import.report.sheets import (
    MAX_WIDTH,
    STATUS_COLOURS,
    SheetTable,
    Styles,
    clip,
    text_array,
    width,
)
from justclick_import.report.tables import (
    ORDERS_HEADERS,
    OUTCOME_HEADERS,
    PROBLEMS_HEADERS,
    as_text,
    order_line,
    problem_line,
    row_index,
    rows_headers,
    rows_parts,
    sorted_problems,
    summary_items,
)

__all__ = ["WORKBOOK_PROBLEMS_HEADERS", "write_workbook"]

WORKBOOK_PROBLEMS_HEADERS = (*PROBLEMS_HEADERS, "cell")  # "cell": a link to it in Rows
SUMMARY_HEADERS = ("item", "value")
_MAX_LINKS = 65_530  # Excel's hyperlinks per sheet
_WIDTH_SAMPLE = 200  # lines looked at to size the columns
_CHUNK = 50_000  # lines turned into Arrow arrays at a time
_BIG = 400_000  # input rows past which a sheet's XML may pass 4 GB: ZIP64


def write_workbook(result: RunResult, path: Path) -> Path:
    """Write the results workbook for ``result`` to ``path`` atomically and return ``path``."""
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the folder {path.parent} does not exist")
    if len(result.row_numbers) != len(result.rows):
        raise ValueError(f"{len(result.rows)} input rows but {len(result.row_numbers)} row numbers")
    outcomes = result.row_outcomes()
    with atomic_path(path) as temporary:
        book = Workbook(str(temporary))
        book.set_tempdir(str(path.parent))  # beside the output: its folder was checked writable
        if len(result.rows) > _BIG:
            book.use_zip_large_file(True)
        _Workbook(book, result, outcomes).write()
        book.close()
    return path


class _Workbook:
    """The four tables of one run, written into one workbook in sheet order."""

    def __init__(self, book: Workbook, result: RunResult, outcomes: Sequence[RowOutcome]):
        self.book = book
        self.result = result
        self.outcomes = outcomes
        self.styles = Styles(book)

    def write(self) -> None:
        problems = sorted_problems(self.result)
        orders = SheetTable(
            self.book, self.styles, "Orders", ORDERS_HEADERS, len(self.result.results), status=4
        )
        headers = rows_headers(self.result)
        status = len(headers) - len(OUTCOME_HEADERS)
        rows = SheetTable(self.book, self.styles, "Rows", headers, len(self.outcomes), status)
        listed = SheetTable(
            self.book, self.styles, "Problems", WORKBOOK_PROBLEMS_HEADERS, len(problems)
        )
        self._summary([*orders.titles[1:], *rows.titles[1:], *listed.titles[1:]])
        self._orders(orders)
        self._rows(rows)
        self._problems(listed, problems, rows)

    def _summary(self, continued: list[str]) -> None:
        items = summary_items(
            self.result, self.outcomes, sheets=continued, previous=self.result.previous_results
        )
        sheet = self.book.add_worksheet("Summary")
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, list(SUMMARY_HEADERS), self.styles.bold)
        widths = [len(SUMMARY_HEADERS[0]) + 1, len(SUMMARY_HEADERS[1]) + 1]
        for row, (item, value) in enumerate(items, start=1):
            sheet.write(row, 0, item)
            widths[0] = max(widths[0], len(item))
            if isinstance(value, datetime):
                sheet.write(row, 1, value, self.styles.date)
            elif isinstance(value, float) and item == "created total":
                sheet.write(row, 1, value, self.styles.money)
            elif isinstance(value, str) and value:  # Excel holds 32,767 characters a cell
                sheet.write(row, 1, clip(value))
            elif value not in ("", None):
                sheet.write(row, 1, value)
            widths[1] = max(widths[1], width(value))
        for column, chars in enumerate(widths):
            sheet.set_column_width(column, min(chars + 2, MAX_WIDTH))
        names = [item for item, _ in items]
        self._chart(sheet, 1 + names.index(f"orders {next(iter(OrderStatus)).value}"))

    def _chart(self, sheet: Worksheet, first: int) -> None:
        """A column chart of the ``orders <status>`` items (from sheet row ``first``), coloured."""
        last = first + len(OrderStatus) - 1
        series = ChartSeries()
        series.set_categories(f"Summary!$A${first + 1}:$A${last + 1}")
        series.set_values(f"Summary!$B${first + 1}:$B${last + 1}")
        series.set_name("orders")
        points = []
        for status in OrderStatus:
            fill, edge = STATUS_COLOURS[status]
            look = ChartFormat()
            look.set_fill_color(fill)
            look.set_border_color(edge)
            point = ChartPoint()
            point.set_format(look)
            points.append(point)
        series.set_points(points)
        chart = Chart("column")
        chart.push_series(series)
        chart.set_title_name("Orders by status")
        chart.set_legend_hidden()
        sheet.insert_chart(1, 3, chart)

    def _orders(self, table: SheetTable) -> None:
        results = self.result.results
        table.size_columns([order_line(r) for r in results[:_WIDTH_SAMPLE]])
        types = [pa.string()] * len(ORDERS_HEADERS)
        types[3], types[5], types[6] = pa.float64(), pa.int64(), pa.int64()
        formats = {3: self.styles.money, 5: self.styles.whole, 6: self.styles.whole}
        for start in range(0, len(results), _CHUNK):
            lines = [order_line(r) for r in results[start : start + _CHUNK]]
            columns = list(zip(*lines, strict=True))
            arrays = [
                text_array(list(values)) if kind == pa.string() else pa.array(values, kind)
                for values, kind in zip(columns, types, strict=True)
            ]
            table.write_arrays(start, arrays, formats)
        table.finish()

    def _rows(self, table: SheetTable) -> None:
        first = next(rows_parts(self.result, self.outcomes, _WIDTH_SAMPLE), None)
        if first is not None:
            columns: list[list[Any]] = [
                [as_text(v) for v in series.tolist()] for series in first.inputs
            ]
            done = first.outcomes
            columns += [
                [o.import_status for o in done],
                [o.bill_id for o in done],
                [o.import_message for o in done],
            ]
            table.size_columns(list(zip(*columns, strict=True)))
        bill_id = len(table.headers) - len(OUTCOME_HEADERS) + 1
        for part in rows_parts(self.result, self.outcomes, _CHUNK):
            arrays = [text_array(series) for series in part.inputs]
            arrays += [
                pa.array([o.import_status for o in part.outcomes], pa.string()),
                pa.array([o.bill_id for o in part.outcomes], pa.int64()),
                text_array([o.import_message for o in part.outcomes]),
            ]
            table.write_arrays(part.start, arrays, {bill_id: self.styles.whole})
        table.finish()

    def _problems(
        self, table: SheetTable, problems: Sequence[RowProblem], rows: SheetTable
    ) -> None:
        """The problems, each with a link to its cell in Rows (as many as Excel allows)."""
        table.size_columns([problem_line(p) for p in problems[:_WIDTH_SAMPLE]])
        columns = {name: i for i, name in enumerate(rows.headers)}
        widest = rows.reference(max(rows.count - 1, 0), len(rows.headers) - 1)
        table.size_columns([("",) * len(PROBLEMS_HEADERS) + (widest,)])
        links = 0
        for position, problem in enumerate(problems):
            sheet, row = table.place(position)
            if row == 1:
                links = 0  # the limit is per sheet
            row_number, column, value, code, message, severity = problem_line(problem)
            values = [row_number, column, clip(value), code, clip(message), severity]
            sheet.write_row(row, 0, values)
            index = row_index(self.result, problem.row)
            if index is None:
                continue
            target = rows.reference(index, columns.get(problem.column, 0))
            if links < _MAX_LINKS:
                sheet.write_url(row, len(values), f"internal:{target}", text=target)
                links += 1
            else:
                sheet.write(row, len(values), target)
        table.finish()
