"""The command line: parse options, build a config, call the library, print a summary, exit."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click

from justclick_import import __version__
from justclick_import.api.client import Secret
from justclick_import.cli.inspect import check, columns, template
from justclick_import.cli.migration import reconcile, runs, undo
from justclick_import.cli.options import (
    SECRET_ENV,
    api_options,
    fail,
    read_secret,
    reading_options,
    timezone_options,
)
from justclick_import.cli.progress import Progress
from justclick_import.errors import ImporterError
from justclick_import.models import ExitStatus, OrderStatus, RunResult
from justclick_import.pipeline.run import ImportConfig, results_path, run_import
from justclick_import.report.json_summary import write_run_summary
from justclick_import.sending.submit import DEFAULT_RATE, SendOptions

__all__ = ["main"]


def _summary(result: RunResult, out: Path) -> str:
    counts = Counter(r.status for r in result.results)
    shown = ", ".join(f"{counts[s]} {s.value}" for s in OrderStatus if counts[s])
    lines = [
        f"{result.source.name}: {len(result.row_numbers)} rows, {len(result.results)} orders"
        + (f" ({shown})" if shown else ""),
    ]
    errors = [p for p in result.problems if p.is_error]
    if errors:
        lines.append(f"{len(errors)} problems in {len({p.row for p in errors})} rows")
    if result.ignored_columns:
        lines.append(f"ignored columns (never sent): {', '.join(result.ignored_columns)}")
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
    if result.stop_message:
        lines.append(f"stopped: {result.stop_message}")
    if result.interrupted:
        lines.append("interrupted: orders not yet sent are marked not_sent")
    if result.journal_path is not None and result.target != "sandbox":
        lines.append(f"journal: {result.journal_path}")
    lines.append(f"results: {out}")
    if result.previous_results is not None:
        lines.append(f"previous results kept as {result.previous_results.name}")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="justclick-import")
def main() -> None:
    """Import orders from a spreadsheet into a JustClick shop."""


for _command in (reconcile, runs, undo):
    main.add_command(_command)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Results workbook to write.")
@reading_options
@click.option(
    "--sandbox", is_flag=True, help="Send to an embedded JustClick stand-in on 127.0.0.1."
)
@click.option(
    "--catalog",
    type=click.Path(path_type=Path),
    help="Product catalog CSV (id,title,price,physical): unknown products and goods sent by "
    "post without an address are reported before sending; also the --sandbox's catalog.",
)
@timezone_options
@api_options
@click.option("--dry-run", is_flag=True, help="Check and assemble everything, send nothing.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Orders in flight at once.",
)
@click.option(
    "--rate",
    type=click.FloatRange(0),
    default=DEFAULT_RATE,
    show_default=True,
    help="At most this many requests a second (0: no limit).",
)
@click.option(
    "--resend-uncertain",
    is_flag=True,
    help="Send again orders sent before without a trustworthy answer (they may exist).",
)
@click.option("--fetch-links", is_flag=True, help="Ask each created order's payment link.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option(
    "--timeout",
    type=click.FloatRange(0.1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for an answer (an order whose answer never came is 'uncertain').",
)
@click.option(
    "--apply-status",
    is_flag=True,
    help="Mark created orders paid/sent/returned/cancelled as the file says "
    "(paid may make JustClick deliver the product and e-mail the customer).",
)
@click.option(
    "--no-auto-cancel", is_flag=True, help="Send bill_timer_kill=false: bills never auto-cancel."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON summary (counts, every order and problem) on stdout; the human "
    "summary goes to stderr.",
)
@click.option(
    "--report-csv",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also write the Orders, Rows and Problems tables as UTF-8 CSV files into DIR.",
)
def run(
    input_path: Path,
    out: Path | None,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    sandbox: bool,
    catalog: Path | None,
    mapping_file: Path | None,
    timezone: str | None,
    date_format: str | None,
    api_url: str | None,
    login: str | None,
    secret_file: Path | None,
    dry_run: bool,
    journal: Path | None,
    concurrency: int,
    rate: float,
    resend_uncertain: bool,
    fetch_links: bool,
    quiet: bool,
    timeout: float,
    apply_status: bool,
    no_auto_cancel: bool,
    as_json: bool,
    report_csv: Path | None,
) -> None:
    """Import the orders in INPUT (CSV or XLSX) and write a results workbook."""
    if sandbox and api_url:
        fail("choose either --sandbox or --api-url, not both")
    config = ImportConfig(
        input=input_path,
        out=out,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        login=login or "",
        secret=None if sandbox else read_secret(secret_file),
        api_url=api_url,
        dry_run=dry_run,
        journal=journal,
        mapping_file=mapping_file,
        timezone=timezone,
        date_format=date_format,
        catalog=catalog,
        read_timeout=timeout,
        no_auto_cancel=no_auto_cancel,
        report_csv=report_csv,
        send=SendOptions(
            apply_status=apply_status,
            concurrency=concurrency,
            rate=rate or None,
            resend_uncertain=resend_uncertain,
            fetch_links=fetch_links,
        ),
    )
    progress = None if quiet else Progress()
    server = None
    with contextlib.ExitStack() as cleanup:
        try:
            if sandbox and not dry_run:
                from justclick_import.sandbox import (
                    Sandbox,  # only a --sandbox run needs the server
                )

                server = Sandbox(catalog).start()
                cleanup.callback(server.stop)
                config.login, config.secret = server.login, Secret(server.secret)
                config.api_url, config.target_label = server.url, "sandbox"
                if config.journal is None:  # the sandbox forgets its orders: so does its journal
                    scratch = cleanup.enter_context(tempfile.TemporaryDirectory())
                    config.journal = Path(scratch) / "sandbox-journal.sqlite"
            result = run_import(
                config,
                on_start=progress.start if progress else None,
                on_result=progress if progress else None,
            )
        except ImporterError as error:
            fail(str(error))
        except (OSError, ValueError) as error:
            fail(str(error))
        except KeyboardInterrupt:
            fail(
                "interrupted; every order sent so far is in the journal: run the same command "
                "again to resume (nothing is sent twice)",
                ExitStatus.INTERRUPTED,
            )
        finally:
            if progress is not None:
                progress.close()
    if as_json:  # stdout holds the JSON alone, for a script to parse
        write_run_summary(result, sys.stdout, workbook=results_path(config))
    click.echo(_summary(result, results_path(config)), err=as_json)
    sys.exit(result.exit_status())


@main.command("sandbox")
@click.option("--port", type=int, default=0, show_default=True, help="Port (0: any free one).")
@click.option("--catalog", type=click.Path(path_type=Path), help="Product catalog CSV.")
@click.option("--login", default="demo-shop", show_default=True, help="Shop login to accept.")
@click.option(
    "--latency",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="Wait this long before every answer (requests wait in parallel).",
)
@click.option(
    "--fail-503",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Answer the first N requests with HTTP 503 (nothing is created).",
)
@click.option(
    "--fail-429",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Answer the next N requests (after the 503s) with HTTP 429 (nothing is created).",
)
@click.option(
    "--retry-after",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="Retry-After header of the 503 and 429 answers.",
)
@click.option(
    "--drop",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Read the first N requests, then close the connection without an answer "
    "(nothing is created).",
)
@click.option(
    "--slow",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Create the order of the first N CreateOrder calls, then answer only after "
    "--slow-seconds (the client times out not knowing).",
)
@click.option(
    "--slow-seconds",
    type=click.FloatRange(min=0),
    default=90.0,
    show_default=True,
    metavar="SECONDS",
    help="How late the --slow answers come.",
)
@click.option(
    "--wrong-hash",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Process the first N calls as usual (orders are created) but sign their answers "
    "with a wrong secret.",
)
def sandbox_command(
    port: int,
    catalog: Path | None,
    login: str,
    latency: float,
    fail_503: int,
    fail_429: int,
    retry_after: float,
    drop: int,
    slow: int,
    slow_seconds: float,
    wrong_hash: int,
) -> None:
    """Run the JustClick stand-in on 127.0.0.1 in the foreground (Ctrl-C stops it).

    Fault options make it misbehave on purpose; each count applies to the first N requests
    that reach it, after which it serves normally.
    """
    from justclick_import.sandbox import Faults, Sandbox

    try:
        faults = Faults(
            latency=latency,
            retry_after=retry_after,
            fail_503=fail_503,
            fail_429=fail_429,
            drop=drop,
            slow=slow,
            slow_seconds=slow_seconds,
            wrong_hash=wrong_hash,
        )
        # Bind before printing, so the banner shows the real port; serve after.
        server = Sandbox(catalog, login=login, port=port, faults=faults).bind()
    except (OSError, ValueError) as error:
        fail(str(error))
    click.echo(f"JustClick sandbox at {server.url}")
    click.echo(f"login:  {server.login}")
    # The sandbox's own throw-away key: showing it is how a person points the importer at it.
    click.echo(f"secret: {server.secret}")
    active = faults.describe()
    click.echo("faults: none" if not active else "\n  ".join(["faults:", *active]))
    click.echo(
        f"try: {SECRET_ENV}=<secret> justclick-import run FILE --api-url {server.url} "
        f"--login {server.login}"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
        sys.exit(ExitStatus.INTERRUPTED)


for _command in (check, columns, template):
    main.add_command(_command)
