"""``report``: the results workbook written again from the journal, sending nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from justclick_import.cli.hints import error_hint
from justclick_import.cli.options import (
    build_config,
    checking_options,
    fail,
    fail_on,
    language_options,
    reading_options,
)
from justclick_import.errors import ImporterError
from justclick_import.models import ExitStatus

__all__ = ["report"]


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Results workbook to write.")
@reading_options
@checking_options
@click.option("--login", envvar="JUSTCLICK_LOGIN", help="Shop login (default: the latest run's).")
@click.option("--journal", type=click.Path(path_type=Path), help="Journal file.")
@click.option(
    "--report-csv",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also write the Orders, Rows and Problems tables as UTF-8 CSV files into DIR.",
)
@language_options
def report(input_path: Path, **options: Any) -> None:
    """Write INPUT's results workbook again from the journal (nothing is sent).

    Read INPUT with the same options as the run that sent it; each order is shown as the
    journal has it now.
    """
    from justclick_import.cli.next_steps import step_hints
    from justclick_import.cli.summary import render_summary  # the pipeline: not for --help
    from justclick_import.pipeline.outputs import OutputError
    from justclick_import.pipeline.report_again import report_from_journal

    config = build_config(input_path, options)
    config.step_hints = step_hints(config)  # each next step's command, as after a run
    try:
        result, outputs = report_from_journal(config)
    except OutputError as error:
        fail(error.message, ExitStatus.OUTPUT_FAILED, error_hint(error.code))
    except ImporterError as error:
        fail_on(error)
    click.echo(render_summary(result, outputs.workbook, hints=config.step_hints))
    sys.exit(ExitStatus.OK)
