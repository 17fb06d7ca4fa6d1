"""A table read from a file: the ``Sheet`` every reader returns, and what the readers share.

Readers (``csv_file``, ``workbook``) hand over Arrow text columns and the rows above them; here the
header row is found and blank rows are left out, keeping each line's spreadsheet row number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from justclick_import.errors import ErrorCode, InputError
from justclick_import.source_format import SourceFormat

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HEAD_BYTES",
    "OLE_MAGIC",
    "FlaggedCell",
    "HeaderTest",
    "NumberRows",
    "Sheet",
    "empty_text",
    "find_header",
    "first_line",
    "has_text",
    "to_sheet",
]

HEAD_BYTES = 256 * 1024  # what is looked at to guess the encoding, the delimiter and the header
HEADER_SEARCH_ROWS = 30  # a title and blank rows above the header are allowed within these
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted (password) .xlsx

HeaderTest = Callable[[str], bool]
# Headers -> the sheet rows of each one's number cells (a workbook's; asked in one go).
NumberRows = Callable[[Sequence[str]], dict[str, frozenset[int]]]


@dataclass(frozen=True, slots=True)
class FlaggedCell:
    """A cell whose text is not what the file meant: an error shown (``#N/A``), a formula whose
    result was never saved, or bytes that could not be decoded (kinds are problem codes)."""

    row: int
    header: str
    kind: str  # "error-cell", "formula-without-value" or "bad-bytes"
    shown: str


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
    # Headers whose filled cells the file held as numbers (a workbook's; a CSV has none): the
    # results show them as numbers again, the rest as the text it is.
    number_columns: frozenset[str] = frozenset()
    flagged: list[FlaggedCell] = field(default_factory=list)
    number_rows: NumberRows | None = None  # for a workbook: which cells were typed as numbers
    bad_bytes_rows: int = 0  # rows whose bytes were not all of the encoding (shown as U+FFFD)

    @property
    def headers(self) -> list[str]:
        """The column headers as written in the file."""
        return [str(column) for column in self.frame.columns]

    @property
    def source_format(self) -> SourceFormat:
        """How the file was read: its sheet, or its encoding and delimiter; its header row."""
        return SourceFormat(
            header_row=self.header_row,
            sheet_name=self.sheet_name,
            encoding=self.encoding,
            delimiter=self.delimiter,
            bad_bytes_rows=self.bad_bytes_rows,
        )

    def describe_format(self) -> str:
        """How the file was read, in words: ``UTF-8, semicolon-separated`` or ``sheet 'Orders'``."""
        return self.source_format.describe()


def find_header(rows: list[list[str]], is_header: HeaderTest | None) -> int:
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


def has_text(column: Any) -> bool:
    """True when an Arrow text column has a non-empty cell."""
    import pyarrow.compute as pc

    return bool(pc.any(pc.not_equal(column, "")).as_py())


def first_line(error: BaseException) -> str:
    """The first line of an error's text (a library's message can run to many)."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def empty_text() -> Any:
    """An Arrow text column of no rows."""
    import pyarrow as pa

    return pa.array([], pa.string())


def to_sheet(
    path: Path,
    sheet_name: str | None,
    header: list[str],
    columns: list[Any],
    *,
    header_row: int,
    first_column: int = 0,
    encoding: str | None = None,
    delimiter: str | None = None,
    decoded_with_replacements: bool = False,
) -> Sheet:
    """The ``Sheet`` of Arrow text ``columns`` under ``header``, rows with no text left out.

    ``decoded_with_replacements``: bytes that did not decode became U+FFFD; each cell holding
    one is flagged (``bad-bytes``), so the rows are reported rather than sent garbled.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    names = [str(name).strip() for name in header]
    for i, (name, column) in enumerate(zip(names, columns, strict=True)):
        if not name and has_text(column):
            raise InputError(
                ErrorCode.UNNAMED_COLUMN,
                f"{path}: column {first_column + i + 1} has values but no header; give it a "
                f"header in row {header_row}",
            )
    kept = [(name, column) for name, column in zip(names, columns, strict=True) if name]
    seen: set[str] = set()
    for name, _ in kept:
        if name in seen:
            raise InputError(
                ErrorCode.DUPLICATE_HEADER,
                f"{path}: the header {name!r} appears twice; rename one of them",
                header=name,
            )
        seen.add(name)
    length = len(columns[0]) if columns else 0
    filled = np.zeros(length, dtype=bool)
    for _, column in kept:
        filled |= pc.not_equal(column, "").to_numpy(zero_copy_only=False)
    row_numbers: list[int] = (np.flatnonzero(filled) + (header_row + 1)).tolist()
    if not row_numbers:
        raise InputError(
            ErrorCode.NO_DATA,
            f"{path}: there are headers in row {header_row} but no rows of orders below them",
        )
    table = pa.Table.from_arrays([column for _, column in kept], names=[name for name, _ in kept])
    if len(row_numbers) < length:
        table = table.filter(pa.array(filled))
    # pandas' own pyarrow-backed text columns: fast to compare and trim, and no copy into
    # Python objects (that alone took 2-4 s for a million rows of 25 columns).
    frame: pd.DataFrame = table.to_pandas()
    flagged = _replaced_cells(table, row_numbers) if decoded_with_replacements else []
    return Sheet(
        path=path,
        sheet_name=sheet_name,
        frame=frame,
        row_numbers=row_numbers,
        header_row=header_row,
        encoding=encoding,
        delimiter=delimiter,
        flagged=flagged,
        bad_bytes_rows=len({cell.row for cell in flagged}),
    )


def _replaced_cells(table: Any, row_numbers: list[int]) -> list[FlaggedCell]:
    """The cells of ``table`` holding U+FFFD, the mark of a byte that did not decode."""
    import numpy as np
    import pyarrow.compute as pc

    found: list[FlaggedCell] = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        hits = pc.match_substring(column, "\ufffd").to_numpy(zero_copy_only=False)
        for position in np.flatnonzero(hits).tolist():
            text = str(column[position].as_py())
            found.append(FlaggedCell(row_numbers[position], name, "bad-bytes", text[:80]))
    return found
