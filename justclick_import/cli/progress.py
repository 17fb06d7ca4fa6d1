"""Progress of a run for the terminal (used by the CLI only): a bar, or plain periodic lines."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Never, TextIO

from tqdm import tqdm

from justclick_import.events import Event, OrderDone, StageStarted
from justclick_import.language import Language
from justclick_import.models import OrderResult, OrderStatus

__all__ = ["Progress"]

_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "line": "{done}/{total} orders, {rate:.1f}/s, ETA {left:.0f} s: {created} created, "
        "{failed} failed",
        "unit": "order",
        "created": "created",
        "failed": "failed",
    },
    "ru": {
        "line": "заказов {done}/{total}, {rate:.1f}/с, осталось {left:.0f} с: создано "
        "{created}, не создано {failed}",
        "unit": "заказ",
        "created": "создано",
        "failed": "не создано",
    },
}


class Progress:
    """Counts finished orders; draws a bar on a terminal, else a line every ``every`` seconds."""

    def __init__(
        self, *, stream: TextIO | None = None, every: float = 5.0, language: Language = "en"
    ) -> None:
        self.total = 0
        self._words = _WORDS[language]
        self.counts: Counter[OrderStatus] = Counter()
        self._stream = stream or sys.stderr
        self._every = every
        self._started = self._last = time.monotonic()
        self._bar: tqdm[Never] | None = None

    def on_event(self, event: Event) -> None:
        """Follow a run's events: the sending stage starts the count, each order adds one."""
        if isinstance(event, StageStarted) and event.stage == "send":
            self.start(event.total or 0)
        elif isinstance(event, OrderDone):
            self(event.result)

    def start(self, total: int) -> None:
        """Begin counting towards ``total`` orders."""
        self.total = total
        self._started = self._last = time.monotonic()
        if self._stream.isatty():
            self._bar = tqdm(
                total=total, unit=self._words["unit"], file=self._stream, dynamic_ncols=True
            )

    def __call__(self, result: OrderResult) -> None:
        """Count one finished order."""
        self.counts[result.status] += 1
        done = sum(self.counts.values())
        if self._bar is not None:
            counts = {
                self._words["created"]: self.counts[OrderStatus.CREATED],
                self._words["failed"]: self._failed(),
            }
            self._bar.set_postfix(counts, refresh=False)
            self._bar.update(1)
            return
        now = time.monotonic()
        if now - self._last >= self._every or done == self.total:
            self._last = now
            rate = done / max(now - self._started, 1e-9)
            left = (self.total - done) / rate if rate else 0.0
            line = self._words["line"].format(
                done=done,
                total=self.total,
                rate=rate,
                left=left,
                created=self.counts[OrderStatus.CREATED],
                failed=self._failed(),
            )
            print(line, file=self._stream, flush=True)

    def _failed(self) -> int:
        return self.counts[OrderStatus.FAILED] + self.counts[OrderStatus.INVALID]

    def close(self) -> None:
        """Finish the bar."""
        if self._bar is not None:
            self._bar.close()
