"""One measurement per process: ``python benchmarks/tasks.py TASK [options]`` prints one JSON line.

Each task runs in a fresh interpreter (started by ``run.py``) so that its time and its peak RSS
are its own. Times are wall-clock seconds of the measured work only (imports excluded); ``rss_mb``
is the process's peak resident memory, imports and input included.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOGIN, SECRET = "bench-shop", "bench-secret"  # offline signing only: nothing is sent


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def peak_mb() -> float:
    """This process's peak RSS so far (VmHWM), in MB."""
    return _status_kb("VmHWM") / 1024


def rss_mb() -> float:
    """This process's RSS now, in MB."""
    return _status_kb("VmRSS") / 1024


def reset_peak() -> None:
    """Start counting the peak RSS again from now (Linux: ``clear_refs`` 5)."""
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def timed(work: Callable[[], Any], *, own_peak: bool = False) -> tuple[float, Any, float]:
    """Run ``work`` once: (seconds, its result, peak RSS above the RSS before it, MB).

    With ``own_peak`` the process's peak is reset first, so the last figure is ``work``'s own
    (the process's peak as the parent sees it is then lost: use it for the last tasks only).
    """
    if own_peak:
        reset_peak()
    before = rss_mb()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    return seconds, result, peak_mb() - before


# --- 1. reading ------------------------------------------------------------------------------


def read_ours(path: Path) -> dict[str, Any]:
    """``justclick_import.sources.read_sheet`` on the file."""
    from justclick_import.sources import read_sheet

    seconds, sheet, _ = timed(lambda: read_sheet(path))
    return {"seconds": seconds, "rows": len(sheet.frame), "columns": len(sheet.frame.columns)}


def read_pandas(path: Path, encoding: str, sep: str) -> dict[str, Any]:
    """pandas ``read_csv(engine="pyarrow", dtype=str)``: the plain tool for a CSV."""
    import pandas as pd

    def work() -> Any:
        return pd.read_csv(
            path, sep=sep, encoding=encoding, dtype=str, keep_default_na=False, engine="pyarrow"
        )

    seconds, frame, _ = timed(work)
    return {"seconds": seconds, "rows": len(frame), "columns": len(frame.columns)}


def read_pyarrow(path: Path) -> dict[str, Any]:
    """``pyarrow.csv.read_csv`` with its own type inference (UTF-8 only)."""
    from pyarrow import csv as pacsv

    seconds, table, _ = timed(lambda: pacsv.read_csv(path))
    return {"seconds": seconds, "rows": table.num_rows, "columns": table.num_columns}


def read_fastexcel(path: Path) -> dict[str, Any]:
    """fastexcel: the first sheet into an Arrow record batch."""
    import fastexcel

    seconds, batch, _ = timed(lambda: fastexcel.read_excel(path).load_sheet(0).to_arrow())
    return {"seconds": seconds, "rows": batch.num_rows, "columns": batch.num_columns}


def read_calamine(path: Path) -> dict[str, Any]:
    """python-calamine: the first sheet into Python lists."""
    from python_calamine import CalamineWorkbook

    def work() -> Any:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()

    seconds, rows, _ = timed(work)
    return {"seconds": seconds, "rows": len(rows) - 1, "columns": len(rows[0])}


# --- 2. the offline pipeline -------------------------------------------------------------------


def _stage_timer(module: Any, names: list[str], spent: dict[str, float]) -> None:
    """Wrap the stage functions ``module`` calls so that each one's time adds up in ``spent``."""
    for name in names:
        original = getattr(module, name, None)
        if original is None:
            continue

        def wrapper(*args: Any, __original: Any = original, __name: str = name, **kw: Any) -> Any:
            started = time.perf_counter()
            try:
                return __original(*args, **kw)
            finally:
                spent[__name] = spent.get(__name, 0.0) + time.perf_counter() - started

        setattr(module, name, wrapper)


STAGES = ["read_sheet", "map_columns", "validate_rows", "assemble_orders", "check_orders"]


def pipeline(path: Path) -> dict[str, Any]:
    """Read, map, validate, assemble (``pipeline.prepare``), then sign every valid order."""
    from justclick_import import ImportConfig, prepare
    from justclick_import.api.signing import signed_body
    from justclick_import.pipeline import prepare as stages

    spent: dict[str, float] = {}
    _stage_timer(stages, STAGES, spent)

    def work() -> tuple[int, int, int]:
        prepared = prepare(ImportConfig(input=path))
        started = time.perf_counter()
        signed = size = 0
        for order in prepared.orders:
            if order.is_valid:
                size += len(signed_body(order.params(), LOGIN, SECRET))
                signed += 1
        spent["sign"] = time.perf_counter() - started
        return len(prepared.sheet.frame), len(prepared.orders), signed

    seconds, (rows, orders, signed), _ = timed(work)
    spent["other"] = seconds - sum(spent.values())
    return {
        "seconds": seconds,
        "rows": rows,
        "orders": orders,
        "signed": signed,
        "lines_per_s": rows / seconds,
        "stages": spent,
    }


# --- 3. the results workbook ---------------------------------------------------------------------


def _dry_run_result(path: Path, scratch: Path) -> Any:
    """The ``RunResult`` of a dry run of ``path`` (everything but writing the workbook)."""
    from justclick_import import ImportConfig, execute, prepare

    config = ImportConfig(input=path, dry_run=True, journal=scratch / "journal.sqlite")
    return execute(prepare(config))


def result_cells(result: Any) -> Iterator[tuple[str, list[str], Iterator[tuple[Any, ...]]]]:
    """The cells of the results workbook, sheet by sheet: (title, headers, rows).

    The same values as the report writes (statuses, ids, messages, every input cell), built the
    plain way, so the bare writers below do the same amount of writing.
    """
    from justclick_import.report.tables import ORDERS_HEADERS, order_line

    # The Summary's few dozen lines cost nothing next to the Rows sheet: a stand-in of that size.
    summary = [(f"item {i}", i) for i in range(30)]
    yield "Summary", ["item", "value"], iter(summary)

    yield "Orders", list(ORDERS_HEADERS), (order_line(r) for r in result.results)

    def rows() -> Iterator[tuple[Any, ...]]:
        frame = result.rows
        outcomes = result.row_outcomes()
        for start in range(0, len(frame), 50_000):
            part = frame.iloc[start : start + 50_000]
            columns = [part.iloc[:, i].tolist() for i in range(part.shape[1])]
            done = outcomes[start : start + 50_000]
            yield from zip(
                *columns,
                [o.import_status for o in done],
                [o.bill_id for o in done],
                [o.import_message for o in done],
                strict=True,
            )

    headers = [str(name) for name in result.rows.columns]
    headers += ["import_status", "bill_id", "import_message"]
    yield "Rows", headers, rows()
    problems = ((p.row, p.column, p.value, p.code, p.message) for p in result.problems)
    yield "Problems", ["row", "column", "value", "code", "problem"], problems


def write_bare_xlsxwriter(result: Any, out: Path) -> int:
    """xlsxwriter in constant-memory mode, the same cells, no formatting: the floor."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(out), {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    cells = 0
    for title, headers, rows in result_cells(result):
        sheet = workbook.add_worksheet(title)
        sheet.write_row(0, 0, headers)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
            cells += len(row)
    workbook.close()
    return cells


def write_bare_openpyxl(result: Any, out: Path) -> int:
    """openpyxl write-only, the same cells, no formatting."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    cells = 0
    for title, headers, rows in result_cells(result):
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
            cells += len(row)
    workbook.save(str(out))
    return cells


def write_bare_rustpy(result: Any, out: Path) -> int:
    """rustpy-xlsxwriter (Rust ``rust_xlsxwriter``) from generators of dicts, no formatting."""
    import rustpy_xlsxwriter

    count = [0]

    def records(headers: list[str], rows: Iterator[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            count[0] += len(row)
            yield dict(zip(headers, row, strict=True))

    sheets = [(title, records(headers, rows)) for title, headers, rows in result_cells(result)]
    rustpy_xlsxwriter.write_worksheets(sheets, str(out))
    return count[0]


def write_bare_rvgsrust(result: Any, out: Path) -> int:
    """rvgsrust-xlsxwriter (the report's own library) in constant memory, no formatting."""
    from rvgsrust_xlsxwriter import Workbook

    workbook = Workbook(str(out))
    cells = 0
    for title, headers, rows in result_cells(result):
        sheet = workbook.add_worksheet(title, constant_memory=True)
        sheet.write_row(0, 0, headers)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, list(row))
            cells += len(row)
    workbook.close()
    return cells


BARE_WRITERS: dict[str, Callable[[Any, Path], int]] = {
    "rvgsrust": write_bare_rvgsrust,
    "xlsxwriter": write_bare_xlsxwriter,
    "openpyxl": write_bare_openpyxl,
    "rustpy": write_bare_rustpy,
}


def workbook(path: Path, writers: list[str]) -> dict[str, Any]:
    """Our ``write_workbook`` for a dry run of ``path``, then each bare writer, same cells."""
    from justclick_import.report.workbook import write_workbook

    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_name:
        scratch = Path(scratch_name)
        result = _dry_run_result(path, scratch)
        out = scratch / "ours.xlsx"
        seconds, _, grown = timed(lambda: write_workbook(result, out), own_peak=True)
        figures: dict[str, Any] = {
            "rows": len(result.rows),
            "orders": len(result.results),
            "ours": {"seconds": seconds, "rss_growth_mb": grown, "mb": out.stat().st_size / 1e6},
        }
        out.unlink()
        for name in writers:
            target = scratch / f"{name}.xlsx"
            seconds, cells, grown = timed(
                lambda w=BARE_WRITERS[name], t=target: w(result, t), own_peak=True
            )
            figures[name] = {
                "seconds": seconds,
                "rss_growth_mb": grown,
                "cells": cells,
                "mb": target.stat().st_size / 1e6,
            }
            target.unlink()
    return figures


# --- 4. the command line, dry run --------------------------------------------------------------


def run_child(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``command``; its wall time, exit code and peak RSS (``wait4``: that child only)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Read the pipes while it runs, then reap it with wait4 for its own rusage.
    stdout, stderr = child.stdout.read(), child.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "exit": child.returncode,
        "rss_mb": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "stdout": stdout.decode("utf-8", "replace")[-2000:],
        "stderr": stderr.decode("utf-8", "replace")[-2000:],
    }


def dry_run(path: Path) -> dict[str, Any]:
    """``justclick-import run PATH --dry-run --quiet`` as a subprocess, workbook included."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_name:
        scratch = Path(scratch_name)
        out = scratch / "out.results.xlsx"
        command = [
            sys.executable,
            "-m",
            "justclick_import",
            "run",
            str(path),
            "--dry-run",
            "--quiet",
        ]
        command += ["--journal", str(scratch / "journal.sqlite"), "--out", str(out)]
        figures = run_child(command, env={**os.environ, "PYTHONPATH": str(ROOT)})
        figures["workbook_mb"] = out.stat().st_size / 1e6 if out.exists() else 0.0
    return figures


# --- 5. sending to the sandbox -----------------------------------------------------------------


def sandbox(path: Path, url: str, concurrency: int, orders: int) -> dict[str, Any]:
    """Send ``orders`` valid orders of ``path`` to a running sandbox; orders/s while sending."""
    from justclick_import import ImportConfig, prepare
    from justclick_import.api.client import JustClickClient
    from justclick_import.api.secret import Secret
    from justclick_import.models import OrderStatus
    from justclick_import.sending.journal import Journal
    from justclick_import.sending.options import SendOptions
    from justclick_import.sending.submit import submit_orders

    login, secret = os.environ["BENCH_SANDBOX_LOGIN"], Secret(os.environ["BENCH_SANDBOX_SECRET"])
    chosen = [order for order in prepare(ImportConfig(input=path)).orders if order.is_valid]
    chosen = chosen[:orders]
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_name:
        journal = Journal(Path(scratch_name) / "journal.sqlite")
        options = SendOptions(concurrency=concurrency, rate=None)

        def work() -> Any:
            return submit_orders(
                chosen,
                lambda: JustClickClient(url, login, secret),
                journal=journal,
                login=login,
                import_name=f"bench-{concurrency}-{time.time_ns()}",
                run_id="bench",
                options=options,
            )

        seconds, submission, _ = timed(work)
        journal.close()
    created = sum(1 for result in submission.results if result.status == OrderStatus.CREATED)
    statuses: dict[str, int] = {}
    for result in submission.results:
        statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
    return {
        "seconds": seconds,
        "orders": len(chosen),
        "created": created,
        "statuses": statuses,
        "orders_per_s": len(chosen) / seconds,
        "stop": submission.stopped_by.message if submission.stopped_by else "",
    }


def sandbox_bare(path: Path, url: str, concurrency: int, orders: int) -> dict[str, Any]:
    """The plain tool beside ``sandbox``: the same signed CreateOrder bodies posted by
    ``concurrency`` threads, each with its own ``requests.Session``, no journal, no checks."""
    import threading

    import requests

    from justclick_import import ImportConfig, prepare
    from justclick_import.api.signing import signed_body

    login, secret = os.environ["BENCH_SANDBOX_LOGIN"], os.environ["BENCH_SANDBOX_SECRET"]
    chosen = [order for order in prepare(ImportConfig(input=path)).orders if order.is_valid]
    bodies = [signed_body(order.params(), login, secret).encode() for order in chosen[:orders]]
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    lock = threading.Lock()
    answered = [0]

    def sender(share: list[bytes]) -> None:
        session = requests.Session()
        session.trust_env = False
        for body in share:
            answer = session.post(url + "CreateOrder", data=body, headers=headers, timeout=60)
            with lock:
                answered[0] += answer.status_code == 200

    def work() -> int:
        threads = [
            threading.Thread(target=sender, args=(bodies[i::concurrency],))
            for i in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answered[0]

    seconds, done, _ = timed(work)
    return {"seconds": seconds, "orders": len(bodies), "answered": done,
            "orders_per_s": len(bodies) / seconds}  # fmt: skip


# --- command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run one task and print its figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("task")
    parser.add_argument("path", type=Path)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--sep", default=",")
    parser.add_argument("--writers", default="xlsxwriter")
    parser.add_argument("--url", default="")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--orders", type=int, default=100)
    args = parser.parse_args(argv)
    tasks: dict[str, Callable[[], dict[str, Any]]] = {
        "read-ours": lambda: read_ours(args.path),
        "read-pandas": lambda: read_pandas(args.path, args.encoding, args.sep),
        "read-pyarrow": lambda: read_pyarrow(args.path),
        "read-fastexcel": lambda: read_fastexcel(args.path),
        "read-calamine": lambda: read_calamine(args.path),
        "pipeline": lambda: pipeline(args.path),
        "workbook": lambda: workbook(args.path, [w for w in args.writers.split(",") if w]),
        "dry-run": lambda: dry_run(args.path),
        "sandbox": lambda: sandbox(args.path, args.url, args.concurrency, args.orders),
        "sandbox-bare": lambda: sandbox_bare(args.path, args.url, args.concurrency, args.orders),
    }
    if args.task not in tasks:
        parser.error(f"unknown task {args.task!r}; one of {', '.join(tasks)}")
    print(json.dumps(tasks[args.task]()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
