"""The status words of a file's orders: how many orders each, and what happens to them."""

from __future__ import annotations

from justclick_import.models import Order, StatusCount
from justclick_import.rows.statuses import StatusVocabulary, fold_status

__all__ = ["count_statuses"]


def count_statuses(orders: list[Order], vocabulary: StatusVocabulary) -> list[StatusCount]:
    """One line per status word (as first written), in order of first appearance; none when
    the file has no status column. Orders without a word count under ``""``."""
    if not any(order.status_word for order in orders):
        return []
    counts: dict[str, list[str | int]] = {}
    folded: dict[str, str] = {}  # a file has a few words: each folded once
    for order in orders:
        key = folded.get(order.status_word)
        if key is None:
            key = folded[order.status_word] = fold_status(order.status_word)
        entry = counts.setdefault(key, [order.status_word, 0])
        entry[1] = int(entry[1]) + 1
    return [
        StatusCount(
            str(word),
            int(n),
            vocabulary.meaning(str(word)) if word else "",
            not word or vocabulary.knows(str(word)),
        )
        for word, n in counts.values()
    ]
