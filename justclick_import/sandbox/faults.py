"""Faults the sandbox injects on purpose: latency, HTTP 503/429, dropped connections, late and
wrongly signed answers. Counters count down as requests take them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["BLOCKING", "Faults", "Plan", "check_count", "seconds_text"]

# Faults that stop a request before it is processed, in the order a request takes them.
BLOCKING = {"drop": 0, "fail_503": 503, "fail_429": 429}


@dataclass(frozen=True)
class Faults:
    """What the sandbox spoils: a latency for every call, and how many coming calls get each fault.

    The counters count down as requests take them, so exactly that many requests get the fault
    and normal service resumes afterwards. A request takes at most one of ``drop``, ``fail_503``,
    ``fail_429`` (in that order); such a request is never processed, so no order is created. A
    request that is processed may take one ``slow`` (CreateOrder only) and one ``wrong_hash``.

    - ``latency``: seconds waited before answering every API call (requests wait in parallel).
    - ``fail_503``, ``fail_429``: answer HTTP 503 / 429 with ``Retry-After: <retry_after>``
      (a fractional value is written as such: non-standard, but handy for fast tests).
    - ``drop``: read the request, then close the connection without answering.
    - ``slow``: process the CreateOrder call as usual (a valid order IS created), then answer
      only after ``slow_seconds``: a client with a shorter read timeout cannot know the outcome.
    - ``wrong_hash``: process the call (any function) as usual (a valid order IS created) and sign
      the answer with a wrong secret, as a mangling proxy would.
    """

    latency: float = 0.0
    retry_after: float = 1.0
    fail_503: int = 0
    fail_429: int = 0
    drop: int = 0
    slow: int = 0
    slow_seconds: float = 90.0  # longer than the importer's default 60 s read timeout
    wrong_hash: int = 0

    def __post_init__(self) -> None:
        for name in ("latency", "retry_after", "slow_seconds"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"{name} must be a number of seconds >= 0, not {value!r}")
        for name in ("fail_503", "fail_429", "drop", "slow", "wrong_hash"):
            check_count(name, getattr(self, name))

    def describe(self) -> list[str]:
        """One line per active fault (for a banner); empty when there is none."""
        wait = f"Retry-After: {seconds_text(self.retry_after)}"
        lines = (
            [f"latency {seconds_text(self.latency)} s before every answer"] if self.latency else []
        )
        lines += [
            line
            for count, line in (
                (self.drop, "connection closed without an answer, nothing created"),
                (self.fail_503, f"HTTP 503 ({wait}), nothing created"),
                (self.fail_429, f"HTTP 429 ({wait}), nothing created"),
                (self.wrong_hash, "answer signed with a wrong secret, order created"),
            )
            if count
            for line in [f"next {count} request(s): {line}"]
        ]
        if self.slow:
            lines.append(
                f"next {self.slow} CreateOrder call(s): order created, "
                f"answered after {seconds_text(self.slow_seconds)} s"
            )
        return lines


def check_count(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")


def seconds_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class Plan:
    """The faults one request gets, decided (and counted) when it arrives."""

    latency: float
    blocking: str | None  # a key of BLOCKING
    retry_after: float
    slow: float  # seconds to wait before answering, after processing
    wrong_hash: bool
