"""Sheets of the results workbook: a table streamed across as many sheets as Excel allows.

The workbook is written with rvgsrust-xlsxwriter (the rust_xlsxwriter crate) in constant-memory
mode: each sheet's rows go to a temporary file as they are written, so a million input rows
never sit in memory as cells. Big tables go in through Arrow a slice at a time: past
``STREAM_ROWS_OVER`` lines as sheet XML made here and deflated on a second thread, else through
rust_xlsxwriter's own Arrow writer. Every Python ``str`` becomes a string cell, never a formula.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rvgsrust_xlsxwriter import ConditionalFormatText, Format, Workbook, Worksheet

from justclick_import.models import OrderStatus
from justclick_import.report.deflated import DeflatedStream
from justclick_import.report.sheet_xml import column_letter, rows_xml, xml_bytes
from justclick_import.report.styles import STATUS_COLOURS, Styles, set_print_layout
from justclick_import.report.tables import as_text
from justclick_import.report.zip_parts import STREAM_STYLES, StreamedSheet

__all__ = [
    "FIT_ROWS_UP_TO",
    "LINE_HEIGHT",
    "MAX_SHEET_ROWS",
    "MAX_TEXT",
    "MAX_WIDTH",
    "STATUS_COLOURS",
    "STREAM_ROWS_OVER",
    "WRAP_WIDTH",
    "SheetTable",
    "Streams",
    "Styles",
    "clip",
    "column_letter",
    "line_counts",
    "set_print_layout",
    "sheet_titles",
    "text_array",
    "width",
]

MAX_SHEET_ROWS = 1_048_576  # Excel's rows per sheet, header included
MAX_TEXT = 32_767  # Excel's characters per cell
MAX_WIDTH = 60
WRAP_WIDTH = 50  # a column of messages: wrapped at this width
LINE_HEIGHT = 15  # points a line of the default font takes
_MAX_LINES = 20  # a row is never made taller than this many lines (Excel allows 409 points)
# Lines past which a table's rows get no height of their own: a single row height makes
# rust_xlsxwriter's closing of a constant-memory sheet take twice as long (measured: 1.9 s ->
# 4.1 s for 200k x 10 cells), and Excel fits rows without one to their wrapped text itself.
FIT_ROWS_UP_TO = 20_000
# Tables longer than this have their rows made as XML in Arrow and deflated on a second
# thread (``report.sheet_xml``, ``report.zip_parts``): no row of theirs has a height.
STREAM_ROWS_OVER = FIT_ROWS_UP_TO


class Streams:
    """The sheets whose rows are streamed, by title, and where their files wait."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.sheets: dict[str, StreamedSheet] = {}

    def of(self, title: str, columns: int) -> StreamedSheet:
        """The streamed sheet ``title`` (started on first use)."""
        sheet = self.sheets.get(title)
        if sheet is None:
            stream = DeflatedStream(self.folder)
            sheet = self.sheets[title] = StreamedSheet(title, columns, stream)
        return sheet

    def close(self) -> None:
        """Remove every stream's file (written into the workbook or not)."""
        for sheet in self.sheets.values():
            sheet.stream.close()


def sheet_titles(title: str, count: int) -> list[str]:
    """The sheets a table of ``count`` rows takes: ``Rows``, then ``Rows 2``, ``Rows 3``, …"""
    sheets = max(1, math.ceil(count / (MAX_SHEET_ROWS - 1)))
    return [title, *(f"{title} {n}" for n in range(2, sheets + 1))]


class SheetTable:
    """One table across as many sheets as Excel's row limit needs.

    Each sheet has a bold frozen header, sized columns, a filter over its rows, a print layout
    one page wide and, when the table has a status column, a fill per status word
    (conditional formats: Arrow slices carry no per-cell formats, and a rule costs nothing per
    row). ``wrapped`` columns wrap their text; ``text`` columns are told to Excel as text that
    may look like numbers (no green triangles). Lines are written in order.
    """

    def __init__(
        self,
        book: Workbook,
        styles: Styles,
        title: str,
        headers: Sequence[str],
        count: int,
        status: int | None = None,
        *,
        words: Mapping[OrderStatus, str] | None = None,
        wrapped: Sequence[int] = (),
        text: Sequence[int] = (),
        frozen_columns: int = 0,
        streams: Streams | None = None,
    ) -> None:
        self.book = book
        self.styles = styles
        self.headers = list(headers)
        self.count = count
        self.status = status
        self.words = dict(words or {})
        self.wrapped = set(wrapped)
        self.text = sorted(set(text))
        self.frozen_columns = frozen_columns
        self.titles = sheet_titles(title, count)
        self.sheets: list[Worksheet] = []
        self.widths = [len(header) + 1 for header in headers]  # +1: bold
        self.streams = streams if count > STREAM_ROWS_OVER else None
        self._stream_names = {
            id(styles.whole): "whole",
            id(styles.money): "money",
            id(styles.wrap): "wrap",
        }

    def size_columns(self, sample: Sequence[Sequence[Any]]) -> None:
        """Fit the column widths to a sample of lines (before the first line is written)."""
        for line in sample:
            for column, value in enumerate(line):
                self.widths[column] = max(self.widths[column], width(value))

    def reference(self, position: int, column: int) -> str:
        """The cell reference (``Rows!B5``, ``'Rows 2'!B5``) of line ``position``, ``column``."""
        index, offset = divmod(position, MAX_SHEET_ROWS - 1)
        return f"{self._sheet_column(index, column)}{offset + 2}"

    def references(self, positions: np.ndarray, columns: np.ndarray) -> pa.Array:
        """``reference`` of many cells at once (numpy lines and columns), null where a line
        is negative (not in the table)."""
        known = positions >= 0
        index, offset = np.divmod(np.where(known, positions, 0), MAX_SHEET_ROWS - 1)
        wide = len(self.headers)
        # Few (sheet, column) pairs: each one's part of the reference is made once.
        pairs, inverse = np.unique(index * wide + columns, return_inverse=True)
        made = [self._sheet_column(int(pair) // wide, int(pair) % wide) for pair in pairs]
        prefix = pa.array(np.asarray(made, dtype=object)[inverse], pa.string())
        number = pc.cast(pa.array(offset + 2, mask=~known), pa.string())
        return pc.binary_join_element_wise(prefix, number, "")

    def _sheet_column(self, index: int, column: int) -> str:
        """A reference without its row number: ``Rows!B``, ``'Rows 2'!B``."""
        title = self.titles[index]
        quoted = f"'{title}'" if " " in title else title
        return f"{quoted}!{column_letter(column)}"

    def spans(self) -> list[tuple[int, int]]:
        """The lines (first, end) each sheet of the table holds."""
        per_sheet = MAX_SHEET_ROWS - 1
        return [
            (first, min(self.count, first + per_sheet)) for first in range(0, self.count, per_sheet)
        ]

    def place(self, position: int) -> tuple[Worksheet, int]:
        """The sheet and 0-based sheet row of the table's line ``position`` (0-based)."""
        index, offset = divmod(position, MAX_SHEET_ROWS - 1)
        while len(self.sheets) <= index:
            self._open(len(self.sheets))
        return self.sheets[index], offset + 1

    def write_arrays(self, start: int, arrays: list[pa.Array], formats: dict[int, Format]) -> None:
        """Write the lines ``start`` … of the table, given as one Arrow array per column."""
        chosen = dict(formats)
        chosen.update((i, self.styles.wrap) for i in self.wrapped if i not in formats)
        if self.streams is not None:
            self._stream_arrays(start, arrays, chosen)
            return
        names = [f"c{i}" for i in range(len(arrays))]
        chunk = pa.Table.from_arrays(arrays, names=names)
        by_name = {names[i]: look for i, look in chosen.items()}
        counts = self._line_counts(arrays)
        tall = counts.nonzero()[0] if counts is not None else []
        for index, row, done, size in self._pieces(start, len(chunk)):
            sheet = self.sheets[index]
            # Heights before the rows are written (constant-memory mode); spreadsheet
            # programs do not all fit a wrapped row's height to its text on opening.
            for line in [i for i in tall if done <= i < done + size]:
                sheet.set_row_height(row + line - done, LINE_HEIGHT * int(counts[line]))
            part = chunk.slice(done, size)
            sheet.write_dataframe(row, 0, part, write_header=False, column_formats=by_name)

    def _pieces(self, start: int, count: int) -> Iterator[tuple[int, int, int, int]]:
        """Lines ``start`` … ``start + count`` cut where a sheet ends: for each piece, its
        sheet's index (opened), its first 0-based sheet row, and its offset and size in the
        lines given."""
        done = 0
        while done < count:
            _, row = self.place(start + done)
            index = (start + done) // (MAX_SHEET_ROWS - 1)
            size = min(count - done, MAX_SHEET_ROWS - row)
            yield index, row, done, size
            done += size

    def _stream_arrays(
        self, start: int, arrays: list[pa.Array], formats: dict[int, Format]
    ) -> None:
        """``write_arrays`` for a streamed table: after the rows rust_xlsxwriter wrote."""
        if self.streams is None:
            raise ValueError("not a streamed table")
        try:
            styles = {i: STREAM_STYLES[self._stream_names[id(look)]] for i, look in formats.items()}
        except KeyError:
            message = "a streamed table's cells take the whole, money or wrap format"
            raise ValueError(message) from None
        count = len(arrays[0]) if arrays else 0
        for index, row, done, size in self._pieces(start, count):
            streamed = self.streams.of(self.titles[index], len(self.headers))
            rows = rows_xml(row + 1, [array.slice(done, size) for array in arrays], styles)
            streamed.stream.write(xml_bytes(rows), keep=rows)
            streamed.last_row = row + size

    def lines_of(self, values: Sequence[Any]) -> int:
        """How many lines a line written cell by cell takes (its wrapped columns' text)."""
        lines = 1
        if self.count > FIT_ROWS_UP_TO:
            return lines
        for column in self.wrapped:
            chars = max(min(self.widths[column] + 2, WRAP_WIDTH), 1)
            text = str(values[column] or "")
            lines = max(lines, text.count("\n") - (-len(text) // chars))
        return min(lines, _MAX_LINES)

    def _line_counts(self, arrays: list[pa.Array]) -> Any:
        """Per line of a chunk, the lines its wrapped text takes when more than one, else 0
        (a numpy array; None when the table wraps nothing)."""
        if not self.wrapped or not arrays or self.count > FIT_ROWS_UP_TO:
            return None
        lines = np.ones(len(arrays[0]), dtype=np.int64)
        for column in self.wrapped:
            chars = max(min(self.widths[column] + 2, WRAP_WIDTH), 1)
            lines = np.maximum(lines, line_counts(arrays[column], chars))
        return np.where(lines > 1, np.minimum(lines, _MAX_LINES), 0)

    def finish(self) -> None:
        """Open any sheet not written yet; set each sheet's filter and status colours."""
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
                # No word begins another (report.words), so "begins with" is "is".
                rule.set_rule("begins_with", self.words.get(status, status.value))
                rule.set_format(self.styles.fills[status])
                # The binding takes any row before the last one written as writing out of
                # order; a rule anchored on the last row with the whole column as its range
                # is the same rule to Excel.
                rule.set_multi_range(f"{letter}2:{letter}{rows + 1}")
                sheet.add_conditional_format(rows, self.status, rows, self.status, rule)

    def _open(self, index: int) -> None:
        sheet = self.book.add_worksheet(self.titles[index], constant_memory=True)
        per_sheet = MAX_SHEET_ROWS - 1
        rows = min(per_sheet, self.count - index * per_sheet)
        for column in self.text if rows > 0 else ():  # before any row: constant-memory mode
            sheet.ignore_error_range(1, column, rows, column, "number_stored_as_text")
        for column, chars in enumerate(self.widths):
            limit = WRAP_WIDTH if column in self.wrapped else MAX_WIDTH
            sheet.set_column_width(column, min(chars + 2, limit))
        sheet.freeze_panes(1, self.frozen_columns)
        sheet.write_row(0, 0, [clip(header) for header in self.headers], self.styles.bold)
        set_print_layout(sheet)
        sheet.set_repeat_rows(0, 0)
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


def line_counts(text: pa.Array, chars: int) -> Any:
    """How many lines each text takes wrapped in a column ``chars`` wide (about), as numpy."""
    if not pa.types.is_string(text.type) and not pa.types.is_large_string(text.type):
        return np.ones(len(text), dtype=np.int64)
    length = pc.fill_null(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    breaks = pc.fill_null(pc.count_substring(text, "\n"), 0).to_numpy(zero_copy_only=False)
    counted: Any = np.maximum(1, -(-length // chars) + breaks)
    return counted


def clip(value: str) -> str:
    """Text cut to the characters Excel holds in one cell."""
    return value if len(value) <= MAX_TEXT else value[:MAX_TEXT]


def width(value: Any) -> int:
    """The characters a value shows in its column (its longest line)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max(len(part) for part in str(value).split("\n"))
