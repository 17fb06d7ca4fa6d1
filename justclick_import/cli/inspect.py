"""Commands that look at an input without sending: ``check``, ``columns``, ``template``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from justclick_import.cli.options import fail, reading_options, timezone_options
from justclick_import.errors import ImporterError
from justclick_import.models import ExitStatus
from justclick_import.pipeline.inspect import (
    CheckReport,
    ColumnsReport,
    check_input,
    describe_input,
)
from justclick_import.pipeline.run import ImportConfig
from justclick_import.report.template import write_template
from justclick_import.rows.columns import write_mapping

__all__ = ["check", "columns", "template"]


def _problem_lines(report: CheckReport, limit: int) -> list[str]:
    lines: list[str] = []
    for group in report.groups:
        kind = "" if group.severity == "error" else ", warning"
        lines.append(f"{group.code} ({len(group.problems)}{kind}): {group.message}")
        shown = group.problems if limit <= 0 else group.problems[:limit]
        for found in shown:
            extra = found.message.removeprefix(group.message).lstrip(";, ")
            extra = f" - {extra}" if extra else ""
            lines.append(f"  row {found.row}, {found.column}: {found.value!r}{extra}")
        if len(shown) < len(group.problems):
            lines.append(f"  ... and {len(group.problems) - len(shown)} more")
    return lines


def render_check(report: CheckReport, limit: int) -> str:
    """The text ``check`` prints: what was read, the problems by code, the counts."""
    prepared = report.prepared
    sheet = prepared.sheet
    valid_orders = sum(1 for order in prepared.orders if order.is_valid)
    lines = [
        f"{sheet.path.name} ({sheet.describe_format()}): {len(sheet.row_numbers)} rows, "
        f"{len(prepared.orders)} orders, {valid_orders} ready to send",
        f"dates without a time zone are read in {report.timezone}",
    ]
    if prepared.mapping.ignored:
        lines.append(f"ignored columns (never sent): {', '.join(prepared.mapping.ignored)}")
    lines.extend(_problem_lines(report, limit))
    rows = len({p.row for p in prepared.problems if p.is_error})
    if report.errors or report.warnings:
        lines.append(f"{report.errors} errors in {rows} rows, {report.warnings} warnings")
    else:
        lines.append("no problems found")
    return "\n".join(lines)


def render_columns(report: ColumnsReport) -> str:
    """The text ``columns`` prints: each header, the field it feeds and why."""
    sheet = report.sheet
    lines = [f"{sheet.path.name} ({sheet.describe_format()})"]
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
        lines.append(f"missing required: {', '.join(report.missing)}")
    return "\n".join(lines)


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@reading_options
@timezone_options
@click.option(
    "--catalog",
    type=click.Path(path_type=Path),
    help="Product catalog CSV (id,title,price,physical) to check the products against.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Cases shown per problem code (0: all).",
)
def check(
    input_path: Path,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    mapping_file: Path | None,
    timezone: str | None,
    date_format: str | None,
    catalog: Path | None,
    limit: int,
) -> None:
    """Check INPUT and list every problem, grouped by kind; send nothing.

    Exits 1 when an order cannot be sent as it is, 0 when all can (warnings allowed).
    """
    config = ImportConfig(
        input=input_path,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        mapping_file=mapping_file,
        timezone=timezone,
        date_format=date_format,
        catalog=catalog,
    )
    try:
        report = check_input(config)
    except ImporterError as error:
        fail(str(error))
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
def columns(
    input_path: Path,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    mapping_file: Path | None,
    write_mapping_to: Path | None,
) -> None:
    """Show how each header of INPUT is understood and which columns are ignored."""
    config = ImportConfig(
        input=input_path,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        mapping_file=mapping_file,
    )
    try:
        report = describe_input(config)
        if write_mapping_to is not None:
            write_mapping(write_mapping_to, report.matches)
    except ImporterError as error:
        fail(str(error))
    click.echo(render_columns(report))
    if write_mapping_to is not None:
        click.echo(f"mapping written to {write_mapping_to}; edit it and pass --mapping FILE")
    sys.exit(ExitStatus.OK)


@click.command()
@click.argument("path", metavar="PATH.xlsx", type=click.Path(path_type=Path))
def template(path: Path) -> None:
    """Write an empty orders workbook with the right headers and a sheet explaining them."""
    if path.suffix.lower() != ".xlsx":
        fail(f"{path}: the template is a workbook; give a name ending in .xlsx")
    if path.exists():
        fail(f"{path} already exists; give another name or remove it")
    try:
        write_template(path)
    except ImporterError as error:
        fail(str(error))
    click.echo(f"template written to {path}: fill the Orders sheet, see Columns for help")
