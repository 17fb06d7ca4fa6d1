"""Legacy order status words: what the old shop knew of an order (paid, shipped, returned, ...).

Each word means a status to apply (``paid``, ``sent``, ``return``, ``cancel``), none (``""``),
or ``skip``: the row was never a sale (GetCourse's false orders, a CRM deal still open) and its
order is reported, never sent. A preset or a mapping file adds its platform's words; a word
nobody knows is a warning, never a reason to hold an order back. Checked with the other cells;
applied after creation by ``sending.legacy_status``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "MEANINGS",
    "SKIP",
    "STATUSES",
    "StatusVocabulary",
    "fold_status",
    "parse_status",
    "status_vocabulary",
]

STATUSES = ("paid", "sent", "return", "cancel")
SKIP = "skip"
# What a preset or a mapping file may say a word means ("none": nothing to apply).
MEANINGS = (*STATUSES, "none", SKIP)

# Words people's exports use, compared lower-case with punctuation and ё/е folded. A status
# that means "nothing happened yet" maps to "" (nothing to apply).
_WORDS: dict[str, tuple[str, ...]] = {
    "paid": (
        "paid", "payed", "payment received", "completed", "complete",
        "оплачен", "оплачено", "оплачена", "оплата получена", "выполнен", "завершен",
    ),
    "sent": (
        "sent", "shipped", "dispatched", "delivered", "in transit",
        "отправлен", "отправлено", "отправлена", "доставлен", "доставлено", "в пути",
    ),
    "return": ("return", "returned", "refunded", "возврат", "возвращен", "возвращено"),
    "cancel": (
        "cancel", "cancelled", "canceled", "void", "voided",
        "отменен", "отменено", "отмена", "отменена", "аннулирован",
    ),
    "": (
        "new", "waiting", "pending", "unpaid", "open",
        "новый", "ожидает", "ожидает оплаты", "не оплачен", "неоплачен", "в обработке",
    ),
}  # fmt: skip


def fold_status(text: str) -> str:
    """A status word as compared: lower case, punctuation as spaces, ё as е."""
    return re.sub(r"[\W_]+", " ", text.casefold().replace("ё", "е")).strip()


_BY_WORD = {fold_status(word): status for status, words in _WORDS.items() for word in words}


@dataclass(frozen=True)
class StatusVocabulary:
    """What each status word means; ``unknown`` is what a word nobody named means."""

    words: Mapping[str, str] = field(default_factory=lambda: dict(_BY_WORD))
    unknown: str = ""  # "" (none: a warning, unknown-status) or "skip" (a CRM's open stage)

    def knows(self, text: str) -> bool:
        """True when ``text`` is a word this vocabulary names."""
        return fold_status(text) in self.words

    def meaning(self, text: str) -> str:
        """The status ``text`` stands for (``unknown`` when it is not a known word)."""
        return self.words.get(fold_status(text), self.unknown)

    def parse(self, text: str) -> tuple[str, str]:
        """``(status, code)``: the status, and ``unknown-status`` / ``open-deal`` (warnings)."""
        status = self.words.get(fold_status(text))
        if status is not None:
            return status, ""
        return self.unknown, "open-deal" if self.unknown == SKIP else "unknown-status"


def status_vocabulary(
    extra: Mapping[str, str] | None = None,
    *,
    unknown: str = "",
    skip: Iterable[str] = (),
    keep: Iterable[str] = (),
) -> StatusVocabulary:
    """The default words, then ``extra`` (word -> one of ``MEANINGS``), then the words to
    ``skip`` and the words to ``keep`` (created: a skipped word becomes "no status").
    """
    words = dict(_BY_WORD)
    for word, meaning in (extra or {}).items():
        words[fold_status(word)] = "" if meaning == "none" else meaning
    for word in skip:
        words[fold_status(word)] = SKIP
    for word in keep:
        folded = fold_status(word)
        if words.get(folded, unknown) == SKIP:
            words[folded] = ""
    return StatusVocabulary(words, unknown)


_DEFAULT = StatusVocabulary()


def parse_status(text: str) -> tuple[str, str]:
    """``(status, code)`` with the default words: paid, sent, return, cancel, or "" for none;
    an unknown word is "" with the warning ``unknown-status``."""
    return _DEFAULT.parse(text)
