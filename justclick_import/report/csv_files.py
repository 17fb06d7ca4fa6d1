"""The workbook's Orders, Rows and Problems tables as UTF-8 CSV files, for scripts."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from justclick_import.atomic import atomic_path
from justclick_import.models import RowOutcome, RunResult
from justclick_import.report.tables import (
    ORDERS_HEADERS,
    PROBLEMS_HEADERS,
    as_text,
    order_line,
    problem_line,
    rows_headers,
    rows_parts,
    sorted_problems,
)

__all__ = [
    "FORMULA_STARTS",
    "check_csv_folder",
    "csv_report_paths",
    "neutralise",
    "write_csv_reports",
]

_CHUNK = 50_000


def check_csv_folder(folder: Path) -> str | None:
    """Make ``folder`` when it is missing; say why CSV files cannot be written there, or None."""
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file; give a folder for the CSV files"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".justclick-import.probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return f"cannot write to the folder {folder} ({error.strerror or error})"
    return None


def csv_report_paths(folder: Path, stem: str) -> dict[str, Path]:
    """The files: ``<stem>.orders.csv``, ``<stem>.rows.csv``, ``<stem>.problems.csv``."""
    return {table: folder / f"{stem}.{table}.csv" for table in ("orders", "rows", "problems")}


def write_csv_reports(
    result: RunResult,
    folder: Path,
    stem: str,
) -> list[Path]:
    """Write the Orders, Rows and Problems tables into ``folder``; return the files written.

    Values are written as the file held them, but for text that a spreadsheet would run as a
    formula (``neutralise``: a ``'`` in front, as OWASP advises for CSV files); headers are the
    workbook's. Each file is written to a temporary name and renamed, so a reader never sees
    half a file.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot write the CSV files: the folder {folder} does not exist")
    outcomes = result.row_outcomes()
    paths = csv_report_paths(folder, stem)
    problems = sorted_problems(result)
    orders = (tuple(map(_plain, order_line(r))) for r in result.results)
    _write(paths["orders"], ORDERS_HEADERS, orders)
    _write(paths["rows"], rows_headers(result), _rows_lines(result, outcomes))
    _write(paths["problems"], PROBLEMS_HEADERS, map(problem_line, problems))
    return list(paths.values())


def _rows_lines(result: RunResult, outcomes: Sequence[RowOutcome]) -> Iterable[Sequence[Any]]:
    for part in rows_parts(result, outcomes, _CHUNK):
        columns: list[list[Any]] = [
            [as_text(value) for value in series.tolist()] for series in part.inputs
        ]
        columns += [
            [o.import_status for o in part.outcomes],
            [o.bill_id for o in part.outcomes],
            [o.import_message for o in part.outcomes],
        ]
        yield from zip(*columns, strict=True)


def _plain(value: Any) -> Any:
    """A whole float as an integer (``15890``, not Python's ``15890.0``); anything else as is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# What makes a spreadsheet program run a cell as a formula (=, +, -, @) or hide what follows
# (tab, carriage return); and the quote itself, so that removing one quote always gives the
# value back.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(value: Any) -> Any:
    """Text starting like a formula with a ``'`` in front (``=HYPERLINK(...)`` becomes
    ``'=HYPERLINK(...)``); anything else as it is. Remove one leading ``'`` to undo it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write(path: Path, headers: Sequence[str], lines: Iterable[Sequence[Any]]) -> None:
    with (
        atomic_path(path) as temporary,
        open(temporary, "w", encoding="utf-8", newline="") as stream,
    ):
        writer = csv.writer(stream)
        writer.writerow([neutralise(header) for header in headers])
        writer.writerows([neutralise(value) for value in line] for line in lines)
