"""Validation: every problem of every cell at once, and the values converted for sending."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from justclick_import.errors import ErrorCode, InputError
from justclick_import.language import LANGUAGES, Language, parse_language
from justclick_import.problem_texts import TEXTS
from justclick_import.problems import WARNINGS, ProblemCode, RowProblem
from justclick_import.rows.columns import map_columns
from justclick_import.rows.dates import date_rules
from justclick_import.rows.validate import ValidRows, validate_rows
from justclick_import.sources import Sheet, read_sheet

MOSCOW = date_rules("Europe/Moscow")


def validate(path: Path) -> ValidRows:
    """``path`` read, mapped and validated with dates in Moscow time."""
    sheet = read_sheet(path)
    return validate_rows(sheet, map_columns(sheet.headers), rules=MOSCOW)


def sheet_of(rows: dict[str, list[str]]) -> Sheet:
    """A sheet of text with rows numbered from 2."""
    frame = pd.DataFrame(rows, dtype=object)
    return Sheet(Path("t.csv"), None, frame, list(range(2, 2 + len(frame))))


def found(valid: ValidRows) -> list[tuple[int, str, str, str]]:
    """The problems as (row, column, value, code)."""
    return [(p.row, p.column, p.value, p.code) for p in valid.problems]


def test_one_bad_cell_does_not_hide_the_others_in_its_row() -> None:
    sheet = sheet_of(
        {
            "E-mail": ["bad mail", "ok@example.ru"],
            "Товар": ["a b", "x"],
            "Цена": ["1,500", "-1"],
            "bill_created": ["31.02.2026", "03/04/2026"],
            "bill_timer_kill": ["maybe", "да"],
            "IP": ["1.2.3", "::1"],
            "Сайт": ["no site", "https://shop.ru/"],
        }
    )
    valid = validate_rows(sheet, map_columns(sheet.headers), rules=MOSCOW)
    assert found(valid) == [
        (2, "E-mail", "bad mail", "bad-email"),
        (2, "IP", "1.2.3", "bad-ip"),
        (2, "bill_created", "31.02.2026", "bad-date"),
        (2, "bill_timer_kill", "maybe", "bad-timer-kill"),
        (2, "Сайт", "no site", "bad-domain"),
        (2, "Товар", "a b", "bad-product"),
        (2, "Цена", "1,500", "ambiguous-price"),
        (3, "bill_created", "03/04/2026", "ambiguous-date"),
        (3, "Сайт", "https://shop.ru/", "domain-scheme-removed"),
        (3, "Цена", "-1", "negative-price"),
    ]
    assert {p.code for p in valid.problems if not p.is_error} == {"domain-scheme-removed"}
    assert valid.rows_with_errors == {2, 3}


def test_every_code_has_words_for_a_shop_owner_and_no_flags() -> None:
    assert set(ProblemCode) >= WARNINGS
    for code in ProblemCode:
        assert code == code.lower() and " " not in code
        for words in (code.summary, code.template):
            plain = words.replace("utm_medium", "").replace("utm_source", "")
            assert words and "_" not in plain
            assert "--" not in words  # the CLI adds its flags as hints, the web page its own
        message = RowProblem(7, "Цена", "1,500", code, detail="row 7: 'x'").message
        assert "{" not in message and "}" not in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_speaks_every_language(language: Language) -> None:
    assert set(TEXTS[language]) == {code.value for code in ProblemCode}
    for code in ProblemCode:
        problem = RowProblem(4, "Цена", "1,500", code, detail="строка 4: 'x'")
        message = problem.message_in(language)
        assert message and "{" not in message and "--" not in message
        assert code.summary_in(language)
    russian = RowProblem(4, "E-mail", "ivan@", ProblemCode.BAD_EMAIL).message_in("ru")
    assert russian == "«ivan@» — не адрес электронной почты (ожидается имя@example.ru)"


@pytest.mark.parametrize(
    ("text", "language"),
    [("ru_RU.UTF-8", "ru"), ("ru-RU,ru;q=0.9,en;q=0.8", "ru"), ("en_GB", "en"), ("de", None)],
)
def test_a_language_is_read_from_a_locale_or_an_accept_language(
    text: str, language: str | None
) -> None:
    assert parse_language(text) == language


def test_values_are_trimmed_and_converted_for_sending() -> None:
    sheet = sheet_of(
        {
            "bill_email": ["  a@example.ru "],
            "good_name": [" kurs_python\u00a0"],
            "good_sum": ["1 500,50 руб."],
            "bill_created": ["29.11.2026 14:30"],
            "bill_timer_kill": ["Да"],
            "bill_domain": ["http://shop.example.ru/"],
            "utm_medium": ["Affiliate"],
            "utm_source": ["partner"],
        }
    )
    valid = validate_rows(sheet, map_columns(sheet.headers), rules=MOSCOW)
    moment = int(dt.datetime(2026, 11, 29, 14, 30, tzinfo=ZoneInfo("Europe/Moscow")).timestamp())
    assert valid.frame.iloc[0].to_dict() == {
        "bill_email": "a@example.ru",
        "good_name": "kurs_python",
        "good_sum": "1 500,50 руб.",
        "bill_created": str(moment),
        "bill_timer_kill": "1",
        "bill_domain": "shop.example.ru",
        "utm_medium": "affiliate",
        "utm_source": "partner",
    }
    assert valid.prices == [1500.5]


def test_a_missing_required_column_stops_the_file(tmp_path: Path) -> None:
    path = tmp_path / "no-product.csv"
    path.write_text("E-mail,Цена\na@example.ru,1\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        validate(path)
    assert str(raised.value) == (
        f"{path}: no column for good_name; the file needs a header named good_name (headers "
        "found: E-mail, Цена); rename it or map it in a mapping file"
    )
    assert raised.value.code is ErrorCode.MISSING_COLUMN


def test_with_order_numbers_the_email_may_be_on_another_row() -> None:
    sheet = sheet_of(
        {"order_id": ["A", "A", ""], "bill_email": ["a@b.ru", "", ""], "good_name": ["x"] * 3}
    )
    valid = validate_rows(sheet, map_columns(sheet.headers), rules=MOSCOW)
    assert found(valid) == [(4, "bill_email", "", "missing-email")]


def test_messy_prices(samples: Path) -> None:
    valid = validate(samples / "messy-prices.csv")
    assert valid.prices == [
        1500.0, 1500.5, 1500.5, 1500.5, 1500.5, 1500.0, 1500.0, None, None, 0.0, None, None,
    ]  # fmt: skip
    assert [(p.row, p.value, p.code, p.severity) for p in valid.problems] == [
        (9, "1,500", "ambiguous-price", "error"),
        (10, "-100", "negative-price", "error"),
        (11, "0", "zero-price", "warning"),
        (12, "около 1500", "bad-price", "error"),
    ]


def test_dates_and_flags(samples: Path) -> None:
    valid = validate(samples / "dates-and-flags.csv")

    def moscow(*parts: int) -> str:
        return str(int(dt.datetime(*parts, tzinfo=ZoneInfo("Europe/Moscow")).timestamp()))  # type: ignore[misc]

    assert valid.frame["bill_created"].tolist() == [
        moscow(2026, 11, 29),
        moscow(2026, 11, 29),
        moscow(2026, 11, 29, 14, 30),
        moscow(2026, 11, 29, 14, 30),
        "1795958400",
        moscow(2026, 11, 29),
        "03/04/2026",
        "31.02.2026",
        "",
    ]
    assert valid.frame["bill_timer_kill"].tolist() == [
        "1", "0", "1", "0", moscow(2099, 12, 31, 23, 59), "0", "", "maybe", moscow(2020, 1, 1),
    ]  # fmt: skip
    assert found(valid) == [
        (8, "bill_created", "03/04/2026", "ambiguous-date"),
        (9, "bill_created", "31.02.2026", "bad-date"),
        (9, "bill_timer_kill", "maybe", "bad-timer-kill"),
        (10, "bill_timer_kill", "01.01.2020", "timer-kill-past"),
    ]


def test_a_date_format_settles_ambiguous_dates(samples: Path) -> None:
    sheet = read_sheet(samples / "dates-and-flags.csv")
    valid = validate_rows(sheet, map_columns(sheet.headers), rules=date_rules("UTC", "MDY"))
    assert valid.frame["bill_created"].tolist()[6] == str(
        int(dt.datetime(2026, 3, 4, tzinfo=dt.UTC).timestamp())
    )
    assert "ambiguous-date" not in {p.code for p in valid.problems}


def _text_buffer(column: pd.Series) -> int:
    """Where the characters of an Arrow-backed text column are."""
    return int(column.array.__arrow_array__().chunk(0).buffers()[2].address)


def test_arrow_text_is_trimmed_and_an_untouched_column_is_shared_not_copied() -> None:
    frame = pd.DataFrame(
        {
            "E-mail": ["\u00a0a@example.ru ", "b@example.ru"],
            "Товар": ["kurs", "kurs"],
            "utm_medium": ["Affiliate", "cpc"],
            "utm_source": ["partner", "ads"],
        },
        dtype="str",
    )
    sheet = Sheet(Path("t.csv"), None, frame, [2, 3])
    valid = validate_rows(sheet, map_columns(sheet.headers), rules=MOSCOW)
    assert valid.frame["bill_email"].tolist() == ["a@example.ru", "b@example.ru"]
    assert valid.frame["utm_medium"].tolist() == ["affiliate", "cpc"]
    assert _text_buffer(valid.frame["good_name"]) == _text_buffer(frame["Товар"])
    assert _text_buffer(valid.frame["utm_source"]) == _text_buffer(frame["utm_source"])
    names = valid.texts("good_name")
    assert names == ["kurs", "kurs"] and names[0] is names[1]
