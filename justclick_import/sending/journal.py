"""The crash-safe journal: what was sent for which order, so no order is ever created twice.

A SQLite file in WAL mode. State changes are committed in groups (``group_commit``): the
changes of all senders waiting at one moment share one transaction and one fsync, and each is
on disk before its sender goes on. ``sending`` is committed before a request leaves; an
answer's outcome is committed with that sender's next change (at the latest its next
``sending``, or the run's end). So after a crash an order is either known (created, failed,
...) or known to be in doubt (``sending``: its answer never came, or was not yet committed).
Every change is also added to ``order_events``, which is never updated or deleted, so what
happened to an order can always be read back (``history``). The schema and its migrations are
in ``schema``; the identity of an order in ``identity``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from justclick_import.errors import ConfigError, ErrorCode, ImporterError
from justclick_import.sending.group_commit import GroupCommit, Statement
from justclick_import.sending.journal_reads import JournalReads, account
from justclick_import.sending.journal_records import JournalEntry, JournalEvent, RunRecord
from justclick_import.sending.schema import NewerJournal, migrate
from justclick_import.sending.states import OrderState, StatusStep, UndoStep

__all__ = [
    "JOURNAL_ENV",
    "Journal",
    "JournalEntry",
    "JournalEvent",
    "JournalWriteError",
    "RunRecord",
    "default_journal_path",
    "open_journal",
]

JOURNAL_ENV = "JUSTCLICK_JOURNAL"


def default_journal_path() -> Path:
    """``$JUSTCLICK_JOURNAL``, else the user's state folder (one journal for every import)."""
    configured = os.environ.get(JOURNAL_ENV)
    if configured:
        return Path(configured).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "justclick-import" / "journal.sqlite"


def open_journal(path: Path, *, must_exist: bool = False) -> Journal:
    """Open (or create) the journal at ``path``; raises ``ConfigError`` when it cannot be used.

    With ``must_exist`` a missing journal is an error (``no-journal``): nothing was sent yet.
    """
    if must_exist and not path.exists():
        raise ConfigError(
            ErrorCode.NO_JOURNAL, f"no journal at {path}: nothing was sent from here yet"
        )
    try:
        return Journal(path)
    except NewerJournal as error:
        raise ConfigError(
            ErrorCode.JOURNAL_UNUSABLE,
            f"the journal {path} was written by a newer justclick-import ({error}); "
            "update justclick-import",
        ) from None
    except (OSError, sqlite3.Error) as error:
        # Never "use another journal": a journal that knows nothing sends every order again.
        raise ConfigError(
            ErrorCode.JOURNAL_UNUSABLE,
            f"cannot open the journal {path} ({error}). It is the record of which orders were "
            "sent: keep the file (copy it aside, do not delete it). A new journal knows none "
            "of those orders, so sending with one must look each order up in the shop first",
            path=str(path),
        ) from None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class JournalWriteError(ImporterError):
    """A state change could not be committed (a full disk, a file size limit, an I/O error)."""


def _write_error(path: Path, error: sqlite3.Error) -> JournalWriteError:
    name = str(getattr(error, "sqlite_errorname", ""))
    text = str(error)
    # SQLITE_FULL: no space left; SQLITE_IOERR_WRITE: a write refused (a full disk, the size
    # limit of a file, a quota).
    full = name in ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC") or "full" in text
    why = f"the disk is full, or the file reached a size limit ({name or text})" if full else text
    return JournalWriteError(
        ErrorCode.JOURNAL_WRITE,
        f"cannot write the journal {path}: {why}. Sending stopped, so that no order is sent "
        "without a record; make room, then run the same command again (orders whose answer "
        "was not recorded are looked up in the shop first)",
        path=str(path),
        disk_full=full,
    )


class Journal(JournalReads):
    """The journal file, safe to use from several sender threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # a committed state survives a power cut
            self._db.execute("PRAGMA busy_timeout=10000")
            migrate(self._db)
        except BaseException:
            self._db.close()
            raise
        self._group = GroupCommit(self._db, self._lock)

    def close(self) -> None:
        """Commit what is queued, then close the file.

        A queued answer that cannot be committed leaves its order ``sending``: in doubt, and
        looked up next time (the senders' own flush has said why the run stopped).
        """
        try:
            with contextlib.suppress(JournalWriteError):
                self.flush()
        finally:
            with self._lock:
                self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _commit(self, *statements: Statement) -> None:
        """Commit ``statements`` as one transaction, shared with the writes of other threads
        waiting at the same moment (``group_commit``); a failure raises ``JournalWriteError``."""
        self._group.commit(statements, lambda error: _write_error(self.path, error))

    def flush(self) -> None:
        """Commit the answers recorded without waiting (``record(..., wait=False)``)."""
        self._group.flush(lambda error: _write_error(self.path, error))

    @property
    def commits(self) -> int:
        """Transactions committed since the journal was opened."""
        return self._group.commits

    # --- runs ----------------------------------------------------------------------------------

    def begin_run(
        self, run_id: str, login: str, import_name: str, source: str, target: str
    ) -> None:
        """Record that a run started."""
        self._commit(
            (
                "INSERT INTO runs (run_id, login, import_name, source, target, started)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, account(login), import_name, source, target, _now()),
            )
        )

    def finish_run(self, run_id: str, outcome: str) -> None:
        """Record how a run ended."""
        self._commit(
            (
                "UPDATE runs SET finished = ?, outcome = ? WHERE run_id = ?",
                (_now(), outcome, run_id),
            )
        )

    # --- state changes: committed in groups, each with its event -----------------------------

    def mark_sending(self, login: str, identity: str, digest: str, email: str, run_id: str) -> None:
        """Commit ``sending`` for an order: called right before its request leaves."""
        login = account(login)
        now = _now()  # first_sent keeps the first attempt: any attempt may have created it
        self._commit(
            (
                "INSERT INTO orders (login, identity, fingerprint, state, email, run_id, attempts,"
                " first_sent, updated, last_sent) VALUES (?, ?, ?, 'sending', ?, ?, 1, ?, ?, ?)"
                " ON CONFLICT (login, identity) DO UPDATE SET fingerprint = excluded.fingerprint,"
                " state = 'sending', email = excluded.email, run_id = excluded.run_id,"
                " attempts = attempts + 1, bill_id = NULL, error_code = NULL, error_text = '',"
                " status_state = '', status_text = '', undo_state = '', undo_text = '',"
                " first_sent = CASE WHEN state IN ('sending', 'uncertain') THEN first_sent"
                " ELSE excluded.first_sent END, updated = excluded.updated,"
                " last_sent = excluded.last_sent",
                (login, identity, digest, email, run_id, now, now, now),
            ),
            _event(now, login, identity, "order", OrderState.SENDING),
        )

    def record(
        self,
        login: str,
        identity: str,
        state: OrderState,
        *,
        bill_id: int | None = None,
        error_code: int | None = None,
        error_text: str = "",
        wait: bool = True,
    ) -> None:
        """Commit the outcome of an order's latest request (or what reconcile or undo found).

        ``wait=False`` queues it for the next commit instead (a sender's next ``sending``
        takes it along: one fsync fewer per order); ``flush`` commits it at the latest.
        """
        login = account(login)
        now = _now()
        statements: list[Statement] = [
            (
                "UPDATE orders SET state = ?, bill_id = ?, error_code = ?, error_text = ?,"
                " updated = ? WHERE login = ? AND identity = ?",
                (state, bill_id, error_code, error_text, now, login, identity),
            )
        ]
        if bill_id is not None:  # in the same transaction: the outcome and the bill it claims
            statements.append(_claim(login, bill_id, identity))
        statements.append(
            _event(now, login, identity, "order", state, bill_id, error_code, error_text)
        )
        if wait:
            self._commit(*statements)
        else:
            self._group.post(statements)

    def record_found(
        self,
        login: str,
        identity: str,
        *,
        digest: str,
        email: str,
        run_id: str,
        bill_id: int,
        text: str,
    ) -> None:
        """Commit that an order the journal did not know exists in the shop as ``bill_id``."""
        login = account(login)
        now = _now()
        self._commit(
            (
                "INSERT INTO orders (login, identity, fingerprint, state, bill_id, error_text,"
                " email, run_id, attempts, updated) VALUES (?, ?, ?, 'created', ?, ?, ?, ?, 0, ?)"
                " ON CONFLICT (login, identity) DO UPDATE SET state = 'created',"
                " bill_id = excluded.bill_id, error_text = excluded.error_text,"
                " updated = excluded.updated",
                (login, identity, digest, bill_id, text, email, run_id, now),
            ),
            _claim(login, bill_id, identity),
            _event(now, login, identity, "order", OrderState.CREATED, bill_id, None, text),
        )

    def record_doubt(
        self, login: str, identity: str, *, digest: str, email: str, run_id: str, text: str
    ) -> None:
        """Commit that an order the journal did not know may exist in the shop: in doubt."""
        login = account(login)
        now = _now()
        self._commit(
            (
                "INSERT INTO orders (login, identity, fingerprint, state, error_text, email,"
                " run_id, attempts, updated) VALUES (?, ?, ?, 'uncertain', ?, ?, ?, 0, ?)"
                " ON CONFLICT (login, identity) DO UPDATE SET state = 'uncertain',"
                " error_text = excluded.error_text, updated = excluded.updated",
                (login, identity, digest, text, email, run_id, now),
            ),
            _event(now, login, identity, "order", OrderState.UNCERTAIN, text=text),
        )

    def record_status(self, login: str, identity: str, step: StatusStep, text: str = "") -> None:
        """Commit the state of an order's legacy-status step (``applying`` before the call)."""
        self._update(login, identity, "status", step, text)

    def record_undo(self, login: str, identity: str, step: UndoStep, text: str = "") -> None:
        """Commit the state of an order's undo step (``undoing`` before the call)."""
        self._update(login, identity, "undo", step, text)

    def _update(self, login: str, identity: str, step: str, state: str, text: str) -> None:
        login = account(login)
        now = _now()
        self._commit(
            (
                f"UPDATE orders SET {step}_state = ?, {step}_text = ?, updated = ?"
                " WHERE login = ? AND identity = ?",
                (state, text, now, login, identity),
            ),
            _event(now, login, identity, step, state, text=text),
        )


def _claim(login: str, bill_id: int, identity: str) -> Statement:
    """The statement recording that ``bill_id`` is ``identity``'s (bills are never taken back)."""
    return (
        "INSERT OR IGNORE INTO bills (login, bill_id, identity) VALUES (?, ?, ?)",
        (login, bill_id, identity),
    )


def _event(
    at: str,
    login: str,
    identity: str,
    step: str,
    state: str,
    bill_id: int | None = None,
    error_code: int | None = None,
    text: str = "",
) -> Statement:
    """The statement adding one state change to the history, with the run the order was last
    sent by (read in the same transaction, after the change before it)."""
    return (
        "INSERT INTO order_events (at, login, identity, run_id, step, state, bill_id,"
        " error_code, text) VALUES (?, ?, ?, coalesce((SELECT run_id FROM orders"
        " WHERE login = ? AND identity = ?), ''), ?, ?, ?, ?, ?)",
        (at, login, identity, login, identity, step, state, bill_id, error_code, text),
    )
