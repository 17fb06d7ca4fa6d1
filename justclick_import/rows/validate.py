"""Stage 3, validate: every row is checked with a pandera schema, all problems collected at once.

Cells are trimmed, then each typed field is parsed once per distinct value (``coerce``); the
pandera schema holds one check per problem code, run lazily so that one bad cell never hides
another. What is sent comes out converted: dates as unix timestamps, ``yes`` as ``1``, a
domain without ``https://``, prices as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from justclick_import.errors import ErrorCode, InputError
from justclick_import.fields import ORDER_ID
from justclick_import.problems import WARNINGS, ProblemCode, RowProblem
from justclick_import.rows import coerce, dates
from justclick_import.rows.cells import cell_problems, number_cells, numbers_as_numbers
from justclick_import.rows.cleaning import cleaned_frame, distinct_values
from justclick_import.rows.columns import ColumnMap
from justclick_import.rows.statuses import StatusVocabulary
from justclick_import.sources import Sheet

__all__ = ["REQUIRED_FIELDS", "ValidRows", "missing_fields", "validate_rows"]

REQUIRED_FIELDS = ("bill_email", "good_name")
# A required field another one can stand for: a product named by its title.
_STAND_INS = {"good_name": "good_title"}


def missing_fields(fields: set[str] | dict[str, str]) -> list[str]:
    """The required fields ``fields`` lacks (a title column stands for the product's id)."""
    return [
        name
        for name in REQUIRED_FIELDS
        if name not in fields and _STAND_INS.get(name) not in fields
    ]


@dataclass
class ValidRows:
    """The rows under canonical field names, with parsed prices and every problem found."""

    frame: pd.DataFrame  # one column per mapped field: trimmed text, converted where typed
    prices: list[float | None]
    row_numbers: list[int]
    problems: list[RowProblem]
    quantities: list[int | None] | None = None  # units per row; None: no quantity column
    # Units ordered per row, before refunds; None: no ordered_quantity column.
    ordered_quantities: list[int | None] | None = None
    written: dict[str, pd.Series] = field(default_factory=dict)  # converted fields as written

    @property
    def rows_with_errors(self) -> set[int]:
        """Sheet rows that have at least one error."""
        return {problem.row for problem in self.problems if problem.is_error}

    def texts(self, name: str) -> list[str]:
        """The column ``name`` as a list, one ``str`` object per distinct value.

        ``tolist`` on Arrow text makes a new object per cell (~70 MB a column of a million);
        here the rows of a value share one, so the orders built from them need no cache.
        """
        positions, distinct = self.distinct(name)
        values: list[str] = np.asarray(distinct, dtype=object)[positions].tolist()
        return values

    def distinct(self, name: str) -> tuple[np.ndarray, list[str]]:
        """The column ``name`` as each row's index into its distinct values, and those values
        (in order of first appearance)."""
        return distinct_values(self.frame[name])


def _accepted(code: str) -> bool:
    return not code or code in WARNINGS


# Fields sent (or applied) as converted: unix timestamps, 1/0, a bare domain, a status word,
# a total as a number, a currency's code.
_CONVERTED = frozenset(
    {
        "bill_created", "bill_timer_kill", "bill_domain", "order_status", "status_date",
        "order_total", "currency",
    }
)  # fmt: skip

# The codes each typed field can raise, and the parser that raises them.
_FIELD_CODES: dict[str, tuple[str, ...]] = {
    "bill_email": ("bad-email",),
    "good_name": ("bad-product",),
    "good_sum": ("bad-price", "ambiguous-price", "negative-price", "zero-price", "price-too-large"),
    "bill_created": ("bad-date", "ambiguous-date", "date-out-of-range"),
    "bill_timer_kill": ("bad-timer-kill", "ambiguous-date", "timer-kill-past", "date-out-of-range"),
    "bill_ip": ("bad-ip",),
    "bill_domain": ("bad-domain", "domain-scheme-removed"),
    "order_status": ("unknown-status", "open-deal"),
    "status_date": ("bad-date", "ambiguous-date", "date-out-of-range"),
    "quantity": ("bad-quantity", "zero-quantity"),
    "ordered_quantity": ("bad-quantity", "zero-quantity"),
    "order_total": ("bad-price", "ambiguous-price", "negative-price", "price-too-large"),
    "currency": (),  # never wrong here: only an order in another currency is
}


# What exports write where a status has no date yet (amoCRM: "не закрыта" for an open deal).
_NO_DATE = frozenset(
    {"-", "—", "–", "нет", "не закрыта", "не закрыто", "не оплачен", "n/a", "none"}
)


def _status_dates(texts: list[str], rules: dates.DateRules) -> tuple[list[object], list[str]]:
    """``parse_moments``, where a "no date" word is an empty date."""
    blank = [text.casefold() in _NO_DATE for text in texts]
    stamps, codes = dates.parse_moments(
        [t for t, b in zip(texts, blank, strict=True) if not b], rules
    )
    found = iter(zip(stamps, codes, strict=True))
    parsed = [("", "") if b else next(found) for b in blank]
    return [value for value, _ in parsed], [code for _, code in parsed]


def _parsers(rules: dates.DateRules, statuses: StatusVocabulary) -> dict[str, coerce.Batch]:
    return {
        "bill_email": coerce.each(coerce.check_email),
        "good_name": coerce.each(coerce.check_product),
        "good_sum": coerce.each(coerce.parse_price),
        "bill_created": partial(dates.parse_moments, rules=rules),
        "bill_timer_kill": partial(dates.parse_timer_kills, rules=rules),
        "bill_ip": coerce.each(coerce.check_ip),
        "bill_domain": coerce.each(coerce.clean_domain),
        "order_status": coerce.each(statuses.parse),
        "status_date": partial(_status_dates, rules=rules),
        "quantity": coerce.each(coerce.parse_quantity),
        "ordered_quantity": coerce.each(coerce.parse_quantity),
        "order_total": coerce.each(coerce.parse_total),
        "currency": coerce.each(coerce.parse_currency),
    }


class _Parsed:
    """Each typed column parsed once, shared by the pandera checks and the conversion."""

    def __init__(self, rules: dates.DateRules, statuses: StatusVocabulary) -> None:
        self.parsers = _parsers(rules, statuses)
        self.columns: dict[str, coerce.ParsedColumn] = {}
        self.codes: dict[str, pd.Series] = {}

    def code_of(self, name: str, series: pd.Series) -> pd.Series:
        if name not in self.codes:
            self.columns[name] = coerce.parse_column(series, self.parsers[name])
            self.codes[name] = self.columns[name].codes_by_row(series.index)
        return self.codes[name]


def _schema(parsed: _Parsed, frame: pd.DataFrame, titles: bool) -> pa.DataFrameSchema:
    def filled(series: pd.Series) -> pd.Series:
        return series != ""

    # The product: its id, or its title where the file has a title column.
    title = frame["good_title"] != "" if "good_title" in frame else None
    product_column = "good_name" if "good_name" in frame else "good_title"

    def product_given(series: pd.Series) -> pd.Series:
        return filled(series) if title is None else filled(series) | title

    # A row with an order number may leave the e-mail to another row of its order: whether
    # the order has one at all is checked once the rows are grouped (order_checks).
    numbered = frame[ORDER_ID] != "" if ORDER_ID in frame else None

    def email_given(series: pd.Series) -> pd.Series:
        return filled(series) if numbered is None else filled(series) | numbered

    def passes(name: str, code: str) -> pa.Check:
        return pa.Check(lambda series: parsed.code_of(name, series) != code, name=code)

    columns: dict[str, pa.Column] = {}
    for name in frame.columns:
        codes = _FIELD_CODES.get(name, ())
        if name == "good_name" and titles:  # a title there is matched with the catalog
            codes = ()
        if name == "ordered_quantity" and "quantity" in frame:
            codes = ("bad-quantity",)  # the units that count are quantity's: it tells a 0
        checks = [passes(name, code) for code in codes]
        if name == "bill_email":
            checks.insert(0, pa.Check(email_given, name=ProblemCode.MISSING_EMAIL))
        if name == product_column:
            checks.insert(0, pa.Check(product_given, name=ProblemCode.MISSING_PRODUCT))
        columns[name] = pa.Column(None, checks, nullable=False)
    return pa.DataFrameSchema(columns, strict=False)


def _naive_dates(
    parsed: _Parsed, rules: dates.DateRules, mapping: ColumnMap, row_numbers: list[int]
) -> list[RowProblem]:
    """One warning per date column read in a zone nobody gave: its first such date."""
    found: list[RowProblem] = []
    for name in ("bill_created", "status_date"):
        column = parsed.columns.get(name)
        if column is None or not rules.assumed:
            continue
        naive = [
            i
            for i, (text, code) in enumerate(zip(column.texts, column.codes, strict=True))
            if text and not code and not dates.written_with_zone(text)
        ]
        if naive:
            first = int(np.flatnonzero(np.isin(column.positions, naive))[0])
            text = column.texts[column.positions[first]]
            header = mapping.header_for(name)
            code = ProblemCode.NAIVE_DATES
            found.append(RowProblem(row_numbers[first], header, text, code, rules.zone_name))
    return found


def validate_rows(
    sheet: Sheet,
    mapping: ColumnMap,
    *,
    source: Path | None = None,
    rules: dates.DateRules | None = None,
    statuses: StatusVocabulary | None = None,
    titles: bool = False,
) -> ValidRows:
    """Check every row of ``sheet`` and return them under field names with all problems.

    ``rules`` say how dates without an offset are read (default: this machine's time zone,
    ambiguous day/month refused); ``statuses`` what each status word means; ``titles`` that a
    product column may hold titles (a catalog will match them). Raises ``InputError`` when a
    required column is missing altogether: that is a problem with the file, not with a row.
    """
    missing = missing_fields(mapping.fields)
    if missing:
        where = source or sheet.path
        raise InputError(
            ErrorCode.MISSING_COLUMN,
            f"{where}: no column for {', '.join(missing)}; the file needs a header named "
            f"{' and '.join(missing)} (headers found: {', '.join(sheet.headers) or 'none'}); "
            "rename it or map it in a mapping file",
            missing=missing,
        )
    frame, problems = cleaned_frame(sheet, mapping)
    numbers = number_cells(sheet, mapping)
    if "good_sum" in frame:  # a number cell's 12.345 is a number, not an ambiguous text
        frame["good_sum"] = numbers_as_numbers(sheet, mapping, frame["good_sum"], numbers)
    rules = rules or dates.date_rules()
    parsed = _Parsed(rules, statuses or StatusVocabulary())
    row_numbers = sheet.row_numbers
    problems += cell_problems(sheet, mapping, numbers)
    try:
        _schema(parsed, frame, titles).validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        schema_level = cases["index"].isna()  # a schema-level failure has no row
        if schema_level.any():
            column, code = cases.loc[schema_level, ["column", "check"]].iloc[0]
            raise InputError(ErrorCode.UNEXPECTED, f"{sheet.path}: {column}: {code}") from None
        # A file can fail a million checks on a few columns: each name and code made once.
        headers = {name: mapping.header_for(str(name)) for name in cases["column"].unique()}
        codes = {code: ProblemCode(code) for code in cases["check"].unique()}
        for column, code, index, value in zip(
            cases["column"].tolist(),
            cases["check"].tolist(),
            cases["index"].tolist(),
            cases["failure_case"].tolist(),
            strict=True,
        ):
            text = "" if value is None else str(value)
            problems.append(RowProblem(row_numbers[int(index)], headers[column], text, codes[code]))
    for name in _FIELD_CODES.keys() & set(frame.columns):
        parsed.code_of(name, frame[name])  # already done by the checks, unless pandera is off
    problems += _naive_dates(parsed, rules, mapping, row_numbers)
    prices: list[float | None] = [None] * len(frame)
    quantities: list[int | None] | None = None
    ordered: list[int | None] | None = None
    written: dict[str, pd.Series] = {}
    for name, column in parsed.columns.items():
        if name == "good_sum":
            prices = column.values_by_row(_accepted)
        elif name == "quantity":
            quantities = column.values_by_row(_accepted)
        elif name == "ordered_quantity":
            ordered = column.values_by_row(_accepted)
        elif name in _CONVERTED:
            # Send the converted value; a cell with an error keeps its text for the messages.
            written[name] = frame[name]
            frame[name] = pd.Series(column.text_by_row(_accepted), index=frame.index)
    if "utm_medium" in frame:
        medium = frame["utm_medium"]
        respell = (medium.str.casefold() == "affiliate") & (medium != "affiliate")
        if respell.any():  # else the column stays shared with the sheet
            frame["utm_medium"] = medium.mask(respell, "affiliate")
    problems.sort(key=lambda found: (found.row, found.column))
    return ValidRows(frame, prices, row_numbers, problems, quantities, ordered, written)
