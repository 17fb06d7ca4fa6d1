"""Stage 1, read: a CSV file or a workbook becomes a ``Sheet`` of text with its row numbers."""

from __future__ import annotations

from pathlib import Path

from justclick_import.errors import ErrorCode, InputError
from justclick_import.sources.csv_file import read_csv
from justclick_import.sources.sheet import HeaderTest, Sheet
from justclick_import.sources.workbook import read_workbook

__all__ = ["CSV_SUFFIXES", "EXCEL_SUFFIXES", "read_sheet"]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


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
        raise InputError(ErrorCode.FILE_NOT_FOUND, f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(
            ErrorCode.NOT_A_FILE,
            f"{path}: is a folder, not a spreadsheet; give a .csv or .xlsx file",
        )
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_workbook(path, sheet, is_header)
    if suffix in CSV_SUFFIXES or not suffix:
        return read_csv(path, encoding, delimiter, is_header)
    raise InputError(
        ErrorCode.UNSUPPORTED_TYPE,
        f"{path}: unsupported file type {suffix!r}; save it as .xlsx or .csv (UTF-8)",
    )
