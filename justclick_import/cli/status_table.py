"""The table ``check`` and a dry run print: each status word, its orders, what happens to them."""

from __future__ import annotations

from justclick_import.models import StatusCount

__all__ = ["status_lines"]


def _action(line: StatusCount) -> str:
    if line.status == "skip":
        return "skipped: not a sale, not sent" + (
            f" (unknown word; --keep-status {line.word!r} creates them)" if not line.known else ""
        )
    if not line.status:
        action = "created, no legacy status"
        if not line.known:
            action += f" (unknown word; --skip-status {line.word!r} if never sales)"
        return action
    return f"created, then marked {line.status} (with --apply-status)"


def status_lines(statuses: list[StatusCount]) -> list[str]:
    """The lines of the status table; none when the file has no status column."""
    if not statuses:
        return []
    width = max(len(line.word or "(none)") for line in statuses)
    count = max(len(str(line.orders)) for line in statuses)
    lines = ["statuses (word, orders, what happens):"]
    for line in statuses:
        word = (line.word or "(none)").ljust(width)
        lines.append(f"  {word}  {str(line.orders).rjust(count)}  {_action(line)}")
    return lines
