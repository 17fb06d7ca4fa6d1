"""Outputs after sending never fail silently; a full disk has its own message and exit code.

Real processes with a file size limit (RLIMIT_FSIZE): a write past it fails as on a full disk
(issue 13, items 13 and 14).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from justclick_import.cli.main import main
from justclick_import.models import ExitStatus
from justclick_import.sandbox import Sandbox
from tests.faulty import (
    never_twice,
    run,
    start_importer,
    summary_items,
    workbook_orders,
    write_orders,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")


def limited(size: int) -> dict[str, object]:
    """Popen settings of a process that cannot write a file past ``size`` bytes."""
    return {"preexec_fn": lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))}


def wide_orders(path: Path, extra: int = 2000, width: int = 200) -> None:
    """Three orders with ``extra`` columns of ``width`` characters each (never sent)."""
    columns = [f"extra_column_{i:04d}" for i in range(extra)]
    lines = ["bill_email,good_name,good_sum," + ",".join(columns)]
    for i in range(3):
        lines.append(f"b{i}@example.ru,kurs_python,100," + ",".join(["x" * width] * extra))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_two_thousand_ignored_columns_do_not_break_the_workbook(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "wide.csv"
    wide_orders(source, width=3)
    result = run(server, source)
    assert len(", ".join(result.ignored_columns)) > 32_767  # more than a cell holds
    items = summary_items(tmp_path / "wide.results.xlsx")
    assert len(items["ignored columns (never sent)"]) == 32_767
    assert {status for status, _ in workbook_orders(tmp_path / "wide.results.xlsx").values()} == {
        "created"
    }


def test_a_full_disk_for_the_workbook_leaves_the_facts_and_report_writes_it_later(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "wide.csv"
    wide_orders(source)  # 1.2 MB of text: the workbook's sheets pass the limit, the journal not
    journal = tmp_path / "journal.sqlite"
    process = start_importer(server, source, journal, **limited(400_000))
    out, err = process.communicate(timeout=120)
    assert process.returncode == ExitStatus.OUTPUT_FAILED, err
    assert "Traceback" not in err
    facts = tmp_path / "wide.results.facts.json"
    assert f"the facts of this run are in {facts}" in err
    assert "justclick-import report INPUT" in err
    assert "results: NOT written" in out
    assert not (tmp_path / "wide.results.xlsx").exists()
    saved = json.loads(facts.read_text(encoding="utf-8"))
    bills = {order.email: order.bill_id for order in server.orders()}
    assert {o["key"]: o["bill_id"] for o in saved["orders"]} == bills

    again = CliRunner().invoke(main, ["report", str(source), "--journal", str(journal)])
    assert again.exit_code == ExitStatus.OK, again.output
    reported = workbook_orders(tmp_path / "wide.results.xlsx")
    assert {key: bill for key, (_, bill) in reported.items()} == bills
    assert {status for status, _ in reported.values()} == {"created"}


def test_a_full_disk_for_the_journal_stops_sending_with_its_own_exit_code(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    write_orders(source, 60)
    journal = tmp_path / "journal.sqlite"
    process = start_importer(server, source, journal, **limited(150_000))
    out, err = process.communicate(timeout=120)
    assert process.returncode == ExitStatus.JOURNAL_FAILED, err
    assert "Traceback" not in out + err
    assert "stopped: cannot write the journal" in out
    assert "the disk is full, or the file reached a size limit" in out
    sent = len(server.orders())
    assert 0 < sent < 60

    again = start_importer(server, source, journal)
    _, err = again.communicate(timeout=120)
    assert again.returncode == ExitStatus.OK, err
    assert len(never_twice(server)) == 60  # the ones whose answer was not journaled: found
