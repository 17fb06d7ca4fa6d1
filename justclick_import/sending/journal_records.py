"""What the journal hands back: an order's entry, one state change, one run."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ENTRY_COLUMNS", "JournalEntry", "JournalEvent", "RunRecord"]

ENTRY_COLUMNS = (
    "identity, fingerprint, state, bill_id, error_code, error_text, attempts, run_id, email,"
    " first_sent, status_state, undo_state, last_sent"
)


@dataclass(frozen=True)
class JournalEntry:
    """What the journal knows of one order."""

    identity: str
    fingerprint: str
    state: str
    bill_id: int | None
    error_code: int | None
    error_text: str
    attempts: int
    run_id: str
    email: str
    first_sent: str
    status_state: str
    undo_state: str
    last_sent: str | None = None  # when its latest request left (None in older journals)


@dataclass(frozen=True)
class JournalEvent:
    """One state change of one order, as it was committed."""

    at: str
    run_id: str
    step: str  # "order", "status" or "undo"
    state: str
    bill_id: int | None
    error_code: int | None
    text: str


@dataclass(frozen=True)
class RunRecord:
    """One run as the journal remembers it."""

    run_id: str
    login: str
    import_name: str
    source: str
    target: str
    started: str
    finished: str | None
    outcome: str | None
    created: int
