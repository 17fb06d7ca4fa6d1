"""Writing a file so that a reader sees the old one or the whole new one, never half of it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomically"]


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; when the block ends it replaces ``path``.

    The temporary file is flushed to disk before the rename, so a crash leaves either the old
    file or the complete new one. If the block raises (anything, a Rust panic included, which
    is a ``BaseException``), the temporary file is removed and ``path`` is left as it was.
    """
    temporary = path.with_name(path.name + ".tmp")
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through ``atomic_path``."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
