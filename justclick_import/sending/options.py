"""How to send: workers, rate, retries, what to do with orders in doubt."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_RATE", "SendOptions"]

# JustClick documents no rate limit for CreateOrder but answers 8 when "the limit from this
# address" is used up; 10 requests a second stays polite. A rate of None lifts it.
DEFAULT_RATE = 10.0


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
    hold: frozenset[str] = frozenset()  # identities in doubt never to resend (not reconciled)
    fetch_links: bool = False
    shop_url: str = ""  # put in front of a relative payment link
