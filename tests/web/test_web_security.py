"""Who gets in: the one-time token, the session cookie, the Host header, CSRF, the limits.

Plain HTTP against the real server on 127.0.0.1 (``web_client``).
"""

from __future__ import annotations

import http.client
import os
import stat
from pathlib import Path

import pytest
from web_client import Client, multipart

from justclick_import.web.server import WebServer, WebSettings


@pytest.fixture
def server(tmp_path: Path) -> WebServer:
    with WebServer(WebSettings(journal=tmp_path / "j.sqlite", upload_limit=4096)) as running:
        yield running


@pytest.mark.parametrize("path", ["/", "/upload", "/send", "/static/app.js", "/history"])
def test_a_request_without_the_token_is_refused(server: WebServer, path: str) -> None:
    assert Client(server).request("GET", path).status == 403


def test_the_printed_link_opens_a_session_once_and_its_cookie_is_httponly_and_strict(
    server: WebServer,
) -> None:
    person = Client(server)
    opened = person.open()
    assert opened.status == 303 and opened.getheader("location") == "/"
    cookie = (opened.getheader("set-cookie") or "").lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert person.request("GET", "/upload").status == 200
    stranger = Client(server)  # the same link again, elsewhere: it was spent
    assert stranger.open().status == 403
    assert stranger.request("GET", "/upload").status == 403
    guessed = Client(server)
    assert guessed.request("GET", "/?token=wrong").status == 403


def test_a_foreign_host_header_is_refused_even_with_the_session(server: WebServer) -> None:
    person = Client(server)
    person.open()
    assert person.request("GET", "/upload", host=f"localhost:{server.port}").status == 200
    for host in (f"evil.example:{server.port}", "127.0.0.1:1", f"127.0.0.1.nip.io:{server.port}"):
        assert person.request("GET", "/upload", host=host).status == 403


def test_a_form_without_the_csrf_token_or_from_another_origin_is_refused(
    server: WebServer, samples: Path
) -> None:
    person = Client(server)
    person.open()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert person.request("POST", "/shop/demo", headers=form).status == 403
    assert person.request("POST", "/shop/demo?csrf=guess", headers=form).status == 403
    token = person.csrf()
    foreign = {**form, "Origin": "http://evil.example"}
    assert person.request("POST", f"/shop/demo?csrf={token}", headers=foreign).status == 403
    assert server.workspace is not None and server.workspace.shop is None
    own = {**form, "Origin": f"http://127.0.0.1:{server.port}"}
    assert person.request("POST", f"/shop/demo?csrf={token}", headers=own).status == 303
    assert server.workspace.shop is not None and server.workspace.shop.demo


def test_uploads_stay_in_a_private_folder_within_the_limit_and_go_when_the_server_stops(
    tmp_path: Path, samples: Path
) -> None:
    server = WebServer(WebSettings(journal=tmp_path / "j.sqlite", upload_limit=4096)).start()
    assert server.wait_started()
    folder = server.folder
    try:
        person = Client(server)
        person.open()
        token = person.csrf()
        body, headers = multipart("../../orders.csv", (samples / "orders.csv").read_bytes())
        taken = person.request("POST", f"/upload?csrf={token}", body=body, headers=headers)
        assert taken.status == 303 and taken.getheader("location") == "/columns"
        assert server.workspace is not None and server.workspace.upload is not None
        stored = server.workspace.upload.original
        assert stored.name == "orders.csv" and folder in stored.parents  # no ../ escape
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
        body, headers = multipart("big.csv", b"bill_email,good_name\n" + b"x" * 10_000)
        refused = person.request("POST", f"/upload?csrf={token}", body=body, headers=headers)
        assert refused.status == 413
        assert not list(folder.rglob("big.csv"))  # cut off, nothing kept
        body, headers = multipart("orders.exe", b"MZ")
        wrong_type = person.request("POST", f"/upload?csrf={token}", body=body, headers=headers)
        assert wrong_type.status == 200  # the upload step again, saying why
        assert not list(folder.rglob("orders.exe"))
    finally:
        server.stop()
    assert not folder.exists()


def test_the_secret_never_appears_in_a_page_a_file_or_a_header(
    server: WebServer, samples: Path
) -> None:
    person = Client(server)
    person.open()
    token = person.csrf()
    secret = "s3cr3t-key-that-must-stay-hidden"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = f"login=myshop&secret={secret}&api_url=https://127.0.0.1:1/api/&go=0".encode()
    answer = person.request("POST", f"/shop/real?csrf={token}", body=body, headers=form)
    assert answer.status == 303
    pages = []
    for path in ("/shop", "/history", "/upload"):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request(
            "GET", path, headers={"Host": f"127.0.0.1:{server.port}", "Cookie": person.cookie}
        )
        got = connection.getresponse()
        pages.append(got.read().decode() + str(got.getheaders()))
        connection.close()
    assert all(secret not in page for page in pages)
    for path in server.folder.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes()


def test_every_page_forbids_framing_and_foreign_scripts(server: WebServer) -> None:
    person = Client(server)
    person.open()
    answer = person.request("GET", "/upload")
    policy = answer.getheader("content-security-policy") or ""
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert answer.getheader("x-frame-options") == "DENY"
    assert answer.getheader("cache-control") == "no-store"
