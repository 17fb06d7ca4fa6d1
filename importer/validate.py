"""Stage 3, validate: every row is checked with a pandera schema, all problems collected at once."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from importer.columns import ColumnMap
from importer.errors import InputError
from importer.fields import ALL_FIELDS
from importer.models import RowProblem
from importer.read import Sheet

__all__ = ["MESSAGES", "ValidRows", "validate_rows"]

REQUIRED_FIELDS = ("bill_email", "good_name")

# Stable problem codes and what they tell a shop owner (frictionless-style templates).
MESSAGES: dict[str, str] = {
    "missing-email": "the customer's e-mail is empty; every order needs one",
    "bad-email": "this is not an e-mail address (expected name@example.com)",
    "missing-product": "the product id is empty; write the product's id from your JustClick shop",
    "bad-product": "a product id has no spaces; use the id from your shop, not its title",
    "bad-price": "not a price; write a number such as 1500 or 1500.50",
    "negative-price": "a price cannot be negative",
    "zero-price": "a price of 0 does not make the item free: JustClick charges the shop's price",
    "bad-timestamp": "not a date: write a unix timestamp (seconds since 1970)",
    "bad-timer-kill": "write true, false or a unix timestamp",
    "bad-ip": "not an IP address (expected e.g. 192.168.0.1)",
}

_EMAIL = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


@dataclass
class ValidRows:
    """The rows under canonical field names, with parsed prices and every problem found."""

    frame: pd.DataFrame  # one column per mapped field, text, trimmed
    prices: list[float | None]
    row_numbers: list[int]
    problems: list[RowProblem]

    @property
    def rows_with_errors(self) -> set[int]:
        """Sheet rows that have at least one error."""
        return {problem.row for problem in self.problems if problem.is_error}


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _schema() -> pa.DataFrameSchema:
    def filled(series: pd.Series) -> pd.Series:
        return series != ""

    def optional(test: str) -> pa.Check:
        """A check that passes empty cells, so only the missing-* check reports them."""
        tests: dict[str, Callable[[pd.Series], pd.Series]] = {
            "bad-email": lambda s: s.str.match(_EMAIL),
            "bad-product": lambda s: ~s.str.contains(r"\s", regex=True),
            "bad-timestamp": lambda s: s.str.fullmatch(r"\d{1,10}"),
            "bad-timer-kill": lambda s: (
                s.str.lower().isin(_TRUE | _FALSE) | s.str.fullmatch(r"\d{1,10}")
            ),
            "bad-ip": lambda s: s.map(_is_ip),
        }
        test_fn = tests[test]
        return pa.Check(lambda s: (s == "") | test_fn(s).fillna(False).astype(bool), name=test)

    text = pa.Column(object, required=False)
    columns: dict[str, pa.Column] = {name: text for name in ALL_FIELDS}
    missing_email = pa.Check(filled, name="missing-email")
    missing_product = pa.Check(filled, name="missing-product")
    columns["bill_email"] = pa.Column(object, [missing_email, optional("bad-email")])
    columns["good_name"] = pa.Column(object, [missing_product, optional("bad-product")])
    columns["bill_created"] = pa.Column(object, [optional("bad-timestamp")], required=False)
    columns["bill_timer_kill"] = pa.Column(object, [optional("bad-timer-kill")], required=False)
    columns["bill_ip"] = pa.Column(object, [optional("bad-ip")], required=False)
    return pa.DataFrameSchema(columns, strict=False)


_SCHEMA = _schema()


def _parse_prices(
    values: list[str], rows: list[int], header: str
) -> tuple[list[float | None], list[RowProblem]]:
    prices: list[float | None] = []
    problems: list[RowProblem] = []
    for text, row in zip(values, rows, strict=True):
        if text == "":
            prices.append(None)
            continue
        cleaned = text.replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"-?\d+([.,]\d{1,2})?", cleaned) is None:
            problems.append(RowProblem(row, header, text, "bad-price", MESSAGES["bad-price"]))
            prices.append(None)
            continue
        price = float(cleaned.replace(",", "."))
        if price < 0:
            problems.append(
                RowProblem(row, header, text, "negative-price", MESSAGES["negative-price"])
            )
            price = 0.0
        elif price == 0:
            problems.append(
                RowProblem(row, header, text, "zero-price", MESSAGES["zero-price"], "warning")
            )
        prices.append(price)
    return prices, problems


def validate_rows(sheet: Sheet, mapping: ColumnMap, *, source: Path | None = None) -> ValidRows:
    """Check every row of ``sheet`` and return them under field names with all problems.

    Raises ``InputError`` when a required column is missing altogether: that is a problem
    with the file, not with a row.
    """
    missing = [name for name in REQUIRED_FIELDS if name not in mapping.fields]
    if missing:
        where = source or sheet.path
        raise InputError(
            f"{where}: no column for {', '.join(missing)}; the file needs a header named "
            f"{' and '.join(missing)} (headers found: {', '.join(sheet.headers) or 'none'})"
        )
    frame = pd.DataFrame(
        {
            name: sheet.frame[header].astype(object).map(lambda v: str(v).strip())
            for name, header in mapping.fields.items()
        },
        dtype=object,
    )
    row_numbers = sheet.row_numbers
    problems: list[RowProblem] = []
    try:
        _SCHEMA.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        for column, code, index, value in zip(
            cases["column"].tolist(),
            cases["check"].tolist(),
            cases["index"].tolist(),
            cases["failure_case"].tolist(),
            strict=True,
        ):
            if index is None or pd.isna(index):  # a schema-level failure has no row
                raise InputError(f"{sheet.path}: {column}: {code}") from None
            message = MESSAGES.get(str(code), str(code))
            problems.append(
                RowProblem(
                    row_numbers[int(index)],
                    mapping.header_for(str(column)),
                    "" if value is None else str(value),
                    str(code),
                    message,
                )
            )
    prices: list[float | None] = [None] * len(frame)
    if "good_sum" in frame:
        prices, price_problems = _parse_prices(
            frame["good_sum"].tolist(), row_numbers, mapping.header_for("good_sum")
        )
        problems.extend(price_problems)
    problems.sort(key=lambda problem: (problem.row, problem.column))
    return ValidRows(frame=frame, prices=prices, row_numbers=row_numbers, problems=problems)
