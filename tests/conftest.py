"""Fixtures shared by the tests: a running sandbox and the sample files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from justclick_import.sandbox import Sandbox

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(autouse=True)
def own_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own journal file: none ever touches the user's real one."""
    path = tmp_path_factory.mktemp("journal") / "journal.sqlite"
    monkeypatch.setenv("JUSTCLICK_JOURNAL", str(path))
    return path


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results in English unless a test asks otherwise, whatever this computer's locale."""
    for name in ("LC_ALL", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_MESSAGES", "en_US.UTF-8")


@pytest.fixture
def samples() -> Path:
    """The folder of sample input files."""
    return SAMPLES


@pytest.fixture
def server() -> Iterator[Sandbox]:
    """A JustClick sandbox on 127.0.0.1 for one test."""
    with Sandbox() as running:
        yield running
