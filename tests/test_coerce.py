"""Cell text to what JustClick expects: prices, dates, flags, e-mails, IPs, domains."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given
from hypothesis import strategies as st

from justclick_import.errors import ConfigError
from justclick_import.rows import coerce
from justclick_import.rows.coerce import (
    check_email,
    check_ip,
    clean_domain,
    each,
    parse_column,
    parse_price,
)
from justclick_import.rows.dates import date_rules, parse_moment, parse_moments, parse_timer_kill

MOSCOW = date_rules("Europe/Moscow")


def stamp(*parts: int, zone: str = "Europe/Moscow") -> int:
    """The unix time of a wall-clock time in ``zone``."""
    return int(dt.datetime(*parts, tzinfo=ZoneInfo(zone)).timestamp())  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1500", 1500.0),
        ("1500.50", 1500.5),
        ("1500,5", 1500.5),
        ("1 500,50", 1500.5),
        ("1\u00a0500,50", 1500.5),
        ("1\u202f500", 1500.0),
        ("1,500.50", 1500.5),
        ("1.500,50", 1500.5),
        ("1,500,000", 1500000.0),
        ("1 500 000", 1500000.0),
        ("1500 руб.", 1500.0),
        ("1500руб", 1500.0),
        ("1500 р.", 1500.0),
        ("₽1 500", 1500.0),
        ("1 500 ₽", 1500.0),
        ("1500 RUB", 1500.0),
        ("0,5", 0.5),
        ("0.500", 0.5),
        ("990", 990.0),
    ],
)
def test_prices_in_the_forms_people_write(text: str, value: float) -> None:
    assert parse_price(text) == (value, "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1,500", "ambiguous-price"),
        ("1.500", "ambiguous-price"),
        ("-100", "negative-price"),
        ("−1 500", "negative-price"),
        ("abc", "bad-price"),
        ("около 1500", "bad-price"),
        ("15 00", "bad-price"),
        ("1,50,0", "bad-price"),
        ("1.500.00", "bad-price"),
        ("1,500.5.0", "bad-price"),
        ("$15", "bad-price"),
        ("1500.", "bad-price"),
        (".5", "bad-price"),
        ("1e3", "bad-price"),
    ],
)
def test_prices_that_are_problems(text: str, code: str) -> None:
    assert parse_price(text) == (None, code)


def test_a_zero_price_is_a_warning_with_the_value_kept() -> None:
    assert parse_price("0") == (0.0, "zero-price")
    assert parse_price("0,00 руб.") == (0.0, "zero-price")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-29", stamp(2026, 11, 29)),
        ("2026-11-29 14:30:00", stamp(2026, 11, 29, 14, 30)),  # an Excel date cell
        ("2026-11-29T14:30", stamp(2026, 11, 29, 14, 30)),
        ("29.11.2026", stamp(2026, 11, 29)),
        ("29.11.2026 14:30", stamp(2026, 11, 29, 14, 30)),
        ("29.11.2026 14:30:15", stamp(2026, 11, 29, 14, 30, 15)),
        ("1.2.2026", stamp(2026, 2, 1)),
        ("29.11.26", stamp(2026, 11, 29)),
        ("2026-11-29T14:30:00+03:00", stamp(2026, 11, 29, 14, 30)),
        ("2026-11-29T11:30:00Z", stamp(2026, 11, 29, 14, 30)),
        ("2026-11-29 14:30:00+0500", stamp(2026, 11, 29, 12, 30)),
        ("2026-11-29T14:30:00.250-01:30", stamp(2026, 11, 29, 19, 0)),
        ("1795958400", 1795958400),
        ("29/11/2026", stamp(2026, 11, 29)),
        ("11/29/2026 10:00", stamp(2026, 11, 29, 10, 0)),
        ("05/05/2026", stamp(2026, 5, 5)),
    ],
)
def test_dates_become_unix_timestamps(text: str, expected: int) -> None:
    assert parse_moment(text, MOSCOW) == (expected, "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("03/04/2026", "ambiguous-date"),
        ("3-4-2026", "ambiguous-date"),
        ("31.02.2026", "bad-date"),
        ("2026-13-01", "bad-date"),
        ("29.11.2026 24:00", "bad-date"),
        ("29 ноября 2026", "bad-date"),
        ("46355", "bad-date"),  # an Excel serial number in a cell not formatted as a date
        ("tomorrow", "bad-date"),
    ],
)
def test_dates_that_are_problems(text: str, code: str) -> None:
    assert parse_moment(text, MOSCOW) == (None, code)


def test_the_date_format_and_zone_decide() -> None:
    assert parse_moment("03/04/2026", date_rules("UTC", "DMY")) == (
        stamp(2026, 4, 3, zone="UTC"),
        "",
    )
    assert parse_moment("03/04/2026", date_rules("UTC", "mm/dd/yyyy")) == (
        stamp(2026, 3, 4, zone="UTC"),
        "",
    )
    assert parse_moment("2026-07-01 12:00", date_rules("America/New_York")) == (
        stamp(2026, 7, 1, 12, 0, zone="America/New_York"),
        "",
    )
    # A clock time that happens twice (autumn): the first one, as Python's fold=0.
    assert parse_moment("2026-11-01 01:30", date_rules("America/New_York"))[0] == stamp(
        2026, 11, 1, 1, 30, zone="America/New_York"
    )


def test_many_dates_at_once_keep_their_places() -> None:
    texts = ["29.11.2026", "x", "03/04/2026", "1795958400", "2026-11-29T11:30:00Z"]
    assert parse_moments(texts, MOSCOW) == (
        [stamp(2026, 11, 29), None, None, 1795958400, stamp(2026, 11, 29, 14, 30)],
        ["", "bad-date", "ambiguous-date", "", ""],
    )
    assert parse_moments([], MOSCOW) == ([], [])


@pytest.mark.parametrize(
    ("zone", "order", "message"),
    [
        ("Mars/Olympus", None, "unknown time zone 'Mars/Olympus'"),
        (None, "YMD", "unknown date format 'YMD'; use DMY (29/11/2026) or MDY (11/29/2026)"),
    ],
)
def test_bad_date_options(zone: str | None, order: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        date_rules(zone, order)


def test_the_default_zone_is_this_machines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Yekaterinburg")
    rules = date_rules()
    assert rules.zone_name == "Asia/Yekaterinburg"
    assert parse_moment("2026-11-29", rules) == (stamp(2026, 11, 29, zone="Asia/Yekaterinburg"), "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("да", ("1", "")),
        ("Нет", ("0", "")),
        ("TRUE", ("1", "")),
        ("false", ("0", "")),
        ("yes", ("1", "")),
        ("no", ("0", "")),
        ("1", ("1", "")),
        ("0", ("0", "")),
        ("31.12.2099 23:59", (str(stamp(2099, 12, 31, 23, 59)), "")),
        ("01.01.2020", (str(stamp(2020, 1, 1)), "timer-kill-past")),
        ("maybe", ("maybe", "bad-timer-kill")),
        ("03/04/2030", ("03/04/2030", "ambiguous-date")),
    ],
)
def test_timer_kill_takes_flags_and_dates(text: str, expected: tuple[str, str]) -> None:
    assert parse_timer_kill(text, MOSCOW) == expected


@pytest.mark.parametrize(
    "address",
    [
        "ivan@example.ru",
        "Oleg.Smirnov@Example.ORG",
        "x~y@example.com",
        "a+tag@mail.co.uk",
        "user@почта.рф",
        "почта@почта.рф",
        "a@xn--80a1acny.xn--p1ai",
    ],
)
def test_good_email_addresses(address: str) -> None:
    assert check_email(address) == (address, "")


@pytest.mark.parametrize(
    "address",
    ["not-an-email", "a@b", "a..b@example.ru", "a@example", "a b@example.ru", "a@mail.local",
     "@example.ru", "a@-example.ru", "a@example..ru", "a@@example.ru"],
)  # fmt: skip
def test_bad_email_addresses(address: str) -> None:
    assert check_email(address) == (address, "bad-email")


def test_checking_an_email_never_asks_the_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    import dns.resolver

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a DNS lookup was made")

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", refuse)
    monkeypatch.setattr(dns.resolver, "resolve", refuse)
    assert check_email("user@почта.рф") == ("user@почта.рф", "")
    assert check_email("user@no-such-domain-really.example") == (
        "user@no-such-domain-really.example",
        "",
    )


_LOCAL = st.text(alphabet="abcXYZ019.!#$%&'*+/=?^_`{|}~-", min_size=1, max_size=70)
_DOMAIN = st.lists(st.text(alphabet="abz09-", min_size=1, max_size=65), min_size=1, max_size=4).map(
    ".".join
)
_TLD = st.sampled_from(["ru", "com", "xn", "local", "test", "onion", "a", "рф", "ab1"])


@given(local=_LOCAL, domain=_DOMAIN, tld=_TLD)
def test_the_fast_email_pattern_accepts_only_what_the_validator_accepts(
    local: str, domain: str, tld: str
) -> None:
    address = f"{local}@{domain}.{tld}"
    if coerce._PLAIN_EMAIL.fullmatch(address):
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError as error:  # pragma: no cover - the property failing
            pytest.fail(f"{address!r} passed the fast pattern but not the validator: {error}")


@pytest.mark.parametrize(
    ("text", "code"),
    [("192.168.0.1", ""), ("2001:db8::1", ""), ("300.1.1.1", "bad-ip"), ("localhost", "bad-ip")],
)
def test_ip_addresses(text: str, code: str) -> None:
    assert check_ip(text) == (text, code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shop.example.ru", ("shop.example.ru", "")),
        ("магазин.рф", ("магазин.рф", "")),
        ("https://shop.example.ru/", ("shop.example.ru", "domain-scheme-removed")),
        ("HTTP://shop.example.ru", ("shop.example.ru", "domain-scheme-removed")),
        ("shop.example.ru/", ("shop.example.ru", "domain-scheme-removed")),
        ("shop example", ("shop example", "bad-domain")),
        ("https://shop.ru/catalog", ("https://shop.ru/catalog", "bad-domain")),
        ("localhost", ("localhost", "bad-domain")),
    ],
)
def test_domains(text: str, expected: tuple[str, str]) -> None:
    assert clean_domain(text) == expected


def test_a_column_is_parsed_once_per_distinct_value() -> None:
    calls: list[str] = []

    def parse(text: str) -> tuple[float | None, str]:
        calls.append(text)
        return parse_price(text)

    values = pd.Series(["1 500", "", "abc", "1 500", "abc", "0"], dtype="str")
    column = parse_column(values, each(parse))
    assert sorted(calls) == ["0", "1 500", "abc"]
    assert column.codes_by_row(values.index).tolist() == [
        "",
        "",
        "bad-price",
        "",
        "bad-price",
        "zero-price",
    ]
    assert column.values_by_row(lambda code: code in {"", "zero-price"}) == [
        1500.0, None, None, 1500.0, None, 0.0,
    ]  # fmt: skip
    assert column.text_by_row(lambda code: not code).tolist() == [
        "1500.0", "", "abc", "1500.0", "abc", "0",
    ]  # fmt: skip


@given(st.integers(min_value=0, max_value=10**9 - 1), st.integers(min_value=0, max_value=99))
def test_a_price_written_any_usual_way_reads_back(whole: int, cents: int) -> None:
    value = whole + cents / 100
    english = f"{whole:,}.{cents:02d}"  # 1,500.50
    russian = f"{whole:,}".replace(",", "\u00a0") + f",{cents:02d}"  # 1 500,50
    german = f"{whole:,}".replace(",", ".") + f",{cents:02d}"  # 1.500,50
    for text in (english, russian, german, f"{whole}.{cents:02d}", f"{russian} руб."):
        price, code = parse_price(text)
        assert price == pytest.approx(value), text
        assert code == ("zero-price" if value == 0 else ""), text


def _ipaddress_code(text: str) -> str:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return "bad-ip"
    return ""


IP_CASES = (
    *("1.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5"),
    *("1.2.3.04", "::1", "1.2.3.4 ", "1.2.3.4\n", "١.2.3.4", "2001:db8::1", "1..2.3"),
)


@pytest.mark.parametrize("text", IP_CASES)
def test_ip_fast_path_agrees_with_ipaddress(text: str) -> None:
    assert coerce.check_ip(text)[1] == _ipaddress_code(text)


@given(
    st.lists(
        st.one_of(st.integers(0, 300).map(str), st.sampled_from(["00", "01", "", "a", "٣"])),
        min_size=3,
        max_size=5,
    )
)
def test_dotted_numbers_are_judged_as_ipaddress_judges_them(parts: list[str]) -> None:
    text = ".".join(parts)
    assert coerce.check_ip(text)[1] == _ipaddress_code(text)


@given(st.text(alphabet=st.characters(blacklist_characters="@"), max_size=40))
def test_text_without_an_at_sign_is_what_the_validator_refuses(text: str) -> None:
    assert coerce.check_email(text)[1] == "bad-email"
    with pytest.raises(EmailNotValidError):
        validate_email(text, check_deliverability=False)
