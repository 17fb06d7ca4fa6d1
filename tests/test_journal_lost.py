"""A journal lost, damaged or reached by another name; the same file under another name.

Each case once created every order again (issue 13, items 1, 2 and 6).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from justclick_import.cli.main import main
from justclick_import.models import ExitStatus
from justclick_import.sandbox import Sandbox
from justclick_import.sending.lock import JournalBusy, sending_lock
from tests.faulty import never_twice, start_importer, wait_for, workbook_orders, write_orders


def cli(server: Sandbox, source: Path, journal: Path, *extra: str) -> Result:
    args = ["run", str(source), "--api-url", server.url, "--login", server.login]
    args += ["--journal", str(journal), "--rate", "0", "-q", *extra]
    return CliRunner().invoke(main, args, env={"JUSTCLICK_SECRET": server.secret})


@pytest.fixture
def sent(server: Sandbox, tmp_path: Path) -> tuple[Path, Path]:
    """Twelve orders sent, with their results workbook beside the input."""
    source = tmp_path / "orders.csv"
    write_orders(source, 12)
    journal = tmp_path / "state" / "journal.sqlite"
    result = cli(server, source, journal)
    assert result.exit_code == ExitStatus.OK, result.output
    assert len(server.orders()) == 12
    return source, journal


def lose(journal: Path, how: str) -> Path:
    """The journal as a crash, a person or a new machine may leave it; the path to use."""
    if how == "deleted":
        journal.unlink()
    elif how == "truncated":
        journal.write_bytes(b"")
    elif how == "fresh home":
        return journal.parent.parent / "new-home" / "journal.sqlite"
    return journal


@pytest.mark.parametrize("how", ["deleted", "truncated", "fresh home"])
def test_a_lost_journal_stops_the_run_instead_of_sending_everything_again(
    server: Sandbox, sent: tuple[Path, Path], how: str
) -> None:
    source, journal = sent
    journal = lose(journal, how)
    result = cli(server, source, journal)
    assert result.exit_code == ExitStatus.USAGE, result.output
    assert "knows nothing of 12 orders of this file" in result.output
    assert "orders.results.xlsx (written" in result.output
    assert "lists 12 of them as created: buyer000@example.ru (bill 1001)" in result.output
    assert "--lookup-first" in result.output and "--new-orders" in result.output
    assert server.call_counts()["CreateOrder"] == 12  # nothing was sent

    looked = cli(server, source, journal, "--lookup-first")
    assert looked.exit_code == ExitStatus.OK, looked.output
    assert "looked up before sending: 12 orders found in the shop" in looked.output
    assert "(12 skipped)" in looked.output
    assert server.call_counts()["CreateOrder"] == 12
    reported = workbook_orders(source.with_name("orders.results.xlsx"))
    bills = {order.email: order.bill_id for order in server.orders()}
    assert {key: bill for key, (_, bill) in reported.items()} == bills


def test_a_russian_results_workbook_is_read_back_like_an_english_one(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    write_orders(source, 12)
    journal = tmp_path / "state" / "journal.sqlite"
    assert cli(server, source, journal, "--lang", "ru").exit_code == ExitStatus.OK
    results = source.with_name("orders.results.xlsx")
    header = next(load_workbook(results, read_only=True)["Orders"].iter_rows(values_only=True))
    assert header[:6] == ("заказ", "e-mail", "товары", "сумма", "статус", "номер счёта")
    assert header[-2:] == ("сумма в файле", "разница")
    journal.unlink()
    result = cli(server, source, journal, "--lang", "ru")
    assert result.exit_code == ExitStatus.USAGE, result.output
    assert "lists 12 of them as created: buyer000@example.ru (bill 1001)" in result.output
    assert server.call_counts()["CreateOrder"] == 12  # nothing was sent twice


def test_a_journal_whose_wal_was_lost_after_a_crash_is_noticed(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    write_orders(source, 6)
    journal = tmp_path / "journal.sqlite"
    with sqlite3.connect(journal) as keeper:  # an open reader: the WAL is never folded back
        keeper.execute("PRAGMA journal_mode=WAL")
        keeper.execute("CREATE TABLE IF NOT EXISTS keep (x)")
        assert cli(server, source, journal).exit_code == ExitStatus.OK
        assert journal.with_name("journal.sqlite-wal").stat().st_size > journal.stat().st_size
        crashed = tmp_path / "after-crash"
        crashed.mkdir()
        shutil.copy(journal, crashed / "journal.sqlite")  # the main file only: the WAL is gone
    result = cli(server, source, crashed / "journal.sqlite")
    assert result.exit_code == ExitStatus.USAGE, result.output
    assert "knows nothing of 6 orders" in result.output
    assert len(never_twice(server)) == 6


def test_a_damaged_journal_never_advises_a_fresh_one_without_lookups(
    server: Sandbox, sent: tuple[Path, Path]
) -> None:
    source, journal = sent
    journal.write_bytes(b"this is not a database" * 300)
    result = cli(server, source, journal)
    assert result.exit_code == ExitStatus.USAGE
    assert "keep the file" in result.output
    assert "--lookup-first" in result.output
    assert "choose another file" not in result.output
    assert server.call_counts()["CreateOrder"] == 12


def test_new_orders_says_they_were_never_sent(server: Sandbox, sent: tuple[Path, Path]) -> None:
    source, journal = sent
    journal.unlink()
    server_before = len(server.orders())
    result = cli(server, source, journal, "--new-orders")
    assert result.exit_code == ExitStatus.OK
    assert len(server.orders()) == 2 * server_before  # what the user asked for, knowingly


# --- item 2: the same file under another name ---------------------------------------------


def test_the_same_file_under_a_browsers_copy_name_is_held_not_sent_again(
    server: Sandbox, sent: tuple[Path, Path]
) -> None:
    source, journal = sent
    copy = source.with_name("orders (1).csv")
    shutil.copy(source, copy)
    result = cli(server, copy, journal)
    assert result.exit_code == ExitStatus.SOME_FAILED, result.output
    assert "(12 not_sent)" in result.output
    reported = workbook_orders(copy.with_name("orders (1).results.xlsx"))
    assert {status for status, _ in reported.values()} == {"not_sent"}
    assert server.call_counts()["CreateOrder"] == 12
    changed = copy.read_text(encoding="utf-8").replace("1005,", "1105,")
    copy.write_text(changed, encoding="utf-8")
    new = cli(server, copy, journal, "--new-orders")
    assert new.exit_code == ExitStatus.OK, new.output
    assert server.call_counts()["CreateOrder"] == 24  # said to be new: sent


def test_a_held_copy_names_the_import_and_bill_it_repeats(
    server: Sandbox, sent: tuple[Path, Path]
) -> None:
    source, journal = sent
    copy = source.with_name("orders-download.csv")
    shutil.copy(source, copy)
    cli(server, copy, journal)
    sheet = workbook_orders(copy.with_name("orders-download.results.xlsx"))
    assert sheet["buyer000@example.ru"] == ("not_sent", None)
    from openpyxl import load_workbook

    rows = list(load_workbook(copy.with_name("orders-download.results.xlsx"))["Orders"].values)
    text = rows[1][rows[0].index("error_text")]
    assert "was created as bill 1001 by the import 'orders'" in text


def test_the_results_workbook_saved_as_xlsm_is_the_same_import(
    server: Sandbox, sent: tuple[Path, Path]
) -> None:
    source, journal = sent
    macro = source.with_name("orders fixed.xlsm")
    shutil.copy(source.with_name("orders.results.xlsx"), macro)
    result = cli(server, macro, journal, "--sheet", "Rows")
    assert result.exit_code == ExitStatus.OK, result.output
    assert "(12 skipped)" in result.output
    assert server.call_counts()["CreateOrder"] == 12


def test_a_summary_that_cannot_be_read_is_said_not_guessed(
    server: Sandbox, sent: tuple[Path, Path]
) -> None:
    source, journal = sent
    original = source.with_name("orders.results.xlsx")
    broken = source.with_name("broken.xlsx")
    with zipfile.ZipFile(original) as old, zipfile.ZipFile(broken, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # Summary: XML cut in half
                data = data[: len(data) // 2]
            new.writestr(item, data)
    result = cli(server, broken, journal, "--sheet", "Rows")
    assert result.exit_code == ExitStatus.USAGE, result.output
    assert "cannot read its Summary sheet, which names the import" in result.output
    assert server.call_counts()["CreateOrder"] == 12


# --- item 6: one sender per journal file, whatever its name ----------------------------------


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_the_lock_belongs_to_the_journal_file_not_its_name(tmp_path: Path, link: str) -> None:
    journal = tmp_path / "journal.sqlite"
    journal.write_bytes(b"")
    other = tmp_path / "elsewhere" / "same.sqlite"
    other.parent.mkdir()
    if link == "symlink":
        other.symlink_to(journal)
    else:
        os.link(journal, other)
    with sending_lock(journal), pytest.raises(JournalBusy), sending_lock(other):
        pass


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_two_processes_on_one_journal_through_another_name_never_both_send(
    server: Sandbox, tmp_path: Path, link: str
) -> None:
    source = tmp_path / "orders.csv"
    write_orders(source, 40)
    journal = tmp_path / "journal.sqlite"
    server.set_latency(0.05)
    first = start_importer(server, source, journal, "--concurrency", "1")
    try:
        wait_for(lambda: len(server.orders()) >= 2)
        other = tmp_path / "other.sqlite"
        if link == "symlink":
            other.symlink_to(journal)
        else:
            os.link(journal, other)
        second = cli(server, source, other)
        assert second.exit_code == ExitStatus.USAGE, second.output
        assert "another justclick-import is sending with the journal" in second.output
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
    never_twice(server)
