"""Undo a run: cancel (or delete) exactly the orders one run created, journaled and resumable.

An undone order counts as not sent: a later import of its file creates it anew.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from justclick_import.api.answers import CallError
from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import ORDER_NOT_FOUND
from justclick_import.sending.journal import Journal, JournalEntry
from justclick_import.sending.states import OrderState, UndoStep

__all__ = ["UndoOutcome", "orders_created_by", "undo_orders"]


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


def _undo_one(client: JustClickClient, bill_id: int, delete: bool) -> tuple[UndoStep, str]:
    try:
        answer = client.delete_order(bill_id) if delete else client.update_status(bill_id, "cancel")
    except CallError as error:
        return UndoStep.FAILED, str(error)
    if answer.error_code == 0:
        return (UndoStep.DELETED if delete else UndoStep.CANCELLED), ""
    if delete and answer.error_code == ORDER_NOT_FOUND:  # an earlier, interrupted undo did it
        return UndoStep.DELETED, "it was already gone"
    return UndoStep.FAILED, f"{answer.error_code} {answer.error_text}"


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
        if entry.undo_state in (UndoStep.CANCELLED, UndoStep.DELETED):
            outcome = UndoOutcome(
                entry.identity, entry.email, entry.bill_id, "already", "undone by an earlier undo"
            )
        elif entry.bill_id is None:
            outcome = UndoOutcome(
                entry.identity, entry.email, None, "failed", "the journal has no bill id"
            )
        else:
            journal.record_undo(login, entry.identity, UndoStep.UNDOING)
            result, message = _undo_one(client, entry.bill_id, delete)
            journal.record_undo(login, entry.identity, result, message)
            outcome = UndoOutcome(entry.identity, entry.email, entry.bill_id, result, message)
        if outcome.result != UndoStep.FAILED:
            journal.record(login, entry.identity, OrderState.UNDONE, bill_id=entry.bill_id)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes
