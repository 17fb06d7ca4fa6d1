"""What a workbook's cells were, beyond their text: numbers, errors, formulas never computed.

The readers hand over text (``1500``, ``12.345``) so that nothing is lost; what kind of cell
held it is asked here only for the few columns that need it (a price, a phone, a postal code).
fastexcel tells a cell's type when asked for a type the cell is not: loaded as ``duration``,
each number cell reports itself as ``Float(...)``, a text cell as ``String(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from justclick_import.sources.package import HiddenCell
from justclick_import.sources.sheet import FlaggedCell, NumberRows, Sheet

__all__ = ["by_header", "hidden_cells", "number_rows"]


def number_rows(reader: Any, sheet: str, columns: Sequence[str]) -> list[frozenset[int]]:
    """The sheet rows (1-based) of the number cells of each of ``columns`` (fastexcel's
    names), read in one pass over the sheet."""
    empty = [frozenset[int]() for _ in columns]
    try:
        loaded = reader.load_sheet(
            sheet,
            header_row=None,
            skip_rows=0,
            use_columns=list(columns),
            dtypes=dict.fromkeys(columns, "duration"),
        )
        _, errors = loaded.to_arrow_with_errors()
    except Exception:  # the text was read; only the types could not be told
        return empty
    if errors is None:
        return empty
    # An error names its cell by the sheet's own column index.
    place = {info.index: i for i, info in enumerate(loaded.selected_columns)}
    found: list[set[int]] = [set() for _ in columns]
    for error in errors.errors:
        if "'Float(" in error.detail or "'Int(" in error.detail:
            row, column = error.offset_position
            if column in place:
                found[place[column]].add(row + 1)
    return [frozenset(rows) for rows in found]


def by_header(
    numbers: Callable[[list[int]], list[frozenset[int]]], header: list[str]
) -> NumberRows:
    """``numbers`` by column positions made a question by headers (each column read once)."""
    positions = {name: i for i, name in enumerate(header) if name}
    known: dict[str, frozenset[int]] = {}

    def ask(names: Sequence[str]) -> dict[str, frozenset[int]]:
        wanted = [name for name in dict.fromkeys(names) if name not in known]
        asked = [name for name in wanted if name in positions]
        for name in wanted:
            known[name] = frozenset()
        if asked:
            for name, rows in zip(asked, numbers([positions[n] for n in asked]), strict=True):
                known[name] = rows
        return {name: known[name] for name in names}

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
