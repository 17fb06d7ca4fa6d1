"""What the senders learn together from the answers: how fast to go, and when to give up.

- The shared rate slows down for HTTP 429/503 and error 8 and speeds up after answers that
  went through (``AdaptiveRate``).
- Error 8 ("the request limit from this address is used up") pauses every sender, longer each
  time, and stops the run only when it lasts longer than ``SendOptions.limit_patience``.
- Connections that fail before the request leaves (refused, DNS, connect timeout) stop the run
  after ``CONNECT_LIMIT`` in a row with no answer between: an address that cannot be reached
  is not retried for every order.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from justclick_import.api.answers import SendOutcome
from justclick_import.api.codes import REQUEST_LIMIT, Stop, stop_for
from justclick_import.api.ratelimit import AdaptiveRate
from justclick_import.errors import ErrorCode
from justclick_import.models import OrderStatus
from justclick_import.sending.options import SendOptions

__all__ = ["CONNECT_LIMIT", "Pacing"]

CONNECT_LIMIT = 3  # failed connections in a row, with no answer between, that stop the run


@dataclass
class Pacing:
    """The senders' shared rate and their count of failed connections and of error 8."""

    options: SendOptions
    login: str = ""
    api_url: str = ""
    limiter: AdaptiveRate = field(init=False)
    connect_failures: int = 0
    limited_since: float | None = None  # the first error 8 with no answer through since
    limited_times: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.limiter = AdaptiveRate(self.options.rate)

    def after(self, outcome: SendOutcome) -> Stop | None:
        """Learn from one answer; the stop it calls for, if any."""
        with self._lock:
            if outcome.unreachable:
                self.connect_failures += 1
                if self.connect_failures >= CONNECT_LIMIT:
                    return Stop(
                        ErrorCode.UNREACHABLE,
                        f"cannot reach the API at {self.api_url} ({outcome.error_text}); "
                        f"{self.connect_failures} connections in a row failed before anything "
                        "was sent: check the address and the network",
                    )
                return None
            self.connect_failures = 0
            if outcome.throttled and outcome.error_code == REQUEST_LIMIT:
                return self._limited()
            if outcome.throttled:
                self.limiter.slow_down(outcome.retry_after or 1.0)
                return None
            if outcome.status is not OrderStatus.UNCERTAIN:
                self.limited_since = None
                self.limited_times = 0
                self.limiter.speed_up()
            return None

    def _limited(self) -> Stop | None:
        now = time.monotonic()
        if self.limited_since is None:
            self.limited_since = now
        if now - self.limited_since >= self.options.limit_patience:
            return stop_for(REQUEST_LIMIT, self.login)
        # 5 s, 10 s, 20 s, 40 s, then 60 s (by default): each error 8 in a row waits longer.
        first = self.options.limit_pause
        pause = min(first * 2**self.limited_times, first * 12, self.options.limit_patience)
        self.limited_times += 1
        self.limiter.slow_down(pause)
        return None
