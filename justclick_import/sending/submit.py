"""Stage 5, submit: each valid order goes out once as a signed CreateOrder, journaled.

Orders already created by an earlier run are skipped; orders whose fate is unknown are held.
Several sender threads, each with its own client (its own ``requests.Session``), share a rate
limit. Only failures that certainly created nothing (connection refused, HTTP 429/503) are
retried, with exponential backoff and jitter; a read timeout is never retried.
"""

from __future__ import annotations

import queue
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from justclick_import.api.client import JustClickClient, SendOutcome
from justclick_import.api.ratelimit import TokenBucket
from justclick_import.models import Order, OrderResult, OrderStatus
from justclick_import.sending.journal import (
    DONE_STATES,
    SENDING,
    UNCERTAIN,
    Journal,
    JournalEntry,
    fingerprint,
    order_identity,
)
from justclick_import.sending.legacy_status import apply_status, wanted_status

__all__ = ["DEFAULT_RATE", "SendOptions", "Submission", "submit_orders"]

# JustClick documents no rate limit for CreateOrder but answers 8 when "the limit from this
# address" is used up; 10 requests a second stays polite. --rate 0 lifts it.
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


@dataclass
class Submission:
    """The results of sending (in file order), and why sending stopped early, if it did."""

    results: list[OrderResult] = field(default_factory=list)
    stop_message: str = ""
    interrupted: bool = False


@dataclass
class _Context:
    """What the sender threads share."""

    make_client: Callable[[], JustClickClient]
    journal: Journal | None
    login: str
    run_id: str
    options: SendOptions
    limiter: TokenBucket
    on_result: Callable[[OrderResult], None] | None
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop_message: str = ""
    sent: set[int] = field(default_factory=set)  # positions whose request may have left
    first_done: threading.Event = field(default_factory=threading.Event)
    all_done: threading.Event = field(default_factory=threading.Event)
    alive: int = 0
    interrupts: int = 0
    abandoned: bool = False  # a second Ctrl-C: the answers in flight are not awaited


def _invalid_summary(order: Order) -> str:
    errors = [problem for problem in order.problems if problem.is_error]
    first = errors[0]
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"row {first.row}, {first.column}: {first.message}{more}"


def _from_journal(order: Order, entry: JournalEntry, options: SendOptions) -> OrderResult | None:
    """The result an earlier run decided for ``order``, or None when it is to be sent."""
    if entry.state in DONE_STATES:
        changed = entry.fingerprint != fingerprint(order)
        note = f"{entry.state.replace('_', ' ')} by an earlier run"
        if changed:
            note += "; its content changed since, and it is not sent again"
        return OrderResult(order, OrderStatus.SKIPPED, entry.bill_id, entry.error_code, note)
    in_doubt = entry.state in (SENDING, UNCERTAIN)
    if in_doubt and options.resend_uncertain and entry.identity in options.hold:
        return OrderResult(order, OrderStatus.UNCERTAIN, None, entry.error_code, entry.error_text)
    if in_doubt and not options.resend_uncertain:
        return OrderResult(
            order,
            OrderStatus.UNCERTAIN,
            None,
            entry.error_code,
            "sent by an earlier run without a trustworthy answer, so it may exist: check the "
            "shop, then run again with --resend-uncertain to send it anyway",
        )
    return None


def _status_left(
    order: Order, entry: JournalEntry, earlier: OrderResult, options: SendOptions
) -> bool:
    """True when an order created earlier still waits for its legacy status."""
    return (
        options.apply_status
        and earlier.status is OrderStatus.SKIPPED
        and bool(wanted_status(order))
        and entry.status_state != "applied"
    )


def _backoff(attempt: int, outcome: SendOutcome, options: SendOptions) -> float:
    if outcome.retry_after is not None:
        return min(outcome.retry_after, options.backoff_cap)
    ceiling = min(options.backoff_cap, options.backoff_base * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)  # jitter spreads the retries of many workers


@dataclass(frozen=True)
class _Job:
    position: int
    order: Order
    identity: str
    done: OrderResult | None = None  # created by an earlier run: only its status is left
    status_state: str = ""  # the status step's state in the journal


def _send(ctx: _Context, client: JustClickClient, job: _Job) -> OrderResult:
    """Create the order: retried only while it certainly was not created; journaled."""
    order, options = job.order, ctx.options
    params = order.params()
    digest = fingerprint(order)
    outcome = SendOutcome(OrderStatus.NOT_SENT)
    for attempt in range(1, options.max_attempts + 1):
        if not ctx.limiter.acquire(ctx.stop) or ctx.stop.is_set():
            break
        with ctx.lock:
            ctx.sent.add(job.position)  # from here on, a lost answer means "it may exist"
        if ctx.journal is not None:  # committed before the request leaves
            ctx.journal.mark_sending(ctx.login, job.identity, digest, order.email, ctx.run_id)
        outcome = client.create_order(params)
        if ctx.journal is not None:
            ctx.journal.record(
                ctx.login,
                job.identity,
                outcome.status.value,
                bill_id=outcome.bill_id,
                error_code=outcome.error_code,
                error_text=outcome.error_text,
            )
        if not outcome.retryable or attempt == options.max_attempts:
            break
        if ctx.stop.wait(_backoff(attempt, outcome, options)):
            break
    if outcome.stop:
        _stop(ctx, outcome.stop)
    return OrderResult(
        order, outcome.status, outcome.bill_id, outcome.error_code, outcome.error_text
    )


def _stop(ctx: _Context, message: str) -> None:
    with ctx.lock:
        ctx.stop_message = ctx.stop_message or message
    ctx.stop.set()


def _finish_status(ctx: _Context, client: JustClickClient, job: _Job, result: OrderResult) -> None:
    """Apply the order's legacy status once it exists (``--apply-status``)."""
    done = (OrderStatus.CREATED, OrderStatus.ALREADY_EXISTS, OrderStatus.SKIPPED)
    if not wanted_status(job.order) or result.status not in done or result.bill_id is None:
        return
    result.status_step, result.status_note, stop = apply_status(
        client,
        ctx.journal,
        login=ctx.login,
        identity=job.identity,
        order=job.order,
        bill_id=result.bill_id,
        previous=job.status_state,
    )
    if stop:
        _stop(ctx, stop)


def _process(
    ctx: _Context, client: JustClickClient, job: _Job, results: list[OrderResult | None]
) -> OrderResult:
    if ctx.stop.is_set():
        result = job.done or OrderResult(job.order, OrderStatus.NOT_SENT)
        results[job.position] = result
        return result
    result = job.done or _send(ctx, client, job)
    results[job.position] = result  # stored before anything else: its fate is known now
    created = result.status is OrderStatus.CREATED and result.bill_id
    if ctx.options.fetch_links and created and not ctx.stop.is_set():
        result.link = client.order_link(result.bill_id or 0, ctx.options.shop_url)
    if ctx.options.apply_status and not ctx.stop.is_set():
        _finish_status(ctx, client, job, result)
    return result


def _worker(
    ctx: _Context, jobs: queue.SimpleQueue[_Job | None], results: list[OrderResult | None]
) -> None:
    client: JustClickClient | None = None
    try:
        client = ctx.make_client()
        while (job := jobs.get()) is not None:
            try:
                result = _process(ctx, client, job, results)
            except Exception as error:  # a bug or a surprise: stop, and lose no order
                if ctx.abandoned:
                    return  # the run gave up on this thread (second Ctrl-C); say nothing
                result = _unexpected(ctx, job, error, results)
            if ctx.on_result is not None:
                try:
                    with ctx.lock:
                        ctx.on_result(result)
                except Exception as error:  # e.g. progress to a closed terminal
                    _stop(ctx, f"could not report progress ({type(error).__name__}: {error})")
            ctx.first_done.set()
    except Exception as error:  # no client at all: nothing of this thread's was sent
        _stop(ctx, f"an unexpected error stopped the run ({type(error).__name__}: {error})")
    finally:
        if client is not None:
            client.close()
        ctx.first_done.set()  # even when this thread ends without a job done
        with ctx.lock:
            ctx.alive -= 1
            if ctx.alive == 0:
                ctx.all_done.set()


def _unexpected(
    ctx: _Context, job: _Job, error: Exception, results: list[OrderResult | None]
) -> OrderResult:
    """The result of a job that raised: in doubt if its request may have left."""
    what = f"{type(error).__name__}: {error}"
    _stop(ctx, f"an unexpected error stopped the run ({what}); please report it")
    stored = results[job.position]
    if stored is not None:
        return stored
    with ctx.lock:
        may_exist = job.position in ctx.sent
    status = OrderStatus.UNCERTAIN if may_exist else OrderStatus.NOT_SENT
    result = OrderResult(job.order, status, error_text=f"unexpected error: {what}")
    results[job.position] = result
    return result


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
) -> Submission:
    """Send every valid order at most once; return one result per order, in file order.

    ``make_client=None`` is a dry run: nothing is sent, orders the journal knows are reported as
    such and the rest ``not_sent``. After an answer that makes going on pointless, no new order
    is sent (those left are ``not_sent``). On Ctrl-C no new order is sent and the answers of the
    ones in flight are awaited; a second Ctrl-C gives up on them (``uncertain``).
    """
    options = options or SendOptions()
    submission = Submission()
    results: list[OrderResult | None] = [None] * len(orders)
    identities = [order_identity(order, import_name) for order in orders]
    known = journal.entries(login, identities) if journal is not None else {}
    jobs: list[_Job] = []
    if make_client is None:  # a dry run resends nothing: orders in doubt are shown as such
        options = replace(options, resend_uncertain=False)
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
                jobs.append(_Job(position, order, identity, earlier, entry.status_state))
            else:
                results[position] = earlier
        elif not order.is_valid:
            results[position] = OrderResult(
                order, OrderStatus.INVALID, error_text=_invalid_summary(order)
            )
        elif make_client is None:
            results[position] = OrderResult(order, OrderStatus.NOT_SENT)
        else:
            jobs.append(_Job(position, order, identity))
    if on_result is not None:
        for result in results:
            if result is not None:
                on_result(result)
    if jobs and make_client is not None:
        ctx = _Context(
            make_client, journal, login, run_id, options, TokenBucket(options.rate), on_result
        )
        _run_workers(ctx, jobs, results, submission)
        submission.stop_message = ctx.stop_message
    submission.results = [
        result if result is not None else OrderResult(orders[i], OrderStatus.NOT_SENT)
        for i, result in enumerate(results)
    ]
    return submission


def _wait(ctx: _Context, event: threading.Event, submission: Submission) -> None:
    """Wait for ``event``; Ctrl-C stops new work, a second one gives up on the answers.

    ``Event.wait`` is interrupted safely; ``Thread.join`` is not (CPython bpo-45274: a
    KeyboardInterrupt inside ``join`` can leave the thread marked finished while it runs).
    """
    while not ctx.abandoned:
        try:
            if event.wait(0.05):
                return
        except KeyboardInterrupt:
            submission.interrupted = True
            if ctx.stop.is_set() and ctx.interrupts:
                ctx.abandoned = True
            ctx.interrupts += 1
            ctx.stop.set()  # no new orders; the ones in flight finish


def _run_workers(
    ctx: _Context, jobs: list[_Job], results: list[OrderResult | None], submission: Submission
) -> None:
    # The first order to create goes alone: a wrong secret or a disabled API then costs one
    # request, not one per worker.
    creations = [job for job in jobs if job.done is None]
    if creations:
        jobs = [creations[0], *(job for job in jobs if job is not creations[0])]
    queued: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
    for job in jobs:
        queued.put(job)
    workers = max(1, min(ctx.options.concurrency, len(jobs)))
    for _ in range(workers):
        queued.put(None)
    ctx.alive = workers
    threads = [
        threading.Thread(target=_worker, args=(ctx, queued, results), daemon=True)
        for _ in range(workers)
    ]
    threads[0].start()
    _wait(ctx, ctx.first_done, submission)
    if not ctx.abandoned:
        try:
            for thread in threads[1:]:
                thread.start()
        except KeyboardInterrupt:  # between the waits: the same as during them
            submission.interrupted = True
            ctx.interrupts += 1
            ctx.stop.set()
        _wait(ctx, ctx.all_done, submission)
    with ctx.lock:  # given up on (or left by a dead thread): say what is known of each
        for job in jobs:
            if results[job.position] is not None:
                continue
            if job.done is not None:  # created by an earlier run; only its status was left
                results[job.position] = job.done
            elif job.position in ctx.sent:
                results[job.position] = OrderResult(
                    job.order,
                    OrderStatus.UNCERTAIN,
                    error_text="interrupted while waiting for the answer: it may exist",
                )
