"""What the command-line modules share: failing with a message, the secret, the option groups."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from justclick_import.api.client import Secret
from justclick_import.models import ExitStatus

SECRET_ENV = "JUSTCLICK_SECRET"
LOGIN_ENV = "JUSTCLICK_LOGIN"


def fail(message: str, status: ExitStatus = ExitStatus.USAGE) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``status``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def read_secret(secret_file: Path | None) -> Secret | None:
    """The API secret from ``--secret-file`` or ``$JUSTCLICK_SECRET`` (never an argument)."""
    if secret_file is not None:
        try:
            return Secret(secret_file.read_text(encoding="utf-8"))
        except OSError as error:
            fail(f"cannot read the secret file {secret_file}: {error.strerror}")
    value = os.environ.get(SECRET_ENV)
    return Secret(value) if value else None


def refuse_secret_argument(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """A ``--secret`` option exists only to explain why there is none."""
    if value is not None:
        raise click.UsageError(
            f"the secret is never passed on the command line (it would show in the shell "
            f"history and the process list); set {SECRET_ENV} or use --secret-file PATH"
        )


def reading_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say how to read the input and understand its headers."""
    for option in reversed(
        [
            click.option("--sheet", help="Sheet of a workbook (default: the first with data)."),
            click.option("--encoding", help="Encoding of a CSV file (default: guessed)."),
            click.option("--delimiter", help="Delimiter of a CSV file (default: guessed)."),
            click.option(
                "--mapping",
                "mapping_file",
                type=click.Path(path_type=Path),
                help='TOML file: [columns] "header in the file" = "field".',
            ),
        ]
    ):
        command = option(command)
    return command


def timezone_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say how dates are read."""
    for option in reversed(
        [
            click.option(
                "--timezone",
                help="Time zone of dates without one, e.g. Europe/Moscow (default: this "
                "computer's).",
            ),
            click.option(
                "--date-format",
                help="How to read 03/04/2026: DMY (day first) or MDY (month first).",
            ),
        ]
    ):
        command = option(command)
    return command


def api_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that talks to JustClick takes."""
    for option in reversed(
        [
            click.option(
                "--api-url", help="API base URL (default https://LOGIN.justclick.io/api/)."
            ),
            click.option("--login", envvar=LOGIN_ENV, help=f"Shop login (or {LOGIN_ENV})."),
            click.option(
                "--secret-file",
                type=click.Path(path_type=Path),
                help=f"File holding the API secret (or set {SECRET_ENV}).",
            ),
            click.option(
                "--secret", hidden=True, expose_value=False, callback=refuse_secret_argument
            ),
            click.option(
                "--journal",
                type=click.Path(path_type=Path),
                help="Journal of what was sent (default: the user's; a --sandbox run: a new one).",
            ),
        ]
    ):
        command = option(command)
    return command
