"""The results files on disk: can they be written, and an earlier run's results kept."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

__all__ = ["check_writable", "keep_previous_results"]


def check_writable(path: Path) -> str | None:
    """Say why the workbook could not be written to ``path``, or None when it can."""
    folder = path.parent
    if not folder.is_dir():
        return f"the folder {folder} does not exist; create it or choose another output file"
    if path.is_dir():
        return f"{path} is a folder; give a file name for the results workbook"
    probe = path.with_name(path.name + ".tmp")
    try:
        with open(probe, "ab"):
            pass
        probe.unlink()
    except OSError as error:
        return f"cannot write to the folder {folder} ({error.strerror or error})"
    if path.exists():
        try:
            # Appending nothing leaves the file as it was, but fails while Excel holds it open.
            with open(path, "ab"):
                pass
        except OSError as error:
            return (
                f"cannot replace {path} ({error.strerror or error}); "
                "close it in Excel or any other program, or choose another output file"
            )
    return None


def keep_previous_results(path: Path) -> Path | None:
    """Rename an existing ``path`` after the time it was written; return the new name.

    Running the same command again is how people resume, so the results of the earlier run
    are kept: ``orders.results.xlsx`` becomes ``orders.results.2026-11-29T143000.xlsx``.
    """
    if not path.is_file():
        return None
    written = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%dT%H%M%S")
    kept = path.with_name(f"{path.stem}.{written}{path.suffix}")
    number = 1
    while kept.exists():
        number += 1
        kept = path.with_name(f"{path.stem}.{written}-{number}{path.suffix}")
    os.replace(path, kept)
    return kept
