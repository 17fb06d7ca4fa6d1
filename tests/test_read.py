"""Reading CSV and XLSX files into text tables with the spreadsheet's row numbers."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from justclick_import.cli.hints import error_hint
from justclick_import.errors import ErrorCode, InputError
from justclick_import.rows.columns import header_recogniser
from justclick_import.sources import read_sheet
from justclick_import.sources.sheet import HEAD_BYTES

KNOWN = header_recogniser()


def records(path: Path, **options: str) -> list[dict[str, str]]:
    """The rows of ``path`` as dicts of text."""
    return read_sheet(path, is_header=KNOWN, **options).frame.to_dict("records")  # type: ignore[arg-type]


def test_csv_and_xlsx_samples_read_the_same(samples: Path) -> None:
    from_csv = read_sheet(samples / "orders.csv")
    from_xlsx = read_sheet(samples / "orders.xlsx")
    assert from_csv.headers == from_xlsx.headers
    assert from_csv.row_numbers == from_xlsx.row_numbers == list(range(2, 21))
    assert from_csv.frame.to_dict("records") == from_xlsx.frame.to_dict("records")


def test_text_keeps_leading_zeros_and_long_numbers(tmp_path: Path) -> None:
    path = tmp_path / "zeros.csv"
    path.write_text("bill_postal_code,order_id\n012345,12345678901234567890\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.frame.iloc[0].tolist() == ["012345", "12345678901234567890"]


def test_blank_rows_are_skipped_and_row_numbers_kept(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("bill_email;good_name\n\na@b.ru;x\n;\nc@d.ru;y\n", encoding="utf-8-sig")
    sheet = read_sheet(path)
    assert sheet.frame["bill_email"].tolist() == ["a@b.ru", "c@d.ru"]
    assert sheet.row_numbers == [3, 5]


# --- encodings and delimiters ---------------------------------------------------------------

ROWS = [["bill_email", "bill_city", "good_name"], ["анна@почта.рф", "Москва", "kurs_python"]]


@pytest.mark.parametrize(
    ("encoding", "prefix", "found"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1251", b"", "cp1251"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
    ],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_encoding_and_delimiter_are_guessed(
    tmp_path: Path, encoding: str, prefix: bytes, found: str, delimiter: str
) -> None:
    path = tmp_path / "export.csv"
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    path.write_bytes(prefix + text.encode(encoding))
    sheet = read_sheet(path)
    assert (sheet.encoding, sheet.delimiter) == (found, delimiter)
    assert sheet.frame.to_dict("records") == [dict(zip(ROWS[0], ROWS[1], strict=True))]


def test_cp1251_is_found_even_after_a_long_plain_start(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    filler = "".join(f"a{i}@example.ru;kurs_python\n" for i in range(HEAD_BYTES // 20))
    path.write_bytes(
        b"bill_email;good_name\n" + filler.encode() + "я@пример.рф;книга\n".encode("cp1251")
    )
    sheet = read_sheet(path)
    assert sheet.encoding == "cp1251"
    assert sheet.frame.iloc[-1].tolist() == ["я@пример.рф", "книга"]


def test_options_override_the_guesses(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes("bill_email:good_name\nа@б.рф:x\n".encode("koi8-r"))
    sheet = read_sheet(path, encoding="koi8_r", delimiter=":")
    assert sheet.frame.to_dict("records") == [{"bill_email": "а@б.рф", "good_name": "x"}]
    tabbed = tmp_path / "tabbed.csv"
    tabbed.write_text("a,b\tc\n1,2\t3\n", encoding="utf-8")
    assert read_sheet(tabbed, delimiter="tab").headers == ["a,b", "c"]


def test_the_wrong_encoding_given_says_which_to_try(tmp_path: Path) -> None:
    path = tmp_path / "win.csv"
    path.write_bytes("bill_email\nпочта\n".encode("cp1251"))
    with pytest.raises(InputError) as raised:
        read_sheet(path, encoding="utf-8")
    assert str(raised.value) == (
        f"cannot decode {path} as utf-8 at byte 11; read it as cp1251 (or as the file's real "
        "encoding)"
    )
    assert raised.value.code is ErrorCode.CANNOT_DECODE
    assert error_hint(raised.value.code, raised.value.facts) == "pass --encoding cp1251"
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_sheet(path, encoding="klingon")


def test_a_title_above_a_csv_header_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(
        "Заказы за ноябрь\n\nE-mail;Товар;Цена\na@b.ru;x;1\n\nc@d.ru;y;2\n", encoding="utf-8"
    )
    sheet = read_sheet(path, is_header=KNOWN)
    assert sheet.header_row == 3
    assert sheet.headers == ["E-mail", "Товар", "Цена"]
    assert sheet.row_numbers == [4, 6]


def test_a_cell_with_line_breaks_is_one_row(samples: Path) -> None:
    sheet = read_sheet(samples / "utf16-excel.txt")
    assert sheet.frame["Comment"].tolist() == ["Call first\r\nthen send", ""]
    assert sheet.row_numbers == [2, 3]


def test_a_row_with_too_many_cells_is_named(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("bill_email,good_name\na@b.ru,x\nc@d.ru,y,z\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_sheet(path)
    assert str(raised.value) == (
        f"{path}: a row has 3 cells but the header has 2 ('c@d.ru,y,z'); check its quotes "
        "and delimiters, or say which delimiter the file uses"
    )


# --- workbooks ------------------------------------------------------------------------------


def typed_workbook(path: Path) -> Path:
    """A workbook of numbers, dates, booleans and padded text."""
    workbook = Workbook()
    workbook.active.append(["good_sum", "bill_phone", "bill_created", "flag"])
    workbook.active.append([1500, 79031234567, dt.datetime(2026, 11, 29, 14, 30), True])
    workbook.active.append([1500.5, "007", dt.date(2026, 11, 30), None])
    workbook.active.append([0.1 + 0.2, " 8 903 ", None, False])
    workbook.active["C3"].number_format = "dd.mm.yyyy"
    workbook.save(path)
    return path


def test_xlsx_numbers_and_dates_become_text_as_a_person_sees_them(tmp_path: Path) -> None:
    assert records(typed_workbook(tmp_path / "typed.xlsx")) == [
        {
            "good_sum": "1500",
            "bill_phone": "79031234567",
            "bill_created": "2026-11-29 14:30:00",
            "flag": "TRUE",
        },
        {"good_sum": "1500.5", "bill_phone": "007", "bill_created": "2026-11-30", "flag": ""},
        {"good_sum": "0.3", "bill_phone": "8 903", "bill_created": "", "flag": "FALSE"},
    ]


def test_a_title_and_blank_rows_above_the_header(samples: Path) -> None:
    sheet = read_sheet(samples / "title-above-header.xlsx", is_header=KNOWN)
    assert (sheet.sheet_name, sheet.header_row) == ("Заказы", 4)
    assert sheet.row_numbers == [5, 6, 8]
    assert sheet.frame.to_dict("records") == [
        {
            "Дата заказа": "2026-11-29 14:30:00",
            "E-mail": "ivan@example.ru",
            "Имя": "Иван",
            "Телефон": "79123456789",
            "Индекс": "012345",
            "Товар": "kurs_python",
            "Цена": "14900",
        },
        {
            "Дата заказа": "2026-11-30",
            "E-mail": "maria@example.ru",
            "Имя": "Мария",
            "Телефон": "89031234567",
            "Индекс": "",
            "Товар": "ebook_excel",
            "Цена": "990,50",
        },
        {
            "Дата заказа": "2026-12-01",
            "E-mail": "oleg@example.org",
            "Имя": "Олег",
            "Телефон": "",
            "Индекс": "190000",
            "Товар": "club_month",
            "Цена": "1500.5",
        },
    ]


def test_the_first_sheet_with_data_is_read_and_a_sheet_can_be_named(samples: Path) -> None:
    assert read_sheet(samples / "russian-headers.xlsx").sheet_name == "Данные"
    assert read_sheet(samples / "russian-headers.xlsx", sheet=" данные ").sheet_name == "Данные"
    with pytest.raises(InputError) as raised:
        read_sheet(samples / "russian-headers.xlsx", sheet="Пусто")
    assert "sheet 'Пусто' is empty" in str(raised.value)


def test_a_workbook_without_data(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "blank.xlsx")
    with pytest.raises(InputError, match="no sheet has any data"):
        read_sheet(tmp_path / "blank.xlsx")


def test_headers_without_rows(tmp_path: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_text("bill_email,good_name", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_sheet(path)
    assert str(raised.value) == (
        f"{path}: there are headers in row 1 but no rows of orders below them"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "password-protected.xlsx",
            "the workbook is password-protected; open it, remove the password "
            "(File → Info → Protect Workbook) and save it again",
        ),
        (
            "truncated.xlsx",
            "not an XLSX workbook (damaged, cut short or renamed); open it in Excel and save it "
            "again as .xlsx",
        ),
        (
            "workbook-named-csv.csv",
            "is an Excel workbook (or another zip file) with a text name; rename it to .xlsx",
        ),
    ],
)
def test_unusable_sample_files(samples: Path, name: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        read_sheet(samples / name)
    assert str(raised.value) == f"{samples / name}: {message}"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("spaces.csv", b"  \r\n\n", "the file is empty"),
        ("empty.xlsx", b"", "the file is empty"),
        ("fake.xlsx", b"this is not a zip", "not an XLSX workbook"),
        ("orders.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
        ("scan.csv", b"%PDF-1.4\n", "is a PDF, not a table"),
        ("binary.csv", b"a,b\n\x00\x01\x02,\x00\n", "not a text file"),
        ("twice.csv", b"bill_email,bill_email\na@b.c,d@e.f\n", "'bill_email' appears twice"),
        ("unnamed.csv", b"bill_email,\na@b.c,x\n", "column 2 has values but no header"),
        ("nothing", b"", "no such file"),
    ],
)
def test_unreadable_files_get_a_message_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    if name != "nothing":
        path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_sheet(path)
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_a_missing_sheet_names_the_sheets_there(samples: Path) -> None:
    with pytest.raises(InputError, match="no sheet named 'Nope'; sheets are Orders"):
        read_sheet(samples / "orders.xlsx", sheet="Nope")


def test_a_hidden_sheet_is_passed_over_unless_named(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Old"
    workbook.active.append(["bill_email", "good_name"])
    workbook.active.append(["old@example.ru", "x"])
    workbook.active.sheet_state = "hidden"
    current = workbook.create_sheet("Current")
    current.append(["bill_email", "good_name"])
    current.append(["new@example.ru", "y"])
    workbook.save(tmp_path / "hidden.xlsx")
    assert read_sheet(tmp_path / "hidden.xlsx").sheet_name == "Current"
    assert read_sheet(tmp_path / "hidden.xlsx", sheet="Old").frame["bill_email"].tolist() == [
        "old@example.ru"
    ]


def test_times_fractions_of_seconds_and_blank_looking_rows(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["bill_email", "bill_created", "bill_timer_kill", "good_sum"])
    sheet.append(["a@b.ru", dt.datetime(2026, 11, 29, 14, 30, 5, 500000), dt.time(14, 30), -0.0])
    sheet.append(["   ", "\u00a0", None, " "])  # only spaces: a blank row
    sheet.append(["c@d.ru", dt.datetime(2026, 11, 30), True, 2500])
    workbook.save(tmp_path / "times.xlsx")
    sheet_read = read_sheet(tmp_path / "times.xlsx")
    assert sheet_read.row_numbers == [2, 4]
    assert sheet_read.frame.to_dict("records") == [
        {
            "bill_email": "a@b.ru",
            "bill_created": "2026-11-29 14:30:05",
            "bill_timer_kill": "14:30:00",
            "good_sum": "0",
        },
        {
            "bill_email": "c@d.ru",
            "bill_created": "2026-11-30",
            "bill_timer_kill": "TRUE",
            "good_sum": "2500",
        },
    ]


def test_a_table_away_from_a1_keeps_the_sheet_rows_and_columns(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"], sheet["D3"] = "bill_email", "good_name"
    sheet["C4"], sheet["D4"] = "a@b.ru", "x"
    sheet["C6"], sheet["D6"] = "c@d.ru", "y"
    workbook.save(tmp_path / "offset.xlsx")
    found = read_sheet(tmp_path / "offset.xlsx")
    assert (found.header_row, found.row_numbers, found.headers) == (
        3,
        [4, 6],
        ["bill_email", "good_name"],
    )
    sheet["E5"] = "stray"
    workbook.save(tmp_path / "offset.xlsx")
    with pytest.raises(InputError, match="column 5 has values but no header; give it a header"):
        read_sheet(tmp_path / "offset.xlsx")


def test_a_hidden_sheet_is_read_when_no_visible_sheet_has_data(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Hidden"
    workbook.active.append(["bill_email", "good_name"])
    workbook.active.append(["old@example.ru", "x"])
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("Empty")
    workbook.save(tmp_path / "hidden-only.xlsx")
    assert read_sheet(tmp_path / "hidden-only.xlsx").sheet_name == "Hidden"


def test_without_fastexcel_python_calamine_reads_the_same(
    tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [
        typed_workbook(tmp_path / "typed.xlsx"),
        samples / "title-above-header.xlsx",
        samples / "russian-headers.xlsx",
        samples / "orders.xlsx",
    ]
    fast = [read_sheet(path, is_header=KNOWN) for path in paths]
    monkeypatch.setitem(sys.modules, "fastexcel", None)  # importing it now fails
    for path, first in zip(paths, fast, strict=True):
        second = read_sheet(path, is_header=KNOWN)
        assert (second.sheet_name, second.header_row, second.row_numbers) == (
            first.sheet_name,
            first.header_row,
            first.row_numbers,
        )
        assert second.frame.to_dict("records") == first.frame.to_dict("records")


def _saved(tmp_path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Orders"
    for row in rows:
        sheet.append(row)
    path = tmp_path / "orders.xlsx"
    book.save(path)
    return path


def test_a_sheet_of_text_is_not_read_again_for_its_number_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from justclick_import.sources import workbook

    asked: list[object] = []
    monkeypatch.setattr(workbook, "number_rows", lambda *args: asked.append(args) or [])
    header = ["bill_email", "good_name", "good_sum", "bill_phone"]
    text = _saved(tmp_path, [header, ["a@example.com", "course", "1500", "+79001234567"]])
    assert read_sheet(text).frame["good_sum"].tolist() == ["1500"]
    assert asked == []  # every cell text: the package scan says so, no second pass


def test_number_cells_are_still_told_when_the_sheet_has_them(tmp_path: Path) -> None:
    header = ["bill_email", "good_name", "good_sum", "bill_phone"]
    path = _saved(tmp_path, [header, ["a@example.com", "course", 12.345, "+79001234567"]])
    read = read_sheet(path)
    assert read.number_rows is not None
    assert read.number_rows(["good_sum"]) == {"good_sum": frozenset({2})}


@pytest.mark.parametrize(
    ("cells", "maybe"),
    [
        (b'<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c>', False),
        (b'<c r="A1" s="1" t="str"><f>A2</f><v>x</v></c><c r="B1" t="b"><v>1</v></c>', False),
        (b'<c r="A1" t="s"><v>0</v></c><c r="B1"><v>12.5</v></c>', True),
        (b'<c r="A1" t="n"><v>1</v></c>', True),
        (b'<c r="A1" s="2"/>', True),  # a blank with a format: maybe, read again to know
    ],
)
def test_the_package_scan_counts_cells_that_may_be_numbers(cells: bytes, maybe: bool) -> None:
    from justclick_import.sources.package import _may_hold_numbers

    assert _may_hold_numbers(cells) is maybe
