"""The text ``run`` prints at the end: counts, where things went, what to do next."""

from __future__ import annotations

import shlex
from collections import Counter
from pathlib import Path

from justclick_import.cli.hints import error_hint
from justclick_import.models import Doubt, OrderStatus, RunResult
from justclick_import.report.tables import settling

__all__ = ["render_summary"]


def _doubt_lines(result: RunResult) -> list[str]:
    """Each kind of doubt among the orders: how many, a few of them, what settles them."""
    lines = []
    for kind, line in settling(result).items():
        found = [r for r in result.results if r.doubt is not None and r.doubt == kind]
        lines.append(f"in doubt: {line}")
        if kind == Doubt.CHECK:  # each has its own bills to look at
            lines += [f"  {r.order.key}: {r.error_text}" for r in found[:5]]
            if len(found) > 5:
                lines.append(f"  ... and {len(found) - 5} more (see the results workbook)")
        else:
            keys = [r.order.key for r in found]
            more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
            lines.append(f"  ({', '.join(keys[:5])}{more})")
    unsettled = [r for r in result.results if r.status is OrderStatus.UNCERTAIN and not r.doubt]
    if unsettled:
        source = shlex.quote(str(result.source))
        lines.append(
            f"in doubt: {len(unsettled)} orders were sent without a trustworthy answer and may "
            f"exist; `justclick-import reconcile {source}` looks them up"
        )
    return lines


def render_summary(result: RunResult, out: Path | None) -> str:
    """The end-of-run summary for the terminal (``out`` None: the workbook was not written)."""
    counts = Counter(r.status for r in result.results)
    shown = ", ".join(f"{counts[s]} {s.value}" for s in OrderStatus if counts[s])
    lines = [
        f"{result.source.name}: {len(result.row_numbers)} rows, {len(result.results)} orders"
        + (f" ({shown})" if shown else ""),
    ]
    if result.source_format:
        lines.append(f"read as {result.source_format}")
    if result.looked_up:
        lines.append(f"looked up before sending: {result.looked_up} orders found in the shop")
    errors = [p for p in result.problems if p.is_error]
    if errors:
        lines.append(f"{len(errors)} problems in {len({p.row for p in errors})} rows")
    if result.ignored_columns:
        ignored = result.ignored_columns
        more = f" and {len(ignored) - 20} more (listed in the results)" if len(ignored) > 20 else ""
        lines.append(f"ignored columns (never sent): {', '.join(ignored[:20])}{more}")
    if result.timezone:
        lines.append(f"dates without a time zone are read in {result.timezone}")
    lines.append(f"target: {result.target}" + (f" (login {result.login})" if result.login else ""))
    wanted = Counter(r.order.customer.get("order_status", "") for r in result.results)
    wanted.pop("", None)
    if wanted:
        shown_statuses = ", ".join(f"{n} {status}" for status, n in sorted(wanted.items()))
        steps = Counter(r.status_step for r in result.results if r.status_step)
        applied = ", ".join(f"{n} {step}" for step, n in sorted(steps.items()))
        lines.append(
            f"legacy status: {shown_statuses} "
            + (f"({applied})" if applied else "(applied only with --apply-status)")
        )
    if counts[OrderStatus.UNCERTAIN]:
        lines += _doubt_lines(result)
    if result.stop_message:
        hint = error_hint(result.stop_code)
        lines.append(f"stopped: {result.stop_message}" + (f" ({hint})" if hint else ""))
    if result.interrupted:
        lines.append("interrupted: orders not yet sent are marked not_sent")
    if result.journal_path is not None and result.target != "sandbox":
        lines.append(f"journal: {result.journal_path}")
    if out is None:
        lines.append("results: NOT written (see the error below)")
    else:
        lines.append(f"results: {out}")
    if result.previous_results is not None:
        lines.append(f"previous results kept as {result.previous_results.name}")
    return "\n".join(lines)
