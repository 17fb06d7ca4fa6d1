"""Undo a run: cancel (or delete) exactly the orders one run created, journaled and resumable."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from justclick_import.api.client import CallError, JustClickClient
from justclick_import.sending.journal import Journal, JournalEntry

__all__ = [
    "UNDONE",
    "UndoOutcome",
    "orders_created_by",
    "undo_orders",
    "undo_report_path",
    "write_undo_workbook",
]

# The journal state of an order a run created and an undo took back: a later import sends it
# again (README, "Undoing a run").
UNDONE = "undone"
NOT_FOUND = 400


@dataclass(frozen=True)
class UndoOutcome:
    """What undo did with one order."""

    identity: str
    email: str
    bill_id: int | None
    result: str  # cancelled, deleted, already, failed
    message: str = ""


def orders_created_by(journal: Journal, run_id: str, login: str) -> list[JournalEntry]:
    """The orders run ``run_id`` created for ``login`` (never any other run's)."""
    return [entry for owner, entry in journal.created_by_run(run_id) if owner == login]


def _undo_one(client: JustClickClient, bill_id: int, delete: bool) -> tuple[str, str]:
    try:
        answer = client.delete_order(bill_id) if delete else client.update_status(bill_id, "cancel")
    except CallError as error:
        return "failed", str(error)
    if answer.error_code == 0:
        return ("deleted" if delete else "cancelled"), ""
    if delete and answer.error_code == NOT_FOUND:  # an earlier, interrupted undo deleted it
        return "deleted", "it was already gone"
    return "failed", f"{answer.error_code} {answer.error_text}"


def undo_orders(
    journal: Journal,
    client: JustClickClient,
    entries: list[JournalEntry],
    *,
    login: str,
    delete: bool = False,
    on_outcome: Callable[[UndoOutcome], None] | None = None,
) -> list[UndoOutcome]:
    """Cancel (or delete) each order of ``entries``; each step is committed to the journal."""
    outcomes = []
    for entry in entries:
        if entry.undo_state in ("cancelled", "deleted"):
            outcome = UndoOutcome(
                entry.identity, entry.email, entry.bill_id, "already", "undone by an earlier undo"
            )
        elif entry.bill_id is None:
            outcome = UndoOutcome(
                entry.identity, entry.email, None, "failed", "the journal has no bill id"
            )
        else:
            journal.record_undo(login, entry.identity, "undoing")
            result, message = _undo_one(client, entry.bill_id, delete)
            journal.record_undo(login, entry.identity, result, message)
            outcome = UndoOutcome(entry.identity, entry.email, entry.bill_id, result, message)
        if outcome.result != "failed":
            journal.record(login, entry.identity, UNDONE, bill_id=entry.bill_id)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


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
    temporary = path.with_name(path.name + ".tmp")
    workbook.save(temporary)
    os.replace(temporary, path)
    return path


def _text_row(workbook: Workbook, sheet: Any, values: list[str]) -> list[Any]:
    """Cells that stay text even when they start with '=' (never a formula)."""
    cells: list[Any] = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cells.append(cell)
    return cells
