"""The command group: ``justclick-import`` and its commands."""

from __future__ import annotations

import click

from justclick_import.cli.inspect import check, columns, template
from justclick_import.cli.migration import reconcile, runs, undo
from justclick_import.cli.report_command import report
from justclick_import.cli.run import run
from justclick_import.cli.sandbox_command import sandbox_command
from justclick_import.cli.web_command import web_command
from justclick_import.version import version

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version(), prog_name="justclick-import")
def main() -> None:
    """Import orders from a spreadsheet into a JustClick shop."""


_COMMANDS = (
    run,
    check,
    columns,
    template,
    reconcile,
    runs,
    undo,
    report,
    sandbox_command,
    web_command,
)
for _command in _COMMANDS:
    main.add_command(_command)
