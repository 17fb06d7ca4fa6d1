"""The results of a real run on the sandbox: the workbook, fixed and imported again, JSON, CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from workbooks import sheet_dicts, summary_facts

from justclick_import import ImportConfig, Secret, run_import
from justclick_import.cli.main import main
from justclick_import.models import ExitStatus, OrderStatus, RunResult
from justclick_import.report.json_summary import run_summary
from justclick_import.report.words import STATUS_WORDS
from justclick_import.sandbox import Sandbox

MIXED = (
    "bill_email,bill_first_name,bill_phone,bill_postal_code,good_name,good_sum,bill_comment\n"
    "anna@example.ru,Анна,+7 900 000-00-01,012345,kurs_python,14900,=1+2\n"
    "anna@example.ru,,,,ebook_excel,990,\n"
    "boris@example.ru,Борис,89031234567,,no_such_product,100,-5\n"
    "not-an-email,Вера,,,kurs_python,,\n"
    "gleb@example.ru,Глеб,00123,,club_month,1490,@cmd\n"
)


@pytest.fixture
def mixed_csv(tmp_path: Path) -> Path:
    """Orders that end created, failed (unknown product) and invalid (bad e-mail)."""
    source = tmp_path / "mixed.csv"
    source.write_text(MIXED, encoding="utf-8")
    return source


def run_on(server: Sandbox, source: Path, **options: Any) -> RunResult:
    config = ImportConfig(
        input=source, login=server.login, secret=Secret(server.secret), api_url=server.url
    )
    for name, value in options.items():
        setattr(config, name, value)
    return run_import(config)


CODE_OF = {word: status.value for status, word in STATUS_WORDS["en"].items()}


def test_the_workbook_of_a_sandbox_run_says_what_the_sandbox_did(
    server: Sandbox, mixed_csv: Path
) -> None:
    result = run_on(server, mixed_csv)
    book = load_workbook(mixed_csv.with_name("mixed.results.xlsx"))
    assert book.sheetnames == ["Summary", "Orders", "Rows", "Problems"]

    created = {order.email: order.bill_id for order in server.orders()}
    orders = {line["order_key"]: line for line in sheet_dicts(book, "Orders")}
    assert {key: line["status"] for key, line in orders.items()} == {
        "anna@example.ru": "created",
        "boris@example.ru": "failed",
        "not-an-email": "invalid",
        "gleb@example.ru": "created",
    }
    for email, bill_id in created.items():
        assert orders[email]["bill_id"] == bill_id
    assert orders["anna@example.ru"]["total"] == 15890
    assert orders["boris@example.ru"]["error_code"] == 604
    assert orders["boris@example.ru"]["bill_id"] is None

    rows = sheet_dicts(book, "Rows")
    assert [line["import_status"] for line in rows] == [
        "created",
        "created",
        "failed",
        "invalid",
        "created",
    ]
    assert [line["bill_id"] for line in rows[:2]] == [created["anna@example.ru"]] * 2
    assert [line["bill_phone"] for line in rows] == [
        "+7 900 000-00-01",
        None,
        "89031234567",
        None,
        "00123",
    ]
    assert rows[0]["bill_postal_code"] == "012345"
    assert [line["bill_comment"] for line in rows] == ["=1+2", None, "-5", None, "@cmd"]
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if sheet.title == "Rows" and 2 <= cell.column <= 8 and cell.value is not None:
                    assert cell.data_type == "s", (cell.coordinate, cell.value)
    assert [line["source_row"] for line in rows] == [2, 3, 4, 5, 6]

    assert book["Summary"]["A1"].value == (
        "2 of 4 orders created — 17\u00a0380,00\u00a0₽; 1 refused by JustClick, 1 needs fixing"
    )
    items = summary_facts(book)
    assert items["problem bad-email"] == 1
    assert isinstance(items["started"], type(result.started))
    assert items["login"] == server.login and server.secret not in str(list(items.values()))
    problems = sheet_dicts(book, "Problems")
    assert [(p["row"], p["code"], p["cell"]) for p in problems] == [(5, "bad-email", "Rows!B5")]


def test_a_failed_row_fixed_in_the_workbook_is_the_only_order_sent_again(
    server: Sandbox, mixed_csv: Path
) -> None:
    run_on(server, mixed_csv)
    assert len(server.orders()) == 2
    saved = mixed_csv.with_name("mixed.results.xlsx")
    book = load_workbook(saved)
    sheet = book["Rows"]
    header = [cell.value for cell in sheet[1]]
    good = header.index("good_name") + 1
    rows = range(2, sheet.max_row + 1)
    fixed = next(row for row in rows if sheet.cell(row, good).value == "no_such_product")
    sheet.cell(fixed, good).value = "kurs_marketing"
    book.save(saved)

    again = run_on(server, saved, sheet="Rows")

    assert again.import_name == "mixed"  # the same import, read from the workbook's Summary
    assert {r.order.key: r.status for r in again.results} == {
        "anna@example.ru": OrderStatus.SKIPPED,
        "boris@example.ru": OrderStatus.CREATED,
        "not-an-email": OrderStatus.INVALID,
        "gleb@example.ru": OrderStatus.SKIPPED,
    }
    assert [order.email for order in server.orders()] == [
        "anna@example.ru",
        "gleb@example.ru",
        "boris@example.ru",
    ]
    assert server.orders()[-1].items[0][0] == "kurs_marketing"
    second = load_workbook(saved.with_name("mixed.results.results.xlsx"))
    header = [cell.value for cell in second["Rows"][1]]
    assert header == [
        "source_row",
        "bill_email",
        "bill_first_name",
        "bill_phone",
        "bill_postal_code",
        "good_name",
        "good_sum",
        "bill_comment",
        "import_status",
        "bill_id",
        "import_message",
    ]
    rows = sheet_dicts(second, "Rows")
    assert [line["import_status"] for line in rows] == [
        "skipped",
        "skipped",
        "created",
        "invalid",
        "skipped",
    ]
    assert rows[2]["bill_id"] == server.orders()[-1].bill_id


def test_running_the_same_command_again_keeps_the_earlier_results(
    server: Sandbox, mixed_csv: Path
) -> None:
    run_on(server, mixed_csv)
    out = mixed_csv.with_name("mixed.results.xlsx")
    first = out.read_bytes()
    second = run_on(server, mixed_csv)
    assert second.previous_results is not None
    assert second.previous_results.name.startswith("mixed.results.20")
    assert second.previous_results.read_bytes() == first
    kept = summary_facts(load_workbook(out))["previous results kept as"]
    assert kept == second.previous_results.name
    assert sorted(p.name for p in mixed_csv.parent.glob("mixed.results*.xlsx")) == sorted(
        [out.name, second.previous_results.name]
    )


def test_a_stopped_run_still_writes_the_workbook_with_what_was_not_sent(
    server: Sandbox, mixed_csv: Path
) -> None:
    result = run_on(server, mixed_csv, secret=Secret("not-the-secret"))
    assert result.exit_status() is ExitStatus.STOPPED
    book = load_workbook(mixed_csv.with_name("mixed.results.xlsx"))
    statuses = [line["status"] for line in sheet_dicts(book, "Orders")]
    assert statuses.count("not sent") >= 2 and "created" not in statuses
    assert summary_facts(book)["stopped because"] == result.stop_message


def test_json_on_stdout_says_what_the_workbook_says(mixed_csv: Path) -> None:
    outcome = CliRunner().invoke(main, ["run", str(mixed_csv), "--sandbox", "--json"])
    assert outcome.exit_code == ExitStatus.SOME_FAILED, outcome.stderr
    facts = json.loads(outcome.stdout)  # stdout holds the JSON and nothing else
    assert "results: " in outcome.stderr  # the human summary went to stderr

    book = load_workbook(mixed_csv.with_name("mixed.results.xlsx"))
    items = summary_facts(book)
    orders = sheet_dicts(book, "Orders")
    rows = sheet_dicts(book, "Rows")
    statuses = [CODE_OF[o["status"]] for o in orders]
    row_statuses = [CODE_OF[line["import_status"]] for line in rows]
    assert facts["counts"]["orders"] == {s.value: statuses.count(s.value) for s in OrderStatus}
    assert facts["counts"]["rows"] == {s.value: row_statuses.count(s.value) for s in OrderStatus}
    assert facts["counts"]["problems_by_code"] == {"bad-email": items["problem bad-email"]}
    assert facts["created_total"] == sum(o["total"] for o in orders if o["status"] == "created")
    assert facts["input"]["sha256"] == items["input sha256"]
    assert facts["input"]["rows"] == len(rows)
    assert facts["import_name"] == items["import name"] and facts["run_id"] == items["run id"]
    assert facts["workbook"] == str(mixed_csv.with_name("mixed.results.xlsx"))
    assert facts["exit_status"] == ExitStatus.SOME_FAILED
    # The JSON keeps JustClick's own answer; the workbook leaves out the success noise.
    assert [
        (o["key"], o["status"], o["bill_id"], o["error_code"] or None, o["error"] or None)
        for o in facts["orders"]
        if o["status"] != "invalid"
    ] == [
        (o["order_key"], CODE_OF[o["status"]], o["bill_id"], o["error_code"], o["error_text"])
        if o["status"] != "created"
        else (o["order_key"], "created", o["bill_id"], None, "Order created")
        for o in orders
        if o["status"] != "invalid"
    ]
    problems = sheet_dicts(book, "Problems")
    assert [(p["row"], p["column"], p["code"]) for p in facts["problems"]] == [
        (p["row"], p["column"], p["code"]) for p in problems
    ]


def test_json_of_a_dry_run_lists_every_order_not_sent(mixed_csv: Path) -> None:
    outcome = CliRunner().invoke(main, ["run", str(mixed_csv), "--dry-run", "--json", "-q"])
    facts = json.loads(outcome.stdout)
    assert facts["target"] == "dry run"
    assert facts["counts"]["orders"]["not_sent"] == 3
    assert [o["bill_id"] for o in facts["orders"]] == [None] * 4
    assert facts["orders"][0]["goods"] == ["kurs_python", "ebook_excel"]
    assert facts["orders"][0]["rows"] == [2, 3]


def test_report_csv_writes_the_three_tables_as_utf8(mixed_csv: Path, tmp_path: Path) -> None:
    folder = tmp_path / "csv" / "out"  # made when missing
    args = ["run", str(mixed_csv), "--sandbox", "--report-csv", str(folder), "-q"]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == ExitStatus.SOME_FAILED, outcome.output
    assert sorted(path.name for path in folder.iterdir()) == [
        "mixed.results.orders.csv",
        "mixed.results.problems.csv",
        "mixed.results.rows.csv",
    ]
    book = load_workbook(mixed_csv.with_name("mixed.results.xlsx"))

    def read(name: str) -> list[dict[str, str]]:
        with open(folder / f"mixed.results.{name}.csv", encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))

    def text(value: Any) -> str:
        return "" if value is None else str(int(value) if isinstance(value, float) else value)

    def recovered(value: str) -> str:  # the CSV's rule: one leading quote comes off
        return value[1:] if value.startswith("'") else value

    # The CSV files hold what scripts read: status codes, JustClick's answers verbatim, the
    # input's columns without the workbook's row numbers.
    for name, title in (("orders", "Orders"), ("rows", "Rows")):
        lines = [{k: recovered(v) for k, v in line.items()} for line in read(name)]
        expected = []
        for line in sheet_dicts(book, title):
            line.pop("source_row", None)
            for key in ("status", "import_status"):
                if key in line:
                    line[key] = CODE_OF[line[key]]
            if line.get("status") == "created":
                line.update(error_code=0, error_text="Order created")
            expected.append({k: text(v) for k, v in line.items()})
        if name == "rows":
            for got, want in zip(lines, expected, strict=True):
                if got["import_status"] == "created":
                    want["import_message"] = "Order created"
        assert lines == expected, name
    rows = read("rows")
    assert rows[0]["bill_first_name"] == "Анна" and rows[4]["bill_phone"] == "00123"
    assert rows[0]["bill_comment"] == "'=1+2"  # never a formula in a spreadsheet (OWASP)
    assert rows[0]["bill_phone"] == "'+7 900 000-00-01"
    problems = read("problems")
    assert [(p["row"], p["code"], p["severity"]) for p in problems] == [("5", "bad-email", "error")]


def test_report_csv_into_a_file_is_refused_before_sending(
    mixed_csv: Path, tmp_path: Path, server: Sandbox
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    args = ["run", str(mixed_csv), "--api-url", server.url, "--login", server.login]
    outcome = CliRunner().invoke(
        main,
        [*args, "--report-csv", str(blocker / "inside")],
        env={"JUSTCLICK_SECRET": server.secret},
    )
    assert outcome.exit_code == ExitStatus.USAGE
    assert "cannot write the CSV files to" in outcome.stderr
    assert server.call_counts() == {}


def test_run_summary_counts_rows_without_an_order_as_invalid(
    server: Sandbox, mixed_csv: Path
) -> None:
    result = run_on(server, mixed_csv, dry_run=True)
    facts = run_summary(result)
    assert facts["counts"]["rows"]["invalid"] == 1
    assert facts["counts"]["rows"]["not_sent"] == 4
    assert json.loads(json.dumps(facts)) == facts  # plain JSON types throughout
