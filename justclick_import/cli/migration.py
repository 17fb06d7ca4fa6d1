"""Commands for migrations: settle orders in doubt, list runs, undo a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from justclick_import.cli.hints import error_hint
from justclick_import.cli.options import (
    api_options,
    build_config,
    checking_options,
    fail_on,
    read_secret,
    reading_options,
)
from justclick_import.cli.settle import repeat_command
from justclick_import.errors import ImporterError
from justclick_import.models import ExitStatus

__all__ = ["reconcile", "runs", "undo"]


def _bill_pairs(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, int]:
    pairs: dict[str, int] = {}
    for value in values:
        key, _, bill = value.rpartition("=")
        if not key or not bill.strip().isdigit():
            raise click.BadParameter(f"{value!r}: give ORDER_KEY=BILL_ID, e.g. a@example.ru=1005")
        pairs[key] = int(bill)
    return pairs


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@reading_options
@checking_options
@api_options
@click.option(
    "--bill",
    "bills",
    multiple=True,
    callback=_bill_pairs,
    metavar="ORDER_KEY=BILL_ID",
    help="You found this order in the shop as this bill: record it (repeatable).",
)
@click.option(
    "--not-created",
    multiple=True,
    metavar="ORDER_KEY",
    help="You checked: this order is not in the shop; the next run sends it (repeatable).",
)
def reconcile(
    input_path: Path, bills: dict[str, int], not_created: tuple[str, ...], **options: Any
) -> None:
    """Look up the bills of INPUT's orders in doubt; record those found as created.

    Read INPUT with the same options as the run that sent it: they decide which orders it
    holds. With --bill or --not-created, record what you found in the shop instead.
    """
    from justclick_import.pipeline.run import reconcile_import, settle_by_hand  # not for --help

    ctx = click.get_current_context()
    try:
        config = build_config(input_path, options)
        if bills or not_created:
            for line in settle_by_hand(config, bills=bills, not_created=list(not_created)):
                click.echo(line)
            raise SystemExit(ExitStatus.OK)
        done = reconcile_import(config)
    except ImporterError as error:
        fail_on(error)
    settled = done.settlements
    for settlement in settled:
        found = f"bill {settlement.bill_id}" if settlement.bill_id else "still uncertain"
        click.echo(f"{settlement.order.key}: {found}: {settlement.reason}")
    left = [s for s in settled if s.bill_id is None]
    click.echo(
        f"{len(settled)} orders in doubt: {len(settled) - len(left)} found, {len(left)} still held"
    )
    by_hand = repeat_command(ctx)
    if any(s.bills for s in left):
        click.echo(
            f"for an order there: `{by_hand} --bill ORDER_KEY=BILL_ID`; for one that is not: "
            f"`{by_hand} --not-created ORDER_KEY`"
        )
    if any(s.resendable or s.waiting for s in left):
        click.echo(
            "to send those not in the shop: the run's command with --resend-uncertain"
            + (" (after the time shown)" if any(s.waiting for s in left) else "")
        )
    if done.stop is not None:
        hint = error_hint(done.stop.code)
        click.echo(f"stopped: {done.stop.message}" + (f" ({hint})" if hint else ""), err=True)
        raise SystemExit(ExitStatus.STOPPED)
    raise SystemExit(ExitStatus.SOME_FAILED if left else ExitStatus.OK)


@click.command()
@click.option("--journal", type=click.Path(path_type=Path), help="Journal file.")
def runs(journal: Path | None) -> None:
    """List the runs the journal remembers, newest first (ids for `undo --run`)."""
    from justclick_import.pipeline.migration import list_runs

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
    from justclick_import.pipeline.migration import execute_undo, plan_undo, write_undo_outputs

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
