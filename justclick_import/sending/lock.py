"""One sending process per journal: two at once could both send an order."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from justclick_import.errors import ConfigError, ErrorCode

__all__ = ["JournalBusy", "sending_lock"]


class JournalBusy(ConfigError):
    """Another process is sending with this journal right now."""


@contextlib.contextmanager
def sending_lock(path: Path) -> Iterator[None]:
    """Hold the journal for one sending process.

    An advisory lock on ``<journal>.lock`` (``flock``), released when the process ends, even by
    kill -9. Where ``fcntl`` does not exist (Windows) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JournalBusy(
                ErrorCode.JOURNAL_BUSY,
                f"another justclick-import is sending with the journal {path}: let it finish "
                "(two at once could create an order twice), or use another journal",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
