"""The results workbook written again from the journal, at any time, without sending anything.

For when a run's outputs could not be written (a full disk), were lost, or are wanted again:
the input is read as the run read it, and each order is shown as the journal has it now.
"""

from __future__ import annotations

from datetime import datetime

from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.models import OrderResult, OrderStatus, RunResult
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.outputs import Outputs, write_outputs
from justclick_import.pipeline.prepare import prepare
from justclick_import.sending.identity import order_identity
from justclick_import.sending.journal import JournalEntry, default_journal_path, open_journal
from justclick_import.sending.journal_records import RunRecord
from justclick_import.sending.states import IN_DOUBT, OrderState
from justclick_import.sending.submit import invalid_summary

__all__ = ["report_from_journal"]

_STATUS = {
    OrderState.CREATED: OrderStatus.CREATED,
    OrderState.ALREADY_EXISTS: OrderStatus.ALREADY_EXISTS,
    OrderState.FAILED: OrderStatus.FAILED,
}


def _result(order_result: OrderResult, entry: JournalEntry | None) -> OrderResult:
    if entry is None:
        return order_result
    if entry.state in IN_DOUBT:
        status = OrderStatus.UNCERTAIN
    elif entry.state == OrderState.UNDONE:
        status = OrderStatus.NOT_SENT
    else:
        status = _STATUS.get(OrderState(entry.state), OrderStatus.UNCERTAIN)
    text = entry.error_text or f"{entry.state.replace('_', ' ')} (as the journal has it)"
    bill = entry.bill_id if status in (OrderStatus.CREATED, OrderStatus.ALREADY_EXISTS) else None
    return OrderResult(order_result.order, status, bill, entry.error_code, text)


def _latest_run(runs: list[RunRecord], login: str, name: str) -> RunRecord | None:
    return next(
        (r for r in runs if r.import_name == name and (not login or r.login == login.casefold())),
        None,
    )


def report_from_journal(config: ImportConfig) -> tuple[RunResult, Outputs]:
    """Read ``config.input``, show each of its orders as the journal has it, write the outputs.

    The login is ``config.login``, else that of the latest run of this import. Raises
    ``ConfigError`` when there is no journal or it never saw this import.
    """
    plan = prepare(config)
    path = config.journal or default_journal_path()
    with open_journal(path, must_exist=True) as journal:
        run = _latest_run(journal.runs(), config.login, plan.import_name)
        if run is None:
            raise ConfigError(
                ErrorCode.UNKNOWN_RUN,
                f"the journal {path} has no run of the import {plan.import_name!r}",
            )
        identities = [order_identity(order, plan.import_name) for order in plan.orders]
        entries = journal.entries(run.login, identities)
    results = []
    for order, identity in zip(plan.orders, identities, strict=True):
        if order.is_valid:
            base = OrderResult(order, OrderStatus.NOT_SENT)
        else:
            base = OrderResult(order, OrderStatus.INVALID, error_text=invalid_summary(order))
        results.append(_result(base, entries.get(identity)))
    result = RunResult(
        source=config.input,
        sheet_name=plan.sheet.sheet_name,
        rows=plan.sheet.frame,
        row_numbers=plan.sheet.row_numbers,
        problems=plan.problems,
        results=results,
        login=run.login,
        target=run.target,
        started=datetime.fromisoformat(run.started),
        finished=datetime.fromisoformat(run.finished or run.started),
        run_id=run.run_id,
        import_name=plan.import_name,
        journal_path=path,
        ignored_columns=list(plan.mapping.ignored),
        timezone=plan.timezone,
        source_format=plan.sheet.source_format,
        stop_message="" if run.outcome else "the run did not finish (it was stopped or killed)",
        language=config.language,
    )
    return result, write_outputs(result, config)
