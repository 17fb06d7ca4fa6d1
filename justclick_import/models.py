"""The records that flow between the pipeline's stages: problems, orders, outcomes, the run."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from justclick_import.errors import ErrorCode
from justclick_import.fields import CUSTOMER_FIELDS, UTM_FIELDS
from justclick_import.language import Language
from justclick_import.problems import RowProblem, summarise_problems
from justclick_import.source_format import SourceFormat

if TYPE_CHECKING:  # pandas loads only where a frame is made: the CLI's --help stays instant
    import pandas as pd

_OUTCOMES_AT_ONCE = 20_000  # row outcomes made at a time when they are walked through
SUCCESS_CODE = 0  # JustClick's error_code of an order created (API.md, "Error codes")


class ExitStatus(IntEnum):
    """Process exit codes of the command line (one place, as httpie's ``status.py``)."""

    OK = 0
    SOME_FAILED = 1
    USAGE = 2
    STOPPED = 3
    OUTPUT_FAILED = 4  # orders were sent but the results workbook could not be written
    JOURNAL_FAILED = 5  # the journal could not be written (disk full): sending stopped
    INTERRUPTED = 130


class OrderStatus(StrEnum):
    """What became of one order."""

    CREATED = "created"
    ALREADY_EXISTS = "already_exists"
    FAILED = "failed"
    INVALID = "invalid"
    SKIPPED = "skipped"
    UNCERTAIN = "uncertain"
    NOT_SENT = "not_sent"


class Doubt(StrEnum):
    """Why an ``uncertain`` order is still in doubt, which says what settles it."""

    UNREAD = "unread"  # not looked up yet (or the lookup failed): running again looks it up
    WAITING = "waiting"  # no bill yet, too soon after a request left without an answer
    ABSENT = "absent"  # looked up: the shop has no bill that can be it; it can be sent again
    CHECK = "check"  # bills that could be it differ, or several match: a person decides


@dataclass(frozen=True, slots=True)  # slots: a million of them, no __dict__ each
class OrderLine:
    """One product of an order (JustClick has no quantity: one line is one unit)."""

    good_name: str
    good_sum: float | None
    row: int


@dataclass(slots=True)  # a million-line file makes ~350k of them
class Order:
    """One CreateOrder request to be: a customer, their goods, and the sheet rows they came from."""

    key: str
    customer: dict[str, str]
    lines: list[OrderLine]
    rows: list[int]
    problems: list[RowProblem] = field(default_factory=list)
    order_id: str = ""  # the file's own order number, when it has one
    status_word: str = ""  # its status as the file wrote it (order_status holds its meaning)
    source_total: float | None = None  # the order's total in the file (order_total)
    shop_total: float | None = None  # the goods' sum with the catalog's prices where none given

    @property
    def skipped_by_status(self) -> bool:
        """True when its status says it was never a sale: reported, never sent."""
        return self.customer.get("order_status") == "skip"

    @property
    def charged_total(self) -> float | None:
        """What JustClick will charge: the prices given, the shop's for the rest when known."""
        if all(line.good_sum is not None for line in self.lines):
            return self.total
        return self.shop_total

    @property
    def email(self) -> str:
        """The customer's e-mail as written in the file (trimmed)."""
        return self.customer.get("bill_email", "")

    @property
    def is_valid(self) -> bool:
        """True when no row of this order has an error."""
        return not any(problem.is_error for problem in self.problems)

    @property
    def total(self) -> float | None:
        """The sum of the prices given in the file, or None when no line has a price."""
        sums = [line.good_sum for line in self.lines if line.good_sum is not None]
        return sum(sums) if sums else None

    def params(self) -> dict[str, Any]:
        """The CreateOrder parameters in the order they are signed and sent."""
        goods: list[dict[str, Any]] = [
            {"good_name": line.good_name}
            if line.good_sum is None
            else {"good_name": line.good_name, "good_sum": line.good_sum}
            for line in self.lines
        ]
        customer = self.customer
        params: dict[str, Any] = {"goods": goods}
        params.update((name, customer[name]) for name in CUSTOMER_FIELDS if customer.get(name))
        utm = {name: customer[name] for name in UTM_FIELDS if customer.get(name)}
        if utm:
            params["utm"] = utm
        return params


@dataclass(frozen=True)
class StatusCount:
    """One status word of a file: how many orders have it and what happens to them."""

    word: str  # as written ("" for orders with none)
    orders: int
    status: str  # paid, sent, return, cancel; "" none; "skip": reported, never sent
    known: bool  # False: a word nobody named (told as a warning)


@dataclass(slots=True)
class OrderResult:
    """An order and what the run did with it."""

    order: Order
    status: OrderStatus
    bill_id: int | None = None
    error_code: int | None = None
    error_text: str = ""
    link: str = ""  # the payment link, when asked for
    status_step: str = ""  # legacy status: "", applied, failed, uncertain (when applied)
    status_note: str = ""
    doubt: Doubt | None = None  # for an uncertain order: what settles it
    resend_after: str = ""  # for Doubt.WAITING: the local time after which to look again


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """The status columns added to one input row in the results workbook."""

    import_status: str
    bill_id: int | None
    import_message: str


@dataclass
class RunResult:
    """Everything a run did, for the report and for the caller."""

    source: Path
    sheet_name: str | None
    rows: pd.DataFrame  # the input's own columns, as read (text)
    row_numbers: list[int]  # spreadsheet row of each line of ``rows``
    problems: list[RowProblem]
    results: list[OrderResult]
    login: str
    target: str  # the API URL, "sandbox" or "dry run"
    started: datetime
    finished: datetime
    stop_message: str = ""  # why the run stopped early, if it did
    stop_code: ErrorCode | None = None  # the same, for programs
    interrupted: bool = False
    run_id: str = ""
    import_name: str = ""  # what makes two runs the same import (see sending.identity)
    journal_path: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)  # kept in Rows, never sent
    timezone: str = ""  # the zone dates without an offset were read in
    previous_results: Path | None = None  # where an earlier results file was kept, if any
    statuses: list[StatusCount] = field(default_factory=list)  # the file's status words
    preset: str = ""  # the preset the file was read with, if any
    language: Language = "en"  # of the words people read in the results (codes stay English)
    number_columns: frozenset[str] = frozenset()  # input headers whose cells were numbers
    source_format: SourceFormat | None = None  # how the input was read (None: not known)
    # The front end's own words for what settles each kind of doubt (``Doubt`` value ->
    # text, e.g. the exact command); shown with the orders in doubt.
    settle_commands: dict[str, str] = field(default_factory=dict)
    looked_up: int = 0  # orders the journal did not know, found in the shop before sending

    def count(self, status: OrderStatus) -> int:
        """How many orders ended in ``status``."""
        return sum(1 for result in self.results if result.status == status)

    def exit_status(self) -> ExitStatus:
        """The exit code this run deserves (see ``ExitStatus``)."""
        if self.interrupted:
            return ExitStatus.INTERRUPTED
        if self.stop_code is ErrorCode.JOURNAL_WRITE:
            return ExitStatus.JOURNAL_FAILED
        if self.stop_message:
            return ExitStatus.STOPPED
        done = {OrderStatus.CREATED, OrderStatus.ALREADY_EXISTS, OrderStatus.SKIPPED}
        if self.target == "dry run":
            done.add(OrderStatus.NOT_SENT)
        if any(result.status not in done for result in self.results):
            return ExitStatus.SOME_FAILED
        if any(result.status_step in ("failed", "uncertain") for result in self.results):
            return ExitStatus.SOME_FAILED
        if any(problem.is_error for problem in self.problems):
            return ExitStatus.SOME_FAILED
        return ExitStatus.OK

    def row_statuses(self) -> list[str]:
        """Each input row's status, aligned with ``rows``: its order's, else ``invalid``
        (``row_outcomes`` without the messages)."""
        by_row: dict[int, str] = {}
        for result in self.results:
            status = result.status.value
            for row in result.order.rows:
                by_row[row] = status
        invalid = OrderStatus.INVALID.value
        return [by_row.get(row, invalid) for row in self.row_numbers]

    def row_outcomes(self, language: Language = "en", *, success_text: bool = True) -> RowOutcomes:
        """One outcome per input row, aligned with ``rows``: its order's status, or its problems.

        Problems are told in ``language``; without ``success_text`` a row whose order JustClick
        created carries no message (its answer's "Order created" is noise to a person). The
        outcomes are made when a slice of them is asked for (a million rows' messages are
        never all in memory): ``list()`` them to keep them.
        """
        return RowOutcomes(self, language, success_text)


class RowOutcomes(Sequence[RowOutcome]):
    """A run's row outcomes (``RunResult.row_outcomes``), each slice made when asked for."""

    def __init__(self, result: RunResult, language: Language, success_text: bool) -> None:
        self._result = result
        self._language: Language = language
        self._success_text = success_text
        self._by_row = {row: found for found in result.results for row in found.order.rows}
        self._problems = sorted(result.problems, key=attrgetter("row"))  # stable: file order
        self._problem_rows = [problem.row for problem in self._problems]

    def __len__(self) -> int:
        return len(self._result.row_numbers)

    @overload
    def __getitem__(self, index: int) -> RowOutcome: ...

    @overload
    def __getitem__(self, index: slice) -> list[RowOutcome]: ...

    def __getitem__(self, index: int | slice) -> RowOutcome | list[RowOutcome]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return self._between(start, stop)
            return [self._between(i, i + 1)[0] for i in range(start, stop, step)]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._between(position, position + 1)[0]

    def __iter__(self) -> Iterator[RowOutcome]:
        for start in range(0, len(self), _OUTCOMES_AT_ONCE):
            yield from self._between(start, start + _OUTCOMES_AT_ONCE)

    def _between(self, start: int, stop: int) -> list[RowOutcome]:
        rows = self._result.row_numbers[start:stop]
        if not rows:
            return []
        first = bisect_left(self._problem_rows, rows[0])
        last = bisect_right(self._problem_rows, rows[-1])
        messages: dict[int, list[str]] = {}
        for problem in self._problems[first:last]:
            text = f"{problem.column}: {problem.message_in(self._language)}"
            messages.setdefault(problem.row, []).append(text)
        outcomes = []
        # The rows of an order without messages of their own share one outcome (frozen).
        shared: dict[int, RowOutcome] = {}
        alone = RowOutcome(OrderStatus.INVALID.value, None, "")
        for row in rows:
            found = self._by_row.get(row)
            texts = messages.get(row)
            if texts is None:
                if found is None:
                    outcomes.append(alone)
                    continue
                outcome = shared.get(id(found))
                if outcome is None:
                    outcome = shared[id(found)] = self._order_outcome(found)
                outcomes.append(outcome)
                continue
            own = "; ".join(texts)
            status = found.status.value if found is not None else OrderStatus.INVALID.value
            outcomes.append(RowOutcome(status, found.bill_id if found else None, own))
        return outcomes

    def _order_outcome(self, found: OrderResult) -> RowOutcome:
        """The outcome of a row of ``found`` that has no problem of its own."""
        message = order_message(found, self._language, success_text=self._success_text)
        return RowOutcome(found.status.value, found.bill_id, message)


def order_message(found: OrderResult, language: Language, *, success_text: bool) -> str:
    """What a person reads of an order's fate: an invalid order's first error (in
    ``language``), else the answer's text; without ``success_text``, nothing for an order
    JustClick created (its "Order created" is noise)."""
    if found.status is OrderStatus.INVALID:
        return summarise_problems(found.order.problems, language) or found.error_text
    if not success_text and found.error_code == SUCCESS_CODE:
        return ""
    return found.error_text
