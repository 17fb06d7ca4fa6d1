"""Reading a workbook (XLSX, XLSM, XLS, ODS): a sheet chosen, its cells as the text people see.

fastexcel reads a sheet straight into Arrow columns; python-calamine reads what fastexcel cannot
(ODS, some odd files) cell by cell. Either way a cell becomes the text Excel shows: ``1500`` not
``1500.0``, a date cell as ISO text.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from justclick_import.errors import ErrorCode, InputError
from justclick_import.sources.cell_types import by_header, hidden_cells, number_rows
from justclick_import.sources.number_columns import is_number, number_columns
from justclick_import.sources.package import PackageScan, scan_package
from justclick_import.sources.sheet import (
    HEAD_BYTES,
    HEADER_SEARCH_ROWS,
    OLE_MAGIC,
    HeaderTest,
    Sheet,
    find_header,
    first_line,
    has_text,
    to_sheet,
)

__all__ = ["read_workbook"]

_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# fastexcel writes a date cell as ``2026-11-29 14:30:00[.500]``, a boolean as ``true`` and the
# number -0.0 as ``-0``; these patterns give them the text ``_cell_text`` gives (below).
_DATE_TIME = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}"
_TYPED_TEXT = rf"^(?:{_DATE_TIME}|true$|false$|-0$)"
_AS_BEFORE = (
    (r"^-0$", "0"),
    # A time of day (a fraction of a day, counted from 1899-12-31): ``14:30:00``.
    (r"^1899-12-31[T ](\d{2}:\d{2}:\d{2})(?:\.\d*)?$", r"\1"),
    # A date at midnight: ``2026-11-30``.
    (r"^(\d{4}-\d{2}-\d{2})[T ]00:00:00(?:\.0*)?$", r"\1"),
    # A date and time, to the second: ``2026-11-29 14:30:00``.
    (r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d*)?$", r"\1 \2"),
)


class _NotReadByFastexcel(Exception):
    """fastexcel is missing or cannot read this workbook: python-calamine reads it instead."""


@dataclass
class _Grid:
    """A sheet as Arrow text columns ("" for an empty cell); item i is in the sheet's row i + 1."""

    name: str
    columns: list[Any]
    first_column: int = 0  # the sheet column of ``columns[0]``: 0 is column A
    # column positions -> the rows of each one's number cells
    numbers: Callable[[list[int]], list[frozenset[int]]] | None = None

    def has_text(self) -> bool:
        return any(has_text(column) for column in self.columns)

    def top_rows(self, count: int) -> list[list[str]]:
        heads = [column.slice(0, count).to_pylist() for column in self.columns]
        return [list(row) for row in zip(*heads, strict=True)]


SheetLoader = Callable[[str], tuple[bool, _Grid]]  # a sheet's name → (is it visible, its cells)


def _cell_text(value: Any) -> str:
    """Text of one spreadsheet cell as a person sees it (no ``.0`` on whole numbers).

    A real date cell becomes ISO text (``2026-11-29`` or ``2026-11-29 14:30:00``), which the
    date checks read as a date of the sheet's time zone.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"  # Excel shows 15 significant digits: 0.1+0.2 is 0.3
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _fastexcel_text(column: Any) -> Any:
    """A column as fastexcel reads it (text, null when empty) as the text ``_cell_text`` gives.

    Numbers already read as a person sees them (``1500``, ``1500.5``: at most 9 decimals);
    dates, times and booleans are rewritten, and only in a column that has any.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    text = pc.utf8_trim_whitespace(column)  # trims exactly what Python's str.strip() does
    if pc.any(pc.match_substring_regex(text, _TYPED_TEXT)).as_py():
        for pattern, replacement in _AS_BEFORE:
            text = pc.replace_substring_regex(text, pattern=pattern, replacement=replacement)
        flags = pc.is_in(text, value_set=pa.array(["true", "false"]))
        text = pc.if_else(flags, pc.utf8_upper(text), text)
    return pc.fill_null(text, "") if text.null_count else text


def _check_workbook_file(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise InputError(
            ErrorCode.EMPTY_FILE, f"{path}: the file is empty; save the workbook again from Excel"
        )
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC) and _ENCRYPTED_PACKAGE in path.read_bytes():
        raise InputError(
            ErrorCode.PASSWORD_PROTECTED,
            f"{path}: the workbook is password-protected; open it, remove the password "
            "(File → Info → Protect Workbook) and save it again",
        )
    if suffix in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(path):
        if head.startswith(OLE_MAGIC):
            raise InputError(
                ErrorCode.WRONG_FORMAT,
                f"{path}: an old .xls workbook with an .xlsx name; rename it to .xls",
            )
        raise InputError(
            ErrorCode.DAMAGED_WORKBOOK,
            f"{path}: not an XLSX workbook (damaged, cut short or renamed); "
            "open it in Excel and save it again as .xlsx",
        )


def _choose_sheet(path: Path, names: list[str], load: SheetLoader, sheet: str | None) -> _Grid:
    """The sheet named ``sheet``, else the first visible sheet with data (else a hidden one)."""
    if not names:
        raise InputError(ErrorCode.NO_DATA, f"{path}: the workbook has no sheets")
    if sheet is not None:
        found = [name for name in names if name == sheet] or [
            name for name in names if name.strip().casefold() == sheet.strip().casefold()
        ]
        if not found:
            raise InputError(
                ErrorCode.NO_SUCH_SHEET,
                f"{path}: no sheet named {sheet!r}; sheets are {', '.join(names)}",
                sheets=names,
            )
        return load(found[0])[1]
    hidden: _Grid | None = None
    for name in names:
        visible, grid = load(name)
        if grid.has_text():
            if visible:
                return grid
            if hidden is None:
                hidden = grid
    if hidden is not None:
        return hidden
    raise InputError(
        ErrorCode.NO_DATA, f"{path}: no sheet has any data; put the orders in the first sheet"
    )


def _fastexcel_sheet(path: Path, sheet: str | None) -> _Grid:
    """The sheet read by fastexcel into Arrow text columns, nothing turned into Python objects."""
    try:
        import fastexcel

        reader = fastexcel.read_excel(path)
        names = [str(name) for name in reader.sheet_names]
    except Exception as error:  # not installed, or a format it does not read
        raise _NotReadByFastexcel from error

    def load(name: str) -> tuple[bool, _Grid]:
        try:
            # header_row=None, skip_rows=0: row i is the sheet's row i + 1, blank rows included.
            loaded = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            batch = loaded.to_arrow()
            available = loaded.available_columns()
            first = available[0].absolute_index if batch.num_columns else 0
            visible = loaded.visible == "visible"
        except Exception as error:
            raise _NotReadByFastexcel from error
        names = [str(column.name) for column in available]
        grid = _Grid(name, [_fastexcel_text(c) for c in batch.columns], first)
        grid.numbers = lambda positions: number_rows(reader, name, [names[i] for i in positions])
        return visible, grid

    return _choose_sheet(path, names, load, sheet)


def _calamine_sheet(path: Path, sheet: str | None) -> _Grid:
    """The sheet read by python-calamine, cell by cell: where fastexcel cannot read the file."""
    import numpy as np
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:
        raise InputError(
            ErrorCode.DAMAGED_WORKBOOK,
            f"{path}: cannot open the workbook ({first_line(error)}); open it in Excel and "
            "save it again",
        ) from None
    metadata = {
        str(meta.name): meta
        for meta in getattr(workbook, "sheets_metadata", [])  # older python-calamine: none
    }

    def load(name: str) -> tuple[bool, _Grid]:
        meta = metadata.get(name)
        if meta is not None and str(meta.typ).endswith("ChartSheet"):
            return False, _Grid(name, [])
        try:
            # skip_empty_area=False: the list starts at A1, so positions are the sheet's own.
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as error:
            raise InputError(
                ErrorCode.DAMAGED_WORKBOOK,
                f"{path}: cannot read sheet {name!r} ({first_line(error)})",
            ) from None
        width = max((len(row) for row in rows), default=0)
        padded = [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]
        by_column = list(zip(*padded, strict=True))
        columns = [pa.array([_cell_text(c) for c in cells], pa.string()) for cells in by_column]
        kinds = [np.array([is_number(c) for c in cells], bool) for cells in by_column]
        visible = meta is None or str(meta.visible).endswith(".Visible")

        def numbers(positions: list[int]) -> list[frozenset[int]]:
            # Sheet rows are 1-based: the list starts at A1.
            return [frozenset((np.flatnonzero(kinds[i]) + 1).tolist()) for i in positions]

        return visible, _Grid(name, columns, numbers=numbers)

    names = [str(name) for name in workbook.sheet_names]
    return _choose_sheet(path, names, load, sheet)


def _no_numbers(positions: list[int]) -> list[frozenset[int]]:
    return [frozenset() for _ in positions]


def read_workbook(path: Path, sheet: str | None, is_header: HeaderTest | None) -> Sheet:
    """Read one sheet of a workbook (``sheet``: None for the first with data)."""
    _check_workbook_file(path)
    scan = scan_package(path) if zipfile.is_zipfile(path) else PackageScan()
    try:
        if path.suffix.lower() == ".ods":
            # fastexcel leaves an ODS time-of-day cell empty: its text would be lost.
            raise _NotReadByFastexcel
        grid = _fastexcel_sheet(path, sheet)
    except _NotReadByFastexcel:
        grid = _calamine_sheet(path, sheet)
    top = grid.top_rows(HEADER_SEARCH_ROWS)
    header_index = find_header(top, is_header)
    if not any(top[header_index] if top else []):
        raise InputError(
            ErrorCode.NO_DATA,
            f"{path}: sheet {grid.name!r} is empty; put the headers in its first row",
        )
    read = to_sheet(
        path,
        grid.name,
        top[header_index],
        [column.slice(header_index + 1) for column in grid.columns],
        header_row=header_index + 1,
        first_column=grid.first_column,
    )
    header = [str(cell).strip() for cell in top[header_index]]
    read.flagged = hidden_cells(scan.hidden.get(grid.name, []), header, grid.first_column, read)
    if grid.numbers is not None and not scan.has_numbers(grid.name):
        grid.numbers = _no_numbers  # every cell is text: the sheet need not be read again
    if grid.numbers is not None:
        read.number_rows = by_header(grid.numbers, header)
        data = [column.slice(header_index + 1) for column in grid.columns]
        read.number_columns = number_columns(header, data, header_index + 2, read.number_rows)
    return read
