"""An XLSX/XLSM package looked through before it is read: size, and the cells readers hide.

- Zip bombs: a 1 MB workbook can inflate to gigabytes (a reader then takes that much memory).
  Every part is inflated once here, a piece at a time, by Python's zipfile, which stops at the
  size each part declares and checks its CRC: a part that inflates past ``MAX_UNPACKED`` in
  all, or more than ``MAX_RATIO`` times its packed size beyond ``RATIO_FROM`` bytes, refuses
  the file before any reader sees it.
- On the way, each worksheet's XML shows what the readers turn into an empty cell: a formula
  whose result was never saved (``<f>`` without ``<v>``: files written by programs rather than
  Excel) and a cell showing an error (``t="e"``, ``#N/A``). An empty price would mean the
  shop's price; these cells are reported instead.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from justclick_import.errors import ErrorCode, InputError

__all__ = ["MAX_RATIO", "MAX_UNPACKED", "HiddenCell", "PackageScan", "scan_package"]

MAX_UNPACKED = 4 << 30  # 4 GiB inflated in all: a sheet of a million rows is about 1 GiB
MAX_RATIO = 100  # XML packs 5-20 times; a bomb packs a thousand times
RATIO_FROM = 64 << 20  # parts smaller than this may pack as well as they like
_PIECE = 1 << 20

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<v>([^<]+)</v>")
_ELEMENT = re.compile(rb"<(sheet|Relationship)\b([^>]*)>")


def _attribute(attributes: bytes, name: bytes) -> bytes | None:
    found = re.search(rb"(?:^|\s)" + re.escape(name) + rb'\s*=\s*"([^"]*)"', attributes)
    return found.group(1) if found else None


@dataclass(frozen=True, slots=True)
class HiddenCell:
    """A cell a reader shows empty: its sheet row, 0-based column, kind and what it shows."""

    row: int
    column: int
    kind: str  # "formula-without-value" or "error-cell"
    shown: str


@dataclass
class PackageScan:
    """What the package's worksheets hide, by sheet name, and which may hold number cells."""

    hidden: dict[str, list[HiddenCell]] = field(default_factory=dict)
    numbers: set[str] | None = None  # sheets with a cell that is not text; None: not scanned

    def has_numbers(self, sheet: str) -> bool:
        """False only when every cell of ``sheet`` was seen to be text."""
        return self.numbers is None or sheet in self.numbers


# A cell's types other than a number: counted against its cells, a sheet whose counts agree has
# no number cell (a blank or an unusual cell only makes the answer "maybe").
_NOT_NUMBERS = (b' t="s"', b' t="inlineStr"', b' t="str"', b' t="b"', b' t="e"')


def _may_hold_numbers(cells: bytes) -> bool:
    """Whether whole cells ``cells`` may hold a number cell (counting is GB/s; a parse is not).

    Shared strings are counted first: in a sheet of text they are every cell, and the other
    kinds need not be counted at all (two passes over the piece instead of six).
    """
    left = cells.count(b"<c ")
    for kind in _NOT_NUMBERS:
        left -= cells.count(kind)
        if left <= 0:
            return False
    return True


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - 64)
    return index - 1


def _unescape(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name, from ``xl/workbook.xml`` and its relations."""
    try:
        workbook = package.read("xl/workbook.xml")
        relations = package.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[bytes, str] = {}
    for kind, attributes in _ELEMENT.findall(relations):
        rid, target = _attribute(attributes, b"Id"), _attribute(attributes, b"Target")
        if kind == b"Relationship" and rid and target:
            path = target.decode("utf-8", "replace")
            targets[rid] = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    parts = {}
    for kind, attributes in _ELEMENT.findall(workbook):
        name, rid = _attribute(attributes, b"name"), _attribute(attributes, b"r:id")
        if kind == b"sheet" and name is not None and rid in targets:
            parts[targets[rid]] = _unescape(name)
    return parts


def _cells(data: bytes) -> Iterator[HiddenCell]:
    for match in _CELL.finditer(data):
        attributes, body = match.group(1), match.group(2) or b""
        error = b't="e"' in attributes
        formula = b"<f" in body
        if not error and not formula:
            continue
        value = _VALUE.search(body)
        if formula and not error and value is not None:
            continue  # a formula with its saved result: the readers show the result
        where = _REFERENCE.search(attributes)
        if where is None:
            continue
        kind = "error-cell" if error else "formula-without-value"
        shown = _unescape(value.group(1)) if value is not None else ""
        yield HiddenCell(int(where.group(2)), _column_index(where.group(1)), kind, shown)


def _too_big(path: Path, why: str) -> InputError:
    return InputError(
        ErrorCode.FILE_TOO_BIG,
        f"{path}: {why}; a workbook of orders is never like this (a damaged file, or a 'zip "
        "bomb'): open it in Excel and save it again, or export the orders as .csv",
    )


def scan_package(path: Path) -> PackageScan:
    """Inflate every part of the package once, checking sizes; return the hidden cells.

    Raises ``InputError``: ``file-too-big`` past the limits, ``damaged-workbook`` for a part
    that does not inflate to what it declares.
    """
    numbers: set[str] = set()
    scan = PackageScan(numbers=numbers)
    total = 0
    try:
        with zipfile.ZipFile(path) as package:
            sheets = _sheet_parts(package)
            for info in package.infolist():
                if info.file_size > MAX_UNPACKED:
                    declared = f"its part {info.filename} inflates to {info.file_size:,} bytes"
                    raise _too_big(path, declared)
                sheet = sheets.get(info.filename)
                carry = b""
                size = 0
                with package.open(info) as part:
                    while piece := part.read(_PIECE):
                        size += len(piece)
                        total += len(piece)
                        if total > MAX_UNPACKED:
                            raise _too_big(path, f"it inflates to more than {MAX_UNPACKED:,} bytes")
                        if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
                            raise _too_big(
                                path,
                                f"its part {info.filename} inflates more than {MAX_RATIO} times "
                                f"its {info.compress_size:,} packed bytes",
                            )
                        if sheet is None:
                            continue
                        data = carry + piece
                        cut = data.rfind(b"</c>") + 4  # whole cells now, the rest with the next
                        if cut < 4:
                            carry = data[-_PIECE:]
                            continue
                        if b"<f" in data[:cut] or b't="e"' in data[:cut]:
                            scan.hidden.setdefault(sheet, []).extend(_cells(data[:cut]))
                        if sheet not in numbers and _may_hold_numbers(data[:cut]):
                            numbers.add(sheet)
                        carry = data[cut:]
    except zipfile.BadZipFile as error:
        raise InputError(
            ErrorCode.DAMAGED_WORKBOOK,
            f"{path}: the workbook is damaged ({error}); open it in Excel and save it again",
        ) from None
    return scan
