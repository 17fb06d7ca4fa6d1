"""Reading a results workbook back as a person and a script would (openpyxl)."""

from __future__ import annotations

from typing import Any

from justclick_import.sending.identity import SUMMARY_KEY_COLUMN


def values(sheet: Any) -> list[list[Any]]:
    """A sheet's cell values, row by row."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def sheet_dicts(book: Any, title: str) -> list[dict[str, Any]]:
    """A sheet's lines as dicts keyed by its header."""
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def summary_facts(book: Any) -> dict[str, Any]:
    """The Summary's facts by their stable key (hidden column L): the value in column B."""
    facts = {}
    for row in book["Summary"].iter_rows(values_only=True):
        if len(row) > SUMMARY_KEY_COLUMN and row[SUMMARY_KEY_COLUMN] is not None:
            facts[row[SUMMARY_KEY_COLUMN]] = row[1]
    return facts


def summary_column(book: Any) -> list[str]:
    """The texts of the Summary's column A, top down (blank rows left out)."""
    return [row[0] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]]
