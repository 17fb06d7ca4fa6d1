"""The corrected copy: the file as read, with the cells fixed in the page, as a workbook.

Each line goes back to its own spreadsheet row (the header too), so a problem in the copy names
the same row as in the original. Every cell is written as text, the way the reader hands cells
on, so the copy reads exactly as the original did apart from the fixes. The copy is named after
the import (``orders.xlsx`` for ``orders.csv``): importing it is the same import, and orders the
original already created are not created again.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from justclick_import.atomic import atomic_path
from justclick_import.sources import Sheet

__all__ = ["Corrections", "apply_corrections", "write_corrected_copy"]

Corrections = dict[tuple[int, str], str]  # (spreadsheet row, header) -> the text typed in the page

_SHEET_TITLE_LIMIT = 31  # Excel's


def apply_corrections(sheet: Sheet, corrections: Corrections) -> list[list[str]]:
    """The sheet's lines as lists of text, with ``corrections`` put in (unknown cells ignored)."""
    headers = sheet.headers
    position = {header: i for i, header in enumerate(headers)}
    lines = [[str(value) for value in row] for row in sheet.frame.itertuples(index=False)]
    index = {row: i for i, row in enumerate(sheet.row_numbers)}
    for (row, header), text in corrections.items():
        line, column = index.get(row), position.get(header)
        if line is not None and column is not None:
            lines[line][column] = text
    return lines


def write_corrected_copy(sheet: Sheet, corrections: Corrections, path: Path) -> Path:
    """Write the sheet with ``corrections`` to the workbook ``path`` (written, then renamed)."""
    book = Workbook(write_only=True)
    title = ILLEGAL_CHARACTERS_RE.sub("", sheet.sheet_name or "Orders")
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, " ")
    page = book.create_sheet(title=title.strip()[:_SHEET_TITLE_LIMIT] or "Orders")

    def cells(values: list[str]) -> list[WriteOnlyCell]:
        made = []
        for value in values:
            # A control character no workbook can hold is dropped, as Excel itself would.
            cell = WriteOnlyCell(page, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # text, even when it starts with "=": never a formula
            made.append(cell)
        return made

    lines = apply_corrections(sheet, corrections)
    by_row = dict(zip(sheet.row_numbers, lines, strict=True))
    last = max([sheet.header_row, *sheet.row_numbers])
    for row in range(1, last + 1):
        if row == sheet.header_row:
            page.append(cells(sheet.headers))
        else:
            page.append(cells(by_row.get(row, [])))
    with atomic_path(path) as scratch:
        book.save(scratch)
    return path
