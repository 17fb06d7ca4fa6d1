"""A token bucket shared by the sender threads: at most ``rate`` requests per second."""

from __future__ import annotations

import threading
import time

__all__ = ["TokenBucket"]


class TokenBucket:
    """Hands out ``rate`` tokens a second, up to a burst of ``burst``; ``rate=None``: unlimited."""

    def __init__(self, rate: float | None, burst: float | None = None) -> None:
        self.rate = rate if rate and rate > 0 else None
        self._capacity = max(1.0, burst if burst is not None else (self.rate or 1.0))
        self._tokens = self._capacity
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for a token; False when ``cancel`` was set while waiting."""
        if self.rate is None:
            return not (cancel is not None and cancel.is_set())
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return True
                wait = (1 - self._tokens) / self.rate
            if cancel is None:
                time.sleep(wait)
            elif cancel.wait(wait):
                return False
