"""``sandbox``: the JustClick stand-in in the foreground, to point the importer (or a person) at."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from justclick_import.cli.hints import SECRET_ENV
from justclick_import.cli.options import fail
from justclick_import.models import ExitStatus

__all__ = ["sandbox_command"]


@click.command("sandbox")
@click.option("--port", type=int, default=0, show_default=True, help="Port (0: any free one).")
@click.option("--catalog", type=click.Path(path_type=Path), help="Product catalog CSV.")
@click.option("--login", default="demo-shop", show_default=True, help="Shop login to accept.")
@click.option(
    "--latency",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="Answer every call this long after it arrived (processing included; requests wait "
    "in parallel).",
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
    from justclick_import.sandbox import Faults, Sandbox  # not for --help

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
