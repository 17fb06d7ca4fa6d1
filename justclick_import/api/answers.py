"""What comes back from a call: the API's answer, and what a CreateOrder means for its order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from justclick_import.api.codes import Stop
from justclick_import.models import OrderStatus

__all__ = ["Answer", "CallError", "SendOutcome"]


class CallError(Exception):
    """A call whose outcome is unknown or untrusted (no answer, HTTP error, bad signature)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code  # the (unverified) error code of an answer that did not verify


@dataclass(frozen=True)
class Answer:
    """A JSON answer of the API and whether its signature verified."""

    error_code: int
    error_text: str
    result: Any
    verified: bool


@dataclass(frozen=True)
class SendOutcome:
    """What one CreateOrder call means for its order; ``stop`` is set when the run must end."""

    status: OrderStatus
    bill_id: int | None = None
    error_code: int | None = None
    error_text: str = ""
    stop: Stop | None = None
    retryable: bool = False  # certainly not created, worth another try (refused, 429, 503)
    retry_after: float | None = None  # seconds the server asked us to wait
    unreachable: bool = False  # the connection failed before the request left (refused, DNS)
    throttled: bool = False  # the server asked to slow down (HTTP 429/503, error 8)
