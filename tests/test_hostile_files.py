"""Hostile files: each refused or reported per cell, nothing wrong sent, never a traceback.

Issue 13, items 15-21: zip bombs, huge cells and bodies, PHP's limits, far dates, stray bytes,
broken price cells, numbers that lost a zero, formulas in CSV reports, passwords in URLs.
"""

from __future__ import annotations

import csv
import datetime
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from justclick_import import ImportConfig, prepare
from justclick_import.cli.main import main
from justclick_import.errors import ErrorCode, InputError
from justclick_import.models import ExitStatus, OrderStatus
from justclick_import.report.csv_files import neutralise
from justclick_import.sandbox import Sandbox
from justclick_import.sources import read_sheet
from justclick_import.sources.package import RATIO_FROM
from tests.faulty import run, statuses


def codes(source: Path) -> list[tuple[int, str, str]]:
    plan = prepare(ImportConfig(input=source, timezone="UTC"))
    return [(p.row, p.column, str(p.code)) for p in plan.problems]


def cli_run(server: Sandbox, source: Path, *extra: str) -> str:
    args = ["run", str(source), "--api-url", server.url, "--login", server.login, "-q"]
    args += ["--rate", "0", *extra]
    result = CliRunner().invoke(main, args, env={"JUSTCLICK_SECRET": server.secret})
    assert "Traceback" not in result.output
    return result.output


# --- item 15: zip bombs, cell and body sizes, max_input_vars ---------------------------------


def test_a_zip_bomb_is_refused_before_it_is_read(server: Sandbox, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    Workbook().save(bomb)  # a real workbook, whose first sheet becomes a bomb
    with zipfile.ZipFile(tmp_path / "bomb.xlsx") as real:
        parts = {item.filename: real.read(item) for item in real.infolist()}
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as packed:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                packed.writestr(name, data)
        with packed.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            for _ in range(2 * RATIO_FROM // (1 << 20)):
                sheet.write(b"A" * (1 << 20))  # a cell of 128 MiB that packs to ~130 KB
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(InputError) as refused:
        read_sheet(bomb)
    assert refused.value.code is ErrorCode.FILE_TOO_BIG
    assert "inflates more than 100 times" in refused.value.message
    output = cli_run(server, bomb)
    assert "error: " in output and "zip bomb" in output
    assert server.orders() == []


def test_a_cell_longer_than_a_spreadsheet_holds_is_reported_before_sending(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "long.csv"
    comment = "длинный комментарий " * 2000  # 40,000 characters
    note = "x" * 40_000
    source.write_text(
        "bill_email,good_name,bill_comment,internal_ref\n"
        f"a@example.ru,kurs_python,{comment},\n"
        f"b@example.ru,kurs_python,,{note}\n",
        encoding="utf-8",
    )
    assert codes(source) == [(2, "bill_comment", "cell-too-long"), (3, "internal_ref", "cell-cut")]
    result = run(server, source)
    assert statuses(result) == {"a@example.ru": "invalid", "b@example.ru": "created"}
    assert [o.email for o in server.orders()] == ["b@example.ru"]


def test_an_order_whose_request_passes_php_post_max_size_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "heavy.csv"
    product = "😀" * 30_000  # 30,000 characters, 360 KB once urlencoded
    lines = ["order_id,bill_email,good_name"] + [f"H-1,a@example.ru,{product}"] * 25
    lines.append("H-2,b@example.ru,kurs_python")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = prepare(ImportConfig(input=source))
    heavy, light = plan.orders
    assert [p.code for p in heavy.problems] == ["request-too-large"]
    assert "MiB" in heavy.problems[0].detail
    assert light.is_valid


@pytest.mark.parametrize(("goods", "sent"), [(999, True), (1000, False)])
def test_php_keeps_1001_pairs_so_an_order_of_exactly_that_many_is_sent(
    server: Sandbox, tmp_path: Path, goods: int, sent: bool
) -> None:
    source = tmp_path / "big-order.csv"  # e-mail + goods + hash: 1,001 pairs for 999 goods
    lines = ["order_id,bill_email,good_name"] + ["B-1,a@example.ru,ebook_excel"] * goods
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(server, source)
    if sent:
        assert result.results[0].status is OrderStatus.CREATED
        assert len(server.orders()[0].items) == 999
    else:
        assert result.results[0].status is OrderStatus.INVALID
        assert "too-many-goods" in {p.code for p in result.results[0].order.problems}
        assert server.orders() == []


# --- item 16: 31.12.9999 ------------------------------------------------------------------


def test_a_far_date_is_a_problem_of_its_cell_in_csv_and_in_a_date_cell(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "far.csv"
    source.write_text(
        "bill_email,good_name,bill_created\n"
        "a@example.ru,kurs_python,31.12.9999\n"
        "b@example.ru,kurs_python,01.03.2026\n",
        encoding="utf-8",
    )
    assert codes(source) == [(2, "bill_created", "date-out-of-range")]
    book = Workbook()
    book.active.append(["bill_email", "good_name", "bill_created"])
    book.active.append(["a@example.ru", "kurs_python", datetime.datetime(9999, 12, 31)])
    book.active.append(["b@example.ru", "kurs_python", datetime.datetime(2026, 3, 1)])
    book.save(tmp_path / "far.xlsx")
    assert codes(tmp_path / "far.xlsx") == [(2, "bill_created", "date-out-of-range")]
    result = run(server, tmp_path / "far.xlsx")
    assert statuses(result) == {"a@example.ru": "invalid", "b@example.ru": "created"}


# --- item 17: UTF-8 with a stray byte -----------------------------------------------------


@pytest.mark.parametrize("where", ["head", "past the first 256 KB"])
def test_a_stray_byte_reports_its_row_and_the_file_stays_utf8(
    server: Sandbox, tmp_path: Path, where: str
) -> None:
    source = tmp_path / "stray.csv"
    rows = [f"buyer{i}@example.ru,Иван Петров,kurs_python" for i in range(3)]
    # One customer's 9,000 rows (one order, too many goods to send) push the rest past 256 KB.
    padding = ["pad@example.ru,Мария Иванова,ebook_excel"] * (9000 if where != "head" else 0)
    text = "bill_email,bill_first_name,good_name\n" + "\n".join(padding + rows) + "\n"
    data = text.encode("utf-8").replace("Иван Петров".encode(), "Иван \xffПетров".encode()
                                        .replace(b"\xc3\xbf", b"\xff"), 1)  # fmt: skip
    source.write_bytes(data)
    first = len(padding) + 2  # the sheet row of the first of ``rows``
    assert len(data) > 256 * 1024 or where == "head"
    found = [code for code in codes(source) if code[2] != "too-many-goods"]
    assert found == [(first, "bill_first_name", "bad-bytes")]
    output = cli_run(server, source)
    assert "read as UTF-8 (1 rows with bytes that are not UTF-8), comma-separated" in output
    names = {o.params["bill_first_name"] for o in server.orders()}
    assert names == {"Иван Петров"}  # the others, read as UTF-8: never garbled
    assert "buyer0@example.ru" not in {o.email for o in server.orders()}


def test_a_cp1251_file_is_still_read_as_cp1251(tmp_path: Path) -> None:
    source = tmp_path / "windows.csv"
    source.write_bytes("bill_email;good_name;bill_first_name\na@x.ru;p1;Иван\n".encode("cp1251"))
    sheet = read_sheet(source)
    assert sheet.encoding == "cp1251"
    assert sheet.frame["bill_first_name"].tolist() == ["Иван"]


# --- item 18: price cells that are not prices; numbers that lost a zero ---------------------


def test_broken_price_cells_are_problems_and_number_cells_are_numbers(
    server: Sandbox, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["bill_email", "good_name", "good_sum", "bill_phone", "bill_postal_code"])
    sheet.append(["a@example.ru", "kurs_python", 12.345, 79161234567, 12345])
    sheet.append(["b@example.ru", "kurs_python", "=NA()", None, None])  # never computed
    sheet.append(["c@example.ru", "kurs_python", 1e308, None, None])
    sheet.append(["d@example.ru", "kurs_python", "#N/A", None, None])
    sheet["C5"].data_type = "e"  # an error cell, as Excel saves #N/A
    sheet.append(["e@example.ru", "kurs_python", "12.345", "+7 916 000-00-00", "012345"])
    source = tmp_path / "prices.xlsx"
    book.save(source)
    assert codes(source) == [
        (2, "bill_phone", "typed-as-number"),
        (2, "bill_postal_code", "typed-as-number"),
        (3, "good_sum", "formula-without-value"),
        (4, "good_sum", "price-too-large"),
        (5, "good_sum", "error-cell"),
        (6, "good_sum", "ambiguous-price"),  # typed as text: 12345 or 12.345?
    ]
    result = run(server, source)
    assert statuses(result) == {
        "a@example.ru": "created",  # warnings only
        "b@example.ru": "invalid",
        "c@example.ru": "invalid",
        "d@example.ru": "invalid",
        "e@example.ru": "invalid",
    }
    (created,) = server.orders()
    assert created.items[0][1] == 12.345  # the number, never "the shop's price"
    assert created.params["bill_phone"] == "79161234567"


# --- item 19: --report-csv and formulas ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x.example","click")', '\'=HYPERLINK("http://x.example","click")'),
        ("@SUM(1)", "'@SUM(1)"),
        ("+7 900", "'+7 900"),
        ("-1", "'-1"),
        ("\tx", "'\tx"),
        ("'quoted", "''quoted"),
        ("plain", "plain"),
        (1500, 1500),
    ],
)
def test_formula_like_csv_fields_get_a_quote_that_one_can_take_off(
    value: object, written: object
) -> None:
    assert neutralise(value) == written
    if isinstance(written, str) and written != value:
        assert written[1:] == value  # the value back: one leading quote off


def test_report_csv_never_writes_a_formula(server: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "formulas.csv"
    source.write_text(
        "bill_email,good_name,bill_comment,internal_ref\n"
        'a@example.ru,kurs_python,@SUM(1),"=HYPERLINK(""x"")"\n',
        encoding="utf-8",
    )
    folder = tmp_path / "csv"
    cli_run(server, source, "--report-csv", str(folder))
    with open(folder / "formulas.results.rows.csv", encoding="utf-8", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert (row["bill_comment"], row["internal_ref"]) == ("'@SUM(1)", '\'=HYPERLINK("x")')
    assert server.orders()[0].params["bill_comment"] == "@SUM(1)"  # sent as written


# --- item 20: a password in --api-url -----------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--dry-run"]])
def test_a_password_in_the_api_url_is_refused_and_never_shown(
    tmp_path: Path, own_journal: Path, extra: list[str]
) -> None:
    source = tmp_path / "orders.csv"
    source.write_text("bill_email,good_name\na@example.ru,kurs_python\n", encoding="utf-8")
    url = "https://shopuser:hunter2@127.0.0.1:9/api/"
    args = ["run", str(source), "--api-url", url, "--login", "shop", *extra]
    result = CliRunner().invoke(main, args, env={"JUSTCLICK_SECRET": "s"})
    assert result.exit_code == ExitStatus.USAGE
    assert "https://***@127.0.0.1:9/api/ holds a user name or password" in result.output
    assert "hunter2" not in result.output and "shopuser" not in result.output
    assert not own_journal.exists()
    assert not source.with_name("orders.results.xlsx").exists()


def test_undo_refuses_a_password_in_the_api_url_too(own_journal: Path) -> None:
    from justclick_import.errors import ConfigError
    from justclick_import.pipeline.migration import plan_undo

    with pytest.raises(ConfigError) as refused:
        plan_undo("any", secret=None, api_url="https://u:p@shop.example/api/")
    assert refused.value.code is ErrorCode.CREDENTIALS_IN_URL
    assert "u:p" not in refused.value.message
