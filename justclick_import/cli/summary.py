"""The text ``run`` prints at the end: counts, where things went, what to do next."""

from __future__ import annotations

import shlex
from collections import Counter
from pathlib import Path

from justclick_import.cli.hints import error_hint
from justclick_import.cli.status_table import status_lines
from justclick_import.models import OrderStatus, RunResult

__all__ = ["render_summary"]


def render_summary(result: RunResult, out: Path) -> str:
    """The end-of-run summary for the terminal."""
    counts = Counter(r.status for r in result.results)
    shown = ", ".join(f"{counts[s]} {s.value}" for s in OrderStatus if counts[s])
    lines = [
        f"{result.source.name}: {len(result.row_numbers)} rows, {len(result.results)} orders"
        + (f" ({shown})" if shown else ""),
    ]
    errors = [p for p in result.problems if p.is_error]
    if errors:
        lines.append(f"{len(errors)} problems in {len({p.row for p in errors})} rows")
    by_status = sum(1 for r in result.results if r.order.skipped_by_status)
    if by_status:
        lines.append(f"{by_status} orders skipped by their status (never sales), not sent")
    if result.preset:
        lines.append(f"read with the preset {result.preset}")
    if result.ignored_columns:
        lines.append(f"ignored columns (never sent): {', '.join(result.ignored_columns)}")
    if result.timezone:
        lines.append(f"dates without a time zone are read in {result.timezone}")
    lines.append(f"target: {result.target}" + (f" (login {result.login})" if result.login else ""))
    wanted = Counter(r.order.customer.get("order_status", "") for r in result.results)
    wanted.pop("", None)
    wanted.pop("skip", None)
    if wanted:
        shown_statuses = ", ".join(f"{n} {status}" for status, n in sorted(wanted.items()))
        steps = Counter(r.status_step for r in result.results if r.status_step)
        applied = ", ".join(f"{n} {step}" for step, n in sorted(steps.items()))
        lines.append(
            f"legacy status: {shown_statuses} "
            + (f"({applied})" if applied else "(applied only with --apply-status)")
        )
    if result.target == "dry run":
        lines.extend(status_lines(result.statuses))
    if counts[OrderStatus.UNCERTAIN]:
        source = shlex.quote(str(result.source))
        lines.append(
            f"in doubt: {counts[OrderStatus.UNCERTAIN]} orders were sent without a trustworthy "
            f"answer and may exist; `justclick-import reconcile {source}` looks them up, and "
            "--resend-uncertain then sends the ones not found"
        )
    if result.stop_message:
        hint = error_hint(result.stop_code)
        lines.append(f"stopped: {result.stop_message}" + (f" ({hint})" if hint else ""))
    if result.interrupted:
        lines.append("interrupted: orders not yet sent are marked not_sent")
    if result.journal_path is not None and result.target != "sandbox":
        lines.append(f"journal: {result.journal_path}")
    lines.append(f"results: {out}")
    if result.previous_results is not None:
        lines.append(f"previous results kept as {result.previous_results.name}")
    return "\n".join(lines)
