"""Sheets of the results workbook: a table streamed across as many sheets as Excel allows.

The workbook is written with rvgsrust-xlsxwriter (the rust_xlsxwriter crate) in constant-memory
mode: each sheet's rows go to a temporary file as they are written, so a million input rows
never sit in memory as cells. Big tables go in through Arrow a slice at a time; every Python
``str`` becomes a string cell, never a formula.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from rvgsrust_xlsxwriter import ConditionalFormatText, Format, Workbook, Worksheet

from justclick_import.models import OrderStatus
from justclick_import.report.tables import as_text

__all__ = [
    "MAX_SHEET_ROWS",
    "MAX_TEXT",
    "MAX_WIDTH",
    "STATUS_COLOURS",
    "SheetTable",
    "Styles",
    "clip",
    "column_letter",
    "sheet_titles",
    "text_array",
    "width",
]

MAX_SHEET_ROWS = 1_048_576  # Excel's rows per sheet, header included
MAX_TEXT = 32_767  # Excel's characters per cell
MAX_WIDTH = 60

STATUS_COLOURS = {  # fill, and a darker edge for the chart's bars
    OrderStatus.CREATED: ("#C6EFCE", "#006100"),
    OrderStatus.ALREADY_EXISTS: ("#C6EFCE", "#006100"),
    OrderStatus.FAILED: ("#FFC7CE", "#9C0006"),
    OrderStatus.INVALID: ("#FFC7CE", "#9C0006"),
    OrderStatus.UNCERTAIN: ("#FFEB9C", "#9C5700"),
    OrderStatus.SKIPPED: ("#D9D9D9", "#595959"),
    OrderStatus.NOT_SENT: ("#D9D9D9", "#595959"),
}


class Styles:
    """The formats a workbook shares: each is registered once, cells only point at it."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.bold = self._make(bold=True)
        self.date = self._make(num_format="yyyy-mm-dd hh:mm:ss")
        self.money = self._make(num_format="#,##0.00")
        self.whole = self._make(num_format="0")  # ids never as 1.23E+10
        self.fills = {s: self._make(fill=fill) for s, (fill, _) in STATUS_COLOURS.items()}

    def _make(self, *, bold: bool = False, num_format: str = "", fill: str = "") -> Format:
        made = self.book.add_format()
        if bold:
            made.set_bold()
        if num_format:
            made.set_num_format(num_format)
        if fill:
            made.set_background_color(fill)
        return made


def sheet_titles(title: str, count: int) -> list[str]:
    """The sheets a table of ``count`` rows takes: ``Rows``, then ``Rows 2``, ``Rows 3``, …"""
    sheets = max(1, math.ceil(count / (MAX_SHEET_ROWS - 1)))
    return [title, *(f"{title} {n}" for n in range(2, sheets + 1))]


class SheetTable:
    """One table across as many sheets as Excel's row limit needs.

    Each sheet has a bold frozen header, sized columns, a filter over its rows and, when the
    table has a status column, a fill per status (conditional formats: Arrow slices carry no
    per-cell formats, and a rule costs nothing per row). Lines are written in order.
    """

    def __init__(
        self,
        book: Workbook,
        styles: Styles,
        title: str,
        headers: Sequence[str],
        count: int,
        status: int | None = None,
    ) -> None:
        self.book = book
        self.styles = styles
        self.headers = list(headers)
        self.count = count
        self.status = status
        self.titles = sheet_titles(title, count)
        self.sheets: list[Worksheet] = []
        self.widths = [len(header) + 1 for header in headers]  # +1: bold

    def size_columns(self, sample: Sequence[Sequence[Any]]) -> None:
        """Fit the column widths to a sample of lines (before the first line is written)."""
        for line in sample:
            for column, value in enumerate(line):
                self.widths[column] = max(self.widths[column], width(value))

    def reference(self, position: int, column: int) -> str:
        """The cell reference (``Rows!B5``, ``'Rows 2'!B5``) of line ``position``, ``column``."""
        index, offset = divmod(position, MAX_SHEET_ROWS - 1)
        title = self.titles[index]
        quoted = f"'{title}'" if " " in title else title
        return f"{quoted}!{column_letter(column)}{offset + 2}"

    def place(self, position: int) -> tuple[Worksheet, int]:
        """The sheet and 0-based sheet row of the table's line ``position`` (0-based)."""
        index, offset = divmod(position, MAX_SHEET_ROWS - 1)
        while len(self.sheets) <= index:
            self._open(len(self.sheets))
        return self.sheets[index], offset + 1

    def write_arrays(self, start: int, arrays: list[pa.Array], formats: dict[int, Format]) -> None:
        """Write the lines ``start`` … of the table, given as one Arrow array per column."""
        names = [f"c{i}" for i in range(len(arrays))]
        chunk = pa.Table.from_arrays(arrays, names=names)
        chosen = {names[i]: look for i, look in formats.items()}
        done = 0
        while done < len(chunk):
            sheet, row = self.place(start + done)
            part = chunk.slice(done, MAX_SHEET_ROWS - row)
            sheet.write_dataframe(row, 0, part, write_header=False, column_formats=chosen)
            done += len(part)

    def finish(self) -> None:
        """Open any sheet not written yet, and set each sheet's filter and status colours."""
        self.place(max(self.count - 1, 0))
        per_sheet = MAX_SHEET_ROWS - 1
        for index, sheet in enumerate(self.sheets):
            rows = min(per_sheet, self.count - index * per_sheet)
            sheet.autofilter(0, 0, rows, len(self.headers) - 1)
            if self.status is None or rows <= 0:
                continue
            letter = column_letter(self.status)
            for status in OrderStatus:
                rule = ConditionalFormatText()
                rule.set_rule("begins_with", status.value)  # no status begins another
                rule.set_format(self.styles.fills[status])
                # The binding takes any row before the last one written as writing out of
                # order; a rule anchored on the last row with the whole column as its range
                # is the same rule to Excel.
                rule.set_multi_range(f"{letter}2:{letter}{rows + 1}")
                sheet.add_conditional_format(rows, self.status, rows, self.status, rule)

    def _open(self, index: int) -> None:
        sheet = self.book.add_worksheet(self.titles[index], constant_memory=True)
        for column, chars in enumerate(self.widths):
            sheet.set_column_width(column, min(chars + 2, MAX_WIDTH))
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [clip(header) for header in self.headers], self.styles.bold)
        self.sheets.append(sheet)


def text_array(values: Any) -> pa.Array:
    """Text values (a Series or a list) as an Arrow string array, cut to Excel's cell limit."""
    try:
        array = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        listed = values.tolist() if hasattr(values, "tolist") else values
        array = pa.array([as_text(value) for value in listed], type=pa.string())
    if len(array) and (pc.max(pc.utf8_length(array)).as_py() or 0) > MAX_TEXT:
        array = pc.utf8_slice_codeunits(array, 0, MAX_TEXT)
    return array


def clip(value: str) -> str:
    """Text cut to the characters Excel holds in one cell."""
    return value if len(value) <= MAX_TEXT else value[:MAX_TEXT]


def column_letter(index: int) -> str:
    """Excel's letters of the 0-based column ``index``: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def width(value: Any) -> int:
    """The characters a value shows in its column (its longest line)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max(len(part) for part in str(value).split("\n"))
