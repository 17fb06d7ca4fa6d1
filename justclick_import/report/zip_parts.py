"""The results workbook's file, written again with the big sheets' rows put in.

rust_xlsxwriter writes every part of the workbook (styles, the Summary, each big sheet with
its header row, filters, formats and layout); the rows of the big sheets were deflated
meanwhile (``report.deflated``). Here every part is copied into a new zip file and each big
sheet becomes its head, up to ``</sheetData>``, the deflated rows, and its tail. Three cell
formats are added to the styles at fixed numbers (``STREAM_STYLES``), so the rows could name
them before the styles existed.
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from justclick_import.report.deflated import LEVEL, DeflatedStream, crc32_combine
from justclick_import.report.sheet_xml import column_letter

__all__ = ["STREAM_STYLES", "StreamedSheet", "write_with_rows"]

_FIRST_STYLE = 256  # past the formats rust_xlsxwriter numbers for this workbook (checked)
# The formats the streamed rows use, and their numbers in the styles.
STREAM_STYLES = {"whole": _FIRST_STYLE, "money": _FIRST_STYLE + 1, "wrap": _FIRST_STYLE + 2}
_WHOLE = 1  # Excel's built-in number format "0"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, as rust_xlsxwriter dates its parts
_SMALL = 0xFFFFFFFF  # what a zip's 4-byte field writes when ZIP64 holds the value
_LIMIT = _SMALL  # sizes and offsets from which ZIP64 holds them


@dataclass
class StreamedSheet:
    """A sheet whose rows after the header went into ``stream``; its last row and width."""

    title: str
    columns: int
    stream: DeflatedStream
    last_row: int = 1


def write_with_rows(
    source: Path, target: Path, sheets: Mapping[str, StreamedSheet], money_format: str
) -> None:
    """Write ``target``: the workbook ``source`` with the rows of ``sheets`` (by title) put
    in and the streamed formats (``money_format`` the money one) added to its styles."""
    with zipfile.ZipFile(source) as book, open(target, "wb") as out:
        parts = _sheet_parts(book)
        by_part = {parts[title]: sheet for title, sheet in sheets.items()}
        if len(by_part) != len(sheets):
            missing = sorted(set(sheets) - set(parts))
            raise ValueError(f"the workbook has no sheet {missing}")
        writer = _ZipWriter(out)
        for info in book.infolist():
            data = book.read(info)
            if info.filename == "xl/styles.xml":
                data = with_stream_styles(data, money_format)
            sheet = by_part.get(info.filename)
            if sheet is None:
                writer.add(info.filename, data)
            else:
                head, tail = _around_rows(data, sheet)
                writer.add_streamed(info.filename, head, sheet.stream, tail)
        writer.close()


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's title and the zip part that holds it."""
    relations = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {
        item.get("Id"): item.get("Target", "") for item in relations.iter(f"{_PACKAGE}Relationship")
    }
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    found: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_RELATIONS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        found[sheet.get("name", "")] = part
    return found


def _around_rows(data: bytes, sheet: StreamedSheet) -> tuple[bytes, bytes]:
    """The sheet's XML before and after where its streamed rows go, with its dimension set."""
    end = b"</sheetData>"
    if data.count(end) != 1:
        raise ValueError(f"sheet {sheet.title!r}: no single end of its rows")
    at = data.index(end)
    head, tail = data[:at], data[at:]
    last = f"{column_letter(sheet.columns - 1)}{sheet.last_row}"
    head = re.sub(
        rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>'.encode(), head, count=1
    )
    return head, tail


def with_stream_styles(data: bytes, money_format: str) -> bytes:
    """The styles part with the streamed rows' formats at ``STREAM_STYLES`` numbers."""
    text, money = _with_number_format(data.decode("utf-8"), money_format)
    found = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', text, re.DOTALL)
    if found is None:
        raise ValueError("the styles have no cell formats")
    count = found.group(2).count("<xf ")
    if count > _FIRST_STYLE:
        raise ValueError(f"{count} cell formats: more than the {_FIRST_STYLE} reserved")
    plain = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    added = plain * (_FIRST_STYLE - count) + "".join(
        (
            f'<xf numFmtId="{_WHOLE}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>',
            f'<xf numFmtId="{money}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>',
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
            '<alignment wrapText="1"/></xf>',
        )
    )
    total = _FIRST_STYLE + len(STREAM_STYLES)
    replaced = f'<cellXfs count="{total}">{found.group(2)}{added}</cellXfs>'
    return (text[: found.start()] + replaced + text[found.end() :]).encode("utf-8")


def _with_number_format(text: str, code: str) -> tuple[str, int]:
    """The styles with the number format ``code`` (added if missing), and its number."""
    formats = re.search(r'<numFmts count="(\d+)">(.*?)</numFmts>', text, re.DOTALL)
    listed = (
        re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>', formats.group(2))
        if formats
        else []
    )
    for number, written in listed:
        if html.unescape(written) == code:
            return text, int(number)
    number = max([163, *(int(n) for n, _ in listed)]) + 1
    entry = f'<numFmt numFmtId="{number}" formatCode="{html.escape(code, quote=True)}"/>'
    if formats is None:
        opening = re.search(r"<styleSheet[^>]*>", text)
        if opening is None:
            raise ValueError("the styles have no styleSheet")
        at = opening.end()
        return f'{text[:at]}<numFmts count="1">{entry}</numFmts>{text[at:]}', number
    block = f'<numFmts count="{len(listed) + 1}">{formats.group(2)}{entry}</numFmts>'
    return text[: formats.start()] + block + text[formats.end() :], number


def _deflated(data: bytes, *, last: bool) -> bytes:
    deflate = zlib.compressobj(LEVEL if not last else 6, zlib.DEFLATED, -15)
    return deflate.compress(data) + deflate.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


class _ZipWriter:
    """A zip file of deflated parts, ZIP64 where a size or an offset needs it."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.entries: list[tuple[bytes, int, int, int, int]] = []  # name, crc, sizes, offset
        self.large = False  # some entry needs ZIP64

    def add(self, name: str, data: bytes) -> None:
        packed = _deflated(data, last=True)
        self._header(name, zlib.crc32(data), len(data), len(packed))
        self.out.write(packed)

    def add_streamed(self, name: str, head: bytes, rows: DeflatedStream, tail: bytes) -> None:
        rows.finish()
        first, last = _deflated(head, last=False), _deflated(tail, last=True)
        crc = crc32_combine(zlib.crc32(head), rows.crc, rows.size)
        crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
        size = len(head) + rows.size + len(tail)
        self._header(name, crc, size, len(first) + rows.compressed + len(last))
        self.out.write(first)
        rows.copy_to(self.out)
        self.out.write(last)

    def _header(self, name: str, crc: int, size: int, packed: int) -> None:
        encoded = name.encode("utf-8")
        offset = self.out.tell()
        self.entries.append((encoded, crc, size, packed, offset))
        large = max(size, packed, offset) >= _LIMIT
        self.large = self.large or large
        extra = struct.pack("<HHQQ", 1, 16, size, packed) if large else b""
        self.out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                45 if large else 20,
                0x800,  # names in UTF-8
                8,  # deflated
                0,
                _DOS_DATE,
                crc,
                _SMALL if large else packed,
                _SMALL if large else size,
                len(encoded),
                len(extra),
            )
        )
        self.out.write(encoded + extra)

    def close(self) -> None:
        start = self.out.tell()
        for name, crc, size, packed, offset in self.entries:
            large = max(size, packed, offset) >= _LIMIT
            extra = struct.pack("<HHQQQ", 1, 24, size, packed, offset) if large else b""
            self.out.write(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    45,
                    45 if large else 20,
                    0x800,
                    8,
                    0,
                    _DOS_DATE,
                    crc,
                    _SMALL if large else packed,
                    _SMALL if large else size,
                    len(name),
                    len(extra),
                    0,
                    0,
                    0,
                    0,
                    _SMALL if large else offset,
                )
            )
            self.out.write(name + extra)
        end = self.out.tell()
        count, directory = len(self.entries), end - start
        if start >= _LIMIT or end >= _LIMIT or count >= 0xFFFF or self.large:
            self.out.write(
                struct.pack(
                    "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, directory, start
                )
            )
            self.out.write(struct.pack("<IIQI", 0x07064B50, 0, end, 1))
            self.out.write(
                struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, _SMALL, _SMALL, 0)
            )
        else:
            self.out.write(
                struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, directory, start, 0)
            )
