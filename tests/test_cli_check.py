"""The check, columns and template commands, and run's reading options, in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from justclick_import.cli.main import main
from justclick_import.fields import ALL_FIELDS
from justclick_import.models import ExitStatus
from justclick_import.rows.columns import map_columns
from justclick_import.sources import read_sheet


def invoke(*args: str | Path) -> tuple[int, str]:
    """Run the command line; its exit code and everything it printed."""
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.output


def test_check_groups_problems_by_code_and_exits_1(samples: Path) -> None:
    code, output = invoke("check", samples / "messy-prices.csv", "--timezone", "Europe/Moscow")
    assert code == ExitStatus.SOME_FAILED
    assert output == (
        "messy-prices.csv (UTF-8, comma-separated, headers in row 1): 12 rows, 12 orders, "
        "9 ready to send\n"
        "dates without a time zone are read in Europe/Moscow\n"
        "ambiguous-price (1): unclear price: this can be read as thousands or as a fraction; "
        "write 1500 or 1500.00 (or 1.5)\n"
        "  row 9, good_sum: '1,500'\n"
        "negative-price (1): a price cannot be negative\n"
        "  row 10, good_sum: '-100'\n"
        "bad-price (1): not a price; write a number such as 1500 or 1500.50\n"
        "  row 12, good_sum: 'около 1500'\n"
        "zero-price (1, warning): a price of 0 does not make the item free: JustClick charges "
        "the shop's price\n"
        "  row 11, good_sum: '0'\n"
        "3 errors in 3 rows, 1 warnings\n"
    )


def test_check_limits_the_cases_shown(tmp_path: Path) -> None:
    source = tmp_path / "many.csv"
    source.write_text(
        "bill_email,good_name\n" + "".join(f"bad{i},x\n" for i in range(5)), encoding="utf-8"
    )
    code, output = invoke("check", source, "--limit", "2")
    assert code == ExitStatus.SOME_FAILED
    assert "bad-email (5): " in output
    assert "  row 3, bill_email: 'bad1'\n  ... and 3 more\n" in output


def test_check_of_a_clean_file_exits_0_and_says_what_is_ignored(samples: Path) -> None:
    code, output = invoke("check", samples / "russian-headers.xlsx")
    assert code == ExitStatus.OK, output
    assert output.startswith(
        "russian-headers.xlsx (sheet 'Данные', headers in row 1): 2 rows, 1 orders, "
        "1 ready to send\n"
    )
    assert "ignored columns (never sent): Примечание менеджера\n" in output
    assert output.endswith("no problems found\n")


def test_check_with_warnings_only_exits_0(tmp_path: Path) -> None:
    source = tmp_path / "zero.csv"
    source.write_text("bill_email,good_name,good_sum\na@example.ru,x,0\n", encoding="utf-8")
    code, output = invoke("check", source)
    assert code == ExitStatus.OK
    assert output.endswith("0 errors in 0 rows, 1 warnings\n")


def test_check_uses_the_catalog_mapping_and_date_options(samples: Path) -> None:
    code, output = invoke(
        "check", samples / "catalog-check.csv", "--catalog", samples / "catalog.csv"
    )
    assert code == ExitStatus.SOME_FAILED
    assert "  row 4, good_name: 'book_paper' - missing: bill_surname, bill_country" in output
    code, output = invoke(
        "check",
        samples / "custom-headers.csv",
        "--mapping",
        samples / "custom-headers.mapping.toml",
    )
    assert code == ExitStatus.OK, output
    code, output = invoke("check", samples / "dates-and-flags.csv", "--date-format", "DMY")
    assert "ambiguous-date" not in output


def test_check_of_an_unreadable_file_exits_2(samples: Path) -> None:
    code, output = invoke("check", samples / "password-protected.xlsx")
    assert code == ExitStatus.USAGE
    assert output == (
        f"error: {samples / 'password-protected.xlsx'}: the workbook is password-protected; "
        "open it, remove the password (File → Info → Protect Workbook) and save it again\n"
    )
    code, output = invoke("check", samples / "orders.csv", "--timezone", "Nowhere/City")
    assert (code, output) == (
        ExitStatus.USAGE,
        "error: unknown time zone 'Nowhere/City'; give a name such as Europe/Moscow or UTC\n"
        "hint: --timezone takes a name such as Europe/Moscow\n",
    )


def test_columns_shows_how_each_header_is_understood(samples: Path, tmp_path: Path) -> None:
    code, output = invoke("columns", samples / "two-email-columns.csv")
    assert code == ExitStatus.OK
    assert output == (
        "two-email-columns.csv (UTF-8, comma-separated, headers in row 1)\n"
        "  E-mail     -> bill_email (common name)\n"
        "  Почта      -> bill_email: CLASH with 'E-mail', choose one with --mapping\n"
        "  good_name  -> good_name (JustClick field name)\n"
    )
    mapping = tmp_path / "mapping.toml"
    code, output = invoke("columns", samples / "custom-headers.csv", "--write-mapping", mapping)
    assert code == ExitStatus.SOME_FAILED  # the e-mail and the product have no column
    assert "  Покупатель          -> ignored (not recognised)\n" in output
    assert "missing required: bill_email, good_name (map a header to it with --mapping" in output
    assert output.endswith(f"mapping written to {mapping}; edit it and pass --mapping FILE\n")
    assert '"Покупатель" = ""  # not recognised' in mapping.read_text(encoding="utf-8")


def test_run_takes_the_mapping_timezone_and_catalog(samples: Path, tmp_path: Path) -> None:
    source = tmp_path / "custom-headers.csv"
    shutil.copy(samples / "custom-headers.csv", source)
    args = ["run", source, "--sandbox", "--mapping", samples / "custom-headers.mapping.toml"]
    code, output = invoke(*args, "--timezone", "UTC", "--date-format", "DMY", "-q")
    assert code == ExitStatus.OK, output
    assert "custom-headers.csv: 2 rows, 2 orders (2 created)" in output
    bad = tmp_path / "catalog-check.csv"
    shutil.copy(samples / "catalog-check.csv", bad)
    code, output = invoke("run", bad, "--sandbox", "--catalog", samples / "catalog.csv", "-q")
    assert code == ExitStatus.SOME_FAILED
    assert "(1 created, 2 invalid)" in output


def test_template_writes_headers_and_help(tmp_path: Path) -> None:
    path = tmp_path / "orders-template.xlsx"
    code, output = invoke("template", path)
    assert (code, output) == (
        ExitStatus.OK,
        f"template written to {path}: fill the Orders sheet, see Columns for help\n",
    )
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["Orders", "Columns"]
    headers = [cell for cell in next(workbook["Orders"].iter_rows(values_only=True))]
    assert sorted(headers) == sorted(ALL_FIELDS)
    assert map_columns([str(h) for h in headers]).ignored == []
    help_rows = list(workbook["Columns"].iter_rows(values_only=True))
    assert help_rows[0] == ("column", "required", "what to write", "example", "also recognised as")
    assert [row[0] for row in help_rows[1:]] == headers
    assert dict((row[0], row[1]) for row in help_rows[1:])["bill_email"] == "yes"
    code, output = invoke("template", path)
    assert code == ExitStatus.USAGE and "already exists" in output
    code, output = invoke("template", tmp_path / "t.csv")
    assert code == ExitStatus.USAGE and "give a name ending in .xlsx" in output


def test_a_filled_template_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    invoke("template", path)
    workbook = load_workbook(path)
    sheet = workbook["Orders"]
    headers = [cell.value for cell in sheet[1]]
    sheet.append(
        [
            "a@example.ru" if h == "bill_email" else "x" if h == "good_name" else None
            for h in headers
        ]
    )
    workbook.save(path)
    read = read_sheet(path)
    assert read.sheet_name == "Orders"
    assert read.frame[["bill_email", "good_name"]].to_dict("records") == [
        {"bill_email": "a@example.ru", "good_name": "x"}
    ]
