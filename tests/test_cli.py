"""The command line, in-process with CliRunner, and once as the installed command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from justclick_import.cli.main import main
from justclick_import.models import ExitStatus
from justclick_import.sandbox import Sandbox

NBSP = "\u00a0"


@pytest.fixture
def orders_xlsx(samples: Path, tmp_path: Path) -> Path:
    source = tmp_path / "orders.xlsx"
    shutil.copy(samples / "orders.xlsx", source)
    return source


def test_run_on_the_sandbox_creates_every_order(orders_xlsx: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(orders_xlsx), "--sandbox"])
    assert result.exit_code == ExitStatus.OK, result.output
    assert "orders.xlsx: 19 rows, 12 orders (12 created)" in result.output
    assert "target: sandbox (login demo-shop)" in result.output
    assert f"results: {orders_xlsx.with_name('orders.results.xlsx')}" in result.output


def test_run_against_an_api_url_with_the_secret_from_a_file(
    orders_xlsx: Path, server: Sandbox, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(server.secret + "\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    args = ["run", str(orders_xlsx), "--api-url", server.url, "--login", server.login]
    args += ["--secret-file", str(secret_file), "--out", str(out)]
    result = CliRunner().invoke(main, args, env={"JUSTCLICK_SECRET": None})
    assert result.exit_code == ExitStatus.OK, result.output
    assert len(server.orders()) == 12
    assert out.exists()
    assert server.secret not in result.output


def test_a_wrong_secret_exits_3_naming_the_login_not_the_secret(
    orders_xlsx: Path, server: Sandbox
) -> None:
    args = ["run", str(orders_xlsx), "--api-url", server.url, "--login", server.login]
    result = CliRunner().invoke(main, args, env={"JUSTCLICK_SECRET": "wrong-secret-value"})
    assert result.exit_code == ExitStatus.STOPPED
    assert (
        "1. The import stopped: JustClick rejected the signature: check the login 'demo-shop' "
        "and the API secret. Put that right and run the same import again" in result.output
    )
    assert "\n   check --login and JUSTCLICK_SECRET or --secret-file\n" in result.output
    assert "wrong-secret-value" not in result.output
    assert server.call_counts()["CreateOrder"] == 1


def test_the_secret_is_refused_as_an_argument(orders_xlsx: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(orders_xlsx), "--secret", "abc"])
    assert result.exit_code == ExitStatus.USAGE
    assert "the secret is never passed on the command line" in result.output


def test_missing_credentials_exit_2_before_sending(orders_xlsx: Path) -> None:
    result = CliRunner().invoke(
        main, ["run", str(orders_xlsx), "--login", "shop"], env={"JUSTCLICK_SECRET": None}
    )
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == (
        "error: no API secret: give the shop's API key\n"
        "hint: set JUSTCLICK_SECRET or pass --secret-file PATH\n"
    )


def test_an_unreadable_file_exits_2_with_the_file_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    result = CliRunner().invoke(main, ["run", str(broken), "--dry-run"])
    assert result.exit_code == ExitStatus.USAGE
    assert result.output.startswith(f"error: {broken}: not an XLSX workbook")
    assert "Traceback" not in result.output


def test_a_dry_run_with_bad_rows_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("bill_email,good_name\nnope,kurs_python\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(source), "--dry-run"])
    assert result.exit_code == ExitStatus.SOME_FAILED
    assert "1 problems in 1 rows" in result.output


def test_the_installed_command_runs_the_sandbox_job(orders_xlsx: Path) -> None:
    command = shutil.which("justclick-import")
    argv = [command] if command else [sys.executable, "-m", "justclick_import"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUSTCLICK_")}
    done = subprocess.run(
        [*argv, "run", str(orders_xlsx), "--sandbox"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "(12 created)" in done.stdout


def test_the_summary_names_ignored_columns_and_the_time_zone(tmp_path: Path) -> None:
    source = tmp_path / "extra.csv"
    source.write_text(
        "bill_email,good_name,Менеджер,bill_created\na@example.ru,kurs_python,Оля,29.11.2026\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["run", str(source), "--dry-run", "--quiet", "--timezone", "Europe/Moscow"]
    )
    assert result.exit_code == ExitStatus.OK, result.output
    assert "ignored columns (never sent): Менеджер" in result.output
    assert "dates without a time zone are read in Europe/Moscow" in result.output


_RESULTS_WORDS = {  # the Summary's headline, the Orders status header, its word for created
    "ru": (f"Создано заказов: 12 из 12 — 113{NBSP}180,00{NBSP}₽", "статус", "создан"),
    "en": (f"12 of 12 orders created — 113{NBSP}180,00{NBSP}₽", "status", "created"),
}


@pytest.mark.parametrize(
    ("sent_in", "asked", "locale", "language"),
    [
        ("en", "ru", "en_US.UTF-8", "ru"),
        ("ru", "en", "ru_RU.UTF-8", "en"),
        ("en", None, "ru_RU.UTF-8", "ru"),  # no --lang: this computer's locale, as for run
    ],
)
def test_report_writes_the_workbook_again_in_the_language_of_its_lang_option(
    orders_xlsx: Path,
    server: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sent_in: str,
    asked: str | None,
    locale: str,
    language: str,
) -> None:
    journal = tmp_path / "journal.sqlite"
    shop = ["--api-url", server.url, "--login", server.login, "--journal", str(journal)]
    secret = {"JUSTCLICK_SECRET": server.secret}
    sent = CliRunner().invoke(main, ["run", str(orders_xlsx), *shop, "--lang", sent_in], env=secret)
    assert sent.exit_code == ExitStatus.OK, sent.output
    results = orders_xlsx.with_name("orders.results.xlsx")
    results.unlink()
    monkeypatch.setenv("LC_MESSAGES", locale)
    args = ["report", str(orders_xlsx), "--journal", str(journal)]
    again = CliRunner().invoke(main, [*args, "--lang", asked] if asked else args)
    assert again.exit_code == ExitStatus.OK, again.output
    headline, status, created = _RESULTS_WORDS[language]
    assert again.output.startswith(headline)  # the terminal's summary, in the same words
    book = load_workbook(results, read_only=True)
    assert next(book["Summary"].iter_rows(values_only=True))[0] == headline
    orders = list(book["Orders"].iter_rows(values_only=True))
    column = orders[0].index(status)
    assert [line[column] for line in orders[1:]] == [created] * 12
    assert len(server.orders()) == 12  # nothing sent again


def test_report_tells_the_same_next_commands_as_the_run(
    samples: Path, server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "bad-cells.csv"
    shutil.copy(samples / "bad-cells.csv", source)
    journal = tmp_path / "journal.sqlite"
    shop = ["--api-url", server.url, "--login", server.login, "--journal", str(journal)]
    secret = {"JUSTCLICK_SECRET": server.secret}
    sent = CliRunner().invoke(main, ["run", str(source), *shop, "--lang", "en"], env=secret)
    assert sent.exit_code == ExitStatus.SOME_FAILED, sent.output
    fix = f"justclick-import run {source.with_name('bad-cells.results.xlsx')} --sheet Rows"
    assert fix in sent.output
    args = ["report", str(source), "--journal", str(journal)]
    again = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert again.exit_code == ExitStatus.OK, again.output
    assert fix in again.output  # the terminal's next steps name the command again
    book = load_workbook(source.with_name("bad-cells.results.xlsx"), read_only=True)
    summary = [cell for row in book["Summary"].iter_rows(values_only=True) for cell in row]
    assert any(isinstance(cell, str) and fix in cell for cell in summary)
