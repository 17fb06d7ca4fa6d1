"""Which columns of a workbook held numbers: the results write them as numbers again.

Everything is read as text (``workbook``); this only says which headers' filled cells were
number cells in the file, so that the results workbook shows prices as numbers and keeps text
(phones, postal codes, text that looks like a number) as text.
"""

from __future__ import annotations

from typing import Any

from justclick_import.sources.sheet import NumberRows

__all__ = [
    "MAX_DIGITS",
    "NUMBER_TEXT",
    "TYPED_UP_TO",
    "is_number",
    "looks_like_numbers",
    "number_columns",
]

# Text a workbook cell holds as a number and reads back as the same text (fastexcel and
# python-calamine give at most 15 significant digits and 9 decimals, no "-0", no "1.50").
NUMBER_TEXT = r"^(0|-?[1-9][0-9]*|-?(0|[1-9][0-9]*)\.[0-9]{0,8}[1-9])$"
MAX_DIGITS = 15
# Data rows past which the reader is not asked for the cells' types (a second pass over the
# sheet's columns that look numeric); a table that long is read by programs more than by
# people, and its numbers stay text.
TYPED_UP_TO = 300_000


def is_number(value: Any) -> bool:
    """True for a number cell as python-calamine gives it (a boolean is not a number)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_columns(
    header: list[str],
    data: list[Any],
    first_row: int,
    number_rows: NumberRows,
) -> frozenset[str]:
    """The headers whose filled cells are all number cells in the file.

    ``data`` are the text columns below the header, the first of them sheet row ``first_row``;
    ``number_rows`` tells the sheet rows of a column's number cells (``sheet.NumberRows``). Only
    columns whose text reads back the same as a number are asked, and none past
    ``TYPED_UP_TO`` rows. Never an error: without an answer every column is text, as read.
    """
    import numpy as np
    import pyarrow.compute as pc

    if not data or len(data[0]) > TYPED_UP_TO:
        return frozenset()
    candidates = {
        name: column
        for name, column in zip(header, data, strict=True)
        if name and looks_like_numbers(column) is not None
    }
    if not candidates:
        return frozenset()
    rows = number_rows(list(candidates))
    found = set()
    for name, column in candidates.items():
        filled = pc.not_equal(column, "").to_numpy(zero_copy_only=False)
        at = set((np.flatnonzero(filled) + first_row).tolist())
        if at and at <= rows.get(name, frozenset()):
            found.add(name)
    return frozenset(found)


def looks_like_numbers(text: Any) -> bool | None:
    """For an Arrow text column: None unless it has text and every filled cell reads back the
    same as a number (``NUMBER_TEXT``); else whether all of them are whole numbers."""
    import pyarrow.compute as pc

    filled = pc.fill_null(pc.not_equal(text, ""), False)
    if not pc.any(filled).as_py():
        return None
    shaped = pc.match_substring_regex(text, NUMBER_TEXT)
    if not pc.all(pc.or_kleene(pc.invert(filled), shaped)).as_py():
        return None
    digits = pc.utf8_length(pc.replace_substring_regex(text, r"[-.]", ""))
    if (pc.max(digits).as_py() or 0) > MAX_DIGITS:
        return None
    has_point = pc.match_substring(text, ".")
    return not pc.any(pc.and_(filled, has_point)).as_py()
