"""What a workbook's cells were, beyond their text: numbers, errors, formulas never computed.

The readers hand over text (``1500``, ``12.345``) so that nothing is lost; what kind of cell
held it is asked here only for the few columns that need it (a price, a phone, a postal code).
fastexcel tells a cell's type when asked for a type the cell is not: loaded as ``duration``,
each number cell reports itself as ``Float(...)``, a text cell as ``String(...)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from justclick_import.sources.package import HiddenCell
from justclick_import.sources.sheet import FlaggedCell, Sheet

__all__ = ["by_header", "hidden_cells", "number_rows"]


def number_rows(reader: Any, sheet: str, column: str) -> frozenset[int]:
    """The sheet rows (1-based) of the number cells of one column, read by fastexcel."""
    try:
        loaded = reader.load_sheet(
            sheet, header_row=None, skip_rows=0, use_columns=[column], dtypes={column: "duration"}
        )
        _, errors = loaded.to_arrow_with_errors()
    except Exception:  # the text was read; only the types could not be told
        return frozenset()
    if errors is None:
        return frozenset()
    return frozenset(
        error.offset_position[0] + 1
        for error in errors.errors
        if "'Float(" in error.detail or "'Int(" in error.detail
    )


def by_header(
    numbers: Callable[[int], frozenset[int]], header: list[str]
) -> Callable[[str], frozenset[int]]:
    """``numbers`` by column position made a question by header (each column asked once)."""
    positions = {name: i for i, name in enumerate(header) if name}

    @functools.cache
    def ask(name: str) -> frozenset[int]:
        position = positions.get(name)
        return frozenset() if position is None else numbers(position)

    return ask


def hidden_cells(
    hidden: list[HiddenCell], header: list[str], first_column: int, sheet: Sheet
) -> list[FlaggedCell]:
    """The package's hidden cells of the rows and named columns ``sheet`` reads."""
    rows = set(sheet.row_numbers)
    flagged = []
    for cell in hidden:
        position = cell.column - first_column
        if cell.row not in rows or not 0 <= position < len(header) or not header[position]:
            continue
        flagged.append(FlaggedCell(cell.row, header[position], cell.kind, cell.shown))
    return flagged
