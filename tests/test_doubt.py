"""Orders in doubt against a real server on 127.0.0.1: late servers, clocks, bills, TLS, answers.

Each test is a path that once created an order twice or lost one (issue 13, items 3-5, 7, 12).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from justclick_import import OrderStatus, Secret, reconcile_import
from justclick_import.api.client import JustClickClient
from justclick_import.errors import ErrorCode
from justclick_import.models import Doubt, ExitStatus
from justclick_import.pipeline.run import settle_by_hand
from justclick_import.sandbox import Sandbox
from tests.faulty import (
    config,
    make_certificates,
    never_twice,
    run,
    server_tls,
    statuses,
    wait_for,
    write_orders,
)

PARAMS = {"goods": [{"good_name": "kurs_python"}], "bill_email": "a@example.ru"}


# --- item 3: a resend right after read timeouts ---------------------------------------------


def test_a_resend_right_after_timeouts_waits_for_the_late_server_and_never_doubles(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "late.csv"
    write_orders(source, 4)
    server.late_next(4, seconds=2.0)  # each order is created 2 s after it arrived
    first = run(server, source, read_timeout=0.3, concurrency=4)
    assert set(statuses(first).values()) == {"uncertain"}
    assert server.orders() == []  # not yet: the server is still "working"

    again = run(server, source, resend_uncertain=True, resend_delay=60.0)
    assert set(statuses(again).values()) == {"uncertain"}
    assert {r.doubt for r in again.results} == {Doubt.WAITING}
    assert "the shop may still be creating it: look again after" in again.results[0].error_text
    assert server.faults_served()["late"] == 4  # nothing resent: only the first four came

    wait_for(lambda: len(server.orders()) == 4)
    third = run(server, source, resend_uncertain=True, resend_delay=60.0)
    assert set(statuses(third).values()) == {"skipped"}
    bills = {o.email: o.bill_id for o in server.orders()}
    assert {r.order.key: r.bill_id for r in third.results} == bills
    never_twice(server)
    assert server.call_counts()["CreateOrder"] == 4


def test_an_order_whose_server_gave_up_is_sent_again_once_the_delay_passed(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "dropped.csv"
    write_orders(source, 1)
    server.drop_next(1)  # read, never processed: nothing is created
    run(server, source)
    early = run(server, source, resend_uncertain=True, resend_delay=1.5)
    assert early.results[0].doubt is Doubt.WAITING
    time.sleep(1.6)
    late = run(server, source, resend_uncertain=True, resend_delay=1.5)
    assert late.results[0].status is OrderStatus.CREATED
    assert len(never_twice(server)) == 1


# --- item 4: clocks and GetBills' created ------------------------------------------------------


@pytest.mark.parametrize("offset", [-300.0, 300.0])
def test_a_server_clock_off_by_minutes_is_compared_with_itself(
    server: Sandbox, tmp_path: Path, offset: float
) -> None:
    source = tmp_path / "clock.csv"
    write_orders(source, 3)
    server.change_faults(clock_offset=offset)
    server.slow_next(1, seconds=3.0)  # created at once, answered too late
    first = run(server, source, concurrency=1)
    assert statuses(first)["buyer000@example.ru"] == "uncertain"
    again = run(server, source, resend_uncertain=True)
    ivan = again.results[0]
    real = next(o.bill_id for o in server.orders() if o.email == "buyer000@example.ru")
    assert (ivan.status, ivan.bill_id) == (OrderStatus.SKIPPED, real)
    assert len(never_twice(server)) == 3


def test_a_customers_own_bill_older_than_the_attempt_by_the_servers_clock_is_not_taken(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "own.csv"
    write_orders(source, 1)
    server.change_faults(clock_offset=100.0)  # the customer's own order, identical, earlier
    own = JustClickClient(server.url, server.login, Secret(server.secret))
    same = {
        "goods": [{"good_name": "kurs_python", "good_sum": 1000.0}],
        "bill_email": "buyer000@example.ru",
        "bill_first_name": "Клиент 0",
    }
    assert own.create_order(same).status is OrderStatus.CREATED
    own.close()
    # By the server's clock the import's attempt comes 200 s later; by ours, 200 s earlier.
    server.change_faults(clock_offset=300.0)
    server.drop_next(1)
    run(server, source)
    again = run(server, source, resend_uncertain=True)
    assert again.results[0].status is OrderStatus.CREATED  # its own bill, not the customer's
    assert len(server.orders()) == 2


@pytest.mark.parametrize("variant", ["missing", "text"])
def test_getbills_without_created_or_with_a_date_string_still_finds_the_bill(
    server: Sandbox, tmp_path: Path, variant: str
) -> None:
    source = tmp_path / "variant.csv"
    write_orders(source, 2)
    server.change_faults(bills_created=variant)
    server.slow_next(1, seconds=3.0)
    run(server, source, concurrency=1)
    again = run(server, source, resend_uncertain=True)
    real = next(o.bill_id for o in server.orders() if o.email == "buyer000@example.ru")
    assert (again.results[0].status, again.results[0].bill_id) == (OrderStatus.SKIPPED, real)
    assert len(never_twice(server)) == 2


# --- item 7: another bill of the same customer ---------------------------------------------------


def test_another_bill_with_the_same_products_is_held_not_taken_and_settled_by_hand(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "meanwhile.csv"
    write_orders(source, 1)
    server.drop_next(1)  # the import's order is lost before it was processed
    run(server, source)
    customer = JustClickClient(server.url, server.login, Secret(server.secret))
    placed = customer.create_order(  # the customer orders the same product, another price
        {
            "goods": [{"good_name": "kurs_python", "good_sum": 15.0}],
            "bill_email": "buyer000@example.ru",
        }
    )
    customer.close()

    held = run(server, source, resend_uncertain=True)
    order = held.results[0]
    assert (order.status, order.bill_id, order.doubt) == (OrderStatus.UNCERTAIN, None, Doubt.CHECK)
    assert (
        f"bill {placed.bill_id}" in order.error_text and "kurs_python at 1000" in order.error_text
    )
    assert len(server.orders()) == 1  # held: not sent, and not taken for the customer's bill

    done = settle_by_hand(config(server, source), bills={}, not_created=["buyer000@example.ru"])
    assert done == ["buyer000@example.ru: recorded as not created; the next run sends it"]
    sent = run(server, source)
    assert sent.results[0].status is OrderStatus.CREATED
    assert sent.results[0].bill_id != placed.bill_id
    assert len(server.orders()) == 2


def test_a_bill_that_differs_only_in_the_name_is_not_the_order(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "names.csv"
    write_orders(source, 1)
    server.drop_next(1)
    run(server, source)
    customer = JustClickClient(server.url, server.login, Secret(server.secret))
    customer.create_order(
        {"goods": [{"good_name": "kurs_python", "good_sum": 1000.0}],
         "bill_email": "buyer000@example.ru", "bill_first_name": "Пётр"}
    )  # fmt: skip
    customer.close()
    held = reconcile_import(config(server, source)).settlements
    assert held[0].bill_id is None and "first_name 'Пётр'" in held[0].reason


# --- item 5: TLS errors after sending, and 3xx after creating ---------------------------------


@pytest.fixture
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return make_certificates(tmp_path_factory.mktemp("tls"))


def test_a_tls_error_while_reading_the_answer_is_uncertain_and_never_resent(
    tls_files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    ca, cert, key = tls_files
    source = tmp_path / "tls.csv"
    write_orders(source, 3)
    with Sandbox(tls=server_tls(cert, key)) as tls:
        tls.break_tls_next(1)  # created; the answer's TLS records are broken after the headers
        first = run(tls, source, ca_bundle=ca, concurrency=1)
        assert first.results[0].status is OrderStatus.UNCERTAIN
        assert first.stop_code is ErrorCode.TLS_BROKEN
        assert first.exit_status() is ExitStatus.STOPPED
        again = run(tls, source, ca_bundle=ca)
        real = tls.orders()[0].bill_id
        assert (again.results[0].status, again.results[0].bill_id) == (OrderStatus.SKIPPED, real)
        assert len(never_twice(tls)) == 3


def test_a_certificate_not_trusted_fails_before_anything_is_sent(
    tls_files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, cert, key = tls_files
    source = tmp_path / "untrusted.csv"
    write_orders(source, 3)
    with Sandbox(tls=server_tls(cert, key)) as tls:
        result = run(tls, source)  # the system's certificates: the test CA is not among them
        assert result.stop_code is ErrorCode.TLS_UNVERIFIED
        assert statuses(result)["buyer000@example.ru"] == "failed"
        assert tls.orders() == []


def test_a_redirect_after_creating_is_uncertain_then_found(server: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "redirect.csv"
    write_orders(source, 2)
    server.redirect_next(1)
    first = run(server, source, concurrency=1)
    assert first.results[0].status is OrderStatus.UNCERTAIN
    assert first.stop_code is ErrorCode.WRONG_API_URL
    again = run(server, source)
    assert again.results[0].status is OrderStatus.SKIPPED
    assert len(never_twice(server)) == 2


# --- item 12: endless and trickled answers ----------------------------------------------------


def test_an_endless_answer_is_cut_at_the_size_limit(server: Sandbox) -> None:
    server.endless_next(1)
    client = JustClickClient(server.url, server.login, Secret(server.secret))
    outcome = client.create_order(PARAMS)
    client.close()
    assert outcome.status is OrderStatus.UNCERTAIN
    assert "longer than 8388608 bytes" in outcome.error_text


def test_a_trickled_answer_is_cut_at_the_deadline(server: Sandbox) -> None:
    server.trickle_next(1, seconds=0.5)  # ~100 bytes: 50 s without a deadline
    client = JustClickClient(
        server.url, server.login, Secret(server.secret), connect_timeout=0.5, read_timeout=1.0
    )
    outcome = client.create_order(PARAMS)
    client.close()
    assert outcome.status is OrderStatus.UNCERTAIN
    assert outcome.error_text.startswith("no whole answer within 1.5 s")
    assert len(server.orders()) == 1  # it was created: uncertain is the truth


def test_a_trickled_answer_in_a_run_is_found_by_the_next_run(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "trickle.csv"
    write_orders(source, 2)
    server.trickle_next(1, seconds=0.5)
    first = run(server, source, concurrency=1, read_timeout=0.5, connect_timeout=0.5)
    assert first.results[0].status is OrderStatus.UNCERTAIN
    again = run(server, source)
    assert again.results[0].status is OrderStatus.SKIPPED
    assert len(never_twice(server)) == 2
