"""Sending a prepared plan: the journal, the lock, orders in doubt settled first, the senders."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from justclick_import.api.codes import Stop
from justclick_import.errors import ErrorCode
from justclick_import.events import EventSink, OrderDone, RunStopped, StageFinished, StageStarted
from justclick_import.models import Doubt, Order, OrderResult, OrderStatus, RunResult
from justclick_import.pipeline.before_sending import (
    Prepared,
    check_not_sent_before,
    look_up_first,
    settle_in_doubt,
)
from justclick_import.pipeline.prepare import Plan
from justclick_import.pipeline.target import Target, open_target
from justclick_import.sending.identity import order_identity
from justclick_import.sending.journal import Journal, JournalWriteError, open_journal
from justclick_import.sending.lock import sending_lock
from justclick_import.sending.options import SendOptions
from justclick_import.sending.submit import submit_orders

__all__ = ["execute", "settle_in_doubt"]


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


def _options(plan: Plan, target: Target, cleared: frozenset[str]) -> SendOptions:
    options = replace(plan.config.send, cleared=cleared)
    if options.fetch_links and not options.shop_url and target.api_url:
        api = urlsplit(target.api_url)  # relative links hang off the shop's address
        options = replace(options, shop_url=f"{api.scheme}://{api.netloc}")
    return options


def _prepare_sending(
    plan: Plan, journal: Journal, target: Target, run_id: str, cancel: threading.Event | None
) -> Prepared:
    """The lookups before the first CreateOrder (``before_sending``)."""
    options = plan.config.send
    prepared = Prepared()
    if options.lookup_first:
        prepared = look_up_first(plan, journal, target, run_id, cancel)
    if prepared.stop is None:
        prepared.reconciliation = settle_in_doubt(
            plan, journal, target, resend_delay=options.resend_delay
        )
        prepared.stop = prepared.reconciliation.stop
    return prepared


def _doubts(results: list[OrderResult], plan: Plan, prepared: Prepared, delay: float) -> None:
    """Say of each uncertain order what settles it (``models.Doubt``)."""
    settled = {s.identity: s for s in prepared.reconciliation.settlements}
    later = (datetime.now() + timedelta(seconds=delay)).strftime("%H:%M:%S")
    for found in results:
        if found.status is not OrderStatus.UNCERTAIN:
            continue
        settlement = settled.get(order_identity(found.order, plan.import_name))
        if settlement is None:  # sent by this run: its answer never came, or was not trusted
            answered = found.error_code is not None
            found.doubt = Doubt.UNREAD if answered or not delay else Doubt.WAITING
            found.resend_after = "" if found.doubt is Doubt.UNREAD else later
        elif settlement.resendable:
            found.doubt = Doubt.ABSENT
        elif settlement.waiting:
            found.doubt, found.resend_after = Doubt.WAITING, settlement.resend_after
        elif settlement.bills or "changed in the file" in settlement.reason:
            found.doubt = Doubt.CHECK
        else:
            found.doubt = Doubt.UNREAD


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
        prepared = Prepared()
        if sending:  # one sender per journal: two could send an order twice
            resources.enter_context(sending_lock(target.journal_path))
            check_not_sent_before(plan, journal, target)
            journal.begin_run(
                run_id, target.login, plan.import_name, str(config.input), target.label
            )
            prepared = _prepare_sending(plan, journal, target, run_id, cancel)
        cleared = frozenset(s.identity for s in prepared.reconciliation.settlements if s.resendable)
        options = _options(plan, target, cleared)
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
            None if prepared.stop is not None else target.make_client,
            journal=journal,
            login=target.login,
            import_name=plan.import_name,
            run_id=run_id,
            options=options,
            on_result=deliver,
            cancel=cancel,
            api_url=target.api_url,
        )
        stop = prepared.stop or submission.stopped_by
        if sending:
            _doubts(submission.results, plan, prepared, options.resend_delay)
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
            source_format=plan.sheet.source_format,
            settle_commands=dict(config.settle_commands),
            looked_up=prepared.looked_up,
        )
        if sending:
            stop = _finish_run(journal, run_id, result) or stop
    if stop is not None or submission.interrupted:
        message = stop.message if stop else "cancelled: no new orders were sent"
        emit(RunStopped(message, stop.code if stop else None, submission.interrupted))
    counts = Counter(order_result.status.value for order_result in result.results)
    emit(StageFinished("send", dict(counts)))
    return result


def _finish_run(journal: Journal, run_id: str, result: RunResult) -> Stop | None:
    """Record how the run ended. A journal that cannot take it stops the run with its own
    exit code, said so (the orders' states went in before, or the run stopped for them)."""
    try:
        journal.finish_run(run_id, result.exit_status().name.lower())
    except JournalWriteError as error:
        if result.stop_code is ErrorCode.JOURNAL_WRITE:
            return None  # already told
        result.stop_message, result.stop_code = error.message, ErrorCode.JOURNAL_WRITE
        return Stop(ErrorCode.JOURNAL_WRITE, error.message)
    return None


def _ignore(_event: object) -> None:
    """The events of a caller that asked for none."""
