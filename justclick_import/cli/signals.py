"""SIGINT, SIGTERM and SIGHUP handled alike: a signal while sending is the first Ctrl-C.

``docker stop``, systemd, CI runners and a closed terminal send SIGTERM or SIGHUP; left to their
default they kill the run at once, with requests in flight and no results workbook. Here:

- before sending, a signal interrupts at once (nothing was sent);
- while sending, the first sets the run's cancel token: no new order is sent, the answers in
  flight are awaited, the workbook is written; a second gives up on the answers in flight;
- while the results are written, signals wait until they are (the facts come first).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from justclick_import.events import Event, StageFinished, StageStarted

__all__ = ["Signals"]

_HANDLED = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Signals:
    """Installs the handlers for the block; ``cancel`` is the run's token."""

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self.phase = "preparing"  # then "sending", then "writing"
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Signals:
        if threading.current_thread() is threading.main_thread():
            for number in _HANDLED:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        self._previous.clear()

    def on_event(self, event: Event) -> None:
        """Follow the run's stages (pass every event here)."""
        if isinstance(event, StageStarted) and event.stage == "send":
            self.phase = "sending"
        elif isinstance(event, StageFinished) and event.stage == "send":
            self.phase = "writing"

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.received.append(number)
        if self.phase == "writing":
            return  # the results first; the run ends right after anyway
        if self.phase == "sending" and not self.cancel.is_set():
            self.cancel.set()
            return
        raise KeyboardInterrupt
