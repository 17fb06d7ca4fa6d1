"""The results workbook as a shop owner opens it: the samples' results read back with openpyxl.

What a person sees first (the headline, what to do, linked), in English or Russian; the input's
own row numbers; numbers as numbers and text as text; and a re-import that reads exactly what
the input held, sends nothing twice and sends the rows fixed in the workbook.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from workbooks import sheet_dicts, summary_column, summary_facts, values

from justclick_import import ImportConfig, Secret, run_import
from justclick_import.cli.main import main
from justclick_import.language import Language
from justclick_import.models import OrderStatus, RunResult
from justclick_import.report.words import STATUS_WORDS
from justclick_import.sandbox import Sandbox
from justclick_import.sources import read_sheet

NBSP = "\u00a0"
ADDED = ["source_row", "import_status", "bill_id", "import_message"]


def copy_sample(samples: Path, tmp_path: Path, name: str) -> Path:
    source = tmp_path / name
    shutil.copy(samples / name, source)
    return source


def run_on(server: Sandbox, source: Path, language: Language, **options: Any) -> RunResult:
    config = ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        language=language,
        **options,
    )
    return run_import(config)


def results_of(source: Path) -> Path:
    return source.with_name(f"{source.stem}.results.xlsx")


def input_text(path: Path, **options: Any) -> dict[str, list[str]]:
    """What a re-import reads: each column of the input (the results' own columns left out)."""
    frame = read_sheet(path, **options).frame
    return {str(name): frame[name].tolist() for name in frame.columns if name not in ADDED}


def ignored_errors(path: Path, sheet_index: int) -> list[str]:
    """The ranges a sheet tells Excel hold text that may look like numbers."""
    xml = zipfile.ZipFile(path).read(f"xl/worksheets/sheet{sheet_index}.xml").decode()
    found = re.findall(r'<ignoredError sqref="([^"]+)" numberStoredAsText="1"/>', xml)
    return [cells for ranges in found for cells in ranges.split()]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_orders_xlsx_reads_in_one_line_and_imports_again_unchanged(
    server: Sandbox, samples: Path, tmp_path: Path, language: Language
) -> None:
    source = copy_sample(samples, tmp_path, "orders.xlsx")
    run_on(server, source, language)
    path = results_of(source)
    book = load_workbook(path)
    summary = book["Summary"]
    assert (
        summary["A1"].value
        == {
            "en": f"12 of 12 orders created — 113{NBSP}180,00{NBSP}₽",
            "ru": f"Создано заказов: 12 из 12 — 113{NBSP}180,00{NBSP}₽",
        }[language]
    )
    assert (
        summary["A5"].value
        == {
            "en": "1. Nothing to do: every order is in the shop.",
            "ru": "1. Делать ничего не нужно: все заказы в магазине.",
        }[language]
    )
    assert summary._charts == []  # one status: nothing to compare
    assert book.sheetnames == ["Summary", "Orders", "Rows", "Problems"]

    # Rows: the file's own row numbers first, prices as numbers, text as text.
    rows = book["Rows"]
    header = [cell.value for cell in rows[1]]
    assert header[0] == "source_row" and header[-3:] == ADDED[1:]
    lines = sheet_dicts(book, "Rows")
    assert [line["source_row"] for line in lines] == list(range(2, 21))
    price = header.index("good_sum") + 1
    assert all(rows.cell(row, price).data_type == "n" for row in range(2, 21))
    assert rows.cell(2, price).value == 14900
    phone = header.index("bill_phone") + 1
    assert rows.cell(2, phone).value == "+7 (912) 345-67-89"
    postal = header.index("bill_postal_code") + 1
    assert rows.cell(4, postal).value == "012345"  # text stays text, its zero kept
    # Excel is told the text columns are text, the number columns are not in the list.
    text_ranges = ignored_errors(path, 3)
    assert "B2:B20" in text_ranges  # bill_email
    assert not any(r.startswith(f"{rows.cell(1, price).column_letter}2") for r in text_ranges)
    word = STATUS_WORDS[language][OrderStatus.CREATED]
    assert {line["import_status"] for line in lines} == {word}
    assert {line["import_message"] for line in lines} == {None}  # no "Order created" noise
    orders = values(book["Orders"])[1:]
    assert {(line[6], line[7]) for line in orders} == {(None, None)}  # no 0 / "Order created"

    # Imported again: the same columns and text as the input, every order skipped.
    assert input_text(path, sheet="Rows") == input_text(source)
    again = run_on(server, path, language, sheet="Rows")
    assert {r.status for r in again.results} == {OrderStatus.SKIPPED}
    assert len(server.orders()) == 12  # nothing sent twice
    assert again.import_name == "orders"  # read back from the Summary's key column


def test_bad_cells_csv_says_what_to_fix_and_the_fixed_workbook_sends_only_the_fixed_rows(
    server: Sandbox, samples: Path, tmp_path: Path
) -> None:
    source = copy_sample(samples, tmp_path, "bad-cells.csv")
    first = run_on(server, source, "ru")
    assert len(server.orders()) == 2
    path = results_of(source)
    book = load_workbook(path)
    summary = book["Summary"]
    assert summary["A1"].value == "Создано заказов: 2 из 6; нужно исправить: 4"
    assert summary["A4"].value == "Что сделать"
    assert summary["A5"].value.startswith("1. Строк с пометкой «нужно исправить»: 4.")
    assert "загрузите эту книгу снова" in summary["A5"].value
    assert summary["B5"].hyperlink.location == "Rows!A3"  # the first row to fix
    assert summary["A6"].value.startswith("2. Предупреждений: 1.")
    assert "Заказы" in summary_column(book) and "Технические сведения" in summary_column(book)

    # The blank line 7 of the file is not in Rows; each row still shows its own number.
    lines = sheet_dicts(book, "Rows")
    assert [line["source_row"] for line in lines] == [2, 3, 4, 5, 6, 8]
    assert [line["import_status"] for line in lines] == [
        "создан",
        "нужно исправить",
        "нужно исправить",
        "нужно исправить",
        "создан",
        "нужно исправить",
    ]
    assert lines[1]["import_message"] == (
        "bill_email: «not-an-email» — не адрес электронной почты (ожидается имя@example.ru)"
    )
    problems = sheet_dicts(book, "Problems")
    missing = next(p for p in problems if p["код"] == "missing-product")
    assert missing["строка"] == 8 and missing["ячейка"] == "Rows!C7"
    assert book["Rows"]["A7"].value == 8  # the link lands on the file's row 8
    assert {p["важность"] for p in problems} == {"ошибка", "предупреждение"}
    assert book["Rows"]["K3"].alignment.wrap_text  # the message wraps
    assert book["Rows"]["B2"].data_type == "s"  # e-mails are text, no green triangle
    assert "B2:B7" in ignored_errors(path, 3)

    # Fixed in the workbook and imported again: only the fixed rows go.
    rows = book["Rows"]
    header = {cell.value: cell.column for cell in rows[1]}
    fixes = {
        3: {"bill_email": "b@example.ru"},
        4: {"good_name": "kurs_python", "bill_ip": None, "bill_domain": None},
        5: {"utm_medium": None},
        7: {"good_name": "kurs_python"},
    }
    for row, cells in fixes.items():
        for name, value in cells.items():
            rows.cell(row, header[name]).value = value
    book.save(path)
    again = run_on(server, path, "ru", sheet="Rows")
    assert again.import_name == first.import_name == "bad-cells"
    assert [r.status for r in again.results] == [
        OrderStatus.SKIPPED,
        OrderStatus.CREATED,
        OrderStatus.CREATED,
        OrderStatus.CREATED,
        OrderStatus.SKIPPED,
        OrderStatus.CREATED,
    ]
    emails = sorted(order.email for order in server.orders())
    assert len(emails) == len(set(emails)) == 6  # none twice
    second = load_workbook(results_of(path))
    assert second["Summary"]["A1"].value == "Создано заказов: 4 из 6; созданы ранее: 2"
    assert [line["source_row"] for line in sheet_dicts(second, "Rows")] == [2, 3, 4, 5, 6, 7]


def test_orders_in_doubt_say_to_reconcile_with_the_command_to_do_it(
    server: Sandbox, samples: Path, tmp_path: Path
) -> None:
    source = copy_sample(samples, tmp_path, "orders.csv")
    server.drop_next(1)  # the first order's answer never comes: it may exist
    args = ["run", str(source), "--api-url", server.url, "--login", server.login, "-q"]
    outcome = CliRunner().invoke(
        main, [*args, "--concurrency", "1", "--lang", "ru"], env={"JUSTCLICK_SECRET": server.secret}
    )
    assert outcome.exit_code == 1, outcome.output
    headline = f"Создано заказов: 11 из 12 — 97{NBSP}290,00{NBSP}₽; под вопросом: 1"
    assert outcome.output.splitlines()[0] == headline
    # The exact command that settles it, in the run's language: the same run, once the shop
    # cannot still be creating it, with --resend-uncertain (it looks the order up first).
    again = f"`justclick-import run {source} --api-url {server.url} --login {server.login} "
    assert f"после указанного времени выполните {again}" in outcome.output
    assert "--lang ru --resend-uncertain`" in outcome.output

    book = load_workbook(results_of(source))
    summary = book["Summary"]
    assert summary["A1"].value == headline
    assert summary["A5"].value.startswith("1. Заказов под вопросом: 1.")
    assert summary["A6"].value.startswith("заказов: 1, отправлены без ответа, магазин может ещё")
    assert summary["B5"].hyperlink.location == "Orders!A2"
    assert book["Orders"]["E2"].value == "под вопросом"
    assert len(summary._charts) == 1  # two statuses: charted


def test_russian_results_keep_what_scripts_and_re_imports_read_in_english(
    samples: Path, tmp_path: Path
) -> None:
    source = copy_sample(samples, tmp_path, "bad-cells.csv")
    csv_folder = tmp_path / "csv"
    args = ["run", str(source), "--sandbox", "--json", "--lang", "ru", "-q"]
    outcome = CliRunner().invoke(main, [*args, "--report-csv", str(csv_folder)])
    facts = json.loads(outcome.stdout)
    assert {o["status"] for o in facts["orders"]} == {"created", "invalid"}
    assert facts["input"]["read_as"] == "UTF-8, comma-separated, headers in row 1"
    assert outcome.stderr.startswith("Создано заказов: 2 из 6")
    assert "прочитано как UTF-8, разделитель — запятая, заголовки в строке 1" in outcome.stderr
    orders_csv = (csv_folder / "bad-cells.results.orders.csv").read_text(encoding="utf-8")
    assert orders_csv.startswith("order_key,bill_email,goods,total,status,")
    assert ",invalid," in orders_csv and "нужно исправить" not in orders_csv
    book = load_workbook(results_of(source))
    assert book.sheetnames == ["Summary", "Orders", "Rows", "Problems"]
    english = ["source_row", "bill_email", "good_name", "bill_ip", "bill_domain", "utm_medium"]
    assert values(book["Rows"])[0][:6] == english
    assert values(book["Rows"])[0][-3:] == ADDED[1:]
    assert values(book["Orders"])[0] == [
        "заказ",
        "e-mail",
        "товары",
        "сумма",
        "статус",
        "номер счёта",
        "код ошибки",
        "сообщение",
        "строки файла",
        "ссылка на оплату",
        "статус из старого магазина",
        "сумма в файле",
        "разница",
    ]
    assert summary_facts(book)["import name"] == "bad-cells"


@pytest.mark.parametrize(
    ("language", "sample", "read_as"),
    [
        (
            "en",
            "export-cp1251-semicolon.csv",
            "read as Windows-1251, semicolon-separated, headers in row 1",
        ),
        (
            "ru",
            "export-cp1251-semicolon.csv",
            "прочитано как Windows-1251, разделитель — точка с запятой, заголовки в строке 1",
        ),
        ("en", "title-above-header.xlsx", "read as sheet 'Заказы', headers in row 4"),
        ("ru", "title-above-header.xlsx", "прочитано как лист «Заказы», заголовки в строке 4"),
        (
            "en",
            "stray-byte.csv",
            "read as UTF-8 (1 rows with bytes that are not UTF-8), comma-separated, "
            "headers in row 1",
        ),
        (
            "ru",
            "stray-byte.csv",
            "прочитано как UTF-8 (строк с байтами не в этой кодировке: 1), разделитель — "
            "запятая, заголовки в строке 1",
        ),
    ],
)
def test_how_the_file_was_read_is_told_in_the_runs_language(
    samples: Path, tmp_path: Path, language: Language, sample: str, read_as: str
) -> None:
    if sample == "stray-byte.csv":  # a UTF-8 file with one byte that is not
        source = tmp_path / sample
        rows = ["Иван Петров", "Мария \udcffИванова", "Пётр Сидоров"]
        text = "".join(f"b{i}@example.ru,{name},kurs_python\n" for i, name in enumerate(rows))
        source.write_bytes(
            ("bill_email,bill_first_name,good_name\n" + text).encode("utf-8", "surrogateescape")
        )
    else:
        source = copy_sample(samples, tmp_path, sample)
    outcome = CliRunner().invoke(main, ["run", str(source), "--sandbox", "-q", "--lang", language])
    assert read_as in outcome.output.splitlines()
    words = {"en": "read as", "ru": "прочитано как"}[language]
    summary = load_workbook(results_of(source))["Summary"]
    shown = [row[:2] for row in summary.iter_rows(values_only=True) if "read as" in row]
    assert shown == [(words, read_as.removeprefix(f"{words} "))]


def test_the_language_defaults_to_the_system_locale(
    samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_MESSAGES", "ru_RU.UTF-8")
    assert ImportConfig(input=Path("x.csv")).language == "ru"
    source = copy_sample(samples, tmp_path, "orders.csv")
    outcome = CliRunner().invoke(main, ["run", str(source), "--sandbox", "-q"])
    assert outcome.output.startswith("Создано заказов: 12 из 12")
    assert load_workbook(results_of(source))["Orders"]["E2"].value == "создан"
    outcome = CliRunner().invoke(main, ["run", str(source), "--sandbox", "-q", "--lang", "en"])
    assert outcome.output.startswith("12 of 12 orders created")


def test_numbers_in_a_workbook_come_back_as_numbers_and_read_back_as_the_same_text(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "typed.xlsx"
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.append(["bill_email", "good_name", "good_sum", "bill_postal_code", "bill_comment"])
    prices: list[Any] = [1500, 1500.5, 0.3, 123456789012345, 99.99, None]
    postal: list[Any] = ["012345", "007", "1", "2", "3", "4"]  # text that looks like numbers
    mixed: list[Any] = [12, "twelve", 0.5, "1.50", None, 7]  # a column mixing numbers and text
    for i, (price, code, comment) in enumerate(zip(prices, postal, mixed, strict=True)):
        sheet.append([f"buyer{i}@example.ru", "kurs_python", price, code, comment])
    sheet_book.save(source)

    run_on(server, source, "en")
    path = results_of(source)
    rows = load_workbook(path)["Rows"]
    header = [cell.value for cell in rows[1]]
    price = header.index("good_sum") + 1
    got = [rows.cell(row, price) for row in range(2, 8)]
    assert [cell.value for cell in got] == [1500, 1500.5, 0.3, 123456789012345, 99.99, None]
    assert {cell.data_type for cell in got[:5]} == {"n"}
    postal_cells = [rows.cell(row, header.index("bill_postal_code") + 1) for row in range(2, 8)]
    assert [cell.value for cell in postal_cells] == postal
    assert {cell.data_type for cell in postal_cells} == {"s"}
    comments = [rows.cell(row, header.index("bill_comment") + 1).value for row in range(2, 8)]
    assert comments == ["12", "twelve", "0.5", "1.50", None, "7"]  # mixed: all text, as read
    assert input_text(path, sheet="Rows") == input_text(source)


def test_every_summary_value_fits_in_a_cell(server: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "wide.csv"
    long_header = "x" * 40_000
    source.write_text(f"bill_email,good_name,{long_header}\na@example.ru,kurs_python,1\n", "utf-8")
    run_on(server, source, "en")
    book = load_workbook(results_of(source))
    ignored = summary_facts(book)["ignored columns (never sent)"]
    assert ignored == long_header[:32_767]
    for row in values(book["Summary"]):
        assert all(len(str(value)) <= 32_767 for value in row if value is not None)
