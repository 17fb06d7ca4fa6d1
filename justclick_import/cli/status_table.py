"""The table ``check`` and a dry run print: each status word, its orders, what happens to them."""

from __future__ import annotations

from justclick_import.language import Language
from justclick_import.models import StatusCount

__all__ = ["status_lines"]

# The statuses (paid, cancel, ...) and the flags stay as typed: the mapping files take them.
_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "title": "statuses (word, orders, what happens):",
        "none": "(none)",
        "skipped": "skipped: not a sale, not sent",
        "keep": " (unknown word; --keep-status {word} creates them)",
        "created": "created, no legacy status",
        "skip": " (unknown word; --skip-status {word} if never sales)",
        "marked": "created, then marked {status} (with --apply-status)",
    },
    "ru": {
        "title": "статусы (слово, заказов, что с ними будет):",
        "none": "(нет)",
        "skipped": "пропускаются: это не продажи, не отправляются",
        "keep": " (незнакомое слово; с --keep-status {word} они создаются)",
        "created": "создаются, без статуса из старого магазина",
        "skip": " (незнакомое слово; --skip-status {word}, если это не продажи)",
        "marked": "создаются, затем получают статус {status} (с --apply-status)",
    },
}


def _action(line: StatusCount, words: dict[str, str]) -> str:
    if line.status == "skip":
        action, unknown = words["skipped"], words["keep"]
    elif not line.status:
        action, unknown = words["created"], words["skip"]
    else:
        return words["marked"].format(status=line.status)
    return action if line.known else action + unknown.format(word=repr(line.word))


def status_lines(statuses: list[StatusCount], language: Language) -> list[str]:
    """The lines of the status table in ``language``; none when the file has no status column."""
    if not statuses:
        return []
    words = _WORDS[language]
    width = max(len(line.word or words["none"]) for line in statuses)
    count = max(len(str(line.orders)) for line in statuses)
    lines = [words["title"]]
    for line in statuses:
        word = (line.word or words["none"]).ljust(width)
        lines.append(f"  {word}  {str(line.orders).rjust(count)}  {_action(line, words)}")
    return lines
