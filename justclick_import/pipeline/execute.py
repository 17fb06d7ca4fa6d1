"""Sending a prepared plan: the journal, the lock, orders in doubt settled first, the senders."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections import Counter
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from justclick_import.events import EventSink, OrderDone, RunStopped, StageFinished, StageStarted
from justclick_import.models import Order, OrderResult, OrderStatus, RunResult
from justclick_import.pipeline.prepare import Plan
from justclick_import.pipeline.target import Target, open_target
from justclick_import.sending.journal import Journal, open_journal
from justclick_import.sending.lock import sending_lock
from justclick_import.sending.options import SendOptions
from justclick_import.sending.reconcile import Settlement, reconcile_orders
from justclick_import.sending.submit import submit_orders

__all__ = ["execute", "settle_in_doubt"]


def settle_in_doubt(plan: Plan, journal: Journal, target: Target) -> list[Settlement]:
    """Look up the bills of the plan's orders in doubt; record those found as created."""
    if target.make_client is None:  # pragma: no cover - a dry run looks nothing up
        return []
    client = target.make_client()
    try:
        return reconcile_orders(
            plan.orders, journal, client, login=target.login, import_name=plan.import_name
        )
    finally:
        client.close()


def skipped_result(order: Order) -> OrderResult:
    """The result of an order its status keeps from being sent: it was never a sale."""
    text = f"skipped (status {order.status_word!r}): not a sale, so it is not sent"
    return OrderResult(order, OrderStatus.SKIPPED, error_text=text)


def _merged(plan: Plan, sent: list[OrderResult]) -> list[OrderResult]:
    """Every order's result in file order: those skipped by status, and those sent."""
    results = iter(sent)
    return [
        skipped_result(order) if order.skipped_by_status else next(results) for order in plan.orders
    ]


def _options(plan: Plan, journal: Journal, target: Target) -> SendOptions:
    options = plan.config.send
    if target.make_client is not None and options.resend_uncertain:
        # Only what the bills show was not created is sent again; the rest stays held.
        settled = settle_in_doubt(plan, journal, target)
        held = {s.identity for s in settled if s.bill_id is None and not s.resendable}
        options = replace(options, hold=frozenset(held))
    if options.fetch_links and not options.shop_url and target.api_url:
        api = urlsplit(target.api_url)  # relative links hang off the shop's address
        options = replace(options, shop_url=f"{api.scheme}://{api.netloc}")
    return options


def execute(
    plan: Plan,
    *,
    events: EventSink | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Send the plan's valid orders (journaled, each at most once) and say what became of each.

    ``events`` hears the sending stage and each order's result on this thread, never on a
    sender's; a slow consumer does not slow the senders. ``cancel``, set from any thread, is
    the first Ctrl-C: no new order is sent, the answers in flight are awaited. Raises
    ``ConfigError`` before anything is sent (no login or secret, journal busy or unusable).
    """
    config = plan.config
    emit = events or _ignore
    started = datetime.now()
    run_id = started.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    with contextlib.ExitStack() as resources:
        target = resources.enter_context(open_target(config))
        journal = open_journal(target.journal_path)
        resources.callback(journal.close)
        sending = target.make_client is not None
        if sending:  # one sender per journal: two could send an order twice
            resources.enter_context(sending_lock(target.journal_path))
            journal.begin_run(
                run_id, target.login, plan.import_name, str(config.input), target.label
            )
        options = _options(plan, journal, target)
        total = len(plan.orders)
        emit(StageStarted("send", total))
        done = 0

        def deliver(order_result: OrderResult) -> None:
            nonlocal done
            done += 1
            emit(OrderDone(order_result, done, total))

        for order in plan.orders:
            if order.skipped_by_status:
                deliver(skipped_result(order))
        submission = submit_orders(
            [order for order in plan.orders if not order.skipped_by_status],
            target.make_client,
            journal=journal,
            login=target.login,
            import_name=plan.import_name,
            run_id=run_id,
            options=options,
            on_result=deliver,
            cancel=cancel,
        )
        stop = submission.stopped_by
        result = RunResult(
            source=config.input,
            sheet_name=plan.sheet.sheet_name,
            rows=plan.sheet.frame,
            row_numbers=plan.sheet.row_numbers,
            problems=plan.problems,
            results=_merged(plan, submission.results),
            login=target.login,
            target=target.label,
            started=started,
            finished=datetime.now(),
            stop_message=stop.message if stop else "",
            stop_code=stop.code if stop else None,
            interrupted=submission.interrupted,
            run_id=run_id if sending else "",
            import_name=plan.import_name,
            journal_path=target.journal_path,
            ignored_columns=list(plan.mapping.ignored),
            timezone=plan.timezone,
            statuses=plan.statuses,
            preset=plan.reading.preset.name if plan.reading.preset is not None else "",
            language=config.language,
            number_columns=plan.sheet.number_columns,
        )
        if sending:
            journal.finish_run(run_id, result.exit_status().name.lower())
    if stop is not None or submission.interrupted:
        message = stop.message if stop else "cancelled: no new orders were sent"
        emit(RunStopped(message, stop.code if stop else None, submission.interrupted))
    counts = Counter(order_result.status.value for order_result in result.results)
    emit(StageFinished("send", dict(counts)))
    return result


def _ignore(_event: object) -> None:
    """The events of a caller that asked for none."""
