"""The one place that talks HTTP to JustClick: signed requests, verified answers, their meaning."""

from __future__ import annotations

import email.utils
import json
import ssl
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from justclick_import.api.answers import Answer, CallError, SendOutcome
from justclick_import.api.codes import (
    ALREADY_EXISTS,
    CREATED,
    ORDER_NOT_FOUND,
    REQUEST_LIMIT,
    STOP_CODES,
    Stop,
    stop_for,
)
from justclick_import.api.secret import Secret
from justclick_import.api.signing import signed_body, verify_response_hash
from justclick_import.api.transport import (
    AnswerTooLarge,
    DeadlinePassed,
    Reply,
    bounded_post,
    make_session,
)
from justclick_import.errors import ErrorCode
from justclick_import.models import OrderStatus
from justclick_import.version import version

__all__ = ["MAX_ANSWER_BYTES", "JustClickClient"]

# JustClick's answers are short JSON; a customer's GetBills with many bills is the longest.
MAX_ANSWER_BYTES = 8 << 20


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


def _retry_after(header: str | None) -> float | None:
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


def _server_time(reply: Reply) -> float | None:
    """The server's clock when it answered (its ``Date`` header), as a unix time."""
    header = reply.headers.get("Date")
    if not header:
        return None
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


class JustClickClient:
    """Signed calls to one JustClick shop over one ``requests.Session`` (TLS always verified).

    Every answer is read whole within ``connect_timeout + read_timeout`` seconds and at most
    ``max_answer_bytes`` long (``transport``); ``server_offset`` is how far the server's clock
    is ahead of this machine's, from the ``Date`` of its latest answer.
    """

    def __init__(
        self,
        api_url: str,
        login: str,
        secret: Secret,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        ca_bundle: str | None = None,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.login = login
        self._secret = secret
        self._timeout = (connect_timeout, read_timeout)
        self._deadline = connect_timeout + read_timeout
        self._limit = max_answer_bytes
        # Never switched off, whatever the vendor's sample does; a CA bundle only replaces
        # the certificates trusted (a company proxy's, a test's own).
        self._session = make_session(ca_bundle or True)
        self._session.headers["User-Agent"] = f"justclick-import/{version()}"
        self.server_offset: float | None = None

    def __repr__(self) -> str:
        return f"JustClickClient({self.api_url!r}, login={self.login!r})"

    def close(self) -> None:
        """Close the connections of the session."""
        self._session.close()

    def call(self, function: str, params: dict[str, Any]) -> Reply:
        """POST one signed call and read its whole answer; transport errors propagate as
        ``requests`` exceptions (``DeadlinePassed``, ``AnswerTooLarge`` among them)."""
        body = signed_body(params, self.login, self._secret.reveal())
        reply = bounded_post(
            self._session,
            self.api_url + function,
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            timeout=self._timeout,
            deadline=self._deadline,
            limit=self._limit,
        )
        stamp = _server_time(reply)
        if stamp is not None:
            self.server_offset = stamp - reply.received
        return reply

    def server_now(self) -> float | None:
        """The server's clock now, as its latest answer showed it (None before any answer)."""
        return None if self.server_offset is None else time.time() + self.server_offset

    def parse_answer(self, response: Reply) -> Answer | None:
        """The answer's JSON with its signature checked, or None when it is not an API answer."""
        try:
            data = json.loads(response.content.decode("utf-8"))
            code = int(data["error_code"])
            text = str(data.get("error_text", ""))
            given = str(data.get("hash", ""))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        verified = verify_response_hash(code, text, given, self._secret.reveal())
        return Answer(code, text, data.get("result"), verified)

    def ask(self, function: str, params: dict[str, Any]) -> Answer:
        """Call ``function`` and return its verified answer; raise ``CallError`` otherwise."""
        try:
            response = self.call(function, params)
        except requests.RequestException as error:
            raise CallError(f"{function}: no answer ({type(error).__name__})") from None
        if response.status_code != 200:
            raise CallError(f"{function}: HTTP {response.status_code}")
        answer = self.parse_answer(response)
        if answer is None:
            raise CallError(f"{function}: the answer is not JustClick's JSON")
        if not answer.verified:
            raise CallError(
                f"{function}: the answer's signature does not verify; not trusted",
                answer.error_code,
            )
        return answer

    def get_bills(self, email: str) -> dict[str, Any]:
        """The customer's bills keyed by bill id (``GetBills``)."""
        answer = self.ask("GetBills", {"email": email})
        if answer.error_code != 0:
            raise CallError(f"GetBills: {answer.error_code} {answer.error_text}", answer.error_code)
        if isinstance(answer.result, list):  # PHP's json_encode writes an empty array as []
            return {str(i): bill for i, bill in enumerate(answer.result)}
        return answer.result if isinstance(answer.result, dict) else {}

    def order_details(self, bill_id: int) -> dict[str, Any] | None:
        """One order's details with its goods (``GetOrderDetails``), None for an unknown bill."""
        answer = self.ask("GetOrderDetails", {"bill_id": bill_id, "good_info": True})
        if answer.error_code == ORDER_NOT_FOUND:
            return None
        if answer.error_code != 0:
            raise CallError(f"GetOrderDetails: {answer.error_code} {answer.error_text}")
        return answer.result if isinstance(answer.result, dict) else None

    def update_status(
        self, bill_id: int, status: str, *, date: int | None = None, rpo: str = ""
    ) -> Answer:
        """Mark an order ``paid``, ``sent`` (with the tracking number), ``return`` or ``cancel``."""
        params: dict[str, Any] = {"bill_id": bill_id, "status": status, "date": date}
        if rpo:
            params["rpo"] = rpo
        return self.ask("UpdateOrderStatus", params)

    def delete_order(self, bill_id: int) -> Answer:
        """Delete an order (``DeleteOrder``)."""
        return self.ask("DeleteOrder", {"bill_id": bill_id})

    def create_order(self, params: dict[str, Any]) -> SendOutcome:
        """Send one CreateOrder and say what became of the order (never raises on transport).

        Only a failure that certainly happened before the request left is ``failed``: a
        refused connection, a failed DNS lookup, a certificate refused in the TLS handshake.
        Anything after (a broken connection, a TLS error while reading, an answer too late,
        too long or not JustClick's) leaves the order ``uncertain``.
        """
        host = urlsplit(self.api_url).hostname
        try:
            response = self.call("CreateOrder", params)
        except DeadlinePassed:
            return SendOutcome(
                OrderStatus.UNCERTAIN,
                error_text=f"no whole answer within {self._deadline:g} s: the order may or may "
                "not have been created",
            )
        except AnswerTooLarge as error:
            return SendOutcome(
                OrderStatus.UNCERTAIN,
                error_text=f"the answer is not JustClick's ({error}): the order may exist",
            )
        except requests.exceptions.SSLError as error:
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
        except requests.ConnectionError as error:
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
        except requests.Timeout:
            return SendOutcome(
                OrderStatus.UNCERTAIN,
                error_text="no answer in time: the order may or may not have been created",
            )
        except requests.RequestException as error:
            return SendOutcome(OrderStatus.UNCERTAIN, error_text=f"request failed: {error}")
        return self._judge(response)

    def order_link(self, bill_id: int, shop_url: str = "") -> str:
        """The payment link of a created order (``GetOrderDetails``), or "" when unavailable.

        A link is relative unless the order was sent with ``bill_domain``; ``shop_url`` (the
        shop's address) is put in front of a relative one.
        """
        try:
            response = self.call("GetOrderDetails", {"bill_id": bill_id})
        except (requests.RequestException, OSError):
            return ""
        answer = self.parse_answer(response) if response.status_code == 200 else None
        if answer is None or not answer.verified or answer.error_code != 0:
            return ""
        link = answer.result.get("link", "") if isinstance(answer.result, dict) else ""
        if isinstance(link, str) and link.startswith("/") and shop_url:
            return shop_url.rstrip("/") + link
        return link if isinstance(link, str) else ""

    def _judge(self, response: Reply) -> SendOutcome:
        status = response.status_code
        if status in (429, 503):  # refused before any work: certainly not created
            busy = f"the server is busy (HTTP {status}); run again later"
            wait = _retry_after(response.headers.get("Retry-After"))
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
                    f"the API URL {self.api_url} answered HTTP {status}{hint}: check the address",
                ),
            )
        if status != 200:
            return SendOutcome(
                OrderStatus.UNCERTAIN,
                error_text=f"HTTP {status}: the order may or may not have been created",
            )
        answer = self.parse_answer(response)
        if answer is None:
            return SendOutcome(
                OrderStatus.UNCERTAIN,
                error_text="the answer is not JustClick's JSON (a proxy or a login page?)",
            )
        return self._judge_answer(answer)

    def _judge_answer(self, answer: Answer) -> SendOutcome:
        code, text = answer.error_code, answer.error_text
        if not answer.verified:
            if code == 4:  # with a wrong secret every answer fails verification: this is that case
                return SendOutcome(OrderStatus.UNCERTAIN, None, code, text, stop_for(4, self.login))
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
            return SendOutcome(OrderStatus.FAILED, None, code, text, stop_for(code, self.login))
        return SendOutcome(OrderStatus.FAILED, None, code, text)
