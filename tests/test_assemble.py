"""Orders from rows: grouping, merging customer values, conflicts (column-wise assemble)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justclick_import.models import Order
from justclick_import.orders.assemble import assemble_orders
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.rows.cleaning import distinct_values
from justclick_import.rows.validate import ValidRows


def _valid(rows: list[dict[str, str]], problems: list[RowProblem] | None = None) -> ValidRows:
    columns = sorted({name for row in rows for name in row})
    frame = pd.DataFrame(
        {name: [row.get(name, "") for row in rows] for name in columns}, dtype=object
    )
    prices = [float(row["good_sum"]) if row.get("good_sum") else None for row in rows]
    return ValidRows(frame, prices, list(range(2, len(rows) + 2)), problems or [])


def test_details_written_on_one_row_are_merged_and_rows_need_not_be_adjacent() -> None:
    valid = _valid(
        [
            {"bill_email": "a@x.ru", "good_name": "p1", "bill_city": ""},
            {"bill_email": "b@x.ru", "good_name": "p2", "bill_city": "Казань"},
            {"bill_email": "A@X.RU", "good_name": "p3", "bill_city": "Москва"},
        ]
    )
    orders, found = assemble_orders(valid)
    assert found == []
    assert [(o.key, o.rows, [line.good_name for line in o.lines]) for o in orders] == [
        ("a@x.ru", [2, 4], ["p1", "p3"]),
        ("b@x.ru", [3], ["p2"]),
    ]
    assert orders[0].customer == {"bill_email": "a@x.ru", "bill_city": "Москва"}


def test_rows_that_disagree_make_the_order_invalid_naming_each_value() -> None:
    warning = RowProblem(3, "good_sum", "0", ProblemCode.ZERO_PRICE)
    valid = _valid(
        [
            {"order_id": "7", "bill_email": "a@x.ru", "good_name": "p", "bill_city": "Москва"},
            {"order_id": "7", "bill_email": "b@x.ru", "good_name": "q", "bill_city": "Казань"},
            {"order_id": "7", "bill_email": "a@x.ru", "good_name": "r", "bill_city": "Москва"},
        ],
        [warning],
    )
    orders, found = assemble_orders(valid, headers={"bill_city": "Город"})
    (order,) = orders
    assert order.key == order.order_id == "7"
    assert order.customer["bill_city"] == "Москва"
    assert [(p.row, p.column, p.value, p.code) for p in found] == [
        (2, "bill_email", "a@x.ru | b@x.ru", "conflicting-order"),
        (2, "Город", "Москва | Казань", "conflicting-order"),
    ]
    assert order.problems == [warning, *found]
    assert not order.is_valid


def test_a_row_without_email_or_order_number_is_an_order_of_its_own() -> None:
    valid = _valid([{"bill_email": "", "good_name": "p"}, {"bill_email": "", "good_name": "q"}])
    orders, _ = assemble_orders(valid)
    assert [o.key for o in orders] == ["row 2", "row 3"]


def test_timer_kill_words_become_php_flags() -> None:
    valid = _valid([{"bill_email": "a@x.ru", "good_name": "p", "bill_timer_kill": "Yes"}])
    orders, _ = assemble_orders(valid)
    assert orders[0].customer["bill_timer_kill"] == "1"


def _reference(valid: ValidRows) -> list[tuple[str, dict[str, str], list[int], list[str]]]:
    """The row-by-row definition: group, then per order the first value of each field."""
    frame = valid.frame
    groups: dict[str, list[int]] = {}
    for i in range(len(frame)):
        order_id, email = frame["order_id"][i], frame["bill_email"][i]
        key = order_id or email.casefold() or f"row {valid.row_numbers[i]}"
        groups.setdefault(("o" if order_id else "e") + key, []).append(i)
    result = []
    for positions in groups.values():
        customer: dict[str, str] = {}
        clashes: list[str] = []
        for name in ("bill_email", "bill_city"):
            values = {frame[name][i] for i in positions if frame[name][i]}
            if name == "bill_email":
                values = {value.casefold() for value in values}
            first = next((frame[name][i] for i in positions if frame[name][i]), "")
            if first:
                customer[name] = first
            if len(values) > 1:
                clashes.append(name)
        rows = [valid.row_numbers[i] for i in positions]
        result.append((frame["good_name"][positions[0]], customer, rows, clashes))
    return result


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "1", "2"]),
            st.sampled_from(["", "a@x.ru", "A@x.ru", "b@x.ru"]),
            st.sampled_from(["", "Москва", "Казань"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_assembly_matches_the_row_by_row_definition(cells: list[tuple[str, str, str]]) -> None:
    rows = [
        {"order_id": o, "bill_email": e, "bill_city": c, "good_name": f"g{i}"}
        for i, (o, e, c) in enumerate(cells)
    ]
    valid = _valid(rows)
    orders, found = assemble_orders(valid)
    expected = _reference(valid)

    def seen(order: Order) -> tuple[str, dict[str, str], list[int], list[str]]:
        clashes = [p.column for p in order.problems if p.code == "conflicting-order"]
        return order.lines[0].good_name, order.customer, order.rows, clashes

    assert [seen(order) for order in orders] == expected
    assert len(found) == sum(len(clashes) for *_, clashes in expected)


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([
            pa.array(["b", "a", ""], pa.large_string()),
            pa.array(["a", "é", "b", ""], pa.large_string()),
        ]))),  # Arrow text in two chunks, as a reader makes it
        pd.Series(["b", "a", "", "a", "é", "b", ""], dtype="string[pyarrow]"),
        pd.Series(["b", "a", "", "a", "é", "b", ""], dtype=object),  # converted fields
    ],
)  # fmt: skip
def test_distinct_values_are_numbered_in_order_of_first_appearance(column: pd.Series) -> None:
    positions, distinct = distinct_values(column)
    assert distinct == ["b", "a", "", "é"]
    assert positions.tolist() == [0, 1, 2, 1, 3, 0, 2]
    assert all(type(value) is str for value in distinct)


def test_distinct_values_of_arrow_text_with_nulls_are_those_pandas_gives() -> None:
    column = pd.Series(["x", None, "x"], dtype="string[pyarrow]")
    positions, distinct = distinct_values(column)
    expected_positions, expected = pd.factorize(column, use_na_sentinel=False)
    assert positions.tolist() == list(expected_positions)
    assert distinct == [str(value) for value in expected.tolist()]
