"""Reading a CSV file: its encoding and delimiter guessed, its header found, its body in Arrow.

Excel and 1C write cp1251 with semicolons, UTF-8 with a BOM or UTF-16 ("Unicode text"); the
encoding is guessed from the first bytes, the delimiter from the rows it splits evenly, and the
body is read by pyarrow as text only, so ``012345`` stays ``012345``.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

from justclick_import.errors import ErrorCode, InputError
from justclick_import.sources.sheet import (
    HEAD_BYTES,
    HEADER_SEARCH_ROWS,
    OLE_MAGIC,
    HeaderTest,
    Sheet,
    empty_text,
    find_header,
    first_line,
    to_sheet,
)

__all__ = ["DELIMITERS", "read_csv"]

DELIMITERS = (",", ";", "\t", "|")


def _not_a_csv(path: Path, head: bytes) -> str | None:
    """Why ``head`` is clearly not text, or None."""
    if head.startswith(b"PK\x03\x04"):
        return "is an Excel workbook (or another zip file) with a text name; rename it to .xlsx"
    if head.startswith(OLE_MAGIC):
        return "is an Excel .xls workbook with a text name; rename it to .xls or save as .xlsx"
    if head.startswith(b"%PDF"):
        return "is a PDF, not a table; export the orders from your shop as .csv or .xlsx"
    return None


def _guess_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        if sample[1::2].count(0) > len(sample) // 4 and not sample[0::2].count(0):
            return "utf-16-le"
        if sample[0::2].count(0) > len(sample) // 4 and not sample[1::2].count(0):
            return "utf-16-be"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3 and not mostly_utf8(head[: len(head) - 3]):
            return "cp1251"  # the usual 8-bit encoding of Russian Windows and 1C exports
    return "utf-8"


def mostly_utf8(data: bytes) -> bool:
    """True when ``data`` is UTF-8 with a few stray bytes, not an 8-bit encoding such as cp1251.

    Russian cp1251 text is almost never valid UTF-8 (a letter is a lead byte and the next
    letter no continuation byte), so its decoding is nearly all replacements; UTF-8 text with
    one stray byte has many good multi-byte characters and one bad one.
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char >= "\x80") - bad
    return good > 0 and good >= 4 * bad


def _canonical_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError(
            ErrorCode.UNKNOWN_ENCODING,
            f"unknown encoding {name!r}; try utf-8, cp1251 (Windows Cyrillic) or utf-16",
        ) from None


def _decode_head(path: Path, head: bytes, encoding: str, complete: bool) -> str:
    try:
        return codecs.decode(head, encoding)
    except UnicodeDecodeError as error:
        if encoding.startswith("utf-8") and mostly_utf8(head):
            # A stray byte: each row holding one is reported (bad-bytes), the rest are read.
            end = len(head) if complete else len(head) - 3
            return head[:end].decode(encoding, "replace")
        if complete or error.start < len(head) - 4:
            raise _decode_error(path, encoding, error.start) from None
        return codecs.decode(head[: error.start], encoding)  # a character cut by the sample


def _empty(path: Path) -> InputError:
    return InputError(
        ErrorCode.EMPTY_FILE, f"{path}: the file is empty; export the orders with a header row"
    )


def _decode_error(path: Path, encoding: str, byte: int | None) -> InputError:
    where = f" at byte {byte}" if byte is not None else ""
    other = "utf-8" if encoding == "cp1251" else "cp1251"
    return InputError(
        ErrorCode.CANNOT_DECODE,
        f"cannot decode {path} as {encoding}{where}; read it as {other} (or as the file's real "
        "encoding)",
        encoding=encoding,
        suggested=other,
    )


def _sniff_delimiter(records: dict[str, list[list[str]]]) -> str:
    """The delimiter that splits most rows into the same number (more than one) of cells."""
    best, best_score = ",", (0, 0)
    for candidate, rows in records.items():
        widths = Counter(len(row) for row in rows if len(row) > 1)
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if (count, width) > best_score:
            best, best_score = candidate, (count, width)
    return best


def _parse_head(text: str, delimiter: str, complete: bool) -> tuple[list[list[str]], list[int]]:
    """The first records of ``text`` and the number of physical lines up to the end of each."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[str]] = []
    ends: list[int] = []
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row])
            ends.append(reader.line_num)
            if len(rows) > HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    if not complete and len(rows) <= HEADER_SEARCH_ROWS and rows:
        rows, ends = rows[:-1], ends[:-1]  # the last record may be cut by the sample
    return rows, ends


def read_csv(
    path: Path, encoding: str | None, delimiter: str | None, is_header: HeaderTest | None
) -> Sheet:
    """Read a CSV file into a ``Sheet`` (``encoding``, ``delimiter``: None to guess them)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    complete = size <= HEAD_BYTES
    reason = _not_a_csv(path, head)
    if reason:
        raise InputError(ErrorCode.WRONG_FORMAT, f"{path}: {reason}")
    chosen = _canonical_encoding(encoding) if encoding else _guess_encoding(head)
    text = _decode_head(path, head, chosen, complete).lstrip("\ufeff")
    if not text.strip():
        raise _empty(path)
    if "\x00" in text:
        raise InputError(
            ErrorCode.WRONG_FORMAT,
            f"{path}: not a text file (it holds binary data); export the orders as .csv or .xlsx",
        )
    if delimiter is not None and len(delimiter) != 1:
        named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
        delimiter = named.get(delimiter.lower())
        if delimiter is None:
            raise InputError(
                ErrorCode.BAD_DELIMITER,
                f"the delimiter {delimiter!r} must be one character, or tab",
            )
    if delimiter is None:
        candidates = {d: _parse_head(text, d, complete)[0] for d in DELIMITERS}
        delimiter = _sniff_delimiter(candidates)
    rows, ends = _parse_head(text, delimiter, complete)
    header_index = find_header(rows, is_header) if rows else 0
    header = rows[header_index] if rows else []
    if not any(header):
        raise _empty(path)
    if complete and len(rows) == header_index + 1:  # nothing below the header
        columns: list[Any] | None = [empty_text() for _ in header]
    else:
        columns = _read_csv_body(path, chosen, delimiter, header, ends[header_index])
    replaced = False
    if columns is None and chosen in ("utf-8", "utf-8-sig") and _file_mostly_utf8(path):
        # UTF-8 with stray bytes: read it all, the bad bytes' rows flagged, never cp1251 for
        # the whole file (that would garble every name in it).
        replaced = True
        columns = _read_csv_body(path, chosen, delimiter, header, ends[header_index], True)
    elif encoding is None and chosen == "utf-8" and columns is None:
        # The sample was plain ASCII but later bytes are not UTF-8: a Windows export.
        chosen = "cp1251"
        columns = _read_csv_body(path, chosen, delimiter, header, ends[header_index])
    if columns is None:
        raise _decode_error(path, chosen, _first_bad_byte(path, chosen))
    return to_sheet(
        path,
        None,
        header,
        columns,
        header_row=header_index + 1,
        encoding=chosen,
        delimiter=delimiter,
        decoded_with_replacements=replaced or ("\ufffd" in text and chosen.startswith("utf-8")),
    )


def _file_mostly_utf8(path: Path) -> bool:
    """``mostly_utf8`` over the whole file, a piece at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    bad = good = 0
    with path.open("rb") as handle:
        for piece in iter(lambda: handle.read(1 << 22), b""):
            text = decoder.decode(piece)
            replaced = text.count("\ufffd")
            bad += replaced
            good += sum(1 for char in text if char >= "\x80") - replaced
    return good > 0 and good >= 4 * bad


def _read_csv_body(
    path: Path,
    encoding: str,
    delimiter: str,
    header: list[str],
    skip_lines: int,
    replace: bool = False,
) -> list[Any] | None:
    """The records after the header as Arrow text columns; None when the bytes do not decode.

    ``replace``: bytes that are not UTF-8 become U+FFFD (the file is decoded first, in memory).
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = [f"c{i}" for i in range(len(header))]
    bad_rows: list[tuple[int, str]] = []

    def on_bad_row(row: Any) -> str:
        bad_rows.append((int(row.actual_columns), str(row.text)))
        return "error"

    # utf-8-sig: pyarrow drops a UTF-8 BOM itself and reads UTF-8 without transcoding.
    arrow_encoding = "utf8" if encoding in {"utf-8", "utf-8-sig"} else encoding
    source: Any = path
    if replace:
        source = io.BytesIO(path.read_bytes().decode(encoding, "replace").encode("utf-8"))
        arrow_encoding = "utf8"
    try:
        table = pa_csv.read_csv(
            source,
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=skip_lines, encoding=arrow_encoding
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,  # Excel quotes cells with line breaks
                ignore_empty_lines=False,  # blank lines still count as rows
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pa_csv.ConvertOptions(
                # Never numbers: "012345" stays. large_string is what pandas keeps: no cast.
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except UnicodeDecodeError:
        return None
    except Exception as error:  # pyarrow's ArrowInvalid for malformed CSV
        if "invalid UTF8" in str(error):
            return None
        if bad_rows:
            count, text = bad_rows[0]
            raise InputError(
                ErrorCode.MALFORMED_CSV,
                f"{path}: a row has {count} cells but the header has {len(header)} "
                f"({text[:80]!r}); check its quotes and delimiters, or say which delimiter "
                "the file uses",
            ) from None
        raise InputError(
            ErrorCode.MALFORMED_CSV, f"{path}: not a readable CSV file ({first_line(error)})"
        ) from None
    columns: list[Any] = table.columns
    return columns


def _first_bad_byte(path: Path, encoding: str) -> int | None:
    try:
        codecs.decode(path.read_bytes(), encoding)
    except UnicodeDecodeError as error:
        return error.start
    return None
