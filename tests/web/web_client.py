"""Plain HTTP against the page's real server on 127.0.0.1, no browser (http.client sends any
Host header we like)."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from justclick_import.web.server import WebServer


class Client:
    """One person's HTTP session with the page: its cookie, and the requests it makes."""

    def __init__(self, server: WebServer) -> None:
        self.server = server
        self.cookie = ""

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        host: str | None = None,
    ) -> http.client.HTTPResponse:
        return self.exchange(method, path, body=body, headers=headers, host=host)[0]

    def exchange(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        host: str | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        """``request``, with the answer's whole body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        sent = {"Host": host or f"127.0.0.1:{self.server.port}", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        content = answer.read()
        connection.close()
        return answer, content

    def text(self, path: str, *, language: str = "ru") -> str:
        """The page at ``path`` as a browser asking for ``language`` gets it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        sent = {
            "Host": f"127.0.0.1:{self.server.port}",
            "Cookie": self.cookie,
            "Accept-Language": language,
        }
        connection.request("GET", path, headers=sent)
        answer = connection.getresponse()
        page = answer.read().decode()
        connection.close()
        assert answer.status == 200, (path, answer.status)
        return page

    def open(self) -> http.client.HTTPResponse:
        """Follow the printed link once, keeping the cookie it sets."""
        parts = urlsplit(self.server.url)
        answer = self.request("GET", f"{parts.path}?{parts.query}")
        cookie = answer.getheader("set-cookie") or ""
        self.cookie = cookie.split(";", 1)[0]
        return answer

    def csrf(self) -> str:
        """The CSRF token, as the page's own forms carry it."""
        return self.text("/upload").split("csrf=", 1)[1].split('"', 1)[0]

    def submit(
        self, path: str, fields: dict[str, str], *, headers: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        """Send one of the page's forms as the browser does: its CSRF token, this Origin."""
        sent = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{self.server.port}",
            **(headers or {}),
        }
        form = urlencode(fields).encode()
        return self.request("POST", f"{path}?csrf={self.csrf()}", body=form, headers=sent)

    def download(self, path: str, *, headers: dict[str, str] | None = None) -> bytes:
        """The file the page gives at ``path``."""
        answer, content = self.exchange("GET", path, headers=headers)
        assert answer.status == 200, (path, answer.status)
        return content

    def upload(self, path: Path, *, name: str | None = None) -> http.client.HTTPResponse:
        """Send the file at ``path`` (under ``name``) as the upload step's form does."""
        body, headers = multipart(name or path.name, path.read_bytes())
        return self.request("POST", f"/upload?csrf={self.csrf()}", body=body, headers=headers)


def multipart(name: str, content: bytes) -> tuple[bytes, dict[str, str]]:
    """A form with one file field holding ``content`` under the file name ``name``."""
    boundary = "----justclick-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
