"""End to end: a spreadsheet becomes signed orders on the sandbox and a results workbook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from justclick_import import ImportConfig, Secret, prepare, run_import
from justclick_import.models import ExitStatus, OrderStatus
from justclick_import.sandbox import Sandbox


def sandbox_config(server: Sandbox, source: Path, **options: object) -> ImportConfig:
    config = ImportConfig(
        input=source, login=server.login, secret=Secret(server.secret), api_url=server.url
    )
    for name, value in options.items():
        setattr(config, name, value)
    return config


@pytest.mark.parametrize("name", ["orders.csv", "orders.xlsx"])
def test_every_sample_order_is_created_once_with_all_its_goods(
    server: Sandbox, samples: Path, tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    shutil.copy(samples / name, source)
    result = run_import(sandbox_config(server, source))

    assert result.exit_status() is ExitStatus.OK
    created = server.orders()
    assert len(created) == len(result.results) == 12
    by_bill = {order.bill_id: order for order in created}
    for order_result in result.results:
        assert order_result.status is OrderStatus.CREATED
        sent = by_bill[order_result.bill_id]  # type: ignore[index]
        assert sent.email == order_result.order.email
        assert [item[0] for item in sent.items] == [
            line.good_name for line in order_result.order.lines
        ]
    oleg = next(r for r in result.results if r.order.key == "oleg.smirnov@example.org")
    assert [line.row for line in oleg.order.lines] == [7, 8, 9]
    sent_comment = by_bill[oleg.bill_id].params["bill_comment"]  # type: ignore[index]
    assert sent_comment == "Счёт на ИП ~ оплата по безналу 🙂"

    workbook = load_workbook(tmp_path / f"{source.stem}.results.xlsx", read_only=True)
    orders = list(workbook["Orders"].iter_rows(values_only=True))
    header = list(orders[0])
    statuses = {row[header.index("order_key")]: row for row in orders[1:]}
    for order_result in result.results:
        row = statuses[order_result.order.key]
        assert row[header.index("status")] == "created"
        assert row[header.index("bill_id")] == order_result.bill_id


def test_a_physical_good_needs_the_delivery_address(server: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "post.csv"
    source.write_text(
        "bill_email,bill_first_name,bill_surname,bill_country,bill_city,bill_address,good_name\n"
        "a@example.ru,Анна,Ким,Россия,Казань,ул. Баумана 1,book_paper\n"
        "b@example.ru,Борис,Ли,,,,book_paper\n",
        encoding="utf-8",
    )
    result = run_import(sandbox_config(server, source))
    assert [(r.status, r.error_code) for r in result.results] == [
        (OrderStatus.CREATED, 0),
        (OrderStatus.FAILED, 605),
    ]
    assert result.exit_status() is ExitStatus.SOME_FAILED


def test_every_text_field_survives_the_php_signature(server: Sandbox, tmp_path: Path) -> None:
    nasty = "~ * ' ( ) ! \" & = + % # «ёлка» 😀 a~b"
    fields = [
        "bill_first_name", "bill_surname", "bill_middle_name", "bill_phone", "bill_country",
        "bill_region", "bill_city", "bill_address", "bill_postal_code", "bill_kupon", "bill_tag",
        "bill_comment", "utm_source", "utm_campaign", "utm_content", "utm_term",
    ]  # fmt: skip
    source = tmp_path / "nasty.csv"
    values = [f'"{nasty.replace(chr(34), chr(34) * 2)} {name}"' for name in fields]
    source.write_text(
        ",".join(["bill_email", "good_name", *fields]) + "\n"
        + ",".join(["x~y@example.com", "kurs_python", *values]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = run_import(sandbox_config(server, source))
    assert result.results[0].status is OrderStatus.CREATED
    params = server.orders()[0].params
    for name in fields:
        sent = params["utm"][name] if name.startswith("utm_") else params[name]
        assert sent == f"{nasty} {name}"


def test_a_wrong_secret_stops_after_the_first_answer(
    server: Sandbox, samples: Path, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    shutil.copy(samples / "orders.csv", source)
    config = sandbox_config(server, source, secret=Secret("not-the-secret"))
    result = run_import(config)
    assert result.exit_status() is ExitStatus.STOPPED
    assert server.call_counts()["CreateOrder"] == 1
    assert server.orders() == []
    assert f"'{server.login}'" in result.stop_message and "secret" in result.stop_message
    assert [r.status for r in result.results[1:]] == [OrderStatus.NOT_SENT] * 11
    assert (tmp_path / "orders.results.xlsx").exists()


def test_invalid_rows_are_never_sent_and_valid_orders_still_are(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "mixed.csv"
    source.write_text(
        "bill_email,good_name,good_sum\n"
        "good@example.ru,kurs_python,100\n"
        "not-an-email,kurs_python,100\n"
        "other@example.ru,ebook_excel,abc\n"
        "other@example.ru,kurs_python,\n",
        encoding="utf-8",
    )
    result = run_import(sandbox_config(server, source))
    assert [(r.order.key, r.status) for r in result.results] == [
        ("good@example.ru", OrderStatus.CREATED),
        ("not-an-email", OrderStatus.INVALID),
        ("other@example.ru", OrderStatus.INVALID),
    ]
    assert [o.email for o in server.orders()] == ["good@example.ru"]
    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (3, "bill_email", "bad-email"),
        (4, "good_sum", "bad-price"),
    ]
    outcomes = result.row_outcomes()
    assert [o.import_status for o in outcomes] == ["created", "invalid", "invalid", "invalid"]
    assert "row 4, good_sum" in outcomes[3].import_message


def test_rows_of_one_order_number_form_one_order(tmp_path: Path) -> None:
    source = tmp_path / "numbered.csv"
    source.write_text(
        "order_id,bill_email,good_name\n"
        "A-1,x@example.ru,kurs_python\n"
        "A-2,x@example.ru,ebook_excel\n"
        "A-1,,club_month\n",
        encoding="utf-8",
    )
    prepared = prepare(ImportConfig(input=source))
    assert [(o.key, [line.good_name for line in o.lines]) for o in prepared.orders] == [
        ("A-1", ["kurs_python", "club_month"]),
        ("A-2", ["ebook_excel"]),
    ]
    assert prepared.orders[0].email == "x@example.ru"


def test_rows_of_one_order_that_disagree_make_it_invalid(tmp_path: Path) -> None:
    source = tmp_path / "conflict.csv"
    source.write_text(
        "bill_email,bill_city,good_name\n"
        "x@example.ru,Москва,kurs_python\n"
        "X@Example.ru,Казань,ebook_excel\n",
        encoding="utf-8",
    )
    prepared = prepare(ImportConfig(input=source))
    assert len(prepared.orders) == 1
    assert not prepared.orders[0].is_valid
    assert [(p.row, p.column, p.value, p.code) for p in prepared.problems] == [
        (2, "bill_city", "Москва | Казань", "conflicting-order")
    ]


def test_a_dry_run_sends_nothing(server: Sandbox, samples: Path, tmp_path: Path) -> None:
    source = tmp_path / "orders.xlsx"
    shutil.copy(samples / "orders.xlsx", source)
    config = ImportConfig(
        input=source,
        dry_run=True,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
    )
    result = run_import(config)
    assert {r.status for r in result.results} == {OrderStatus.NOT_SENT}
    assert result.exit_status() is ExitStatus.OK
    assert server.call_counts() == {}


def test_an_order_too_big_for_one_request_is_reported_not_sent(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "huge.csv"
    lines = ["order_id,bill_email,good_name,good_sum"]
    lines += [f"BIG,a@example.ru,kurs_python,{100 + i}" for i in range(600)]
    lines += ["SMALL,b@example.ru,kurs_python,100"]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_import(sandbox_config(server, source))
    assert [(r.order.key, r.status) for r in result.results] == [
        ("BIG", OrderStatus.INVALID),
        ("SMALL", OrderStatus.CREATED),
    ]
    assert [(p.row, p.code, p.value) for p in result.problems] == [(2, "too-many-goods", "600")]
    assert [o.email for o in server.orders()] == ["b@example.ru"]
