"""Stage 4, submit: each valid order goes out once as a signed CreateOrder, journaled.

Orders already created by an earlier run are skipped; orders whose fate is unknown are held.
Several sender threads (``workers``), each with its own client (its own ``requests.Session``),
share a rate limit. Only failures that certainly created nothing (connection refused, HTTP
429/503) are retried, with exponential backoff and jitter; a read timeout is never retried.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import Stop
from justclick_import.models import Order, OrderResult, OrderStatus
from justclick_import.problems import summarise_problems
from justclick_import.sending.earlier import describe_held, same_content_held
from justclick_import.sending.identity import fingerprint, order_identity
from justclick_import.sending.journal import Journal, JournalEntry
from justclick_import.sending.legacy_status import wanted_status
from justclick_import.sending.options import SendOptions
from justclick_import.sending.states import DONE_STATES, IN_DOUBT, StatusStep
from justclick_import.sending.workers import Job, Workers

__all__ = ["Submission", "invalid_summary", "submit_orders"]


@dataclass
class Submission:
    """The results of sending (in file order), and why sending stopped early, if it did."""

    results: list[OrderResult] = field(default_factory=list)
    stopped_by: Stop | None = None
    interrupted: bool = False


def invalid_summary(order: Order) -> str:
    """An invalid order's first problem in one line (and how many more it has)."""
    return summarise_problems(order.problems)


def _from_journal(order: Order, entry: JournalEntry, options: SendOptions) -> OrderResult | None:
    """The result an earlier run decided for ``order``, or None when it is to be sent."""
    if entry.state in DONE_STATES:
        changed = entry.fingerprint != fingerprint(order)
        note = f"{entry.state.replace('_', ' ')} by an earlier run"
        if changed:
            note += "; its content changed since, and it is not sent again"
        return OrderResult(order, OrderStatus.SKIPPED, entry.bill_id, entry.error_code, note)
    if entry.state not in IN_DOUBT:
        return None
    if options.resend_uncertain and entry.identity in options.cleared:
        return None  # the bills were read just now and hold no bill that can be it
    reason = entry.error_text or "sent without a trustworthy answer"
    return OrderResult(
        order,
        OrderStatus.UNCERTAIN,
        None,
        entry.error_code,
        f"in doubt since an earlier run: {reason}",
    )


def _status_left(
    order: Order, entry: JournalEntry, earlier: OrderResult, options: SendOptions
) -> bool:
    """True when an order created earlier still waits for its legacy status."""
    return (
        options.apply_status
        and earlier.status is OrderStatus.SKIPPED
        and bool(wanted_status(order))
        and entry.status_state != StatusStep.APPLIED
    )


def _held_elsewhere(
    orders: Sequence[Order],
    identities: list[str],
    known: dict[str, JournalEntry],
    journal: Journal | None,
    login: str,
    options: SendOptions,
) -> tuple[dict[str, JournalEntry], dict[str, str]]:
    """Orders the journal does not know whose content it holds under another identity, and
    the fingerprints computed on the way (identity -> digest)."""
    if journal is None or options.new_orders:
        return {}, {}
    unknown = [
        (order, identity)
        for order, identity in zip(orders, identities, strict=True)
        if identity not in known and order.is_valid and not order.order_id
    ]
    if not unknown or not journal.knows_login(login):
        return {}, {}
    digested = [(order, identity, fingerprint(order)) for order, identity in unknown]
    found = same_content_held(journal, login, digested)
    return found, {identity: digest for _, identity, digest in digested}


def submit_orders(
    orders: Sequence[Order],
    make_client: Callable[[], JustClickClient] | None,
    *,
    journal: Journal | None = None,
    login: str = "",
    import_name: str = "",
    run_id: str = "",
    options: SendOptions | None = None,
    on_result: Callable[[OrderResult], None] | None = None,
    cancel: threading.Event | None = None,
    api_url: str = "",
) -> Submission:
    """Send every valid order at most once; return one result per order, in file order.

    ``make_client=None`` is a dry run: nothing is sent, orders the journal knows are reported as
    such and the rest ``not_sent``. After an answer that makes going on pointless, no new order
    is sent (those left are ``not_sent``). ``cancel`` set (from any thread), or Ctrl-C, sends
    no new order and awaits the answers in flight; a second Ctrl-C gives up on them
    (``uncertain``). ``on_result`` is called on this thread, once per order.
    """
    options = options or SendOptions()
    submission = Submission()
    results: list[OrderResult | None] = [None] * len(orders)
    identities = [order_identity(order, import_name) for order in orders]
    known = journal.entries(login, identities) if journal is not None else {}
    jobs: list[Job] = []
    if make_client is None:  # a dry run resends nothing: orders in doubt are shown as such
        options = replace(options, resend_uncertain=False)
    held, digests = _held_elsewhere(orders, identities, known, journal, login, options)
    for position, (order, identity) in enumerate(zip(orders, identities, strict=True)):
        entry = known.get(identity)
        # What the journal knows comes first: an order created (or in doubt) stays so even if
        # its rows were since edited into something invalid.
        earlier = _from_journal(order, entry, options) if entry is not None else None
        if earlier is not None and entry is not None:
            if (
                make_client is not None
                and order.is_valid
                and _status_left(order, entry, earlier, options)
            ):
                jobs.append(Job(position, order, identity, earlier, entry.status_state))
            else:
                results[position] = earlier
        elif not order.is_valid:
            results[position] = OrderResult(
                order, OrderStatus.INVALID, error_text=invalid_summary(order)
            )
        elif identity in held:
            found = held[identity]
            results[position] = OrderResult(
                order, OrderStatus.NOT_SENT, None, None, describe_held(found)
            )
        elif make_client is None:
            results[position] = OrderResult(order, OrderStatus.NOT_SENT)
        else:
            jobs.append(Job(position, order, identity, digest=digests.get(identity, "")))
    if on_result is not None:
        for result in results:
            if result is not None:
                on_result(result)
    if jobs and make_client is not None:
        workers = Workers(
            make_client, journal, login, run_id, options, results, on_result, cancel, api_url
        )
        workers.run(jobs)
        submission.stopped_by = workers.stopped_by
        submission.interrupted = workers.interrupted
    submission.results = [
        result if result is not None else OrderResult(orders[i], OrderStatus.NOT_SENT)
        for i, result in enumerate(results)
    ]
    return submission
