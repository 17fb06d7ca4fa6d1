"""The journal file itself: schema, upgrades of older files, runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from justclick_import.sending.journal import Journal

OLD_SCHEMA = """
CREATE TABLE orders (
    login TEXT NOT NULL, identity TEXT NOT NULL, fingerprint TEXT NOT NULL, state TEXT NOT NULL,
    bill_id INTEGER, error_code INTEGER, error_text TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0, email TEXT NOT NULL DEFAULT '',
    run_id TEXT NOT NULL DEFAULT '', first_sent TEXT, updated TEXT,
    PRIMARY KEY (login, identity));
INSERT INTO orders (login, identity, fingerprint, state, bill_id, email, run_id)
    VALUES ('shop', 'order:1', 'f', 'created', 7, 'a@b.ru', 'r1');
"""


def test_a_journal_from_before_the_status_columns_is_upgraded_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    with Journal(path) as journal:
        (entry,) = journal.entries("shop", ["order:1"]).values()
        assert (entry.state, entry.bill_id, entry.status_state, entry.undo_state) == (
            "created",
            7,
            "",
            "",
        )
        journal.record_status("shop", "order:1", "applied")
        assert journal.entries("shop", ["order:1"])["order:1"].status_state == "applied"


def test_runs_are_listed_newest_first_with_what_they_created(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite") as journal:
        journal.begin_run("run-a", "shop", "orders", "orders.csv", "sandbox")
        journal.mark_sending("shop", "order:1", "f", "a@b.ru", "run-a")
        journal.record("shop", "order:1", "created", bill_id=5)
        journal.begin_run("run-b", "shop", "orders", "orders.csv", "sandbox")
        journal.finish_run("run-b", "ok")
        runs = journal.runs()
    assert [(r.run_id, r.created, r.outcome) for r in runs] == [
        ("run-b", 0, "ok"),
        ("run-a", 1, None),
    ]
