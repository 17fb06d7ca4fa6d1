"""Commands for migrations: settle orders in doubt, list runs, undo a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from justclick_import.cli.options import (
    api_options,
    build_config,
    checking_options,
    fail_on,
    read_secret,
    reading_options,
)
from justclick_import.errors import ImporterError
from justclick_import.models import ExitStatus
from justclick_import.pipeline.migration import (
    execute_undo,
    list_runs,
    plan_undo,
    write_undo_outputs,
)
from justclick_import.pipeline.run import reconcile_import

__all__ = ["reconcile", "runs", "undo"]


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@reading_options
@checking_options
@api_options
def reconcile(input_path: Path, **options: Any) -> None:
    """Look up the bills of INPUT's orders in doubt; record those found as created.

    Read INPUT with the same options as the run that sent it: they decide which orders it holds.
    """
    try:
        settled = reconcile_import(build_config(input_path, options))
    except ImporterError as error:
        fail_on(error)
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
    try:
        records = list_runs(journal)
    except ImporterError as error:
        fail_on(error)
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
    try:
        plan = plan_undo(
            run_id,
            secret=read_secret(secret_file),
            login=login or "",
            api_url=api_url,
            journal=journal,
            delete=delete,
        )
        if not plan.entries:
            click.echo(f"run {run_id} has no created orders left to {plan.verb}")
            raise SystemExit(ExitStatus.OK)
        if not yes:
            click.confirm(
                f"{plan.verb.capitalize()} {len(plan.entries)} orders created by run {run_id}?",
                abort=True,
            )
        outcomes = execute_undo(plan)
    except ImporterError as error:
        fail_on(error)
    path = write_undo_outputs(plan, outcomes, out)
    counts = Counter(outcome.result for outcome in outcomes)
    click.echo(", ".join(f"{n} {result}" for result, n in sorted(counts.items())))
    click.echo(f"results: {path}")
    raise SystemExit(ExitStatus.SOME_FAILED if counts["failed"] else ExitStatus.OK)
