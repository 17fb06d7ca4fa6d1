"""Stage 2, map: the file's headers are matched to JustClick's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from importer.errors import InputError
from importer.fields import ALL_FIELDS, UTM_FIELDS

__all__ = ["ColumnMap", "map_columns", "normalise_header"]


def normalise_header(header: str) -> str:
    """A header reduced for matching: lower case, only letters and digits (any script)."""
    return re.sub(r"[\W_]+", "", header.casefold())


def _known_headers() -> dict[str, str]:
    known: dict[str, str] = {}
    for name in ALL_FIELDS:
        known[normalise_header(name)] = name
    for name in UTM_FIELDS:
        known[normalise_header(f"utm[{name}]")] = name  # the API's own nested spelling
    return known


_KNOWN = _known_headers()


@dataclass
class ColumnMap:
    """Which header of the file feeds which field, and which headers are not used."""

    fields: dict[str, str] = field(default_factory=dict)  # field name -> header in the file
    ignored: list[str] = field(default_factory=list)

    def header_for(self, name: str) -> str:
        """The file's header for ``name``, or the field name itself when the file has none."""
        return self.fields.get(name, name)


def map_columns(headers: list[str], *, source: Path | None = None) -> ColumnMap:
    """Match ``headers`` to fields; raise ``InputError`` when two headers claim one field."""
    mapping = ColumnMap()
    for header in headers:
        name = _KNOWN.get(normalise_header(header))
        if name is None:
            mapping.ignored.append(header)
            continue
        if name in mapping.fields:
            where = f"{source}: " if source else ""
            raise InputError(
                f"{where}columns {mapping.fields[name]!r} and {header!r} both mean {name}; "
                "remove or rename one of them"
            )
        mapping.fields[name] = header
    return mapping
