"""What a sending run does before its first CreateOrder, so that nothing is sent twice.

1. Orders the journal does not know, while a results workbook of this shop lists them as
   created: the journal was lost or replaced. The run stops before sending, unless the user
   asked to look them up first or said they are new (``check_not_sent_before``).
2. Orders in doubt in the journal are looked up in the shop (lookups only); those found are
   recorded created, those certainly absent are cleared for a resend (``settle_in_doubt``).
3. With ``lookup_first``, every order the journal does not know is looked up too
   (``look_up_first``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from justclick_import.api.codes import Stop
from justclick_import.api.ratelimit import AdaptiveRate
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.models import Order
from justclick_import.pipeline.config import results_path
from justclick_import.pipeline.prepare import Plan
from justclick_import.pipeline.target import SANDBOX, Target
from justclick_import.report.earlier_results import earlier_results, results_candidates
from justclick_import.sending.earlier import look_up_unknown
from justclick_import.sending.identity import fingerprint, order_identity
from justclick_import.sending.journal import Journal
from justclick_import.sending.reconcile import Reconciliation, reconcile_orders

__all__ = ["Prepared", "check_not_sent_before", "look_up_first", "settle_in_doubt"]


@dataclass
class Prepared:
    """What the lookups before sending found."""

    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    looked_up: int = 0
    stop: Stop | None = None


def _unknown(plan: Plan, journal: Journal, login: str) -> list[tuple[Order, str]]:
    """The plan's valid orders the journal has no entry for, with their identities."""
    identities = {order_identity(order, plan.import_name): order for order in plan.orders}
    known = journal.entries(login, identities)
    return [
        (order, identity)
        for identity, order in identities.items()
        if identity not in known and order.is_valid
    ]


def _earlier_bills(plan: Plan, login: str) -> tuple[dict[str, tuple[int, str]], list[str]]:
    config = plan.config
    earlier = earlier_results(results_candidates(config.input, results_path(config)), login)
    bills = {key: (bill, f"{path.name} (written {earlier.written(path)})")
             for key, (bill, path) in earlier.bills.items()}  # fmt: skip
    unreadable = [f"{path.name} ({why})" for path, why in earlier.unreadable]
    return bills, unreadable


def check_not_sent_before(plan: Plan, journal: Journal, target: Target) -> None:
    """Raise ``ConfigError`` (``sent-before``) when results workbooks list as created orders
    the journal knows nothing of (see the module's docstring)."""
    options = plan.config.send
    if options.new_orders or options.lookup_first or target.label == SANDBOX:
        return
    unknown = _unknown(plan, journal, target.login)
    if not unknown:
        return
    bills, unreadable = _earlier_bills(plan, target.login)
    at_risk = [(order.key, *bills[order.key]) for order, _ in unknown if order.key in bills]
    if not at_risk and not unreadable:
        return
    if at_risk:
        shown = ", ".join(f"{key} (bill {bill})" for key, bill, _ in at_risk[:3])
        more = f" and {len(at_risk) - 3} more" if len(at_risk) > 3 else ""
        found = f"{at_risk[0][2]} lists {len(at_risk)} of them as created: {shown}{more}"
    else:
        found = f"results workbooks beside it cannot be read: {'; '.join(unreadable)}"
    raise ConfigError(
        ErrorCode.SENT_BEFORE,
        f"the journal {journal.path} knows nothing of {len(unknown)} orders of this file, but "
        f"{found}. The journal may have been lost, damaged or replaced, and sending now could "
        "create these orders twice. Look the orders up in the shop before sending (only those "
        "not there are sent), or, if they were really never sent, say that they are new",
        count=len(at_risk),
        journal=str(journal.path),
    )


def settle_in_doubt(
    plan: Plan,
    journal: Journal,
    target: Target,
    *,
    resend_delay: float = 0.0,
) -> Reconciliation:
    """Look up the bills of the plan's orders in doubt; record those found as created."""
    if target.make_client is None:  # a dry run looks nothing up
        return Reconciliation()
    client = target.make_client()
    try:
        return reconcile_orders(
            plan.orders,
            journal,
            client,
            login=target.login,
            import_name=plan.import_name,
            resend_delay=resend_delay,
        )
    finally:
        client.close()


def look_up_first(
    plan: Plan,
    journal: Journal,
    target: Target,
    run_id: str,
    cancel: threading.Event | None = None,
) -> Prepared:
    """Look every order the journal does not know up in the shop (``lookup_first``)."""
    prepared = Prepared()
    unknown = _unknown(plan, journal, target.login)
    if target.make_client is None or not unknown:
        return prepared
    bills, _ = _earlier_bills(plan, target.login)
    client = target.make_client()
    limiter = AdaptiveRate(plan.config.send.rate)
    try:
        lookups = look_up_unknown(
            [(order, identity, fingerprint(order)) for order, identity in unknown],
            journal,
            client,
            login=target.login,
            run_id=run_id,
            preferred={key: bill for key, (bill, _) in bills.items()},
            wait_turn=lambda: limiter.acquire(cancel),
        )
    finally:
        client.close()
    prepared.looked_up = lookups.found
    prepared.stop = lookups.stop
    return prepared
