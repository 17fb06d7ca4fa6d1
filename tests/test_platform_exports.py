"""Each platform's export, as it comes out of the platform, imports with only the catalog.

The fixtures in samples/ follow each platform's documented export columns (samples/README.md
names the sources): Shopify's order export CSV (79 columns, order fields on an order's first
row only), the default fields of "Advanced Order Export For WooCommerce", GetCourse's orders
export, amoCRM's deals export (amocrm.ru/support/export/export/leads) and Tilda's leads CSV.
No mapping file and no time zone are given; this machine's zone is set to Tokyo so that a date
read in it instead of the platform's would show.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from justclick_import import ImportConfig, Secret, run_import
from justclick_import.models import OrderStatus, RunResult
from justclick_import.sandbox import Sandbox
from justclick_import.sending.options import SendOptions

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CATALOG = SAMPLES / "platform-catalog.csv"


def moscow(*parts: int) -> str:
    """A Moscow wall-clock time as the unix timestamp text sent to JustClick."""
    return str(int(dt.datetime(*parts, tzinfo=ZoneInfo("Europe/Moscow")).timestamp()))  # type: ignore[misc]


def at(text: str) -> str:
    """An ISO time with its offset as the unix timestamp text sent to JustClick."""
    return str(int(dt.datetime.fromisoformat(text).timestamp()))


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    with Sandbox(CATALOG) as server:
        yield server


def imported(
    server: Sandbox, tmp_path: Path, name: str, **send: Any
) -> tuple[RunResult, dict[str, Any]]:
    """Import a sample with only the catalog (``send``: sending options, such as applying the
    statuses); the run and what the sandbox got, by order key."""
    source = tmp_path / name
    shutil.copy(SAMPLES / name, source)
    config = ImportConfig(
        input=source,
        catalog=CATALOG,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        journal=tmp_path / "journal.sqlite",
        **({"send": SendOptions(**send)} if send else {}),
    )
    result = run_import(config)
    bills = {order.bill_id: order.params for order in server.orders()}
    sent = {}
    for order_result in result.results:
        if order_result.bill_id is not None:
            params = dict(bills[order_result.bill_id])
            goods = params.pop("goods")
            params["goods"] = [(good["good_name"], good.get("good_sum")) for good in goods.values()]
            sent[order_result.order.key] = params
    return result, sent


def outcomes(result: RunResult) -> dict[str, tuple[str, str]]:
    """Each order's status, and for those not created, why."""
    return {
        r.order.key: (r.status.value, "" if r.status is OrderStatus.CREATED else r.error_text)
        for r in result.results
    }


def codes(result: RunResult) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.code) for p in result.problems]


def test_a_shopify_orders_export(shop: Sandbox, tmp_path: Path) -> None:
    result, sent = imported(shop, tmp_path, "shopify-orders-export.csv")
    assert result.preset == "shopify"
    assert outcomes(result) == {
        "#1001": ("created", ""),
        "#1002": ("created", ""),
        "#1003": ("created", ""),
        "#1004": ("created", ""),
        "#1005": ("created", ""),
        "#1006": (
            "invalid",
            "row 10, Currency: this order is in USD, the shop sells in RUB: it is not sent "
            "(prices are never converted)",
        ),
        "#1007": ("created", ""),
        "#1008": (
            "invalid",
            "row 12, Email: the customer's e-mail is empty; every order needs one",
        ),
        "#1009": ("created", ""),
        "#1010": ("created", ""),
    }
    # One goods entry per unit, at the line's unit price; the SKU or, without one, the title.
    assert sent["#1001"] == {
        "goods": [("kurs_python", "14900"), ("ebook_excel", "990"), ("ebook_excel", "990")],
        "bill_email": "ivan.petrov@example.ru",
        "bill_first_name": "Иван",
        "bill_surname": "Петров",
        "bill_phone": "+79123456789",  # written '+79123456789
        "bill_created": at("2025-03-03T10:15:02+03:00"),
    }
    assert sent["#1002"]["goods"] == [
        ("tshirt_logo", "1200"),  # "Футболка с логотипом - L": the variant is not the title
        ("tshirt_logo", "1200"),
        ("mug_logo", "650"),
    ]
    assert {k: sent["#1002"][k] for k in ("bill_city", "bill_postal_code", "bill_kupon")} == {
        "bill_city": "Казань",
        "bill_postal_code": "420111",
        "bill_kupon": "SPRING10",
    }
    assert sent["#1003"]["goods"] == [("webinar_sales", "2500")]  # the tip is not a product
    assert sent["#1007"]["goods"] == [("club_month", "1500")] * 3  # a title with a comma
    assert sent["#1007"]["bill_tag"] == "клуб, весна"
    assert sent["#1009"]["bill_postal_code"] == "101000"
    assert codes(result) == [
        (2, "Billing Phone", "quote-removed"),
        (4, "Billing Zip", "quote-removed"),
        (4, "Total", "total-differs"),  # 3050 of goods + 350 shipping - 305 discount
        (6, "Total", "total-differs"),  # the tip
        (7, "Lineitem name", "not-a-product"),
        (10, "Currency", "foreign-currency"),
        (12, "Email", "missing-email"),
    ]
    statuses = {s.word: (s.orders, s.status) for s in result.statuses}
    assert statuses == {
        "paid": (6, "paid"),
        "partially_refunded": (1, "paid"),
        "refunded": (1, "return"),
        "voided": (1, "cancel"),
        "pending": (1, ""),
    }


def test_a_woocommerce_advanced_order_export(shop: Sandbox, tmp_path: Path) -> None:
    result, sent = imported(shop, tmp_path, "woocommerce-order-export.xlsx", apply_status=True)
    assert result.preset == "woocommerce"
    assert outcomes(result) == {
        "2301": ("created", ""),
        "2302": ("created", ""),
        "2303": ("created", ""),
        "2304": ("created", ""),  # refunded in full: kept, with its goods and status return
        "2305": ("created", ""),
        "2306": ("created", ""),
        "2307": ("created", ""),
        "2308": ("skipped", "skipped (status 'Черновик'): not a sale, so it is not sent"),
        "2309": ("created", ""),
        "2310": ("created", ""),
    }
    assert sent["2301"] == {
        "goods": [("kurs_python", "14900"), ("ebook_excel", "990"), ("ebook_excel", "990")],
        "bill_email": "ivan.petrov@example.ru",
        "bill_first_name": "Иван",
        "bill_surname": "Петров",
        "bill_phone": "+7 912 345-67-89",
        "bill_created": moscow(2025, 3, 14, 10, 5),  # the shop's Moscow time, not Tokyo
    }
    assert sent["2302"]["goods"] == [("tshirt_logo", "1200")] * 2 + [("mug_logo", "650")]
    assert sent["2302"]["bill_comment"] == "Доставить после 18:00"
    assert sent["2303"]["goods"] == [("webinar_sales", "2250")]  # the price after the coupon
    assert sent["2303"]["bill_kupon"] == "spring10"
    # A partial refund: the line refunded is left out, the rest kept at its net units.
    assert sent["2305"]["goods"] == [("kurs_python", "14900")]
    # Refunded in full. The plugin's default fields (class-wc-order-export-data-extractor-ui.php,
    # get_order_fields_product_items, in v3.4.0 as kept in developermauricio/naturalconexion at
    # 9e99229) export "Quantity (- Refund)" (qty_minus_refund, 'checked' => 1), which
    # class-wc-order-export-order-product-fields.php computes as _qty plus the (negative)
    # get_qty_refunded_for_item: 0 on every line refunded item by item. "Quantity" (qty, the
    # units ordered) and "Order Line Total Refunded" are 'checked' => 0; only the order's
    # "Order Refund Amount" (get_total_refunded) is there. "Item Cost" (get_item_total) and
    # "Order Total Amount" (get_total) are as sold, refunds not taken off. So the units are
    # not in the file: one per line, said so; the price and total are the file's.
    assert sent["2304"]["goods"] == [("kurs_marketing", "19900")]
    bills = {order.bill_id: order for order in shop.orders()}
    by_key = {r.order.key: r for r in result.results}
    returned = bills[by_key["2304"].bill_id]
    assert [change.status for change in returned.status_history] == ["return"]
    assert by_key["2304"].status_step == "applied"
    assert codes(result) == [
        (2, "Order Date", "naive-dates"),  # Moscow is assumed: the shop's zone is not in the file
        (4, "Order Total Amount", "total-differs"),  # 350 shipping
        (7, "Quantity (- Refund)", "refunded-quantity-assumed"),  # refunded in full
        (8, "Order Total Amount", "total-differs"),  # the refund
        (9, "Quantity (- Refund)", "zero-quantity"),
    ]
    assumed = next(p for p in result.problems if p.code == "refunded-quantity-assumed")
    assert assumed.is_error is False
    assert assumed.message.startswith(
        "0 units are left after the refund and the file does not say how many were ordered: "
        "one unit of this line is imported"
    )


def test_a_getcourse_orders_export(shop: Sandbox, tmp_path: Path) -> None:
    result, sent = imported(shop, tmp_path, "getcourse-orders-export.csv")
    assert result.preset == "getcourse"
    assert outcomes(result) == {
        "4012001": ("created", ""),
        "4012002": ("created", ""),
        "4012003": ("created", ""),
        "4012004": ("skipped", "skipped (status 'Ложный'): not a sale, so it is not sent"),
        "4012005": ("created", ""),
        "4012006": ("created", ""),
        "4012007": ("created", ""),
        "4012008": (
            "invalid",
            "row 9, Email: the customer's e-mail is empty; every order needs one",
        ),
        "4012009": ("created", ""),
        "4012010": ("created", ""),
    }
    assert sent["4012001"] == {
        "goods": [("kurs_python", "14900")],  # one offer: the order's total is its price
        "bill_email": "ivan.petrov@example.ru",
        "bill_first_name": "Иван",
        "bill_surname": "Петров",
        "bill_phone": "+79123456789",
        "bill_city": "Москва",
        "bill_created": moscow(2025, 3, 10, 12, 30),
        "utm": {"utm_medium": "cpc", "utm_source": "yandex", "utm_campaign": "python-spring"},
    }
    # Several offers in one cell: one line each, at the shop's prices (they add up to the total).
    assert sent["4012002"]["goods"] == [("kurs_marketing", None), ("ebook_excel", None)]
    assert sent["4012003"]["goods"] == [("club_month", None), ("webinar_sales", None)]
    assert sent["4012003"]["bill_kupon"] == "SALE20"
    assert sent["4012003"]["bill_first_name"] == "Олег"  # "Кузнецов Олег": the surname first
    assert sent["4012009"]["bill_middle_name"] == "Петрович"
    assert sent["4012009"]["bill_surname"] == "Сидоров"
    assert codes(result) == [
        (4, "Стоимость, RUB", "total-differs"),  # 3200 paid for 4000 of goods: the promo code
        (9, "Email", "missing-email"),
    ]


def test_an_amocrm_deals_export(shop: Sandbox, tmp_path: Path) -> None:
    result, sent = imported(shop, tmp_path, "amocrm-deals-export.xlsx")
    assert result.preset == "amocrm"
    assert outcomes(result) == {
        "24135701": ("created", ""),
        "24135702": ("created", ""),
        "24135703": (
            "skipped",
            "skipped (status 'Закрыто и не реализовано'): not a sale, so it is not sent",
        ),
        "24135704": ("skipped", "skipped (status 'Переговоры'): not a sale, so it is not sent"),
        "24135705": (
            "skipped",
            "skipped (status 'Первичный контакт'): not a sale, so it is not sent",
        ),
        "24135706": ("created", ""),
        "24135707": ("created", ""),
        "24135708": (
            "invalid",
            "row 9, E-mail: the customer's e-mail is empty; every order needs one",
        ),
        "24135709": ("created", ""),
        "24135710": (
            "skipped",
            "skipped (status 'Принимают решение'): not a sale, so it is not sent",
        ),
    }
    assert sent["24135701"] == {
        "goods": [("kurs_python", "14900")],  # the budget is the price of the deal's product
        "bill_email": "oleg.k@example.ru",
        "bill_first_name": "Олег",
        "bill_surname": "Кузнецов",
        "bill_phone": "+7 (912) 345-67-89",
        "bill_tag": "вебинар",
        "bill_created": moscow(2025, 3, 10, 11, 20),
    }
    assert sent["24135706"]["goods"] == [("kurs_marketing", "18000")]  # a discount, kept
    assert sent["24135706"]["bill_address"] == "Москва, Тверская ул., 7"
    assert sent["24135707"]["bill_middle_name"] == "Сергеевна"
    assert sent["24135702"]["bill_comment"] == "Перенесли на пятницу"
    assert codes(result) == [
        (5, "Статус сделки", "open-deal"),
        (6, "Статус сделки", "open-deal"),
        (9, "E-mail", "missing-email"),
        (11, "Статус сделки", "open-deal"),
    ]


def test_a_tilda_leads_export(shop: Sandbox, tmp_path: Path) -> None:
    result, sent = imported(shop, tmp_path, "tilda-leads-export.csv")
    assert result.preset == "tilda"
    assert outcomes(result) == {
        "1234567001": ("created", ""),
        "1234567002": ("created", ""),
        "1234567003": ("created", ""),
        "1234567004": ("created", ""),
        "1234567005": (
            "invalid",
            "row 6, Email: the customer's e-mail is empty; every order needs one",
        ),
        "1234567006": ("created", ""),
        "1234567007": ("created", ""),
        "1234567008": ("created", ""),
    }
    assert sent["1234567002"] == {
        "goods": [("ebook_excel", None), ("ebook_excel", None), ("webinar_sales", None)],
        "bill_email": "maria.sidorova@example.ru",
        "bill_first_name": "Мария",
        "bill_surname": "Сидорова",
        "bill_phone": "+7 (903) 111-22-33",
        "bill_created": moscow(2025, 3, 12, 10, 2, 33),
        "utm": {"utm_medium": "cpc", "utm_source": "yandex", "utm_campaign": "spring"},
    }
    assert sent["1234567003"]["goods"] == [("club_month", "1500")] * 3  # 4500 for 3 units
    assert sent["1234567004"]["goods"] == [("kurs_marketing", "17910")]  # after the promo code
    assert sent["1234567004"]["bill_kupon"] == "TILDA10"
    assert sent["1234567006"]["goods"] == [("ebook_excel", "990")]  # a title without quotes
    assert sent["1234567007"]["goods"] == [("webinar_sales", "2500")] * 2  # "(x2)"
    assert sent["1234567008"]["bill_first_name"] == "Марина"  # "Петрова Марина"
    assert codes(result) == [(6, "Email", "missing-email")]


@pytest.mark.parametrize(
    ("name", "created", "to_create"),
    [
        ("shopify-orders-export.csv", 8, 8),
        ("woocommerce-order-export.xlsx", 9, 9),  # one refunded in full, created too
        ("getcourse-orders-export.csv", 8, 8),
        ("amocrm-deals-export.xlsx", 5, 5),
        ("tilda-leads-export.csv", 7, 7),
    ],
)
def test_every_order_not_created_says_why(
    shop: Sandbox, tmp_path: Path, name: str, created: int, to_create: int
) -> None:
    result, sent = imported(shop, tmp_path, name)
    assert len(sent) == len(shop.orders()) == created
    assert sum(1 for r in result.results if r.status is OrderStatus.CREATED) == created
    for r in result.results:
        if r.status is not OrderStatus.CREATED:
            assert r.status in (OrderStatus.INVALID, OrderStatus.SKIPPED)
            assert r.error_text, r.order.key
    assert created / to_create >= 0.95
