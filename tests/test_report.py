"""The results workbook: sheets, headers, types, colours, formula safety, atomic writing."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from importer.models import Order, OrderLine, OrderResult, OrderStatus, RowProblem, RunResult
from importer.report import (
    ORDERS_HEADERS,
    PROBLEMS_HEADERS,
    check_writable,
    write_workbook,
)

COMMENTS = ["=1+2", "+7 900", "-5", "@cmd", "\tx", '=HYPERLINK("http://x")']
INPUT_COLUMNS = ["bill_email", "bill_phone", "bill_postal_code", "good_name", "good_sum"]


def make_order(
    key: str, email: str, rows: list[int], goods: list[tuple[str, float | None]]
) -> Order:
    """An order of ``goods`` from sheet ``rows``."""
    lines = [OrderLine(name, price, row) for (name, price), row in zip(goods, rows, strict=True)]
    return Order(key=key, customer={"bill_email": email}, lines=lines, rows=rows)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A stand-in input file, for its name and hash."""
    path = tmp_path / "orders.csv"
    path.write_bytes(b"bill_email;good_name\na@example.com;Course\n")
    return path


@pytest.fixture
def result(source: Path) -> RunResult:
    """A run with one order of each interesting status and a few problems."""
    rows = pd.DataFrame(
        {
            "bill_email": [
                "a@example.com",
                "a@example.com",
                "b@example.com",
                "",
                "d@example.com",
                "e@example.com",
                "f@example.com",
            ],
            "bill_phone": ["0123456789"] * 7,
            "bill_postal_code": ["012345"] * 7,
            "good_name": ["Course", "Book", "Webinar", "Course", "Book", "Course", "Book"],
            "good_sum": ["100", "50.5", "abc", "10", "20", "30", "40"],
            "bill_comment": [*COMMENTS, ""],
        },
        dtype=str,
    )
    results = [
        OrderResult(
            make_order(
                "a@example.com", "a@example.com", [2, 3], [("Course", 100.0), ("Book", 50.5)]
            ),
            OrderStatus.CREATED,
            bill_id=123456789,
        ),
        OrderResult(
            make_order("d@example.com", "d@example.com", [6], [("Book", 20.0)]),
            OrderStatus.FAILED,
            error_code=605,
            error_text="=no delivery address",
        ),
        OrderResult(
            make_order("e@example.com", "e@example.com", [7], [("Course", 30.0)]),
            OrderStatus.UNCERTAIN,
        ),
        OrderResult(
            make_order("f@example.com", "f@example.com", [8], [("Book", None)]),
            OrderStatus.NOT_SENT,
        ),
        OrderResult(
            make_order("b@example.com", "b@example.com", [4], [("Webinar", None)]),
            OrderStatus.INVALID,
        ),
    ]
    problems = [
        RowProblem(5, "bill_email", "", "missing-email", "the e-mail is empty"),
        RowProblem(4, "good_sum", "abc", "bad-price", "the price is not a number"),
        RowProblem(4, "bill_comment", "\tx", "odd-comment", "starts with a tab", "warning"),
    ]
    started = datetime(2024, 5, 1, 10, 0, 0)
    return RunResult(
        source=source,
        sheet_name=None,
        rows=rows,
        row_numbers=[2, 3, 4, 5, 6, 7, 8],
        problems=problems,
        results=results,
        login="shop-owner",
        target="sandbox",
        started=started,
        finished=started + timedelta(seconds=12.5),
    )


@pytest.fixture
def workbook(result: RunResult, tmp_path: Path) -> Any:
    """The written workbook, read back with formulas as formulas."""
    path = write_workbook(result, tmp_path / "results.xlsx")
    return load_workbook(path, data_only=False)


def values(sheet: Any) -> list[list[Any]]:
    """A sheet's cell values, row by row."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def summary(workbook: Any) -> dict[str, Any]:
    """The Summary sheet as a dict."""
    return {item: value for item, value in values(workbook["Summary"])[1:]}


def test_sheets_come_in_order_with_exact_headers(workbook: Any) -> None:
    assert workbook.sheetnames == ["Summary", "Orders", "Rows", "Problems"]
    assert values(workbook["Summary"])[0] == ["item", "value"]
    assert tuple(values(workbook["Orders"])[0]) == ORDERS_HEADERS
    assert values(workbook["Rows"])[0] == [
        *INPUT_COLUMNS,
        "bill_comment",
        "import_status",
        "bill_id",
        "import_message",
    ]
    assert tuple(values(workbook["Problems"])[0]) == PROBLEMS_HEADERS


def test_orders_keep_numbers_as_numbers(workbook: Any) -> None:
    rows = values(workbook["Orders"])[1:]
    assert rows[0] == [
        "a@example.com",
        "a@example.com",
        "Course, Book",
        150.5,
        "created",
        123456789,
        None,
        None,
        "2, 3",
        None,  # no payment link asked for
    ]
    assert type(rows[0][5]) is int
    assert rows[1][4:8] == ["failed", None, 605, "=no delivery address"]
    assert type(rows[1][6]) is int
    assert rows[1][3] == 20
    assert rows[3][3] is None  # no price given: blank, not 0
    assert [row[4] for row in rows] == ["created", "failed", "uncertain", "not_sent", "invalid"]
    assert rows[0][8] == "2, 3" and rows[2][8] == "7"  # text, not the number 7


def test_rows_keep_input_text_and_match_row_outcomes(workbook: Any, result: RunResult) -> None:
    rows = values(workbook["Rows"])[1:]
    assert len(rows) == len(result.rows)
    for row in rows:
        assert row[1] == "0123456789"
        assert row[2] == "012345"
        assert isinstance(row[4], str)  # prices stay text as read
    assert [row[5] for row in rows[:6]] == COMMENTS
    outcomes = result.row_outcomes()
    assert [tuple(row[6:]) for row in rows] == [
        (outcome.import_status, outcome.bill_id, outcome.import_message or None)
        for outcome in outcomes
    ]
    assert rows[0][6:8] == ["created", 123456789]
    assert rows[3][6] == "invalid"  # row 5 belongs to no order


def test_no_cell_is_a_formula(result: RunResult, tmp_path: Path) -> None:
    path = write_workbook(result, tmp_path / "results.xlsx")
    for data_only in (False, True):
        book = load_workbook(path, data_only=data_only)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        comments = [row[5] for row in values(book["Rows"])[1:7]]
        assert comments == COMMENTS


def test_formula_like_headers_and_login_stay_text(result: RunResult, tmp_path: Path) -> None:
    result.rows = result.rows.rename(columns={"bill_comment": "=SUM(A1)"})
    result.login = "=cmd|' /C calc'!A0"
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    assert values(book["Rows"])[0][5] == "=SUM(A1)"
    assert book["Rows"]["F1"].data_type == "s"
    assert summary(book)["login"] == "=cmd|' /C calc'!A0"


def test_status_cells_are_coloured_by_outcome(workbook: Any) -> None:
    colours = {
        row[4].value: row[4].fill.fgColor.rgb for row in workbook["Orders"].iter_rows(min_row=2)
    }
    assert colours["created"] == "FFC6EFCE"
    assert colours["failed"] == colours["invalid"] == "FFFFC7CE"
    assert colours["uncertain"] == "FFFFEB9C"
    assert colours["not_sent"] == "FFD9D9D9"
    assert workbook["Rows"]["G2"].fill.fgColor.rgb == "FFC6EFCE"


def test_sheets_have_bold_frozen_filtered_headers(workbook: Any) -> None:
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + str(
            sheet.max_row
        )
    widths = workbook["Summary"].column_dimensions
    assert 0 < widths["B"].width <= 60


def test_problems_are_sorted_by_row_then_column(workbook: Any) -> None:
    assert values(workbook["Problems"])[1:] == [
        [4, "bill_comment", "\tx", "odd-comment", "starts with a tab"],
        [4, "good_sum", "abc", "bad-price", "the price is not a number"],
        [5, "bill_email", None, "missing-email", "the e-mail is empty"],
    ]


def test_summary_counts_and_times(workbook: Any, source: Path) -> None:
    items = summary(workbook)
    assert items["input file"] == "orders.csv"
    assert items["input sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert items["login"] == "shop-owner"
    assert items["target"] == "sandbox"
    assert items["rows read"] == 7
    assert isinstance(items["started"], datetime)
    assert items["finished"] == datetime(2024, 5, 1, 10, 0, 12, 500000)
    assert items["duration seconds"] == 12.5
    assert {status: items[f"orders {status}"] for status in OrderStatus} == {
        "created": 1,
        "already_exists": 0,
        "failed": 1,
        "invalid": 1,
        "skipped": 0,
        "uncertain": 1,
        "not_sent": 1,
    }
    assert items["rows with problems"] == 2
    assert items["problems"] == 3
    assert items["created total"] == 150.5
    assert items["stopped because"] is None
    assert items["interrupted"] == "no"


def test_summary_holds_nothing_secret_looking(workbook: Any) -> None:
    for item, value in values(workbook["Summary"]):
        assert not any(word in str(item).lower() for word in ("secret", "key", "password", "token"))
        assert "secret" not in str(value).lower()


def test_summary_of_a_stopped_run_with_an_unreadable_source(
    result: RunResult, tmp_path: Path
) -> None:
    result.source = tmp_path / "gone.xlsx"
    result.sheet_name = "Orders"
    result.stop_message = "the API refused the login"
    result.interrupted = True
    tz = timezone(timedelta(hours=3))
    result.started = datetime(2024, 5, 1, 10, 0, tzinfo=tz)
    result.finished = datetime(2024, 5, 1, 10, 1, tzinfo=tz)
    items = summary(load_workbook(write_workbook(result, tmp_path / "results.xlsx")))
    assert items["input sha256"] is None
    assert items["sheet"] == "Orders"
    assert items["stopped because"] == "the API refused the login"
    assert items["interrupted"] == "yes"
    assert items["started"] == result.started.astimezone().replace(tzinfo=None)
    assert items["duration seconds"] == 60


def test_empty_run_writes_headers_only(result: RunResult, tmp_path: Path) -> None:
    result.rows = result.rows.iloc[0:0]
    result.row_numbers = []
    result.results = []
    result.problems = []
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    assert [len(values(sheet)) for sheet in book.worksheets[1:]] == [1, 1, 1]


def test_writing_replaces_an_existing_file_atomically(result: RunResult, tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"old contents")
    assert write_workbook(result, target) == target
    assert load_workbook(target).sheetnames[0] == "Summary"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["orders.csv", "results.xlsx"]


def test_failed_write_leaves_no_temporary_file(
    result: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"old contents")

    def refuse(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(result, target)
    assert target.read_bytes() == b"old contents"
    assert not (tmp_path / "results.xlsx.tmp").exists()


def test_writing_into_a_missing_folder_raises(result: RunResult, tmp_path: Path) -> None:
    with pytest.raises(OSError, match="does not exist"):
        write_workbook(result, tmp_path / "nowhere" / "results.xlsx")


def test_check_writable_accepts_a_new_and_an_existing_file(tmp_path: Path) -> None:
    assert check_writable(tmp_path / "results.xlsx") is None
    (tmp_path / "results.xlsx").write_bytes(b"old")
    assert check_writable(tmp_path / "results.xlsx") is None
    assert (tmp_path / "results.xlsx").read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["results.xlsx"]


def test_check_writable_reports_a_missing_folder(tmp_path: Path) -> None:
    problem = check_writable(tmp_path / "nowhere" / "results.xlsx")
    assert problem is not None and "does not exist" in problem


def test_check_writable_reports_a_folder_given_as_the_file(tmp_path: Path) -> None:
    problem = check_writable(tmp_path)
    assert problem is not None and "is a folder" in problem


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_check_writable_reports_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        problem = check_writable(folder / "results.xlsx")
    finally:
        folder.chmod(0o700)
    assert problem is not None and "cannot write to the folder" in problem


def test_check_writable_reports_a_file_held_open_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"old")
    real_open = open

    def locked_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        # What Windows answers while Excel has the workbook open.
        if Path(file) == target:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", locked_open)
    problem = check_writable(target)
    assert problem is not None and "close it" in problem
