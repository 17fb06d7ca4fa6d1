"""The request rate the sender threads share, slowed down when the server asks and sped up after.

A token bucket hands out ``rate`` requests a second. When the server says it is busy (HTTP 429
or 503, error 8), every sender pauses for the time it asked and the shared rate is halved; each
answer that goes through adds a little back (additive increase, multiplicative decrease, as TCP
does), up to the rate configured. Refusals that arrive together (all the requests in flight
when the limit was reached) count as one, and the rate after a refusal is never above the rate
at which answers went through just before it: the server's own measure of its limit.
"""

from __future__ import annotations

import collections
import threading
import time

__all__ = ["AdaptiveRate", "TokenBucket"]

_FLOOR = 0.2  # requests a second never go below: one every five seconds
_SAMPLE = 64  # requests looked at to measure an unlimited run's rate
_UNLIMITED_AGAIN = 1000.0  # an unlimited run that slowed down is unlimited again past this
_WINDOW = 1.0  # seconds of answers that went through, to measure the rate the server bears


class AdaptiveRate:
    """At most ``rate`` requests a second (``None``: no limit until the server asks for one)."""

    def __init__(self, rate: float | None, burst: float | None = None) -> None:
        self.ceiling = rate if rate and rate > 0 else None
        self.rate = self.ceiling
        self._burst = burst
        self._tokens = self._capacity()
        self._stamp = time.monotonic()
        self._paused_until = 0.0
        self._calm_after = 0.0  # refusals before this belong to the last slow-down
        self._recent: collections.deque[float] = collections.deque(maxlen=_SAMPLE)
        self._through: collections.deque[float] = collections.deque(maxlen=_SAMPLE)
        self._lock = threading.Lock()
        self.slowdowns = 0

    def _capacity(self) -> float:
        return max(1.0, self._burst if self._burst is not None else (self.rate or 1.0))

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for the pause to end and for a token; False when ``cancel`` was set meanwhile."""
        while True:
            with self._lock:
                now = time.monotonic()
                wait = self._paused_until - now
                if wait <= 0 and self.rate is None:
                    self._recent.append(now)
                    return not (cancel is not None and cancel.is_set())
                if wait <= 0:
                    assert self.rate is not None
                    elapsed = now - self._stamp
                    self._tokens = min(self._capacity(), self._tokens + elapsed * self.rate)
                    self._stamp = now
                    if self._tokens >= 1:
                        self._tokens -= 1
                        self._recent.append(now)
                        return not (cancel is not None and cancel.is_set())
                    wait = (1 - self._tokens) / self.rate
            if cancel is None:
                time.sleep(min(wait, 0.25))
            elif cancel.wait(min(wait, 0.25)):
                return False

    def slow_down(self, pause: float | None = None) -> None:
        """The server refused a request for load: every sender pauses, the rate is halved."""
        with self._lock:
            now = time.monotonic()
            if pause:
                self._paused_until = max(self._paused_until, now + pause)
            if now < self._calm_after:
                return  # the same burst of refusals: already slowed down for it
            current = self.rate if self.rate is not None else self._measured(now, self._recent)
            recent = sum(1 for stamp in self._through if now - stamp <= _WINDOW)
            served = recent / _WINDOW if recent >= 2 else current
            self.rate = max(_FLOOR, min(current / 2, served))
            self._tokens = min(self._tokens, 1.0)
            self._stamp = now
            self._calm_after = max(self._paused_until, now) + 1.0 / self.rate
            self.slowdowns += 1

    def speed_up(self) -> None:
        """An answer went through: add back about one request a second per second."""
        with self._lock:
            now = time.monotonic()
            self._through.append(now)
            while self._through and now - self._through[0] > _WINDOW:
                self._through.popleft()
            if self.rate is None:
                return
            self.rate += 1.0 / self.rate
            if self.ceiling is not None:
                self.rate = min(self.rate, self.ceiling)
            elif self.rate > _UNLIMITED_AGAIN:
                self.rate = None

    @staticmethod
    def _measured(now: float, stamps: collections.deque[float]) -> float:
        """Events a second among ``stamps`` (requests made, or answers that went through)."""
        if len(stamps) < 2:
            return 10.0
        span = max(now - stamps[0], 1e-3)
        return len(stamps) / span


class TokenBucket(AdaptiveRate):
    """A fixed rate: an ``AdaptiveRate`` that is never told to slow down."""
