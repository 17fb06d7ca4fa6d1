"""How to send: workers, rate, retries, what to do with orders in doubt."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_RATE", "RESEND_DELAY", "SendOptions"]

# JustClick documents no rate limit for CreateOrder but answers 8 when "the limit from this
# address" is used up; 10 requests a second stays polite. A rate of None lifts it.
DEFAULT_RATE = 10.0

# An order in doubt is sent again only once its latest request is this old: a server that
# answered too late may still be creating it (PHP runs on after the client gave up, and
# nginx waits 60 s for it by default); five minutes leave room for the slowest.
RESEND_DELAY = 300.0


@dataclass
class SendOptions:
    """How to send: workers, rate, retries, what to do with orders in doubt."""

    concurrency: int = 4
    rate: float | None = DEFAULT_RATE
    max_attempts: int = 10
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    resend_uncertain: bool = False
    apply_status: bool = False  # mark created orders paid/sent/... as the old shop had them
    # Identities in doubt that reconcile just cleared (the shop has no bill that can be them):
    # with resend_uncertain only these are sent again.
    cleared: frozenset[str] = frozenset()
    fetch_links: bool = False
    shop_url: str = ""  # put in front of a relative payment link
    resend_delay: float = RESEND_DELAY  # seconds since its latest request before a resend
    limit_patience: float = 300.0  # seconds of error 8 in a row before the run stops
    limit_pause: float = 5.0  # the first pause after error 8 (doubling, up to 12 times it)
    new_orders: bool = False  # the user says these orders are new: no earlier-send checks
    lookup_first: bool = False  # orders the journal does not know are looked up in the shop
