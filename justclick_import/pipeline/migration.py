"""Migrations' own steps: the runs a journal remembers, and undoing one run."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import default_api_url
from justclick_import.api.secret import Secret
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.pipeline.target import refuse_credentials_in_url
from justclick_import.report.undo_workbook import undo_report_path, write_undo_workbook
from justclick_import.sending.journal import (
    JournalEntry,
    RunRecord,
    default_journal_path,
    open_journal,
)
from justclick_import.sending.lock import sending_lock
from justclick_import.sending.undo import UndoOutcome, orders_created_by, undo_orders

__all__ = ["UndoPlan", "execute_undo", "list_runs", "plan_undo", "write_undo_outputs"]


def list_runs(journal: Path | None = None) -> list[RunRecord]:
    """Every run the journal remembers, newest first (``ConfigError`` if there is none)."""
    with open_journal(journal or default_journal_path(), must_exist=True) as opened:
        return opened.runs()


@dataclass(frozen=True)
class UndoPlan:
    """What undoing one run will do: its record and the orders it created, still there."""

    run: RunRecord
    entries: list[JournalEntry]
    journal: Path
    api_url: str
    secret: Secret
    delete: bool = False

    @property
    def verb(self) -> str:
        """``cancel`` or ``delete``."""
        return "delete" if self.delete else "cancel"


def plan_undo(
    run_id: str,
    *,
    secret: Secret | None,
    login: str = "",
    api_url: str | None = None,
    journal: Path | None = None,
    delete: bool = False,
) -> UndoPlan:
    """Find the run and the orders it created (nothing is changed yet).

    Raises ``ConfigError``: no journal, no such run, another shop's run, or no secret.
    """
    refuse_credentials_in_url(api_url)
    path = journal or default_journal_path()
    with open_journal(path, must_exist=True) as opened:
        record = next((r for r in opened.runs() if r.run_id == run_id), None)
        if record is None:
            raise ConfigError(ErrorCode.UNKNOWN_RUN, f"the journal has no run {run_id!r}")
        if login and login.casefold() != record.login:
            raise ConfigError(
                ErrorCode.WRONG_SHOP,
                f"run {run_id} sent to the shop {record.login!r}, not {login!r}",
            )
        if secret is None or not secret.reveal():
            raise ConfigError(ErrorCode.NO_SECRET, "no API secret: give the shop's API key")
        entries = orders_created_by(opened, run_id, record.login)
    # The shop the run sent to, unless told otherwise (a sandbox's address is gone by now).
    recorded = record.target if record.target.startswith("https://") else None
    url = api_url or recorded or default_api_url(record.login)
    return UndoPlan(record, entries, path, url, secret, delete)


def execute_undo(
    plan: UndoPlan, *, on_outcome: Callable[[UndoOutcome], None] | None = None
) -> list[UndoOutcome]:
    """Cancel (or delete) the plan's orders, each step journaled; resumable after a crash."""
    client = JustClickClient(plan.api_url, plan.run.login, plan.secret)
    with contextlib.ExitStack() as resources:
        resources.callback(client.close)
        journal = resources.enter_context(open_journal(plan.journal))
        resources.enter_context(sending_lock(plan.journal))  # not while an import sends
        return undo_orders(
            journal,
            client,
            plan.entries,
            login=plan.run.login,
            delete=plan.delete,
            on_outcome=on_outcome,
        )


def write_undo_outputs(plan: UndoPlan, outcomes: list[UndoOutcome], out: Path | None) -> Path:
    """Write the undo's results workbook (default ``undo-RUN.results.xlsx`` here)."""
    path = out or undo_report_path(plan.run.run_id, Path.cwd())
    return write_undo_workbook(path, plan.run.run_id, outcomes)
