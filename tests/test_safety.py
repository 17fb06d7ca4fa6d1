"""Safety rails: TLS always verified, no plain http to a real shop, one sender per journal."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from justclick_import import ImportConfig, Secret, run_import
from justclick_import.errors import ConfigError
from justclick_import.models import ExitStatus, OrderStatus
from justclick_import.sandbox import Sandbox
from justclick_import.sending.lock import JournalBusy, sending_lock


@pytest.fixture
def orders_csv(samples: Path, tmp_path: Path) -> Path:
    source = tmp_path / "orders.csv"
    shutil.copy(samples / "orders.csv", source)
    return source


@pytest.fixture
def untrusted_https(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate nobody trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/api/"
    server.shutdown()
    server.server_close()


def test_an_untrusted_certificate_stops_the_run_and_sends_nothing(
    untrusted_https: str, orders_csv: Path
) -> None:
    config = ImportConfig(
        input=orders_csv, login="shop", secret=Secret("s" * 32), api_url=untrusted_https
    )
    result = run_import(config)
    assert result.exit_status() is ExitStatus.STOPPED
    assert "cannot verify the TLS certificate of 127.0.0.1" in result.stop_message
    assert result.results[0].status is OrderStatus.FAILED  # the handshake failed: not sent
    assert {r.status for r in result.results[1:]} == {OrderStatus.NOT_SENT}


def test_plain_http_to_a_shop_is_refused_before_anything_is_sent(orders_csv: Path) -> None:
    config = ImportConfig(
        input=orders_csv,
        login="shop",
        secret=Secret("s" * 32),
        api_url="http://shop.justclick.io/api/",
    )
    with pytest.raises(ConfigError, match="is not https"):
        run_import(config)


def test_a_second_sender_on_the_same_journal_is_refused(
    server: Sandbox, orders_csv: Path, own_journal: Path
) -> None:
    config = ImportConfig(
        input=orders_csv, login=server.login, secret=Secret(server.secret), api_url=server.url
    )
    with sending_lock(own_journal), pytest.raises(JournalBusy, match="let it finish"):
        run_import(config)
    assert server.orders() == []
    assert len(run_import(config).results) == 12  # free again once the other one is done
    assert len(server.orders()) == 12
