"""The results workbook: a summary, the orders, the input rows with their outcome, the problems.

Written with rust_xlsxwriter (see ``report.sheets``); a big table's rows are made as sheet XML
in Arrow and put into its file afterwards (``report.sheet_xml``, ``report.zip_parts``). For 1M
input lines: 8.5 s, where rust_xlsxwriter writing the same cells bare took 37 s and xlsxwriter's
constant-memory mode 158 s (README, benchmarks). People's words follow ``RunResult.language``
(``report.words``); what a re-import or a script reads stays as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from rvgsrust_xlsxwriter import Format, Workbook

from justclick_import.atomic import atomic_path
from justclick_import.models import (
    SUCCESS_CODE,
    OrderResult,
    RowOutcome,
    RunResult,
    order_message,
)
from justclick_import.report.problems_sheet import ProblemsSheet
from justclick_import.report.sheets import (
    SheetTable,
    Streams,
    text_array,
)
from justclick_import.report.styles import MONEY_FORMAT, Styles
from justclick_import.report.summary_sheet import write_summary
from justclick_import.report.tables import (
    ORDERS_HEADERS,
    OUTCOME_HEADERS,
    PROBLEMS_HEADERS,
    ROW_NUMBER_HEADER,
    as_text,
    kept_input_columns,
    order_columns,
    rows_headers,
    rows_parts,
    sorted_problems,
)
from justclick_import.report.words import STATUS_WORDS, header_words
from justclick_import.report.zip_parts import write_with_rows
from justclick_import.sources.number_columns import looks_like_numbers

__all__ = ["WORKBOOK_PROBLEMS_HEADERS", "write_workbook"]

WORKBOOK_PROBLEMS_HEADERS = (*PROBLEMS_HEADERS, "cell")  # "cell": a link to it in Rows
_MAX_LINKS = 65_530  # Excel's hyperlinks per sheet
_WIDTH_SAMPLE = 200  # lines looked at to size the columns
_CHUNK = 20_000  # lines turned into Arrow arrays (and sheet XML) at a time
_BIG = 400_000  # input rows past which a sheet's XML may pass 4 GB: ZIP64
# The Orders columns that hold numbers: their Arrow type and whether they are money.
_ORDER_NUMBERS = {"total": (pa.float64(), True), "bill_id": (pa.int64(), False)}
_ORDER_NUMBERS["error_code"] = (pa.int64(), False)
_ORDER_NUMBERS["source_total"] = (pa.float64(), True)
_ORDER_NUMBERS["difference"] = (pa.float64(), True)
_ORDER_WRAPPED = ("goods", "error_text", "legacy_status")
_DATE_FORMATS = {"en": "yyyy-mm-dd hh:mm:ss", "ru": "dd.mm.yyyy hh:mm:ss"}


def write_workbook(
    result: RunResult, path: Path, *, hints: Mapping[str, str] | None = None
) -> Path:
    """Write the results workbook for ``result`` to ``path`` atomically and return ``path``.

    ``hints`` are the front end's ways of doing each next step (``report.headline.NextStep``
    code -> text, e.g. a command line), shown under the steps on the Summary sheet.
    """
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the folder {path.parent} does not exist")
    if len(result.row_numbers) != len(result.rows):
        raise ValueError(f"{len(result.rows)} input rows but {len(result.row_numbers)} row numbers")
    outcomes = result.row_outcomes(result.language, success_text=False)
    with atomic_path(path) as temporary:
        written = temporary.with_name(temporary.name + ".parts")  # rust_xlsxwriter's file
        streams = Streams(path.parent)
        try:
            book = Workbook(str(written))
            book.set_tempdir(str(path.parent))  # beside the output: its folder is writable
            if len(result.rows) > _BIG:
                book.use_zip_large_file(True)
            _Workbook(book, result, outcomes, hints or {}, streams).write()
            book.close()
            if streams.sheets:
                write_with_rows(written, temporary, streams.sheets, MONEY_FORMAT)
            else:
                written.replace(temporary)
        finally:
            streams.close()
            written.unlink(missing_ok=True)
    return path


class _Workbook:
    """The four tables of one run, written into one workbook in sheet order."""

    def __init__(
        self,
        book: Workbook,
        result: RunResult,
        outcomes: Sequence[RowOutcome],
        hints: Mapping[str, str],
        streams: Streams | None = None,
    ):
        self.book = book
        self.streams = streams
        self.result = result
        self.outcomes = outcomes
        self.hints = hints
        self.language = result.language
        self.words = STATUS_WORDS[self.language]
        self.word_of = {status.value: word for status, word in self.words.items()}
        self.order_at = {name: i for i, name in enumerate(ORDERS_HEADERS)}
        self.styles = Styles(book, _DATE_FORMATS[self.language])

    def write(self) -> None:
        problems = sorted_problems(self.result)
        at = {name: i for i, name in enumerate(ORDERS_HEADERS)}
        orders = SheetTable(
            self.book,
            self.styles,
            "Orders",
            header_words(ORDERS_HEADERS, self.language),
            len(self.result.results),
            status=at["status"],
            words=self.words,
            wrapped=[at[name] for name in _ORDER_WRAPPED if name in at],
            text=[i for name, i in at.items() if name not in _ORDER_NUMBERS],
            streams=self.streams,
        )
        headers = [ROW_NUMBER_HEADER, *rows_headers(self.result)]
        inputs = len(headers) - len(OUTCOME_HEADERS)
        self.numbers = self._number_columns(headers[1:inputs])
        rows = SheetTable(
            self.book,
            self.styles,
            "Rows",
            headers,
            len(self.outcomes),
            status=inputs,
            words=self.words,
            wrapped=[len(headers) - 1],
            text=[i for i in range(1, inputs + 1) if i - 1 not in self.numbers]
            + [len(headers) - 1],
            frozen_columns=1,
            streams=self.streams,
        )
        listed = SheetTable(
            self.book,
            self.styles,
            "Problems",
            header_words(WORKBOOK_PROBLEMS_HEADERS, self.language),
            len(problems),
            wrapped=[PROBLEMS_HEADERS.index("problem")],
            text=[PROBLEMS_HEADERS.index(name) for name in ("column", "value")],
            streams=self.streams,
        )
        self.rows_columns = {name: i for i, name in enumerate(rows.headers)}
        tables = {"Orders": orders, "Rows": rows, "Problems": listed}
        write_summary(self.book, self.styles, self.result, tables, hints=self.hints)
        self._orders(orders)
        self._rows(rows)
        writer = ProblemsSheet(self.result, self.styles, rows, self.rows_columns)
        writer.write(listed, problems, chunk=_CHUNK, links=_MAX_LINKS)

    def _order_columns(self, part: Sequence[OrderResult]) -> list[list[Any]]:
        """Orders' columns as a person reads them: words for the status, no success noise."""
        columns = order_columns(part)
        at = self.order_at
        columns[at["status"]] = [self.word_of[found.status.value] for found in part]
        language = self.language
        columns[at["error_code"]] = [
            None if found.error_code == SUCCESS_CODE else found.error_code for found in part
        ]
        columns[at["error_text"]] = [
            order_message(found, language, success_text=False) for found in part
        ]
        return columns

    def _orders(self, table: SheetTable) -> None:
        results = self.result.results
        table.size_columns(list(zip(*self._order_columns(results[:_WIDTH_SAMPLE]), strict=True)))
        kinds = [_ORDER_NUMBERS.get(name, (pa.string(), False)) for name in ORDERS_HEADERS]
        formats: dict[int, Format] = {
            i: self.styles.money if money else self.styles.whole
            for i, (kind, money) in enumerate(kinds)
            if kind != pa.string()
        }
        for start in range(0, len(results), _CHUNK):
            columns = self._order_columns(results[start : start + _CHUNK])
            arrays = [
                text_array(values) if kind == pa.string() else pa.array(values, kind)
                for values, (kind, _) in zip(columns, kinds, strict=True)
            ]
            table.write_arrays(start, arrays, formats)
        table.finish()

    def _number_columns(self, headers: Sequence[str]) -> dict[int, bool]:
        """Kept input columns (by position) to write as numbers: position -> all whole."""
        wanted = self.result.number_columns
        if not wanted or not len(self.result.rows):
            return {}
        frame = self.result.rows
        inputs = [frame.iloc[:, i] for i in kept_input_columns(frame)]
        found: dict[int, bool] = {}
        for position, (name, series) in enumerate(zip(headers, inputs, strict=True)):
            if name in wanted:
                whole = looks_like_numbers(text_array(series))
                if whole is not None:
                    found[position] = whole
        return found

    def _input_array(self, position: int, series: Any) -> pa.Array:
        text = text_array(series)
        if position not in self.numbers:
            return text
        blank = pc.fill_null(pc.equal(text, ""), True)
        return pc.cast(pc.if_else(blank, None, text), pa.float64())

    def _rows(self, table: SheetTable) -> None:
        first = next(rows_parts(self.result, self.outcomes, _WIDTH_SAMPLE), None)
        if first is not None:
            columns: list[list[Any]] = [list(map(str, self.result.row_numbers[:_WIDTH_SAMPLE]))]
            columns += [[as_text(v) for v in series.tolist()] for series in first.inputs]
            done = first.outcomes
            columns += [
                [self.word_of.get(o.import_status, o.import_status) for o in done],
                [o.bill_id for o in done],
                [o.import_message for o in done],
            ]
            table.size_columns(list(zip(*columns, strict=True)))
        inputs = len(table.headers) - len(OUTCOME_HEADERS)
        formats = {0: self.styles.whole, inputs + 1: self.styles.whole}
        formats.update((1 + i, self.styles.whole) for i, whole in self.numbers.items() if whole)
        for part in rows_parts(self.result, self.outcomes, _CHUNK):
            end = part.start + len(part.outcomes)
            arrays = [pa.array(self.result.row_numbers[part.start : end], pa.int64())]
            arrays += [self._input_array(i, series) for i, series in enumerate(part.inputs)]
            arrays += [
                pa.array(
                    [self.word_of.get(o.import_status, o.import_status) for o in part.outcomes],
                    pa.string(),
                ),
                pa.array([o.bill_id for o in part.outcomes], pa.int64()),
                text_array([o.import_message for o in part.outcomes]),
            ]
            table.write_arrays(part.start, arrays, formats)
        table.finish()
