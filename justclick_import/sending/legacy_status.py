"""Legacy order status: what the old shop knew (paid, shipped, returned, cancelled).

After an order is created, ``UpdateOrderStatus`` marks it as the old shop had it. Marking an
order paid may make JustClick deliver the product and send e-mails, so statuses are applied only
when asked for (``--apply-status``).
"""

from __future__ import annotations

import re

from justclick_import.api.client import STOP_CODES, CallError, JustClickClient
from justclick_import.models import Order
from justclick_import.sending.journal import Journal

__all__ = ["STATUSES", "apply_status", "parse_status", "wanted_status"]

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


def wanted_status(order: Order) -> str:
    """The legacy status to apply to ``order`` ("" when the file gives none)."""
    return order.customer.get("order_status", "")


def apply_status(
    client: JustClickClient,
    journal: Journal | None,
    *,
    login: str,
    identity: str,
    order: Order,
    bill_id: int,
    previous: str = "",
) -> tuple[str, str, str]:
    """Mark a created order as the old shop had it; return ``(step, note, stop)``.

    ``step`` is ``applied``, ``failed`` or ``uncertain`` (no trustworthy answer); ``stop`` says
    why the run must end (bad credentials, API disabled), else "". ``applying``
    is committed before the call, so a crash leaves a trace; on the next run (``previous``
    ``applying`` or ``uncertain``) a paid or cancelled mark already visible in the order is not
    applied again (``sent`` and ``return`` do not show in an order's details: they are).
    """
    status = wanted_status(order)
    date_text = order.customer.get("status_date", "")
    date = int(date_text) if date_text.isdigit() else None
    tracking = order.customer.get("tracking_number", "")
    try:
        if previous in ("applying", "uncertain") and status in ("paid", "cancel"):
            details = client.order_details(bill_id) or {}
            if details.get("pay_status") == status:
                _record(journal, login, identity, "applied", "found applied by an earlier run")
                return "applied", f"status {status} (applied by an earlier run)", ""
        _record(journal, login, identity, "applying")
        answer = client.update_status(bill_id, status, date=date, rpo=tracking)
    except CallError as error:
        _record(journal, login, identity, "uncertain", str(error))
        # With a wrong secret every answer fails verification: an unverifiable 4 is that case.
        stop = STOP_CODES[4].format(login=login) if error.code == 4 else ""
        return "uncertain", f"status {status}: {error}", stop
    if answer.error_code == 0:
        _record(journal, login, identity, "applied")
        return "applied", f"status {status} applied", ""
    text = f"{answer.error_code} {answer.error_text}"
    _record(journal, login, identity, "failed", text)
    stop = STOP_CODES.get(answer.error_code, "").format(login=login)
    return "failed", f"status {status} not applied: {text}", stop


def _record(journal: Journal | None, login: str, identity: str, state: str, text: str = "") -> None:
    if journal is not None:
        journal.record_status(login, identity, state, text)
