"""Orders in doubt, settled: find the bill an unanswered CreateOrder may have made.

An order is ``uncertain`` when its request left but no trustworthy answer came back (a crash, a
read timeout, a broken answer). JustClick has no idempotency key, so the only way to know is to
look: the customer's bills (``GetBills``, and ``GetOrderDetails`` for what a bill does not show).

- Times are the server's: when the attempt left is this machine's clock, moved by the offset the
  server's own ``Date`` header shows, so a server whose clock is off is still compared with
  itself. A bill whose ``created`` is missing or unreadable is never taken as too old.
- A bill is the order's only when everything both show agrees (``matching``) and no other order
  claimed it; two such bills, or one that came in time but differs, hold the order.
- An order with no bill is sent again only with the user's word and only once its latest
  request is ``resend_delay`` old, unless the server answered it (the server may still be
  creating an order whose answer never came).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from justclick_import.api.answers import CallError
from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import Stop, stop_for
from justclick_import.models import Order
from justclick_import.sending.identity import fingerprint, order_identity
from justclick_import.sending.journal import Journal, JournalEntry
from justclick_import.sending.matching import bill_differences, created_span
from justclick_import.sending.states import IN_DOUBT, OrderState

__all__ = [
    "CLOCK_SLACK_SECONDS",
    "Reconciliation",
    "Settlement",
    "Window",
    "reconcile_orders",
    "settle",
]

# Our clock moved to the server's by its Date header (1 s steps), plus network time: a bill
# this much older than the attempt still counts as possibly made by it.
CLOCK_SLACK_SECONDS = 120


@dataclass(frozen=True)
class Settlement:
    """What reconciling found for one order in doubt."""

    order: Order
    bill_id: int | None  # the bill found, or None: still uncertain
    reason: str
    identity: str = ""
    resendable: bool = False  # True only when the bills were read and none can be this order's
    waiting: bool = False  # no bill yet, but too soon after the attempt to be sure
    resend_after: str = ""  # when waiting: the local time after which to look again
    bills: tuple[int, ...] = ()  # bills a person should look at before deciding


@dataclass
class Reconciliation:
    """The settlements, and the stop a lookup ran into (wrong secret, login, ...)."""

    settlements: list[Settlement] = field(default_factory=list)
    stop: Stop | None = None


def _unix(text: str | None) -> float | None:
    try:
        return datetime.fromisoformat(text).timestamp() if text else None
    except ValueError:
        return None


def _details(bill_id: int, bill: dict[str, Any], client: JustClickClient) -> dict[str, Any]:
    """The bill with what GetBills may leave out (goods, created) read from GetOrderDetails."""
    if isinstance(bill.get("items"), list) and bill["items"] and created_span(bill.get("created")):
        return bill
    details = client.order_details(bill_id) or {}
    return {**bill, **details}


def _stop_of(error: CallError, login: str) -> Stop | None:
    """The stop a failed lookup calls for: the same answers stop a lookup as a send."""
    return stop_for(error.code, login) if error.code in (1, 2, 4, 5, 6, 7, 606) else None


Window = Callable[[], tuple[float | None, bool]]


def settle(order: Order, client: JustClickClient, claimed: set[int], window: Window) -> Settlement:
    """Look ``order`` up among its customer's bills.

    ``window()``, asked once the bills are read (so that their answer's ``Date`` is known),
    gives the server time before which a bill cannot be the order (None: any time), and
    whether a single matching bill may be taken (False when the time could not be told).
    Raises ``CallError`` when the bills cannot be read.
    """
    bills = client.get_bills(order.email)
    since, sure = window()
    stated = order.customer.get("bill_created", "")
    matches: list[int] = []
    others: list[tuple[int, str]] = []
    for key, bill in bills.items():
        if not isinstance(bill, dict):
            continue
        try:
            bill_id = int(bill.get("id", key))
        except (TypeError, ValueError):
            continue
        if bill_id in claimed:
            continue
        bill = _details(bill_id, bill, client)
        span = created_span(bill.get("created"))
        # A migrated order sent with bill_created carries that date instead of its real one.
        stated_here = stated.isdigit() and span is not None and span[0] - 1 <= int(stated)
        if since is not None and span is not None and span[1] < since and not stated_here:
            continue  # made before the attempt: another order of this customer
        differences = bill_differences(order, bill)
        if differences:
            others.append((bill_id, ", ".join(differences[:3])))
        else:
            matches.append(bill_id)
    if len(matches) == 1 and sure:
        return Settlement(order, matches[0], "found among the customer's bills")
    if matches:
        listed = tuple(sorted(matches))
        why = (
            "several bills match"
            if len(matches) > 1
            else "a bill matches, but the server's answers carry no date to tell when it was made"
        )
        return Settlement(
            order, None, f"{why} ({', '.join(map(str, listed))}): check in the shop", bills=listed
        )
    if others:  # a bill we cannot explain may be this one, changed by the shop: hold
        listed = tuple(bill_id for bill_id, _ in others)
        shown = "; ".join(f"bill {bill_id}: {why}" for bill_id, why in others[:3])
        return Settlement(
            order,
            None,
            f"the customer has bills that could be this order but differ ({shown}): check "
            "them in the shop before sending it again",
            bills=listed,
        )
    return Settlement(order, None, "the shop has no bill for it", resendable=True)


def _in_doubt(
    order: Order,
    entry: JournalEntry,
    client: JustClickClient,
    claimed: set[int],
    now: float,
    resend_delay: float,
) -> Settlement:
    if entry.fingerprint != fingerprint(order):
        return Settlement(
            order,
            None,
            "the order changed in the file since it was sent, so its bill cannot be matched: "
            "check the shop; it is not sent again",
        )
    first = _unix(entry.first_sent)

    def window() -> tuple[float | None, bool]:
        if first is None:  # looked up before, never sent by us: any time
            return None, True
        offset = client.server_offset  # server clock - ours, from the answer just read
        if offset is None:
            return None, False
        return first + offset - CLOCK_SLACK_SECONDS, True

    found = settle(order, client, claimed, window)
    if not found.resendable:
        return found
    last = _unix(entry.last_sent) or first
    answered = entry.error_code is not None  # the server finished with it: nothing is pending
    if not answered and last is not None and now - last < resend_delay:
        after = datetime.fromtimestamp(last + resend_delay).strftime("%H:%M:%S")
        return Settlement(
            order,
            None,
            f"no bill yet, but its request left {now - last:.0f} s ago without an answer and "
            f"the shop may still be creating it: look again after {after}",
            waiting=True,
            resend_after=after,
        )
    return Settlement(
        order,
        None,
        "the shop has no bill for it (looked up now): it was not created and can be sent again",
        resendable=True,
    )


def reconcile_orders(
    orders: Sequence[Order],
    journal: Journal,
    client: JustClickClient,
    *,
    login: str,
    import_name: str,
    resend_delay: float = 0.0,
    now: float | None = None,
) -> Reconciliation:
    """Settle every order of ``orders`` the journal holds in doubt; record the bills found."""
    identities = {order_identity(order, import_name): order for order in orders}
    entries = journal.entries(login, identities)
    claimed = journal.claimed_bill_ids(login)
    done = Reconciliation()
    moment = datetime.now().timestamp() if now is None else now
    for identity, entry in entries.items():
        if entry.state not in IN_DOUBT:
            continue
        order = identities[identity]
        try:
            settlement = _in_doubt(order, entry, client, claimed, moment, resend_delay)
        except CallError as error:
            done.stop = _stop_of(error, login)
            settlement = Settlement(order, None, f"could not look the bills up ({error}); held")
        settlement = replace(settlement, identity=identity)
        if settlement.bill_id is not None:
            claimed.add(settlement.bill_id)
            journal.record(
                login,
                identity,
                OrderState.CREATED,
                bill_id=settlement.bill_id,
                error_text=settlement.reason,
            )
        else:
            journal.record(
                login,
                identity,
                OrderState.UNCERTAIN,
                error_code=entry.error_code,  # kept: whether the server answered it
                error_text=settlement.reason,
            )
        done.settlements.append(settlement)
        if done.stop is not None:
            break
    return done
