"""A row's goods: one entry per unit, products by title through the catalog, cells of several
products, lines that are not products."""

from __future__ import annotations

from pathlib import Path

import pytest

from justclick_import import ImportConfig, prepare
from justclick_import.errors import InputError
from justclick_import.rows.titles import TitleIndex, fold_title, split_cell
from justclick_import.sources.catalog import Product

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CATALOG = SAMPLES / "platform-catalog.csv"


def plan_of(tmp_path: Path, text: str, **options: object) -> object:
    source = tmp_path / "orders.csv"
    source.write_text(text, encoding="utf-8")
    return prepare(ImportConfig(input=source, timezone="UTC", **options))  # type: ignore[arg-type]


def goods(plan: object) -> list[list[tuple[str, float | None]]]:
    return [[(line.good_name, line.good_sum) for line in o.lines] for o in plan.orders]  # type: ignore[attr-defined]


def problems(plan: object) -> list[tuple[int, str, str, str, str]]:
    return [(p.row, p.column, p.value, p.code, p.detail) for p in plan.problems]  # type: ignore[attr-defined]


def test_a_quantity_is_that_many_goods_entries_at_the_unit_price(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        "Order,Email,Product ID,Price,Qty\n"
        "1,a@example.ru,ebook_excel,990,3\n"
        "1,a@example.ru,kurs_python,14900,1\n"
        "2,b@example.ru,club_month,,2.00\n",
    )
    assert goods(plan) == [
        [("ebook_excel", 990.0)] * 3 + [("kurs_python", 14900.0)],
        [("club_month", None)] * 2,
    ]
    assert problems(plan) == []


@pytest.mark.parametrize("quantity", ["-1", "2.5", "981", "1000000", "много"])
def test_a_quantity_that_is_not_a_count_of_units_is_an_error(tmp_path: Path, quantity: str) -> None:
    plan = plan_of(tmp_path, f"Email,Product ID,Quantity\na@example.ru,ebook_excel,{quantity}\n")
    assert problems(plan) == [(2, "Quantity", quantity, "bad-quantity", "")]
    assert not plan.orders[0].is_valid  # type: ignore[attr-defined]
    assert "write a whole number from 1 to 980" in plan.problems[0].message  # type: ignore[attr-defined]


def test_zero_units_leave_a_line_out_with_a_warning_and_no_line_left_is_an_error(
    tmp_path: Path,
) -> None:
    plan = plan_of(
        tmp_path,
        "Order,Email,Product ID,Quantity\n"
        "1,a@example.ru,ebook_excel,0\n"
        "1,a@example.ru,kurs_python,1\n"
        "2,b@example.ru,kurs_python,0\n",
    )
    assert goods(plan) == [[("kurs_python", None)], []]
    assert [p[:4] for p in problems(plan)] == [
        (2, "Quantity", "0", "zero-quantity"),
        (4, "Product ID", "", "no-goods"),
        (4, "Quantity", "0", "zero-quantity"),
    ]
    assert [o.is_valid for o in plan.orders] == [True, False]  # type: ignore[attr-defined]


def test_an_order_refunded_in_full_is_created_with_one_unit_a_line_and_says_so(
    tmp_path: Path,
) -> None:
    plan = plan_of(
        tmp_path,
        "Order,Email,Product ID,Price,Quantity,Status\n"
        "1,a@example.ru,ebook_excel,990,0,Refunded\n"
        "1,a@example.ru,kurs_python,14900,0,Refunded\n"
        "2,b@example.ru,kurs_python,14900,0,Paid\n"  # 0 in an order not returned: as ever
        "3,c@example.ru,ebook_excel,990,0,Refunded\n"  # some units left: a partial refund
        "3,c@example.ru,club_month,1500,2,Refunded\n",
    )
    assert goods(plan) == [
        [("ebook_excel", 990.0), ("kurs_python", 14900.0)],
        [],
        [("club_month", 1500.0)] * 2,
    ]
    orders = plan.orders  # type: ignore[attr-defined]
    assert [(o.is_valid, o.customer["order_status"]) for o in orders] == [
        (True, "return"),
        (False, "paid"),
        (True, "return"),
    ]
    assert [p[:4] for p in problems(plan)] == [
        (2, "Quantity", "0", "refunded-quantity-assumed"),
        (3, "Quantity", "0", "refunded-quantity-assumed"),
        (4, "Product ID", "", "no-goods"),
        (4, "Quantity", "0", "zero-quantity"),
        (5, "Quantity", "0", "zero-quantity"),
    ]
    first = orders[0]
    assert [p.code for p in first.problems] == ["refunded-quantity-assumed"] * 2
    russian = first.problems[0].message_in("ru")
    assert "если заказано было больше, выгрузите и заказанное количество" in russian


def test_an_order_refunded_in_full_is_created_with_the_units_ordered_when_given(
    tmp_path: Path,
) -> None:
    plan = plan_of(
        tmp_path,
        "Order,Email,Product ID,Price,Quantity,Ordered quantity,Status\n"
        "1,a@example.ru,ebook_excel,990,0,2,return\n"
        "1,a@example.ru,kurs_python,14900,0,,return\n",  # not given for this line
    )
    assert goods(plan) == [[("ebook_excel", 990.0)] * 2 + [("kurs_python", 14900.0)]]
    assert problems(plan) == [
        (2, "Quantity", "0", "refunded-quantity-ordered", "Ordered quantity: 2"),
        (3, "Quantity", "0", "refunded-quantity-assumed", ""),
    ]
    assert plan.problems[0].message == (  # type: ignore[attr-defined]
        "0 units are left after the refund: the units ordered (Ordered quantity: 2) are "
        "imported, so that the refunded order is kept (status return)"
    )


def test_the_quantity_ordered_is_the_units_only_without_a_quantity_column(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        "Order,Email,Product ID,Ordered quantity\n1,a@example.ru,ebook_excel,2\n"
        "1,a@example.ru,kurs_python,0\n2,b@example.ru,club_month,2.5\n",
    )
    assert goods(plan) == [[("ebook_excel", None)] * 2, [("club_month", None)]]
    assert [p[:4] for p in problems(plan)] == [
        (3, "Ordered quantity", "0", "zero-quantity"),
        (4, "Ordered quantity", "2.5", "bad-quantity"),
    ]
    plan = plan_of(
        tmp_path,
        "Email,Product ID,Quantity,Ordered quantity\na@example.ru,ebook_excel,1,3\n"
        "b@example.ru,kurs_python,1,0\nc@example.ru,club_month,1,много\n",
    )
    assert goods(plan) == [[("ebook_excel", None)], [("kurs_python", None)], [("club_month", None)]]
    # Beside the units left, a 0 ordered says nothing more; a text is still not a count.
    assert [p[:4] for p in problems(plan)] == [(4, "Ordered quantity", "много", "bad-quantity")]


def test_titles_match_the_catalog_whatever_the_case_spaces_and_quotes(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        "Email,Product name\n"
        'a@example.ru,"электронная  книга ""Excel для бизнеса"""\n'
        "b@example.ru,КУРС “Python с нуля до первого проекта”\n"
        "c@example.ru,Футболка с логотипом - XL\n",
        catalog=CATALOG,
    )
    assert goods(plan) == [
        [("ebook_excel", None)],
        [("kurs_python", None)],
        [("tshirt_logo", None)],
    ]


def test_a_product_column_holding_titles_is_matched_with_the_catalog(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        "Email,Товар,Цена\n"
        "a@example.ru,Консультация 60 минут,5000\n"
        "b@example.ru,consult_60,5000\n"
        "c@example.ru,consult_61,5000\n",
        catalog=CATALOG,
    )
    assert goods(plan) == [
        [("consult_60", 5000.0)],
        [("consult_60", 5000.0)],
        [("consult_61", 5000.0)],
    ]
    assert problems(plan) == [(4, "Товар", "consult_61", "unknown-product", "")]


def test_an_unknown_title_names_the_closest_titles(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path, "Email,Product name\na@example.ru,Курс Python с нуля\n", catalog=CATALOG
    )
    [(row, column, value, code, detail)] = problems(plan)
    assert (row, column, value, code) == (2, "Product name", "Курс Python с нуля", "unknown-title")
    assert detail.startswith("«Курс «Python с нуля до первого проекта»»")
    assert plan.problems[0].message.startswith(  # type: ignore[attr-defined]
        "no product of the catalog has the title 'Курс Python с нуля'; the closest titles: "
    )


def test_a_title_two_products_share_is_ambiguous(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "id,title,price,physical\nbook_a,Книга,100,0\nbook_b,«Книга»,200,0\n", encoding="utf-8"
    )
    plan = plan_of(tmp_path, "Email,Item name\na@example.ru,книга\n", catalog=catalog)
    assert problems(plan) == [(2, "Item name", "книга", "ambiguous-title", "book_a, book_b")]


def test_titles_without_a_catalog_are_an_error_that_says_to_give_it(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, "Email,Item name,SKU\na@example.ru,Книга,\nb@example.ru,Книга,x1\n")
    assert problems(plan) == [(2, "Item name", "Книга", "title-without-catalog", "")]
    assert goods(plan)[1] == [("x1", None)]  # the SKU is the id as written


def test_a_cell_of_several_products_is_split_where_a_title_ends() -> None:
    catalog = {
        "club": Product("club", "Клуб «Практика», месяц", 1500, False),
        "book": Product("book", "Книга", 100, False),
    }
    index = TitleIndex(catalog)
    found = split_cell("Клуб «Практика», месяц x 2, книга, Нечто, ещё", ",", index)
    assert [(text, match.ids, match.count) for text, match in found] == [
        ("Клуб «Практика», месяц x 2", ("club",), 2),
        ("книга", ("book",), 1),
        ("Нечто", (), 1),
        ("ещё", (), 1),
    ]
    assert fold_title(' «Клуб  "Практика"» ') == "клуб практика"


def test_one_price_for_several_products_is_not_used(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('preset = "getcourse"\n[columns]\n"Цена" = "good_sum"\n', encoding="utf-8")
    plan = plan_of(
        tmp_path,
        "ID заказа,Email,Состав заказа,Цена\n"
        '1,a@example.ru,"Консультация 60 минут, Запись вебинара «Продажи без скидок»",7500\n',
        catalog=CATALOG,
        mapping_file=mapping,
    )
    assert goods(plan) == [[("consult_60", None), ("webinar_sales", None)]]
    assert problems(plan) == [(2, "Цена", "7500", "price-not-split", "2")]


def test_item_number_is_never_a_product_and_two_product_columns_recommend_the_sku(
    tmp_path: Path,
) -> None:
    plan = plan_of(tmp_path, "Email,Item #,SKU\na@example.ru,1,ebook_excel\n")
    assert goods(plan) == [[("ebook_excel", None)]]
    assert "Item #" in plan.mapping.ignored  # type: ignore[attr-defined]
    with pytest.raises(InputError) as raised:
        plan_of(tmp_path, "Email,Product,SKU\na@example.ru,Книга,ebook_excel\n")
    message = str(raised.value)
    assert "columns 'Product' and 'SKU' could both be the product" in message
    assert "the SKU / article column 'SKU' is usually the product's id" in message
    assert raised.value.facts == {"header": "Product"}
