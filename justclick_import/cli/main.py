"""The command group: ``justclick-import`` and its commands, each loaded when it is asked for.

``--help``, ``--version`` and a usage error load no command's module beyond the one named (and
none of the pipeline): pandas, pandera and the rest come in only when a command runs.
"""

from __future__ import annotations

import importlib

import click

from justclick_import.version import version

__all__ = ["COMMANDS", "main"]

# name: (module in justclick_import.cli, the command's attribute, its one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "run": ("run", "run", "Import the orders in INPUT (CSV or XLSX) and write a results workbook."),
    "check": (
        "inspect",
        "check",
        "Check INPUT and list every problem, grouped by kind; send nothing.",
    ),
    "columns": (
        "inspect",
        "columns",
        "Show how each header of INPUT is understood and which columns are ignored.",
    ),
    "template": (
        "inspect",
        "template",
        "Write an empty orders workbook with the right headers and a sheet explaining them.",
    ),
    "reconcile": (
        "migration",
        "reconcile",
        "Look up the bills of INPUT's orders in doubt; record those found as created.",
    ),
    "runs": (
        "migration",
        "runs",
        "List the runs the journal remembers, newest first (ids for `undo --run`).",
    ),
    "undo": (
        "migration",
        "undo",
        "Cancel (or --delete) exactly the orders one run created, never any other.",
    ),
    "report": (
        "report_command",
        "report",
        "Write INPUT's results workbook again from the journal (nothing is sent).",
    ),
    "sandbox": (
        "sandbox_command",
        "sandbox_command",
        "Run the JustClick stand-in on 127.0.0.1 in the foreground (Ctrl-C stops it).",
    ),
    "web": (
        "web_command",
        "web_command",
        "Open the import as a web page: upload, check, fix, send, download the results.",
    ),
}


class _LazyGroup(click.Group):
    """A group whose commands are imported only when one is used (its list is static)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = COMMANDS.get(cmd_name)
        if found is None:
            return None
        module, attribute, _ = found
        command = getattr(importlib.import_module(f"justclick_import.cli.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, _, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version(), prog_name="justclick-import")
def main() -> None:
    """Import orders from a spreadsheet into a JustClick shop."""
