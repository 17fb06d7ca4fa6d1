"""Progress for the terminal: plain periodic lines when the output is not a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from justclick_import.cli.main import main
from justclick_import.cli.progress import Progress
from justclick_import.models import ExitStatus, Order, OrderResult, OrderStatus


def result(status: OrderStatus) -> OrderResult:
    return OrderResult(Order("k", {"bill_email": "a@b.ru"}, [], [2]), status)


def test_plain_lines_count_done_created_and_failed() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream, every=3600)  # only the last line is due
    progress.start(3)
    progress(result(OrderStatus.CREATED))
    progress(result(OrderStatus.FAILED))
    assert stream.getvalue() == ""
    progress(result(OrderStatus.INVALID))
    progress.close()
    (line,) = stream.getvalue().splitlines()
    assert line.startswith("3/3 orders, ")
    assert line.endswith(": 1 created, 2 failed")
    assert "/s, ETA 0 s" in line


@pytest.mark.parametrize(
    ("language", "start", "end"),
    [
        ("en", "2/2 orders, ", ": 2 created, 0 failed"),
        ("ru", "заказов 2/2, ", ": создано 2, не создано 0"),
    ],
)
def test_a_run_counts_its_orders_in_its_language(
    tmp_path: Path, language: str, start: str, end: str
) -> None:
    source = tmp_path / "orders.csv"
    source.write_text(
        "bill_email,good_name\na@example.ru,kurs_python\nb@example.ru,kurs_python\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(source), "--sandbox", "--lang", language])
    assert result.exit_code == ExitStatus.OK, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(start) and line.endswith(end), line
