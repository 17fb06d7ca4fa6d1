"""Stage 2, map: the file's headers are matched to JustClick's fields (``mapping_file`` reads a
user's own mapping)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from justclick_import.errors import ErrorCode, InputError
from justclick_import.fields import ALL_FIELDS, UTM_FIELDS
from justclick_import.rows.aliases import ALIASES

__all__ = [
    "ColumnMap",
    "HeaderMatch",
    "Overrides",
    "api_field",
    "describe_columns",
    "header_recogniser",
    "map_columns",
    "normalise_header",
]

# How a header was understood, as the `columns` command shows it.
BY_NAME = "JustClick field name"
BY_ALIAS = "common name"
BY_MAPPING = "mapping file"
LEFT_OUT = "left out by the mapping file"
UNKNOWN = "not recognised"
LINE_NUMBER = "a line's position in its order, not a product id"

# "Item #", "Line No", "№ позиции": the line's position (WooCommerce's Item # is 1, 2, 3 in every
# order). Without this it would read as "Item", a product id.
_LINE_NUMBER = re.compile(
    r"\s*(?:item|line|lineitem|position|позиция|строка)\s*(?:#|№|no\.?|number|номер)\s*"
    r"|\s*(?:#|№)\s*(?:позиции|строки)?\s*",
    re.IGNORECASE,
)
# Headers of the column that holds a product's id in the old shop (recommended over the others).
_ARTICLE_HEADERS = frozenset({"sku", "lineitemsku", "артикул", "article", "articul", "vendorcode"})

# A mapping file's choices, keyed by normalised header: a field name, or None to leave it out.
Overrides = dict[str, str | None]


def normalise_header(header: str) -> str:
    """A header reduced for matching: lower case, only letters and digits (any script), ё as е."""
    return re.sub(r"[\W_]+", "", header.casefold()).replace("ё", "е")


def _api_names() -> dict[str, str]:
    names = {normalise_header(name): name for name in ALL_FIELDS}
    for name in UTM_FIELDS:
        names[normalise_header(f"utm[{name}]")] = name  # the API's own nested spelling
    return names


def _alias_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for name, aliases in ALIASES.items():
        for alias in aliases:
            names.setdefault(normalise_header(alias), name)
    return names


_API_NAMES = _api_names()


def api_field(text: str) -> str | None:
    """The JustClick field ``text`` names (``bill_email``, ``utm[utm_source]``), or None."""
    return _API_NAMES.get(normalise_header(text))


_ALIASES = _alias_names()


@dataclass(frozen=True)
class HeaderMatch:
    """How one header of the file was understood: the field it feeds (None: not sent) and why."""

    header: str
    field: str | None
    how: str
    clash: str = ""  # another header already feeding the same field
    preset: str = ""  # the preset (its name) whose columns decided this header, if one did


@dataclass
class ColumnMap:
    """Which header of the file feeds which field, and which headers are not used."""

    fields: dict[str, str] = field(default_factory=dict)  # field name -> header in the file
    ignored: list[str] = field(default_factory=list)
    matches: list[HeaderMatch] = field(default_factory=list)

    def header_for(self, name: str) -> str:
        """The file's header for ``name``, or the field name itself when the file has none."""
        return self.fields.get(name, name)


def _recognise(header: str, overrides: Overrides) -> tuple[str | None, str]:
    key = normalise_header(header)
    if key in overrides:
        target = overrides[key]
        return target, BY_MAPPING if target else LEFT_OUT
    if _LINE_NUMBER.fullmatch(header):
        return None, LINE_NUMBER
    if key in _API_NAMES:
        return _API_NAMES[key], BY_NAME
    if key in _ALIASES:
        return _ALIASES[key], BY_ALIAS
    return None, UNKNOWN


def header_recogniser(overrides: Overrides | None = None) -> Callable[[str], bool]:
    """A test telling whether a cell's text is a header this importer understands."""
    chosen = overrides or {}
    return lambda text: _recognise(text, chosen)[0] is not None


def describe_columns(headers: list[str], overrides: Overrides | None = None) -> list[HeaderMatch]:
    """How each header is understood, in file order; a second header for one field is a clash."""
    matches: list[HeaderMatch] = []
    taken: dict[str, str] = {}
    for header in headers:
        name, how = _recognise(header, overrides or {})
        clash = ""
        if name is not None:
            clash = taken.get(name, "")
            taken.setdefault(name, header)
        matches.append(HeaderMatch(header, name, how, clash))
    return matches


def map_columns(
    headers: list[str], *, source: Path | None = None, overrides: Overrides | None = None
) -> ColumnMap:
    """Match ``headers`` to fields.

    Raises ``InputError`` when two headers claim one field or when no header is recognised.
    """
    where = f"{source}: " if source else ""
    mapping = ColumnMap(matches=describe_columns(headers, overrides))
    for match in mapping.matches:
        if match.clash and match.field == "good_name":
            raise _product_clash(where, match.clash, match.header)
        if match.clash:
            raise InputError(
                ErrorCode.HEADER_CLASH,
                f"{where}columns {match.clash!r} and {match.header!r} both mean {match.field}; "
                "remove or rename one of them, or leave one out in a mapping file",
                header=match.header,
            )
        if match.field is None:
            mapping.ignored.append(match.header)
        else:
            mapping.fields[match.field] = match.header
    if not mapping.fields:
        shown = ", ".join(repr(header) for header in headers[:12]) or "none"
        raise InputError(
            ErrorCode.NO_KNOWN_HEADER,
            f"{where}no header is a JustClick field (headers found: {shown}); rename the "
            "headers as the template has them, or map them in a mapping file",
        )
    return mapping


def _product_clash(where: str, first: str, second: str) -> InputError:
    """Two columns could be the product: recommend the SKU / article one, leave the other out."""
    keep = next((h for h in (first, second) if normalise_header(h) in _ARTICLE_HEADERS), "")
    if keep:
        other = second if keep == first else first
        advice = (
            f"the SKU / article column {keep!r} is usually the product's id in the shop: "
            f"leave {other!r} out in a mapping file (or map it as the product's title, "
            "good_title, to match titles with the catalog)"
        )
    else:
        other = second
        advice = (
            "keep the one holding the product's id (an SKU or article column) and leave the "
            "other out in a mapping file, or map it as the product's title (good_title)"
        )
    return InputError(
        ErrorCode.HEADER_CLASH,
        f"{where}columns {first!r} and {second!r} could both be the product; {advice}",
        header=other,
    )
