"""The run for scripts: a JSON summary with the same facts as the workbook's sheets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from justclick_import.models import RunResult
from justclick_import.report.tables import (
    PROBLEMS_HEADERS,
    created_total,
    file_sha256,
    order_status_counts,
    problem_code_counts,
    problem_line,
    row_status_counts,
    settling,
    sorted_problems,
)

__all__ = ["SCHEMA_VERSION", "run_summary", "run_summary_text", "write_run_summary"]

SCHEMA_VERSION = 1  # raised when a key changes meaning or goes away; new keys may appear


def run_summary(
    result: RunResult,
    *,
    workbook: Path | None = None,
) -> dict[str, Any]:
    """The facts of a run as JSON-ready data: counts, every order, every problem.

    ``workbook`` is where the results workbook was written.
    """
    problems = sorted_problems(result)
    return {
        "schema": SCHEMA_VERSION,
        "input": {
            "file": str(result.source),
            "sha256": file_sha256(result.source),
            "sheet": result.sheet_name,
            "rows": len(result.rows),
            "read_as": result.source_format.describe() if result.source_format else "",
        },
        "login": result.login,
        "target": result.target,
        "started": result.started.isoformat(),
        "finished": result.finished.isoformat(),
        "duration_seconds": round((result.finished - result.started).total_seconds(), 3),
        "exit_status": int(result.exit_status()),
        "stopped_because": result.stop_message,
        "stop_code": str(result.stop_code) if result.stop_code else None,
        "interrupted": result.interrupted,
        "import_name": result.import_name,
        "run_id": result.run_id,
        "journal": str(result.journal_path) if result.journal_path else None,
        "workbook": str(workbook) if workbook else None,
        "previous_results": str(result.previous_results) if result.previous_results else None,
        "counts": {
            "orders": order_status_counts(result),
            "rows": row_status_counts(result.row_statuses()),
            "problems": len(problems),
            "rows_with_problems": len({problem.row for problem in problems}),
            "problems_by_code": dict(problem_code_counts(problems)),
        },
        "created_total": created_total(result),
        "orders": [
            {
                "key": r.order.key,
                "email": r.order.email,
                "status": r.status.value,
                "bill_id": r.bill_id,
                "error_code": r.error_code,
                "error": r.error_text,
                "goods": [line.good_name for line in r.order.lines],
                "total": r.order.total,
                "rows": list(r.order.rows),
                "link": r.link,
                "legacy_status": r.status_note,
                "doubt": r.doubt.value if r.doubt else None,
                "look_again_after": r.resend_after or None,
            }
            for r in result.results
        ],
        "to_settle_orders_in_doubt": settling(result),
        "problems": [dict(zip(PROBLEMS_HEADERS, problem_line(p), strict=True)) for p in problems],
    }


def write_run_summary(
    result: RunResult,
    stream: TextIO,
    *,
    workbook: Path | None = None,
) -> None:
    """Write ``run_summary`` to ``stream`` as one JSON document."""
    summary = run_summary(result, workbook=workbook)
    json.dump(summary, stream, indent=1)  # ASCII: safe on any console encoding
    stream.write("\n")


def run_summary_text(result: RunResult, *, workbook: Path | None = None) -> str:
    """``run_summary`` as one JSON document (ASCII), for a file."""
    return json.dumps(run_summary(result, workbook=workbook), indent=1) + "\n"
