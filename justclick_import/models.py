"""The records that flow between the pipeline's stages: problems, orders, outcomes, the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from justclick_import.errors import ErrorCode
from justclick_import.fields import CUSTOMER_FIELDS, UTM_FIELDS
from justclick_import.language import Language
from justclick_import.problems import RowProblem, summarise_problems

if TYPE_CHECKING:  # pandas loads only where a frame is made: the CLI's --help stays instant
    import pandas as pd

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


@dataclass
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


@dataclass
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


# How a file was read, in each language's words (``SourceFormat.describe``).
_FORMAT_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "sheet": "sheet {name!r}, headers in row {row}",
        "text": "{encoding}{damaged}, {delimiter}-separated, headers in row {row}",
        "damaged": " ({rows} rows with bytes that are not {encoding})",
    },
    "ru": {
        "sheet": "лист «{name}», заголовки в строке {row}",
        "text": "{encoding}{damaged}, разделитель — {delimiter}, заголовки в строке {row}",
        "damaged": " (строк с байтами не в этой кодировке: {rows})",
    },
}
_DELIMITER_NAMES: dict[Language, dict[str, str]] = {
    "en": {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"},
    "ru": {",": "запятая", ";": "точка с запятой", "\t": "табуляция", "|": "вертикальная черта"},
}
_ENCODING_NAMES: dict[Language, dict[str, str]] = {
    "en": {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 with BOM",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16LE",
        "utf-16-be": "UTF-16BE",
        "cp1251": "Windows-1251",
    },
    "ru": {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 с BOM",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16LE",
        "utf-16-be": "UTF-16BE",
        "cp1251": "Windows-1251",
    },
}


@dataclass(frozen=True)
class SourceFormat:
    """How the input was read: a workbook's sheet, or a text file's encoding and delimiter."""

    header_row: int = 1  # the spreadsheet row holding the headers
    sheet_name: str | None = None  # a workbook's sheet (None: a text file)
    encoding: str | None = None
    delimiter: str | None = None
    bad_bytes_rows: int = 0  # rows whose bytes were not all of the encoding

    def describe(self, language: Language = "en") -> str:
        """``UTF-8, semicolon-separated, headers in row 1`` or ``sheet 'Orders', headers in row
        4`` (``лист «Orders», заголовки в строке 4``), in ``language``."""
        words = _FORMAT_WORDS[language]
        if self.sheet_name is not None:
            return words["sheet"].format(name=self.sheet_name, row=self.header_row)
        delimiter = _DELIMITER_NAMES[language].get(self.delimiter or "", repr(self.delimiter))
        encoding = _ENCODING_NAMES[language].get(self.encoding or "", str(self.encoding))
        damaged = ""
        if self.bad_bytes_rows:
            damaged = words["damaged"].format(rows=self.bad_bytes_rows, encoding=encoding)
        return words["text"].format(
            encoding=encoding, damaged=damaged, delimiter=delimiter, row=self.header_row
        )


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

    def row_outcomes(
        self, language: Language = "en", *, success_text: bool = True
    ) -> list[RowOutcome]:
        """One outcome per input row, aligned with ``rows``: its order's status, or its problems.

        Problems are told in ``language``; without ``success_text`` a row whose order JustClick
        created carries no message (its answer's "Order created" is noise to a person).
        """
        by_row: dict[int, OrderResult] = {}
        for result in self.results:
            for row in result.order.rows:
                by_row[row] = result
        messages: dict[int, list[str]] = {}
        for problem in self.problems:
            text = f"{problem.column}: {problem.message_in(language)}"
            messages.setdefault(problem.row, []).append(text)
        outcomes = []
        # The rows of an order without messages of their own share one outcome (frozen).
        shared: dict[int, RowOutcome] = {}
        alone = RowOutcome(OrderStatus.INVALID.value, None, "")
        for row in self.row_numbers:
            found = by_row.get(row)
            texts = messages.get(row)
            if texts is None:
                if found is None:
                    outcomes.append(alone)
                    continue
                outcome = shared.get(id(found))
                if outcome is None:
                    outcome = shared[id(found)] = self._order_outcome(found, language, success_text)
                outcomes.append(outcome)
                continue
            own = "; ".join(texts)
            if found is None:
                outcomes.append(RowOutcome(OrderStatus.INVALID.value, None, own))
                continue
            outcomes.append(RowOutcome(found.status.value, found.bill_id, own))
        return outcomes

    @staticmethod
    def _order_outcome(found: OrderResult, language: Language, success_text: bool) -> RowOutcome:
        """The outcome of a row of ``found`` that has no problem of its own."""
        message = found.error_text
        if found.status is OrderStatus.INVALID:
            message = summarise_problems(found.order.problems, language) or message
        elif not success_text and found.error_code == SUCCESS_CODE:
            message = ""
        return RowOutcome(found.status.value, found.bill_id, message)
