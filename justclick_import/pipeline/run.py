"""The whole job in one call, as the CLI runs it: prepare, execute, write the outputs."""

from __future__ import annotations

import contextlib
import threading

from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.events import EventSink
from justclick_import.models import RunResult
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.execute import execute, settle_in_doubt
from justclick_import.pipeline.outputs import check_outputs, write_outputs
from justclick_import.pipeline.prepare import prepare
from justclick_import.pipeline.target import open_target
from justclick_import.sending.journal import open_journal
from justclick_import.sending.lock import sending_lock
from justclick_import.sending.reconcile import Settlement

__all__ = ["reconcile_import", "run_import"]


def run_import(
    config: ImportConfig,
    *,
    events: EventSink | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Run the whole import and write the results workbook; return what happened.

    Every order sent is journaled, so running the same import again skips the orders already
    created and holds those in doubt. Raises ``InputError`` (unreadable input) or
    ``ConfigError`` (no login or secret, results file not writable) before anything is sent.

    >>> result = run_import(ImportConfig(input=Path("orders.xlsx"), sandbox=True))  # doctest: +SKIP
    >>> result.exit_status(), [(r.order.key, r.status, r.bill_id) for r in result.results]
    """
    check_outputs(config)
    plan = prepare(config, events=events)
    result = execute(plan, events=events, cancel=cancel)
    write_outputs(result, config)
    return result


def reconcile_import(config: ImportConfig) -> list[Settlement]:
    """Look up the bills of this import's orders in doubt; record those found as created.

    Run before orders in doubt are sent again, and on its own by ``reconcile``.
    """
    if config.dry_run:
        raise ConfigError(ErrorCode.NO_SECRET, "reconciling asks the shop: it cannot be a dry run")
    plan = prepare(config)
    with contextlib.ExitStack() as resources:
        target = resources.enter_context(open_target(config))
        journal = open_journal(target.journal_path)
        resources.callback(journal.close)
        resources.enter_context(sending_lock(target.journal_path))  # not while one is sending
        return settle_in_doubt(plan, journal, target)
