"""The results workbook: sheets, headers, types, colours, links, formula safety, atomic writing."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from justclick_import.models import (
    Order,
    OrderLine,
    OrderResult,
    OrderStatus,
    RunResult,
)
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.report import sheets as report_sheets
from justclick_import.report.files import check_writable, keep_previous_results
from justclick_import.report.sheets import sheet_titles
from justclick_import.report.tables import ORDERS_HEADERS
from justclick_import.report.workbook import WORKBOOK_PROBLEMS_HEADERS, write_workbook
from justclick_import.sources import read_sheet

COMMENTS = ["=1+2", "+7 900", "-5", "@cmd", "\tx", '=HYPERLINK("http://x")']
INPUT_COLUMNS = ["bill_email", "bill_phone", "bill_postal_code", "good_name", "good_sum"]
STATUS_FILLS = {
    "created": "FFC6EFCE",
    "already_exists": "FFC6EFCE",
    "failed": "FFFFC7CE",
    "invalid": "FFFFC7CE",
    "uncertain": "FFFFEB9C",
    "skipped": "FFD9D9D9",
    "not_sent": "FFD9D9D9",
}


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
            "good_sum": ["100", "50.5", "abc", "10", "-5", "30", "40"],
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
            make_order("d@example.com", "d@example.com", [6], [("Book", -5.0)]),
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
        RowProblem(5, "bill_email", "", ProblemCode.MISSING_EMAIL),
        RowProblem(4, "good_sum", "abc", ProblemCode.BAD_PRICE),
        RowProblem(4, "bill_comment", "\tx", ProblemCode.ZERO_PRICE),  # a warning
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
        import_name="orders",
        run_id="20240501-100000-abcdef",
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


def status_rules(sheet: Any) -> dict[str, tuple[str, str]]:
    """The sheet's conditional fills: status -> (range, fill colour)."""
    rules = {}
    for cells, found in sheet.conditional_formatting._cf_rules.items():
        for rule in found:
            assert rule.type == "beginsWith"
            rules[rule.text] = (str(cells.sqref), rule.dxf.fill.bgColor.rgb)
    return rules


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
    assert tuple(values(workbook["Problems"])[0]) == WORKBOOK_PROBLEMS_HEADERS


def test_orders_keep_numbers_as_numbers(workbook: Any) -> None:
    sheet = workbook["Orders"]
    rows = values(sheet)[1:]
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
        None,  # no legacy status
        None,  # no total in the file
        None,  # so no difference
    ]
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["F2"].data_type == "n" and sheet["F2"].number_format == "0"  # never 1.23E+08
    assert rows[1][3:8] == [-5, "failed", None, 605, "=no delivery address"]
    assert sheet["D3"].data_type == "n"  # a real negative number stays a number
    assert rows[3][3] is None  # no price given: blank, not 0
    assert [row[4] for row in rows] == ["created", "failed", "uncertain", "not_sent", "invalid"]
    assert rows[0][8] == "2, 3" and rows[2][8] == "7"  # text, not the number 7
    assert sheet["I4"].data_type == "s"


def test_rows_keep_input_text_and_match_row_outcomes(workbook: Any, result: RunResult) -> None:
    sheet = workbook["Rows"]
    rows = values(sheet)[1:]
    assert len(rows) == len(result.rows)
    for number, row in enumerate(rows, start=2):
        assert row[1] == "0123456789" and sheet.cell(number, 2).data_type == "s"
        assert row[2] == "012345"  # the leading zero is kept
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


def test_the_rows_sheet_reads_back_as_the_input_it_came_from(
    result: RunResult, tmp_path: Path
) -> None:
    odd = ["\x01bell", "_x0041_ literal", "line\nbreak", "two  spaces", "x" * 40_000, "", ""]
    result.rows["bill_comment"] = odd
    path = write_workbook(result, tmp_path / "results.xlsx")
    sheet = read_sheet(path, sheet="Rows")
    again = sheet.frame
    expected = result.rows.copy()
    expected["bill_comment"] = [*odd[:4], "x" * 32_767, "", ""]  # Excel holds 32,767 characters
    assert list(again.columns[:6]) == list(expected.columns)
    for column in expected.columns:
        assert again[column].tolist() == expected[column].tolist(), column
    assert sheet.row_numbers == [2, 3, 4, 5, 6, 7, 8]


def test_statuses_are_coloured_by_outcome(workbook: Any) -> None:
    orders, rows = status_rules(workbook["Orders"]), status_rules(workbook["Rows"])
    assert {status: fill for status, (_, fill) in orders.items()} == STATUS_FILLS
    assert {status: fill for status, (_, fill) in rows.items()} == STATUS_FILLS
    assert {cells for cells, _ in orders.values()} == {"E2:E6"}
    assert {cells for cells, _ in rows.values()} == {"G2:G8"}


def test_sheets_have_bold_frozen_filtered_headers_and_fitting_widths(workbook: Any) -> None:
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            assert len(cell.value) < width <= 62, (sheet.title, cell.value, width)
        if sheet.title != "Summary":
            last = sheet.cell(1, sheet.max_column).column_letter
            assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    rows = workbook["Rows"].column_dimensions
    assert rows["A"].width >= len("a@example.com") and rows["I"].width == pytest.approx(62, 1)


ZERO = "a price of 0 does not make the item free: JustClick charges the shop's price"
NOT_A_PRICE = "not a price; write a number such as 1500 or 1500.50"
NO_EMAIL = "the customer's e-mail is empty; every order needs one"


def test_problems_are_sorted_and_link_to_their_cell_in_rows(workbook: Any) -> None:
    sheet = workbook["Problems"]
    assert values(sheet)[1:] == [
        [4, "bill_comment", "\tx", "zero-price", ZERO, "warning", "Rows!F4"],
        [4, "good_sum", "abc", "bad-price", NOT_A_PRICE, "error", "Rows!E4"],
        [5, "bill_email", None, "missing-email", NO_EMAIL, "error", "Rows!A5"],
    ]
    assert [sheet.cell(row, 7).hyperlink.location for row in (2, 3, 4)] == [
        "Rows!F4",
        "Rows!E4",
        "Rows!A5",
    ]
    assert workbook["Rows"]["E4"].value == "abc"


def test_links_follow_the_rows_sheet_when_blank_lines_were_left_out(
    result: RunResult, tmp_path: Path
) -> None:
    result.row_numbers = [2, 3, 4, 6, 7, 8, 9]  # a blank line 5 in the file
    result.problems = [
        RowProblem(6, "bill_email", "", ProblemCode.MISSING_EMAIL),
        RowProblem(99, "bill_email", "x", ProblemCode.BAD_EMAIL),  # not a row of the table
    ]
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    links = [row[6] for row in values(book["Problems"])[1:]]
    assert links == ["Rows!A5", None]
    assert book["Problems"]["G2"].hyperlink.location == "Rows!A5"


def test_summary_counts_times_and_problem_codes(workbook: Any, source: Path) -> None:
    items = summary(workbook)
    assert items["input file"] == "orders.csv"
    assert items["input sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert items["login"] == "shop-owner"
    assert items["target"] == "sandbox"
    assert items["rows read"] == 7
    assert items["started"] == datetime(2024, 5, 1, 10, 0, 0)
    assert items["finished"] == datetime(2024, 5, 1, 10, 0, 12, 500000)
    assert workbook["Summary"]["B8"].is_date
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
    assert items["orders"] == 5
    assert {status: items[f"rows {status}"] for status in OrderStatus} == {
        "created": 2,
        "already_exists": 0,
        "failed": 1,
        "invalid": 2,  # row 4's order, and row 5 that belongs to none
        "skipped": 0,
        "uncertain": 1,
        "not_sent": 1,
    }
    assert items["rows with problems"] == 2
    assert items["problems"] == 3
    assert items["problem bad-price"] == items["problem missing-email"] == 1
    assert items["created total"] == 150.5
    assert items["stopped because"] is None
    assert items["interrupted"] == "no"
    assert items["import name"] == "orders"
    assert items["run id"] == "20240501-100000-abcdef"
    assert "continued on" not in items


def test_summary_lists_the_most_frequent_problem_codes_first(
    result: RunResult, tmp_path: Path
) -> None:
    others = [code for code in ProblemCode if code != ProblemCode.MISSING_EMAIL][:12]
    result.problems = [
        RowProblem(2 + i % 7, "good_sum", "x", others[i % 12]) for i in range(60)
    ] + [RowProblem(2, "bill_email", "", ProblemCode.MISSING_EMAIL)] * 9
    items = values(load_workbook(write_workbook(result, tmp_path / "r.xlsx"))["Summary"])
    codes = [(item, value) for item, value in items if str(item).startswith("problem ")]
    assert codes[0] == ("problem missing-email", 9)
    assert len(codes) == 10  # the ten most frequent
    assert [value for _, value in codes[1:]] == [5] * 9


def test_summary_has_a_chart_of_orders_by_status(result: RunResult, tmp_path: Path) -> None:
    path = write_workbook(result, tmp_path / "results.xlsx")
    sheet = load_workbook(path)["Summary"]
    first = next(row for row in range(1, 40) if sheet.cell(row, 1).value == "orders created")
    chart = sheet._charts[0]
    series = chart.series[0]
    assert series.cat.strRef.f == f"Summary!$A${first}:$A${first + 6}"
    assert series.val.numRef.f == f"Summary!$B${first}:$B${first + 6}"
    assert [sheet.cell(row, 1).value for row in range(first, first + 7)] == [
        f"orders {status}" for status in OrderStatus
    ]
    fills = [point.graphicalProperties.solidFill.srgbClr for point in series.dPt]
    assert fills == [STATUS_FILLS[status][2:] for status in OrderStatus]


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
    assert book["Rows"].auto_filter.ref == "A1:I1"
    assert summary(book)["orders created"] == 0


def test_a_results_workbook_imported_again_does_not_double_its_status_columns(
    result: RunResult, tmp_path: Path
) -> None:
    result.rows["import_status"] = "failed"
    result.rows["bill_id"] = ""
    result.rows["import_message"] = "old message"
    result.rows["note"] = "kept"
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    header = values(book["Rows"])[0]
    assert header == [
        *INPUT_COLUMNS,
        "bill_comment",
        "note",
        "import_status",
        "bill_id",
        "import_message",
    ]
    assert values(book["Rows"])[1][6:9] == ["kept", "created", 123456789]


def test_a_table_longer_than_a_sheet_continues_on_the_next(
    result: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_sheets, "MAX_SHEET_ROWS", 4)  # a header and three lines a sheet
    result.problems = [RowProblem(8, "good_name", "Book", ProblemCode.BAD_PRODUCT)]
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    assert book.sheetnames == [
        "Summary",
        "Orders",
        "Orders 2",
        "Rows",
        "Rows 2",
        "Rows 3",
        "Problems",
    ]
    rows = [values(book[title]) for title in ("Rows", "Rows 2", "Rows 3")]
    assert all(sheet[0] == rows[0][0] for sheet in rows)  # each sheet has the header
    emails = [email or None for email in result.rows["bill_email"].tolist()]
    assert [line[0] for sheet in rows for line in sheet[1:]] == emails
    assert [len(values(book[t])) for t in ("Orders", "Orders 2")] == [4, 3]
    assert book["Rows 3"].auto_filter.ref == "A1:I2"
    assert status_rules(book["Rows 2"])["created"][0] == "G2:G4"
    assert summary(book)["continued on"] == (
        "Orders 2, Rows 2, Rows 3 (Excel holds 1,048,576 rows a sheet)"
    )
    assert book["Problems"]["G2"].hyperlink.location == "'Rows 3'!D2"


def test_sheet_titles_follow_excels_row_limit() -> None:
    assert sheet_titles("Rows", 0) == ["Rows"]
    assert sheet_titles("Rows", 1_048_575) == ["Rows"]
    assert sheet_titles("Rows", 1_048_576) == ["Rows", "Rows 2"]
    assert sheet_titles("Rows", 3_000_000) == ["Rows", "Rows 2", "Rows 3"]


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
    assert sorted(path.name for path in tmp_path.iterdir()) == ["orders.csv", "results.xlsx"]


def test_writing_into_a_missing_folder_raises(result: RunResult, tmp_path: Path) -> None:
    with pytest.raises(OSError, match="does not exist"):
        write_workbook(result, tmp_path / "nowhere" / "results.xlsx")


def test_previous_results_are_kept_under_the_time_they_were_written(tmp_path: Path) -> None:
    target = tmp_path / "orders.results.xlsx"
    assert keep_previous_results(target) is None
    target.write_bytes(b"first")
    written = time.mktime((2026, 11, 29, 14, 30, 0, 0, 0, -1))
    os.utime(target, (written, written))
    kept = keep_previous_results(target)
    assert kept == tmp_path / "orders.results.2026-11-29T143000.xlsx"
    assert kept.read_bytes() == b"first" and not target.exists()
    target.write_bytes(b"second")
    os.utime(target, (written, written))
    again = keep_previous_results(target)
    assert again == tmp_path / "orders.results.2026-11-29T143000-2.xlsx"
    assert again.read_bytes() == b"second"


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
