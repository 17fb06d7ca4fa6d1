"""The page's server: a private folder, the demo shop, the guard, uvicorn in a thread.

``WebServer(...).start()`` binds (a free port by default) and serves until ``stop()``; ``url``
carries the one-time token. Everything it made is gone when it stops: the demo shop, the
uploads, the corrected copies, the results (download them first).
"""

from __future__ import annotations

import logging
import secrets
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import uvicorn

from justclick_import.sandbox import Sandbox
from justclick_import.web.app import build_app
from justclick_import.web.page import Web, make_environment
from justclick_import.web.security import Guard, allowed_hosts
from justclick_import.web.uploads import MAX_UPLOAD_BYTES
from justclick_import.web.workspace import Workspace

__all__ = ["LOOPBACK", "WebServer", "WebSettings"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebSettings:
    """How the page is served."""

    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    journal: Path | None = None  # the real shops' journal (None: the user's default one)
    demo_only: bool = False  # only the demo shop: no real shop can be chosen
    upload_limit: int = MAX_UPLOAD_BYTES
    catalog: Path | None = None  # the demo shop's catalog (None: the sample one)


class WebServer:
    """The page's server; a context manager that starts it and stops it."""

    def __init__(self, settings: WebSettings | None = None) -> None:
        self.settings = settings or WebSettings()
        self._token = secrets.token_urlsafe(32)
        self._folder: Path | None = None
        self._sandbox: Sandbox | None = None
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.workspace: Workspace | None = None
        self.port = 0

    # --- life cycle -------------------------------------------------------------------------

    def _bind(self) -> socket.socket:
        host = self.settings.host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, self.settings.port))
        listener.listen(64)
        listener.setblocking(False)
        return listener

    def start(self) -> WebServer:
        """Make the private folder, start the demo shop, bind and serve in a thread."""
        try:
            self._folder = Path(tempfile.mkdtemp(prefix="justclick-web-"))  # mode 0700
            self._sandbox = Sandbox(self.settings.catalog).start()
            self._socket = self._bind()
            self.port = int(self._socket.getsockname()[1])
            guard = Guard(
                token=self._token,
                hosts=allowed_hosts(self.settings.host, self.port),
                port=self.port,
            )
            self.workspace = Workspace(self._folder / "work", self._sandbox, self.settings.journal)
            web = Web(
                workspace=self.workspace,
                guard=guard,
                demo_only=self.settings.demo_only,
                upload_limit=self.settings.upload_limit,
                environment=make_environment(),
            )
            config = uvicorn.Config(
                build_app(web),
                lifespan="off",
                log_config=None,  # the caller's logging stays as it is
                log_level="warning",
                access_log=False,  # the first request's address holds the token
                timeout_graceful_shutdown=3,
                server_header=False,
            )
            self._server = uvicorn.Server(config)
            listener = self._socket
            self._thread = threading.Thread(
                target=self._server.run,
                kwargs={"sockets": [listener]},
                name="justclick-web",
                daemon=True,
            )
            self._thread.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, *, wait_for_run: float = 60.0) -> None:
        """Cancel a run going (awaiting its answers), stop serving, remove the private folder."""
        workspace = self.workspace
        run = workspace.run if workspace is not None else None
        if run is not None and run.running:
            run.cancel()
            if not run.wait(wait_for_run):
                _log.warning("the run is still waiting for answers; stopping anyway")
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def wait_started(self, timeout: float = 10.0) -> bool:
        """Wait until the server answers; True once it does."""
        done = threading.Event()
        deadline = timeout
        while deadline > 0:
            if self._server is not None and self._server.started:
                return True
            if self._thread is None or not self._thread.is_alive():
                return False
            done.wait(0.02)
            deadline -= 0.02
        return False

    def serve_until_stopped(self) -> None:
        """Block until the server's thread ends (Ctrl-C reaches the caller)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def __enter__(self) -> WebServer:
        self.start()
        self.wait_started()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what it tells ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The server's address, without the token."""
        host = self.settings.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    @property
    def url(self) -> str:
        """The address to open, with the one-time token (shown once, to the one who started it)."""
        return f"{self.base_url}/?token={self._token}"

    @property
    def sandbox(self) -> Sandbox:
        """The demo shop (running while the server is)."""
        assert self._sandbox is not None, "the server is not started"
        return self._sandbox

    @property
    def folder(self) -> Path:
        """The private folder (0700) of uploads and results, removed by ``stop``."""
        assert self._folder is not None, "the server is not started"
        return self._folder
