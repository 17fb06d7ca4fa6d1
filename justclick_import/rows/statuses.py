"""Legacy order status words: what the old shop knew of an order (paid, shipped, returned, ...).

Checked with the other cells; applied after creation by ``sending.legacy_status``.
"""

from __future__ import annotations

import re

__all__ = ["STATUSES", "parse_status"]

STATUSES = ("paid", "sent", "return", "cancel")

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
        "cancel", "cancelled", "canceled", "void",
        "отменен", "отменено", "отмена", "отменена", "аннулирован",
    ),
    "": (
        "new", "waiting", "pending", "unpaid", "open",
        "новый", "ожидает", "ожидает оплаты", "не оплачен", "неоплачен", "в обработке",
    ),
}  # fmt: skip


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold().replace("ё", "е")).strip()


_BY_WORD = {_fold(word): status for status, words in _WORDS.items() for word in words}


def parse_status(text: str) -> tuple[str, str]:
    """``(status, code)``: paid, sent, return, cancel, or "" for none; else ``bad-status``."""
    status = _BY_WORD.get(_fold(text))
    if status is None:
        return text, "bad-status"
    return status, ""
