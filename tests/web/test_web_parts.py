"""The web page's parts without a browser: words, the corrected copy, the command."""

from __future__ import annotations

import html
import io
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from web_client import Client

from justclick_import.api.secret import Secret
from justclick_import.errors import ErrorCode
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.connection import check_connection
from justclick_import.pipeline.inspect import check_input, describe_input
from justclick_import.problems import ProblemCode
from justclick_import.rows.presets import preset_names
from justclick_import.sandbox import Sandbox
from justclick_import.web.corrections import write_corrected_copy
from justclick_import.web.server import WebServer, WebSettings
from justclick_import.web.texts import LANGUAGE_COOKIE, TEXTS
from justclick_import.web.uploads import safe_name

NBSP = "\u00a0"


def test_every_page_text_is_in_russian_and_english_with_the_same_placeholders() -> None:
    assert TEXTS["ru"].keys() == TEXTS["en"].keys()
    for key, english in TEXTS["en"].items():
        russian = TEXTS["ru"][key]
        assert set(re.findall(r"\{(\w+)\}", russian)) == set(re.findall(r"\{(\w+)\}", english)), key


def _recognised(page: str) -> dict[str, str]:
    """The Columns step's "Recognised" cell of each header, as the reader sees it."""
    rows = re.findall(
        r'<tr data-header="([^"]*)".*?<td class="how">(.*?)</td>', page, flags=re.DOTALL
    )
    return {html.unescape(header): html.unescape(how).strip() for header, how in rows}


@pytest.fixture
def person(tmp_path: Path) -> Iterator[Client]:
    """Someone with the page open (no browser): plain HTTP to the real server."""
    with WebServer(WebSettings(journal=tmp_path / "j.sqlite")) as server:
        client = Client(server)
        client.open()
        yield client


@pytest.mark.parametrize(
    ("language", "detected", "by_preset", "left_out"),
    [
        (
            "en",
            "Recognised format: Shopify export.",
            "by the Shopify export format",
            "left out by the Shopify export format",
        ),
        (
            "ru",
            "Узнан формат: выгрузка Shopify.",
            "по формату «выгрузка Shopify»",
            "исключено форматом «выгрузка Shopify»",
        ),
    ],
)
def test_the_columns_step_names_a_detected_preset_and_says_which_columns_it_decided(
    person: Client, samples: Path, language: str, detected: str, by_preset: str, left_out: str
) -> None:
    assert person.upload(samples / "shopify-orders-export.csv").status == 303
    page = person.text("/columns", language=language)
    assert detected in page
    recognised = _recognised(page)
    assert len(recognised) == 79  # every column of Shopify's export
    assert recognised["Lineitem quantity"] == by_preset
    assert recognised["Email"] == by_preset
    assert recognised["Billing Address1"] == left_out
    assert not [how for how in recognised.values() if how.startswith("how-")]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "bill_email": "by the field's name",
                "Товар": "by a common name",
                "Item #": "a line's position in its order, not a product id",
                "Colour": "not recognised",
            },
        ),
        (
            "ru",
            {
                "bill_email": "по названию поля",
                "Товар": "по привычному названию",
                "Item #": "номер строки в заказе, не id товара",
                "Colour": "не узнан",
            },
        ),
    ],
)
def test_the_columns_step_says_in_words_how_each_header_of_a_plain_file_was_recognised(
    person: Client, tmp_path: Path, language: str, expected: dict[str, str]
) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("bill_email,Товар,Item #,Colour\na@example.ru,1,1,red\n", encoding="utf-8")
    assert person.upload(orders).status == 303
    page = person.text("/columns", language=language)
    assert _recognised(page) == expected
    assert "Recognised format" not in page and "Узнан формат" not in page


def _send_from_the_page(person: Client, source: Path, browser: dict[str, str]) -> Any:
    """Upload ``source``, choose the demo shop, send every order: the workbook downloaded."""
    assert person.upload(source).status == 303
    assert person.submit("/shop/demo", {}, headers=browser).status == 303
    sent = person.submit("/send", {"seen": "0", "mode": "all"}, headers=browser)
    assert sent.status == 303
    run = person.server.workspace.run
    assert run is not None and run.wait(60)
    saved = person.download("/results/workbook", headers=browser)
    return openpyxl.load_workbook(io.BytesIO(saved), read_only=True)


@pytest.mark.parametrize(
    ("browser", "switched", "locale", "language"),
    [
        ({}, None, "en_US.UTF-8", "ru"),  # the browser says nothing: Russian, as the page
        ({"Accept-Language": "en-US,en;q=0.9"}, None, "ru_RU.UTF-8", "en"),
        ({"Accept-Language": "en-US,en;q=0.9"}, "ru", "en_US.UTF-8", "ru"),  # the switch wins
    ],
)
def test_a_run_from_the_page_writes_the_results_workbook_in_the_pages_language(
    person: Client,
    samples: Path,
    monkeypatch: pytest.MonkeyPatch,
    browser: dict[str, str],
    switched: str | None,
    locale: str,
    language: str,
) -> None:
    monkeypatch.setenv("LC_MESSAGES", locale)  # the server's locale says the other language
    if switched is not None:  # the page's switch, as its link sets it
        answer = person.request("GET", f"/language/{switched}?next=/upload", headers=browser)
        cookie = answer.getheader("set-cookie") or ""
        assert cookie.startswith(f"{LANGUAGE_COOKIE}={switched};")
        person.cookie += "; " + cookie.split(";", 1)[0]
    page = person.text("/upload", language=browser.get("Accept-Language", ""))
    assert f'<html lang="{language}">' in page
    book = _send_from_the_page(person, samples / "orders.csv", browser)
    headline, status, created = {
        "ru": (f"Создано заказов: 12 из 12 — 113{NBSP}180,00{NBSP}₽", "статус", "создан"),
        "en": (f"12 of 12 orders created — 113{NBSP}180,00{NBSP}₽", "status", "created"),
    }[language]
    assert next(book["Summary"].iter_rows(values_only=True))[0] == headline
    orders = list(book["Orders"].iter_rows(values_only=True))
    column = orders[0].index(status)
    assert [line[column] for line in orders[1:]] == [created] * 12


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_has_a_name_for_the_page_in_both_languages(name: str) -> None:
    assert TEXTS["en"][f"preset-{name}"].endswith(" export")
    assert TEXTS["ru"][f"preset-{name}"].startswith("выгрузка ")


def test_the_corrected_copy_keeps_every_row_number_and_reads_as_the_original(
    samples: Path, tmp_path: Path
) -> None:
    original = ImportConfig(input=samples / "title-above-header.xlsx")
    sheet = describe_input(original).sheet
    before = check_input(original).plan
    assert sheet.header_row == 4
    row = sheet.row_numbers[0]
    copy = write_corrected_copy(sheet, {(row, "Имя"): '=HYPERLINK("x")'}, tmp_path / "copy.xlsx")
    after = check_input(ImportConfig(input=copy)).plan
    assert after.sheet.row_numbers == sheet.row_numbers
    assert after.sheet.header_row == 4
    # The copy is all text: only the warning about number cells in the original goes away.
    kept = [(p.row, p.code) for p in before.problems if p.code != ProblemCode.TYPED_AS_NUMBER]
    assert [(p.row, p.code) for p in after.problems] == kept
    changed = after.sheet.frame["Имя"].tolist()
    assert changed[0] == '=HYPERLINK("x")'
    assert after.sheet.frame.drop(columns="Имя").equals(before.sheet.frame.drop(columns="Имя"))
    cell = openpyxl.load_workbook(copy).active.cell(row, 1 + sheet.headers.index("Имя"))
    assert cell.data_type == "s"  # text, never a formula


def test_an_uploaded_name_loses_its_folders_and_unsafe_characters() -> None:
    assert safe_name("../../etc/passwd.csv") == "passwd.csv"
    assert safe_name("C:\\Users\\anna\\заказы: май?.xlsx") == "заказы_ май_.xlsx"
    assert safe_name("..") == "upload.csv"
    assert len(safe_name("a" * 300 + ".xlsx")) <= 120


def test_check_connection_tells_a_wrong_secret_from_a_working_one() -> None:
    with Sandbox() as shop:
        base = ImportConfig(input=Path("x"), login=shop.login, api_url=shop.url)
        good = check_connection(base.__class__(**{**base.__dict__, "secret": Secret(shop.secret)}))
        wrong = check_connection(base.__class__(**{**base.__dict__, "secret": Secret("nope")}))
        none = check_connection(base)
        assert shop.orders() == []  # nothing created by asking
    assert good.ok and good.code is None
    assert not wrong.ok and wrong.code == ErrorCode.BAD_SIGNATURE
    assert not none.ok and none.code == ErrorCode.NO_SECRET


def test_the_web_command_prints_its_link_first_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    environment = {**os.environ, "JUSTCLICK_JOURNAL": str(tmp_path / "j.sqlite")}
    process = subprocess.Popen(
        [sys.executable, "-m", "justclick_import", "web", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{40,}", first), first
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(first, timeout=10) as answer:  # the token opens the page
            assert answer.status == 200
            assert 'data-testid="upload"' in answer.read().decode()
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
