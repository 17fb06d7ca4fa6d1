"""Fixtures shared by the tests: a running sandbox and the sample files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from importer.sandbox import Sandbox

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def samples() -> Path:
    """The folder of sample input files."""
    return SAMPLES


@pytest.fixture
def server() -> Iterator[Sandbox]:
    """A JustClick sandbox on 127.0.0.1 for one test."""
    with Sandbox() as running:
        yield running
