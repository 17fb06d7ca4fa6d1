"""The results workbook's Problems sheet: each problem with a link to its cell in Rows.

Up to Excel's limit of links a sheet, cell by cell with the link; past it (a big table,
streamed) a column at a time as Arrow arrays, the cell's reference as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa

from justclick_import.models import RunResult
from justclick_import.problems import RowProblem
from justclick_import.report.sheets import LINE_HEIGHT, SheetTable, clip, text_array
from justclick_import.report.styles import Styles
from justclick_import.report.tables import PROBLEMS_HEADERS
from justclick_import.report.words import severity_word

__all__ = ["ProblemsSheet"]

_WIDTH_SAMPLE = 200  # lines looked at to size the columns


class ProblemsSheet:
    """Writes a run's problems into their table; ``rows`` is the Rows table they point into
    (``columns``: its column of each header)."""

    def __init__(
        self, result: RunResult, styles: Styles, rows: SheetTable, columns: dict[str, int]
    ) -> None:
        self.result = result
        self.styles = styles
        self.language = result.language
        self.rows = rows
        self.rows_columns = columns

    def write(
        self, table: SheetTable, problems: Sequence[RowProblem], *, chunk: int, links: int
    ) -> None:
        """The problems, each with a link to its cell in Rows (``links`` a sheet at most),
        past the links ``chunk`` lines at a time."""
        rows = self.rows
        sample = self._problem_columns(problems[:_WIDTH_SAMPLE])
        table.size_columns(list(zip(*sample, strict=True)))
        widest = rows.reference(max(rows.count - 1, 0), len(rows.headers) - 1)
        table.size_columns([("",) * len(PROBLEMS_HEADERS) + (widest,)])
        for first, last in table.spans():
            # A streamed table: past the links a sheet may hold, lines go in as arrays.
            linked = min(last, first + links) if table.streams is not None else last
            self._linked_problems(table, problems, first, linked, links)
            for start in range(linked, last, chunk):
                part = problems[start : min(last, start + chunk)]
                table.write_arrays(start, self._problem_arrays(part), {})
        table.finish()

    def _linked_problems(
        self,
        table: SheetTable,
        problems: Sequence[RowProblem],
        first: int,
        last: int,
        most: int,
    ) -> None:
        """Problems ``first`` … ``last`` of one sheet, cell by cell, with links to their cells
        (``most`` of them, then the reference as text)."""
        part = problems[first:last]
        lines = zip(*self._problem_columns(part), strict=True)
        targets = self._cells_of(part).to_pylist()
        message = PROBLEMS_HEADERS.index("problem")
        links = 0
        for position, values, target in zip(range(first, last), lines, targets, strict=True):
            sheet, row = table.place(position)
            tall = table.lines_of(values)
            if tall > 1:
                sheet.set_row_height(row, LINE_HEIGHT * tall)
            sheet.write_row(row, 0, list(values))
            sheet.write(row, message, values[message], self.styles.wrap)
            if target is None:
                continue
            if links < most:
                sheet.write_url(row, len(values), f"internal:{target}", text=target)
                links += 1
            else:
                sheet.write(row, len(values), target)

    def _problem_columns(self, part: Sequence[RowProblem]) -> list[list[Any]]:
        """The ``PROBLEMS_HEADERS`` columns of ``part`` as a person reads them: the message
        and the severity in the run's language, text cut to what a cell holds."""
        language = self.language
        codes = [problem.code for problem in part]
        # Severity follows the code alone: each code's word made once.
        firsts = {problem.code: problem for problem in part}
        severity = {code: severity_word(p.severity, language) for code, p in firsts.items()}
        return [
            [problem.row for problem in part],
            [problem.column for problem in part],
            [clip(problem.value) for problem in part],
            [str(code) for code in codes],
            [clip(problem.message_in(language)) for problem in part],
            [severity[code] for code in codes],
        ]

    def _problem_arrays(self, part: Sequence[RowProblem]) -> list[pa.Array]:
        """``_problem_columns`` as Arrow arrays, then the cell each names in Rows as text."""
        row, *texts = self._problem_columns(part)
        arrays = [pa.array(row, pa.int64()), *(text_array(values) for values in texts)]
        return [*arrays, self._cells_of(part)]

    def _cells_of(self, part: Sequence[RowProblem]) -> pa.Array:
        """The reference of the cell in Rows each problem of ``part`` names (null: its row
        is not in Rows)."""
        numbers = self._row_numbers
        wanted = np.fromiter((problem.row for problem in part), np.int64, len(part))
        found = np.minimum(np.searchsorted(numbers, wanted), max(len(numbers) - 1, 0))
        there = numbers[found] == wanted if len(numbers) else np.zeros(len(part), bool)
        at = self.rows_columns
        columns = np.fromiter((at.get(problem.column, 0) for problem in part), np.int64, len(part))
        return self.rows.references(np.where(there, found, -1), columns)

    @cached_property
    def _row_numbers(self) -> np.ndarray:
        """The Rows table's spreadsheet rows (ascending: the reader keeps the file's order)."""
        return np.asarray(self.result.row_numbers, dtype=np.int64)
