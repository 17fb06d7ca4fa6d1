"""The whole job, stage by stage: read, map, validate, assemble, submit, report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from importer.assemble import assemble_orders
from importer.client import JustClickClient, Secret, default_api_url
from importer.columns import ColumnMap, map_columns
from importer.errors import ConfigError
from importer.models import Order, OrderResult, RowProblem, RunResult
from importer.read import Sheet, read_sheet
from importer.report import check_writable, write_workbook
from importer.submit import submit_orders
from importer.validate import validate_rows

__all__ = ["ImportConfig", "Prepared", "prepare", "results_path", "run_import"]


@dataclass
class ImportConfig:
    """What one import run does: which file, where to send it, where the results go."""

    input: Path
    out: Path | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    login: str = ""
    secret: Secret | None = None
    api_url: str | None = None
    target_label: str | None = None  # shown instead of the URL, e.g. "sandbox"
    dry_run: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 60.0


@dataclass
class Prepared:
    """A file read, mapped, validated and grouped into orders: everything before sending."""

    sheet: Sheet
    mapping: ColumnMap
    orders: list[Order]
    problems: list[RowProblem]


def results_path(config: ImportConfig) -> Path:
    """Where the results workbook goes: ``--out``, or ``<input stem>.results.xlsx`` beside it."""
    if config.out is not None:
        return config.out
    return config.input.with_name(f"{config.input.stem}.results.xlsx")


def prepare(config: ImportConfig) -> Prepared:
    """Read, map, validate and assemble the input; raises ``InputError`` for an unusable file."""
    sheet = read_sheet(
        config.input, sheet=config.sheet, encoding=config.encoding, delimiter=config.delimiter
    )
    mapping = map_columns(sheet.headers, source=config.input)
    valid = validate_rows(sheet, mapping)
    orders, grouping_problems = assemble_orders(valid, headers=mapping.fields)
    problems = sorted([*valid.problems, *grouping_problems], key=lambda p: (p.row, p.column))
    return Prepared(sheet, mapping, orders, problems)


def _client(config: ImportConfig) -> JustClickClient | None:
    if config.dry_run:
        return None
    if not config.login:
        raise ConfigError("no JustClick login: pass --login or set JUSTCLICK_LOGIN")
    if config.secret is None or not config.secret.reveal():
        raise ConfigError("no API secret: set JUSTCLICK_SECRET or pass --secret-file PATH")
    api_url = config.api_url or default_api_url(config.login)
    return JustClickClient(
        api_url,
        config.login,
        config.secret,
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
    )


def run_import(
    config: ImportConfig, *, on_result: Callable[[OrderResult], None] | None = None
) -> RunResult:
    """Run the whole import and write the results workbook; return what happened.

    Raises ``InputError`` (unreadable input) or ``ConfigError`` (no login or secret, results
    file not writable) before anything is sent.
    """
    started = datetime.now()
    out = results_path(config)
    problem = check_writable(out)
    if problem:
        raise ConfigError(f"cannot write the results to {out}: {problem}")
    prepared = prepare(config)
    client = _client(config)
    try:
        submission = submit_orders(prepared.orders, client, on_result=on_result)
    finally:
        if client is not None:
            client.close()
    if config.dry_run:
        target = "dry run"
    else:
        target = config.target_label or config.api_url or default_api_url(config.login)
    result = RunResult(
        source=config.input,
        sheet_name=prepared.sheet.sheet_name,
        rows=prepared.sheet.frame,
        row_numbers=prepared.sheet.row_numbers,
        problems=prepared.problems,
        results=submission.results,
        login=config.login,
        target=target,
        started=started,
        finished=datetime.now(),
        stop_message=submission.stop_message,
        interrupted=submission.interrupted,
    )
    write_workbook(result, out)
    return result
