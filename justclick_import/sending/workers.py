"""The sender threads: each with its own client, sharing a rate limit, the journal and a stop.

Results leave the threads through a queue and are handed to the caller's callback on the
caller's own thread (``run_workers`` waits there), so no callback ever runs in a sender or under
its lock, and a slow consumer never slows the senders. ``cancel`` (a ``threading.Event`` set
from any thread) and the first Ctrl-C both stop new work and await the answers in flight; a
second Ctrl-C gives up on them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import Stop
from justclick_import.errors import ErrorCode
from justclick_import.models import Order, OrderResult, OrderStatus
from justclick_import.sending.journal import Journal, JournalWriteError
from justclick_import.sending.options import SendOptions
from justclick_import.sending.pacing import Pacing
from justclick_import.sending.sender import process_job

__all__ = ["Job", "Workers"]

_POLL = 0.05  # seconds between looks at a cancel token and at finished work


@dataclass(frozen=True)
class Job:
    """One order for the senders: to create, or created earlier with only its status left."""

    position: int
    order: Order
    identity: str
    done: OrderResult | None = None  # created by an earlier run: only its status is left
    status_state: str = ""  # the status step's state in the journal
    digest: str = ""  # its fingerprint, when it was computed already


@dataclass
class Workers:
    """What the sender threads share, and the waiting done on the caller's thread."""

    make_client: Callable[[], JustClickClient]
    journal: Journal | None
    login: str
    run_id: str
    options: SendOptions
    results: list[OrderResult | None]
    deliver: Callable[[OrderResult], None] | None = None
    cancel: threading.Event | None = None
    api_url: str = ""
    pacing: Pacing = field(init=False)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopped_by: Stop | None = None
    interrupted: bool = False
    sent: set[int] = field(default_factory=set)  # positions whose request may have left
    # Results for the caller's thread; None only wakes it to look at the events below.
    outbox: queue.SimpleQueue[OrderResult | None] = field(default_factory=queue.SimpleQueue)
    all_done: threading.Event = field(default_factory=threading.Event)
    # Set once the first order is answered (or its thread ended): the others may take jobs.
    go: threading.Event = field(default_factory=threading.Event)
    alive: int = 0
    interrupts: int = 0
    abandoned: bool = False  # a second Ctrl-C: the answers in flight are not awaited

    def __post_init__(self) -> None:
        self.pacing = Pacing(self.options, self.login, self.api_url)

    # --- stopping ------------------------------------------------------------------------------

    def halt(self, stop: Stop) -> None:
        """Take no new orders because of ``stop`` (the first reason given is kept)."""
        with self.lock:
            self.stopped_by = self.stopped_by or stop
        self.stop.set()

    def interrupt(self) -> None:
        """The first Ctrl-C, or the cancel token: no new orders; the ones in flight finish."""
        with self.lock:
            self.interrupted = True
            self.interrupts += 1
        self.stop.set()

    def halted(self) -> bool:
        """True once no new work may start (a stop, an interrupt, or the cancel token set)."""
        if self.cancel is not None and self.cancel.is_set() and not self.interrupted:
            self.interrupt()
        return self.stop.is_set()

    def _sleep(self, seconds: float) -> bool:
        """Wait ``seconds``; False when the run was halted meanwhile."""
        remaining = seconds
        while remaining > 0:
            if self.halted():
                return False
            step = min(remaining, _POLL)
            if self.stop.wait(step):
                return False
            remaining -= step
        return not self.halted()

    def _unexpected(self, job: Job, error: Exception) -> OrderResult:
        """The result of a job that raised: in doubt if its request may have left."""
        what = f"{type(error).__name__}: {error}"
        self.halt(Stop(ErrorCode.UNEXPECTED, f"an unexpected error stopped the run ({what})"))
        stored = self.results[job.position]
        if stored is not None:
            return stored
        with self.lock:
            may_exist = job.position in self.sent
        status = OrderStatus.UNCERTAIN if may_exist else OrderStatus.NOT_SENT
        result = OrderResult(job.order, status, error_text=f"unexpected error: {what}")
        self.results[job.position] = result
        return result

    def _thread(self, jobs: queue.SimpleQueue[Job | None], first: bool) -> None:
        client: JustClickClient | None = None
        try:
            client = self.make_client()  # made while the first order is in flight
            if not first:
                self.go.wait()
            while (job := jobs.get()) is not None:
                try:
                    result = process_job(self, client, job)
                except Exception as error:  # a bug or a surprise: stop, and lose no order
                    if self.abandoned:
                        return  # the run gave up on this thread (second Ctrl-C); say nothing
                    result = self._unexpected(job, error)
                if first:
                    self.go.set()  # by the sender itself: no wait for the caller's thread
                self.outbox.put(result)
        except Exception as error:  # no client at all: nothing of this thread's was sent
            what = f"{type(error).__name__}: {error}"
            self.halt(Stop(ErrorCode.UNEXPECTED, f"an unexpected error stopped the run ({what})"))
        finally:
            if client is not None:
                client.close()
            self.go.set()  # even when this thread ends without a job done
            with self.lock:
                self.alive -= 1
                if self.alive == 0:
                    self.all_done.set()
            self.outbox.put(None)  # wakes the caller now, not at its next poll

    # --- the caller's thread -----------------------------------------------------------------

    def _hand_over(self, result: OrderResult) -> None:
        if self.deliver is None:
            return
        try:
            self.deliver(result)
        except Exception as error:  # e.g. progress to a closed terminal: stop telling
            self.deliver = None
            what = f"{type(error).__name__}: {error}"
            self.halt(Stop(ErrorCode.UNEXPECTED, f"could not report progress ({what})"))

    def _wait(self, event: threading.Event) -> None:
        """Hand over results until ``event`` is set; Ctrl-C stops new work, twice gives up.

        ``Event.wait`` and ``SimpleQueue.get`` are interrupted safely; ``Thread.join`` is not
        (CPython bpo-45274: a KeyboardInterrupt inside ``join`` can leave a thread marked
        finished while it runs).
        """
        while not self.abandoned:
            try:
                if event.is_set():
                    return
                self.halted()  # notices the cancel token even while nothing finishes
                try:
                    result = self.outbox.get(timeout=_POLL)
                except queue.Empty:
                    continue
                if result is not None:
                    self._hand_over(result)
            except KeyboardInterrupt:
                # A second interrupt (the cancel token counts as the first) gives up.
                cancelled = self.cancel is not None and self.cancel.is_set()
                if (self.stop.is_set() and self.interrupts) or cancelled:
                    self.abandoned = True
                self.interrupt()
                if self.cancel is not None:
                    self.cancel.set()

    def _drain(self) -> None:
        while not self.abandoned:
            try:
                result = self.outbox.get_nowait()
            except queue.Empty:
                return
            if result is None:
                continue
            try:
                self._hand_over(result)
            except KeyboardInterrupt:
                self.abandoned = True

    def run(self, jobs: list[Job]) -> None:
        """Send ``jobs`` with ``options.concurrency`` threads; return when all are accounted for.

        The first order to create goes alone: a wrong secret or a disabled API then costs one
        request, not one per sender.
        """
        creations = [job for job in jobs if job.done is None]
        if creations:
            jobs = [creations[0], *(job for job in jobs if job is not creations[0])]
        queued: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        for job in jobs:
            queued.put(job)
        count = max(1, min(self.options.concurrency, len(jobs)))
        for _ in range(count):
            queued.put(None)
        self.alive = count
        threads = [
            threading.Thread(target=self._thread, args=(queued, i == 0), daemon=True)
            for i in range(count)
        ]
        try:
            for thread in threads:
                thread.start()
        except KeyboardInterrupt:  # before the wait: the same as during it
            self.interrupt()
            self.go.set()  # a halted run's threads take their jobs only to say "not sent"
        self._wait(self.all_done)
        self.go.set()  # given up on (a second Ctrl-C): the waiting threads end as daemons do
        self._drain()
        self._account_for(jobs)
        self._flush_journal()

    def _flush_journal(self) -> None:
        """Commit the answers recorded without waiting; a failure stops the run, said so."""
        if self.journal is None:
            return
        try:
            self.journal.flush()
        except JournalWriteError as error:
            self.halt(Stop(ErrorCode.JOURNAL_WRITE, error.message))

    def _account_for(self, jobs: list[Job]) -> None:
        """Say what is known of each job a thread left (given up on, or a dead thread)."""
        with self.lock:
            for job in jobs:
                if self.results[job.position] is not None:
                    continue
                if job.done is not None:  # created by an earlier run; only its status was left
                    self.results[job.position] = job.done
                elif job.position in self.sent:
                    self.results[job.position] = OrderResult(
                        job.order,
                        OrderStatus.UNCERTAIN,
                        error_text="interrupted while waiting for the answer: it may exist",
                    )
