"""What a cell's type or size says, whatever field it feeds: checks beside the typed ones.

- A cell the reader flagged (an error shown as ``#N/A``, a formula whose result was never
  saved, bytes that did not decode) is a problem of its row, never an empty value: an empty
  price would mean the shop's price.
- Text longer than the 32,767 characters a spreadsheet cell holds is reported before sending
  (the results workbook would cut it, and importing the workbook again would send the cut
  text); in a column that is never sent it is only told.
- In a workbook, a number cell is a number: ``12.345`` typed as a number is twelve and a bit,
  not ambiguous; a phone or a postal code typed as a number may have lost its ``+`` or its
  leading zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.rows.columns import ColumnMap
from justclick_import.sources import Sheet

__all__ = ["MAX_CELL", "NUMBER_FIELDS", "cell_problems", "number_cells", "numbers_as_numbers"]

MAX_CELL = 32_767  # characters in one spreadsheet cell (Excel's limit)
NUMBER_FIELDS = ("bill_phone", "bill_postal_code")  # fields a number cell may have spoilt
_THREE_DECIMALS = r"^\d+\.\d{3}$"
_DIGITS = r"^[0-9]+$"  # a number cell of a phone or postal code reads as digits only


def _long_rows(column: pd.Series) -> list[int]:
    """Positions of the cells of ``column`` longer than ``MAX_CELL``."""
    array = pa.array(column, type=pa.string(), from_pandas=True)
    longest = pc.max(pc.utf8_length(array)).as_py()
    if not longest or longest <= MAX_CELL:
        return []
    hits: list[int] = np.flatnonzero(
        pc.greater(pc.utf8_length(array), MAX_CELL).to_numpy(zero_copy_only=False)
    ).tolist()
    return hits


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def _digit_rows(column: pd.Series, pattern: str) -> bool:
    """True when a cell of ``column`` could be a number cell's text (nothing else can be)."""
    array = pa.array(column, type=pa.string(), from_pandas=True)
    return bool(pc.any(pc.match_substring_regex(array, pattern)).as_py())


def number_cells(sheet: Sheet, mapping: ColumnMap) -> dict[str, frozenset[int]]:
    """For the price, phone and postal-code headers: the sheet rows of their number cells.

    Only columns with text a number cell could show are asked (one pass over the workbook).
    """
    if sheet.number_rows is None:
        return {}
    wanted = [
        header
        for name, pattern in (*((n, _DIGITS) for n in NUMBER_FIELDS), ("good_sum", _THREE_DECIMALS))
        if (header := mapping.fields.get(name)) is not None
        and _digit_rows(sheet.frame[header], pattern)
    ]
    return sheet.number_rows(wanted) if wanted else {}


def cell_problems(
    sheet: Sheet, mapping: ColumnMap, numbers: dict[str, frozenset[int]]
) -> list[RowProblem]:
    """The problems of flagged, long and number cells of ``sheet`` (see the module);
    ``numbers`` from ``number_cells``."""
    sent = set(mapping.fields.values())
    problems = [
        RowProblem(cell.row, cell.header, cell.shown, ProblemCode(cell.kind))
        for cell in sheet.flagged
        if cell.header in sent
    ]
    rows = sheet.row_numbers
    for header in sheet.headers:
        column = sheet.frame[header]
        code = ProblemCode.CELL_TOO_LONG if header in sent else ProblemCode.CELL_CUT
        for position in _long_rows(column):
            text = str(column.iloc[position])
            problems.append(
                RowProblem(rows[position], header, _shown(text), code, f"{len(text):,}")
            )
    for name in NUMBER_FIELDS:
        header = mapping.fields.get(name, "")
        typed = numbers.get(header)
        if not typed:
            continue
        column = sheet.frame[header]
        for position, row in enumerate(rows):
            if row in typed and column.iloc[position] != "":
                value = str(column.iloc[position])
                problems.append(RowProblem(row, header, value, ProblemCode.TYPED_AS_NUMBER))
    return problems


def numbers_as_numbers(
    sheet: Sheet, mapping: ColumnMap, prices: pd.Series, numbers: dict[str, frozenset[int]]
) -> pd.Series:
    """``prices`` with each number cell of three decimals (``12.345``) written so that the
    price parser reads it as the number it is (a fourth decimal zero: the value is unchanged).

    A text cell ``12.345`` stays ambiguous: 12345 in one country, 12.345 in another.
    """
    typed = numbers.get(mapping.fields.get("good_sum", ""))
    if not typed:
        return prices
    candidates = prices.str.match(_THREE_DECIMALS)
    is_number = pd.Series([row in typed for row in sheet.row_numbers], index=prices.index)
    chosen = candidates & is_number
    return prices.mask(chosen, prices + "0") if chosen.any() else prices
