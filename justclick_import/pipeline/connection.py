"""Checking a shop's login and secret with one harmless signed call, before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass

from justclick_import.api.answers import CallError
from justclick_import.api.codes import STOP_CODES, stop_for
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.target import open_target

__all__ = ["PROBE_EMAIL", "ConnectionCheck", "check_connection"]

# GetBills for an address no customer has: reads nothing real, creates nothing, changes nothing.
PROBE_EMAIL = "connection-check@example.invalid"


@dataclass(frozen=True)
class ConnectionCheck:
    """Whether the shop answered a signed call as JustClick does; ``code`` says why not."""

    ok: bool
    code: ErrorCode | None = None
    message: str = ""


def check_connection(config: ImportConfig) -> ConnectionCheck:
    """Ask the shop of ``config`` for the bills of a made-up e-mail and judge the answer.

    A signed answer proves the login and secret work. A signature JustClick rejects (or an
    answer only another secret verifies) means the login or the secret is wrong. Never raises
    for what the shop says; the problem is in the result.
    """
    try:
        with open_target(config) as target:
            if target.make_client is None:
                return ConnectionCheck(False, ErrorCode.NO_SECRET, "a dry run talks to no shop")
            client = target.make_client()
            try:
                answer = client.ask("GetBills", {"email": PROBE_EMAIL})
            finally:
                client.close()
    except ConfigError as error:
        return ConnectionCheck(False, error.code, error.message)
    except CallError as error:
        if error.code in STOP_CODES:  # JustClick's refusal, signed with the real secret
            stop = stop_for(error.code, config.login)
            assert stop is not None
            return ConnectionCheck(False, stop.code, stop.message)
        return ConnectionCheck(
            False,
            ErrorCode.WRONG_API_URL,
            f"no usable answer from {target.api_url}: {error}; check the shop's address",
        )
    stop = stop_for(answer.error_code, target.login)
    if stop is not None:
        return ConnectionCheck(False, stop.code, stop.message)
    return ConnectionCheck(True, None, f"the shop {target.login!r} answered a signed call")
