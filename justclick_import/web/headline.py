"""The results' counters: how many orders ended in each status, in the page's order.

The sentence above them is the report's own headline (``report.headline``), the same words the
terminal and the workbook use.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from justclick_import.models import OrderStatus, RunResult

__all__ = ["HEADLINE_ORDER", "Headline", "run_headline"]

HEADLINE_ORDER = (
    OrderStatus.CREATED,
    OrderStatus.ALREADY_EXISTS,
    OrderStatus.SKIPPED,
    OrderStatus.FAILED,
    OrderStatus.UNCERTAIN,
    OrderStatus.INVALID,
    OrderStatus.NOT_SENT,
)


@dataclass(frozen=True)
class Headline:
    """The counts a results page leads with."""

    orders: int
    counts: dict[OrderStatus, int]  # only the statuses that occur, in ``HEADLINE_ORDER``
    rows: int
    problems: int

    def count(self, status: OrderStatus) -> int:
        """How many orders ended in ``status``."""
        return self.counts.get(status, 0)


def run_headline(result: RunResult) -> Headline:
    """The headline of ``result``: orders by status, rows read, problems found."""
    counted = Counter(order.status for order in result.results)
    counts = {status: counted[status] for status in HEADLINE_ORDER if counted[status]}
    return Headline(len(result.results), counts, len(result.row_numbers), len(result.problems))
