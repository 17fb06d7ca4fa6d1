"""One sending run in a background thread: its progress as the events tell it, and its end.

The page's requests only read the progress (under this run's own lock); the run's thread is the
one that calls ``prepare``, ``execute`` and ``write_outputs``, so the events arrive on it.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from justclick_import.errors import ErrorCode, ImporterError
from justclick_import.events import Event, OrderDone, RunStopped, StageStarted
from justclick_import.models import OrderStatus, RunResult
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.execute import execute
from justclick_import.pipeline.outputs import Outputs, write_outputs
from justclick_import.pipeline.prepare import Plan, prepare

__all__ = ["TRIAL_ORDERS", "SendRun", "trial_plan"]

TRIAL_ORDERS = 3
_SENT = {OrderStatus.CREATED, OrderStatus.ALREADY_EXISTS, OrderStatus.FAILED, OrderStatus.UNCERTAIN}
_log = logging.getLogger(__name__)


def trial_plan(plan: Plan, count: int = TRIAL_ORDERS) -> Plan:
    """The plan cut to its first ``count`` valid orders and their rows (a try before the rest)."""
    chosen = [order for order in plan.orders if order.is_valid][:count]
    rows = {row for order in chosen for row in order.rows}
    sheet = plan.sheet
    keep = [i for i, row in enumerate(sheet.row_numbers) if row in rows]
    frame = sheet.frame.iloc[keep].reset_index(drop=True)
    trimmed = dataclasses.replace(
        sheet, frame=frame, row_numbers=[sheet.row_numbers[i] for i in keep]
    )
    problems = [problem for problem in plan.problems if problem.row in rows]
    return dataclasses.replace(plan, sheet=trimmed, orders=chosen, problems=problems)


@dataclass(frozen=True)
class Progress:
    """What a page shows of a run at one moment."""

    state: str  # preparing, sending, finished, failed
    done: int
    total: int
    counts: dict[str, int]
    rate: float  # orders answered a second
    eta: float | None  # seconds left, when it can be told
    cancelling: bool
    message: str
    code: str

    def as_json(self) -> dict[str, Any]:
        """The progress for the page's script."""
        return dataclasses.asdict(self)


class SendRun:
    """One run started from the page: ``start`` it, read ``progress``, ``cancel`` it."""

    def __init__(self, number: int, config: ImportConfig, *, trial: bool) -> None:
        self.number = number
        self.config = config
        self.trial = trial
        self.cancel_event = threading.Event()
        self.result: RunResult | None = None
        self.outputs: Outputs | None = None
        self.error: ImporterError | None = None
        self._lock = threading.Lock()
        self._state = "preparing"
        self._done = 0
        self._total = 0
        self._counts: Counter[str] = Counter()
        self._sent = 0
        self._sending_since: float | None = None
        self._stop_message = ""
        self._stop_code = ""
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._work, name=f"web-run-{number}", daemon=True)

    @property
    def folder(self) -> Path:
        """Where this run's results are written."""
        assert self.config.out is not None
        return self.config.out.parent

    def start(self) -> SendRun:
        """Start the run's thread; returns self."""
        self._thread.start()
        return self

    def cancel(self) -> None:
        """The first Ctrl-C: no new order is sent, the answers in flight are awaited."""
        self.cancel_event.set()

    @property
    def running(self) -> bool:
        """True until the run has ended and its results are written."""
        return not self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the run's end; True when it ended."""
        return self._finished.wait(timeout)

    def _on_event(self, event: Event) -> None:
        with self._lock:
            if isinstance(event, StageStarted) and event.stage == "send":
                self._state = "sending"
                self._total = event.total or 0
                self._sending_since = time.monotonic()
            elif isinstance(event, OrderDone):
                self._done = event.done
                self._total = event.total
                self._counts[event.result.status.value] += 1
                if event.result.status in _SENT:
                    self._sent += 1
            elif isinstance(event, RunStopped):
                self._stop_message = event.message
                self._stop_code = event.code.value if event.code else "cancelled"

    def _work(self) -> None:
        try:
            plan = prepare(self.config)
            if self.trial:
                plan = trial_plan(plan)
            result = execute(plan, events=self._on_event, cancel=self.cancel_event)
            self.result = result
            self.outputs = self._write(result)
            ended = "finished" if self.outputs is not None else "failed"
        except ImporterError as error:
            self.error = error
            ended = "failed"
        except Exception:  # never a traceback on the page; the log has it
            _log.exception("the run %s failed", self.number)
            self.error = ImporterError(ErrorCode.UNEXPECTED, "the run failed unexpectedly")
            ended = "failed"
        with self._lock:
            self._state = ended
        self._finished.set()

    def _write(self, result: RunResult) -> Outputs | None:
        """The results files; when they cannot be written, the run says so (the orders stand)."""
        try:
            return write_outputs(result, self.config)
        except Exception as error:  # a sent run must still show its results
            _log.exception("the results of run %s could not be written", self.number)
            self.error = ImporterError(
                ErrorCode.OUTPUT_UNWRITABLE,
                f"the orders were sent (see below), but the results files could not be written: "
                f"{error}",
            )
            return None

    def progress(self) -> Progress:
        """The run as it stands."""
        with self._lock:
            rate = 0.0
            if self._sending_since is not None and self._sent:
                rate = self._sent / max(time.monotonic() - self._sending_since, 1e-3)
            left = self._total - self._done
            eta = left / rate if rate and self._state == "sending" else None
            error = self.error
            return Progress(
                state=self._state,
                done=self._done,
                total=self._total,
                counts=dict(self._counts),
                rate=round(rate, 1),
                eta=None if eta is None else round(eta),
                cancelling=self.cancel_event.is_set() and self.running,
                message=error.message if error else self._stop_message,
                code=error.code.value if error else self._stop_code,
            )
