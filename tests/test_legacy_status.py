"""Legacy order status: created orders marked as the old shop had them, once, and only if asked."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from justclick_import import ImportConfig, SendOptions, prepare, run_import
from justclick_import.api.answers import Answer, CallError
from justclick_import.api.client import JustClickClient
from justclick_import.api.secret import Secret
from justclick_import.cli.main import main
from justclick_import.models import ExitStatus, OrderStatus
from justclick_import.rows.statuses import parse_status
from justclick_import.sandbox import Sandbox


@pytest.fixture
def legacy_csv(samples: Path, tmp_path: Path) -> Path:
    source = tmp_path / "legacy.csv"
    shutil.copy(samples / "legacy-statuses.csv", source)
    return source


def config(server: Sandbox, source: Path, **send: object) -> ImportConfig:
    return ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        timezone="Europe/Moscow",
        send=SendOptions(rate=None, **send),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "status"),
    [("Оплачен", "paid"), ("ОТПРАВЛЕН", "sent"), ("Отменён", "cancel"), ("cancelled", "cancel"),
     ("Возврат", "return"), ("Новый", ""), ("pending", "")],
)  # fmt: skip
def test_status_words_in_english_and_russian(text: str, status: str) -> None:
    assert parse_status(text) == (status, "")


def test_an_unknown_status_is_a_warning_and_a_shipment_without_tracking_an_error(
    tmp_path: Path,
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "order_id,bill_email,good_name,order_status,tracking_number\n"
        "1,a@example.ru,kurs_python,Потерян,\n"
        "2,b@example.ru,kurs_python,sent,\n",
        encoding="utf-8",
    )
    prepared = prepare(ImportConfig(input=source))
    assert [(p.row, p.column, p.code) for p in prepared.problems] == [
        (2, "order_status", "unknown-status"),
        (3, "tracking_number", "missing-tracking"),
    ]
    first, second = prepared.orders
    assert first.is_valid and not first.customer.get("order_status")  # created, no status
    assert not second.is_valid


def test_statuses_are_applied_only_with_apply_status(server: Sandbox, legacy_csv: Path) -> None:
    result = run_import(config(server, legacy_csv))
    assert {o.status for o in server.orders()} == {"waiting"}
    assert all(o.status_history == () for o in server.orders())
    assert {r.status_step for r in result.results} == {""}


def test_each_order_gets_its_status_date_and_tracking_number(
    server: Sandbox, legacy_csv: Path
) -> None:
    result = run_import(config(server, legacy_csv, apply_status=True))
    assert result.exit_status() is ExitStatus.OK
    by_email = {o.email: o for o in server.orders()}
    paid = by_email["ivan@example.ru"].status_history
    moscow_15_march = int(datetime.fromisoformat("2024-03-15T00:00:00+03:00").timestamp())
    assert [(s.status, s.date, s.rpo) for s in paid] == [("paid", moscow_15_march, "")]
    (sent,) = by_email["maria@example.ru"].status_history
    assert (sent.status, sent.rpo) == ("sent", "RA123456789RU")
    assert sent.date == int(datetime.fromisoformat("2024-03-20T12:30:00+03:00").timestamp())
    assert [s.status for s in by_email["oleg@example.ru"].status_history] == ["cancel"]
    assert by_email["anna@example.ru"].status_history == ()  # "Новый": nothing to apply
    assert [s.status for s in by_email["pavel@example.ru"].status_history] == ["return"]
    steps = {r.order.key: r.status_step for r in result.results}
    assert steps == {"L-1001": "applied", "L-1002": "applied", "L-1003": "applied",
                     "L-1004": "", "L-1005": "applied"}  # fmt: skip


def test_a_rerun_finishes_a_half_done_order_without_creating_it_again(
    server: Sandbox, legacy_csv: Path
) -> None:
    run_import(config(server, legacy_csv))  # created, statuses not asked for
    again = run_import(config(server, legacy_csv, apply_status=True))
    assert len(server.orders()) == 5
    assert {r.status for r in again.results} == {OrderStatus.SKIPPED}
    marks = {"ivan@example.ru": 1, "maria@example.ru": 1, "oleg@example.ru": 1,
             "anna@example.ru": 0, "pavel@example.ru": 1}  # fmt: skip
    assert {o.email: len(o.status_history) for o in server.orders()} == marks
    third = run_import(config(server, legacy_csv, apply_status=True))
    assert {o.email: len(o.status_history) for o in server.orders()} == marks  # applied once
    assert {r.status_step for r in third.results} == {""}


def test_a_status_whose_answer_was_lost_is_not_applied_twice(
    server: Sandbox, legacy_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_update = JustClickClient.update_status

    def answer_lost(self: JustClickClient, *args: Any, **kwargs: Any) -> Answer:
        real_update(self, *args, **kwargs)  # it reaches JustClick and is applied ...
        raise CallError("UpdateOrderStatus: no answer (ReadTimeout)")  # ... the answer is lost

    monkeypatch.setattr(JustClickClient, "update_status", answer_lost)
    first = run_import(config(server, legacy_csv, apply_status=True))
    assert {r.status_step for r in first.results} == {"uncertain", ""}
    assert first.exit_status() is ExitStatus.SOME_FAILED
    monkeypatch.setattr(JustClickClient, "update_status", real_update)

    second = run_import(config(server, legacy_csv, apply_status=True))
    by_email = {o.email: o for o in server.orders()}
    # paid and cancel show in the order: found, not applied again
    assert [s.status for s in by_email["ivan@example.ru"].status_history] == ["paid"]
    assert [s.status for s in by_email["oleg@example.ru"].status_history] == ["cancel"]
    ivan = next(r for r in second.results if r.order.key == "L-1001")
    assert ivan.status_note == "status paid (applied by an earlier run)"
    assert second.exit_status() is ExitStatus.OK


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (
            "en",
            "legacy status: 1 cancel, 1 paid, 1 return, 1 sent (applied only with --apply-status)",
        ),
        (
            "ru",
            "статусы из старого магазина — cancel: 1, paid: 1, return: 1, sent: 1 "
            "(применяются только с --apply-status)",
        ),
    ],
)
def test_the_dry_run_counts_what_each_status_would_touch(
    legacy_csv: Path, language: str, line: str
) -> None:
    args = ["run", str(legacy_csv), "--dry-run", "--quiet", "--lang", language]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitStatus.OK, result.output
    assert line in result.output.splitlines()


_STATUS_TABLES = {
    "en": (
        "statuses (word, orders, what happens):\n"
        "  Оплачен    1  created, then marked paid (with --apply-status)\n"
        "  Отправлен  1  created, then marked sent (with --apply-status)\n"
        "  Отменён    1  created, then marked cancel (with --apply-status)\n"
        "  Новый      1  created, no legacy status\n"
        "  Возврат    1  created, then marked return (with --apply-status)\n"
        "  Потерян    1  created, no legacy status (unknown word; --skip-status 'Потерян' if "
        "never sales)\n"
    ),
    "ru": (
        "статусы (слово, заказов, что с ними будет):\n"
        "  Оплачен    1  создаются, затем получают статус paid (с --apply-status)\n"
        "  Отправлен  1  создаются, затем получают статус sent (с --apply-status)\n"
        "  Отменён    1  создаются, затем получают статус cancel (с --apply-status)\n"
        "  Новый      1  создаются, без статуса из старого магазина\n"
        "  Возврат    1  создаются, затем получают статус return (с --apply-status)\n"
        "  Потерян    1  создаются, без статуса из старого магазина (незнакомое слово; "
        "--skip-status 'Потерян', если это не продажи)\n"
    ),
}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_dry_runs_status_table_is_in_the_runs_language(legacy_csv: Path, language: str) -> None:
    with legacy_csv.open("a", encoding="utf-8") as stream:
        stream.write("L-1006,lost@example.ru,Лев,Орлов,,,,kurs_python,14900,Потерян,,\n")
    args = ["run", str(legacy_csv), "--dry-run", "--quiet", "--lang", language]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitStatus.OK, result.output
    assert _STATUS_TABLES[language] in result.output


def test_check_keeps_its_status_table_english(legacy_csv: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(legacy_csv)], env={"LC_MESSAGES": "ru_RU"})
    assert "statuses (word, orders, what happens):" in result.output


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "legacy status: 1 cancel, 1 paid, 1 return, 1 sent (4 applied)"),
        (
            "ru",
            "статусы из старого магазина — cancel: 1, paid: 1, return: 1, sent: 1 (применены: 4)",
        ),
    ],
)
def test_the_summary_counts_the_statuses_applied_in_the_runs_language(
    server: Sandbox, legacy_csv: Path, language: str, line: str
) -> None:
    args = ["run", str(legacy_csv), "--api-url", server.url, "--login", server.login]
    args += ["--apply-status", "--rate", "0", "--quiet", "--lang", language]
    result = CliRunner().invoke(main, args, env={"JUSTCLICK_SECRET": server.secret})
    assert result.exit_code == ExitStatus.OK, result.output
    assert line in result.output.splitlines()


def test_no_auto_cancel_sends_timer_kill_false(server: Sandbox, legacy_csv: Path) -> None:
    run_import(replace(config(server, legacy_csv), no_auto_cancel=True))
    assert {o.params["bill_timer_kill"] for o in server.orders()} == {"0"}


def test_kill_9_between_creation_and_status_then_rerun_applies_each_status_once(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "many.csv"
    lines = ["order_id,bill_email,good_name,order_status"]
    lines += [f"M-{i},c{i}@example.ru,kurs_python,paid" for i in range(40)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    journal = tmp_path / "journal.sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUSTCLICK_")}
    env["JUSTCLICK_SECRET"] = server.secret
    argv = [sys.executable, "-m", "justclick_import", "run", str(source), "--api-url", server.url,
            "--login", server.login, "--journal", str(journal), "--rate", "0", "--apply-status",
            "--quiet"]  # fmt: skip
    server.set_latency(0.05)
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while sum(1 for o in server.orders() if o.status_history) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    with sqlite3.connect(journal) as db:  # the kill left work undone: unmarked or unsent
        half_done = db.execute(
            "SELECT count(*) FROM orders WHERE state = 'created' AND status_state != 'applied'"
        ).fetchone()[0]
        unsent = 40 - db.execute("SELECT count(*) FROM orders").fetchone()[0]
    assert half_done + unsent > 0
    server.set_latency(0.0)
    # An order killed in flight and never created is resent at once (the server is gone
    # with the process's connection: no late creation to wait for).
    again = [*argv, "--resend-uncertain", "--resend-delay", "0"]
    done = subprocess.run(again, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    emails = [o.email for o in server.orders()]
    assert sorted(emails) == sorted(f"c{i}@example.ru" for i in range(40))  # none twice
    assert all([s.status for s in o.status_history] == ["paid"] for o in server.orders())


def test_a_wrong_secret_stops_a_run_of_status_steps_after_the_first(
    server: Sandbox, legacy_csv: Path
) -> None:
    run_import(config(server, legacy_csv))  # created; statuses left to do
    wrong = replace(config(server, legacy_csv, apply_status=True), secret=Secret("wrong"))
    result = run_import(wrong)
    assert result.exit_status() is ExitStatus.STOPPED
    assert "check the login" in result.stop_message
    assert server.call_counts()["UpdateOrderStatus"] == 1
    assert all(o.status_history == () for o in server.orders())
