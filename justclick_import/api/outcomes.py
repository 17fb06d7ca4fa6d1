"""What the transport and the answer of a CreateOrder mean for its order and for the run.

Only a failure that certainly happened before the request left may be ``failed``; everything
after it (a broken connection, a TLS error while reading, a redirect, an answer too late, too
long or not JustClick's) leaves the order ``uncertain``.
"""

from __future__ import annotations

import email.utils
import ssl
from datetime import UTC, datetime
from typing import Any

import requests

from justclick_import.api.answers import Answer, SendOutcome
from justclick_import.api.codes import (
    ALREADY_EXISTS,
    CREATED,
    REQUEST_LIMIT,
    STOP_CODES,
    Stop,
    stop_for,
)
from justclick_import.api.transport import AnswerTooLarge, DeadlinePassed, Reply
from justclick_import.errors import ErrorCode
from justclick_import.models import OrderStatus

__all__ = ["judge_reply", "retry_after", "transport_outcome"]


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


def _bill_id(result: Any) -> int | None:
    if isinstance(result, dict):
        try:
            return int(result["bill_id"])
        except (KeyError, TypeError, ValueError):
            return None
    return None


def retry_after(header: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), if any."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with no zone known (RFC 5322)
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _not_sent(error: requests.ConnectionError) -> bool:
    """True when the connection failed before any byte of the request left (DNS, refused)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return type(reason).__name__ in {"NewConnectionError", "NameResolutionError"}


def _certificate_refused(error: BaseException) -> bool:
    """True when TLS failed verifying the server's certificate: in the handshake, so before
    any byte of the request left (any other TLS error may come after it was sent)."""
    seen: set[int] = set()
    pending: list[Any] = [error]
    while pending:
        found = pending.pop()
        if found is None or id(found) in seen:
            continue
        seen.add(id(found))
        if isinstance(found, ssl.SSLCertVerificationError):
            return True
        if isinstance(found, BaseException):
            pending += [found.__cause__, found.__context__, *found.args]
        pending.append(getattr(found, "reason", None))
    return "CERTIFICATE_VERIFY_FAILED" in str(error)


def transport_outcome(error: requests.RequestException, host: str, deadline: float) -> SendOutcome:
    """The outcome of a CreateOrder whose request raised ``error``."""
    if isinstance(error, DeadlinePassed):
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            error_text=f"no whole answer within {deadline:g} s: the order may or may "
            "not have been created",
        )
    if isinstance(error, AnswerTooLarge):
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            error_text=f"the answer is not JustClick's ({error}): the order may exist",
        )
    if isinstance(error, requests.exceptions.SSLError):
        if _certificate_refused(error):  # the handshake failed: nothing was sent
            return SendOutcome(
                OrderStatus.FAILED,
                error_text="TLS certificate not verified",
                stop=Stop(
                    ErrorCode.TLS_UNVERIFIED,
                    f"cannot verify the TLS certificate of {host} ({type(error).__name__}): "
                    "check the API address; certificates are always verified",
                ),
            )
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            error_text="the secure connection broke after the request was sent: "
            "the order may exist",
            stop=Stop(
                ErrorCode.TLS_BROKEN,
                f"the secure connection to {host} broke after a request was sent "
                f"({_first_line(error)}): its order may exist; look it up before sending "
                "it again",
            ),
        )
    if isinstance(error, requests.ConnectionError):
        if _not_sent(error):
            return SendOutcome(
                OrderStatus.FAILED,
                error_text=f"could not connect to {host}: {_first_line(error)}",
                retryable=True,
                unreachable=True,
            )
        return SendOutcome(
            OrderStatus.UNCERTAIN, error_text="the connection broke before the answer came"
        )
    if isinstance(error, requests.Timeout):
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            error_text="no answer in time: the order may or may not have been created",
        )
    return SendOutcome(OrderStatus.UNCERTAIN, error_text=f"request failed: {error}")


def judge_reply(response: Reply, answer: Answer | None, api_url: str, login: str) -> SendOutcome:
    """The outcome of a CreateOrder that got ``response`` (``answer``: its parsed JSON)."""
    status = response.status_code
    if status in (429, 503):  # refused before any work: certainly not created
        busy = f"the server is busy (HTTP {status}); run again later"
        wait = retry_after(response.headers.get("Retry-After"))
        return SendOutcome(
            OrderStatus.FAILED,
            error_text=busy,
            retryable=True,
            retry_after=wait,
            throttled=True,
        )
    if 300 <= status < 400 or status in (401, 403, 404, 405):
        # The request reached a server, which may have acted on it before answering so
        # (a redirect after creating, a proxy's 403): in doubt, and the run stops.
        where = response.headers.get("Location", "")
        hint = f" to {where}" if where else ""
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            error_text=f"HTTP {status}{hint}: the order may or may not have been created",
            stop=Stop(
                ErrorCode.WRONG_API_URL,
                f"the API URL {api_url} answered HTTP {status}{hint}: check the address",
            ),
        )
    if status != 200:
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            error_text=f"HTTP {status}: the order may or may not have been created",
        )
    if answer is None:
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            error_text="the answer is not JustClick's JSON (a proxy or a login page?)",
        )
    return _judge_answer(answer, login)


def _judge_answer(answer: Answer, login: str) -> SendOutcome:
    code, text = answer.error_code, answer.error_text
    if not answer.verified:
        if code == 4:  # with a wrong secret every answer fails verification: this is that case
            return SendOutcome(OrderStatus.UNCERTAIN, None, code, text, stop_for(4, login))
        return SendOutcome(
            OrderStatus.UNCERTAIN,
            None,
            code,
            f"the answer's signature does not verify ({code} {text}); not trusted",
        )
    if code == CREATED:
        return SendOutcome(OrderStatus.CREATED, _bill_id(answer.result), code, text)
    if code == ALREADY_EXISTS:
        return SendOutcome(OrderStatus.ALREADY_EXISTS, _bill_id(answer.result), code, text)
    if code == REQUEST_LIMIT:  # refused, nothing created: the senders pause, then go on
        return SendOutcome(OrderStatus.FAILED, None, code, text, retryable=True, throttled=True)
    if code in STOP_CODES:
        return SendOutcome(OrderStatus.FAILED, None, code, text, stop_for(code, login))
    return SendOutcome(OrderStatus.FAILED, None, code, text)
