"""Results workbooks written by earlier runs, read back: which orders they list as created.

When the journal knows nothing of an import (lost, replaced, a fresh home folder) while a
results workbook of it lists created bills, the orders were sent before: the run must not send
them blindly. The workbooks looked at: the one this run would write (``--out`` or beside the
input), the earlier ones kept beside it (``orders.results.<time>.xlsx``), and the input itself
when it is a results workbook imported again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from justclick_import.report.tables import ORDERS_HEADERS

__all__ = ["EarlierResults", "earlier_results", "results_candidates"]

# The statuses of an order that exists, and the headers read, as the results workbooks of
# this version and the next write them (English keys; words of a person's language).
_DONE = {"created", "already_exists", "already exists", "skipped", "создан", "уже существует",
         "пропущен"}  # fmt: skip
_HEADERS = {
    "order_key": ("order_key", "заказ"),
    "status": ("status", "статус"),
    "bill_id": ("bill_id", "номер счёта"),
}
_KEY_COLUMNS = (0, 11)  # a Summary item's key: in column A, or in a hidden key column (L)
SANDBOX, DRY_RUN = "sandbox", "dry run"  # the Summary's target of runs that created nothing real


@dataclass
class EarlierResults:
    """The created orders the results workbooks list: order key -> (bill id, the workbook)."""

    bills: dict[str, tuple[int, Path]] = field(default_factory=dict)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)

    def written(self, path: Path) -> str:
        """When ``path`` was written, for a message."""
        try:
            return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        except OSError:
            return "at an unknown time"


def results_candidates(source: Path, out: Path) -> list[Path]:
    """The workbooks that may list this import's orders, those that exist, nearest first."""
    found: list[Path] = []
    for path in (out, source.with_name(f"{source.stem}.results.xlsx")):
        found.append(path)
        found += sorted(path.parent.glob(f"{path.stem}.*{path.suffix}"), reverse=True)
    found.append(source)
    unique = list(dict.fromkeys(p for p in found if p.is_file()))
    return [p for p in unique if p.suffix.lower() in (".xlsx", ".xlsm")]


def _sent_to(book: Any, login: str) -> bool:
    """True when a results workbook's Summary says its run sent to the shop ``login``."""
    items = {
        str(row[column]): str(row[1])
        for row in book.get_sheet_by_name("Summary").to_python(skip_empty_area=False)
        for column in _KEY_COLUMNS
        if len(row) > max(column, 1) and row[column] not in ("", None)
    }
    target = items.get("target", "")
    if target in (SANDBOX, DRY_RUN):  # the sandbox forgets its orders; a dry run sent none
        return False
    return items.get("login", "").strip().casefold() == login.strip().casefold()


def earlier_results(paths: Iterable[Path], login: str) -> EarlierResults:
    """Read the Orders sheet of each results workbook of ``paths`` that sent to ``login``."""
    from python_calamine import CalamineWorkbook

    earlier = EarlierResults()
    for path in paths:
        try:
            book = CalamineWorkbook.from_path(str(path))
            if "Orders" not in book.sheet_names or "Summary" not in book.sheet_names:
                continue  # not a results workbook
            if not _sent_to(book, login):
                continue
            rows = book.get_sheet_by_name("Orders").to_python()
        except Exception as error:  # a results workbook we cannot read is said, not skipped
            earlier.unreadable.append((path, f"{type(error).__name__}: {error}"))
            continue
        if not rows:
            continue
        header = [str(cell).strip() for cell in rows[0]]
        found = {
            name: next((i for i, cell in enumerate(header) if cell in words), None)
            for name, words in _HEADERS.items()
        }
        if None in found.values() or not set(header) & {*ORDERS_HEADERS, "заказ"}:
            continue
        key, status, bill = (int(found[name] or 0) for name in ("order_key", "status", "bill_id"))
        for row in rows[1:]:
            if len(row) <= max(key, status, bill) or str(row[status]) not in _DONE:
                continue
            try:
                bill_id = int(str(row[bill]).removesuffix(".0"))
            except (TypeError, ValueError):
                continue
            earlier.bills.setdefault(str(row[key]), (bill_id, path))
    return earlier
