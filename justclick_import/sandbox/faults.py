"""Faults the sandbox injects on purpose: latency, HTTP 503/429, dropped connections, late and
wrongly signed answers, late processing, redirects, endless and trickled answers, broken TLS, a
clock of its own, a request limit and GetBills' variants. Counters count down as requests take
them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["BILLS_CREATED", "BLOCKING", "COUNTERS", "Faults", "Plan", "check_count", "seconds_text"]

# Faults that stop a request before it is processed, in the order a request takes them.
BLOCKING = {"drop": 0, "fail_503": 503, "fail_429": 429}
# Faults of a request that is processed (CreateOrder only, but wrong_hash: any function).
COUNTERS = ("slow", "wrong_hash", "late", "redirect", "endless", "trickle", "tls_break")
# How GetBills writes each bill's ``created``: a unix time, left out, or as a date string.
BILLS_CREATED = ("unix", "missing", "text")


@dataclass(frozen=True)
class Faults:
    """What the sandbox spoils: a latency for every call, and how many coming calls get each fault.

    The counters count down as requests take them, so exactly that many requests get the fault
    and normal service resumes afterwards. A request takes at most one of ``drop``, ``fail_503``,
    ``fail_429`` (in that order); such a request is never processed, so no order is created. A
    request that is processed may take one ``slow`` (CreateOrder only) and one ``wrong_hash``.

    - ``latency``: seconds from a call's arrival to its answer, processing included (requests
      wait in parallel); a call that gets a fault below waits this long before it.
    - ``fail_503``, ``fail_429``: answer HTTP 503 / 429 with ``Retry-After: <retry_after>``
      (a fractional value is written as such: non-standard, but handy for fast tests).
    - ``drop``: read the request, then close the connection without answering.
    - ``slow``: process the CreateOrder call as usual (a valid order IS created), then answer
      only after ``slow_seconds``: a client with a shorter read timeout cannot know the outcome.
    - ``wrong_hash``: process the call (any function) as usual (a valid order IS created) and sign
      the answer with a wrong secret, as a mangling proxy would.
    - ``late``: wait ``late_seconds`` BEFORE processing the CreateOrder call (a server still
      working after the client gave up), then create the order and answer.
    - ``redirect``: process the CreateOrder call (created), then answer HTTP 302.
    - ``endless``: process the CreateOrder call (created), then send a body that never ends.
    - ``trickle``: process the CreateOrder call (created), then send the answer one byte every
      ``trickle_seconds``.
    - ``tls_break``: process the CreateOrder call (created), send the answer's headers, then bytes
      that are no TLS record (over plain HTTP: garbage instead of the JSON).
    - ``clock_offset``: seconds the sandbox's clock is ahead of this machine's (negative: behind),
      for bills' ``created`` and the ``Date`` header.
    - ``bills_created``: how GetBills writes ``created`` (``BILLS_CREATED``); GetOrderDetails
      always writes a unix time.
    - ``limit_rate``: requests a second the sandbox accepts (0: any); beyond, it answers HTTP 429
      (``limit_answer="429"``) or error 8 (``"8"``), processing nothing.
    """

    latency: float = 0.0
    retry_after: float = 1.0
    fail_503: int = 0
    fail_429: int = 0
    drop: int = 0
    slow: int = 0
    slow_seconds: float = 90.0  # longer than the importer's default 60 s read timeout
    wrong_hash: int = 0
    late: int = 0
    late_seconds: float = 30.0
    redirect: int = 0
    endless: int = 0
    trickle: int = 0
    trickle_seconds: float = 1.0
    tls_break: int = 0
    clock_offset: float = 0.0
    bills_created: str = "unix"
    limit_rate: float = 0.0
    limit_answer: str = "429"

    def __post_init__(self) -> None:
        if not isinstance(self.clock_offset, int | float) or not math.isfinite(self.clock_offset):
            raise ValueError(f"clock_offset must be a number of seconds, not {self.clock_offset!r}")
        if self.bills_created not in BILLS_CREATED:
            raise ValueError(f"bills_created must be one of {BILLS_CREATED}")
        if self.limit_answer not in ("429", "8"):
            raise ValueError("limit_answer must be '429' or '8'")
        for name in ("latency", "retry_after", "slow_seconds", "late_seconds", "trickle_seconds",
                     "limit_rate"):  # fmt: skip
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"{name} must be a number of seconds >= 0, not {value!r}")
        for name in ("fail_503", "fail_429", "drop", *COUNTERS):
            check_count(name, getattr(self, name))

    def describe(self) -> list[str]:
        """One line per active fault (for a banner); empty when there is none."""
        wait = f"Retry-After: {seconds_text(self.retry_after)}"
        lines = (
            [f"every answer {seconds_text(self.latency)} s after its request"]
            if self.latency
            else []
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
        creating = (
            (self.slow, f"order created, answered after {seconds_text(self.slow_seconds)} s"),
            (self.late, f"processed after {seconds_text(self.late_seconds)} s"),
            (self.redirect, "order created, answered HTTP 302"),
            (self.endless, "order created, an answer without end"),
            (self.trickle, f"order created, one byte every {seconds_text(self.trickle_seconds)} s"),
            (self.tls_break, "order created, the connection broken after the headers"),
        )
        lines += [f"next {n} CreateOrder call(s): {line}" for n, line in creating if n]
        if self.clock_offset:
            lines.append(f"clock {seconds_text(self.clock_offset)} s off this machine's")
        if self.bills_created != "unix":
            lines.append(f"GetBills writes created as: {self.bills_created}")
        if self.limit_rate:
            lines.append(
                f"at most {seconds_text(self.limit_rate)} requests a second, "
                f"then {'HTTP 429' if self.limit_answer == '429' else 'error 8'}"
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
    late: float = 0.0  # seconds to wait before processing
    redirect: bool = False
    endless: bool = False
    trickle: float = 0.0  # seconds between the answer's bytes
    tls_break: bool = False
    limited: bool = False  # answer error 8, processing nothing
