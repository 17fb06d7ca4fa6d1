"""The package's version, single-sourced from its metadata (``pyproject.toml``)."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _distribution_version

__all__ = ["DISTRIBUTION", "version"]

DISTRIBUTION = "justclick-import"


@functools.cache
def version() -> str:
    """The installed distribution's version (``0+unknown`` when run from an uninstalled tree)."""
    try:
        return _distribution_version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"
