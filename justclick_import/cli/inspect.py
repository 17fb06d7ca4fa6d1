"""Commands that look at an input without sending: ``check``, ``columns``, ``template``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from justclick_import.cli.hints import problem_hint
from justclick_import.cli.options import (
    build_config,
    checking_options,
    fail,
    fail_on,
    reading_options,
)
from justclick_import.cli.status_table import status_lines
from justclick_import.errors import ImporterError

if TYPE_CHECKING:
    from justclick_import.pipeline.inspect import CheckReport, ColumnsReport

__all__ = ["check", "columns", "render_check", "render_columns", "template"]


def _problem_lines(report: CheckReport, limit: int) -> list[str]:
    lines: list[str] = []
    for group in report.groups:
        kind = "" if group.severity == "error" else ", warning"
        hint = problem_hint(group.code)
        lines.append(
            f"{group.code} ({len(group.problems)}{kind}): {group.title}"
            + (f" ({hint})" if hint else "")
        )
        shown = group.problems if limit <= 0 else group.problems[:limit]
        for found in shown:
            detail = f" - {found.detail}" if found.detail else ""
            lines.append(f"  row {found.row}, {found.column}: {found.value!r}{detail}")
        if len(shown) < len(group.problems):
            lines.append(f"  ... and {len(group.problems) - len(shown)} more")
    return lines


def render_check(report: CheckReport, limit: int) -> str:
    """The text ``check`` prints: what was read, the problems by code, the counts."""
    plan = report.plan
    sheet = plan.sheet
    skipped = f", {plan.skipped} skipped by their status" if plan.skipped else ""
    lines = [
        f"{sheet.path.name} ({sheet.describe_format()}): {len(sheet.row_numbers)} rows, "
        f"{len(plan.orders)} orders, {plan.ready} ready to send{skipped}",
    ]
    if plan.reading.preset is not None:
        lines.append(plan.reading.describe())
    lines.append(f"dates without a time zone are read in {plan.timezone}")
    if plan.mapping.ignored:
        lines.append(f"ignored columns (never sent): {', '.join(plan.mapping.ignored)}")
    lines.extend(status_lines(plan.statuses, "en"))  # check has no --lang: all English
    lines.extend(_problem_lines(report, limit))
    rows = len({p.row for p in plan.problems if p.is_error})
    if report.errors or report.warnings:
        lines.append(f"{report.errors} errors in {rows} rows, {report.warnings} warnings")
    else:
        lines.append("no problems found")
    return "\n".join(lines)


def render_columns(report: ColumnsReport) -> str:
    """The text ``columns`` prints: each header, the field it feeds and why."""
    sheet = report.sheet
    lines = [f"{sheet.path.name} ({sheet.describe_format()})"]
    if report.reading.preset is not None:
        lines.append(report.reading.describe())
    width = max((len(match.header) for match in report.matches), default=0)
    for match in report.matches:
        if match.clash:
            target = f"{match.field}: CLASH with {match.clash!r}, choose one with --mapping"
        elif match.field is None:
            target = f"ignored ({match.how})"
        else:
            target = f"{match.field} ({match.how})"
        lines.append(f"  {match.header.ljust(width)}  -> {target}")
    if report.missing:
        lines.append(
            f"missing required: {', '.join(report.missing)} (map a header to it with --mapping, "
            "or --preset NAME if the file is a platform's export)"
        )
    return "\n".join(lines)


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@reading_options
@checking_options
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Cases shown per problem code (0: all).",
)
def check(input_path: Path, limit: int, **options: Any) -> None:
    """Check INPUT and list every problem, grouped by kind; send nothing.

    Exits 1 when an order cannot be sent as it is, 0 when all can (warnings allowed).
    """
    from justclick_import.pipeline.inspect import check_input  # loads the pipeline: not for --help

    try:
        report = check_input(build_config(input_path, options))
    except ImporterError as error:
        fail_on(error)
    click.echo(render_check(report, limit))
    sys.exit(report.exit_status())


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@reading_options
@click.option(
    "--write-mapping",
    "write_mapping_to",
    type=click.Path(path_type=Path),
    help="Write a mapping file (TOML) stating how each header is understood, to edit.",
)
def columns(input_path: Path, write_mapping_to: Path | None, **options: Any) -> None:
    """Show how each header of INPUT is understood and which columns are ignored.

    Exits 1 when a required field (the e-mail, the product) has no column.
    """
    from justclick_import.pipeline.inspect import describe_input
    from justclick_import.rows.mapping_file import write_mapping

    try:
        report = describe_input(build_config(input_path, options))
        if write_mapping_to is not None:
            write_mapping(write_mapping_to, report.matches)
    except ImporterError as error:
        fail_on(error)
    click.echo(render_columns(report))
    if write_mapping_to is not None:
        click.echo(f"mapping written to {write_mapping_to}; edit it and pass --mapping FILE")
    sys.exit(report.exit_status())


@click.command()
@click.argument("path", metavar="PATH.xlsx", type=click.Path(path_type=Path))
def template(path: Path) -> None:
    """Write an empty orders workbook with the right headers and a sheet explaining them."""
    if path.suffix.lower() != ".xlsx":
        fail(f"{path}: the template is a workbook; give a name ending in .xlsx")
    if path.exists():
        fail(f"{path} already exists; give another name or remove it")
    from justclick_import.report.template import write_template

    try:
        write_template(path)
    except ImporterError as error:
        fail_on(error)
    click.echo(f"template written to {path}: fill the Orders sheet, see Columns for help")
