"""Orders the journal does not know, that may have been sent before all the same.

- The same file under another name (``orders (1).csv``, a browser's copy) is another import,
  so its orders without an order number have new identities: an order whose content (what
  would be sent, to the byte) the journal already holds as created, or in doubt, under another
  identity of the same shop is held (``same_content_held``).
- A journal that was lost or replaced knows nothing: with the user's word, each order it does
  not know is first looked up among its customer's bills (``look_up_unknown``); the bill a
  results workbook named for it is preferred.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from justclick_import.api.answers import CallError
from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import Stop, stop_for
from justclick_import.models import Order
from justclick_import.sending.journal import Journal, JournalEntry
from justclick_import.sending.reconcile import Settlement, settle

__all__ = ["Lookups", "describe_held", "look_up_unknown", "same_content_held"]


def same_content_held(
    journal: Journal,
    login: str,
    unknown: Sequence[tuple[Order, str, str]],
) -> dict[str, JournalEntry]:
    """Of ``(order, identity, digest)`` the journal does not know, those held: identity -> the
    entry of the same content under another identity (orders with an order number are never
    held: their number says which order they are)."""
    wanted = [
        (order, identity, digest) for order, identity, digest in unknown if not order.order_id
    ]
    if not wanted or not journal.knows_login(login):
        return {}
    found = journal.same_content(login, (digest for _, _, digest in wanted))
    return {
        identity: found[digest]
        for _, identity, digest in wanted
        if digest in found and found[digest].identity != identity
    }


def describe_held(entry: JournalEntry) -> str:
    """Why an order with the same content as ``entry`` is not sent."""
    where = entry.identity.split(":email:")[0].removeprefix("import:")
    what = (
        f"was created as bill {entry.bill_id}"
        if entry.bill_id is not None
        else "was sent without a trustworthy answer (it may exist)"
    )
    return (
        f"held: an order with exactly this content {what} by the import {where!r} "
        f"(run {entry.run_id}), so this is likely the same order under another file name; "
        "it is sent only if you say it is a new order"
    )


@dataclass
class Lookups:
    """What looking the unknown orders up found, and the stop a lookup ran into."""

    found: int = 0
    held: int = 0
    stop: Stop | None = None


def look_up_unknown(
    unknown: Sequence[tuple[Order, str, str]],
    journal: Journal,
    client: JustClickClient,
    *,
    login: str,
    run_id: str,
    preferred: Mapping[str, int] | None = None,
    wait_turn: Callable[[], bool] | None = None,
) -> Lookups:
    """Look each ``(order, identity, digest)`` up in the shop and journal what was found.

    A bill that matches is recorded as the order's (created); several bills that match, or
    bills that could be it but differ, make it ``uncertain``; no bill leaves it unknown (to be
    sent). ``preferred`` maps order keys to the bill a results workbook named; ``wait_turn``
    paces the lookups (False: stop looking).
    """
    preferred = preferred or {}
    claimed = journal.claimed_bill_ids(login)
    done = Lookups()
    for order, identity, digest in unknown:
        if wait_turn is not None and not wait_turn():
            break
        try:
            found = settle(order, client, claimed, lambda: (None, True))
        except CallError as error:
            code = error.code
            done.stop = stop_for(code, login) if code in (1, 2, 4, 5, 6, 7, 606) else None
            found = Settlement(order, None, f"could not look the bills up ({error})")
        named = preferred.get(order.key)
        if found.bill_id is None and named is not None and named in found.bills:
            found = Settlement(
                order, named, "found among the customer's bills (as the results named)"
            )
        if found.bill_id is not None:
            claimed.add(found.bill_id)
            journal.record_found(
                login,
                identity,
                digest=digest,
                email=order.email,
                run_id=run_id,
                bill_id=found.bill_id,
                text=f"{found.reason}, looked up before sending",
            )
            done.found += 1
        elif not found.resendable:
            journal.record_doubt(
                login, identity, digest=digest, email=order.email, run_id=run_id, text=found.reason
            )
            done.held += 1
        if done.stop is not None:
            break
    return done
