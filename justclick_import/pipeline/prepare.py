"""Everything before sending, with no network: read, map, validate, assemble, check."""

from __future__ import annotations

from dataclasses import dataclass, field

from justclick_import.events import EventSink, StageFinished, StageStarted
from justclick_import.models import Order, StatusCount
from justclick_import.orders.assemble import assemble_orders
from justclick_import.orders.checks import check_orders
from justclick_import.orders.names import apply_full_names
from justclick_import.orders.refunds import restore_refunded_orders
from justclick_import.orders.statuses import count_statuses
from justclick_import.orders.totals import check_totals
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.gc_pause import gc_paused
from justclick_import.pipeline.reading import (
    Reading,
    choose_reading,
    load_user_profile,
    recognised_headers,
)
from justclick_import.problems import RowProblem
from justclick_import.rows.columns import ColumnMap, Overrides, header_recogniser, map_columns
from justclick_import.rows.dates import DateRules, date_rules
from justclick_import.rows.goods import GoodsRules, resolve_goods
from justclick_import.rows.profile import Profile
from justclick_import.rows.titles import fold_title
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
    reading: Reading = field(default_factory=lambda: Reading(Profile()))  # preset, mapping
    statuses: list[StatusCount] = field(default_factory=list)  # the file's status words

    @property
    def ready(self) -> int:
        """How many orders can be sent as they are."""
        return sum(1 for order in self.orders if order.is_valid and not order.skipped_by_status)

    @property
    def skipped(self) -> int:
        """How many orders their status keeps from being sent (never sales)."""
        return sum(1 for order in self.orders if order.skipped_by_status)


def load_overrides(config: ImportConfig) -> Overrides:
    """The headers a file's header row is recognised by: the presets', the mapping file's."""
    return recognised_headers(config, load_user_profile(config))


def read_input(config: ImportConfig, overrides: Overrides) -> Sheet:
    """Read the input as ``config`` says, finding the header row with the mapping's help."""
    return read_sheet(
        config.input,
        sheet=config.sheet,
        encoding=config.encoding,
        delimiter=config.delimiter,
        is_header=header_recogniser(overrides),
    )


def _date_rules(config: ImportConfig, profile: Profile) -> DateRules:
    """Dates without a zone: in ``--timezone``, else the preset's zone, else this machine's."""
    if config.timezone or not profile.timezone:
        return date_rules(config.timezone, config.date_format)
    return date_rules(profile.timezone, config.date_format, assumed=profile.timezone_assumed)


def _drop_skipped(orders: list[Order], problems: list[RowProblem]) -> list[RowProblem]:
    """Orders skipped by their status are never sent: what is wrong with them does not count."""
    skipped = {row for order in orders if order.skipped_by_status for row in order.rows}
    if not skipped:
        return problems
    for order in orders:
        if order.skipped_by_status:
            order.problems = [p for p in order.problems if not p.is_error]
    return [p for p in problems if not (p.is_error and p.row in skipped)]


def prepare(config: ImportConfig, *, events: EventSink | None = None) -> Plan:
    """Read, map, validate, assemble and check ``config.input``; nothing is sent.

    ``events`` hears each stage start and finish (on this thread). Raises ``InputError`` for
    an unusable file and ``ConfigError`` for unusable settings (mapping, preset, catalog, time
    zone).
    """
    emit = events or _ignore
    user = load_user_profile(config)
    date_rules(config.timezone, config.date_format)  # a bad zone or format: before reading
    catalog = read_catalog(config.catalog) if config.catalog else None
    recognised = recognised_headers(config, user)
    emit(StageStarted("read"))
    sheet = read_input(config, recognised)
    emit(StageFinished("read", {"rows": len(sheet.row_numbers)}))
    reading = choose_reading(config, sheet.headers, user)
    profile = reading.profile
    mapping = map_columns(sheet.headers, source=config.input, overrides=profile.columns)
    rules = _date_rules(config, profile)
    vocabulary = profile.vocabulary(config.skip_status, config.keep_status)
    goods_rules = GoodsRules(profile.split, frozenset(map(fold_title, profile.not_products)))
    headers = mapping.fields
    # Validation, assembly and the order checks build an object per row and per order.
    with gc_paused(settle=True):
        emit(StageStarted("validate", len(sheet.row_numbers)))
        valid = validate_rows(
            sheet, mapping, rules=rules, statuses=vocabulary, titles=catalog is not None
        )
        goods = resolve_goods(valid, catalog=catalog, rules=goods_rules, headers=headers)
        found = [*valid.problems, *(goods.problems if goods is not None else ())]
        emit(StageFinished("validate", {"problems": len(found)}))
        emit(StageStarted("assemble"))
        orders, grouping_problems = assemble_orders(valid, headers=headers, goods=goods)
        apply_full_names(orders, profile.name_order)
        refund_problems, replaced = restore_refunded_orders(orders, goods, headers=headers)
        if replaced:  # a line of an order refunded in full is imported after all
            found = [problem for problem in found if problem not in replaced]
        total_problems: list[RowProblem] = []
        if catalog or profile.currency or {"order_total", "currency"} & set(headers):
            total_problems = check_totals(
                orders,
                catalog=catalog,
                currency=config.currency,
                file_currency=profile.currency,
                headers=headers,
            )
        order_problems = check_orders(
            orders, valid, catalog=catalog, headers=headers, ids_checked=True
        )
        problems = sorted(
            [*found, *refund_problems, *grouping_problems, *total_problems, *order_problems],
            key=lambda p: (p.row, p.column),
        )
        problems = _drop_skipped(orders, problems)
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
    statuses = count_statuses(orders, vocabulary)
    return Plan(config, sheet, mapping, orders, problems, rules.zone_name, name, reading, statuses)


def _ignore(_event: object) -> None:
    """The events of a caller that asked for none."""
