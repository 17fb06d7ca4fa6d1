"""Each sample in samples/ imports as it is, or reports exactly its problems."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from justclick_import import ImportConfig, Plan, Secret, prepare, run_import
from justclick_import.errors import ConfigError, InputError
from justclick_import.models import ExitStatus, OrderStatus
from justclick_import.sandbox import Sandbox

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def moscow(*parts: int) -> str:
    """A Moscow wall-clock time as the unix timestamp text sent to JustClick."""
    return str(int(dt.datetime(*parts, tzinfo=ZoneInfo("Europe/Moscow")).timestamp()))  # type: ignore[misc]


def prepared(name: str, **options: Any) -> Plan:
    """A sample prepared with dates read in Moscow time."""
    return prepare(ImportConfig(input=SAMPLES / name, timezone="Europe/Moscow", **options))


def problems(found: Plan) -> list[tuple[int, str, str, str]]:
    """The problems as (row, column, value, code)."""
    return [(p.row, p.column, p.value, p.code) for p in found.problems]


def sent_by_sandbox(
    server: Sandbox, tmp_path: Path, name: str, **options: Any
) -> list[dict[str, Any]]:
    """Import a sample into ``server``; the parameters of the orders it created."""
    source = tmp_path / name
    shutil.copy(SAMPLES / name, source)
    config = ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        journal=tmp_path / "journal.sqlite",
        timezone="Europe/Moscow",
        **options,
    )
    result = run_import(config)
    assert result.exit_status() is ExitStatus.OK, result.problems
    # PHP parses goods[0][...] into an array keyed 0, 1, ...: back to a list.
    return [
        {**order.params, "goods": list(order.params["goods"].values())} for order in server.orders()
    ]


def test_a_cp1251_semicolon_export_with_russian_headers(server: Sandbox, tmp_path: Path) -> None:
    found = prepared("export-cp1251-semicolon.csv")
    assert found.sheet.describe_format() == ("Windows-1251, semicolon-separated, headers in row 1")
    assert found.mapping.ignored == ["Менеджер"]
    assert problems(found) == []
    assert sent_by_sandbox(server, tmp_path, "export-cp1251-semicolon.csv") == [
        {
            "goods": [
                {"good_name": "book_paper", "good_sum": "1890"},
                {"good_name": "ebook_excel", "good_sum": "990"},
            ],
            "bill_email": "ivan.petrov@example.ru",
            "bill_first_name": "Иван",
            "bill_surname": "Петров",
            "bill_phone": "+7 912 345-67-89",
            "bill_country": "Россия",
            "bill_city": "Подольск",
            "bill_address": "ул. Ленина, д. 5",
            "bill_postal_code": "012345",
            "bill_created": moscow(2026, 11, 29, 14, 30),
        },
        {
            "goods": [{"good_name": "kurs_python", "good_sum": "14900"}],
            "bill_email": "Мария.Ёлкина@почта.рф",
            "bill_first_name": "Мария",
            "bill_surname": "Ёлкина",
            "bill_phone": "89031234567",
            "bill_created": moscow(2026, 11, 30),
        },
    ]


def test_excel_unicode_text(server: Sandbox, tmp_path: Path) -> None:
    found = prepared("utf16-excel.txt")
    assert found.sheet.describe_format() == "UTF-16, tab-separated, headers in row 1"
    assert sent_by_sandbox(server, tmp_path, "utf16-excel.txt") == [
        {
            "goods": [{"good_name": "webinar_sales", "good_sum": "2500"}],
            "bill_email": "anna@example.com",
            "bill_first_name": "Anna",
            "bill_surname": "Kim",
            "bill_comment": "Call first\r\nthen send",
        },
        {
            "goods": [{"good_name": "consult_1h", "good_sum": "5000"}],
            "bill_email": "oleg@example.org",
            "bill_first_name": "Oleg",
            "bill_surname": "Lee",
        },
    ]


def test_bom_and_pipes_keep_long_numbers_and_zeros() -> None:
    found = prepared("bom-pipe.csv")
    assert (
        found.sheet.describe_format() == "UTF-8 with BOM, vertical bar-separated, headers in row 1"
    )
    assert [(o.key, o.params()) for o in found.orders] == [
        (
            "12345678901234567890",
            {
                "goods": [{"good_name": "club_month"}],
                "bill_email": "a@example.ru",
                "bill_phone": "0079031234567",
                "bill_postal_code": "012345",
            },
        ),
        (
            "12345678901234567891",
            {
                "goods": [{"good_name": "club_month"}],
                "bill_email": "b@example.ru",
                "bill_phone": "0079037654321",
                "bill_postal_code": "000100",
            },
        ),
    ]


def test_a_title_above_the_header_in_a_workbook(server: Sandbox, tmp_path: Path) -> None:
    found = prepared("title-above-header.xlsx")
    assert found.sheet.row_numbers == [5, 6, 8]
    assert problems(found) == [  # number cells: told, and sent as they read
        (5, "Телефон", "79123456789", "typed-as-number"),
        (8, "Индекс", "190000", "typed-as-number"),
    ]
    assert sent_by_sandbox(server, tmp_path, "title-above-header.xlsx") == [
        {
            "goods": [{"good_name": "kurs_python", "good_sum": "14900"}],
            "bill_email": "ivan@example.ru",
            "bill_first_name": "Иван",
            "bill_phone": "79123456789",
            "bill_postal_code": "012345",
            "bill_created": moscow(2026, 11, 29, 14, 30),
        },
        {
            "goods": [{"good_name": "ebook_excel", "good_sum": "990.5"}],
            "bill_email": "maria@example.ru",
            "bill_first_name": "Мария",
            "bill_phone": "89031234567",
            "bill_created": moscow(2026, 11, 30),
        },
        {
            "goods": [{"good_name": "club_month", "good_sum": "1500.5"}],
            "bill_email": "oleg@example.org",
            "bill_first_name": "Олег",
            "bill_postal_code": "190000",
            "bill_created": moscow(2026, 12, 1),
        },
    ]


def test_russian_headers_on_the_second_sheet(server: Sandbox, tmp_path: Path) -> None:
    found = prepared("russian-headers.xlsx")
    assert found.sheet.sheet_name == "Данные"
    assert found.mapping.ignored == ["Примечание менеджера"]
    assert list(found.mapping.fields) == [
        "bill_email", "bill_surname", "bill_first_name", "bill_middle_name", "bill_phone",
        "bill_country", "bill_region", "bill_city", "bill_address", "bill_postal_code",
        "bill_kupon", "bill_tag", "bill_comment", "good_name", "good_sum", "utm_source",
        "utm_medium",
    ]  # fmt: skip
    assert problems(found) == []
    assert sent_by_sandbox(server, tmp_path, "russian-headers.xlsx") == [
        {
            "goods": [
                {"good_name": "book_paper", "good_sum": "1890"},
                {"good_name": "kurs_python", "good_sum": "14900"},
            ],
            "bill_email": "anna@example.ru",
            "bill_first_name": "Анна",
            "bill_surname": "Кузнецова",
            "bill_middle_name": "Олеговна",
            "bill_phone": "+7 900 000-00-01",
            "bill_country": "Россия",
            "bill_region": "Татарстан",
            "bill_city": "Казань",
            "bill_address": "ул. Баумана, 1",
            "bill_postal_code": "420111",
            "bill_kupon": "SKIDKA10",
            "bill_tag": "vip",
            "bill_comment": "Подарок",
            "utm": {"utm_medium": "affiliate", "utm_source": "partner_anna"},
        }
    ]


def test_messy_prices_report_exactly_their_problems() -> None:
    found = prepared("messy-prices.csv")
    assert problems(found) == [
        (9, "good_sum", "1,500", "ambiguous-price"),
        (10, "good_sum", "-100", "negative-price"),
        (11, "good_sum", "0", "zero-price"),
        (12, "good_sum", "около 1500", "bad-price"),
    ]
    assert [(o.key, o.is_valid, o.total) for o in found.orders] == [
        ("p1@example.ru", True, 1500.0),
        ("p2@example.ru", True, 1500.5),
        ("p3@example.ru", True, 1500.5),
        ("p4@example.ru", True, 1500.5),
        ("p5@example.ru", True, 1500.5),
        ("p6@example.ru", True, 1500.0),
        ("p7@example.ru", True, 1500.0),
        ("p8@example.ru", False, None),
        ("p9@example.ru", False, None),
        ("p10@example.ru", True, 0.0),
        ("p11@example.ru", False, None),
        ("p12@example.ru", True, None),
    ]


def test_a_conflicting_order_is_invalid_and_blank_cells_are_filled() -> None:
    found = prepared("conflicting-order.csv")
    assert [(o.key, o.rows, o.customer, o.is_valid) for o in found.orders] == [
        (
            "A-1",
            [2, 4, 6],
            {"bill_email": "ivan@example.ru", "bill_first_name": "Иван", "bill_city": "Москва"},
            True,
        ),
        (
            "B-7",
            [3, 5],
            {"bill_email": "olga@example.ru", "bill_first_name": "Ольга", "bill_city": "Казань"},
            False,
        ),
    ]
    assert [(p.row, p.column, p.value, p.code, p.message) for p in found.problems] == [
        (
            3,
            "City",
            "Казань | Самара",
            "conflicting-order",
            "rows of one order disagree (row 3: 'Казань', row 5: 'Самара'); make them equal "
            "or give the orders different order numbers",
        )
    ]


def test_other_cell_problems() -> None:
    found = prepared("bad-cells.csv")
    assert problems(found) == [
        (2, "bill_domain", "https://shop.example.ru/", "domain-scheme-removed"),
        (3, "bill_email", "not-an-email", "bad-email"),
        (4, "bill_domain", "shop example", "bad-domain"),
        (4, "bill_ip", "300.1.1.1", "bad-ip"),
        (4, "good_name", "Курс Python", "bad-product"),
        (5, "utm_medium", "affiliate", "affiliate-without-source"),
        (8, "good_name", "", "missing-product"),
    ]
    first = found.orders[0]
    assert first.is_valid
    assert first.params() == {
        "goods": [{"good_name": "kurs_python"}],
        "bill_email": "user@почта.рф",
        "bill_city": "Тверь",
        "bill_ip": "2001:db8::1",
        "bill_domain": "shop.example.ru",
    }
    assert [o.key for o in found.orders if o.is_valid] == ["user@почта.рф", "e@example.ru"]


def test_the_catalog_is_checked_before_sending(server: Sandbox, tmp_path: Path) -> None:
    assert problems(prepared("catalog-check.csv")) == []
    found = prepared("catalog-check.csv", catalog=SAMPLES / "catalog.csv")
    assert [(p.row, p.column, p.value, p.code, p.message) for p in found.problems] == [
        (
            4,
            "good_name",
            "book_paper",
            "missing-delivery",
            "this product is sent by post: the order needs the delivery address; missing: "
            "bill_surname, bill_country, bill_city, bill_address",
        ),
        (
            6,
            "good_name",
            "kurs_pyhton",
            "unknown-product",
            "your shop has no product with the id 'kurs_pyhton' (checked against the catalog)",
        ),
    ]
    source = tmp_path / "catalog-check.csv"
    shutil.copy(SAMPLES / "catalog-check.csv", source)
    config = ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        journal=tmp_path / "journal.sqlite",
        catalog=SAMPLES / "catalog.csv",
    )
    result = run_import(config)
    assert [(r.order.key, r.status) for r in result.results] == [
        ("post@example.ru", OrderStatus.CREATED),
        ("nopost@example.ru", OrderStatus.INVALID),
        ("typo@example.ru", OrderStatus.INVALID),
    ]
    assert server.call_counts()["CreateOrder"] == 1


def test_a_mapping_file_explains_custom_headers(server: Sandbox, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no header is a JustClick field"):
        prepared("custom-headers.csv")
    mapping = SAMPLES / "custom-headers.mapping.toml"
    found = prepared("custom-headers.csv", mapping_file=mapping)
    assert found.mapping.ignored == ["Внутренний номер", "Эл. почта (старая)"]
    assert sent_by_sandbox(server, tmp_path, "custom-headers.csv", mapping_file=mapping) == [
        {
            "goods": [{"good_name": "kurs_python", "good_sum": "14900"}],
            "bill_email": "k1@example.ru",
        },
        {"goods": [{"good_name": "ebook_excel", "good_sum": "990"}], "bill_email": "k2@example.ru"},
    ]


def test_dates_and_flags_are_sent_as_timestamps() -> None:
    found = prepared("dates-and-flags.csv")
    sent = {
        o.key: (o.customer.get("bill_created"), o.customer.get("bill_timer_kill"))
        for o in found.orders
        if o.is_valid
    }
    assert sent == {
        "d1@example.ru": (moscow(2026, 11, 29), "1"),
        "d2@example.ru": (moscow(2026, 11, 29), "0"),
        "d3@example.ru": (moscow(2026, 11, 29, 14, 30), "1"),
        "d4@example.ru": (moscow(2026, 11, 29, 14, 30), "0"),
        "d5@example.ru": ("1795958400", moscow(2099, 12, 31, 23, 59)),
        "d6@example.ru": (moscow(2026, 11, 29), "0"),
        "d9@example.ru": (None, moscow(2020, 1, 1)),
    }


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("two-email-columns.csv", InputError, "columns 'E-mail' and 'Почта' both mean bill_email"),
        ("password-protected.xlsx", InputError, "the workbook is password-protected"),
        ("truncated.xlsx", InputError, "not an XLSX workbook (damaged, cut short or renamed)"),
        ("workbook-named-csv.csv", InputError, "is an Excel workbook"),
    ],
)
def test_unusable_samples_stop_before_anything_is_sent(
    name: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        prepared(name)
    assert str(raised.value).startswith(str(SAMPLES / name) + ": ")
    assert message in str(raised.value)


def test_bad_options_stop_before_reading(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown time zone 'Moscow'"):
        prepare(ImportConfig(input=SAMPLES / "orders.csv", timezone="Moscow"))
    with pytest.raises(ConfigError, match="cannot read the catalog"):
        prepare(ImportConfig(input=SAMPLES / "orders.csv", catalog=tmp_path / "none.csv"))
    with pytest.raises(ConfigError, match="cannot read the mapping file"):
        prepare(ImportConfig(input=SAMPLES / "orders.csv", mapping_file=tmp_path / "none.toml"))
