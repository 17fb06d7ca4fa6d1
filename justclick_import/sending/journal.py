"""The crash-safe journal: what was sent for which order, so no order is ever created twice.

A SQLite file in WAL mode, one committed transaction per state change. ``sending`` is committed
before a request leaves and the outcome when its answer arrives, so after a crash an order is
either known (created, failed, ...) or known to be in doubt (``sending``: its answer never came).

Identity of an order (README, "Running again"): its order number when the file has one (unique
for the shop's login, whichever file it came from); otherwise the customer's e-mail within one
import, an import being named after its input file (``orders.xlsx`` -> ``orders``). A results
workbook records its import's name, so importing it again, or a renamed fixed copy of it, is
the same import.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from justclick_import.api.signing import http_build_query
from justclick_import.errors import ConfigError
from justclick_import.models import Order

__all__ = [
    "Journal",
    "JournalBusy",
    "JournalEntry",
    "RunRecord",
    "default_journal_path",
    "fingerprint",
    "import_name",
    "order_identity",
    "sending_lock",
]

JOURNAL_ENV = "JUSTCLICK_JOURNAL"

SENDING, CREATED, ALREADY_EXISTS, FAILED, UNCERTAIN = (
    "sending",
    "created",
    "already_exists",
    "failed",
    "uncertain",
)
DONE_STATES = (CREATED, ALREADY_EXISTS)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    login       TEXT NOT NULL,
    identity    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state       TEXT NOT NULL,
    bill_id     INTEGER,
    error_code  INTEGER,
    error_text  TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    email       TEXT NOT NULL DEFAULT '',
    run_id      TEXT NOT NULL DEFAULT '',
    first_sent  TEXT,
    updated     TEXT,
    status_state TEXT NOT NULL DEFAULT '',  -- legacy status step: '', applying, applied, failed
    status_text  TEXT NOT NULL DEFAULT '',
    undo_state   TEXT NOT NULL DEFAULT '',  -- undo step: '', undoing, cancelled, deleted, failed
    undo_text    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (login, identity)
);
CREATE INDEX IF NOT EXISTS orders_by_run ON orders (run_id);
-- Every bill ever attributed to an order: only added to, so a bill an order once had (even
-- one cancelled by undo) is never taken for another order's bill by reconcile.
CREATE TABLE IF NOT EXISTS bills (
    login    TEXT NOT NULL,
    bill_id  INTEGER NOT NULL,
    identity TEXT NOT NULL,
    PRIMARY KEY (login, bill_id)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id      TEXT PRIMARY KEY,
    login       TEXT NOT NULL,
    import_name TEXT NOT NULL,
    source      TEXT NOT NULL,
    target      TEXT NOT NULL,
    started     TEXT NOT NULL,
    finished    TEXT,
    outcome     TEXT
);
"""


# Columns added after the first schema, for journals that predate them.
_LATER_COLUMNS = {
    "status_state": "TEXT NOT NULL DEFAULT ''",
    "status_text": "TEXT NOT NULL DEFAULT ''",
    "undo_state": "TEXT NOT NULL DEFAULT ''",
    "undo_text": "TEXT NOT NULL DEFAULT ''",
}

_ENTRY_COLUMNS = (
    "identity, fingerprint, state, bill_id, error_code, error_text, attempts, run_id, email,"
    " first_sent, status_state, undo_state"
)


class JournalBusy(ConfigError):
    """Another process is sending with this journal right now."""


@contextlib.contextmanager
def sending_lock(path: Path) -> Iterator[None]:
    """Hold the journal for one sending process: two at once could both send an order.

    An advisory lock on ``<journal>.lock`` (``flock``), released when the process ends, even by
    kill -9. Where ``fcntl`` does not exist (Windows) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JournalBusy(
                f"another justclick-import is sending with the journal {path}: let it finish "
                "(two at once could create an order twice), or pass another --journal"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def default_journal_path() -> Path:
    """``$JUSTCLICK_JOURNAL``, else the user's state folder (one journal for every import)."""
    configured = os.environ.get(JOURNAL_ENV)
    if configured:
        return Path(configured).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "justclick-import" / "journal.sqlite"


def order_identity(order: Order, import_name: str) -> str:
    """The journal key of ``order`` (see the module's docstring)."""
    if order.order_id:
        return f"order:{order.order_id}"
    return f"import:{import_name}:email:{order.email.casefold()}"


def fingerprint(order: Order) -> str:
    """A digest of what would be sent for ``order``, to notice a changed order."""
    return hashlib.sha256(http_build_query(order.params()).encode()).hexdigest()[:32]


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


class Journal:
    """The journal file, safe to use from several sender threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a committed state survives a power cut
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.executescript(_SCHEMA)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Bring a journal written by an older version up to this schema (columns only add)."""
        present = {row[1] for row in self._db.execute("PRAGMA table_info(orders)")}
        for name, declaration in _LATER_COLUMNS.items():
            if name not in present:
                self._db.execute(f"ALTER TABLE orders ADD COLUMN {name} {declaration}")
        self._db.execute(  # bills known before the bills table existed
            "INSERT OR IGNORE INTO bills (login, bill_id, identity)"
            " SELECT login, bill_id, identity FROM orders WHERE bill_id IS NOT NULL"
        )

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def begin_run(
        self, run_id: str, login: str, import_name: str, source: str, target: str
    ) -> None:
        """Record that a run started."""
        login = _account(login)
        with self._lock:
            self._db.execute(
                "INSERT INTO runs (run_id, login, import_name, source, target, started)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, login, import_name, source, target, _now()),
            )

    def finish_run(self, run_id: str, outcome: str) -> None:
        """Record how a run ended."""
        with self._lock:
            self._db.execute(
                "UPDATE runs SET finished = ?, outcome = ? WHERE run_id = ?",
                (_now(), outcome, run_id),
            )

    def mark_sending(self, login: str, identity: str, digest: str, email: str, run_id: str) -> None:
        """Commit ``sending`` for an order: called right before its request leaves."""
        login = _account(login)
        now = _now()  # first_sent keeps the first attempt: any attempt may have created it
        with self._lock:
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

    def record(
        self,
        login: str,
        identity: str,
        state: str,
        *,
        bill_id: int | None = None,
        error_code: int | None = None,
        error_text: str = "",
    ) -> None:
        """Commit the outcome of an order's latest request."""
        login = _account(login)
        with self._lock, self._db:  # one transaction: the outcome and the bill it claims
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "UPDATE orders SET state = ?, bill_id = ?, error_code = ?, error_text = ?,"
                " updated = ? WHERE login = ? AND identity = ?",
                (state, bill_id, error_code, error_text, _now(), login, identity),
            )
            if bill_id is not None:
                self._db.execute(
                    "INSERT OR IGNORE INTO bills (login, bill_id, identity) VALUES (?, ?, ?)",
                    (login, bill_id, identity),
                )

    def record_status(self, login: str, identity: str, state: str, text: str = "") -> None:
        """Commit the state of an order's legacy-status step (``applying`` before the call)."""
        self._update(login, identity, "status_state = ?, status_text = ?", state, text)

    def record_undo(self, login: str, identity: str, state: str, text: str = "") -> None:
        """Commit the state of an order's undo step (``undoing`` before the call)."""
        self._update(login, identity, "undo_state = ?, undo_text = ?", state, text)

    def _update(self, login: str, identity: str, assignments: str, *values: object) -> None:
        login = _account(login)
        with self._lock:
            self._db.execute(
                f"UPDATE orders SET {assignments}, updated = ? WHERE login = ? AND identity = ?",
                (*values, _now(), login, identity),
            )

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
        login = _account(login)
        with self._lock:
            rows = self._db.execute(
                "SELECT bill_id FROM bills WHERE login = ?", (login,)
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


def import_name(source: Path) -> str:
    """The import ``source`` belongs to: recorded in a results workbook, else the file's stem."""
    recorded = _recorded_import_name(source) if source.suffix.lower() == ".xlsx" else ""
    return recorded or source.stem


def _recorded_import_name(source: Path) -> str:
    from python_calamine import CalamineWorkbook

    from justclick_import.report.workbook import IMPORT_NAME_ITEM

    try:
        workbook = CalamineWorkbook.from_path(str(source))
        if "Summary" not in workbook.sheet_names:
            return ""
        for row in workbook.get_sheet_by_name("Summary").to_python():
            if len(row) >= 2 and row[0] == IMPORT_NAME_ITEM and isinstance(row[1], str):
                return row[1].strip()
    except Exception:  # an unreadable workbook is reported by the reader, not here
        return ""
    return ""
