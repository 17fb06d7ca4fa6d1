"""Who may talk to the page: the one-time token, the session cookie, the Host header, CSRF.

The page runs on the user's own machine but any web site they visit could try to reach it:
a form posted from another origin (CSRF), a name of theirs re-pointed to 127.0.0.1 (DNS
rebinding). So every request needs the session cookie (set once from the printed URL's token),
names this server in its Host header, and every request that changes something carries the
CSRF token only this server's pages know. The secrets live in this process's memory only.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Iterable

from starlette.datastructures import URL, Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSRF_FIELD", "Guard", "allowed_hosts"]

CSRF_FIELD = "csrf"
_SAFE_METHODS = {"GET", "HEAD"}
_HEADERS = {
    # Scripts and styles only from this server: no inline script, nothing from a CDN.
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # a form's Origin is sent (no-referrer sends "null")
    "cache-control": "no-store",
}
_REFUSED = """<!doctype html><html><head><meta charset="utf-8"><title>403</title></head>
<body><h1>403</h1><p>{ru}</p><p>{en}</p></body></html>"""
_NO_SESSION = (
    "Откройте страницу по ссылке, которую напечатала команда justclick-import web "
    "(ссылка действует один раз: если она уже открыта в другом браузере, запустите команду "
    "заново).",
    "Open the page with the link `justclick-import web` printed (the link works once: if it "
    "was already opened in another browser, start the command again).",
)
_BAD_HOST = (
    "Этот адрес не принадлежит странице импорта.",
    "This address does not belong to the import page.",
)
_BAD_CSRF = (
    "Форма устарела или пришла не с этой страницы: обновите страницу и попробуйте ещё раз.",
    "The form is stale or did not come from this page: reload the page and try again.",
)


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers this server answers: its own address and port (and localhost's)."""
    names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
    shown = {f"[{name}]" if ":" in name else name for name in names}
    return {f"{name}:{port}" for name in shown}


def _refuse(reason: tuple[str, str], status: int = 403) -> Response:
    return HTMLResponse(_REFUSED.format(ru=reason[0], en=reason[1]), status_code=status)


class Guard:
    """ASGI middleware: lets through only requests of the session the printed URL opened."""

    def __init__(self, *, token: str, hosts: Iterable[str], port: int) -> None:
        self.app: ASGIApp | None = None  # the page's application, set when it is built
        self._token = token
        self._token_lock = threading.Lock()
        self._token_used = False
        self._hosts = {host.lower() for host in hosts}
        self._origins = {f"http://{host}" for host in self._hosts}
        self.cookie_name = f"justclick_import_{port}"  # cookies ignore ports: one name each
        self._session = secrets.token_urlsafe(32)
        self.csrf_token = secrets.token_urlsafe(32)

    def _spend_token(self, given: str) -> bool:
        """True once: for the first request that brings the printed URL's token."""
        with self._token_lock:
            if self._token_used or not hmac.compare_digest(given, self._token):
                return False
            self._token_used = True
            return True

    def _has_session(self, request: Request) -> bool:
        cookie = request.cookies.get(self.cookie_name, "")
        return bool(cookie) and hmac.compare_digest(cookie, self._session)

    def _csrf_ok(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is not None and origin.lower() not in self._origins:
            return False
        given = request.query_params.get(CSRF_FIELD) or request.headers.get("x-csrf-token", "")
        return bool(given) and hmac.compare_digest(given, self.csrf_token)

    def _judge(self, scope: Scope) -> Response | None:
        """The response that refuses (or, for the token, opens) the request; None lets it in."""
        headers = Headers(scope=scope)
        if headers.get("host", "").lower() not in self._hosts:
            return _refuse(_BAD_HOST)
        request = Request(scope)
        if not self._has_session(request):
            given = request.query_params.get("token", "")
            if scope["path"] == "/" and given and self._spend_token(given):
                # The token leaves the address bar (and the history) at once.
                opened = RedirectResponse(str(URL("/")), status_code=303)
                opened.set_cookie(
                    self.cookie_name,
                    self._session,
                    httponly=True,
                    samesite="strict",
                    path="/",
                )
                return opened
            return _refuse(_NO_SESSION)
        if scope["method"] not in _SAFE_METHODS and not self._csrf_ok(request):
            return _refuse(_BAD_CSRF)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the guard guards nothing yet"
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        refused = self._judge(scope)
        if refused is not None:
            await refused(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
