"""The whole job, stage by stage: read, map, validate, assemble, submit, report."""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from justclick_import.api.client import JustClickClient, Secret, default_api_url
from justclick_import.errors import ConfigError
from justclick_import.models import Order, OrderResult, RowProblem, RunResult
from justclick_import.orders.assemble import assemble_orders
from justclick_import.orders.checks import check_orders
from justclick_import.report.csv_files import check_csv_folder, write_csv_reports
from justclick_import.report.workbook import check_writable, keep_previous_results, write_workbook
from justclick_import.rows.columns import (
    ColumnMap,
    Overrides,
    header_recogniser,
    load_mapping,
    map_columns,
)
from justclick_import.rows.dates import date_rules
from justclick_import.rows.validate import validate_rows
from justclick_import.sending.journal import (
    Journal,
    default_journal_path,
    import_name,
    sending_lock,
)
from justclick_import.sending.reconcile import Settlement, reconcile_orders
from justclick_import.sending.submit import SendOptions, submit_orders
from justclick_import.sources.catalog import read_catalog
from justclick_import.sources.sheet import Sheet, read_sheet

__all__ = [
    "ImportConfig",
    "Prepared",
    "prepare",
    "read_input",
    "reconcile_import",
    "results_path",
    "run_import",
]


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
    journal: Path | None = None  # default: journal.default_journal_path()
    no_auto_cancel: bool = False  # send bill_timer_kill=false: legacy bills never auto-cancel
    send: SendOptions = field(default_factory=SendOptions)
    mapping_file: Path | None = None  # TOML [columns] "header" = "field", for other headers
    timezone: str | None = None  # IANA zone of dates without an offset; default this machine's
    date_format: str | None = None  # "DMY" or "MDY": how 03/04/2026 is read; default refuse
    catalog: Path | None = None  # id,title,price,physical: products checked before sending
    report_csv: Path | None = None  # a folder for the Orders, Rows and Problems tables as CSV


@dataclass
class Prepared:
    """A file read, mapped, validated and grouped into orders: everything before sending."""

    sheet: Sheet
    mapping: ColumnMap
    orders: list[Order]
    problems: list[RowProblem]
    timezone: str = ""  # the zone dates without an offset were read in


def results_path(config: ImportConfig) -> Path:
    """Where the results workbook goes: ``--out``, or ``<input stem>.results.xlsx`` beside it."""
    if config.out is not None:
        return config.out
    return config.input.with_name(f"{config.input.stem}.results.xlsx")


@contextlib.contextmanager
def _gc_paused(*, settle: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while a stage builds millions of lasting objects.

    Rows, lines, orders and problems hold no reference cycles, yet each collection walks all of
    them again: on a million lines that made assembling orders 3x slower. Nothing is leaked:
    reference counting still frees what is dropped, and the few cycles made meanwhile are
    collected once the collector resumes (if it was on). With ``settle``, one full collection
    then makes them old at once (0.9 s for 1M lines) rather than walking them up through each
    younger generation while the next stage runs (1.9 s for the sender's results).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            if settle:
                gc.collect()


def read_input(config: ImportConfig, overrides: Overrides) -> Sheet:
    """Read the input as ``config`` says, finding the header row with the mapping's help."""
    return read_sheet(
        config.input,
        sheet=config.sheet,
        encoding=config.encoding,
        delimiter=config.delimiter,
        is_header=header_recogniser(overrides),
    )


@_gc_paused(settle=True)
def prepare(config: ImportConfig) -> Prepared:
    """Read, map, validate and assemble the input; raises ``InputError`` for an unusable file."""
    overrides = load_mapping(config.mapping_file) if config.mapping_file else {}
    rules = date_rules(config.timezone, config.date_format)
    catalog = read_catalog(config.catalog) if config.catalog else None
    sheet = read_input(config, overrides)
    mapping = map_columns(sheet.headers, source=config.input, overrides=overrides)
    valid = validate_rows(sheet, mapping, rules=rules)
    orders, grouping_problems = assemble_orders(valid, headers=mapping.fields)
    order_problems = check_orders(orders, valid, catalog=catalog, headers=mapping.fields)
    problems = sorted(
        [*valid.problems, *grouping_problems, *order_problems], key=lambda p: (p.row, p.column)
    )
    return Prepared(sheet, mapping, orders, problems, rules.zone_name)


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _client_factory(config: ImportConfig) -> Callable[[], JustClickClient] | None:
    """A maker of clients (one per sender thread), or None for a dry run."""
    if config.dry_run:
        return None
    if not config.login:
        raise ConfigError("no JustClick login: pass --login or set JUSTCLICK_LOGIN")
    secret = config.secret
    if secret is None or not secret.reveal():
        raise ConfigError("no API secret: set JUSTCLICK_SECRET or pass --secret-file PATH")
    api_url = config.api_url or default_api_url(config.login)
    parts = urlsplit(api_url)
    if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        raise ConfigError(
            f"the API URL {api_url} is not https: orders and signed requests would travel "
            "unencrypted; use https:// (plain http is only for a sandbox on 127.0.0.1)"
        )

    def make_client() -> JustClickClient:
        return JustClickClient(
            api_url,
            config.login,
            secret,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
        )

    return make_client


def _open_journal(path: Path) -> Journal:
    try:
        return Journal(path)
    except (OSError, sqlite3.Error) as error:
        raise ConfigError(
            f"cannot open the journal {path}: {error}; choose another file with --journal"
        ) from None


def _reconcile(
    orders: list[Order],
    journal: Journal,
    make_client: Callable[[], JustClickClient],
    login: str,
    name: str,
) -> list[Settlement]:
    client = make_client()
    try:
        return reconcile_orders(orders, journal, client, login=login, import_name=name)
    finally:
        client.close()


def reconcile_import(config: ImportConfig) -> list[Settlement]:
    """Look up the bills of this import's orders in doubt; record those found as created.

    Run before ``--resend-uncertain`` sends anything, and on its own by ``reconcile``.
    """
    prepared = prepare(config)
    make_client = _client_factory(replace(config, dry_run=False))
    if make_client is None:  # pragma: no cover - only a dry run has none
        raise ConfigError("reconciling needs the API")
    journal_path = config.journal or default_journal_path()
    journal = _open_journal(journal_path)
    try:
        with sending_lock(journal_path):  # not while an import is sending with this journal
            return _reconcile(
                prepared.orders, journal, make_client, config.login, import_name(config.input)
            )
    finally:
        journal.close()


def run_import(
    config: ImportConfig,
    *,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[OrderResult], None] | None = None,
) -> RunResult:
    """Run the whole import and write the results workbook; return what happened.

    Every order sent is journaled (``--journal``), so running the same import again skips the
    orders already created and holds those in doubt. Raises ``InputError`` (unreadable input)
    or ``ConfigError`` (no login or secret, results file not writable) before anything is sent.
    """
    started = datetime.now()
    out = results_path(config)
    problem = check_writable(out)
    if problem:
        raise ConfigError(f"cannot write the results to {out}: {problem}")
    if config.report_csv is not None:
        problem = check_csv_folder(config.report_csv)
        if problem:
            raise ConfigError(f"cannot write the CSV files to {config.report_csv}: {problem}")
    prepared = prepare(config)
    if config.no_auto_cancel:
        for order in prepared.orders:
            order.customer["bill_timer_kill"] = "0"  # PHP's false
    make_client = _client_factory(config)
    if config.dry_run:
        target = "dry run"
    else:
        target = config.target_label or config.api_url or default_api_url(config.login)
    name = import_name(config.input)
    run_id = started.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    journal_path = config.journal or default_journal_path()
    journal = _open_journal(journal_path)
    with contextlib.ExitStack() as resources:
        resources.callback(journal.close)
        if make_client is not None:  # one sender per journal: two could send an order twice
            resources.enter_context(sending_lock(journal_path))

            journal.begin_run(run_id, config.login, name, str(config.input), target)
        if on_start is not None:
            on_start(len(prepared.orders))
        options = config.send
        if make_client is not None and options.resend_uncertain:
            # Only what the bills show was not created is sent again; the rest stays held.
            settled = _reconcile(prepared.orders, journal, make_client, config.login, name)
            held = {s.identity for s in settled if s.bill_id is None and not s.resendable}
            options = replace(options, hold=frozenset(held))
        if options.fetch_links and not options.shop_url:  # relative links hang off the shop
            api = urlsplit(config.api_url or default_api_url(config.login))
            options = replace(options, shop_url=f"{api.scheme}://{api.netloc}")
        submission = submit_orders(
            prepared.orders,
            make_client,
            journal=journal,
            login=config.login,
            import_name=name,
            run_id=run_id,
            options=options,
            on_result=on_result,
        )
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
            run_id=run_id if make_client is not None else "",
            import_name=name,
            journal_path=journal_path,
            ignored_columns=list(prepared.mapping.ignored),
            timezone=prepared.timezone,
        )
        if make_client is not None:
            journal.finish_run(run_id, result.exit_status().name.lower())
    # Running the same command again is how people resume: keep what the last run wrote.
    result.previous_results = keep_previous_results(out)
    with _gc_paused():
        write_workbook(result, out)
    if config.report_csv is not None:
        write_csv_reports(result, config.report_csv, out.stem)
    return result
