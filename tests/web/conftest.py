"""The web page's fixtures: its server on 127.0.0.1 and Debian's Chromium driven by Playwright.

CI (.ci/run) sets JUSTCLICK_REQUIRE_CHROMIUM=1: there a missing Chromium or Playwright fails the
browser tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from justclick_import.web.server import WebServer, WebSettings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_REQUIRED = os.environ.get("JUSTCLICK_REQUIRE_CHROMIUM", "") not in ("", "0")
_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if CHROMIUM_REQUIRED:
        pytest.fail(f"JUSTCLICK_REQUIRE_CHROMIUM is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    if CHROMIUM is None:
        _unavailable("Chromium is not on PATH (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def web(tmp_path: Path) -> Iterator[WebServer]:
    """The page's server on a free port of 127.0.0.1, with a journal of its own."""
    settings = WebSettings(journal=tmp_path / "shop-journal.sqlite")
    with WebServer(settings) as server:
        yield server


@pytest.fixture
def page(browser: Any, web: WebServer) -> Iterator[Any]:
    """A browser tab, in Russian, opened with the server's one-time link."""
    context = browser.new_context(locale="ru-RU", accept_downloads=True)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.goto(web.url)
    yield tab
    context.close()
