"""Stage 3, validate: every row is checked with a pandera schema, all problems collected at once.

Cells are trimmed, then each typed field is parsed once per distinct value (``coerce``); the
pandera schema holds one check per problem code, run lazily so that one bad cell never hides
another. What is sent comes out converted: dates as unix timestamps, ``yes`` as ``1``, a
domain without ``https://``, prices as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from justclick_import.errors import InputError
from justclick_import.fields import ORDER_ID
from justclick_import.models import RowProblem
from justclick_import.rows import coerce, dates
from justclick_import.rows.columns import ColumnMap
from justclick_import.sending.legacy_status import parse_status
from justclick_import.sources.sheet import Sheet

__all__ = ["MESSAGES", "WARNINGS", "ValidRows", "validate_rows"]

REQUIRED_FIELDS = ("bill_email", "good_name")

# Stable problem codes and what they tell a shop owner (frictionless-style templates).
MESSAGES: dict[str, str] = {
    "missing-email": "the customer's e-mail is empty; every order needs one",
    "bad-email": "this is not an e-mail address (expected name@example.com)",
    "missing-product": "the product id is empty; write the product's id from your JustClick shop",
    "bad-product": "a product id has no spaces; use the id from your shop, not its title",
    "bad-price": "not a price; write a number such as 1500 or 1500.50",
    "ambiguous-price": (
        "unclear price: this can be read as thousands or as a fraction; "
        "write 1500 or 1500.00 (or 1.5)"
    ),
    "negative-price": "a price cannot be negative",
    "zero-price": "a price of 0 does not make the item free: JustClick charges the shop's price",
    "bad-date": "not a date; write it as 29.11.2026, 29.11.2026 14:30 or 2026-11-29",
    "ambiguous-date": (
        "unclear date: 03/04/2026 can be 3 April or March 4; write 03.04.2026, or run with "
        "--date-format DMY (day first) or MDY (month first)"
    ),
    "bad-timer-kill": (
        "write yes (cancel an unpaid order as the product's settings say), no (never cancel) "
        "or the date to cancel it"
    ),
    "timer-kill-past": "this date has passed: JustClick will cancel the unpaid order at once",
    "bad-ip": "not an IP address (expected e.g. 192.168.0.1)",
    "bad-domain": "not a site's address; write the shop's domain only, such as shop.ru",
    "domain-scheme-removed": "only the domain is sent: http(s):// and the final / were removed",
    "conflicting-order": "rows of one order disagree",
    "affiliate-without-source": (
        "a partner sale (utm_medium affiliate) needs the partner's login in utm_source"
    ),
    "unknown-product": "your shop has no product with this id (checked against --catalog)",
    "missing-delivery": "this product is sent by post: the order needs the delivery address",
    "bad-status": (
        "not an order status; write paid, sent, return or cancel (Оплачен, Отправлен, "
        "Возврат, Отменён), or leave it empty"
    ),
    "missing-tracking": "a shipped order (status sent) needs its postal tracking number",
    "too-many-goods": (
        "this order has more goods than JustClick reads from one request (about 490 with "
        "prices, 980 without): split it into several orders with different order numbers"
    ),
}

# Codes that are told but do not keep an order from being sent.
WARNINGS = frozenset({"zero-price", "timer-kill-past", "domain-scheme-removed"})


@dataclass
class ValidRows:
    """The rows under canonical field names, with parsed prices and every problem found."""

    frame: pd.DataFrame  # one column per mapped field: trimmed text, converted where typed
    prices: list[float | None]
    row_numbers: list[int]
    problems: list[RowProblem]

    @property
    def rows_with_errors(self) -> set[int]:
        """Sheet rows that have at least one error."""
        return {problem.row for problem in self.problems if problem.is_error}

    def texts(self, name: str) -> list[str]:
        """The column ``name`` as a list, one ``str`` object per distinct value.

        ``tolist`` on Arrow text makes a new object per cell (~70 MB a column of a million);
        here the rows of a value share one, so the orders built from them need no cache.
        """
        positions, distinct = pd.factorize(self.frame[name], use_na_sentinel=False)
        values: list[str] = np.asarray(distinct, dtype=object)[positions].tolist()
        return values


def _accepted(code: str) -> bool:
    return not code or code in WARNINGS


def problem(row: int, column: str, value: str, code: str) -> RowProblem:
    """A ``RowProblem`` for ``code`` with its message and severity."""
    severity = "warning" if code in WARNINGS else "error"
    return RowProblem(row, column, value, code, MESSAGES.get(code, code), severity)


# Fields sent (or applied) as converted: unix timestamps, 1/0, a bare domain, a status word.
_CONVERTED = frozenset(
    {"bill_created", "bill_timer_kill", "bill_domain", "order_status", "status_date"}
)

# The codes each typed field can raise, and the parser that raises them.
_FIELD_CODES: dict[str, tuple[str, ...]] = {
    "bill_email": ("bad-email",),
    "good_name": ("bad-product",),
    "good_sum": ("bad-price", "ambiguous-price", "negative-price", "zero-price"),
    "bill_created": ("bad-date", "ambiguous-date"),
    "bill_timer_kill": ("bad-timer-kill", "ambiguous-date", "timer-kill-past"),
    "bill_ip": ("bad-ip",),
    "bill_domain": ("bad-domain", "domain-scheme-removed"),
    "order_status": ("bad-status",),
    "status_date": ("bad-date", "ambiguous-date"),
}


def _parsers(rules: dates.DateRules) -> dict[str, coerce.Batch]:
    return {
        "bill_email": coerce.each(coerce.check_email),
        "good_name": coerce.each(coerce.check_product),
        "good_sum": coerce.each(coerce.parse_price),
        "bill_created": partial(dates.parse_moments, rules=rules),
        "bill_timer_kill": partial(dates.parse_timer_kills, rules=rules),
        "bill_ip": coerce.each(coerce.check_ip),
        "bill_domain": coerce.each(coerce.clean_domain),
        "order_status": coerce.each(parse_status),
        "status_date": partial(dates.parse_moments, rules=rules),
    }


class _Parsed:
    """Each typed column parsed once, shared by the pandera checks and the conversion."""

    def __init__(self, rules: dates.DateRules) -> None:
        self.parsers = _parsers(rules)
        self.columns: dict[str, coerce.ParsedColumn] = {}
        self.codes: dict[str, pd.Series] = {}

    def code_of(self, name: str, series: pd.Series) -> pd.Series:
        if name not in self.codes:
            self.columns[name] = coerce.parse_column(series, self.parsers[name])
            self.codes[name] = self.columns[name].codes_by_row(series.index)
        return self.codes[name]


def _schema(parsed: _Parsed, frame: pd.DataFrame) -> pa.DataFrameSchema:
    def filled(series: pd.Series) -> pd.Series:
        return series != ""

    # A row with an order number may leave the e-mail to another row of its order: whether
    # the order has one at all is checked once the rows are grouped (order_checks).
    numbered = frame[ORDER_ID] != "" if ORDER_ID in frame else None

    def email_given(series: pd.Series) -> pd.Series:
        return filled(series) if numbered is None else filled(series) | numbered

    def passes(name: str, code: str) -> pa.Check:
        return pa.Check(lambda series: parsed.code_of(name, series) != code, name=code)

    columns: dict[str, pa.Column] = {}
    for name in frame.columns:
        checks = [passes(name, code) for code in _FIELD_CODES.get(name, ())]
        if name == "bill_email":
            checks.insert(0, pa.Check(email_given, name="missing-email"))
        if name == "good_name":
            checks.insert(0, pa.Check(filled, name="missing-product"))
        columns[name] = pa.Column(None, checks, nullable=False)
    return pa.DataFrameSchema(columns, strict=False)


def _is_arrow_text(column: pd.Series) -> bool:
    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return True
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _trimmed(column: pd.Series) -> pd.Series:
    """``column`` with its cells trimmed; the column itself when no cell has spaces around it.

    Arrow-backed text is immutable, so an untouched column is shared with the sheet instead of
    copied: on a million lines the copies were ~600 MB, alive while the orders were built.
    (Object columns hold the same ``str`` objects either way: ``strip`` returns them as is.)
    """
    stripped = column.str.strip()
    if _is_arrow_text(column) and stripped.str.len().sum() == column.str.len().sum():
        return column  # trimming only removes characters: same length, same text
    return stripped


def validate_rows(
    sheet: Sheet,
    mapping: ColumnMap,
    *,
    source: Path | None = None,
    rules: dates.DateRules | None = None,
) -> ValidRows:
    """Check every row of ``sheet`` and return them under field names with all problems.

    ``rules`` say how dates without an offset are read (default: this machine's time zone,
    ambiguous day/month refused). Raises ``InputError`` when a required column is missing
    altogether: that is a problem with the file, not with a row.
    """
    missing = [name for name in REQUIRED_FIELDS if name not in mapping.fields]
    if missing:
        where = source or sheet.path
        raise InputError(
            f"{where}: no column for {', '.join(missing)}; the file needs a header named "
            f"{' and '.join(missing)} (headers found: {', '.join(sheet.headers) or 'none'}); "
            "rename it or map it with --mapping FILE"
        )
    frame = pd.DataFrame(
        {name: _trimmed(sheet.frame[header]) for name, header in mapping.fields.items()}
    )
    parsed = _Parsed(rules or dates.date_rules())
    row_numbers = sheet.row_numbers
    problems: list[RowProblem] = []
    try:
        _schema(parsed, frame).validate(frame, lazy=True)
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
            problems.append(
                problem(
                    row_numbers[int(index)],
                    mapping.header_for(str(column)),
                    "" if value is None else str(value),
                    str(code),
                )
            )
    for name in _FIELD_CODES.keys() & set(frame.columns):
        parsed.code_of(name, frame[name])  # already done by the checks, unless pandera is off
    prices: list[float | None] = [None] * len(frame)
    for name, column in parsed.columns.items():
        if name == "good_sum":
            prices = column.values_by_row(_accepted)
        elif name in _CONVERTED:
            # Send the converted value; a cell with an error keeps its text for the messages.
            frame[name] = pd.Series(column.text_by_row(_accepted), index=frame.index)
    if "utm_medium" in frame:
        medium = frame["utm_medium"]
        respell = (medium.str.casefold() == "affiliate") & (medium != "affiliate")
        if respell.any():  # else the column stays shared with the sheet
            frame["utm_medium"] = medium.mask(respell, "affiliate")
    problems.sort(key=lambda found: (found.row, found.column))
    return ValidRows(frame=frame, prices=prices, row_numbers=row_numbers, problems=problems)
