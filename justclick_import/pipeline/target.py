"""Where a run sends: the shop's API (checked before anything is sent), the sandbox, or nowhere."""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import default_api_url
from justclick_import.api.secret import Secret
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.pipeline.config import ImportConfig
from justclick_import.sandbox import Sandbox
from justclick_import.sending.journal import default_journal_path

__all__ = ["DRY_RUN", "SANDBOX", "Target", "open_target", "redact_url", "refuse_credentials_in_url"]

DRY_RUN = "dry run"
SANDBOX = "sandbox"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

ClientMaker = Callable[[], JustClickClient]


def redact_url(url: str) -> str:
    """``url`` with any user name and password in it replaced by ``***``."""
    return re.sub(r"^([^:/?#]*:?//)[^/?#]*@", r"\1***@", url)


def refuse_credentials_in_url(api_url: str | None) -> None:
    """Raise ``ConfigError`` for an API URL holding a user name or password.

    JustClick signs requests with the secret and needs no password in the address; one there
    would be printed, journaled and written into the results (it is never shown here).
    """
    if not api_url:
        return
    if redact_url(api_url) != api_url:
        raise ConfigError(
            ErrorCode.CREDENTIALS_IN_URL,
            f"the API URL {redact_url(api_url)} holds a user name or password: JustClick "
            "needs none (requests are signed with the API secret), and a password there would "
            "end up in the output and the results; give the address without it",
        )


@dataclass(frozen=True)
class Target:
    """What a run talks to: a maker of clients (one per sender; None for a dry run)."""

    label: str  # the API URL, "sandbox" or "dry run"
    login: str
    api_url: str
    journal_path: Path
    make_client: ClientMaker | None


@contextlib.contextmanager
def open_target(config: ImportConfig) -> Iterator[Target]:
    """The run's target for the duration of the block.

    A ``sandbox`` run starts the stand-in on 127.0.0.1 and, unless a journal is given, uses a
    throw-away one: the sandbox forgets its orders when it stops. Raises ``ConfigError`` for a
    missing login or secret, or an API URL that is not https.
    """
    refuse_credentials_in_url(config.api_url)
    journal = config.journal or default_journal_path()
    if config.dry_run:
        yield Target(DRY_RUN, config.login, "", journal, None)
        return
    if config.sandbox and not config.api_url:
        with Sandbox(config.catalog) as server, tempfile.TemporaryDirectory() as scratch:
            journal = config.journal or Path(scratch) / "sandbox-journal.sqlite"
            maker = _client_maker(config, server.url, server.login, Secret(server.secret))
            yield Target(SANDBOX, server.login, server.url, journal, maker)
        return
    if not config.login:
        raise ConfigError(ErrorCode.NO_LOGIN, "no JustClick login: say which shop to send to")
    secret = config.secret
    if secret is None or not secret.reveal():
        raise ConfigError(ErrorCode.NO_SECRET, "no API secret: give the shop's API key")
    api_url = config.api_url or default_api_url(config.login)
    parts = urlsplit(api_url)
    if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        raise ConfigError(
            ErrorCode.INSECURE_API_URL,
            f"the API URL {api_url} is not https: orders and signed requests would travel "
            "unencrypted; use https:// (plain http is only for a sandbox on 127.0.0.1)",
        )
    label = config.target_label or api_url
    yield Target(
        label, config.login, api_url, journal, _client_maker(config, api_url, config.login, secret)
    )


def _client_maker(config: ImportConfig, api_url: str, login: str, secret: Secret) -> ClientMaker:
    def make_client() -> JustClickClient:
        return JustClickClient(
            api_url,
            login,
            secret,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            ca_bundle=str(config.ca_bundle) if config.ca_bundle else None,
        )

    return make_client
