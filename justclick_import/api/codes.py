"""What JustClick's answer codes mean for an import (``API.md``, "Error codes")."""

from __future__ import annotations

from dataclasses import dataclass

from justclick_import.errors import ErrorCode

__all__ = [
    "ALREADY_EXISTS",
    "CREATED",
    "ORDER_NOT_FOUND",
    "REQUEST_LIMIT",
    "STOP_CODES",
    "Stop",
    "default_api_url",
    "stop_for",
]

CREATED, ALREADY_EXISTS = 0, 601
ORDER_NOT_FOUND = 400
REQUEST_LIMIT = 8  # "the limit from this address is used up": pause, then go on


@dataclass(frozen=True)
class Stop:
    """Why a run must end now: a stable code, and the words for a person."""

    code: ErrorCode
    message: str


# Answers after which going on is pointless: stop the run.
STOP_CODES: dict[int, tuple[ErrorCode, str]] = {
    1: (
        ErrorCode.CLIENT_BUG,
        "the request carried no signature (a bug in the importer; please report it)",
    ),
    2: (
        ErrorCode.CLIENT_BUG,
        "the request carried no parameters (a bug in the importer; please report it)",
    ),
    4: (
        ErrorCode.BAD_SIGNATURE,
        "JustClick rejected the signature: check the login {login!r} and the API secret",
    ),
    5: (ErrorCode.UNKNOWN_LOGIN, "JustClick does not know the login {login!r}: check it"),
    6: (
        ErrorCode.IP_DENIED,
        "JustClick refuses API calls from this IP address: allow it in the shop's API settings",
    ),
    7: (ErrorCode.ACCOUNT_DISABLED, "the JustClick account {login!r} is disabled"),
    8: (
        ErrorCode.REQUEST_LIMIT,
        "JustClick's request limit for this address is used up, or the API is disabled: "
        "try again later or check the shop's API settings",
    ),
    606: (
        ErrorCode.API_DISABLED,
        "order creation through the API is disabled for this shop: enable it in JustClick",
    ),
}


def stop_for(error_code: int, login: str) -> Stop | None:
    """The stop an answer with ``error_code`` calls for, or None when the run goes on."""
    found = STOP_CODES.get(error_code)
    return None if found is None else Stop(found[0], found[1].format(login=login))


def default_api_url(login: str) -> str:
    """JustClick's API base URL for a shop login."""
    return f"https://{login}.justclick.io/api/"
