"""Stage 1, read: a CSV or XLSX file becomes a table of text with the spreadsheet's row numbers."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from justclick_import.errors import InputError

__all__ = ["Sheet", "read_sheet"]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
DELIMITERS = (",", ";", "\t", "|")
HEAD_BYTES = 256 * 1024  # what is looked at to guess the encoding, the delimiter and the header
HEADER_SEARCH_ROWS = 30  # a title and blank rows above the header are allowed within these
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted (password) .xlsx
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "cp1251": "Windows-1251",
}

HeaderTest = Callable[[str], bool]


@dataclass
class Sheet:
    """A table read from a file: text cells under the file's own headers."""

    path: Path
    sheet_name: str | None
    frame: pd.DataFrame  # every cell is text; an empty cell is ""
    row_numbers: list[int]  # the spreadsheet row of each line of ``frame``
    header_row: int = 1  # the spreadsheet row holding the headers
    encoding: str | None = None  # a CSV file's encoding, as read
    delimiter: str | None = None  # a CSV file's delimiter, as read

    @property
    def headers(self) -> list[str]:
        """The column headers as written in the file."""
        return [str(column) for column in self.frame.columns]

    def describe_format(self) -> str:
        """How the file was read, in words: ``UTF-8, semicolon-separated`` or ``sheet 'Orders'``."""
        if self.sheet_name is not None:
            return f"sheet {self.sheet_name!r}, headers in row {self.header_row}"
        delimiter = _DELIMITER_NAMES.get(self.delimiter or "", repr(self.delimiter))
        encoding = _ENCODING_NAMES.get(self.encoding or "", self.encoding)
        return f"{encoding}, {delimiter}-separated, headers in row {self.header_row}"


def read_sheet(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    is_header: HeaderTest | None = None,
) -> Sheet:
    """Read ``path`` (CSV or a spreadsheet) into a ``Sheet`` of text, blank rows left out.

    Args:
        path: a ``.csv``/``.txt``/``.tsv`` file or an ``.xlsx``/``.xlsm``/``.xls``/``.ods``
            workbook.
        sheet: the workbook sheet to read; default the first sheet that has data.
        encoding: a CSV file's encoding; default guessed (UTF-8 with or without BOM, UTF-16
            with BOM as Excel's "Unicode text" writes it, else cp1251).
        delimiter: a CSV file's delimiter; default guessed among ``,`` ``;`` tab ``|``.
        is_header: tells whether a cell's text is a known header; the header row is the row
            among the first ones with the most known headers (a title above it is skipped).

    Raises:
        InputError: the file cannot be read, with a message naming it and what to do.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a spreadsheet; give a .csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet, is_header)
    if suffix in CSV_SUFFIXES or not suffix:
        return _read_csv(path, encoding, delimiter, is_header)
    raise InputError(f"{path}: unsupported file type {suffix!r}; save it as .xlsx or .csv (UTF-8)")


# --- finding the header -------------------------------------------------------------------


def _find_header(rows: list[list[str]], is_header: HeaderTest | None) -> int:
    """Index of the header among ``rows``: most known headers, else the most filled cells."""
    searched = [(i, row) for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(row)]
    if not searched:
        return 0
    if is_header is not None:
        scores = [(sum(1 for cell in row if cell and is_header(cell)), i) for i, row in searched]
        best = max(score for score, _ in scores)
        if best:
            return next(i for score, i in scores if score == best)
    # No known header: the first row at least half as wide as the widest (a title is narrow).
    filled = [(sum(1 for cell in row if cell), i) for i, row in searched]
    widest = max(count for count, _ in filled)
    return next(i for count, i in filled if 2 * count >= widest)


# --- CSV ------------------------------------------------------------------------------------


def _not_a_csv(path: Path, head: bytes) -> str | None:
    """Why ``head`` is clearly not text, or None."""
    if head.startswith(b"PK\x03\x04"):
        return "is an Excel workbook (or another zip file) with a text name; rename it to .xlsx"
    if head.startswith(_OLE_MAGIC):
        return "is an Excel .xls workbook with a text name; rename it to .xls or save as .xlsx"
    if head.startswith(b"%PDF"):
        return "is a PDF, not a table; export the orders from your shop as .csv or .xlsx"
    return None


def _guess_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        if sample[1::2].count(0) > len(sample) // 4 and not sample[0::2].count(0):
            return "utf-16-le"
        if sample[0::2].count(0) > len(sample) // 4 and not sample[1::2].count(0):
            return "utf-16-be"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not merely a character cut at the end of the sample
            return "cp1251"  # the usual 8-bit encoding of Russian Windows and 1C exports
    return "utf-8"


def _canonical_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError(
            f"unknown encoding {name!r}; try utf-8, cp1251 (Windows Cyrillic) or utf-16"
        ) from None


def _decode_head(path: Path, head: bytes, encoding: str, complete: bool) -> str:
    try:
        return codecs.decode(head, encoding)
    except UnicodeDecodeError as error:
        if complete or error.start < len(head) - 4:
            raise InputError(_decode_message(path, encoding, error.start)) from None
        return codecs.decode(head[: error.start], encoding)  # a character cut by the sample


def _decode_message(path: Path, encoding: str, byte: int | None) -> str:
    where = f" at byte {byte}" if byte is not None else ""
    other = "utf-8" if encoding == "cp1251" else "cp1251"
    return (
        f"cannot decode {path} as {encoding}{where}; pass --encoding {other} "
        "(or the file's real encoding)"
    )


def _sniff_delimiter(records: dict[str, list[list[str]]]) -> str:
    """The delimiter that splits most rows into the same number (more than one) of cells."""
    best, best_score = ",", (0, 0)
    for candidate, rows in records.items():
        widths = Counter(len(row) for row in rows if len(row) > 1)
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if (count, width) > best_score:
            best, best_score = candidate, (count, width)
    return best


def _parse_head(text: str, delimiter: str, complete: bool) -> tuple[list[list[str]], list[int]]:
    """The first records of ``text`` and the number of physical lines up to the end of each."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[str]] = []
    ends: list[int] = []
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row])
            ends.append(reader.line_num)
            if len(rows) > HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    if not complete and len(rows) <= HEADER_SEARCH_ROWS and rows:
        rows, ends = rows[:-1], ends[:-1]  # the last record may be cut by the sample
    return rows, ends


def _read_csv(
    path: Path, encoding: str | None, delimiter: str | None, is_header: HeaderTest | None
) -> Sheet:
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    complete = size <= HEAD_BYTES
    reason = _not_a_csv(path, head)
    if reason:
        raise InputError(f"{path}: {reason}")
    chosen = _canonical_encoding(encoding) if encoding else _guess_encoding(head)
    text = _decode_head(path, head, chosen, complete).lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"{path}: the file is empty; export the orders with a header row")
    if "\x00" in text:
        raise InputError(
            f"{path}: not a text file (it holds binary data); export the orders as .csv or .xlsx"
        )
    if delimiter is not None and len(delimiter) != 1:
        named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
        delimiter = named.get(delimiter.lower())
        if delimiter is None:
            raise InputError("--delimiter must be one character, or tab")
    if delimiter is None:
        candidates = {d: _parse_head(text, d, complete)[0] for d in DELIMITERS}
        delimiter = _sniff_delimiter(candidates)
    rows, ends = _parse_head(text, delimiter, complete)
    header_index = _find_header(rows, is_header) if rows else 0
    header = rows[header_index] if rows else []
    if not any(header):
        raise InputError(f"{path}: the file is empty; export the orders with a header row")
    if complete and len(rows) == header_index + 1:  # nothing below the header
        columns: list[Any] | None = [_empty_text() for _ in header]
    else:
        columns = _read_csv_body(path, chosen, delimiter, header, ends[header_index])
    if encoding is None and chosen == "utf-8" and columns is None:
        # The sample was plain ASCII but later bytes are not UTF-8: a Windows export.
        chosen = "cp1251"
        columns = _read_csv_body(path, chosen, delimiter, header, ends[header_index])
    if columns is None:
        raise InputError(_decode_message(path, chosen, _first_bad_byte(path, chosen)))
    return _drop_blank_rows(
        path,
        None,
        header,
        columns,
        header_row=header_index + 1,
        encoding=chosen,
        delimiter=delimiter,
    )


def _read_csv_body(
    path: Path, encoding: str, delimiter: str, header: list[str], skip_lines: int
) -> list[Any] | None:
    """The records after the header as Arrow text columns; None when the bytes do not decode."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = [f"c{i}" for i in range(len(header))]
    bad_rows: list[tuple[int, str]] = []

    def on_bad_row(row: Any) -> str:
        bad_rows.append((int(row.actual_columns), str(row.text)))
        return "error"

    # utf-8-sig: pyarrow drops a UTF-8 BOM itself and reads UTF-8 without transcoding.
    arrow_encoding = "utf8" if encoding in {"utf-8", "utf-8-sig"} else encoding
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=skip_lines, encoding=arrow_encoding
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,  # Excel quotes cells with line breaks
                ignore_empty_lines=False,  # blank lines still count as rows
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),  # never numbers: "012345" stays
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except UnicodeDecodeError:
        return None
    except Exception as error:  # pyarrow's ArrowInvalid for malformed CSV
        if "invalid UTF8" in str(error):
            return None
        if bad_rows:
            count, text = bad_rows[0]
            raise InputError(
                f"{path}: a row has {count} cells but the header has {len(header)} "
                f"({text[:80]!r}); check its quotes and delimiters, or pass --delimiter"
            ) from None
        raise InputError(f"{path}: not a readable CSV file ({_first_line(error)})") from None
    columns: list[Any] = table.columns
    return columns


def _first_bad_byte(path: Path, encoding: str) -> int | None:
    try:
        codecs.decode(path.read_bytes(), encoding)
    except UnicodeDecodeError as error:
        return error.start
    return None


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# --- workbooks ------------------------------------------------------------------------------

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

    def has_text(self) -> bool:
        return any(_has_text(column) for column in self.columns)

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


def _has_text(column: Any) -> bool:
    import pyarrow.compute as pc

    return bool(pc.any(pc.not_equal(column, "")).as_py())


def _check_workbook_file(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise InputError(f"{path}: the file is empty; save the workbook again from Excel")
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in path.read_bytes():
        raise InputError(
            f"{path}: the workbook is password-protected; open it, remove the password "
            "(File → Info → Protect Workbook) and save it again"
        )
    if suffix in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(path):
        if head.startswith(_OLE_MAGIC):
            raise InputError(f"{path}: an old .xls workbook with an .xlsx name; rename it to .xls")
        raise InputError(
            f"{path}: not an XLSX workbook (damaged, cut short or renamed); "
            "open it in Excel and save it again as .xlsx"
        )


def _choose_sheet(path: Path, names: list[str], load: SheetLoader, sheet: str | None) -> _Grid:
    """The sheet named ``sheet``, else the first visible sheet with data (else a hidden one)."""
    if not names:
        raise InputError(f"{path}: the workbook has no sheets")
    if sheet is not None:
        found = [name for name in names if name == sheet] or [
            name for name in names if name.strip().casefold() == sheet.strip().casefold()
        ]
        if not found:
            raise InputError(f"{path}: no sheet named {sheet!r}; sheets are {', '.join(names)}")
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
    raise InputError(f"{path}: no sheet has any data; put the orders in the first sheet")


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
            first = loaded.available_columns()[0].absolute_index if batch.num_columns else 0
            visible = loaded.visible == "visible"
        except Exception as error:
            raise _NotReadByFastexcel from error
        return visible, _Grid(name, [_fastexcel_text(c) for c in batch.columns], first)

    return _choose_sheet(path, names, load, sheet)


def _calamine_sheet(path: Path, sheet: str | None) -> _Grid:
    """The sheet read by python-calamine, cell by cell: where fastexcel cannot read the file."""
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:
        raise InputError(
            f"{path}: cannot open the workbook ({_first_line(error)}); open it in Excel and "
            "save it again"
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
            raise InputError(f"{path}: cannot read sheet {name!r} ({_first_line(error)})") from None
        width = max((len(row) for row in rows), default=0)
        padded = [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]
        columns = [
            pa.array([_cell_text(c) for c in cells], pa.string())
            for cells in zip(*padded, strict=True)
        ]
        visible = meta is None or str(meta.visible).endswith(".Visible")
        return visible, _Grid(name, columns)

    names = [str(name) for name in workbook.sheet_names]
    return _choose_sheet(path, names, load, sheet)


def _read_excel(path: Path, sheet: str | None, is_header: HeaderTest | None) -> Sheet:
    _check_workbook_file(path)
    try:
        if path.suffix.lower() == ".ods":
            # fastexcel leaves an ODS time-of-day cell empty: its text would be lost.
            raise _NotReadByFastexcel
        grid = _fastexcel_sheet(path, sheet)
    except _NotReadByFastexcel:
        grid = _calamine_sheet(path, sheet)
    top = grid.top_rows(HEADER_SEARCH_ROWS)
    header_index = _find_header(top, is_header)
    if not any(top[header_index] if top else []):
        raise InputError(f"{path}: sheet {grid.name!r} is empty; put the headers in its first row")
    return _drop_blank_rows(
        path,
        grid.name,
        top[header_index],
        [column.slice(header_index + 1) for column in grid.columns],
        header_row=header_index + 1,
        first_column=grid.first_column,
    )


# --- both -----------------------------------------------------------------------------------


def _empty_text() -> Any:
    import pyarrow as pa

    return pa.array([], pa.string())


def _drop_blank_rows(
    path: Path,
    sheet_name: str | None,
    header: list[str],
    columns: list[Any],
    *,
    header_row: int,
    first_column: int = 0,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Sheet:
    """The ``Sheet`` of Arrow text ``columns`` under ``header``, rows with no text left out."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    names = [str(name).strip() for name in header]
    for i, (name, column) in enumerate(zip(names, columns, strict=True)):
        if not name and _has_text(column):
            raise InputError(
                f"{path}: column {first_column + i + 1} has values but no header; give it a "
                f"header in row {header_row}"
            )
    kept = [(name, column) for name, column in zip(names, columns, strict=True) if name]
    seen: set[str] = set()
    for name, _ in kept:
        if name in seen:
            raise InputError(f"{path}: the header {name!r} appears twice; rename one of them")
        seen.add(name)
    length = len(columns[0]) if columns else 0
    filled = np.zeros(length, dtype=bool)
    for _, column in kept:
        filled |= pc.not_equal(column, "").to_numpy(zero_copy_only=False)
    row_numbers: list[int] = (np.flatnonzero(filled) + (header_row + 1)).tolist()
    if not row_numbers:
        raise InputError(
            f"{path}: there are headers in row {header_row} but no rows of orders below them"
        )
    table = pa.Table.from_arrays([column for _, column in kept], names=[name for name, _ in kept])
    if len(row_numbers) < length:
        table = table.filter(pa.array(filled))
    # pandas' own pyarrow-backed text columns: fast to compare and trim, and no copy into
    # Python objects (that alone took 2-4 s for a million rows of 25 columns).
    frame: pd.DataFrame = table.to_pandas()
    return Sheet(
        path=path,
        sheet_name=sheet_name,
        frame=frame,
        row_numbers=row_numbers,
        header_row=header_row,
        encoding=encoding,
        delimiter=delimiter,
    )
