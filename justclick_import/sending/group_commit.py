"""Group commit: the state changes of many sender threads committed together, each durable
before its caller goes on.

Each caller hands over its statements and waits. The first caller to find no commit under way
leads: it takes every write waiting, runs them in one transaction and commits once (one fsync
for all of them), then wakes the others. A sender's ``sending`` is therefore still committed
before its request leaves; only the fsyncs are shared. If the batch fails, each write is tried
again alone, so one bad write fails only its own caller.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["GroupCommit", "Statement"]

Statement = tuple[str, Sequence[object]]


@dataclass
class _Write:
    statements: Sequence[Statement]
    done: bool = False  # its leader is through with it, committed or not
    committed: bool = False
    error: sqlite3.Error | None = None
    posted: bool = False  # nobody waits for it: a failure is kept for the next flush


@dataclass
class GroupCommit:
    """Commits writes on ``db`` (autocommit mode), holding ``lock`` while it uses the file."""

    db: sqlite3.Connection
    lock: threading.Lock
    _waiting: list[_Write] = field(default_factory=list)
    _leading: bool = False
    _turn: threading.Condition = field(default_factory=threading.Condition)
    commits: int = 0  # transactions committed (for the benchmarks' and the tests' curiosity)
    _unclaimed: list[sqlite3.Error] = field(default_factory=list)  # posted writes that failed

    def post(self, statements: Sequence[Statement]) -> None:
        """Queue ``statements`` without waiting: they go out with the next commit (anyone's).

        For what need not be durable at once: an answer recorded after its request, which the
        sender's next ``sending`` (or ``flush``) commits before the next request leaves. Lost
        in a crash meanwhile, it leaves the order ``sending``: in doubt, looked up, never resent
        blindly.
        """
        with self._turn:
            self._waiting.append(_Write(statements, posted=True))

    def flush(self, fail: Callable[[sqlite3.Error], Exception]) -> None:
        """Commit whatever is queued; raise ``fail(error)`` for a posted write that failed."""
        self.commit((), fail)
        with self._turn:
            lost, self._unclaimed = self._unclaimed, []
        if lost:
            raise fail(lost[0])

    def commit(
        self, statements: Sequence[Statement], fail: Callable[[sqlite3.Error], Exception]
    ) -> None:
        """Run ``statements`` in a committed transaction; raise ``fail(error)`` if it is not."""
        write = _Write(statements)
        with self._turn:
            self._waiting.append(write)
            while not write.done and self._leading:
                self._turn.wait()
            if write.done:
                if write.error is not None:
                    raise fail(write.error)
                return
            self._leading = True
            batch, self._waiting = self._waiting, []
        try:
            self._commit_all(batch)
        finally:
            with self._turn:
                for done in batch:
                    if not done.committed and done.error is None:  # interrupted (Ctrl-C)
                        done.error = sqlite3.OperationalError("the commit was interrupted")
                    if done.posted and done.error is not None:
                        self._unclaimed.append(done.error)
                    done.done = True
                self._leading = False
                self._turn.notify_all()
        if write.error is not None:
            raise fail(write.error)

    def _commit_all(self, batch: list[_Write]) -> None:
        with self.lock:
            try:
                self._transaction([statement for write in batch for statement in write.statements])
            except sqlite3.Error as error:
                if len(batch) == 1:
                    batch[0].error = error
                    return
                for write in batch:  # one of them failed: each alone, each with its own answer
                    try:
                        self._transaction(write.statements)
                    except sqlite3.Error as alone:
                        write.error = alone
                    else:
                        write.committed = True
                return
            for write in batch:
                write.committed = True

    def _transaction(self, statements: Sequence[Statement]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for sql, parameters in statements:
                self.db.execute(sql, parameters)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the first error tells what happened
                    self.db.execute("ROLLBACK")
            raise
        self.commits += 1
