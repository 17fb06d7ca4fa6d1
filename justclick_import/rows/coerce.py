"""Turning one cell's text into what JustClick expects: prices, e-mails, IPs, hosts, ids.

Each parser takes trimmed, non-empty text and returns ``(value, code)``: the value to send and
``""``, or a ``problems.ProblemCode`` value (the value is then what was written).
``parse_column`` applies a parser once per distinct value of a column, so a million rows with a
few thousand distinct values cost a few thousand calls. Dates are in ``dates``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from email_validator import EmailNotValidError, validate_email

__all__ = [
    "check_email",
    "check_ip",
    "check_product",
    "clean_domain",
    "each",
    "parse_column",
    "parse_currency",
    "parse_price",
    "parse_quantity",
    "parse_total",
]

T = TypeVar("T")
Parsed = tuple[T, str]

# --- prices ---------------------------------------------------------------------------------

# Spaces people and spreadsheet programs put between thousands: space, no-break, thin, narrow.
_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f'](?=\d{3}(?!\d))")
_RUBLES = re.compile(r"^(?:₽|руб\.?|р\.?|rub\.?|rur\.?)\s*|\s*(?:₽|руб\.?|р\.?|rub\.?|rur\.?)$")
_NUMBER = re.compile(r"[0-9.,]+")
MAX_PRICE = 1_000_000_000.0  # more than any one product costs: a typo or a broken cell


def parse_price(text: str) -> Parsed[float | None]:
    """A price as a number: ``1 500,50``, ``1,500.50``, ``1500 руб.`` and ``₽1 500`` are 1500.5.

    Codes: ``bad-price`` (not a number), ``ambiguous-price`` (``1,500``: 1.5 or 1500?),
    ``negative-price``, ``price-too-large`` (over ``MAX_PRICE``), and the warning
    ``zero-price``.
    """
    cleaned = _RUBLES.sub("", text.casefold()).strip()
    negative = cleaned.startswith(("-", "−"))
    if negative:
        cleaned = cleaned[1:].strip()
    cleaned = _GROUP_SPACES.sub("", cleaned)
    if not cleaned or _NUMBER.fullmatch(cleaned) is None or not cleaned[0].isdigit():
        return None, "bad-price"
    if not cleaned[-1].isdigit():
        return None, "bad-price"
    value = _number_from(cleaned)
    if isinstance(value, str):
        return None, value
    if not value <= MAX_PRICE:  # 1e308 (a number cell's 309 digits), or beyond a float: inf
        return None, "price-too-large"
    if negative and value:
        return None, "negative-price"
    return value, "zero-price" if value == 0 else ""


def _number_from(text: str) -> float | str:
    """``text`` of digits, ``.`` and ``,`` as a number, or the problem code."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # Both: the last one is the decimal mark, the other groups thousands (1,500.50; 1.500,50).
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        group = "," if decimal == "." else "."
        if text.count(decimal) > 1:
            return "bad-price"
        whole, fraction = text.split(decimal)
        if not _grouped(whole, group) or not fraction:
            return "bad-price"
        return float(whole.replace(group, "") + "." + fraction)
    mark = "." if dots else "," if commas else ""
    if not mark:
        return float(text)
    parts = text.split(mark)
    if len(parts) > 2:  # 1.500.000 or 1,500,000: only thousands
        return float("".join(parts)) if _grouped(text, mark) else "bad-price"
    whole, fraction = parts
    if len(fraction) == 3 and whole != "0":
        return "ambiguous-price"  # 1,500 is 1500 in one country and 1.5 in another
    return float(whole + "." + fraction) if fraction and whole else "bad-price"


def _grouped(text: str, mark: str) -> bool:
    head, *groups = text.split(mark)
    return 1 <= len(head) <= 3 and head.isdigit() and all(len(g) == 3 for g in groups)


def parse_total(text: str) -> Parsed[float | None]:
    """An order's total: a price (``parse_price``), where 0 is only a free order, not a warning."""
    value, code = parse_price(text)
    return value, "" if code == "zero-price" else code


# More units than one request can carry (PHP reads 1000 values; a unit without a price is one).
MAX_QUANTITY = 980
_QUANTITY = re.compile(r"(\d+)(?:[.,]0*)?(?:\s*(?:шт\.?|pcs\.?|x|×))?")


def parse_quantity(text: str) -> Parsed[int | None]:
    """How many units a line is: ``2``, ``2.0``, ``2 шт``. Codes: ``bad-quantity`` (not a whole
    number from 1 to ``MAX_QUANTITY``) and the warning ``zero-quantity`` (the line is left out).
    """
    match = _QUANTITY.fullmatch(text.casefold().strip())
    if match is None:
        return None, "bad-quantity"
    count = int(match.group(1))
    if count == 0:
        return 0, "zero-quantity"
    return (count, "") if count <= MAX_QUANTITY else (None, "bad-quantity")


_CURRENCIES = {
    "RUB": ("rub", "rur", "руб", "руб.", "р", "р.", "₽", "рубль", "рубли", "рублей"),
    "USD": ("usd", "$", "us$", "долл", "долл.", "доллар"),
    "EUR": ("eur", "€", "евро"),
    "KZT": ("kzt", "₸", "тенге"),
    "UAH": ("uah", "₴", "грн", "грн."),
    "BYN": ("byn", "byr", "бел. руб.", "бел.руб."),
}
_CURRENCY_CODES = {word: code for code, words in _CURRENCIES.items() for word in words}


def parse_currency(text: str) -> Parsed[str]:
    """A currency as its ISO code: ``руб.``, ``₽`` and ``RUR`` are ``RUB``; other text is kept
    upper-cased (never a problem here: an order not in the shop's currency is one later)."""
    folded = text.casefold().strip()
    return _CURRENCY_CODES.get(folded, text.strip().upper()), ""


# --- e-mail, IP, domain, product ------------------------------------------------------------

# Addresses this pattern matches are always valid for email-validator too (a property test
# holds it to that); only the rest, usually few, go through the full validator.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"(?!..--)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_SPECIAL_TLD = r"(?!(?:arpa|invalid|local|localhost|onion|test)$)"
_PLAIN_EMAIL = re.compile(
    rf"(?=[^@]{{1,64}}@)(?=.{{6,254}}$){_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+"
    rf"{_SPECIAL_TLD}[A-Za-z]{{2,63}}"
)


def check_email(text: str) -> Parsed[str]:
    """An e-mail address checked for syntax only (never a DNS lookup). Code: ``bad-email``.

    International domains (``почта.рф``) and local parts are accepted as email-validator
    accepts them; the address is sent as written.
    """
    if _PLAIN_EMAIL.fullmatch(text):
        return text, ""
    if "@" not in text:  # email-validator wants exactly one: no need to ask it (20x cheaper)
        return text, "bad-email"
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return text, "bad-email"
    return text, ""


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# What ipaddress accepts as IPv4, asked first: the pattern is 5x cheaper per value.
_PLAIN_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def check_ip(text: str) -> Parsed[str]:
    """An IPv4 or IPv6 address. Code: ``bad-ip``."""
    if _PLAIN_IPV4.fullmatch(text):
        return text, ""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return text, "bad-ip"
    return text, ""


_HOST_LABEL = re.compile(r"(?!-)[\w-]{1,63}(?<!-)")


def clean_domain(text: str) -> Parsed[str]:
    """``bill_domain`` as a host name: ``https://shop.ru/`` becomes ``shop.ru`` (a warning,
    ``domain-scheme-removed``). Code: ``bad-domain`` for anything that is not a host name.
    """
    host = re.sub(r"^https?://", "", text, flags=re.IGNORECASE).rstrip("/")
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return text, "bad-domain"
    return host, "domain-scheme-removed" if host != text else ""


def check_product(text: str) -> Parsed[str]:
    """A product id as the shop knows it: no spaces. Code: ``bad-product``."""
    return text, "bad-product" if any(char.isspace() for char in text) else ""


# --- whole columns --------------------------------------------------------------------------


Batch = Callable[[list[str]], tuple[list[Any], list[str]]]


def each(parse: Callable[[str], Parsed[Any]]) -> Batch:
    """A parser of one value made a parser of a list of values."""

    def parse_all(texts: list[str]) -> tuple[list[Any], list[str]]:
        results = [parse(text) for text in texts]
        return [value for value, _ in results], [code for _, code in results]

    return parse_all


@dataclass(frozen=True)
class ParsedColumn:
    """A column parsed once per distinct value: the results per distinct value, and which
    distinct value each row holds."""

    positions: np.ndarray  # per row: index into the arrays below
    texts: list[str]  # the distinct values as written
    values: list[Any]  # parsed value per distinct value (None for an empty cell)
    codes: list[str]  # problem code per distinct value ("" when fine or empty)

    def codes_by_row(self, index: pd.Index) -> pd.Series:
        """Each row's problem code, as a categorical Series (cheap to compare)."""
        categories, inverse = np.unique(np.array([*self.codes, ""], dtype=str), return_inverse=True)
        by_row = pd.Categorical.from_codes(
            inverse[:-1][self.positions], categories=categories.tolist()
        )
        return pd.Series(by_row, index=index)

    def values_by_row(self, keep: Callable[[str], bool]) -> list[Any]:
        """Each row's parsed value where ``keep(code)``, else None."""
        chosen = np.full(len(self.values), None, dtype=object)
        for i, (value, code) in enumerate(zip(self.values, self.codes, strict=True)):
            if keep(code):
                chosen[i] = value
        result: list[Any] = chosen[self.positions].tolist()
        return result

    def text_by_row(self, keep: Callable[[str], bool]) -> np.ndarray:
        """Each row's parsed value as text where ``keep(code)``, else the text as written."""
        chosen = np.array(self.texts, dtype=object)
        for i, (value, code) in enumerate(zip(self.values, self.codes, strict=True)):
            if keep(code) and value is not None:
                chosen[i] = str(value)
        taken: np.ndarray = chosen[self.positions]
        return taken


def parse_column(values: pd.Series, parse: Batch) -> ParsedColumn:
    """Apply the batch parser ``parse`` once to the distinct non-empty values of ``values``."""
    positions, distinct = pd.factorize(values)
    texts = [str(text) for text in distinct.tolist()]
    filled = [i for i, text in enumerate(texts) if text != ""]
    parsed, found = parse([texts[i] for i in filled])
    results: list[Any] = [None] * len(texts)
    codes = [""] * len(texts)
    for i, value, code in zip(filled, parsed, found, strict=True):
        results[i] = value
        codes[i] = code
    return ParsedColumn(np.asarray(positions), texts, results, codes)
