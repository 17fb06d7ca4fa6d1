"""A big table's rows as sheet XML, built a column at a time in Arrow.

rust_xlsxwriter writes a sheet's rows one cell at a time and deflates its files at level 6 on
one thread; for a million input rows that is most of a dry run. Here a chunk of rows becomes
the XML of its ``<row>`` elements with a few Arrow kernels per column (no Python object per
cell), written as rust_xlsxwriter writes the same cells: inline strings, Excel's ``_xHHHH_``
escapes for control characters, ``xml:space="preserve"`` for text that begins or ends with
white space, numbers as ``<v>``, nothing for an empty cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["column_letter", "excel_escape", "rows_xml", "xml_bytes"]

# Characters XML 1.0 cannot hold (tab and line feed it can), and text that Excel would read as
# one of its own escapes: both written as Excel writes them.
_NEEDS_EXCEL_ESCAPE = r"[\x00-\x08\x0B-\x1F]|_x[0-9A-Fa-f]{4}_"
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")
_XML_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def excel_escape(text: str) -> str:
    """``text`` with Excel's escapes: ``_x0001_`` for a control character, ``_x005F_`` before
    text that looks like such an escape (as rust_xlsxwriter writes them)."""
    text = _LITERAL_ESCAPE.sub("_x005F_", text)
    return _CONTROL.sub(lambda found: f"_x{ord(found.group()):04X}_", text)


def _text(literal: str) -> pa.Scalar:
    return pa.scalar(literal, pa.large_string())


_EMPTY = _text("")


def _parts(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (one more than values) and the bytes of a ``large_string`` array."""
    buffers = text.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[text.offset : text.offset + len(text) + 1]
    data = buffers[2]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, raw[int(offsets[0]) : int(offsets[-1])] if len(offsets) else raw[:0]


def _escaped(values: pa.Array) -> pa.Array:
    """Text ready to stand between ``<t>`` and ``</t>`` (no nulls).

    The bytes of the whole column are looked at once (numpy, ``bytes.find``): most columns
    need no escape at all, and then no kernel runs over them.
    """
    text = pc.fill_null(values.cast(pa.large_string()), "")
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    _, data = _parts(text)
    raw = data.tobytes()
    control = (data < 0x20) & (data != 0x09) & (data != 0x0A)
    if control.any() or b"_x" in raw:
        special = pc.match_substring_regex(text, _NEEDS_EXCEL_ESCAPE)
        where = np.flatnonzero(special.to_numpy(zero_copy_only=False))
        listed = text.to_pylist()
        for i in where.tolist():
            listed[i] = excel_escape(listed[i])
        text = pa.array(listed, pa.large_string())
        raw = _parts(text)[1].tobytes()
    for character, entity in _XML_ENTITIES:
        if character.encode() in raw:
            text = pc.replace_substring(text, character, entity)
    return text


_EDGE_BYTES = np.array([0x20, 0x09, 0x0A], dtype=np.uint8)


def _text_cells(letter: str, rows: pa.Array, values: pa.Array, style: str) -> pa.Array:
    """The cells of one text column; null where the text is empty (no cell)."""
    text = _escaped(values)
    offsets, data = _parts(text)
    starts, ends = offsets[:-1] - offsets[0], offsets[1:] - offsets[0]
    filled = ends > starts
    opening: pa.Array | pa.Scalar = _text("<t>")
    if filled.any():
        edges = np.zeros(len(text), dtype=bool)
        first, last = data[starts[filled]], data[ends[filled] - 1]
        edges[filled] = np.isin(first, _EDGE_BYTES) | np.isin(last, _EDGE_BYTES)
        if edges.any():
            opening = pc.if_else(pa.array(edges), _text('<t xml:space="preserve">'), opening)
    # Empty text as null: the joins below then make no cell of it.
    validity = pa.py_buffer(np.packbits(filled, bitorder="little"))
    text = pa.LargeStringArray.from_buffers(
        len(text), pa.py_buffer(offsets), text.buffers()[2], validity
    )
    head = _text(f'<c r="{letter}')
    middle = _text(f'"{style} t="inlineStr"><is>')
    end = _text("</t></is></c>")
    cells: pa.Array = pc.binary_join_element_wise(head, rows, middle, opening, text, end, _EMPTY)
    return cells


def _number_cells(letter: str, rows: pa.Array, values: pa.Array, style: str) -> pa.Array:
    if pa.types.is_floating(values.type):
        finite = pc.is_finite(values)
        values = pc.if_else(finite, values, pa.scalar(None, values.type))
    written = pc.cast(values, pa.large_string())
    head, middle, end = _text(f'<c r="{letter}'), _text(f'"{style}><v>'), _text("</v></c>")
    cells: pa.Array = pc.binary_join_element_wise(head, rows, middle, written, end, _EMPTY)
    return cells


def column_letter(index: int) -> str:
    """Excel's letters of the 0-based column ``index``: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def rows_xml(first_row: int, arrays: Sequence[pa.Array], styles: Mapping[int, int]) -> pa.Array:
    """The ``<row>`` elements of sheet rows ``first_row`` … (1-based, Excel's numbers), one
    per line of ``arrays`` (one Arrow array per column, text or numbers), as one
    ``large_string`` value per row. ``styles`` gives a column's cell format (``s``), if any.
    """
    count = len(arrays[0]) if arrays else 0
    numbers = pa.array(np.arange(first_row, first_row + count, dtype=np.int64))
    rows = pc.cast(numbers, pa.large_string())
    cells = []
    for column, values in enumerate(arrays):
        style = f' s="{styles[column]}"' if column in styles else ""
        kind = values.type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            cells.append(_number_cells(column_letter(column), rows, values, style))
        else:
            cells.append(_text_cells(column_letter(column), rows, values, style))
    head, middle, end = _text('<row r="'), _text('">'), _text("</row>")
    joined = pc.binary_join_element_wise(
        head, rows, middle, *cells, end, _EMPTY, null_handling="replace", null_replacement=""
    )
    if isinstance(joined, pa.ChunkedArray):  # a column came in chunks (from pandas)
        joined = joined.combine_chunks()
    result: pa.Array = joined
    return result


def xml_bytes(rows: pa.Array) -> memoryview:
    """The bytes of a ``rows_xml`` result, one after the other (a view of its buffer)."""
    return _parts(rows)[1].data
