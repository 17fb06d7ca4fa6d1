"""Legacy order status: what the old shop knew (paid, shipped, returned, cancelled), applied.

After an order is created, ``UpdateOrderStatus`` marks it as the old shop had it. Marking an
order paid may make JustClick deliver the product and send e-mails, so statuses are applied only
when asked for.
"""

from __future__ import annotations

from justclick_import.api.answers import CallError
from justclick_import.api.client import JustClickClient
from justclick_import.api.codes import Stop, stop_for
from justclick_import.models import Order
from justclick_import.sending.journal import Journal
from justclick_import.sending.states import StatusStep

__all__ = ["apply_status", "wanted_status"]


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
) -> tuple[StatusStep, str, Stop | None]:
    """Mark a created order as the old shop had it; return ``(step, note, stop)``.

    ``step`` is ``applied``, ``failed`` or ``uncertain`` (no trustworthy answer); ``stop`` says
    why the run must end (bad credentials, API disabled), else None. ``applying`` is committed
    before the call, so a crash leaves a trace; on the next run (``previous`` ``applying`` or
    ``uncertain``) a paid or cancelled mark already visible in the order is not applied again
    (``sent`` and ``return`` do not show in an order's details: they are).
    """
    status = wanted_status(order)
    date_text = order.customer.get("status_date", "")
    date = int(date_text) if date_text.isdigit() else None
    tracking = order.customer.get("tracking_number", "")
    try:
        if previous in _IN_DOUBT and status in ("paid", "cancel"):
            details = client.order_details(bill_id) or {}
            if details.get("pay_status") == status:
                note = "found applied by an earlier run"
                _record(journal, login, identity, StatusStep.APPLIED, note)
                return StatusStep.APPLIED, f"status {status} (applied by an earlier run)", None
        _record(journal, login, identity, StatusStep.APPLYING)
        answer = client.update_status(bill_id, status, date=date, rpo=tracking)
    except CallError as error:
        _record(journal, login, identity, StatusStep.UNCERTAIN, str(error))
        # With a wrong secret every answer fails verification: an unverifiable 4 is that case.
        stop = stop_for(4, login) if error.code == 4 else None
        return StatusStep.UNCERTAIN, f"status {status}: {error}", stop
    if answer.error_code == 0:
        _record(journal, login, identity, StatusStep.APPLIED)
        return StatusStep.APPLIED, f"status {status} applied", None
    text = f"{answer.error_code} {answer.error_text}"
    _record(journal, login, identity, StatusStep.FAILED, text)
    return (
        StatusStep.FAILED,
        f"status {status} not applied: {text}",
        stop_for(answer.error_code, login),
    )


_IN_DOUBT = (StatusStep.APPLYING, StatusStep.UNCERTAIN)


def _record(
    journal: Journal | None, login: str, identity: str, step: StatusStep, text: str = ""
) -> None:
    if journal is not None:
        journal.record_status(login, identity, step, text)
