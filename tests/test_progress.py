"""Progress for the terminal: plain periodic lines when the output is not a terminal."""

from __future__ import annotations

import io

from justclick_import.cli.progress import Progress
from justclick_import.models import Order, OrderResult, OrderStatus


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
