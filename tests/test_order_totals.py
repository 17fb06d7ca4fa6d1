"""Order-level facts of exports: totals (never prices of every line), currencies, full names,
free text joined, spreadsheet quote marks, and conflicts shown as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from justclick_import import ImportConfig, prepare, run_import
from justclick_import.orders.names import split_full_name

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CATALOG = SAMPLES / "platform-catalog.csv"


def plan_of(tmp_path: Path, text: str, **options: object) -> object:
    source = tmp_path / "orders.csv"
    source.write_text(text, encoding="utf-8")
    return prepare(ImportConfig(input=source, timezone="UTC", **options))  # type: ignore[arg-type]


def found(plan: object) -> list[tuple[int, str, str, str, str]]:
    return [(p.row, p.column, p.value, p.code, p.detail) for p in plan.problems]  # type: ignore[attr-defined]


def test_a_total_prices_a_one_product_order_and_is_compared_with_the_others(
    tmp_path: Path,
) -> None:
    plan = plan_of(
        tmp_path,
        "Order,Email,Product ID,Price,Quantity,Total\n"
        "1,a@example.ru,kurs_python,,,12000\n"  # one product, no price: the total is its price
        "2,b@example.ru,club_month,,3,4500\n"  # 3 units: 1500 each
        "3,c@example.ru,club_month,,3,4000\n"  # 4000 / 3 is not a price: the shop's prices
        "4,d@example.ru,ebook_excel,990,2,1980\n"  # as the goods add up: nothing to say
        "5,e@example.ru,ebook_excel,990,1,1200\n"  # 210 more than the goods
        "5,e@example.ru,kurs_python,,1,1200\n",
        catalog=CATALOG,
    )
    orders = plan.orders  # type: ignore[attr-defined]
    assert [[line.good_sum for line in o.lines] for o in orders] == [
        [12000.0],
        [1500.0] * 3,
        [None] * 3,
        [990.0] * 2,
        [990.0, None],
    ]
    assert [(o.source_total, o.charged_total) for o in orders] == [
        (12000.0, 12000.0),
        (4500.0, 4500.0),
        (4000.0, 4500.0),
        (1980.0, 1980.0),
        (1200.0, 15890.0),
    ]
    assert found(plan) == [
        (4, "Total", "4000", "total-differs", "4500 (-500.00)"),
        (6, "Total", "1200", "total-differs", "15890 (-14690.00)"),
    ]
    assert plan.problems[0].severity == "warning"  # type: ignore[attr-defined]


def test_an_order_not_in_the_shops_currency_is_not_sent(tmp_path: Path) -> None:
    text = (
        "Order,Email,Product ID,Price,Currency\n"
        "1,a@example.ru,ebook_excel,990,руб.\n"
        "2,b@example.ru,ebook_excel,29,USD\n"
        "3,c@example.ru,ebook_excel,990,\n"
    )
    plan = plan_of(tmp_path, text)
    assert [o.is_valid for o in plan.orders] == [True, False, True]  # type: ignore[attr-defined]
    assert found(plan) == [(3, "Currency", "USD", "foreign-currency", "RUB")]
    assert plan.problems[0].message == (  # type: ignore[attr-defined]
        "this order is in USD, the shop sells in RUB: it is not sent (prices are never converted)"
    )
    plan = plan_of(tmp_path, text, currency="USD")
    assert [o.is_valid for o in plan.orders] == [False, True, True]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "order", "parts"),
    [
        ("Петров Иван Сергеевич", "first-last", ("Иван", "Петров", "Сергеевич")),
        ("Иван Сергеевич Петров", "first-last", ("Иван", "Петров", "Сергеевич")),
        ("Смирнова Анна", "first-last", ("Анна", "Смирнова", "")),
        ("Анна Смирнова", "last-first", ("Анна", "Смирнова", "")),
        ("Кузнецов Олег", "first-last", ("Олег", "Кузнецов", "")),
        ("Ada Lovelace", "first-last", ("Ada", "Lovelace", "")),
        ("Lovelace Ada", "last-first", ("Ada", "Lovelace", "")),
        ("Maria de la Cruz", "first-last", ("Maria", "de la Cruz", "")),
        ("Мадонна", "first-last", ("Мадонна", "", "")),
    ],
)
def test_a_full_name_is_split(name: str, order: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(name, order) == parts


def test_a_full_name_fills_only_the_name_fields_the_file_lacks(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        "Email,Product ID,ФИО,Фамилия\n"
        "a@example.ru,ebook_excel,Петров Иван Сергеевич,\n"
        "b@example.ru,ebook_excel,Анна Смирнова,Смирнова-Кац\n",
    )
    customers = [o.customer for o in plan.orders]  # type: ignore[attr-defined]
    names = [tuple(c.get(f, "") for f in ("bill_first_name", "bill_surname", "bill_middle_name"))
             for c in customers]  # fmt: skip
    assert names == [("Иван", "Петров", "Сергеевич"), ("Анна", "Смирнова-Кац", "")]
    assert "full_name" not in plan.orders[0].params()  # type: ignore[attr-defined]


def test_free_text_of_one_order_is_joined_and_identity_fields_still_conflict(
    tmp_path: Path,
) -> None:
    plan = plan_of(
        tmp_path,
        "Order,Email,Product ID,Comment,Tag,City,Order date\n"
        "1,a@example.ru,ebook_excel,Подарок,vip,Казань,29.11.2026 14:30\n"
        "1,a@example.ru,kurs_python,Упаковать,vip,Казань,29.11.2026 14:30\n"
        "1,a@example.ru,club_month,Подарок,,Казань,29.11.2026 14:30\n"
        "2,b@example.ru,ebook_excel,,,Москва,29.11.2026 14:30\n"
        "2,b@example.ru,ebook_excel,,,Москва,30.11.2026 10:00\n",
    )
    first, second = plan.orders  # type: ignore[attr-defined]
    assert first.is_valid and first.customer["bill_comment"] == "Подарок; Упаковать"
    assert first.customer["bill_tag"] == "vip"
    assert not second.is_valid
    assert found(plan) == [
        (2, "Comment", "Подарок; Упаковать", "texts-joined", "2"),
        (5, "Order date", "29.11.2026 14:30 | 30.11.2026 10:00", "conflicting-order",
         "row 5: '29.11.2026 14:30', row 6: '30.11.2026 10:00'"),
    ]  # fmt: skip


def test_a_leading_quote_is_removed_and_said_once_per_column(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        "Email,Product ID,Zip,Phone,Comment\n"
        "a@example.ru,ebook_excel,'012345,'+79001234567,'как есть'\n"
        "b@example.ru,ebook_excel,'101000,,\n",
    )
    customers = [o.customer for o in plan.orders]  # type: ignore[attr-defined]
    assert [c["bill_postal_code"] for c in customers] == ["012345", "101000"]
    assert customers[0]["bill_phone"] == "+79001234567"
    assert customers[0]["bill_comment"] == "'как есть'"  # free text is never touched
    assert found(plan) == [
        (2, "Phone", "'+79001234567", "quote-removed", "1"),
        (2, "Zip", "'012345", "quote-removed", "2"),
    ]


def test_the_orders_sheet_shows_the_files_total_and_the_difference(
    tmp_path: Path,
) -> None:
    source = tmp_path / "gc.csv"
    shutil.copy(SAMPLES / "getcourse-orders-export.csv", source)
    run_import(ImportConfig(input=source, catalog=CATALOG, sandbox=True))
    sheet = load_workbook(tmp_path / "gc.results.xlsx", read_only=True)["Orders"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    by_key = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    pick = ("goods", "total", "source_total", "difference", "status")
    assert {k: by_key["4012003"][k] for k in pick} == {
        "goods": "club_month, webinar_sales",
        "total": 4000,  # at the shop's prices, from the catalog
        "source_total": 3200,
        "difference": -800,
        "status": "created",
    }
    assert {k: by_key["4012001"][k] for k in pick} == {
        "goods": "kurs_python",
        "total": 14900,
        "source_total": 14900,
        "difference": 0,
        "status": "created",
    }
    assert by_key["4012004"]["status"] == "skipped"
