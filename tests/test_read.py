"""Reading CSV and XLSX files into text tables with the spreadsheet's row numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from importer.errors import InputError
from importer.read import read_sheet


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


def test_xlsx_numbers_and_dates_become_text_as_a_person_sees_them(tmp_path: Path) -> None:
    import datetime as dt

    workbook = Workbook()
    workbook.active.append(["good_sum", "bill_phone", "bill_created"])
    workbook.active.append([1500, 79031234567, dt.datetime(2026, 11, 29, 14, 30)])
    workbook.active.append([1500.5, "007", None])
    workbook.save(tmp_path / "typed.xlsx")
    sheet = read_sheet(tmp_path / "typed.xlsx")
    assert sheet.frame.to_dict("records") == [
        {"good_sum": "1500", "bill_phone": "79031234567", "bill_created": "2026-11-29 14:30:00"},
        {"good_sum": "1500.5", "bill_phone": "007", "bill_created": ""},
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("fake.xlsx", b"this is not a zip", "not an XLSX workbook"),
        ("orders.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
        ("cp1251.csv", "bill_email\nпочта\n".encode("cp1251"), "pass --encoding cp1251"),
        ("twice.csv", b"bill_email,bill_email\na@b.c,d@e.f\n", "'bill_email' appears twice"),
    ],
)
def test_unreadable_files_get_a_message_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_sheet(path)
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_a_missing_sheet_names_the_sheets_there(samples: Path) -> None:
    with pytest.raises(InputError, match="no sheet named 'Nope'; sheets are Orders"):
        read_sheet(samples / "orders.xlsx", sheet="Nope")
