"""Orders in doubt, settled: find the bill an unanswered CreateOrder may have made.

An order is ``uncertain`` when its request left but no trustworthy answer came back (a crash, a
read timeout, a broken answer). JustClick has no idempotency key, so the only way to know is to
look: the customer's bills (``GetBills``), and for each the goods (``GetOrderDetails``). A bill
that was created after the first attempt (or carries the ``bill_created`` the order was sent
with), has exactly the order's goods and is not already the journal's answer for another order
is that order's bill. An order changed in the file since it was sent cannot be matched: held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from justclick_import.api.answers import CallError
from justclick_import.api.client import JustClickClient
from justclick_import.models import Order
from justclick_import.sending.identity import fingerprint, order_identity
from justclick_import.sending.journal import Journal
from justclick_import.sending.states import IN_DOUBT, OrderState

__all__ = ["CLOCK_SLACK_SECONDS", "Settlement", "reconcile_orders"]

# JustClick's clock and ours may disagree by a little; a bill this much older than our first
# attempt still counts as created by it.
CLOCK_SLACK_SECONDS = 120


@dataclass(frozen=True)
class Settlement:
    """What reconciling found for one order in doubt."""

    order: Order
    bill_id: int | None  # the bill found, or None: still uncertain
    reason: str
    identity: str = ""
    resendable: bool = False  # True only when the bills were read and none is this order's


def _goods_of(bill_id: int, bill: dict[str, Any], client: JustClickClient) -> list[str]:
    items = bill.get("items")
    if not isinstance(items, list) or not items:  # not listed here: ask for the order itself
        details = client.order_details(bill_id) or {}
        items = details.get("items", [])
    return sorted(str(item.get("id", "")) for item in items if isinstance(item, dict))


def _first_attempt(first_sent: str) -> float:
    try:
        return datetime.fromisoformat(first_sent).timestamp()
    except (TypeError, ValueError):
        return 0.0  # unknown: any bill may be it (the goods must still match)


def _settle(
    order: Order, first_sent: str, client: JustClickClient, claimed: set[int]
) -> Settlement:
    """Find the order's bill; resendable only when the customer has no unexplained new bill."""
    try:
        bills = client.get_bills(order.email)
    except CallError as error:
        return Settlement(order, None, f"could not look the bills up ({error}); still held")
    since = _first_attempt(first_sent) - CLOCK_SLACK_SECONDS
    # A migrated order sent with bill_created may carry that date instead of its real one.
    stated = order.customer.get("bill_created", "")
    wanted = sorted(line.good_name for line in order.lines)
    candidates: list[int] = []  # unclaimed bills that could be this order's by their time
    matches: list[int] = []
    for key, bill in bills.items():
        if not isinstance(bill, dict):
            continue
        bill_id = int(bill.get("id", key))
        created = float(bill.get("created") or 0)
        in_time = created >= since or (stated.isdigit() and abs(created - int(stated)) <= 1)
        if bill_id in claimed or not in_time:
            continue
        candidates.append(bill_id)
        try:
            if _goods_of(bill_id, bill, client) == wanted:
                matches.append(bill_id)
        except CallError as error:
            return Settlement(order, None, f"could not read bill {bill_id}: {error}")
    if len(matches) == 1:
        return Settlement(order, matches[0], "found among the customer's bills")
    if matches:
        listed = ", ".join(str(bill_id) for bill_id in sorted(matches))
        return Settlement(order, None, f"several bills match ({listed}): check them in the shop")
    if candidates:  # a new bill we cannot explain may be this one, written differently: hold
        listed = ", ".join(str(bill_id) for bill_id in sorted(candidates))
        return Settlement(
            order,
            None,
            f"bill(s) {listed} of this customer appeared since the attempt but hold other "
            "goods: check them in the shop before sending this order again",
        )
    return Settlement(
        order,
        None,
        "the customer has no new bill since the attempt: it was not created (it can be sent again)",
        resendable=True,
    )


def reconcile_orders(
    orders: Sequence[Order],
    journal: Journal,
    client: JustClickClient,
    *,
    login: str,
    import_name: str,
) -> list[Settlement]:
    """Settle every order of ``orders`` the journal holds in doubt; record the bills found."""
    identities = {order_identity(order, import_name): order for order in orders}
    entries = journal.entries(login, identities)
    claimed = journal.claimed_bill_ids(login)
    settlements = []
    for identity, entry in entries.items():
        if entry.state not in IN_DOUBT:
            continue
        order = identities[identity]
        if entry.fingerprint != fingerprint(order):
            settlement = Settlement(
                order,
                None,
                "the order changed in the file since it was sent, so its bill cannot be matched: "
                "check the shop; it is not sent again",
                identity,
            )
        else:
            settlement = replace(
                _settle(order, entry.first_sent, client, claimed), identity=identity
            )
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
            journal.record(login, identity, OrderState.UNCERTAIN, error_text=settlement.reason)
        settlements.append(settlement)
    return settlements
