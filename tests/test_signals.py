"""docker stop, systemd, CI and a closed terminal: SIGTERM and SIGHUP are the first Ctrl-C."""

from __future__ import annotations

import signal
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from justclick_import.sandbox import Sandbox
from tests.faulty import start_importer, wait_for, workbook_orders, write_orders

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_mid_run_awaits_the_answers_in_flight_and_writes_the_workbook(
    server: Sandbox, tmp_path: Path, number: int
) -> None:
    source = tmp_path / "migration.csv"
    write_orders(source, 60)
    journal = tmp_path / "journal.sqlite"
    server.set_latency(0.3)  # answers in flight when the signal comes
    process = start_importer(server, source, journal, "--concurrency", "4")
    wait_for(lambda: len(server.orders()) >= 6)
    process.send_signal(number)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert out.startswith("Interrupted. ")  # the headline says so
    reported = workbook_orders(tmp_path / "migration.results.xlsx")
    created = {key for key, (status, _) in reported.items() if status == "created"}
    assert created == {order.email for order in server.orders()}  # in-flight answers awaited
    assert {status for status, _ in reported.values()} == {"created", "not_sent"}
    with sqlite3.connect(journal) as db:
        states = Counter(state for (state,) in db.execute("SELECT state FROM orders"))
    assert states == {"created": len(created)}  # none left 'sending'


def test_a_second_signal_gives_up_on_the_answers_in_flight_and_says_they_are_in_doubt(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "migration.csv"
    write_orders(source, 20)
    journal = tmp_path / "journal.sqlite"
    process = start_importer(server, source, journal, "--concurrency", "2")
    wait_for(lambda: len(server.orders()) >= 2)
    server.slow_next(2, seconds=20.0)  # the next two are created, their answers very late
    wait_for(lambda: server.faults_served()["slow"] == 2)
    process.send_signal(signal.SIGTERM)
    time.sleep(0.5)  # two signals at once are one: the process sees a pending signal once
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    reported = workbook_orders(tmp_path / "migration.results.xlsx")
    in_doubt = {key for key, (status, _) in reported.items() if status == "uncertain"}
    assert len(in_doubt) == 2
    assert "in doubt:" in out
