"""The sandbox's fault switches: set, counted down as requests take them, and planned per request.

A mixin of :class:`justclick_import.sandbox.Sandbox`: the faults live in its ``_faults``, under
its ``_lock``.
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import replace
from typing import Any

from justclick_import.sandbox.faults import BLOCKING, COUNTERS, Faults, Plan, check_count

__all__ = ["FaultControls"]


class FaultControls:
    """Thread-safe switches for the faults a sandbox injects (see :class:`Faults`)."""

    _lock: threading.Lock
    _faults: Faults
    _served: collections.Counter[str]
    _stopping: threading.Event
    _limit_tokens: float
    _limit_stamp: float

    @property
    def faults(self) -> Faults:
        """The faults in force: counters show how many requests are still to get each one."""
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> None:
        """Replace every fault setting and counter at once (``Faults()``: none)."""
        with self._lock:
            self._faults = faults

    def set_latency(self, seconds: float) -> None:
        """Wait this long before answering every API call (0: no latency)."""
        self.change_faults(latency=seconds)

    def change_faults(self, **settings: Any) -> None:
        """Change some settings of the faults in force (``clock_offset=-300``, ...)."""
        with self._lock:
            self._faults = replace(self._faults, **settings)

    def fail_next(self, status: int, count: int = 1, *, retry_after: float | None = None) -> None:
        """The next ``count`` requests get HTTP ``status`` (503 or 429) and create nothing.

        The answer carries ``Retry-After``: ``retry_after`` seconds if given (it then applies to
        every 503 and 429 still to come), else the current setting (1 by default).
        """
        names = {code: name for name, code in BLOCKING.items() if code}
        if status not in names:
            raise ValueError(f"status must be 503 or 429, not {status!r}")
        settings = {} if retry_after is None else {"retry_after": retry_after}
        self._add(names[status], count, **settings)

    def drop_next(self, count: int = 1) -> None:
        """The next ``count`` requests are read, then their connection closes with no answer.

        Nothing is processed: no order is created.
        """
        self._add("drop", count)

    def slow_next(self, count: int = 1, seconds: float | None = None) -> None:
        """The next ``count`` CreateOrder calls are processed (the order IS created), then answered
        only after ``seconds`` (if given, it applies to every slow call still to come; default 90).
        """
        self._add("slow", count, **({} if seconds is None else {"slow_seconds": seconds}))

    def late_next(self, count: int = 1, seconds: float | None = None) -> None:
        """The next ``count`` CreateOrder calls wait ``seconds`` BEFORE they are processed: a
        client that gave up earlier finds no bill yet, and the order appears afterwards."""
        self._add("late", count, **({} if seconds is None else {"late_seconds": seconds}))

    def wrong_hash_next(self, count: int = 1) -> None:
        """The next ``count`` answers (any function) are signed with a wrong secret.

        The calls are processed as usual: an order IS created, as behind a mangling proxy.
        """
        self._add("wrong_hash", count)

    def redirect_next(self, count: int = 1) -> None:
        """The next ``count`` CreateOrder calls are processed (created), then answered HTTP 302."""
        self._add("redirect", count)

    def endless_next(self, count: int = 1) -> None:
        """The next ``count`` CreateOrder calls are processed, then answered with a body that
        never ends."""
        self._add("endless", count)

    def trickle_next(self, count: int = 1, seconds: float | None = None) -> None:
        """The next ``count`` CreateOrder calls are processed, then answered one byte every
        ``seconds`` (default 1)."""
        self._add("trickle", count, **({} if seconds is None else {"trickle_seconds": seconds}))

    def break_tls_next(self, count: int = 1) -> None:
        """The next ``count`` CreateOrder calls are processed; their answer's headers are sent,
        then bytes that are no TLS record break the connection (over plain HTTP: garbage)."""
        self._add("tls_break", count)

    def faults_served(self) -> collections.Counter[str]:
        """How many requests took each fault so far, keyed by :class:`Faults` counter name."""
        with self._lock:
            return collections.Counter(self._served)

    def _add(self, name: str, count: int, **settings: Any) -> None:
        """Add ``count`` to one fault counter (counters add up) and change settings with it."""
        check_count("count", count)
        with self._lock:
            current = self._faults
            self._faults = replace(current, **{name: getattr(current, name) + count}, **settings)

    def plan_faults(self, function: str) -> Plan:
        """Decide the faults of one arriving request, taking them off the counters atomically."""
        with self._lock:
            faults = self._faults
            limited = self._over_limit(faults)
            blocking = next((name for name in BLOCKING if getattr(faults, name)), None)
            processed = blocking is None and not limited
            creating = processed and function == "CreateOrder"
            taken = [blocking] if blocking else []
            for name in COUNTERS:
                if getattr(faults, name) > 0 and (creating or (name == "wrong_hash" and processed)):
                    taken.append(name)
            if taken:
                self._faults = replace(
                    faults, **{name: getattr(faults, name) - 1 for name in taken}
                )
                self._served.update(taken)
            if limited:
                self._served["limited"] += 1
        return Plan(
            latency=faults.latency,
            blocking=blocking or ("fail_429" if limited and faults.limit_answer == "429" else None),
            retry_after=faults.retry_after,
            slow=faults.slow_seconds if "slow" in taken else 0.0,
            wrong_hash="wrong_hash" in taken,
            late=faults.late_seconds if "late" in taken else 0.0,
            redirect="redirect" in taken,
            endless="endless" in taken,
            trickle=faults.trickle_seconds if "trickle" in taken else 0.0,
            tls_break="tls_break" in taken,
            limited=limited and faults.limit_answer == "8",
        )

    def _over_limit(self, faults: Faults) -> bool:
        """True when the request passes the sandbox's own rate limit (lock held)."""
        if not faults.limit_rate:
            return False
        now = time.monotonic()
        elapsed = now - self._limit_stamp
        self._limit_tokens = min(
            faults.limit_rate, self._limit_tokens + elapsed * faults.limit_rate
        )
        self._limit_stamp = now
        if self._limit_tokens >= 1:
            self._limit_tokens -= 1
            return False
        return True

    def pause(self, seconds: float) -> bool:
        """Sleep unless stopping; False when the sandbox is stopping (the answer is abandoned)."""
        return seconds <= 0 or not self._stopping.wait(seconds)

    @property
    def stopping(self) -> bool:
        """True once the sandbox is stopping."""
        return self._stopping.is_set()

    def now(self) -> float:
        """The sandbox's clock: this machine's, moved by ``Faults.clock_offset``."""
        return time.time() + self._faults.clock_offset
