"""The journal's queries: what it knows of orders, bills and runs (``Journal`` adds the writes)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable

from justclick_import.sending.journal_records import (
    ENTRY_COLUMNS,
    JournalEntry,
    JournalEvent,
    RunRecord,
)

__all__ = ["JournalReads", "account"]


def account(login: str) -> str:
    """The journal's key for a shop: logins are subdomains, so case does not matter."""
    return login.strip().casefold()


class JournalReads:
    """Reading the journal; the connection and its lock are the ``Journal``'s."""

    _db: sqlite3.Connection
    _lock: threading.Lock

    # --- reading ----------------------------------------------------------------------------

    def entries(self, login: str, identities: Iterable[str]) -> dict[str, JournalEntry]:
        """The entries of ``identities`` under ``login`` that exist."""
        login = account(login)
        wanted = list(identities)
        found: dict[str, JournalEntry] = {}
        with self._lock:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT {ENTRY_COLUMNS} FROM orders WHERE login = ? AND identity IN ({marks})",
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
                (account(login), identity),
            ).fetchall()
        return [JournalEvent(*row) for row in rows]

    def created_by_run(self, run_id: str) -> list[tuple[str, JournalEntry]]:
        """(login, entry) of every order that run ``run_id`` created."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT login, {ENTRY_COLUMNS} FROM orders"
                " WHERE run_id = ? AND state = 'created' ORDER BY first_sent",
                (run_id,),
            ).fetchall()
        return [(row[0], JournalEntry(*row[1:])) for row in rows]

    def claimed_bill_ids(self, login: str) -> set[int]:
        """Bill ids the journal ever attributed to an order of ``login``."""
        with self._lock:
            rows = self._db.execute(
                "SELECT bill_id FROM bills WHERE login = ?", (account(login),)
            ).fetchall()
        return {int(row[0]) for row in rows}

    def same_content(self, login: str, digests: Iterable[str]) -> dict[str, JournalEntry]:
        """Orders of ``login`` created (or in doubt) whose content is one of ``digests``."""
        login = account(login)
        wanted = list(dict.fromkeys(digests))
        found: dict[str, JournalEntry] = {}
        with self._lock:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT {ENTRY_COLUMNS} FROM orders WHERE login = ? AND fingerprint IN"
                    f" ({marks}) AND state IN ('created', 'already_exists', 'sending',"
                    " 'uncertain') ORDER BY first_sent",
                    [login, *chunk],
                ).fetchall()
                for row in rows:
                    found.setdefault(row[1], JournalEntry(*row))
        return found

    def knows_login(self, login: str) -> bool:
        """True when any order was ever journaled for ``login``."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM orders WHERE login = ? LIMIT 1", (account(login),)
            ).fetchone()
        return row is not None

    def runs(self) -> list[RunRecord]:
        """Every run, newest first, with how many orders it created."""
        with self._lock:
            rows = self._db.execute(
                "SELECT r.run_id, r.login, r.import_name, r.source, r.target, r.started,"
                " r.finished, r.outcome, (SELECT count(*) FROM orders o WHERE o.run_id = r.run_id"
                " AND o.state = 'created') FROM runs r ORDER BY r.started DESC, r.rowid DESC"
            ).fetchall()
        return [RunRecord(*row) for row in rows]
