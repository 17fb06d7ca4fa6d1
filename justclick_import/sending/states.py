"""The states the journal records, one enum per step (the schema's CHECK constraints list them)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DONE_STATES", "IN_DOUBT", "OrderState", "StatusStep", "UndoStep"]


class OrderState(StrEnum):
    """Where an order's CreateOrder stands."""

    SENDING = "sending"  # committed before the request leaves: its answer may never come
    CREATED = "created"
    ALREADY_EXISTS = "already_exists"
    FAILED = "failed"  # certainly not created
    UNCERTAIN = "uncertain"  # sent, no trustworthy answer: it may exist
    UNDONE = "undone"  # created, then cancelled or deleted by undo: a later import sends it anew


class StatusStep(StrEnum):
    """Where an order's legacy status (``UpdateOrderStatus``) stands."""

    NONE = ""
    APPLYING = "applying"
    APPLIED = "applied"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


class UndoStep(StrEnum):
    """Where undoing an order stands."""

    NONE = ""
    UNDOING = "undoing"
    CANCELLED = "cancelled"
    DELETED = "deleted"
    FAILED = "failed"


DONE_STATES = frozenset({OrderState.CREATED, OrderState.ALREADY_EXISTS})
IN_DOUBT = frozenset({OrderState.SENDING, OrderState.UNCERTAIN})
