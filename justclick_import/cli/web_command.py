"""``web``: the import as a web page on this computer, for people who do not use a terminal."""

from __future__ import annotations

import ipaddress
import webbrowser
from pathlib import Path

import click

from justclick_import.cli.options import fail

__all__ = ["web_command"]

_EXTRA = "the web page needs its extra packages: pip install 'justclick-import[web]'"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("web")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: free).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
@click.option("--sandbox", is_flag=True, help="Only the demo shop: no real shop can be chosen.")
@click.option(
    "--journal",
    type=click.Path(path_type=Path),
    help="Journal of what was sent to real shops (default: the user's).",
)
def web_command(
    port: int, host: str, no_browser: bool, sandbox: bool, journal: Path | None
) -> None:
    """Open the import as a web page: upload, check, fix, send, download the results.

    The first line printed is the page's address with a one-time token: only the browser that
    opens it gets in. Ctrl-C stops the page and removes its files (download the results first).
    """
    try:
        from justclick_import.web.server import WebServer, WebSettings
    except ImportError:
        fail(_EXTRA)
    settings = WebSettings(host=host, port=port, journal=journal, demo_only=sandbox)
    server = WebServer(settings)
    try:
        server.start()
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}")
    try:
        if not server.wait_started():
            fail(f"the page's server did not start on {host}:{port}")
        click.echo(server.url)  # the first line: a launcher or a test reads it
        if not _loopback(host):
            click.echo(
                f"warning: listening on {host}, not only on this computer: anyone who can reach "
                "it and has the link can send orders to your shop",
                err=True,
            )
        click.echo("Ctrl-C stops the page (its uploads and results are removed).", err=True)
        if not no_browser:
            webbrowser.open(server.url)
        server.serve_until_stopped()
    except KeyboardInterrupt:
        click.echo("stopping: a run that is sending finishes its answers first", err=True)
    finally:
        server.stop()
