"""Which columns of a workbook held numbers: the results write them as numbers again.

Everything is read as text (``workbook``); this only says which headers' filled cells were
number cells in the file, so that the results workbook shows prices as numbers and keeps text
(phones, postal codes, text that looks like a number) as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["is_number", "number_columns"]


def is_number(value: Any) -> bool:
    """True for a number cell as python-calamine gives it (a boolean is not a number)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_columns(
    path: Path,
    sheet_name: str,
    header: list[str],
    header_index: int,
    columns: list[Any],
    numbers: list[Any] | None,
    first_column: int = 0,
) -> frozenset[str]:
    """The headers whose filled cells below the header (row ``header_index``) are numbers.

    ``columns`` are the sheet's text columns and ``numbers``, when the reader knows them, a
    bool array per column telling its number cells (python-calamine). Without them fastexcel
    reads the sheet a second time, guessing each column's type from its first 1,000 rows below
    the header (a column mixing numbers and text is text). Never an error: without an answer
    every column is text, as read.
    """
    import pyarrow.compute as pc

    names = [str(name).strip() for name in header]
    if numbers is not None:
        found = set()
        for name, kinds, column in zip(names, numbers, columns, strict=True):
            below = kinds[header_index + 1 :]
            text = column.slice(header_index + 1)
            filled = pc.not_equal(text, "").to_numpy(zero_copy_only=False)
            if name and below.any() and not (filled & ~below).any():
                found.add(name)
        return frozenset(found)
    try:
        import fastexcel

        typed = fastexcel.read_excel(path).load_sheet(
            sheet_name, header_row=None, skip_rows=header_index + 1
        )
        kinds = [(column.absolute_index, column.dtype) for column in typed.selected_columns]
    except Exception:  # no data rows, or a sheet fastexcel cannot type: all text
        return frozenset()
    return frozenset(
        names[at]
        for index, kind in kinds
        if kind in ("float", "int") and 0 <= (at := index - first_column) < len(names) and names[at]
    )
