"""What the commands share: the option groups, the one builder of a config from them, failing.

A command takes its option groups as keyword arguments and hands them to ``build_config``, so
``--sheet`` or ``--timezone`` means the same in ``run``, ``check``, ``columns`` and ``reconcile``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from justclick_import.api.secret import Secret
from justclick_import.cli.hints import LOGIN_ENV, SECRET_ENV, error_hint
from justclick_import.errors import ImporterError
from justclick_import.language import LANGUAGES
from justclick_import.models import ExitStatus
from justclick_import.pipeline.config import ImportConfig
from justclick_import.rows.presets import NO_PRESET, preset_names
from justclick_import.sending.options import SendOptions

__all__ = [
    "api_options",
    "build_config",
    "checking_options",
    "fail",
    "fail_on",
    "language_options",
    "read_secret",
    "reading_options",
]

Command = Callable[..., Any]


def fail(message: str, status: ExitStatus = ExitStatus.USAGE, hint: str = "") -> NoReturn:
    """Print ``error: message`` (and a ``hint:`` line) on stderr and exit with ``status``."""
    click.echo(f"error: {message}", err=True)
    if hint:
        click.echo(f"hint: {hint}", err=True)
    sys.exit(status)


def fail_on(error: ImporterError) -> NoReturn:
    """``fail`` with a library error's message and this command line's hint for its code."""
    fail(error.message, hint=error_hint(error.code, error.facts))


def read_secret(secret_file: Path | None) -> Secret | None:
    """The API secret from ``--secret-file`` or ``$JUSTCLICK_SECRET`` (never an argument)."""
    if secret_file is not None:
        try:
            return Secret(secret_file.read_text(encoding="utf-8"))
        except OSError as error:
            fail(f"cannot read the secret file {secret_file}: {error.strerror}")
    value = os.environ.get(SECRET_ENV)
    return Secret(value) if value else None


def _refuse_secret_argument(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """A ``--secret`` option exists only to explain why there is none."""
    if value is not None:
        raise click.UsageError(
            f"the secret is never passed on the command line (it would show in the shell "
            f"history and the process list); set {SECRET_ENV} or use --secret-file PATH"
        )


def _group(*options: Callable[[Command], Command]) -> Callable[[Command], Command]:
    def apply(command: Command) -> Command:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


reading_options = _group(
    click.option("--sheet", help="Sheet of a workbook (default: the first with data)."),
    click.option("--encoding", help="Encoding of a CSV file (default: guessed)."),
    click.option("--delimiter", help="Delimiter of a CSV file (default: guessed)."),
    click.option(
        "--mapping",
        "mapping_file",
        type=click.Path(path_type=Path),
        help='TOML file: [columns] "header in the file" = "field" (also [statuses], '
        "[products], timezone, currency, preset to extend).",
    ),
    click.option(
        "--preset",
        metavar="NAME",
        help=f"Read the file as a platform's export: {', '.join(preset_names())}; "
        f"{NO_PRESET}: as it is (default: recognised from the headers).",
    ),
)
"""How to read the input and understand its headers."""

checking_options = _group(
    click.option(
        "--timezone",
        help="Time zone of dates without one, e.g. Europe/Moscow (default: this computer's).",
    ),
    click.option(
        "--date-format", help="How to read 03/04/2026: DMY (day first) or MDY (month first)."
    ),
    click.option(
        "--catalog",
        type=click.Path(path_type=Path),
        help="Product catalog CSV (id,title,price,physical): unknown products and goods sent by "
        "post without an address are reported before sending; also the --sandbox's catalog.",
    ),
    click.option(
        "--no-auto-cancel",
        is_flag=True,
        help="Send bill_timer_kill=false: bills never auto-cancel.",
    ),
    click.option(
        "--currency",
        default="RUB",
        show_default=True,
        metavar="CODE",
        help="The shop's currency: orders in another one are reported, never sent.",
    ),
    click.option(
        "--skip-status",
        multiple=True,
        metavar="WORD",
        help="Orders with this status word were never sales: report them, send nothing "
        "(repeatable).",
    ),
    click.option(
        "--keep-status",
        multiple=True,
        metavar="WORD",
        help="Create the orders with this status word even where the preset skips them "
        "(repeatable).",
    ),
)
"""How cells are read and orders checked: what decides which orders a file holds."""

api_options = _group(
    click.option("--api-url", help="API base URL (default https://LOGIN.justclick.io/api/)."),
    click.option("--login", envvar=LOGIN_ENV, help=f"Shop login (or {LOGIN_ENV})."),
    click.option(
        "--secret-file",
        type=click.Path(path_type=Path),
        help=f"File holding the API secret (or set {SECRET_ENV}).",
    ),
    click.option("--secret", hidden=True, expose_value=False, callback=_refuse_secret_argument),
    click.option(
        "--journal",
        type=click.Path(path_type=Path),
        help="Journal of what was sent (default: the user's; a --sandbox run: a new one).",
    ),
)
"""Where orders go: every command that talks to JustClick takes these."""

language_options = _group(
    click.option(
        "--lang",
        "language",
        type=click.Choice(LANGUAGES),
        help="Language of the results workbook and summary (default: this computer's).",
    ),
)
"""The language people read the results in (codes, sheet names and headers stay English)."""

_SEND_OPTIONS = (
    "concurrency",
    "rate",
    "resend_uncertain",
    "fetch_links",
    "apply_status",
    "lookup_first",
    "new_orders",
    "resend_delay",
)


def build_config(input_path: Path, options: dict[str, Any]) -> ImportConfig:
    """The ``ImportConfig`` of a command's parsed options (the one place they are turned into it).

    Option names are the config's field names, but for ``secret_file`` (read into ``secret``),
    ``timeout`` (``read_timeout``), ``rate`` 0 (no limit) and the sending options.
    """
    values = dict(options)
    send = {name: values.pop(name) for name in _SEND_OPTIONS if name in values}
    if "rate" in send:
        send["rate"] = send["rate"] or None
    if "secret_file" in values:
        secret_file = values.pop("secret_file")
        values["secret"] = None if values.get("sandbox") else read_secret(secret_file)
    if "timeout" in values:
        values["read_timeout"] = values.pop("timeout")
    if "login" in values:
        values["login"] = values["login"] or ""
    if "language" in values and values["language"] is None:
        del values["language"]  # the config's default: the system locale's
    return ImportConfig(input=input_path, send=SendOptions(**send), **values)
