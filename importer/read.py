"""Stage 1, read: a CSV or XLSX file becomes a table of text with the spreadsheet's row numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from importer.errors import InputError

__all__ = ["Sheet", "read_sheet"]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Sheet:
    """A table read from a file: text cells under the file's own headers."""

    path: Path
    sheet_name: str | None
    frame: pd.DataFrame  # every cell is text; an empty cell is ""
    row_numbers: list[int]  # the spreadsheet row of each line of ``frame`` (header is row 1)

    @property
    def headers(self) -> list[str]:
        """The column headers as written in the file."""
        return [str(column) for column in self.frame.columns]


def read_sheet(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Sheet:
    """Read ``path`` (CSV or a spreadsheet) into a ``Sheet`` of text, blank rows left out.

    Raises ``InputError`` with a message naming the file when it cannot be read.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a spreadsheet; give a .csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if suffix in CSV_SUFFIXES or not suffix:
        return _read_csv(path, encoding, delimiter)
    raise InputError(f"{path}: unsupported file type {suffix!r}; save it as .xlsx or .csv (UTF-8)")


def _sniff_delimiter(first_line: str) -> str:
    counts = {candidate: first_line.count(candidate) for candidate in DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _read_csv(path: Path, encoding: str | None, delimiter: str | None) -> Sheet:
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"{path}: the file is empty; export the orders with a header row")
    encoding = encoding or "utf-8-sig"
    try:
        text_head = raw[:65536].decode(encoding, errors="strict")
    except UnicodeDecodeError as error:
        if error.end < min(len(raw), 65536) - 4:  # a cut multi-byte character at the end is fine
            raise InputError(
                f"{path}: cannot decode as {encoding} at byte {error.start}; "
                "pass --encoding cp1251 (or the file's real encoding)"
            ) from None
        text_head = raw[: error.start].decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; try utf-8 or cp1251") from None
    delimiter = delimiter or _sniff_delimiter(text_head.splitlines()[0] if text_head else "")
    try:
        frame = pd.read_csv(
            path,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding=encoding,
            engine="pyarrow",
        )
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: cannot decode as {encoding} at byte {error.start}; "
            "pass --encoding cp1251 (or the file's real encoding)"
        ) from None
    except Exception as error:  # pyarrow raises its own ArrowInvalid for malformed CSV
        raise InputError(f"{path}: not a readable CSV file ({_first_line(error)})") from None
    # pandas renames a repeated header "a" to "a.1"; take the headers as written instead.
    header = next(csv.reader(io.StringIO(text_head), delimiter=delimiter), [])
    if len(header) == len(frame.columns):
        frame.columns = [column.strip() for column in header]
    else:
        frame.columns = [str(column).strip() for column in frame.columns]
    return _drop_blank_rows(path, None, frame.astype(object), first_row=2)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _cell_text(value: Any) -> str:
    """Text of one spreadsheet cell as a person sees it (no ``.0`` on whole numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_excel(path: Path, sheet: str | None) -> Sheet:
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(path):
        raise InputError(
            f"{path}: not an XLSX workbook (damaged, password-protected or renamed); "
            "open it in Excel and save it again as .xlsx"
        )
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:
        raise InputError(f"{path}: cannot open the workbook ({_first_line(error)})") from None
    names = list(workbook.sheet_names)
    if sheet is not None and sheet not in names:
        raise InputError(f"{path}: no sheet named {sheet!r}; sheets are {', '.join(names)}")
    chosen = sheet if sheet is not None else (names[0] if names else None)
    if chosen is None:
        raise InputError(f"{path}: the workbook has no sheets")
    rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    if not rows or not any(_cell_text(cell) for cell in rows[0]):
        raise InputError(f"{path}: sheet {chosen!r} has no header in row 1; put the headers there")
    header = [_cell_text(cell) for cell in rows[0]]
    width = len(header)
    columns = [
        [_cell_text(row[i]) if i < len(row) else "" for row in rows[1:]] for i in range(width)
    ]
    frame = pd.DataFrame(dict(zip(range(width), columns, strict=True)), dtype=object)
    frame.columns = header
    return _drop_blank_rows(path, chosen, frame, first_row=2)


def _drop_blank_rows(
    path: Path, sheet_name: str | None, frame: pd.DataFrame, first_row: int
) -> Sheet:
    unnamed = [i for i, name in enumerate(frame.columns) if not str(name)]
    if unnamed and (frame.iloc[:, unnamed] != "").any().any():
        raise InputError(
            f"{path}: column {unnamed[0] + 1} has values but no header; give it a header in row 1"
        )
    frame = frame.loc[:, [bool(str(name)) for name in frame.columns]]
    if frame.columns.duplicated().any():
        duplicate = frame.columns[frame.columns.duplicated()][0]
        raise InputError(f"{path}: the header {duplicate!r} appears twice; rename one of them")
    blank = (frame == "").all(axis=1) if len(frame.columns) else pd.Series(True, index=frame.index)
    row_numbers = [first_row + i for i, is_blank in enumerate(blank.tolist()) if not is_blank]
    kept = frame.loc[~blank].reset_index(drop=True)
    return Sheet(path=path, sheet_name=sheet_name, frame=kept, row_numbers=row_numbers)
