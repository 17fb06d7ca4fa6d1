"""What a preset or a user's mapping file says about a file: its columns and the rest.

Both are the same TOML: ``[columns]`` (``"header in the file" = "field"``, ``""`` leaves a
column out), ``[statuses]`` (``"word" = "paid" | "sent" | "return" | "cancel" | "none" |
"skip"``), ``[products]`` (``split``: the characters that part several products in one cell;
``not_products``: titles of lines that are not products, such as tips), and ``timezone`` (of
dates written without one), ``currency`` (of the file's amounts when no column says),
``name_order`` (``first-last`` or ``last-first``: how a full name of two words is read) and
``unknown_status`` (``none``, or ``skip`` where an unknown word is a deal still open). A mapping
file may name the ``preset`` it extends; a preset also has ``name``, ``title`` and ``detect``
(the headers that recognise its export).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.fields import ALL_FIELDS
from justclick_import.rows.columns import Overrides, api_field, normalise_header
from justclick_import.rows.statuses import MEANINGS, status_vocabulary
from justclick_import.rows.statuses import StatusVocabulary as StatusVocabulary

__all__ = ["NAME_ORDERS", "Profile", "parse_profile"]

NAME_ORDERS = ("first-last", "last-first")
_TOP_KEYS = {
    "name", "title", "detect", "preset", "timezone", "timezone_assumed", "currency",
    "name_order", "unknown_status", "columns", "statuses", "products",
}  # fmt: skip
_PRODUCT_KEYS = {"split", "not_products"}


@dataclass(frozen=True)
class Profile:
    """How to read one platform's export (a preset), or a user's own additions to it."""

    name: str = ""  # a preset's name ("shopify"); "" for a mapping file
    title: str = ""  # "a Shopify orders export"
    detect: tuple[str, ...] = ()  # headers that, all present, recognise the export
    base: str = ""  # a mapping file's preset to extend
    columns: Overrides = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)  # word -> one of MEANINGS
    unknown_status: str = ""  # "" (none) or "skip"
    timezone: str = ""
    timezone_assumed: bool = False  # the platform's usual zone, not a certainty: say so
    currency: str = ""
    name_order: str = ""  # "" is first-last
    split: str = ""  # characters that part several products in one cell
    not_products: tuple[str, ...] = ()

    def extend(self, other: Profile) -> Profile:
        """This profile with ``other``'s settings on top (``other`` wins where it says)."""
        return replace(
            self,
            columns={**self.columns, **other.columns},
            statuses={**self.statuses, **other.statuses},
            unknown_status=other.unknown_status or self.unknown_status,
            timezone=other.timezone or self.timezone,
            timezone_assumed=other.timezone_assumed if other.timezone else self.timezone_assumed,
            currency=other.currency or self.currency,
            name_order=other.name_order or self.name_order,
            split=other.split or self.split,
            not_products=(*self.not_products, *other.not_products),
        )

    def vocabulary(
        self, skip: tuple[str, ...] = (), keep: tuple[str, ...] = ()
    ) -> StatusVocabulary:
        """The status words this profile knows, with a run's own ``skip`` and ``keep`` words."""
        return status_vocabulary(self.statuses, unknown=self.unknown_status, skip=skip, keep=keep)


def _bad(where: str, message: str) -> ConfigError:
    return ConfigError(ErrorCode.BAD_MAPPING, f"{where}: {message}")


def _text(document: dict[str, Any], key: str, where: str, choices: tuple[str, ...] = ()) -> str:
    value = document.get(key, "")
    if not isinstance(value, str):
        raise _bad(where, f"{key} must be text in quotes")
    if value and choices and value not in choices:
        raise _bad(where, f"{key} = {value!r}: use one of {', '.join(choices)}")
    return value.strip()


def _texts(value: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad(where, f'{key} must be a list of texts, such as ["Tip", "Доставка"]')
    return tuple(value)


def _columns(table: Any, where: str) -> Overrides:
    if not isinstance(table, dict):
        raise _bad(where, '[columns] must hold lines such as "Покупатель" = "bill_email"')
    overrides: Overrides = {}
    for header, target in table.items():
        if not isinstance(target, str):
            raise _bad(where, f"{header!r} must be given a field name in quotes")
        if not target.strip():
            overrides[normalise_header(header)] = None
            continue
        name = api_field(target)
        if name is None:
            raise _bad(
                where,
                f"{header!r} = {target!r}: no such JustClick field; use one of "
                f'{", ".join(ALL_FIELDS)}, or "" to leave the column out',
            )
        overrides[normalise_header(header)] = name
    return overrides


def _statuses(table: Any, where: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise _bad(where, '[statuses] must hold lines such as "Ложный" = "skip"')
    for word, meaning in table.items():
        if meaning not in MEANINGS:
            raise _bad(where, f"status {word!r} = {meaning!r}: use one of {', '.join(MEANINGS)}")
    return dict(table)


def _split(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _bad(where, 'split must be text: the characters that part products, such as ",;"')
    return value


def parse_profile(document: dict[str, Any], where: str) -> Profile:
    """A ``Profile`` from a parsed TOML document; ``where`` names it in errors.

    Raises ``ConfigError`` (``bad-mapping``) naming the entry that is wrong.
    """
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown and "columns" not in document and all(isinstance(document[k], str) for k in unknown):
        raise _bad(
            where,
            'no [columns] table; write lines such as "Покупатель" = "bill_email" under a line '
            "[columns]",
        )
    if unknown:
        raise _bad(
            where,
            f"unknown setting {', '.join(map(repr, unknown))}; a mapping file holds [columns], "
            "[statuses], [products], preset, timezone, currency, name_order, unknown_status",
        )
    products = document.get("products", {})
    if not isinstance(products, dict) or set(products) - _PRODUCT_KEYS:
        raise _bad(where, "[products] holds split and not_products")
    detect = _texts(document.get("detect", []), "detect", where)
    assumed = document.get("timezone_assumed", False)
    if not isinstance(assumed, bool):
        raise _bad(where, "timezone_assumed must be true or false")
    unknown_status = _text(document, "unknown_status", where, ("none", "skip"))
    return Profile(
        name=_text(document, "name", where),
        title=_text(document, "title", where),
        detect=detect,
        base=_text(document, "preset", where),
        columns=_columns(document.get("columns", {}), where),
        statuses=_statuses(document.get("statuses", {}), where),
        unknown_status="" if unknown_status == "none" else unknown_status,
        timezone=_text(document, "timezone", where),
        timezone_assumed=assumed,
        currency=_text(document, "currency", where).upper(),
        name_order=_text(document, "name_order", where, NAME_ORDERS),
        split=_split(products.get("split", ""), where),
        not_products=_texts(products.get("not_products", []), "not_products", where),
    )
