"""What can be wrong with a cell or an order: stable codes, a message template per code, the record.

A bad row is data, not an exception: a ``RowProblem`` names the sheet row, the column as written
in the file, the value and a ``ProblemCode``; its message is filled from the code's template when
it is shown (frictionless keeps ``template`` on each error class the same way). Messages say what
to do in words, never with a command-line flag: the CLI and the web page add the hint for their
own controls (``cli.hints``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from justclick_import.language import Language
from justclick_import.problem_texts import TEXTS

__all__ = ["WARNINGS", "ProblemCode", "RowProblem", "summarise_problems"]


class ProblemCode(StrEnum):
    """Every kind of problem a row or an order can have (kebab-case, never renamed)."""

    MISSING_EMAIL = "missing-email"
    BAD_EMAIL = "bad-email"
    MISSING_PRODUCT = "missing-product"
    BAD_PRODUCT = "bad-product"
    BAD_PRICE = "bad-price"
    AMBIGUOUS_PRICE = "ambiguous-price"
    NEGATIVE_PRICE = "negative-price"
    ZERO_PRICE = "zero-price"
    BAD_DATE = "bad-date"
    AMBIGUOUS_DATE = "ambiguous-date"
    BAD_TIMER_KILL = "bad-timer-kill"
    TIMER_KILL_PAST = "timer-kill-past"
    BAD_IP = "bad-ip"
    BAD_DOMAIN = "bad-domain"
    DOMAIN_SCHEME_REMOVED = "domain-scheme-removed"
    CONFLICTING_ORDER = "conflicting-order"
    AFFILIATE_WITHOUT_SOURCE = "affiliate-without-source"
    UNKNOWN_PRODUCT = "unknown-product"
    MISSING_DELIVERY = "missing-delivery"
    BAD_STATUS = "bad-status"  # no longer raised: an unknown word is unknown-status, a warning
    MISSING_TRACKING = "missing-tracking"
    TOO_MANY_GOODS = "too-many-goods"
    BAD_QUANTITY = "bad-quantity"
    ZERO_QUANTITY = "zero-quantity"
    UNKNOWN_TITLE = "unknown-title"
    AMBIGUOUS_TITLE = "ambiguous-title"
    TITLE_WITHOUT_CATALOG = "title-without-catalog"
    NOT_A_PRODUCT = "not-a-product"
    NO_GOODS = "no-goods"
    PRICE_NOT_SPLIT = "price-not-split"
    TOTAL_DIFFERS = "total-differs"
    FOREIGN_CURRENCY = "foreign-currency"
    TEXTS_JOINED = "texts-joined"
    QUOTE_REMOVED = "quote-removed"
    NAIVE_DATES = "naive-dates"
    UNKNOWN_STATUS = "unknown-status"
    OPEN_DEAL = "open-deal"
    # Hostile files (added later; kept at the end).
    DATE_OUT_OF_RANGE = "date-out-of-range"
    PRICE_TOO_LARGE = "price-too-large"
    ERROR_CELL = "error-cell"
    FORMULA_WITHOUT_VALUE = "formula-without-value"
    TYPED_AS_NUMBER = "typed-as-number"
    CELL_TOO_LONG = "cell-too-long"
    CELL_CUT = "cell-cut"
    BAD_BYTES = "bad-bytes"
    REQUEST_TOO_LARGE = "request-too-large"
    # An order refunded in full, created with its goods as sold (added later).
    REFUNDED_QUANTITY_ASSUMED = "refunded-quantity-assumed"
    REFUNDED_QUANTITY_ORDERED = "refunded-quantity-ordered"

    @property
    def summary(self) -> str:
        """What the code means, in one line (a heading over all its cases), in English."""
        return self.summary_in("en")

    @property
    def template(self) -> str:
        """One case's message: placeholders ``{row}``, ``{column}``, ``{value}``, ``{detail}``."""
        return self.template_in("en")

    def summary_in(self, language: Language) -> str:
        """``summary`` in ``language``."""
        return TEXTS[language][self][0]

    def template_in(self, language: Language) -> str:
        """``template`` in ``language``."""
        summary, template = TEXTS[language][self]
        return template or summary

    @property
    def is_warning(self) -> bool:
        """True when the problem is only told: the order is still sent."""
        return self in WARNINGS


# Codes that are told but do not keep an order from being sent.
WARNINGS = frozenset(
    {ProblemCode.ZERO_PRICE, ProblemCode.TIMER_KILL_PAST, ProblemCode.DOMAIN_SCHEME_REMOVED}
    | {
        ProblemCode.ZERO_QUANTITY,
        ProblemCode.NOT_A_PRODUCT,
        ProblemCode.PRICE_NOT_SPLIT,
        ProblemCode.TOTAL_DIFFERS,
        ProblemCode.TEXTS_JOINED,
        ProblemCode.QUOTE_REMOVED,
        ProblemCode.NAIVE_DATES,
        ProblemCode.UNKNOWN_STATUS,
        ProblemCode.OPEN_DEAL,
        ProblemCode.TYPED_AS_NUMBER,
        ProblemCode.CELL_CUT,
        ProblemCode.REFUNDED_QUANTITY_ASSUMED,
        ProblemCode.REFUNDED_QUANTITY_ORDERED,
    }
)


@dataclass(frozen=True, slots=True)  # slots: a file can have a million of them
class RowProblem:
    """One thing wrong with one cell: spreadsheet row, column as named in the file, and why.

    ``detail`` holds what a code's template needs beyond the cell (the rows that disagree, the
    delivery fields missing). The message is made when it is asked for, never stored.
    """

    row: int
    column: str
    value: str
    code: ProblemCode
    detail: str = ""

    @property
    def severity(self) -> str:
        """``error`` keeps the row's order from being sent; ``warning`` does not."""
        return "warning" if self.code in WARNINGS else "error"

    @property
    def is_error(self) -> bool:
        """True when the problem keeps the row's order from being sent."""
        return self.code not in WARNINGS

    @property
    def message(self) -> str:
        """The code's template filled from this problem's row, column, value and detail."""
        return self.message_in("en")

    def message_in(self, language: Language) -> str:
        """``message`` in ``language``."""
        template = _TEMPLATES.get((self.code, language))
        if template is None:
            template = _TEMPLATES[self.code, language] = ProblemCode(self.code).template_in(
                language
            )
        return template.format(
            row=self.row, column=self.column, value=self.value, detail=self.detail
        )


# Each code's template per language, looked up once: a file can have a million problems.
_TEMPLATES: dict[tuple[str, Language], str] = {}


# An order's first error and how many more it has, per language (``summarise_problems``).
_SUMMARY_WORDS: dict[Language, tuple[str, str]] = {
    "en": ("row {row}, {column}: {message}", " (and {more} more problems)"),
    "ru": ("строка {row}, {column}: {message}", " (и ещё проблем: {more})"),
}


def summarise_problems(problems: list[RowProblem], language: Language = "en") -> str:
    """The first error among ``problems`` in one line, and how many more there are ("" if none)."""
    errors = [problem for problem in problems if problem.is_error]
    if not errors:
        return ""
    first = errors[0]
    line, more = _SUMMARY_WORDS[language]
    text = line.format(row=first.row, column=first.column, message=first.message_in(language))
    return text + (more.format(more=len(errors) - 1) if len(errors) > 1 else "")
