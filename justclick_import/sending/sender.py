"""One order through a sender: its attempts, each journaled, then its link and legacy status.

Functions over the ``Workers`` the senders share: an attempt is retried only while the order
certainly was not created, and each outcome teaches the shared ``Pacing``.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from justclick_import.api.answers import SendOutcome
from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import REQUEST_LIMIT, Stop
from justclick_import.errors import ErrorCode
from justclick_import.models import OrderResult, OrderStatus
from justclick_import.sending.identity import fingerprint
from justclick_import.sending.journal import JournalWriteError
from justclick_import.sending.legacy_status import apply_status, wanted_status
from justclick_import.sending.options import SendOptions
from justclick_import.sending.states import OrderState

if TYPE_CHECKING:
    from justclick_import.sending.workers import Job, Workers

__all__ = ["process_job"]


def _send(self: Workers, client: JustClickClient, job: Job) -> OrderResult:
    """Create the order: retried only while it certainly was not created; journaled."""
    order, options = job.order, self.options
    params = order.params()
    digest = job.digest or fingerprint(order)
    outcome = SendOutcome(OrderStatus.NOT_SENT)
    note = ""
    attempt = 0
    while True:
        attempt += 1
        if not self.pacing.limiter.acquire(self.stop) or self.halted():
            break
        with self.lock:
            self.sent.add(job.position)  # from here on, a lost answer means "it may exist"
        if not _journal_sending(self, job, digest):
            with self.lock:
                self.sent.discard(job.position)  # nothing left: the journal came first
            outcome = SendOutcome(
                OrderStatus.NOT_SENT, error_text="not sent: the journal could not record it"
            )
            break
        outcome = client.create_order(params)
        note = _journal_outcome(self, job, outcome)
        stop = self.pacing.after(outcome)
        if stop is not None:
            self.halt(stop)
        if note or stop is not None or not outcome.retryable:
            break
        limited = outcome.throttled and outcome.error_code == REQUEST_LIMIT
        if attempt >= options.max_attempts and not limited:  # error 8: patience decides
            break
        if not self._sleep(_backoff(attempt, outcome, options)):
            break
    if outcome.stop is not None:
        self.halt(outcome.stop)
    text = f"{outcome.error_text}; {note}" if note and outcome.error_text else outcome.error_text
    return OrderResult(order, outcome.status, outcome.bill_id, outcome.error_code, text or note)


def _journal_sending(self: Workers, job: Job, digest: str) -> bool:
    """Commit ``sending`` before the request leaves; False (and the run stops) if it fails."""
    if self.journal is None:
        return True
    try:
        self.journal.mark_sending(self.login, job.identity, digest, job.order.email, self.run_id)
    except JournalWriteError as error:
        self.halt(Stop(ErrorCode.JOURNAL_WRITE, error.message))
        return False
    return True


def _journal_outcome(self: Workers, job: Job, outcome: SendOutcome) -> str:
    """Commit an answer; a note for the order when the journal could not take it."""
    if self.journal is None:
        return ""
    try:
        self.journal.record(
            self.login,
            job.identity,
            OrderState(outcome.status.value),
            bill_id=outcome.bill_id,
            error_code=outcome.error_code,
            error_text=outcome.error_text,
            wait=False,  # committed with this sender's next "sending", or the run's last flush
        )
    except JournalWriteError as error:
        self.halt(Stop(ErrorCode.JOURNAL_WRITE, error.message))
        return "the journal could not record this answer (it is looked up next time)"
    return ""


def _finish_status(self: Workers, client: JustClickClient, job: Job, result: OrderResult) -> None:
    """Apply the order's legacy status once it exists."""
    done = (OrderStatus.CREATED, OrderStatus.ALREADY_EXISTS, OrderStatus.SKIPPED)
    if not wanted_status(job.order) or result.status not in done or result.bill_id is None:
        return
    result.status_step, result.status_note, stop = apply_status(
        client,
        self.journal,
        login=self.login,
        identity=job.identity,
        order=job.order,
        bill_id=result.bill_id,
        previous=job.status_state,
    )
    if stop is not None:
        self.halt(stop)


def process_job(self: Workers, client: JustClickClient, job: Job) -> OrderResult:
    if self.halted():
        result = job.done or OrderResult(job.order, OrderStatus.NOT_SENT)
        self.results[job.position] = result
        return result
    result = job.done or _send(self, client, job)
    self.results[job.position] = result  # stored before anything else: its fate is known
    created = result.status is OrderStatus.CREATED and result.bill_id
    if self.options.fetch_links and created and not self.halted():
        result.link = client.order_link(result.bill_id or 0, self.options.shop_url)
    if self.options.apply_status and not self.halted():
        _finish_status(self, client, job, result)
    return result


def _backoff(attempt: int, outcome: SendOutcome, options: SendOptions) -> float:
    if outcome.throttled:  # the shared pause holds every sender; this one only waits its turn
        return min(outcome.retry_after or 0.0, options.backoff_cap)
    if outcome.retry_after is not None:
        return min(outcome.retry_after, options.backoff_cap)
    ceiling = min(options.backoff_cap, options.backoff_base * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)  # jitter spreads the retries of many workers
