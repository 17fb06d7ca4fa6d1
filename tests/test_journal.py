"""The journal file itself: schema, upgrades of older files, runs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.sending.journal import Journal, JournalWriteError, open_journal
from justclick_import.sending.schema import SCHEMA_VERSION
from justclick_import.sending.states import OrderState, StatusStep, UndoStep

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


def test_a_new_journal_is_at_the_current_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Journal(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"orders", "bills", "runs", "order_events"} <= tables


def test_an_old_journal_is_migrated_once_keeping_its_orders_and_their_history(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    Journal(path).close()
    with Journal(path) as journal:  # opened twice: the migrations ran once
        history = journal.history("shop", "order:1")
        (entry,) = journal.entries("shop", ["order:1"]).values()
    assert [(e.step, e.state, e.bill_id) for e in history] == [("order", "created", 7)]
    assert entry.state == "created"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT bill_id FROM bills").fetchall() == [(7,)]


def test_states_outside_the_enums_are_refused_by_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with Journal(path) as journal:
        journal.mark_sending("shop", "order:1", "f", "a@b.ru", "run-a")
    with sqlite3.connect(path) as db:
        for column, value in (("state", "maybe"), ("status_state", "paid"), ("undo_state", "x")):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                db.execute(f"UPDATE orders SET {column} = ?", (value,))
    # ... and every state the code uses is allowed.
    with Journal(path) as journal:
        for state in OrderState:
            journal.record("shop", "order:1", state)
        for step in StatusStep:
            journal.record_status("shop", "order:1", step)
        for undo in UndoStep:
            journal.record_undo("shop", "order:1", undo)


def test_every_state_change_is_kept_in_an_append_only_history(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with Journal(path) as journal:
        journal.mark_sending("shop", "order:1", "f", "a@b.ru", "run-a")
        journal.record("shop", "order:1", OrderState.UNCERTAIN, error_text="no answer")
        journal.mark_sending("shop", "order:1", "f", "a@b.ru", "run-b")
        journal.record("shop", "order:1", OrderState.CREATED, bill_id=5)
        journal.record_status("shop", "order:1", StatusStep.APPLYING)
        journal.record_status("shop", "order:1", StatusStep.APPLIED)
        history = journal.history("SHOP", "order:1")  # logins compare case-insensitively
    assert [(e.run_id, e.step, e.state, e.bill_id, e.text) for e in history] == [
        ("run-a", "order", "sending", None, ""),
        ("run-a", "order", "uncertain", None, "no answer"),
        ("run-b", "order", "sending", None, ""),
        ("run-b", "order", "created", 5, ""),
        ("run-b", "status", "applying", None, ""),
        ("run-b", "status", "applied", None, ""),
    ]
    with sqlite3.connect(path) as db:
        for statement in ("UPDATE order_events SET state = 'created'", "DELETE FROM order_events"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(statement)


def test_a_journal_from_a_newer_version_is_refused_not_downgraded(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ConfigError) as raised:
        open_journal(path)
    assert raised.value.code is ErrorCode.JOURNAL_UNUSABLE
    assert "newer justclick-import" in str(raised.value)


def test_two_processes_opening_an_old_journal_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    code = (
        "import sys; from pathlib import Path;"
        " from justclick_import.sending.journal import Journal;"
        " Journal(Path(sys.argv[1])).close()"
    )
    children = [
        subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    for child in children:
        _, error = child.communicate(timeout=60)
        assert child.returncode == 0, error.decode()
    with Journal(path) as journal:
        assert len(journal.history("shop", "order:1")) == 1


def _in_another_connection(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT identity, state FROM orders").fetchall())


def _held_while_writers_queue(journal: Journal, writes: list[Any], queued: int) -> None:
    """Hold the file while ``writes`` start; let go once ``queued`` of them wait together."""
    threads = [threading.Thread(target=write) for write in writes]
    with journal._lock:  # the leader blocks on the file; the others queue behind it
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(journal._group._waiting) < queued:
            assert time.monotonic() < deadline, "the writers did not queue"
            time.sleep(0.001)
    for thread in threads:
        thread.join(30)


def test_writes_of_many_senders_share_one_commit_and_each_is_durable_when_it_returns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "j.sqlite"
    with Journal(path) as journal:
        before = journal.commits
        seen: dict[int, dict[str, str]] = {}

        def sender(i: int) -> Any:
            def send() -> None:
                journal.mark_sending("shop", f"order:{i}", "f", f"{i}@b.ru", "run")
                seen[i] = _in_another_connection(path)  # durable before the request would leave

            return send

        _held_while_writers_queue(journal, [sender(i) for i in range(8)], queued=7)
        assert journal.commits - before == 2  # the first alone, then the seven queued together
        assert all(seen[i][f"order:{i}"] == "sending" for i in range(8))
        assert len(journal.history("shop", "order:3")) == 1


def test_a_write_that_fails_in_a_shared_commit_fails_only_its_own_caller(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    failures: list[Exception] = []
    with Journal(path) as journal:
        for i in range(4):
            journal.mark_sending("shop", f"order:{i}", "f", "a@b.ru", "run")

        def record(i: int, state: str) -> Any:
            def write() -> None:
                try:
                    journal.record("shop", f"order:{i}", state, bill_id=100 + i)  # type: ignore[arg-type]
                except JournalWriteError as error:
                    failures.append(error)

            return write

        writes = [record(0, "created"), record(1, "created"), record(2, "no-such-state")]
        writes.append(record(3, "created"))
        _held_while_writers_queue(journal, writes, queued=3)
    assert len(failures) == 1 and "CHECK" in str(failures[0])
    assert _in_another_connection(path) == {
        "order:0": "created",
        "order:1": "created",
        "order:2": "sending",  # its outcome was refused, and the order stays in doubt
        "order:3": "created",
    }


def test_an_answer_recorded_without_waiting_goes_out_with_the_senders_next_sending(
    tmp_path: Path,
) -> None:
    path = tmp_path / "j.sqlite"
    with Journal(path) as journal:
        journal.mark_sending("shop", "order:1", "f", "a@b.ru", "run")
        journal.record("shop", "order:1", OrderState.CREATED, bill_id=7, wait=False)
        assert _in_another_connection(path) == {"order:1": "sending"}  # not yet durable
        before = journal.commits
        journal.mark_sending("shop", "order:2", "f", "b@b.ru", "run")  # before request 2 leaves
        assert journal.commits == before + 1  # one transaction for both
        assert _in_another_connection(path) == {"order:1": "created", "order:2": "sending"}
        journal.record("shop", "order:2", OrderState.FAILED, wait=False)
    # Closing commits what is still queued.
    assert _in_another_connection(path) == {"order:1": "created", "order:2": "failed"}


def test_a_queued_answer_that_cannot_be_committed_is_told_at_the_flush(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite") as journal:
        journal.mark_sending("shop", "order:1", "f", "a@b.ru", "run")
        journal.record("shop", "order:1", "no-such-state", wait=False)  # type: ignore[arg-type]
        with pytest.raises(JournalWriteError, match="CHECK"):
            journal.flush()
        journal.flush()  # told once
        assert journal.entries("shop", ["order:1"])["order:1"].state == "sending"  # in doubt
