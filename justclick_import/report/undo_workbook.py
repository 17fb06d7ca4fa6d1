"""The undo's results workbook: which orders were cancelled or deleted, which failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from justclick_import.atomic import atomic_path
from justclick_import.sending.undo import UndoOutcome

__all__ = ["undo_report_path", "write_undo_workbook"]


def undo_report_path(run_id: str, folder: Path) -> Path:
    """Where the undo's results workbook goes by default."""
    return folder / f"undo-{run_id}.results.xlsx"


def write_undo_workbook(path: Path, run_id: str, outcomes: list[UndoOutcome]) -> Path:
    """Write the undo's results: which orders were cancelled or deleted, which failed."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("Summary")
    summary.append(["item", "value"])
    summary.append(_text_row(workbook, summary, ["undone run", run_id]))
    for result in ("cancelled", "deleted", "already", "failed"):
        summary.append([f"orders {result}", sum(o.result == result for o in outcomes)])
    orders = workbook.create_sheet("Orders")
    orders.append(["order_key", "bill_email", "bill_id", "result", "message"])
    for o in outcomes:
        row = _text_row(workbook, orders, [o.identity, o.email, "", o.result, o.message])
        row[2] = o.bill_id
        orders.append(row)
    with atomic_path(path) as temporary:
        workbook.save(temporary)
    return path


def _text_row(workbook: Workbook, sheet: Any, values: list[str]) -> list[Any]:
    """Cells that stay text even when they start with '=' (never a formula)."""
    cells: list[Any] = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cells.append(cell)
    return cells
