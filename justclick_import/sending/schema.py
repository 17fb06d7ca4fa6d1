"""The journal's schema: numbered migrations, the version kept in ``PRAGMA user_version``.

A journal is brought up to date when it is opened, one migration per transaction, so a crash
mid-way leaves it at the last whole version. A migration is never edited once released: a later
change is a new migration. Journals written before versions were kept have ``user_version`` 0
and tables already in place: migration 1 adopts them as they are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "NewerJournal", "migrate"]


def _adopt_first_schema(db: sqlite3.Connection) -> None:
    """1: the tables of the first journals (kept as they are when already there)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS orders (login TEXT NOT NULL, identity TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL, state TEXT NOT NULL, bill_id INTEGER, error_code INTEGER,"
        " error_text TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,"
        " email TEXT NOT NULL DEFAULT '', run_id TEXT NOT NULL DEFAULT '', first_sent TEXT,"
        " updated TEXT, PRIMARY KEY (login, identity))"
    )
    # Journals older than the legacy-status and undo steps lack their columns.
    present = {row[1] for row in db.execute("PRAGMA table_info(orders)")}
    for name in ("status_state", "status_text", "undo_state", "undo_text"):
        if name not in present:
            db.execute(f"ALTER TABLE orders ADD COLUMN {name} TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX IF NOT EXISTS orders_by_run ON orders (run_id)")
    # Every bill ever attributed to an order: only added to, so a bill an order once had (even
    # one cancelled by undo) is never taken for another order's bill by reconcile.
    db.execute(
        "CREATE TABLE IF NOT EXISTS bills (login TEXT NOT NULL, bill_id INTEGER NOT NULL,"
        " identity TEXT NOT NULL, PRIMARY KEY (login, bill_id))"
    )
    db.execute(
        "INSERT OR IGNORE INTO bills (login, bill_id, identity)"
        " SELECT login, bill_id, identity FROM orders WHERE bill_id IS NOT NULL"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, login TEXT NOT NULL,"
        " import_name TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,"
        " started TEXT NOT NULL, finished TEXT, outcome TEXT)"
    )


_ORDER_STATES = "'sending', 'created', 'already_exists', 'failed', 'uncertain', 'undone'"
_STATUS_STEPS = "'', 'applying', 'applied', 'failed', 'uncertain'"
_UNDO_STEPS = "'', 'undoing', 'cancelled', 'deleted', 'failed'"


def _states_checked_and_history(db: sqlite3.Connection) -> None:
    """2: states limited by CHECK constraints; an append-only history of every state change."""
    db.execute(
        "CREATE TABLE orders_v2 (login TEXT NOT NULL, identity TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL,"
        f" state TEXT NOT NULL CHECK (state IN ({_ORDER_STATES})),"
        " bill_id INTEGER, error_code INTEGER, error_text TEXT NOT NULL DEFAULT '',"
        " attempts INTEGER NOT NULL DEFAULT 0, email TEXT NOT NULL DEFAULT '',"
        " run_id TEXT NOT NULL DEFAULT '', first_sent TEXT, updated TEXT,"
        f" status_state TEXT NOT NULL DEFAULT '' CHECK (status_state IN ({_STATUS_STEPS})),"
        " status_text TEXT NOT NULL DEFAULT '',"
        f" undo_state TEXT NOT NULL DEFAULT '' CHECK (undo_state IN ({_UNDO_STEPS})),"
        " undo_text TEXT NOT NULL DEFAULT '', PRIMARY KEY (login, identity))"
    )
    # A state this version does not know can only mean "we cannot tell": held as uncertain.
    db.execute(
        "INSERT INTO orders_v2 SELECT login, identity, fingerprint,"
        f" CASE WHEN state IN ({_ORDER_STATES}) THEN state ELSE 'uncertain' END,"
        " bill_id, error_code, error_text, attempts, email, run_id, first_sent, updated,"
        f" CASE WHEN status_state IN ({_STATUS_STEPS}) THEN status_state ELSE 'uncertain' END,"
        f" status_text, CASE WHEN undo_state IN ({_UNDO_STEPS}) THEN undo_state"
        " ELSE 'failed' END, undo_text FROM orders"
    )
    db.execute("DROP TABLE orders")
    db.execute("ALTER TABLE orders_v2 RENAME TO orders")
    db.execute("CREATE INDEX orders_by_run ON orders (run_id)")
    db.execute(
        "CREATE TABLE order_events (id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
        " login TEXT NOT NULL, identity TEXT NOT NULL, run_id TEXT NOT NULL DEFAULT '',"
        " step TEXT NOT NULL CHECK (step IN ('order', 'status', 'undo')),"
        " state TEXT NOT NULL, bill_id INTEGER, error_code INTEGER,"
        " text TEXT NOT NULL DEFAULT '')"
    )
    db.execute("CREATE INDEX order_events_by_order ON order_events (login, identity, id)")
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER order_events_no_{action.lower()} BEFORE {action} ON order_events"
            " BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END"
        )
    # What the journal knew before it kept a history: one event per order, as it stood.
    db.execute(
        "INSERT INTO order_events (at, login, identity, run_id, step, state, bill_id,"
        " error_code, text) SELECT coalesce(updated, first_sent, ''), login, identity, run_id,"
        " 'order', state, bill_id, error_code, 'as recorded before the history was kept'"
        " FROM orders"
    )


def _last_attempt_and_content(db: sqlite3.Connection) -> None:
    """3: when each order's latest request left; orders found by their content."""
    db.execute("ALTER TABLE orders ADD COLUMN last_sent TEXT")
    # Before it was kept, the latest change is the latest the request can have left.
    db.execute("UPDATE orders SET last_sent = coalesce(updated, first_sent)")
    db.execute("CREATE INDEX orders_by_content ON orders (login, fingerprint)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _adopt_first_schema,
    _states_checked_and_history,
    _last_attempt_and_content,
)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerJournal(Exception):
    """The journal was written by a newer version of the importer."""


def migrate(db: sqlite3.Connection) -> int:
    """Bring ``db`` (autocommit mode) up to ``SCHEMA_VERSION``; return the version it had.

    The version is read again inside each migration's transaction, so two processes opening
    one old journal at once never run a migration twice. Raises ``NewerJournal`` for a journal
    of a later version (it is never downgraded).
    """
    first: int | None = None
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            found = int(db.execute("PRAGMA user_version").fetchone()[0])
            first = found if first is None else first
            if found > SCHEMA_VERSION:
                raise NewerJournal(
                    f"schema version {found}; this importer knows up to {SCHEMA_VERSION}"
                )
            if found == SCHEMA_VERSION:
                db.execute("COMMIT")
                return first
            MIGRATIONS[found](db)
            db.execute(f"PRAGMA user_version = {found + 1}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
