"""Every order in doubt comes with the exact command that settles it (issue 13, item 9)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from justclick_import.cli.main import main
from justclick_import.models import ExitStatus
from justclick_import.sandbox import Sandbox
from tests.faulty import never_twice, workbook_orders, write_orders
from tests.workbooks import summary_column


def cli(args: list[str], secret: str) -> Result:
    return CliRunner().invoke(main, args, env={"JUSTCLICK_SECRET": secret})


def command_in(text: str, start: str) -> list[str]:
    """The command between backquotes in ``text`` that starts with ``start``."""
    found = re.search(rf"`({re.escape(start)}[^`]*)`", text)
    assert found, text
    return shlex.split(found.group(1))[1:]  # without the program name


def test_a_wrong_secret_then_the_right_one_settles_with_the_commands_it_names(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    write_orders(source, 5)
    journal = tmp_path / "journal.sqlite"
    args = ["run", str(source), "--api-url", server.url, "--login", server.login]
    args += ["--journal", str(journal), "--rate", "0", "--quiet"]

    wrong = cli(args, "not-the-secret")
    assert wrong.exit_code == ExitStatus.STOPPED, wrong.output
    assert "JustClick rejected the signature" in wrong.output
    assert "in doubt: 1 orders, not looked up yet" in wrong.output
    again = command_in(wrong.output, "justclick-import run")
    assert again == [*args, "--resend-uncertain"]
    book = load_workbook(source.with_name("orders.results.xlsx"))
    steps = "\n".join(summary_column(book))
    assert (
        f"`{shlex.join(['justclick-import', *again])}`" in steps
    )  # the workbook names the same command

    fixed = cli(args, server.secret)  # the same command, the secret fixed: lookups only
    assert fixed.exit_code == ExitStatus.SOME_FAILED, fixed.output
    assert "in doubt: 1 orders, looked up: not in the shop" in fixed.output
    assert len(server.orders()) == 4  # the four never sent; the one in doubt is not resent

    settled = cli(command_in(fixed.output, "justclick-import run"), server.secret)
    assert settled.exit_code == ExitStatus.OK, settled.output
    assert "in doubt" not in settled.output
    assert len(never_twice(server)) == 5
    reported = workbook_orders(source.with_name("orders.results.xlsx"))
    assert {status for status, _ in reported.values()} == {"created", "skipped"}


def test_an_order_only_a_person_can_settle_gets_the_reconcile_commands(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    write_orders(source, 1)
    journal = tmp_path / "journal.sqlite"
    args = ["run", str(source), "--api-url", server.url, "--login", server.login]
    args += ["--journal", str(journal), "-q"]
    server.slow_next(1, seconds=2.0)  # created, its answer too late
    first = cli([*args, "--timeout", "0.5"], server.secret)
    assert first.exit_code == ExitStatus.SOME_FAILED
    (created,) = server.orders()
    text = source.read_text(encoding="utf-8").replace(",1000", ",1200")
    source.write_text(text, encoding="utf-8")  # now the file says 1200: no bill can match
    held = cli(args, server.secret)
    assert "changed in the file since it was sent" in held.output
    by_hand = command_in(held.output, "justclick-import reconcile")
    assert by_hand[:2] == ["reconcile", str(source)]
    assert by_hand[-2:] == ["--bill", "ORDER_KEY=BILL_ID"]  # what the person fills in
    by_hand = by_hand[:-2]
    done = cli([*by_hand, "--bill", f"buyer000@example.ru={created.bill_id}"], server.secret)
    assert done.exit_code == ExitStatus.OK, done.output
    assert f"buyer000@example.ru: recorded as bill {created.bill_id}" in done.output
    after = cli(args, server.secret)
    assert "(1 skipped)" in after.output
    assert len(server.orders()) == 1
