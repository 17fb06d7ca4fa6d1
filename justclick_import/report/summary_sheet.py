"""The Summary sheet: what happened and what to do first, the counts, then the technical facts.

A person reads it top down in the first screen: the headline, the next steps (each linked to the
first line it concerns), the counts of the statuses that occurred (charted when there are several),
the most frequent problems. The technical facts come last under their own heading, each with a
stable English key in the hidden column L (``sending.identity`` reads the import's name there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from rvgsrust_xlsxwriter import (  # type: ignore[attr-defined]  # ChartPoint: not in its stub
    Chart,
    ChartDataLabel,
    ChartFormat,
    ChartPoint,
    ChartSeries,
    Workbook,
    Worksheet,
)

from justclick_import.language import Language
from justclick_import.models import OrderStatus, RunResult
from justclick_import.problems import ProblemCode
from justclick_import.report.headline import NextStep, Step, headline, next_steps
from justclick_import.report.sheets import LINE_HEIGHT, SheetTable, clip
from justclick_import.report.styles import STATUS_COLOURS, Styles, set_print_layout
from justclick_import.report.tables import (
    IMPORT_NAME_ITEM,
    RESULT_HEADERS,
    created_total,
    file_sha256,
    problem_code_counts,
    settling,
    sorted_problems,
)
from justclick_import.report.words import label, status_word
from justclick_import.sending.identity import SUMMARY_KEY_COLUMN
from justclick_import.source_format import SourceFormat

__all__ = ["KEY_COLUMN", "SUMMARY_TITLE", "technical_facts", "write_summary"]

SUMMARY_TITLE = "Summary"
KEY_COLUMN = SUMMARY_KEY_COLUMN  # column L, past what is printed: the stable keys (hidden)
TOP_PROBLEM_CODES = 5  # the most frequent problem codes listed
_WIDTHS = (74, 24, 14)  # columns A (words, wrapped), B (counts, links), C (links)
_CHART_ROWS = 12  # the chart's height in rows of 20 pixels
_PRINT_COLUMNS = 10  # A to J: the words, the values and the chart beside them


def technical_facts(
    result: RunResult, *, sheets: Sequence[str] = (), previous: Path | None = None
) -> list[tuple[str, Any]]:
    """The technical facts as (key, value), empty ones left out but for the run's identity.

    ``sheets`` names the sheets a table continues on when it is longer than Excel allows;
    ``previous`` is where an earlier results file was kept.
    """
    ignored = [name for name in result.ignored_columns if name not in RESULT_HEADERS]
    items: list[tuple[str, Any]] = [
        ("input file", result.source.name),
        ("input sha256", file_sha256(result.source)),
        ("sheet", result.sheet_name or ""),
        ("login", result.login),
        ("target", result.target),
        ("started", _local(result.started)),
        ("finished", _local(result.finished)),
        ("duration seconds", round((result.finished - result.started).total_seconds(), 3)),
        ("stopped because", result.stop_message),
        ("interrupted", "yes" if result.interrupted else "no"),
        # Read back when this workbook is imported again: the same import, the same orders.
        (IMPORT_NAME_ITEM, result.import_name),
        ("run id", result.run_id),
        ("journal", str(result.journal_path or "")),
        ("previous results kept as", previous.name if previous else ""),
        ("dates without a time zone read in", result.timezone),
        ("read as", result.source_format),
        ("ignored columns (never sent)", ", ".join(ignored)),
        ("continued on", ", ".join(sheets)),
    ]
    kept = {"input file", "input sha256", "interrupted", IMPORT_NAME_ITEM}
    return [(key, value) for key, value in items if key in kept or value not in ("", None)]


def write_summary(
    book: Workbook,
    styles: Styles,
    result: RunResult,
    tables: Mapping[str, SheetTable],
    *,
    hints: Mapping[str, str] | None = None,
) -> None:
    """Add the Summary sheet; ``tables`` (Orders, Rows, Problems) are where the steps link to."""
    sheet = book.add_worksheet(SUMMARY_TITLE)
    _Summary(sheet, styles, result, tables, dict(hints or {})).write()


class _Summary:
    """The Summary sheet written top down, one row after another."""

    def __init__(
        self,
        sheet: Worksheet,
        styles: Styles,
        result: RunResult,
        tables: Mapping[str, SheetTable],
        hints: dict[str, str],
    ) -> None:
        self.sheet = sheet
        self.styles = styles
        self.result = result
        self.tables = tables
        self.hints = hints
        self.language: Language = result.language
        self.row = 0

    def write(self) -> None:
        sheet = self.sheet
        for column, chars in enumerate(_WIDTHS):
            sheet.set_column_width(column, chars)
        sheet.set_column_hidden(KEY_COLUMN)
        set_print_layout(sheet)
        self._line(headline(self.result), self.styles.headline)
        self._line(self._subtitle(), self.styles.faint)
        self.row += 1
        self._steps(next_steps(self.result))  # each row's status only: no messages made
        self._orders()
        self._problems()
        self._technical()
        # The chart, and long values running on to the right, are printed too.
        sheet.set_print_area(0, 0, max(self.row - 1, 0), _PRINT_COLUMNS - 1)

    def _line(self, text: str, look: Any = None, column: int = 0) -> None:
        self.sheet.write(self.row, column, clip(text), look)
        self.row += 1

    def _fit(self, text: str) -> None:
        """Make the current row as tall as ``text`` takes wrapped in column A."""
        lines = sum(max(1, -(-len(part) // _WIDTHS[0])) for part in text.split("\n"))
        if lines > 1:
            self.sheet.set_row_height(self.row, LINE_HEIGHT * min(lines, 20))

    def _words(self, key: str, **facts: object) -> str:
        return label(key, self.language, **facts)

    def _subtitle(self) -> str:
        result = self.result
        target = self._words(result.target) + (f" ({result.login})" if result.login else "")
        when = _local(result.started).strftime("%d.%m.%Y %H:%M")
        return f"{result.source.name} → {target} · {when}"

    def _steps(self, steps: list[Step]) -> None:
        self._line(self._words("what to do"), self.styles.heading)
        for number, step in enumerate(steps, start=1):
            text = clip(f"{number}. {step.text}")
            self._fit(text)
            self.sheet.write(self.row, 0, text, self.styles.step)
            table = self.tables.get(step.sheet)
            if table is not None and step.position is not None:
                target = table.reference(step.position, 0)
                self.sheet.write_url(
                    self.row,
                    1,
                    f"internal:{target}",
                    self.styles.link,
                    text=self._words("go to", place=step.sheet),
                    tip=target,
                )
            self.row += 1
            hint = self.hints.get(step.code, "")
            if step.code is NextStep.RECONCILE and self.result.settle_commands:
                # The exact commands that settle each kind of doubt, as the front end gave them.
                hint = "\n".join(settling(self.result).values())
            if hint:
                self._fit(hint)
                self._line(hint, self.styles.hint)
        self.row += 1

    def _orders(self) -> None:
        counts = Counter(order_result.status for order_result in self.result.results)
        shown = [status for status in OrderStatus if counts[status]]
        self._line(self._words("orders"), self.styles.heading)
        first = self.row
        for status in shown:
            word = status_word(status, self.language)
            self.sheet.write(self.row, 0, word, self.styles.fills[status])
            self.sheet.write(self.row, 1, counts[status], self.styles.count)
            self.row += 1
        money = created_total(self.result)
        if money:
            self.sheet.write(self.row, 0, self._words("created total"))
            self.sheet.write(self.row, 1, money, self.styles.money_left)
            self.row += 1
        rows_read = len(self.result.rows)
        with_problems = len({problem.row for problem in self.result.problems})
        self.sheet.write(self.row, 0, self._words("rows read"))
        self.sheet.write(self.row, 1, rows_read, self.styles.count)
        self.row += 1
        if with_problems:
            self.sheet.write(self.row, 0, self._words("rows with problems"))
            self.sheet.write(self.row, 1, with_problems, self.styles.count)
            self.row += 1
        if len(shown) > 1:
            self._chart(first, shown)
            self.row = max(self.row, first - 1 + _CHART_ROWS)
        self.row += 1

    def _chart(self, first: int, shown: list[OrderStatus]) -> None:
        """A bar chart of the status counts written from sheet row ``first``, coloured."""
        last = first + len(shown)  # 1-based last row of the counts
        series = ChartSeries()
        series.set_categories(f"{SUMMARY_TITLE}!$A${first + 1}:$A${last}")
        series.set_values(f"{SUMMARY_TITLE}!$B${first + 1}:$B${last}")
        series.set_name(self._words("orders"))
        points = []
        for status in shown:
            fill, edge = STATUS_COLOURS[status]
            look = ChartFormat()
            look.set_fill_color(fill)
            look.set_border_color(edge)
            point = ChartPoint()
            point.set_format(look)
            points.append(point)
        series.set_points(points)
        labels = ChartDataLabel()
        labels.show_value()
        series.set_data_label(labels)
        chart = Chart("bar")
        chart.push_series(series)
        chart.set_title_name(self._words("chart title"))
        chart.set_legend_hidden()
        # The bars carry their counts: no value axis. (Both are in the binding, not its stub.)
        chart.set_x_axis_hidden(True)  # type: ignore[attr-defined]
        chart.set_x_axis_major_gridlines(False)  # type: ignore[attr-defined]
        chart.set_y_axis_reverse()  # type: ignore[attr-defined]  # top down, as the list
        chart.set_width(400)
        chart.set_height(20 * _CHART_ROWS - 8)
        self.sheet.insert_chart(first - 1, 3, chart, 8, 0)

    def _problems(self) -> None:
        problems = sorted_problems(self.result)
        if not problems:
            return
        self._line(self._words("frequent problems"), self.styles.heading)
        first_of: dict[str, int] = {}
        for position, problem in enumerate(problems):
            first_of.setdefault(str(problem.code), position)
        table = self.tables.get("Problems")
        for code, count in problem_code_counts(problems)[:TOP_PROBLEM_CODES]:
            words = clip(ProblemCode(code).summary_in(self.language))
            self._fit(words)
            self.sheet.write(self.row, 0, words, self.styles.step)
            self.sheet.write(self.row, 1, count, self.styles.count)
            if table is not None:  # to the first of them (a link in a wrapped cell is cut)
                target = table.reference(first_of[code], 0)
                text = self._words("go to", place="Problems")
                self.sheet.write_url(
                    self.row, 2, f"internal:{target}", self.styles.link, text=text, tip=target
                )
            self.sheet.write(self.row, KEY_COLUMN, f"problem {code}")
            self.row += 1
        self.row += 1

    def _technical(self) -> None:
        continued = [title for table in self.tables.values() for title in table.titles[1:]]
        facts = technical_facts(
            self.result, sheets=continued, previous=self.result.previous_results
        )
        self._line(self._words("technical details"), self.styles.heading)
        for key, value in facts:
            self.sheet.write(self.row, 0, self._words(key), self.styles.faint)
            shown = self._value(key, value)
            if isinstance(shown, datetime):
                self.sheet.write(self.row, 1, shown, self.styles.date_left)
            elif isinstance(shown, str):
                self.sheet.write(self.row, 1, clip(shown))
            else:
                self.sheet.write(self.row, 1, shown, self.styles.count)
            self.sheet.write(self.row, KEY_COLUMN, key)
            self.row += 1

    def _value(self, key: str, value: Any) -> Any:
        if key == "interrupted":
            return self._words(str(value))
        if key == "continued on":
            return self._words("continued note", sheets=value)
        if isinstance(value, SourceFormat):
            return value.describe(self.language)
        return value


def _local(moment: datetime) -> datetime:
    """A naive local datetime: Excel has no time zones."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)
