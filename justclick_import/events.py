"""What a run tells a front end while it works: stages, each order's result, why it stopped.

Events reach the caller's own thread (the one that called ``prepare`` or ``execute``), never a
sender thread and never under a lock: a slow consumer (a terminal, a web page) delays only
itself, not the senders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from justclick_import.errors import ErrorCode
from justclick_import.models import OrderResult

__all__ = ["Event", "EventSink", "OrderDone", "RunStopped", "StageFinished", "StageStarted"]


@dataclass(frozen=True)
class StageStarted:
    """A stage began: ``read``, ``validate``, ``assemble``, ``check`` or ``send``."""

    stage: str
    total: int | None = None  # for ``send``: the orders the run reports on


@dataclass(frozen=True)
class StageFinished:
    """A stage ended, with what it counted (rows, orders, problems, statuses)."""

    stage: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderDone:
    """One order's result is known; ``done`` of ``total`` are."""

    result: OrderResult
    done: int
    total: int


@dataclass(frozen=True)
class RunStopped:
    """Sending ended early: an answer made going on pointless, or the run was cancelled."""

    message: str
    code: ErrorCode | None = None  # None when cancelled
    interrupted: bool = False


Event = StageStarted | StageFinished | OrderDone | RunStopped
EventSink = Callable[[Event], None]
