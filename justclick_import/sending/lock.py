"""One sending process per journal: two at once could both send an order."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from justclick_import.errors import ConfigError, ErrorCode

__all__ = ["JournalBusy", "sending_lock"]


class JournalBusy(ConfigError):
    """Another process is sending with this journal right now."""


def _busy(path: Path) -> JournalBusy:
    return JournalBusy(
        ErrorCode.JOURNAL_BUSY,
        f"another justclick-import is sending with the journal {path}: let it finish "
        "(two at once could create an order twice), or use another journal",
    )


@contextlib.contextmanager
def sending_lock(path: Path) -> Iterator[None]:
    """Hold the journal for one sending process.

    An advisory lock (``flock``) on the journal file itself, so the same file reached through
    a symlink or a hard link is the same lock (a lock belongs to the file, not to its name),
    and on ``<journal>.lock`` as earlier versions take it. Both are released when the process
    ends, even by kill -9. ``flock`` locks are apart from the ``fcntl`` locks SQLite takes on
    the same file, so they never disturb it. Where ``fcntl`` does not exist (Windows) there is
    no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as held:
        # The file itself: its device and inode, whatever name it is opened by.
        descriptor = os.open(path, os.O_RDONLY | os.O_CREAT, 0o600)
        held.callback(os.close, descriptor)
        legacy = held.enter_context(open(path.with_name(path.name + ".lock"), "a+b"))
        for handle in (descriptor, legacy.fileno()):
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _busy(path) from None
            held.callback(fcntl.flock, handle, fcntl.LOCK_UN)
        yield
