"""The sandbox's GetBills, UpdateOrderStatus and DeleteOrder, driven over real HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from justclick_import.api.signing import response_hash, signed_body
from justclick_import.sandbox import Sandbox, StatusChange

FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

ADDRESS = {
    "bill_first_name": "Иван",
    "bill_surname": "Петров",
    "bill_country": "Россия",
    "bill_city": "Казань",
    "bill_address": "ул. Баумана, 1",
}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def post(sb: Sandbox, body: str, function: str) -> dict[str, Any]:
    """Send a raw body; check the answer is signed with the sandbox's secret."""
    assert sb.url.startswith("http://127.0.0.1:")
    response = requests.post(sb.url + function, data=body.encode(), headers=FORM, timeout=10)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    assert answer["hash"] == response_hash(answer["error_code"], answer["error_text"], sb.secret)
    return answer


def call(sb: Sandbox, function: str, **params: Any) -> dict[str, Any]:
    return post(sb, signed_body(params, sb.login, sb.secret), function)


def outcome(answer: dict[str, Any]) -> tuple[int, str]:
    return answer["error_code"], answer["error_text"]


def create(sb: Sandbox, email: str = "ivan@example.ru", *goods: str, **extra: Any) -> int:
    """Create one order (kurs_python unless goods are named); its bill_id."""
    names = goods or ("kurs_python",)
    answer = call(
        sb, "CreateOrder", bill_email=email, goods=[{"good_name": n} for n in names], **extra
    )
    assert outcome(answer) == (0, "Order created")
    return int(answer["result"]["bill_id"])


def details(sb: Sandbox, bill_id: int) -> dict[str, Any]:
    answer = call(sb, "GetOrderDetails", bill_id=bill_id, good_info=True)
    assert outcome(answer) == (0, "OK")
    result: dict[str, Any] = answer["result"]
    return result


def bills(sb: Sandbox, email: str, **extra: Any) -> dict[str, Any]:
    answer = call(sb, "GetBills", email=email, **extra)
    assert outcome(answer) == (0, "OK")
    result: dict[str, Any] = answer["result"]
    return result


def update(sb: Sandbox, bill_id: int, status: str, **extra: Any) -> tuple[int, str]:
    return outcome(call(sb, "UpdateOrderStatus", bill_id=bill_id, status=status, **extra))


def history(sb: Sandbox, bill_id: int) -> tuple[StatusChange, ...]:
    (order,) = [o for o in sb.orders(include_deleted=True) if o.bill_id == bill_id]
    return order.status_history


# --- GetBills -----------------------------------------------------------------------------------


def test_get_bills_lists_a_customers_orders_with_goods_and_created_time(sandbox: Sandbox) -> None:
    before = int(time.time())
    first = create(sandbox, "Ivan@Example.ru", "kurs_python", "ebook_excel")
    create(sandbox, "anna@example.ru")
    second = create(sandbox, "ivan@example.ru", "club_month", bill_created=1700000000)
    after = int(time.time())
    found = bills(sandbox, "  IVAN@example.RU ")
    assert list(found) == [str(first), str(second)]  # JSON object keys: bill ids as strings
    bill = found[str(first)]
    assert (bill["id"], bill["email"], bill["pay_status"], bill["paid"]) == (
        first,
        "Ivan@Example.ru",
        "waiting",
        0,
    )
    assert before <= bill["created"] <= after
    assert bill["price"] == 14900.0 + 990.0
    assert bill["items"] == [
        {
            "id": "kurs_python",
            "title": "Курс «Python с нуля до первого проекта»",
            "sum": 14900.0,
            "price": 14900.0,
        },
        {
            "id": "ebook_excel",
            "title": "Электронная книга «Excel для бизнеса»",
            "sum": 990.0,
            "price": 990.0,
        },
    ]
    assert found[str(second)]["created"] == 1700000000
    assert [item["id"] for item in found[str(second)]["items"]] == ["club_month"]
    assert bill == details(sandbox, first)


def test_get_bills_filters_by_pay_status(sandbox: Sandbox) -> None:
    paid, cancelled, waiting, shipped = (create(sandbox) for _ in range(4))
    assert update(sandbox, paid, "paid") == (0, "OK")
    assert update(sandbox, cancelled, "cancel") == (0, "OK")
    assert update(sandbox, shipped, "sent", rpo="80085012345678") == (0, "OK")
    email = "ivan@example.ru"
    assert list(bills(sandbox, email, pay_status="paid")) == [str(paid)]
    assert list(bills(sandbox, email, pay_status="cancel")) == [str(cancelled)]
    assert list(bills(sandbox, email, pay_status="waiting")) == [str(waiting), str(shipped)]
    assert len(bills(sandbox, email)) == 4
    answer = call(sandbox, "GetBills", email=email, pay_status="sent")
    assert (outcome(answer), "result" in answer) == ((3, "Wrong parameters"), False)


def test_get_bills_for_an_email_without_orders_is_empty(sandbox: Sandbox) -> None:
    create(sandbox)
    answer = call(sandbox, "GetBills", email="nobody@example.ru")
    assert (outcome(answer), answer["result"]) == ((0, "OK"), {})
    assert outcome(call(sandbox, "GetBills", email=" ")) == (3, "Wrong parameters")
    assert outcome(call(sandbox, "GetBills", pay_status="paid")) == (3, "Wrong parameters")


# --- UpdateOrderStatus --------------------------------------------------------------------------


def test_paid_sets_pay_status_and_payment_time(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    assert update(sandbox, bill_id, "paid", date=1717000000) == (0, "OK")
    result = details(sandbox, bill_id)
    assert (result["pay_status"], result["paid"]) == ("paid", 1717000000)
    (order,) = sandbox.orders()
    assert (order.status, order.status_date, order.rpo, order.pay_status, order.paid) == (
        "paid",
        1717000000,
        "",
        "paid",
        1717000000,
    )
    assert order.status_history == (StatusChange("paid", 1717000000, ""),)


def test_date_defaults_to_now(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    before = int(time.time())
    assert update(sandbox, bill_id, "paid") == (0, "OK")
    assert before <= details(sandbox, bill_id)["paid"] <= int(time.time())


def test_sent_needs_the_tracking_number(sandbox: Sandbox) -> None:
    bill_id = create(sandbox, "ivan@example.ru", "book_paper", **ADDRESS)
    assert update(sandbox, bill_id, "sent") == (3, "Wrong parameters")
    assert update(sandbox, bill_id, "sent", rpo="  ") == (3, "Wrong parameters")
    assert history(sandbox, bill_id) == ()
    assert update(sandbox, bill_id, "sent", rpo="80085012345678", date=1717000000) == (0, "OK")
    (order,) = sandbox.orders()
    assert (order.status, order.status_date, order.rpo) == ("sent", 1717000000, "80085012345678")
    assert details(sandbox, bill_id)["pay_status"] == "waiting"  # shipped is not paid


def test_a_paid_order_stays_paid_when_sent_and_cancel_undoes_payment(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    update(sandbox, bill_id, "paid", date=1717000000)
    update(sandbox, bill_id, "sent", date=1717100000, rpo="RA123456789RU")
    assert (details(sandbox, bill_id)["pay_status"], details(sandbox, bill_id)["paid"]) == (
        "paid",
        1717000000,
    )
    assert update(sandbox, bill_id, "return", date=1717200000) == (0, "OK")
    assert details(sandbox, bill_id)["pay_status"] == "paid"
    assert update(sandbox, bill_id, "cancel", date=1717300000) == (0, "OK")
    result = details(sandbox, bill_id)
    assert (result["pay_status"], result["paid"]) == ("cancel", 0)
    (order,) = sandbox.orders()
    assert (order.status, order.status_date, order.rpo) == ("cancel", 1717300000, "RA123456789RU")


def test_history_records_every_status_applied(sandbox: Sandbox) -> None:
    once, twice = create(sandbox), create(sandbox)
    update(sandbox, once, "paid", date=100)
    update(sandbox, twice, "paid", date=100)
    update(sandbox, twice, "paid", date=200)
    assert history(sandbox, once) == (StatusChange("paid", 100, ""),)
    assert history(sandbox, twice) == (StatusChange("paid", 100, ""), StatusChange("paid", 200, ""))
    update(sandbox, once, "return", date=300, rpo="ignored for return")
    assert history(sandbox, once)[-1] == StatusChange("return", 300, "")


def test_update_status_errors_change_nothing(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    assert update(sandbox, 999, "paid") == (400, "Order not found")
    for status in ("shipped", "PAID", "waiting", ""):
        assert update(sandbox, bill_id, status) == (3, "Wrong parameters"), status
    assert update(sandbox, bill_id, "paid", date="yesterday") == (3, "Wrong parameters")
    assert update(sandbox, bill_id, "paid", date=-5) == (3, "Wrong parameters")
    assert outcome(call(sandbox, "UpdateOrderStatus", bill_id="x", status="paid")) == (
        3,
        "Wrong parameters",
    )
    assert outcome(call(sandbox, "UpdateOrderStatus", status="paid")) == (3, "Wrong parameters")
    assert history(sandbox, bill_id) == ()
    assert details(sandbox, bill_id)["pay_status"] == "waiting"


def test_update_status_hash_is_checked_the_php_way(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    params = {"bill_id": str(bill_id), "status": "sent", "rpo": "a~b"}
    raw = urlencode(params)  # Python leaves '~' literal; PHP's http_build_query writes %7E
    python_hash = hashlib.md5(f"{raw}::{sandbox.login}::{sandbox.secret}".encode()).hexdigest()
    assert outcome(post(sandbox, f"{raw}&hash={python_hash}", "UpdateOrderStatus")) == (
        4,
        "Incorrect hash",
    )
    wrong = signed_body({**params, "status": "paid"}, sandbox.login, "not-the-secret")
    assert post(sandbox, wrong, "UpdateOrderStatus")["error_code"] == 4
    assert history(sandbox, bill_id) == ()
    assert update(sandbox, bill_id, "sent", rpo="a~b", date=5) == (0, "OK")
    assert history(sandbox, bill_id) == (StatusChange("sent", 5, "a~b"),)


def test_orders_are_snapshots(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    (before,) = sandbox.orders()
    update(sandbox, bill_id, "paid", date=100)
    assert (before.status, before.status_history) == ("waiting", ())
    assert sandbox.orders()[0].status == "paid"


# --- DeleteOrder --------------------------------------------------------------------------------


def test_delete_order_removes_it_everywhere(sandbox: Sandbox) -> None:
    kept, deleted = create(sandbox), create(sandbox)
    update(sandbox, deleted, "paid", date=100)
    assert outcome(call(sandbox, "DeleteOrder", bill_id=deleted)) == (0, "OK")
    assert list(bills(sandbox, "ivan@example.ru")) == [str(kept)]
    assert bills(sandbox, "ivan@example.ru", pay_status="paid") == {}
    assert [o.bill_id for o in sandbox.orders()] == [kept]
    everything = sandbox.orders(include_deleted=True)
    assert [(o.bill_id, o.deleted) for o in everything] == [(kept, False), (deleted, True)]
    assert everything[1].status_history == (StatusChange("paid", 100, ""),)
    gone = call(sandbox, "GetOrderDetails", bill_id=deleted)
    assert (outcome(gone), "result" in gone) == ((400, "Order not found"), False)
    assert update(sandbox, deleted, "cancel") == (400, "Order not found")
    assert outcome(call(sandbox, "DeleteOrder", bill_id=deleted)) == (400, "Order not found")


def test_delete_order_errors(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    assert outcome(call(sandbox, "DeleteOrder", bill_id=999)) == (400, "Order not found")
    assert outcome(call(sandbox, "DeleteOrder", bill_id="1001x")) == (3, "Wrong parameters")
    wrong = signed_body({"bill_id": bill_id}, sandbox.login, "not-the-secret")
    assert post(sandbox, wrong, "DeleteOrder")["error_code"] == 4
    assert [o.bill_id for o in sandbox.orders()] == [bill_id]


def test_each_function_is_counted(sandbox: Sandbox) -> None:
    bill_id = create(sandbox)
    details(sandbox, bill_id)
    bills(sandbox, "ivan@example.ru")
    bills(sandbox, "anna@example.ru")
    update(sandbox, bill_id, "paid")
    call(sandbox, "DeleteOrder", bill_id=bill_id)
    call(sandbox, "DeleteOrder", bill_id=bill_id)
    counts = sandbox.call_counts()
    assert dict(counts) == {
        "CreateOrder": 1,
        "GetOrderDetails": 1,
        "GetBills": 2,
        "UpdateOrderStatus": 1,
        "DeleteOrder": 2,
    }
