"""The whole job in one call, as the CLI runs it: prepare, execute, write the outputs."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping, Sequence

from justclick_import.api.answers import CallError
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.events import EventSink
from justclick_import.models import RunResult
from justclick_import.pipeline.before_sending import settle_in_doubt
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.execute import execute
from justclick_import.pipeline.outputs import check_outputs, write_outputs
from justclick_import.pipeline.prepare import prepare
from justclick_import.pipeline.target import open_target
from justclick_import.sending.identity import order_identity
from justclick_import.sending.journal import open_journal
from justclick_import.sending.lock import sending_lock
from justclick_import.sending.reconcile import Reconciliation
from justclick_import.sending.states import IN_DOUBT, OrderState

__all__ = ["reconcile_import", "run_import", "settle_by_hand"]


def run_import(
    config: ImportConfig,
    *,
    events: EventSink | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Run the whole import and write the results workbook; return what happened.

    Every order sent is journaled, so running the same import again skips the orders already
    created and holds those in doubt. Raises ``InputError`` (unreadable input) or
    ``ConfigError`` (no login or secret, results file not writable) before anything is sent.

    >>> result = run_import(ImportConfig(input=Path("orders.xlsx"), sandbox=True))  # doctest: +SKIP
    >>> result.exit_status(), [(r.order.key, r.status, r.bill_id) for r in result.results]
    """
    check_outputs(config)
    plan = prepare(config, events=events)
    result = execute(plan, events=events, cancel=cancel)
    write_outputs(result, config)
    return result


def reconcile_import(config: ImportConfig) -> Reconciliation:
    """Look up the bills of this import's orders in doubt; record those found as created.

    Run before orders in doubt are sent again, and on its own by ``reconcile``.
    """
    if config.dry_run:
        raise ConfigError(ErrorCode.NO_SECRET, "reconciling asks the shop: it cannot be a dry run")
    plan = prepare(config)
    with contextlib.ExitStack() as resources:
        target = resources.enter_context(open_target(config))
        journal = open_journal(target.journal_path)
        resources.callback(journal.close)
        resources.enter_context(sending_lock(target.journal_path))  # not while one is sending
        return settle_in_doubt(plan, journal, target, resend_delay=config.send.resend_delay)


def settle_by_hand(
    config: ImportConfig, *, bills: Mapping[str, int], not_created: Sequence[str]
) -> list[str]:
    """Record what a person found in the shop for orders in doubt; return what was recorded.

    ``bills`` maps order keys (the Orders sheet's ``order_key``) to the bill that is that
    order (checked to exist and to be no other order's); ``not_created`` lists keys of orders
    that are not in the shop (the next run sends them). Raises ``ConfigError`` for a key the
    file does not hold, an order not in doubt, or a bill that cannot be it.
    """
    plan = prepare(config)
    by_key = {order.key: order for order in plan.orders}
    for key in [*bills, *not_created]:
        if key not in by_key:
            raise ConfigError(
                ErrorCode.UNKNOWN_ORDER,
                f"{config.input.name} has no order {key!r}; the keys are the results "
                "workbook's order_key column",
            )
    done: list[str] = []
    with contextlib.ExitStack() as resources:
        target = resources.enter_context(open_target(config))
        journal = open_journal(target.journal_path)
        resources.callback(journal.close)
        resources.enter_context(sending_lock(target.journal_path))
        identities = {key: order_identity(by_key[key], plan.import_name) for key in by_key}
        entries = journal.entries(target.login, identities.values())
        for key in [*bills, *not_created]:
            entry = entries.get(identities[key])
            if entry is None or entry.state not in IN_DOUBT:
                state = entry.state if entry is not None else "never sent"
                raise ConfigError(
                    ErrorCode.UNKNOWN_ORDER, f"the order {key!r} is not in doubt ({state})"
                )
        claimed = journal.claimed_bill_ids(target.login)
        assert target.make_client is not None
        client = target.make_client()
        resources.callback(client.close)
        for key, bill_id in bills.items():
            if bill_id in claimed:
                raise ConfigError(
                    ErrorCode.UNKNOWN_ORDER, f"bill {bill_id} is already another order's"
                )
            try:
                details = client.order_details(bill_id)
            except CallError as error:
                raise ConfigError(
                    ErrorCode.UNKNOWN_ORDER, f"cannot read bill {bill_id} ({error})"
                ) from None
            if details is None:
                raise ConfigError(ErrorCode.UNKNOWN_ORDER, f"the shop has no bill {bill_id}")
            journal.record(
                target.login,
                identities[key],
                OrderState.CREATED,
                bill_id=bill_id,
                error_text=f"settled by hand: bill {bill_id}",
            )
            claimed.add(bill_id)
            done.append(f"{key}: recorded as bill {bill_id}")
        for key in not_created:
            journal.record(
                target.login,
                identities[key],
                OrderState.FAILED,
                error_text="settled by hand: not in the shop; the next run sends it",
            )
            done.append(f"{key}: recorded as not created; the next run sends it")
    return done
