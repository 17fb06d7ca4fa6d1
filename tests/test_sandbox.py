"""The embedded JustClick stand-in, driven over real HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from justclick_import.api.signing import response_hash, signed_body
from justclick_import.fields import CUSTOMER_FIELDS, UTM_FIELDS
from justclick_import.sandbox import DEFAULT_CATALOG, Sandbox, load_catalog

ROOT = Path(__file__).resolve().parent.parent
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def post(sb: Sandbox, body: str, function: str = "CreateOrder") -> dict[str, Any]:
    """Send a raw body; check the answer is signed with the sandbox's secret."""
    assert sb.url.startswith("http://127.0.0.1:")
    response = requests.post(sb.url + function, data=body.encode(), headers=FORM, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    answer: dict[str, Any] = response.json()
    assert answer["hash"] == response_hash(answer["error_code"], answer["error_text"], sb.secret)
    return answer


def call(sb: Sandbox, params: dict[str, Any], function: str = "CreateOrder") -> dict[str, Any]:
    return post(sb, signed_body(params, sb.login, sb.secret), function)


def order(**extra: Any) -> dict[str, Any]:
    return {"bill_email": "ivan@example.ru", "goods": [{"good_name": "kurs_python"}], **extra}


ADDRESS = {
    "bill_first_name": "Иван",
    "bill_surname": "Петров",
    "bill_country": "Россия",
    "bill_city": "Казань",
    "bill_address": "ул. Баумана, 1",
}


def test_valid_order_is_created_with_increasing_bill_ids(sandbox: Sandbox) -> None:
    first = call(sandbox, order())
    second = call(sandbox, order(bill_email="anna@example.ru"))
    assert (first["error_code"], first["error_text"]) == (0, "Order created")
    assert first["result"] == {"bill_id": 1001}
    assert second["result"] == {"bill_id": 1002}
    assert [o.bill_id for o in sandbox.orders()] == [1001, 1002]
    assert sandbox.orders()[1].email == "anna@example.ru"
    assert sandbox.call_counts()["CreateOrder"] == 2


def test_zero_or_empty_good_sum_means_catalog_price(sandbox: Sandbox) -> None:
    goods = [
        {"good_name": "kurs_python", "good_sum": 0.0},
        {"good_name": "ebook_excel", "good_sum": ""},
        {"good_name": "club_month", "good_sum": 999.5},
    ]
    assert call(sandbox, order(goods=goods))["error_code"] == 0
    items = sandbox.orders()[0].items
    assert items == (
        ("kurs_python", 14900.0, False),
        ("ebook_excel", 990.0, False),
        ("club_month", 999.5, False),
    )


def test_wrong_secret_gives_4(sandbox: Sandbox) -> None:
    answer = post(sandbox, signed_body(order(), sandbox.login, "not-the-secret"))
    assert (answer["error_code"], answer["error_text"]) == (4, "Incorrect hash")
    assert post(sandbox, signed_body(order(), "other-login", sandbox.secret))["error_code"] == 4
    assert sandbox.orders() == []


def test_missing_hash_gives_1_and_empty_body_gives_2(sandbox: Sandbox) -> None:
    assert post(sandbox, "bill_email=ivan%40example.ru")["error_code"] == 1
    assert post(sandbox, "")["error_code"] == 2


def test_bad_email_gives_600(sandbox: Sandbox) -> None:
    for email in ["", "ivan", "ivan@localhost", "@example.ru", "a@b@example.ru", "a b@ex.ru"]:
        answer = call(sandbox, order(bill_email=email))
        assert (answer["error_code"], answer["error_text"]) == (600, "Bad customer email"), email
    assert call(sandbox, order(bill_email="иван@почта.рф"))["error_code"] == 0


def test_no_goods_gives_603(sandbox: Sandbox) -> None:
    assert call(sandbox, {"bill_email": "ivan@example.ru"})["error_code"] == 603
    assert call(sandbox, order(goods=[{"good_sum": 10}]))["error_code"] == 603
    assert call(sandbox, order(goods=[{"good_name": ""}]))["error_code"] == 603


def test_unknown_product_gives_604_naming_it(sandbox: Sandbox) -> None:
    goods = [{"good_name": "kurs_python"}, {"good_name": "kurs_nope"}, {"good_name": "other"}]
    answer = call(sandbox, order(goods=goods))
    assert (answer["error_code"], answer["error_text"]) == (604, "Product not exist: kurs_nope")


def test_physical_good_needs_delivery_data(sandbox: Sandbox) -> None:
    goods = [{"good_name": "ebook_excel"}, {"good_name": "book_paper"}]
    assert call(sandbox, order(goods=goods))["error_code"] == 605
    assert call(sandbox, order(goods=goods, **{**ADDRESS, "bill_city": " "}))["error_code"] == 605
    answer = call(sandbox, order(goods=goods, **ADDRESS))
    assert answer["error_code"] == 0
    assert sandbox.orders()[0].items[1] == ("book_paper", 1890.0, True)


def test_hash_is_checked_over_php_encoding_not_raw_bytes(sandbox: Sandbox) -> None:
    params = order(bill_comment="a~b")
    flat = {
        "bill_email": params["bill_email"],
        "goods[0][good_name]": "kurs_python",
        "bill_comment": "a~b",
    }
    raw = urlencode(flat)  # Python leaves '~' literal; PHP's http_build_query writes %7E
    assert "a~b" in raw
    python_hash = hashlib.md5(f"{raw}::{sandbox.login}::{sandbox.secret}".encode()).hexdigest()
    assert post(sandbox, f"{raw}&hash={python_hash}")["error_code"] == 4
    assert call(sandbox, params)["error_code"] == 0
    assert sandbox.orders()[0].params["bill_comment"] == "a~b"


def test_unicode_and_punctuation_survive_in_every_text_field(sandbox: Sandbox) -> None:
    tricky = "Ёжик 🦔 ~*'()! «ß» & = + %41 [x]"
    text_fields = [f for f in CUSTOMER_FIELDS if f not in ("bill_email", "bill_created")]
    params = order(goods=[{"good_name": "book_paper", "good_sum": "1500.5"}])
    params["bill_email"] = "o'neil~x!*(y)@почта.рф"
    params.update({field: f"{field}: {tricky}" for field in text_fields})
    params["utm"] = {field: f"{field}: {tricky}" for field in UTM_FIELDS}
    assert call(sandbox, params)["error_code"] == 0
    stored = sandbox.orders()[0]
    assert stored.email == params["bill_email"]
    for field in [*text_fields, "bill_email"]:
        assert stored.params[field] == params[field], field
    assert stored.params["utm"] == params["utm"]
    assert stored.params["goods"] == {0: {"good_name": "book_paper", "good_sum": "1500.5"}}
    assert stored.items == (("book_paper", 1500.5, True),)


def test_order_details_link_is_relative_without_bill_domain(sandbox: Sandbox) -> None:
    bill_id = call(sandbox, order(bill_phone="+79001234567"))["result"]["bill_id"]
    answer = call(sandbox, {"bill_id": bill_id, "good_info": True}, "GetOrderDetails")
    assert answer["error_code"] == 0
    result = answer["result"]
    assert result["id"] == bill_id
    assert result["link"] == f"/order/{bill_id}/"
    assert (result["email"], result["phone"], result["pay_status"]) == (
        "ivan@example.ru",
        "+79001234567",
        "waiting",
    )
    assert result["items"] == [
        {
            "id": "kurs_python",
            "title": "Курс «Python с нуля до первого проекта»",
            "sum": 14900.0,
            "price": 14900.0,
        }
    ]
    assert result["price"] == result["bill_sum_topay"] == 14900.0


def test_order_details_link_is_full_with_bill_domain(sandbox: Sandbox) -> None:
    params = order(bill_domain="shop.example.ru", utm={"utm_source": "vk", "utm_medium": "cpc"})
    bill_id = call(sandbox, params)["result"]["bill_id"]
    result = call(sandbox, {"bill_id": bill_id}, "GetOrderDetails")["result"]
    assert result["link"] == f"https://shop.example.ru/order/{bill_id}/"
    assert result["utm"] == {
        "source": "vk",
        "medium": "cpc",
        "campaign": "",
        "content": "",
        "term": "",
    }


def test_order_details_unknown_bill_gives_400(sandbox: Sandbox) -> None:
    answer = call(sandbox, {"bill_id": 999}, "GetOrderDetails")
    assert (answer["error_code"], answer["error_text"]) == (400, "Order not found")


def test_unknown_function_gives_3_and_get_gives_405(sandbox: Sandbox) -> None:
    answer = call(sandbox, order(), "NoSuchFunction")
    assert (answer["error_code"], answer["error_text"]) == (3, "Unknown function")
    assert requests.get(sandbox.url + "CreateOrder", timeout=10).status_code == 405


def test_force_answers_replace_the_next_calls(sandbox: Sandbox) -> None:
    sandbox.force_answers(
        (601, "Order already exists", {"bill_id": 1001}), (602, "Could not create the order")
    )
    first, second, third = (call(sandbox, order()) for _ in range(3))
    assert first == {
        "error_code": 601,
        "error_text": "Order already exists",
        "hash": first["hash"],
        "result": {"bill_id": 1001},
    }
    assert (second["error_code"], "result" in second) == (602, False)
    assert third["error_code"] == 0
    # A forced answer comes only after the hash check passes.
    sandbox.force_answers((602, "Could not create the order"))
    assert post(sandbox, signed_body(order(), sandbox.login, "wrong"))["error_code"] == 4


def test_sign_with_another_secret(sandbox: Sandbox) -> None:
    sandbox.sign_with("client-secret")
    response = requests.post(
        sandbox.url + "CreateOrder",
        headers=FORM,
        timeout=10,
        data=signed_body(order(), sandbox.login, "client-secret"),
    )
    answer = response.json()
    assert answer["error_code"] == 4
    assert answer["hash"] == response_hash(4, "Incorrect hash", "client-secret")
    sandbox.sign_with(None)
    assert call(sandbox, order())["error_code"] == 0


def huge_order() -> dict[str, Any]:
    goods = [{"good_name": "ebook_excel", "good_sum": 100 + i} for i in range(600)]
    return order(goods=goods)  # 1200 goods pairs: more than PHP's default 1000 input vars


def test_max_input_vars_truncation_breaks_a_huge_order(sandbox: Sandbox) -> None:
    body = signed_body(huge_order(), sandbox.login, sandbox.secret)
    # PHP keeps the first max_input_vars + 1 pairs: the trailing hash is lost.
    assert post(sandbox, body)["error_code"] == 1
    # With the hash first it survives, but the truncated order no longer matches it.
    query, _, signature = body.rpartition("&")
    assert post(sandbox, f"{signature}&{query}")["error_code"] == 4
    assert sandbox.orders() == []


def test_raised_max_input_vars_accepts_a_huge_order() -> None:
    with Sandbox(max_input_vars=5000) as sb:
        assert call(sb, huge_order())["error_code"] == 0
        assert len(sb.orders()[0].items) == 600


def test_max_input_vars_boundary() -> None:
    with Sandbox(max_input_vars=3) as sb:  # 3 + 1 pairs survive, as PHP 8.2 does
        assert call(sb, order())["error_code"] == 0  # email, good, hash: 3 pairs
        assert call(sb, order(bill_tag="x"))["error_code"] == 0  # 4 pairs
        assert call(sb, order(bill_tag="x", bill_kupon="y"))["error_code"] == 1  # 5 pairs


def test_keep_alive_reuses_one_connection(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    sockets = set()
    try:
        for _ in range(5):
            body = signed_body(order(), sandbox.login, sandbox.secret).encode()
            connection.request("POST", "/api/CreateOrder", body=body, headers=FORM)
            response = connection.getresponse()
            assert json.loads(response.read())["error_code"] == 0
            assert not response.will_close
            sockets.add(id(connection.sock))
        connection.request("GET", "/api/CreateOrder")
        response = connection.getresponse()
        assert (response.status, response.getheader("Allow"), response.read()) == (
            405, "POST", b"Method not allowed\n")  # fmt: skip
        assert not response.will_close
    finally:
        connection.close()
    assert len(sockets) == 1
    assert len(sandbox.orders()) == 5


def test_refuses_non_loopback_host() -> None:
    with pytest.raises(ValueError, match="loopback"):
        Sandbox(host="0.0.0.0")
    with pytest.raises(ValueError, match="loopback"):
        Sandbox(host="192.168.1.10")


def test_stop_releases_the_port() -> None:
    sb = Sandbox().start()
    port = sb.port
    sb.stop()
    sb.stop()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_catalog_files_are_identical_and_load() -> None:
    assert (ROOT / "samples" / "catalog.csv").read_bytes() == DEFAULT_CATALOG.read_bytes()
    catalog = load_catalog(DEFAULT_CATALOG)
    assert len(catalog) >= 8
    assert {p.id for p in catalog.values() if p.physical} >= {"book_paper", "tshirt_logo"}


def test_bad_catalog_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text("id,title,price,physical\na,A,10,1\nb,B,ten,0\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cat\.csv: line 3: price 'ten'"):
        load_catalog(path)
    path.write_text("id,title,price,physical\na,A,10,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cat\.csv: line 2: physical"):
        load_catalog(path)
