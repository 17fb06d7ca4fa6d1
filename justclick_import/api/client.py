"""The one place that talks HTTP to JustClick: signed requests, verified answers, their meaning."""

from __future__ import annotations

import email.utils
import json
import time
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

import requests

from justclick_import.api.answers import Answer, CallError, SendOutcome
from justclick_import.api.codes import (
    ORDER_NOT_FOUND,
)
from justclick_import.api.outcomes import judge_reply, transport_outcome
from justclick_import.api.secret import Secret
from justclick_import.api.signing import signed_body, verify_response_hash
from justclick_import.api.transport import Reply, bounded_post, make_session
from justclick_import.version import version

__all__ = ["MAX_ANSWER_BYTES", "JustClickClient"]

# JustClick's answers are short JSON; a customer's GetBills with many bills is the longest.
MAX_ANSWER_BYTES = 8 << 20


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
        self._session = make_session(ca_bundle or True, self.api_url)
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
        try:
            response = self.call("CreateOrder", params)
        except requests.RequestException as error:
            return transport_outcome(error, urlsplit(self.api_url).hostname or "", self._deadline)
        return judge_reply(response, self.parse_answer(response), self.api_url, self.login)

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
