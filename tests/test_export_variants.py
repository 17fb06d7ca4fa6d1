"""Exports as other shops' settings write them: other separators, number and date formats,
statuses in English, old SKUs, variants and sums after titles. Each still imports with only the
catalog."""

from __future__ import annotations

from pathlib import Path

from justclick_import import ImportConfig, prepare

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CATALOG = SAMPLES / "platform-catalog.csv"


def orders_of(path: Path) -> list[tuple[str, list[tuple[str, float | None]], str, bool]]:
    plan = prepare(ImportConfig(input=path, catalog=CATALOG))
    return [
        (
            order.key,
            [(line.good_name, line.good_sum) for line in order.lines],
            order.customer.get("order_status", ""),
            order.is_valid,
        )
        for order in plan.orders
    ]


def test_shopify_with_old_skus_variants_and_windows_line_ends(tmp_path: Path) -> None:
    header = (SAMPLES / "shopify-orders-export.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = header.split(",")
    blank = dict.fromkeys(columns, "")

    def row(**cells: str) -> str:
        values = {**blank, **{k.replace("_", " "): v for k, v in cells.items()}}
        return ",".join(values[c] for c in columns)

    lines = [
        header,
        row(Name="#2001", Email="a@example.ru", **{"Financial Status": "authorized"},
            Currency="RUB", Total="2400.00", **{"Created at": "2025-05-01 09:00:00 +0300"},
            **{"Lineitem quantity": "2", "Lineitem name": "Футболка с логотипом - L / Black",
               "Lineitem price": "1200.00", "Lineitem sku": "TS-L-BLK"}),
        row(Name="#2002", Email="b@example.ru", **{"Financial Status": "expired"},
            Currency="rub", Total="990.00", **{"Created at": "2025-05-02 09:00:00 +0300"},
            **{"Lineitem quantity": "1", "Lineitem name": "Электронная книга «Excel для бизнеса»",
               "Lineitem price": "990.00", "Lineitem sku": "EBOOK-01"}),
    ]  # fmt: skip
    path = tmp_path / "orders_export_1.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    assert orders_of(path) == [
        ("#2001", [("tshirt_logo", 1200.0)] * 2, "", False),  # a T-shirt needs an address
        ("#2002", [("ebook_excel", 990.0)], "cancel", True),
    ]


def test_woocommerce_as_csv_with_english_statuses_and_comma_decimals(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order Number;Order Status;Order Date;Email (Billing);First Name (Billing);"
        "Last Name (Billing);Item #;SKU;Item Name;Quantity (- Refund);Item Cost;"
        "Order Total Amount\n"
        "501;Completed;14.03.2025 10:05;a@example.ru;Ann;Lee;1;;Консультация 60 минут;1;"
        "5 000,00;5 000,00\n"
        "502;Processing;14.03.2025 11:00;b@example.ru;Bob;Ray;1;club_month;Клуб;2;"
        "1 500,00;3 000,00\n"
        "503;Pending payment;15.03.2025 12:00;c@example.ru;Cy;Ng;1;ebook_excel;E-book;1;"
        "990,00;990,00\n",
        encoding="utf-8",
    )
    assert orders_of(path) == [
        ("501", [("consult_60", 5000.0)], "paid", True),
        ("502", [("club_month", 1500.0)] * 2, "paid", True),
        ("503", [("ebook_excel", 990.0)], "", True),
    ]


def test_woocommerce_with_the_quantity_ordered_alone_or_beside_what_is_left(
    tmp_path: Path,
) -> None:
    # "Quantity" (qty) is a field the plugin can export instead of, or beside, its default
    # "Quantity (- Refund)" (qty_minus_refund): the units ordered, before refunds.
    header = "Order Number;Order Status;Order Date;Email (Billing);SKU;Item Name;{};Item Cost\n"
    path = tmp_path / "orders.csv"
    path.write_text(
        header.format("Quantity")
        + "601;Completed;2025-03-14 10:05;a@example.ru;club_month;Клуб;2;1500\n",
        encoding="utf-8",
    )
    assert orders_of(path) == [("601", [("club_month", 1500.0)] * 2, "paid", True)]
    path.write_text(
        header.format("Quantity;Quantity (- Refund)")
        + "602;Completed;2025-03-14 10:05;b@example.ru;club_month;Клуб;3;1;1500\n"
        + "602;Completed;2025-03-14 10:05;b@example.ru;ebook_excel;E-book;1;0;990\n",
        encoding="utf-8",
    )
    assert orders_of(path) == [("602", [("club_month", 1500.0)], "paid", True)]  # what is left
    path.write_text(
        header.format("Quantity;Quantity (- Refund)")
        + "603;Refunded;2025-03-14 10:05;c@example.ru;club_month;Клуб;3;0;1500\n",
        encoding="utf-8",
    )
    assert orders_of(path) == [("603", [("club_month", 1500.0)] * 3, "return", True)]


def test_getcourse_with_roubles_written_out_dotted_dates_and_a_product_a_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "ID заказа;Пользователь;Email;Дата создания;Состав заказа;Статус;Стоимость, RUB\n"
        "9001;Иван Петров;a@example.ru;10.03.2025 12:30;Консультация 60 минут;Оплачен;5 000 руб.\n"
        "9002;Анна Ким;b@example.ru;11.03.2025 10:00;"
        '"Консультация 60 минут\nЭлектронная книга «Excel для бизнеса»";Новый;5 990 руб.\n',
        encoding="utf-8-sig",
    )
    assert orders_of(path) == [
        ("9001", [("consult_60", 5000.0)], "paid", True),
        ("9002", [("consult_60", None), ("ebook_excel", None)], "", True),
    ]


def test_tilda_with_commas_between_products_and_sums_after_them(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        "Name,Email,Phone,Products,amount,orderid\n"
        'Иван Петров,a@example.ru,,"Электронная книга «Excel для бизнеса» x 2 = 1980, '
        'Консультация 60 минут x 1 = 5000",6980,77001\n',
        encoding="utf-8",
    )
    assert orders_of(path) == [
        ("77001", [("ebook_excel", None)] * 2 + [("consult_60", None)], "", True),
    ]
