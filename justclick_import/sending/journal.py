"""The crash-safe journal: what was sent for which order, so no order is ever created twice.

A SQLite file in WAL mode, one committed transaction per state change. ``sending`` is committed
before a request leaves and the outcome when its answer arrives, so after a crash an order is
either known (created, failed, ...) or known to be in doubt (``sending``: its answer never came).
Every change is also added to ``order_events``, which is never updated or deleted, so what
happened to an order can always be read back (``history``). The schema and its migrations are
in ``schema``; the identity of an order in ``identity``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.sending.schema import NewerJournal, migrate
from justclick_import.sending.states import OrderState, StatusStep, UndoStep

__all__ = [
    "JOURNAL_ENV",
    "Journal",
    "JournalEntry",
    "JournalEvent",
    "RunRecord",
    "default_journal_path",
    "open_journal",
]

JOURNAL_ENV = "JUSTCLICK_JOURNAL"

_ENTRY_COLUMNS = (
    "identity, fingerprint, state, bill_id, error_code, error_text, attempts, run_id, email,"
    " first_sent, status_state, undo_state"
)


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
        raise ConfigError(
            ErrorCode.JOURNAL_UNUSABLE,
            f"cannot open the journal {path}: {error}; use another journal file",
        ) from None


def _account(login: str) -> str:
    """The journal's key for a shop: logins are subdomains, so case does not matter."""
    return login.strip().casefold()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class JournalEntry:
    """What the journal knows of one order."""

    identity: str
    fingerprint: str
    state: str
    bill_id: int | None
    error_code: int | None
    error_text: str
    attempts: int
    run_id: str
    email: str
    first_sent: str
    status_state: str
    undo_state: str


@dataclass(frozen=True)
class JournalEvent:
    """One state change of one order, as it was committed."""

    at: str
    run_id: str
    step: str  # "order", "status" or "undo"
    state: str
    bill_id: int | None
    error_code: int | None
    text: str


@dataclass(frozen=True)
class RunRecord:
    """One run as the journal remembers it."""

    run_id: str
    login: str
    import_name: str
    source: str
    target: str
    started: str
    finished: str | None
    outcome: str | None
    created: int


class Journal:
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

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------------

    def entries(self, login: str, identities: Iterable[str]) -> dict[str, JournalEntry]:
        """The entries of ``identities`` under ``login`` that exist."""
        login = _account(login)
        wanted = list(identities)
        found: dict[str, JournalEntry] = {}
        with self._lock:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT {_ENTRY_COLUMNS} FROM orders"
                    f" WHERE login = ? AND identity IN ({marks})",
                    [login, *chunk],
                ).fetchall()
                for row in rows:
                    found[row[0]] = JournalEntry(*row)
        return found

    def history(self, login: str, identity: str) -> list[JournalEvent]:
        """Every state change of one order, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT at, run_id, step, state, bill_id, error_code, text FROM order_events"
                " WHERE login = ? AND identity = ? ORDER BY id",
                (_account(login), identity),
            ).fetchall()
        return [JournalEvent(*row) for row in rows]

    def created_by_run(self, run_id: str) -> list[tuple[str, JournalEntry]]:
        """(login, entry) of every order that run ``run_id`` created."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT login, {_ENTRY_COLUMNS} FROM orders"
                " WHERE run_id = ? AND state = 'created' ORDER BY first_sent",
                (run_id,),
            ).fetchall()
        return [(row[0], JournalEntry(*row[1:])) for row in rows]

    def claimed_bill_ids(self, login: str) -> set[int]:
        """Bill ids the journal ever attributed to an order of ``login``."""
        with self._lock:
            rows = self._db.execute(
                "SELECT bill_id FROM bills WHERE login = ?", (_account(login),)
            ).fetchall()
        return {int(row[0]) for row in rows}

    def runs(self) -> list[RunRecord]:
        """Every run, newest first, with how many orders it created."""
        with self._lock:
            rows = self._db.execute(
                "SELECT r.run_id, r.login, r.import_name, r.source, r.target, r.started,"
                " r.finished, r.outcome, (SELECT count(*) FROM orders o WHERE o.run_id = r.run_id"
                " AND o.state = 'created') FROM runs r ORDER BY r.started DESC, r.rowid DESC"
            ).fetchall()
        return [RunRecord(*row) for row in rows]

    # --- runs ----------------------------------------------------------------------------------

    def begin_run(
        self, run_id: str, login: str, import_name: str, source: str, target: str
    ) -> None:
        """Record that a run started."""
        with self._lock:
            self._db.execute(
                "INSERT INTO runs (run_id, login, import_name, source, target, started)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, _account(login), import_name, source, target, _now()),
            )

    def finish_run(self, run_id: str, outcome: str) -> None:
        """Record how a run ended."""
        with self._lock:
            self._db.execute(
                "UPDATE runs SET finished = ?, outcome = ? WHERE run_id = ?",
                (_now(), outcome, run_id),
            )

    # --- state changes: each one transaction, with its event ---------------------------------

    def mark_sending(self, login: str, identity: str, digest: str, email: str, run_id: str) -> None:
        """Commit ``sending`` for an order: called right before its request leaves."""
        login = _account(login)
        now = _now()  # first_sent keeps the first attempt: any attempt may have created it
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO orders (login, identity, fingerprint, state, email, run_id, attempts,"
                " first_sent, updated) VALUES (?, ?, ?, 'sending', ?, ?, 1, ?, ?)"
                " ON CONFLICT (login, identity) DO UPDATE SET fingerprint = excluded.fingerprint,"
                " state = 'sending', email = excluded.email, run_id = excluded.run_id,"
                " attempts = attempts + 1, bill_id = NULL, error_code = NULL, error_text = '',"
                " status_state = '', status_text = '', undo_state = '', undo_text = '',"
                " first_sent = CASE WHEN state IN ('sending', 'uncertain') THEN first_sent"
                " ELSE excluded.first_sent END, updated = excluded.updated",
                (login, identity, digest, email, run_id, now, now),
            )
            self._event(now, login, identity, "order", OrderState.SENDING, run_id=run_id)

    def record(
        self,
        login: str,
        identity: str,
        state: OrderState,
        *,
        bill_id: int | None = None,
        error_code: int | None = None,
        error_text: str = "",
    ) -> None:
        """Commit the outcome of an order's latest request (or what reconcile or undo found)."""
        login = _account(login)
        now = _now()
        with self._lock, self._db:  # one transaction: the outcome and the bill it claims
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "UPDATE orders SET state = ?, bill_id = ?, error_code = ?, error_text = ?,"
                " updated = ? WHERE login = ? AND identity = ?",
                (state, bill_id, error_code, error_text, now, login, identity),
            )
            if bill_id is not None:
                self._db.execute(
                    "INSERT OR IGNORE INTO bills (login, bill_id, identity) VALUES (?, ?, ?)",
                    (login, bill_id, identity),
                )
            self._event(now, login, identity, "order", state, bill_id, error_code, error_text)

    def record_status(self, login: str, identity: str, step: StatusStep, text: str = "") -> None:
        """Commit the state of an order's legacy-status step (``applying`` before the call)."""
        self._update(login, identity, "status", step, text)

    def record_undo(self, login: str, identity: str, step: UndoStep, text: str = "") -> None:
        """Commit the state of an order's undo step (``undoing`` before the call)."""
        self._update(login, identity, "undo", step, text)

    def _update(self, login: str, identity: str, step: str, state: str, text: str) -> None:
        login = _account(login)
        now = _now()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                f"UPDATE orders SET {step}_state = ?, {step}_text = ?, updated = ?"
                " WHERE login = ? AND identity = ?",
                (state, text, now, login, identity),
            )
            self._event(now, login, identity, step, state, text=text)

    def _event(
        self,
        at: str,
        login: str,
        identity: str,
        step: str,
        state: str,
        bill_id: int | None = None,
        error_code: int | None = None,
        text: str = "",
        *,
        run_id: str | None = None,
    ) -> None:
        """Add one state change to the history (inside the caller's transaction)."""
        if run_id is None:  # the run the order was last sent by
            found = self._db.execute(
                "SELECT run_id FROM orders WHERE login = ? AND identity = ?", (login, identity)
            ).fetchone()
            run_id = found[0] if found else ""
        self._db.execute(
            "INSERT INTO order_events (at, login, identity, run_id, step, state, bill_id,"
            " error_code, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (at, login, identity, run_id, step, state, bill_id, error_code, text),
        )
