"""Which columns of a workbook held numbers: the results write them as numbers again.

Everything is read as text (``workbook``); this only says which headers' filled cells were
number cells in the file, so that the results workbook shows prices as numbers and keeps text
(phones, postal codes, text that looks like a number) as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
# Data rows past which fastexcel is not asked for the types (a second reading of the sheet:
# 0.8 s for 100k rows of 25 columns, on top of the 0.8 s of the first); a table that long is
# read by programs more than by people, and its numbers stay text.
TYPED_UP_TO = 300_000


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
    data = [column.slice(header_index + 1) for column in columns]
    if numbers is None and (
        not data
        or len(data[0]) > TYPED_UP_TO
        or all(looks_like_numbers(column) is None for column in data)
    ):
        return frozenset()  # nothing could be a number column: no second reading
    if numbers is not None:
        found = set()
        for name, kinds, column in zip(names, numbers, columns, strict=True):
            below = kinds[header_index + 1 :]
            filled = pc.not_equal(column.slice(header_index + 1), "").to_numpy(zero_copy_only=False)
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
