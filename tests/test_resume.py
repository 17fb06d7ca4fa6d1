"""Never twice, never lost: the journal across runs, retries and the sandbox's faults."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from justclick_import import ImportConfig, SendOptions, reconcile_import, run_import
from justclick_import.api.answers import SendOutcome
from justclick_import.api.client import JustClickClient
from justclick_import.api.secret import Secret
from justclick_import.models import ExitStatus, OrderStatus, RunResult
from justclick_import.sandbox import Sandbox
from justclick_import.sending.journal import Journal


@pytest.fixture
def orders_csv(samples: Path, tmp_path: Path) -> Path:
    source = tmp_path / "orders.csv"
    shutil.copy(samples / "orders.csv", source)
    return source


def run(server: Sandbox, source: Path, **send: object) -> RunResult:
    send.setdefault("resend_delay", 0.0)  # the wait before a resend has tests of its own
    options = SendOptions(rate=None, backoff_base=0.01, **send)  # type: ignore[arg-type]
    config = ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        send=options,
        read_timeout=1.0,
    )
    return run_import(config)


def statuses(result: RunResult) -> dict[str, OrderStatus]:
    return {r.order.key: r.status for r in result.results}


def test_running_the_same_import_again_skips_what_was_created(
    server: Sandbox, orders_csv: Path
) -> None:
    first = run(server, orders_csv)
    second = run(server, orders_csv)
    assert len(server.orders()) == 12
    assert set(statuses(second).values()) == {OrderStatus.SKIPPED}
    assert [r.bill_id for r in second.results] == [r.bill_id for r in first.results]
    assert second.exit_status() is ExitStatus.OK
    assert "created by an earlier run" in second.results[0].error_text


def test_a_changed_order_is_reported_not_resent(server: Sandbox, orders_csv: Path) -> None:
    run(server, orders_csv)
    text = orders_csv.read_text(encoding="utf-8").replace(
        "kurs_marketing,19900", "kurs_marketing,100"
    )
    orders_csv.write_text(text, encoding="utf-8")
    second = run(server, orders_csv)
    maria = next(r for r in second.results if r.order.key == "maria.sidorova@example.com")
    assert maria.status is OrderStatus.SKIPPED
    assert "content changed since, and it is not sent again" in maria.error_text
    assert len(server.orders()) == 12


def test_a_failed_order_is_sent_again_once_fixed(server: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "fix.csv"
    source.write_text("bill_email,good_name\na@example.ru,no_such_product\n", encoding="utf-8")
    first = run(server, source)
    assert (first.results[0].status, first.results[0].error_code) == (OrderStatus.FAILED, 604)
    source.write_text("bill_email,good_name\na@example.ru,kurs_python\n", encoding="utf-8")
    second = run(server, source)
    assert second.results[0].status is OrderStatus.CREATED
    assert len(server.orders()) == 1


def test_bursts_of_503_and_429_end_with_every_order_created_in_one_run(
    server: Sandbox, orders_csv: Path, own_journal: Path
) -> None:
    server.fail_next(503, count=3, retry_after=0.01)
    server.fail_next(429, count=2, retry_after=0.01)
    result = run(server, orders_csv)
    assert set(statuses(result).values()) == {OrderStatus.CREATED}
    assert len(server.orders()) == 12
    assert server.faults_served() == {"fail_503": 3, "fail_429": 2}
    with sqlite3.connect(own_journal) as db:  # the first order goes alone: it met every fault
        attempts = dict(db.execute("SELECT identity, attempts FROM orders").fetchall())
    assert attempts.pop("import:orders:email:ivan.petrov@example.ru") == 6
    assert set(attempts.values()) == {1}


def test_an_answer_that_never_came_is_looked_up_by_the_next_run_and_never_doubled(
    server: Sandbox, orders_csv: Path
) -> None:
    server.slow_next(1, seconds=3.0)  # created, answered after the client gave up (1 s)
    first = run(server, orders_csv, concurrency=1)
    assert first.results[0].status is OrderStatus.UNCERTAIN
    assert first.exit_status() is ExitStatus.SOME_FAILED
    assert len(server.orders()) == 12  # it was created all the same

    second = run(server, orders_csv)  # the same command: it looks the order up (lookups only)
    real = next(o.bill_id for o in server.orders() if o.email == "ivan.petrov@example.ru")
    assert (second.results[0].status, second.results[0].bill_id) == (OrderStatus.SKIPPED, real)
    assert set(statuses(second).values()) == {OrderStatus.SKIPPED}
    assert server.call_counts()["CreateOrder"] == 12  # never sent again


@pytest.mark.parametrize("fault", ["drop", "wrong_hash"])
def test_broken_answers_make_the_order_uncertain_never_created(
    server: Sandbox, orders_csv: Path, fault: str
) -> None:
    if fault == "drop":
        server.drop_next(1)
    else:
        server.wrong_hash_next(1)
    result = run(server, orders_csv, concurrency=1)
    first = result.results[0]
    assert first.status is OrderStatus.UNCERTAIN
    assert first.bill_id is None
    created_now = 12 if fault == "wrong_hash" else 11  # a dropped request is never processed
    assert len(server.orders()) == created_now
    assert statuses(result)["maria.sidorova@example.com"] is OrderStatus.CREATED


def test_resend_uncertain_sends_the_held_order(server: Sandbox, orders_csv: Path) -> None:
    server.drop_next(1)
    run(server, orders_csv, concurrency=1)
    assert len(server.orders()) == 11
    again = run(server, orders_csv, resend_uncertain=True)
    assert again.results[0].status is OrderStatus.CREATED
    assert len(server.orders()) == 12


def test_an_order_number_is_the_same_order_in_any_file(server: Sandbox, tmp_path: Path) -> None:
    lines = "order_id,bill_email,good_name\nA-7,x@example.ru,kurs_python\n"
    (tmp_path / "january.csv").write_text(lines, encoding="utf-8")
    (tmp_path / "export-again.csv").write_text(lines, encoding="utf-8")
    run(server, tmp_path / "january.csv")
    second = run(server, tmp_path / "export-again.csv")
    assert second.results[0].status is OrderStatus.SKIPPED
    assert len(server.orders()) == 1


def test_the_results_workbook_imported_again_is_the_same_import(
    server: Sandbox, orders_csv: Path, tmp_path: Path
) -> None:
    first = run(server, orders_csv)
    fixed = tmp_path / "fixed copy.xlsx"
    shutil.copy(tmp_path / "orders.results.xlsx", fixed)
    config = ImportConfig(
        input=fixed,
        sheet="Rows",
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
    )
    second = run_import(config)
    assert second.import_name == first.import_name == "orders"
    assert set(statuses(second).values()) == {OrderStatus.SKIPPED}
    assert len(server.orders()) == 12


def test_the_journal_holds_each_order_with_its_state(
    server: Sandbox, orders_csv: Path, own_journal: Path
) -> None:
    result = run(server, orders_csv)
    with sqlite3.connect(own_journal) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = db.execute("SELECT identity, state, bill_id, attempts FROM orders").fetchall()
        runs = db.execute("SELECT run_id, outcome FROM runs").fetchall()
    assert sorted(rows) == sorted(
        (f"import:orders:email:{r.order.key}", "created", r.bill_id, 1) for r in result.results
    )
    assert runs == [(result.run_id, "ok")]


def test_different_logins_never_share_entries(orders_csv: Path) -> None:
    with Sandbox(login="shop-one") as one, Sandbox(login="shop-two") as two:
        run(one, orders_csv)
        second = run(two, orders_csv)
    assert set(statuses(second).values()) == {OrderStatus.CREATED}


def test_fetch_links_puts_each_created_orders_payment_link(server: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "links.csv"
    source.write_text(
        "bill_email,good_name,bill_domain\n"
        "a@example.ru,kurs_python,\n"
        "b@example.ru,kurs_python,shop.example.ru\n",
        encoding="utf-8",
    )
    result = run(server, source, fetch_links=True, shop_url="https://demo-shop.justclick.io")
    first, second = result.results
    assert first.link == f"https://demo-shop.justclick.io/order/{first.bill_id}/"
    assert second.link == f"https://shop.example.ru/order/{second.bill_id}/"
    assert server.call_counts()["GetOrderDetails"] == 2


def test_an_order_whose_answer_was_lost_is_reconciled_to_its_real_bill(
    server: Sandbox, orders_csv: Path, own_journal: Path
) -> None:
    server.slow_next(1, seconds=3.0)
    first = run(server, orders_csv, concurrency=1)
    assert first.results[0].status is OrderStatus.UNCERTAIN
    real_bill = next(o.bill_id for o in server.orders() if o.email == "ivan.petrov@example.ru")

    config = ImportConfig(
        input=orders_csv, login=server.login, secret=Secret(server.secret), api_url=server.url
    )
    settled = reconcile_import(config).settlements
    assert [(s.order.key, s.bill_id) for s in settled] == [("ivan.petrov@example.ru", real_bill)]

    again = run(server, orders_csv, resend_uncertain=True)
    ivan = again.results[0]
    assert (ivan.status, ivan.bill_id) == (OrderStatus.SKIPPED, real_bill)
    assert len(server.orders()) == 12  # never sent twice


def test_resend_uncertain_reconciles_first_and_sends_only_what_is_not_there(
    server: Sandbox, orders_csv: Path
) -> None:
    server.slow_next(1, seconds=3.0)  # created, answer lost
    run(server, orders_csv, concurrency=1)
    server.drop_next(2)  # the lookup of the first, then the new one: lost, never processed
    text = (
        orders_csv.read_text(encoding="utf-8") + "late@example.ru,,,,,,,,,,,,,kurs_python,100,,,\n"
    )
    orders_csv.write_text(text, encoding="utf-8")
    second = run(server, orders_csv)
    assert statuses(second)["late@example.ru"] is OrderStatus.UNCERTAIN
    assert statuses(second)["ivan.petrov@example.ru"] is OrderStatus.UNCERTAIN  # not looked up
    assert len(server.orders()) == 12

    third = run(server, orders_csv, resend_uncertain=True)
    assert statuses(third)["ivan.petrov@example.ru"] is OrderStatus.SKIPPED
    assert statuses(third)["late@example.ru"] is OrderStatus.CREATED
    emails = [o.email for o in server.orders()]
    assert len(emails) == len(set(emails)) == 13


def test_an_order_whose_bills_cannot_be_read_stays_held_even_with_resend(
    server: Sandbox, orders_csv: Path
) -> None:
    server.slow_next(1, seconds=3.0)
    run(server, orders_csv, concurrency=1)
    server.wrong_hash_next(1)  # the GetBills answer cannot be trusted
    again = run(server, orders_csv, resend_uncertain=True)
    ivan = again.results[0]
    assert ivan.status is OrderStatus.UNCERTAIN
    assert "could not look the bills up" in ivan.error_text
    assert len(server.orders()) == 12


def test_a_migrated_order_with_its_own_creation_date_is_reconciled_not_doubled(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "old.csv"
    source.write_text(
        "order_id,bill_email,good_name,bill_created\nOLD-1,a@example.ru,kurs_python,15.03.2019\n",
        encoding="utf-8",
    )
    server.slow_next(1, seconds=3.0)
    first = run(server, source)
    assert first.results[0].status is OrderStatus.UNCERTAIN
    again = run(server, source, resend_uncertain=True)
    (created,) = server.orders()
    assert (again.results[0].status, again.results[0].bill_id) == (
        OrderStatus.SKIPPED,
        created.bill_id,
    )


def test_an_order_in_doubt_that_changed_in_the_file_is_held_not_sent_again(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "changed.csv"
    source.write_text("order_id,bill_email,good_name\nA-1,a@example.ru,kurs_python\n", "utf-8")
    server.slow_next(1, seconds=3.0)
    run(server, source)
    source.write_text("order_id,bill_email,good_name\nA-1,a@example.ru,ebook_excel\n", "utf-8")
    again = run(server, source, resend_uncertain=True)
    assert again.results[0].status is OrderStatus.UNCERTAIN
    assert "changed in the file since it was sent" in again.results[0].error_text
    assert len(server.orders()) == 1


def test_an_unexpected_error_in_a_sender_stops_the_run_and_loses_no_order(
    server: Sandbox, orders_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = JustClickClient.create_order
    calls = []

    def flaky(self: JustClickClient, params: dict[str, object]) -> SendOutcome:
        calls.append(params)
        if len(calls) == 2:
            raise RuntimeError("boom")  # before anything was sent: it did not go out
        return real(self, params)

    monkeypatch.setattr(JustClickClient, "create_order", flaky)
    result = run(server, orders_csv, concurrency=1)
    assert "an unexpected error stopped the run (RuntimeError: boom)" in result.stop_message
    assert result.exit_status() is ExitStatus.STOPPED
    second = result.results[1]
    assert (second.status, second.error_text) == (
        OrderStatus.UNCERTAIN,  # its 'sending' was committed: it may have left
        "unexpected error: RuntimeError: boom",
    )
    assert {r.status for r in result.results[2:]} == {OrderStatus.NOT_SENT}
    assert len(server.orders()) == 1


def test_a_bill_once_attributed_is_never_taken_for_another_attempt(
    server: Sandbox, tmp_path: Path, own_journal: Path
) -> None:
    source = tmp_path / "again.csv"
    source.write_text("order_id,bill_email,good_name\nA-1,a@example.ru,kurs_python\n", "utf-8")
    first = run(server, source)
    with Journal(own_journal) as journal:  # as undo does: the bill is cancelled, order undone
        journal.record(server.login, "order:A-1", "undone", bill_id=first.results[0].bill_id)
    server.drop_next(1)  # the new attempt is lost before it was processed
    second = run(server, source)
    assert second.results[0].status is OrderStatus.UNCERTAIN
    third = run(server, source, resend_uncertain=True)
    assert third.results[0].status is OrderStatus.CREATED  # not matched to the old bill
    assert third.results[0].bill_id != first.results[0].bill_id
    assert len(server.orders()) == 2


def test_a_created_order_edited_into_an_invalid_one_stays_skipped(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "edited.csv"
    source.write_text("order_id,bill_email,good_name,good_sum\nA-1,a@example.ru,kurs_python,5\n")
    first = run(server, source)
    source.write_text("order_id,bill_email,good_name,good_sum\nA-1,a@example.ru,kurs_python,abc\n")
    again = run(server, source)
    assert (again.results[0].status, again.results[0].bill_id) == (
        OrderStatus.SKIPPED,
        first.results[0].bill_id,
    )


def test_a_dry_run_shows_orders_in_doubt_even_with_resend_uncertain(
    server: Sandbox, orders_csv: Path
) -> None:
    server.slow_next(1, seconds=3.0)
    run(server, orders_csv, concurrency=1)
    config = ImportConfig(input=orders_csv, dry_run=True, send=SendOptions(resend_uncertain=True))
    config.login = server.login
    dry = run_import(config)
    assert dry.results[0].status is OrderStatus.UNCERTAIN
