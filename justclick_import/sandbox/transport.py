"""The sandbox's HTTP side: one handler thread per connection, keep-alive, faults applied."""

from __future__ import annotations

import json
import os
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, cast

from justclick_import.sandbox.faults import BLOCKING, Plan, seconds_text

if TYPE_CHECKING:
    from justclick_import.sandbox.server import Sandbox

__all__ = ["SandboxHTTPServer", "function_name"]


def function_name(path: str) -> str:
    """The API function a request path names: ``/api/CreateOrder`` -> ``CreateOrder``."""
    return path.split("?", 1)[0].removeprefix("/api/").strip("/")


class SandboxHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server on ``address`` answering for ``sandbox``."""

    daemon_threads = True
    request_queue_size = 128  # the default 5 drops SYNs of concurrent clients: 1 s retransmits

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        super().__init__(address, _Handler)
        self.sandbox = sandbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up or refused the certificate is what faults are for: stay quiet."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # BrokenPipe, ConnectionReset, ssl.SSLError
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real server behind nginx
    disable_nagle_algorithm = True  # otherwise every small answer waits ~40 ms for a delayed ACK
    timeout = 60  # so abandoned keep-alive connections do not pin threads forever

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the sandbox runs inside tests and the importer's own output."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header by the sandbox's own clock (``Faults.clock_offset``)."""
        sandbox = cast(SandboxHTTPServer, self.server).sandbox
        return super().date_time_string(sandbox.now() if timestamp is None else timestamp)

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, text: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, text.encode() + b"\n", "text/plain; charset=utf-8", extra or {})

    def do_POST(self) -> None:
        """Answer one API call, with the faults the sandbox has been told to inject."""
        length = self.headers.get("Content-Length", "0").strip()
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower() or not length.isdigit():
            self.close_connection = True  # an unread body would be taken for the next request
            self._refuse(411, "Content-Length required")
            return
        body = self.rfile.read(int(length)).decode("utf-8", errors="replace")
        arrived = time.monotonic()
        sandbox = cast(SandboxHTTPServer, self.server).sandbox
        plan = sandbox.plan_faults(function_name(self.path))
        # A call served as usual is answered ``latency`` after it arrived, its processing
        # included, as a server's response time is; a faulty one waits before its fault.
        served = not (plan.blocking or plan.limited or plan.late)
        # A stopping sandbox wakes its sleepers; they hang up like a dropped connection.
        if not (served or sandbox.pause(plan.latency)) or plan.blocking == "drop":
            self.close_connection = True  # the request was read; the client gets no answer
            return
        if plan.blocking is not None:
            status = HTTPStatus(BLOCKING[plan.blocking])
            self._refuse(status, status.phrase, {"Retry-After": seconds_text(plan.retry_after)})
            return
        if plan.limited:
            self._answer(sandbox.signed(8, "Request limit from this address exhausted"))
            return
        if not sandbox.pause(plan.late):  # still "working" when the client gives up
            self.close_connection = True
            return
        try:
            answer = sandbox.dispatch(self.path, body)
        except Exception:  # a sandbox bug must still give the client a well-formed answer
            self.close_connection = True
            self._refuse(500, "Internal sandbox error")
            raise
        if plan.wrong_hash:
            code, text = answer["error_code"], answer["error_text"]
            answer["hash"] = sandbox.wrong_signature(code, text)
        waited = plan.latency - (time.monotonic() - arrived) if served else 0.0
        if not sandbox.pause(waited + plan.slow):
            self.close_connection = True
            return
        if plan.redirect:
            self._refuse(302, "Found", {"Location": "https://justclick.example/login"})
        elif plan.endless or plan.trickle or plan.tls_break:
            self._misbehave(plan, answer)
        else:
            self._answer(answer)

    def _answer(self, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()  # ASCII escapes, as PHP's json_encode writes them
        self._send(200, data, "application/json; charset=utf-8", {})

    def _misbehave(self, plan: Plan, answer: dict[str, Any]) -> None:
        """An answer without end, one trickled byte by byte, or TLS broken after the headers."""
        sandbox = cast(SandboxHTTPServer, self.server).sandbox
        data = json.dumps(answer).encode()
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        if not plan.endless:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            if plan.tls_break:  # bytes past TLS, straight on the socket: no valid record
                self.wfile.flush()
                os.write(self.connection.fileno(), b"\x17\x03\x03\x00\x40" + os.urandom(64))
            elif plan.endless:
                while not sandbox.stopping:
                    self.wfile.write(b" " * 65536)
            else:
                for byte in data:
                    if not sandbox.pause(plan.trickle):
                        return
                    self.wfile.write(bytes([byte]))
        except OSError:  # the client hung up: what it was meant to do
            return

    def _not_allowed(self) -> None:
        self._refuse(405, "Method not allowed", {"Allow": "POST"})

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed
