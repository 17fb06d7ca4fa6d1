"""What the command-line modules share: failing with a message, the login and the secret."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from importer.client import Secret
from importer.models import ExitStatus

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
