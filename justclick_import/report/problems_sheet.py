"""The results workbook's Problems sheet: each problem with a link to its cell in Rows.

Up to Excel's limit of links a sheet, cell by cell with the link; past it (a big table,
streamed) a column at a time as Arrow arrays, the cell's reference as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from justclick_import.models import RunResult
from justclick_import.problems import WARNINGS, RowProblem
from justclick_import.report.sheets import LINE_HEIGHT, SheetTable, clip, text_array
from justclick_import.report.styles import Styles
from justclick_import.report.tables import PROBLEMS_HEADERS, row_index
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
        self._numbers: np.ndarray | None = None

    def write(
        self, table: SheetTable, problems: Sequence[RowProblem], *, chunk: int, links: int
    ) -> None:
        """The problems, each with a link to its cell in Rows (``links`` a sheet at most),
        past the links ``chunk`` lines at a time."""
        rows = self.rows
        table.size_columns([self._problem_cells(p) for p in problems[:_WIDTH_SAMPLE]])
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
        message = PROBLEMS_HEADERS.index("problem")
        links = 0
        for position in range(first, last):
            problem = problems[position]
            sheet, row = table.place(position)
            values = self._problem_cells(problem)
            tall = table.lines_of(values)
            if tall > 1:
                sheet.set_row_height(row, LINE_HEIGHT * tall)
            sheet.write_row(row, 0, list(values))
            sheet.write(row, message, values[message], self.styles.wrap)
            target = self._cell_of(problem)
            if target is None:
                continue
            if links < most:
                sheet.write_url(row, len(values), f"internal:{target}", text=target)
                links += 1
            else:
                sheet.write(row, len(values), target)

    def _problem_arrays(self, part: Sequence[RowProblem]) -> list[pa.Array]:
        """Problems as one Arrow array per column (``_problem_cells``), then the cell each
        names in Rows as text: a column at a time, not a line at a time."""
        language = self.language
        codes = [problem.code for problem in part]
        severity = {
            code: severity_word("warning" if code in WARNINGS else "error", language)
            for code in set(codes)
        }
        arrays: list[pa.Array] = [pa.array([problem.row for problem in part], pa.int64())]
        arrays += [
            text_array([problem.column for problem in part]),
            text_array([problem.value for problem in part]),
            pa.array([str(code) for code in codes], pa.string()),
            text_array([problem.message_in(language) for problem in part]),
            pa.array([severity[code] for code in codes], pa.string()),
        ]
        arrays.append(self._cells_of(part))
        return arrays

    def _cells_of(self, part: Sequence[RowProblem]) -> pa.Array:
        """``_cell_of`` of each problem of ``part``, as an Arrow array."""
        numbers = self._row_numbers()
        wanted = np.fromiter((problem.row for problem in part), np.int64, len(part))
        found = np.minimum(np.searchsorted(numbers, wanted), max(len(numbers) - 1, 0))
        there = numbers[found] == wanted if len(numbers) else np.zeros(len(part), bool)
        at = self.rows_columns
        columns = np.fromiter((at.get(problem.column, 0) for problem in part), np.int64, len(part))
        return self.rows.references(np.where(there, found, -1), columns)

    def _row_numbers(self) -> np.ndarray:
        """The Rows table's spreadsheet rows (ascending), as numpy, made once."""
        if self._numbers is None:
            self._numbers = np.asarray(self.result.row_numbers, dtype=np.int64)
        return self._numbers

    def _cell_of(self, problem: RowProblem) -> str | None:
        """The reference of the cell in Rows that ``problem`` names (None: not in Rows)."""
        index = row_index(self.result, problem.row)
        if index is None:
            return None
        return self.rows.reference(index, self.rows_columns.get(problem.column, 0))

    def _problem_cells(self, problem: RowProblem) -> tuple[Any, ...]:
        """One problem's line as a person reads it (``PROBLEMS_HEADERS``)."""
        return (
            problem.row,
            problem.column,
            clip(problem.value),
            str(problem.code),
            clip(problem.message_in(self.language)),
            severity_word(problem.severity, self.language),
        )
