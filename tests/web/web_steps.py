"""Steps the browser tests share: uploading a file, going on, keeping a screenshot."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

# Where the step screenshots go when asked for (docs/web holds the README's).
SCREENSHOTS = os.environ.get("JUSTCLICK_WEB_SCREENSHOTS", "")


def upload(tab: Any, base_url: str, path: Path) -> None:
    """Choose ``path`` on the upload step (the page sends it at once); wait for Columns."""
    tab.goto(f"{base_url}/upload")
    tab.set_input_files("input[type=file][data-testid=upload]", str(path))
    tab.wait_for_url(re.compile(r"/columns$"))


def go_on(tab: Any, step: str) -> None:
    """Press the step's Next and wait for the page of ``step``."""
    tab.click("[data-testid=next]")
    tab.wait_for_url(re.compile(rf"/{step}(\?.*)?$"))


def choose_demo_shop(tab: Any) -> None:
    """On the Shop step, choose the demo shop; the Send step follows."""
    tab.click("[data-testid=target-sandbox]")
    tab.wait_for_url(re.compile(r"/send$"))


def wait_for_results(tab: Any) -> None:
    """Wait until the run's end takes the page to the Results step."""
    tab.wait_for_url(re.compile(r"/results$"), timeout=60_000)


def screenshot(tab: Any, name: str) -> None:
    """Keep a picture of the step when ``JUSTCLICK_WEB_SCREENSHOTS`` names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
