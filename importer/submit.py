"""Stage 5, submit: each valid order goes out as one signed CreateOrder; answers become results."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from importer.client import JustClickClient, SendOutcome
from importer.models import Order, OrderResult, OrderStatus

__all__ = ["Submission", "submit_orders"]


@dataclass
class Submission:
    """The results of sending, and why sending stopped early, if it did."""

    results: list[OrderResult] = field(default_factory=list)
    stop_message: str = ""
    interrupted: bool = False


def _result(order: Order, outcome: SendOutcome) -> OrderResult:
    return OrderResult(
        order, outcome.status, outcome.bill_id, outcome.error_code, outcome.error_text
    )


def submit_orders(
    orders: Iterable[Order],
    client: JustClickClient | None,
    *,
    on_result: Callable[[OrderResult], None] | None = None,
) -> Submission:
    """Send every valid order once, in file order; invalid ones are reported, never sent.

    With ``client=None`` (a dry run) nothing is sent and valid orders are ``not_sent``. After an
    answer that makes going on pointless (bad credentials, API disabled) or Ctrl-C, the orders
    not yet sent are ``not_sent``.
    """
    submission = Submission()
    halted = client is None
    for order in orders:
        if not order.is_valid:
            result = OrderResult(order, OrderStatus.INVALID, error_text=_problem_summary(order))
        elif halted or client is None:
            result = OrderResult(order, OrderStatus.NOT_SENT)
        else:
            try:
                outcome = client.create_order(order.params())
            except KeyboardInterrupt:
                submission.interrupted = halted = True
                outcome = SendOutcome(
                    OrderStatus.UNCERTAIN, error_text="interrupted while waiting for the answer"
                )
            if outcome.stop:
                submission.stop_message = outcome.stop
                halted = True
            result = _result(order, outcome)
        submission.results.append(result)
        if on_result is not None:
            on_result(result)
    return submission


def _problem_summary(order: Order) -> str:
    errors = [problem for problem in order.problems if problem.is_error]
    first = errors[0]
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"row {first.row}, {first.column}: {first.message}{more}"
