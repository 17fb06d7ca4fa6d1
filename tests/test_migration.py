"""Migrations: list runs, undo exactly one run's orders, settle orders in doubt from the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from justclick_import.cli.main import main
from justclick_import.models import ExitStatus
from justclick_import.sandbox import Sandbox


@pytest.fixture
def env(server: Sandbox) -> dict[str, str]:
    return {"JUSTCLICK_SECRET": server.secret}


def run_cli(server: Sandbox, env: dict[str, str], *args: str) -> str:
    argv = ["run", *args, "--api-url", server.url, "--login", server.login, "--quiet"]
    result = CliRunner().invoke(main, argv, env=env)
    assert result.exit_code in (0, 1), result.output
    return result.output


def run_ids(env: dict[str, str]) -> list[str]:
    listed = CliRunner().invoke(main, ["runs"], env=env)
    assert listed.exit_code == 0, listed.output
    return [line.split()[0] for line in listed.output.splitlines()]


def test_undo_cancels_exactly_the_orders_of_one_run(
    server: Sandbox, env: dict[str, str], samples: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    shutil.copy(samples / "orders.csv", first)
    second = tmp_path / "second.csv"
    second.write_text("bill_email,good_name\nother@example.ru,kurs_python\n", encoding="utf-8")
    run_cli(server, env, str(first))
    run_cli(server, env, str(second))
    _newest, oldest = run_ids(env)

    out = tmp_path / "undo.xlsx"
    argv = ["undo", "--run", oldest, "--yes", "--api-url", server.url, "--out", str(out)]
    undone = CliRunner().invoke(main, argv, env=env)
    assert undone.exit_code == ExitStatus.OK, undone.output
    assert "12 cancelled" in undone.output

    cancelled = {o.email for o in server.orders() if o.status == "cancel"}
    assert len(cancelled) == 12
    assert "other@example.ru" not in cancelled  # the other run's order is untouched
    assert all(len(o.status_history) <= 1 for o in server.orders())
    sheet = load_workbook(out, read_only=True)["Orders"]
    results = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert results == ["cancelled"] * 12

    again = CliRunner().invoke(main, argv, env=env)  # resumable: nothing left, nothing repeated
    assert again.exit_code == ExitStatus.OK
    assert "no created orders left to cancel" in again.output
    assert all(len(o.status_history) <= 1 for o in server.orders())


def test_undo_with_delete_removes_them_and_a_new_import_creates_them_again(
    server: Sandbox, env: dict[str, str], samples: Path, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    shutil.copy(samples / "orders.csv", source)
    run_cli(server, env, str(source))
    (run_id,) = run_ids(env)
    argv = ["undo", "--run", run_id, "--delete", "--yes", "--api-url", server.url]
    argv += ["--out", str(tmp_path / "undo.xlsx")]
    assert CliRunner().invoke(main, argv, env=env).exit_code == ExitStatus.OK
    assert server.orders() == []
    run_cli(server, env, str(source))
    assert len(server.orders()) == 12


def test_undo_asks_first_and_does_nothing_when_refused(
    server: Sandbox, env: dict[str, str], samples: Path, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    shutil.copy(samples / "orders.csv", source)
    run_cli(server, env, str(source))
    (run_id,) = run_ids(env)
    argv = ["undo", "--run", run_id, "--api-url", server.url]
    refused = CliRunner().invoke(main, argv, env=env, input="n\n")
    assert "Cancel 12 orders created by run" in refused.output
    assert refused.exit_code != 0
    assert {o.status for o in server.orders()} == {"waiting"}


def test_undo_of_an_unknown_run_names_the_runs_command(
    env: dict[str, str], server: Sandbox, samples: Path, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    shutil.copy(samples / "orders.csv", source)
    run_cli(server, env, str(source))
    result = CliRunner().invoke(main, ["undo", "--run", "nope", "--yes"], env=env)
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == (
        "error: the journal has no run 'nope'\nhint: `justclick-import runs` lists them\n"
    )


def test_reconcile_command_finds_the_lost_answer(
    server: Sandbox, env: dict[str, str], samples: Path, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    shutil.copy(samples / "orders.csv", source)
    server.slow_next(1, seconds=3.0)  # created, but answered after the importer gave up
    output = run_cli(server, env, str(source), "--concurrency", "1", "--timeout", "1")
    assert "1 uncertain" in output
    lost = next(o.bill_id for o in server.orders() if o.email == "ivan.petrov@example.ru")
    argv = ["reconcile", str(source), "--api-url", server.url, "--login", server.login]
    result = CliRunner().invoke(main, argv, env=env)
    assert result.exit_code == ExitStatus.OK, result.output
    assert f"ivan.petrov@example.ru: bill {lost}: found among the customer's bills" in result.output
    assert "1 orders in doubt: 1 found, 0 still held" in result.output
    again = run_cli(server, env, str(source))
    assert "(12 skipped)" in again
    assert len(server.orders()) == 12
