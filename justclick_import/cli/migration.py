"""Commands for migrations: settle orders in doubt, list runs, undo a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from justclick_import.api.client import JustClickClient, default_api_url
from justclick_import.cli.options import (
    SECRET_ENV,
    api_options,
    fail,
    read_secret,
    reading_options,
    timezone_options,
)
from justclick_import.errors import ImporterError
from justclick_import.models import ExitStatus
from justclick_import.pipeline.run import ImportConfig, reconcile_import
from justclick_import.sending.journal import Journal, default_journal_path, sending_lock
from justclick_import.sending.undo import (
    orders_created_by,
    undo_orders,
    undo_report_path,
    write_undo_workbook,
)

__all__ = ["reconcile", "runs", "undo"]


def _open_journal(path: Path | None) -> Journal:
    journal_path = path or default_journal_path()
    if not journal_path.exists():
        fail(f"no journal at {journal_path}: nothing was sent from here yet (or pass --journal)")
    return Journal(journal_path)


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@reading_options
@timezone_options
@api_options
def reconcile(
    input_path: Path,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    mapping_file: Path | None,
    timezone: str | None,
    date_format: str | None,
    api_url: str | None,
    login: str | None,
    secret_file: Path | None,
    journal: Path | None,
) -> None:
    """Look up the bills of INPUT's orders in doubt; record those found as created.

    Read INPUT with the same options as the run that sent it: they decide which orders it holds.
    """
    config = ImportConfig(
        input=input_path,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        mapping_file=mapping_file,
        timezone=timezone,
        date_format=date_format,
        login=login or "",
        secret=read_secret(secret_file),
        api_url=api_url,
        journal=journal,
    )
    try:
        settled = reconcile_import(config)
    except ImporterError as error:
        fail(str(error))
    for settlement in settled:
        found = f"bill {settlement.bill_id}" if settlement.bill_id else "still uncertain"
        click.echo(f"{settlement.order.key}: {found}: {settlement.reason}")
    left = sum(1 for s in settled if s.bill_id is None)
    click.echo(f"{len(settled)} orders in doubt: {len(settled) - left} found, {left} still held")
    raise SystemExit(ExitStatus.SOME_FAILED if left else ExitStatus.OK)


@click.command()
@click.option("--journal", type=click.Path(path_type=Path), help="Journal file.")
def runs(journal: Path | None) -> None:
    """List the runs the journal remembers, newest first (ids for `undo --run`)."""
    with _open_journal(journal) as opened:
        records = opened.runs()
    if not records:
        click.echo("no runs yet")
    for record in records:
        click.echo(
            f"{record.run_id}  {record.started[:19]}  {record.login}  {record.source}"
            f"  -> {record.target}  {record.created} created  ({record.outcome or 'unfinished'})"
        )


@click.command()
@click.option("--run", "run_id", required=True, help="The run to undo (see `runs`).")
@click.option("--delete", is_flag=True, help="Delete the orders instead of cancelling them.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--out", type=click.Path(path_type=Path), help="Results workbook of the undo.")
@api_options
def undo(
    run_id: str,
    delete: bool,
    yes: bool,
    out: Path | None,
    api_url: str | None,
    login: str | None,
    secret_file: Path | None,
    journal: Path | None,
) -> None:
    """Cancel (or --delete) exactly the orders one run created, never any other."""
    with _open_journal(journal) as opened:
        record = next((r for r in opened.runs() if r.run_id == run_id), None)
        if record is None:
            fail(f"the journal has no run {run_id!r}; `justclick-import runs` lists them")
        if login and login.casefold() != record.login:
            fail(f"run {run_id} sent to the shop {record.login!r}, not {login!r}")
        secret = read_secret(secret_file)
        if secret is None:
            fail(f"no API secret: set {SECRET_ENV} or pass --secret-file PATH")
        entries = orders_created_by(opened, run_id, record.login)
        verb = "delete" if delete else "cancel"
        if not entries:
            click.echo(f"run {run_id} has no created orders left to {verb}")
            raise SystemExit(ExitStatus.OK)
        if not yes:
            click.confirm(f"{verb.capitalize()} {len(entries)} orders created by run {run_id}?",
                          abort=True)  # fmt: skip
        # The shop the run sent to, unless told otherwise (a sandbox's address is gone by now).
        recorded = record.target if record.target.startswith("https://") else None
        url = api_url or recorded or default_api_url(record.login)
        client = JustClickClient(url, record.login, secret)
        try:
            with sending_lock(opened.path):  # not while an import sends with this journal
                outcomes = undo_orders(opened, client, entries, login=record.login, delete=delete)
        except ImporterError as error:
            fail(str(error))
        finally:
            client.close()
    path = out or undo_report_path(run_id, Path.cwd())
    write_undo_workbook(path, run_id, outcomes)
    counts = Counter(outcome.result for outcome in outcomes)
    click.echo(", ".join(f"{n} {result}" for result, n in sorted(counts.items())))
    click.echo(f"results: {path}")
    raise SystemExit(ExitStatus.SOME_FAILED if counts["failed"] else ExitStatus.OK)
