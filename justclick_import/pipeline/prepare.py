"""Everything before sending, with no network: read, map, validate, assemble, check."""

from __future__ import annotations

from dataclasses import dataclass

from justclick_import.events import EventSink, StageFinished, StageStarted
from justclick_import.models import Order
from justclick_import.orders.assemble import assemble_orders
from justclick_import.orders.checks import check_orders
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.gc_pause import gc_paused
from justclick_import.problems import RowProblem
from justclick_import.rows.columns import ColumnMap, Overrides, header_recogniser, map_columns
from justclick_import.rows.dates import date_rules
from justclick_import.rows.mapping_file import load_mapping
from justclick_import.rows.validate import validate_rows
from justclick_import.sending.identity import import_name
from justclick_import.sources import Sheet, read_sheet
from justclick_import.sources.catalog import read_catalog

__all__ = ["Plan", "load_overrides", "prepare", "read_input"]


@dataclass
class Plan:
    """A file read, mapped, validated and grouped into orders: everything before sending."""

    config: ImportConfig
    sheet: Sheet
    mapping: ColumnMap
    orders: list[Order]
    problems: list[RowProblem]
    timezone: str = ""  # the zone dates without an offset were read in
    import_name: str = ""  # what makes two runs the same import (sending.identity)

    @property
    def ready(self) -> int:
        """How many orders can be sent as they are."""
        return sum(1 for order in self.orders if order.is_valid)


def load_overrides(config: ImportConfig) -> Overrides:
    """The user's own header mapping (``config.mapping_file``), or none."""
    return load_mapping(config.mapping_file) if config.mapping_file else {}


def read_input(config: ImportConfig, overrides: Overrides) -> Sheet:
    """Read the input as ``config`` says, finding the header row with the mapping's help."""
    return read_sheet(
        config.input,
        sheet=config.sheet,
        encoding=config.encoding,
        delimiter=config.delimiter,
        is_header=header_recogniser(overrides),
    )


def prepare(config: ImportConfig, *, events: EventSink | None = None) -> Plan:
    """Read, map, validate, assemble and check ``config.input``; nothing is sent.

    ``events`` hears each stage start and finish (on this thread). Raises ``InputError`` for
    an unusable file and ``ConfigError`` for unusable settings (mapping, catalog, time zone).
    """
    emit = events or _ignore
    overrides = load_overrides(config)
    rules = date_rules(config.timezone, config.date_format)
    catalog = read_catalog(config.catalog) if config.catalog else None
    emit(StageStarted("read"))
    sheet = read_input(config, overrides)
    emit(StageFinished("read", {"rows": len(sheet.row_numbers)}))
    mapping = map_columns(sheet.headers, source=config.input, overrides=overrides)
    # Validation, assembly and the order checks build an object per row and per order.
    with gc_paused(settle=True):
        emit(StageStarted("validate", len(sheet.row_numbers)))
        valid = validate_rows(sheet, mapping, rules=rules)
        emit(StageFinished("validate", {"problems": len(valid.problems)}))
        emit(StageStarted("assemble"))
        orders, grouping_problems = assemble_orders(valid, headers=mapping.fields)
        order_problems = check_orders(orders, valid, catalog=catalog, headers=mapping.fields)
        problems = sorted(
            [*valid.problems, *grouping_problems, *order_problems],
            key=lambda p: (p.row, p.column),
        )
        if config.no_auto_cancel:
            for order in orders:
                order.customer["bill_timer_kill"] = "0"  # PHP's false: never cancelled
        valid_orders = sum(1 for order in orders if order.is_valid)
        emit(
            StageFinished(
                "assemble",
                {"orders": len(orders), "valid": valid_orders, "problems": len(problems)},
            )
        )
    name = import_name(config.input)
    return Plan(config, sheet, mapping, orders, problems, rules.zone_name, name)


def _ignore(_event: object) -> None:
    """The events of a caller that asked for none."""
