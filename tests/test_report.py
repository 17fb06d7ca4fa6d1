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
from workbooks import summary_facts, values

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
from justclick_import.report.words import STATUS_WORDS
from justclick_import.report.workbook import WORKBOOK_PROBLEMS_HEADERS, write_workbook
from justclick_import.sources import read_sheet

COMMENTS = ["=1+2", "+7 900", "-5", "@cmd", "\tx", '=HYPERLINK("http://x")']
INPUT_COLUMNS = ["bill_email", "bill_phone", "bill_postal_code", "good_name", "good_sum"]
STATUS_FILLS = {  # by the word a person reads
    "created": "FFC6EFCE",
    "already exists": "FFC6EFCE",
    "failed": "FFFFC7CE",
    "invalid": "FFFFC7CE",
    "in doubt": "FFFFEB9C",
    "skipped": "FFD9D9D9",
    "not sent": "FFD9D9D9",
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
    assert tuple(values(workbook["Orders"])[0]) == ORDERS_HEADERS
    assert values(workbook["Rows"])[0] == [
        "source_row",
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
        None,  # success: no error code 0
        None,  # and no "Order created"
        "2, 3",
        None,  # no payment link asked for
        None,  # no legacy status
        None,  # no total in the file
        None,  # so no difference
    ]
    assert sheet["D2"].number_format == '#,##0.00 "₽"'
    assert sheet["F2"].data_type == "n" and sheet["F2"].number_format == "0"  # never 1.23E+08
    assert rows[1][3:8] == [-5, "failed", None, 605, "=no delivery address"]
    assert sheet["D3"].data_type == "n"  # a real negative number stays a number
    assert rows[3][3] is None  # no price given: blank, not 0
    assert [row[4] for row in rows] == ["created", "failed", "in doubt", "not sent", "invalid"]
    assert rows[0][8] == "2, 3" and rows[2][8] == "7"  # text, not the number 7
    assert sheet["I4"].data_type == "s"


def test_rows_keep_input_text_and_match_row_outcomes(workbook: Any, result: RunResult) -> None:
    sheet = workbook["Rows"]
    rows = values(sheet)[1:]
    assert len(rows) == len(result.rows)
    for number, row in enumerate(rows, start=2):
        assert row[2] == "0123456789" and sheet.cell(number, 3).data_type == "s"
        assert row[3] == "012345"  # the leading zero is kept
        assert isinstance(row[5], str)  # prices that were text stay text as read
    assert [row[0] for row in rows] == result.row_numbers
    assert [row[6] for row in rows[:6]] == COMMENTS
    outcomes = result.row_outcomes(success_text=False)
    words = STATUS_WORDS["en"]
    assert [tuple(row[7:]) for row in rows] == [
        (words[OrderStatus(o.import_status)], o.bill_id, o.import_message or None) for o in outcomes
    ]
    assert rows[0][7:] == ["created", 123456789, None]
    assert rows[3][7] == "invalid"  # row 5 belongs to no order


def test_no_cell_is_a_formula(result: RunResult, tmp_path: Path) -> None:
    path = write_workbook(result, tmp_path / "results.xlsx")
    for data_only in (False, True):
        book = load_workbook(path, data_only=data_only)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        comments = [row[6] for row in values(book["Rows"])[1:7]]
        assert comments == COMMENTS


def test_formula_like_headers_and_login_stay_text(result: RunResult, tmp_path: Path) -> None:
    result.rows = result.rows.rename(columns={"bill_comment": "=SUM(A1)"})
    result.login = "=cmd|' /C calc'!A0"
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    assert values(book["Rows"])[0][6] == "=SUM(A1)"
    assert book["Rows"]["G1"].data_type == "s"
    assert summary_facts(book)["login"] == "=cmd|' /C calc'!A0"


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
    assert list(again.columns[1:7]) == list(expected.columns)
    for column in expected.columns:
        assert again[column].tolist() == expected[column].tolist(), column
    assert sheet.row_numbers == [2, 3, 4, 5, 6, 7, 8]
    assert again["source_row"].tolist() == [str(n) for n in result.row_numbers]


def test_statuses_are_coloured_by_outcome(workbook: Any) -> None:
    orders, rows = status_rules(workbook["Orders"]), status_rules(workbook["Rows"])
    assert {status: fill for status, (_, fill) in orders.items()} == STATUS_FILLS
    assert {status: fill for status, (_, fill) in rows.items()} == STATUS_FILLS
    assert {cells for cells, _ in orders.values()} == {"E2:E6"}
    assert {cells for cells, _ in rows.values()} == {"H2:H8"}


def test_sheets_have_bold_frozen_filtered_headers_and_fitting_widths(workbook: Any) -> None:
    for sheet in workbook.worksheets[1:]:
        assert sheet.freeze_panes == ("B2" if sheet.title == "Rows" else "A2")
        assert all(cell.font.bold for cell in sheet[1])
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            assert len(cell.value) < width <= 62, (sheet.title, cell.value, width)
        last = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    rows = workbook["Rows"].column_dimensions
    assert rows["B"].width >= len("a@example.com")
    assert rows["J"].width == pytest.approx(50, abs=1)  # messages wrap at 50
    assert workbook["Rows"]["J5"].alignment.wrap_text


ZERO = "a price of 0 does not make the item free: JustClick charges the shop's price"
NOT_A_PRICE = "not a price; write a number such as 1500 or 1500.50"
NO_EMAIL = "the customer's e-mail is empty; every order needs one"


def test_problems_are_sorted_and_link_to_their_cell_in_rows(workbook: Any) -> None:
    sheet = workbook["Problems"]
    assert values(sheet)[1:] == [
        [4, "bill_comment", "\tx", "zero-price", ZERO, "warning", "Rows!G4"],
        [4, "good_sum", "abc", "bad-price", NOT_A_PRICE, "error", "Rows!F4"],
        [5, "bill_email", None, "missing-email", NO_EMAIL, "error", "Rows!B5"],
    ]
    assert [sheet.cell(row, 7).hyperlink.location for row in (2, 3, 4)] == [
        "Rows!G4",
        "Rows!F4",
        "Rows!B5",
    ]
    assert workbook["Rows"]["F4"].value == "abc"


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
    assert links == ["Rows!B5", None]
    assert book["Problems"]["G2"].hyperlink.location == "Rows!B5"
    # The row a person reads in Rows is the file's own, beside the line it fell on.
    assert [row[0] for row in values(book["Rows"])[1:]] == [2, 3, 4, 6, 7, 8, 9]
    assert book["Rows"]["A5"].value == 6 and book["Rows"]["A5"].data_type == "n"


HEADLINE = (
    "1 of 5 orders created — 150,50\u00a0₽; 1 refused by JustClick, 1 needs fixing, 1 in doubt, "
    "1 not sent"
)


def test_summary_leads_with_the_headline_and_what_to_do(workbook: Any) -> None:
    sheet = workbook["Summary"]
    assert sheet["A1"].value == HEADLINE and sheet["A1"].font.bold
    assert sheet["A2"].value == "orders.csv → sandbox (shop-owner) · 01.05.2024 10:00"
    assert sheet["A4"].value == "What to do"
    steps = [(sheet.cell(row, 1).value, sheet.cell(row, 2)) for row in range(5, 10)]
    assert [text.split(".")[0] for text, _ in steps] == ["1", "2", "3", "4", "5"]
    assert steps[0][0].startswith("1. Rows marked “invalid”: 2. Fix them in Rows")
    assert "import this workbook again" in steps[0][0]
    assert steps[2][0].startswith("3. Orders in doubt: 1.") and "Reconcile" in steps[2][0]
    # Each step links to the first line it concerns: the first invalid row, the failed
    # order, the order in doubt, the order not sent, the warning.
    assert [link.hyperlink.location for _, link in steps] == [
        "Rows!A4",
        "Orders!A3",
        "Orders!A4",
        "Orders!A5",
        "Problems!A2",
    ]
    assert [link.value for _, link in steps] == [
        "→ Rows",
        "→ Orders",
        "→ Orders",
        "→ Orders",
        "→ Problems",
    ]


def test_summary_counts_only_the_statuses_that_occurred(workbook: Any) -> None:
    sheet = workbook["Summary"]
    first = next(row for row in range(1, 40) if sheet.cell(row, 1).value == "Orders")
    counts = {}
    for row in range(first + 1, first + 9):
        counts[sheet.cell(row, 1).value] = sheet.cell(row, 2).value
    assert counts == {
        "created": 1,
        "failed": 1,
        "invalid": 1,
        "in doubt": 1,
        "not sent": 1,
        "sum of the orders created": 150.5,
        "rows read": 7,
        "rows with problems": 2,
    }
    assert sheet.cell(first + 1, 1).fill.fgColor.rgb == STATUS_FILLS["created"]
    assert sheet.cell(first + 6, 2).number_format == '#,##0.00 "₽"'
    assert sheet.cell(first + 1, 2).data_type == "n"


def test_summary_technical_facts_come_last_under_their_heading(workbook: Any, source: Path) -> None:
    sheet = workbook["Summary"]
    column = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    heading = column.index("Technical details")
    assert column.index("What to do") < column.index("Orders") < heading
    facts = summary_facts(workbook)
    assert facts == {
        "problem bad-price": 1,
        "problem missing-email": 1,
        "problem zero-price": 1,
        "input file": "orders.csv",
        "input sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "login": "shop-owner",
        "target": "sandbox",
        "started": datetime(2024, 5, 1, 10, 0, 0),
        "finished": datetime(2024, 5, 1, 10, 0, 12, 500000),
        "duration seconds": 12.5,
        "interrupted": "no",
        "import name": "orders",
        "run id": "20240501-100000-abcdef",
    }
    keys = [sheet.cell(row, 12).value for row in range(heading + 2, sheet.max_row + 1)]
    assert keys[0] == "input file" and sheet.column_dimensions["L"].hidden
    started = sheet.cell(heading + 2 + keys.index("started"), 2)
    assert started.is_date and started.number_format == "yyyy-mm-dd hh:mm:ss"


def test_summary_lists_the_most_frequent_problem_codes_first(
    result: RunResult, tmp_path: Path
) -> None:
    others = [code for code in ProblemCode if code != ProblemCode.MISSING_EMAIL][:12]
    result.problems = [
        RowProblem(2 + i % 7, "good_sum", "x", others[i % 12]) for i in range(60)
    ] + [RowProblem(2, "bill_email", "", ProblemCode.MISSING_EMAIL)] * 9
    book = load_workbook(write_workbook(result, tmp_path / "r.xlsx"))
    codes = [(key, value) for key, value in summary_facts(book).items() if "problem " in key]
    assert codes[0] == ("problem missing-email", 9)
    assert len(codes) == 5  # the five most frequent
    assert [value for _, value in codes[1:]] == [5] * 4
    sheet = book["Summary"]
    row = next(r for r in range(1, 60) if sheet.cell(r, 12).value == "problem missing-email")
    assert sheet.cell(row, 1).value == ProblemCode.MISSING_EMAIL.summary
    assert sheet.cell(row, 3).hyperlink.location == "Problems!A2"  # its first case


def test_summary_charts_the_statuses_when_there_are_several(
    result: RunResult, tmp_path: Path
) -> None:
    path = write_workbook(result, tmp_path / "results.xlsx")
    sheet = load_workbook(path)["Summary"]
    first = next(row for row in range(1, 40) if sheet.cell(row, 1).value == "created")
    chart = sheet._charts[0]
    series = chart.series[0]
    assert series.cat.strRef.f == f"Summary!$A${first}:$A${first + 4}"
    assert series.val.numRef.f == f"Summary!$B${first}:$B${first + 4}"
    shown = [OrderStatus(s) for s in ("created", "failed", "invalid", "uncertain", "not_sent")]
    assert [sheet.cell(row, 1).value for row in range(first, first + 5)] == [
        STATUS_WORDS["en"][status] for status in shown
    ]
    fills = [point.graphicalProperties.solidFill.srgbClr for point in series.dPt]
    assert fills == [STATUS_FILLS[STATUS_WORDS["en"][status]][2:] for status in shown]


def test_summary_has_no_chart_when_every_order_ended_alike(
    result: RunResult, tmp_path: Path
) -> None:
    result.results = result.results[:1]
    sheet = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))["Summary"]
    assert sheet._charts == []
    assert sheet["A1"].value == "1 of 1 order created — 150,50\u00a0₽"


def test_summary_holds_nothing_secret_looking(workbook: Any) -> None:
    for row in values(workbook["Summary"]):
        for value in row:
            assert "secret" not in str(value).lower()
            assert not any(word in str(value).lower() for word in ("password", "token"))


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
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    items = summary_facts(book)
    assert items["input sha256"] is None
    assert items["sheet"] == "Orders"
    assert items["stopped because"] == "the API refused the login"
    assert items["interrupted"] == "yes"
    assert items["started"] == result.started.astimezone().replace(tzinfo=None)
    assert items["duration seconds"] == 60
    sheet = book["Summary"]
    assert sheet["A1"].value == f"Stopped. {HEADLINE}"
    assert sheet["A5"].value.startswith("1. The import stopped: the API refused the login.")


def test_empty_run_writes_headers_only(result: RunResult, tmp_path: Path) -> None:
    result.rows = result.rows.iloc[0:0]
    result.row_numbers = []
    result.results = []
    result.problems = []
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    assert [len(values(sheet)) for sheet in book.worksheets[1:]] == [1, 1, 1]
    assert book["Rows"].auto_filter.ref == "A1:J1"
    assert book["Summary"]["A1"].value == "No orders to send: 0 rows need fixing"
    assert book["Summary"]["A5"].value == "1. Nothing to do: every order is in the shop."


def test_a_results_workbook_imported_again_does_not_double_its_added_columns(
    result: RunResult, tmp_path: Path
) -> None:
    result.rows.insert(0, "source_row", [str(n) for n in range(10, 17)])
    result.rows["import_status"] = "failed"
    result.rows["bill_id"] = ""
    result.rows["import_message"] = "old message"
    result.rows["note"] = "kept"
    result.ignored_columns = ["source_row", "import_status", "bill_id", "import_message", "note"]
    book = load_workbook(write_workbook(result, tmp_path / "results.xlsx"))
    header = values(book["Rows"])[0]
    assert header == [
        "source_row",
        *INPUT_COLUMNS,
        "bill_comment",
        "note",
        "import_status",
        "bill_id",
        "import_message",
    ]
    assert values(book["Rows"])[1][:1] + values(book["Rows"])[1][7:10] == [
        2,
        "kept",
        "created",
        123456789,
    ]
    assert summary_facts(book)["ignored columns (never sent)"] == "note"


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
    assert [line[1] for sheet in rows for line in sheet[1:]] == emails
    assert [line[0] for sheet in rows for line in sheet[1:]] == result.row_numbers
    assert [len(values(book[t])) for t in ("Orders", "Orders 2")] == [4, 3]
    assert book["Rows 3"].auto_filter.ref == "A1:J2"
    assert status_rules(book["Rows 2"])["created"][0] == "H2:H4"
    assert summary_facts(book)["continued on"] == (
        "Orders 2, Rows 2, Rows 3 (Excel holds 1,048,576 rows a sheet)"
    )
    assert book["Problems"]["G2"].hyperlink.location == "'Rows 3'!E2"
    # The step for the order not sent links into the second Orders sheet.
    links = [book["Summary"].cell(row, 2).hyperlink for row in range(5, 10)]
    assert [link.location for link in links if link][3] == "'Orders 2'!A2"


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


def test_row_statuses_are_the_row_outcomes_statuses(result: RunResult) -> None:
    statuses = result.row_statuses()
    assert statuses == [outcome.import_status for outcome in result.row_outcomes()]
    assert len(set(statuses)) > 2  # the fixture's rows end in several statuses


def test_row_outcomes_by_slice_are_the_whole_list_cut(result: RunResult) -> None:
    result.problems = list(reversed(result.problems))  # in no particular order
    outcomes = result.row_outcomes()
    whole = list(outcomes)
    assert len(whole) == len(result.row_numbers)
    assert [outcomes[i] for i in range(len(whole))] == whole
    assert [o for start in range(0, len(whole), 3) for o in outcomes[start : start + 3]] == whole
    assert outcomes[-1] == whole[-1] and outcomes[::2] == whole[::2]
    with pytest.raises(IndexError):
        outcomes[len(whole)]
    messages = [o.import_message for o in whole if o.import_message]
    assert any("; " in message for message in messages)  # a row with two problems, joined
