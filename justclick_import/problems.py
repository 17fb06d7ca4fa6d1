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

__all__ = ["WARNINGS", "ProblemCode", "RowProblem"]


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
    BAD_STATUS = "bad-status"
    MISSING_TRACKING = "missing-tracking"
    TOO_MANY_GOODS = "too-many-goods"

    @property
    def summary(self) -> str:
        """What the code means, in one line (a heading over all its cases)."""
        return _TEXTS[self][0]

    @property
    def template(self) -> str:
        """One case's message: placeholders ``{row}``, ``{column}``, ``{value}``, ``{detail}``."""
        return _TEXTS[self][1] or _TEXTS[self][0]

    @property
    def is_warning(self) -> bool:
        """True when the problem is only told: the order is still sent."""
        return self in WARNINGS


# code: (summary, template of one case; "" when the summary says it all)
_TEXTS: dict[ProblemCode, tuple[str, str]] = {
    ProblemCode.MISSING_EMAIL: ("the customer's e-mail is empty; every order needs one", ""),
    ProblemCode.BAD_EMAIL: (
        "this is not an e-mail address (expected name@example.com)",
        "{value!r} is not an e-mail address (expected name@example.com)",
    ),
    ProblemCode.MISSING_PRODUCT: (
        "the product id is empty; write the product's id from your JustClick shop",
        "",
    ),
    ProblemCode.BAD_PRODUCT: (
        "a product id has no spaces; use the id from your shop, not its title",
        "",
    ),
    ProblemCode.BAD_PRICE: ("not a price; write a number such as 1500 or 1500.50", ""),
    ProblemCode.AMBIGUOUS_PRICE: (
        "unclear price: this can be read as thousands or as a fraction; "
        "write 1500 or 1500.00 (or 1.5)",
        "unclear price {value!r}: it can be read as thousands or as a fraction; "
        "write 1500 or 1500.00 (or 1.5)",
    ),
    ProblemCode.NEGATIVE_PRICE: ("a price cannot be negative", ""),
    ProblemCode.ZERO_PRICE: (
        "a price of 0 does not make the item free: JustClick charges the shop's price",
        "",
    ),
    ProblemCode.BAD_DATE: (
        "not a date; write it as 29.11.2026, 29.11.2026 14:30 or 2026-11-29",
        "",
    ),
    ProblemCode.AMBIGUOUS_DATE: (
        "unclear date: 03/04/2026 can be 3 April or March 4; write 03.04.2026, or say whether "
        "the day or the month comes first",
        "unclear date {value!r}: the day and the month could be either way round; write "
        "03.04.2026, or say whether the day or the month comes first",
    ),
    ProblemCode.BAD_TIMER_KILL: (
        "write yes (cancel an unpaid order as the product's settings say), no (never cancel) "
        "or the date to cancel it",
        "",
    ),
    ProblemCode.TIMER_KILL_PAST: (
        "this date has passed: JustClick will cancel the unpaid order at once",
        "",
    ),
    ProblemCode.BAD_IP: ("not an IP address (expected e.g. 192.168.0.1)", ""),
    ProblemCode.BAD_DOMAIN: (
        "not a site's address; write the shop's domain only, such as shop.ru",
        "",
    ),
    ProblemCode.DOMAIN_SCHEME_REMOVED: (
        "only the domain is sent: http(s):// and the final / were removed",
        "",
    ),
    ProblemCode.CONFLICTING_ORDER: (
        "rows of one order disagree",
        "rows of one order disagree ({detail}); make them equal or give the orders different "
        "order numbers",
    ),
    ProblemCode.AFFILIATE_WITHOUT_SOURCE: (
        "a partner sale (utm_medium affiliate) needs the partner's login in utm_source",
        "",
    ),
    ProblemCode.UNKNOWN_PRODUCT: (
        "your shop has no product with this id (checked against the catalog)",
        "your shop has no product with the id {value!r} (checked against the catalog)",
    ),
    ProblemCode.MISSING_DELIVERY: (
        "this product is sent by post: the order needs the delivery address",
        "this product is sent by post: the order needs the delivery address; {detail}",
    ),
    ProblemCode.BAD_STATUS: (
        "not an order status; write paid, sent, return or cancel (Оплачен, Отправлен, "
        "Возврат, Отменён), or leave it empty",
        "",
    ),
    ProblemCode.MISSING_TRACKING: (
        "a shipped order (status sent) needs its postal tracking number",
        "",
    ),
    ProblemCode.TOO_MANY_GOODS: (
        "this order has more goods than JustClick reads from one request (about 490 with "
        "prices, 980 without): split it into several orders with different order numbers",
        "this order has {value} goods, more than JustClick reads from one request (about 490 "
        "with prices, 980 without): split it into several orders with different order numbers",
    ),
}

# Codes that are told but do not keep an order from being sent.
WARNINGS = frozenset(
    {ProblemCode.ZERO_PRICE, ProblemCode.TIMER_KILL_PAST, ProblemCode.DOMAIN_SCHEME_REMOVED}
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
        return ProblemCode(self.code).template.format(
            row=self.row, column=self.column, value=self.value, detail=self.detail
        )
