"""``run``: import the orders of a file and write the results workbook."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from justclick_import.cli.hints import error_hint
from justclick_import.cli.options import (
    api_options,
    build_config,
    checking_options,
    fail,
    fail_on,
    language_options,
    reading_options,
)
from justclick_import.errors import ImporterError
from justclick_import.models import ExitStatus
from justclick_import.pipeline.config import results_path
from justclick_import.sending.options import DEFAULT_RATE, RESEND_DELAY

if TYPE_CHECKING:
    from justclick_import.events import Event
    from justclick_import.pipeline.outputs import OutputError

__all__ = ["run"]


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Results workbook to write.")
@reading_options
@click.option(
    "--sandbox", is_flag=True, help="Send to an embedded JustClick stand-in on 127.0.0.1."
)
@checking_options
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
@click.option(
    "--resend-delay",
    type=click.FloatRange(0),
    default=RESEND_DELAY,
    show_default=True,
    metavar="SECONDS",
    help="With --resend-uncertain: an order whose answer never came is sent again only once "
    "its latest request is this old (the server may still be creating it).",
)
@click.option(
    "--lookup-first",
    is_flag=True,
    help="Look each order the journal does not know up in the shop before sending it "
    "(after a journal was lost); only those not there are sent.",
)
@click.option(
    "--new-orders",
    is_flag=True,
    help="These orders are new: send them even when an earlier results workbook, or the same "
    "order under another file name, says they were sent.",
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
@language_options
def run(input_path: Path, quiet: bool, as_json: bool, **options: Any) -> None:
    """Import the orders in INPUT (CSV or XLSX) and write a results workbook."""
    # The pipeline loads when a command runs, not for --help or a usage error.
    from justclick_import.cli.migration import reconcile
    from justclick_import.cli.next_steps import step_hints
    from justclick_import.cli.progress import Progress
    from justclick_import.cli.settle import settle_commands
    from justclick_import.cli.signals import Signals
    from justclick_import.cli.summary import fit_encoding, render_summary
    from justclick_import.pipeline.outputs import OutputError
    from justclick_import.pipeline.run import run_import
    from justclick_import.report.json_summary import write_run_summary

    if options["sandbox"] and options["api_url"]:
        fail("choose either --sandbox or --api-url, not both")
    config = build_config(input_path, options)
    config.step_hints = step_hints(config)
    if not config.sandbox:  # a sandbox forgets its orders: nothing to settle after it
        config.settle_commands = settle_commands(
            click.get_current_context(), reconcile, config.language
        )
    progress = None if quiet else Progress(language=config.language)
    signals = Signals()

    def on_event(event: Event) -> None:
        signals.on_event(event)
        if progress is not None:
            progress.on_event(event)

    failure: OutputError | None = None
    try:
        with signals:
            result = run_import(config, events=on_event, cancel=signals.cancel)
    except OutputError as error:  # sent, but the workbook could not be written
        result, failure = error.result, error
    except ImporterError as error:
        fail_on(error)
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
    out = results_path(config)
    with contextlib.suppress(OSError):  # a closed terminal (SIGHUP) must not hide the exit code
        if as_json:  # stdout holds the JSON alone, for a script to parse
            write_run_summary(result, sys.stdout, workbook=None if failure else out)
        summary = render_summary(result, None if failure else out, hints=config.step_hints)
        stream = sys.stderr if as_json else sys.stdout
        click.echo(fit_encoding(summary, getattr(stream, "encoding", None)), err=as_json)
        if failure is not None:
            click.echo(f"error: {failure.message}", err=True)
            click.echo(f"hint: {error_hint(failure.code)}", err=True)
    sys.exit(ExitStatus.OUTPUT_FAILED if failure else result.exit_status())
