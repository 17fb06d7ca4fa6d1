"""A real importer process killed or interrupted mid-run, then run again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from justclick_import.sandbox import Sandbox

ORDERS = 60


def write_orders(path: Path) -> list[str]:
    emails = [f"customer{i:03d}@example.ru" for i in range(ORDERS)]
    lines = ["bill_email,bill_first_name,good_name,good_sum"]
    for i, email in enumerate(emails):
        lines.append(f"{email},Клиент {i},kurs_python,{1000 + i}")
        if i % 3 == 0:
            lines.append(f"{email},,ebook_excel,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return emails


def start_importer(server: Sandbox, source: Path, journal: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUSTCLICK_")}
    env["JUSTCLICK_SECRET"] = server.secret
    argv = [sys.executable, "-m", "justclick_import", "run", str(source), "--api-url", server.url]
    argv += ["--login", server.login, "--journal", str(journal), "--rate", "0"]
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def wait_for_orders(server: Sandbox, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while len(server.orders()) < count:
        assert time.monotonic() < deadline, "the importer created nothing in time"
        time.sleep(0.02)


def workbook_orders(path: Path) -> dict[str, tuple[str, int | None]]:
    sheet = load_workbook(path, read_only=True)["Orders"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    key, status, bill = (header.index(name) for name in ("order_key", "status", "bill_id"))
    return {row[key]: (row[status], row[bill]) for row in rows[1:]}


def test_kill_9_mid_run_then_the_same_command_never_doubles_an_order(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "migration.csv"
    emails = write_orders(source)
    journal = tmp_path / "journal.sqlite"
    server.set_latency(0.1)
    process = start_importer(server, source, journal)
    wait_for_orders(server, 10)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert len(server.orders()) < ORDERS  # it really was cut short

    server.set_latency(0.0)
    again = start_importer(server, source, journal)
    _, err = again.communicate(timeout=120)
    assert again.returncode in (0, 1), err

    per_email = Counter(order.email for order in server.orders())
    assert max(per_email.values()) == 1  # never twice
    bill_of = {order.email: order.bill_id for order in server.orders()}
    reported = workbook_orders(tmp_path / "migration.results.xlsx")
    assert sorted(reported) == sorted(emails)
    for email, (status, bill_id) in reported.items():
        if status in ("created", "skipped"):
            assert bill_of[email] == bill_id
        else:  # killed between sending and the answer: it may exist, and says so
            assert status == "in doubt", (email, status)
    assert all(email in bill_of or reported[email][0] == "in doubt" for email in emails)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_mid_run_exits_130_with_the_workbook_and_a_consistent_journal(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "migration.csv"
    write_orders(source)
    journal = tmp_path / "journal.sqlite"
    server.set_latency(0.1)
    process = start_importer(server, source, journal)
    wait_for_orders(server, 8)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert out.startswith("Interrupted. ")
    reported = workbook_orders(tmp_path / "migration.results.xlsx")
    created = {email for email, (status, _) in reported.items() if status == "created"}
    assert created == {order.email for order in server.orders()}  # in-flight answers awaited
    assert {status for status, _ in reported.values()} == {"created", "not sent"}
    with sqlite3.connect(journal) as db:
        states = Counter(state for (state,) in db.execute("SELECT state FROM orders"))
    assert states == {"created": len(created)}
