"""Big tables' rows streamed as XML (report.sheet_xml, report.deflated, report.zip_parts).

A table of more than ``STREAM_ROWS_OVER`` lines has its rows made in Arrow and deflated on a
second thread, then put into the file rust_xlsxwriter wrote. The workbook must read back
exactly as the one rust_xlsxwriter writes cell by cell: here both are written from the same
run (streaming forced on small files) and compared cell by cell, format by format.
"""

from __future__ import annotations

import io
import shutil
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from justclick_import import ImportConfig, Secret, execute, prepare, run_import
from justclick_import.models import RunResult
from justclick_import.report import sheets as report_sheets
from justclick_import.report import workbook as report_workbook
from justclick_import.report import zip_parts
from justclick_import.report.deflated import DeflatedStream, crc32_combine
from justclick_import.report.sheet_xml import excel_escape, rows_xml, xml_bytes
from justclick_import.report.workbook import write_workbook
from justclick_import.sandbox import Sandbox

HOSTILE = (
    "order_id,bill_email,bill_first_name,bill_comment,good_name,good_sum,bill_phone,Заметка\n"
    'A-1,a@example.com," Анна ","x\x01y",course,"1 500,00",+79001234567,_x0041_\n'
    'A-1,a@example.com,,"<b>&amp;</b> ""цитата""",book,,+79001234567,"две\nстроки"\n'
    "A-2,b@example.com,Пётр,tab\t,course,договорная,,конец \n"
    "A-3,not-an-email,Иван,,book,10,89001234567,=1+1\n"
    "A-4,c@example.com,Ольга,\x7f\x1f,course,0,,_x00zz_\n"
)


def _dry_run(source: Path, tmp_path: Path, **options: Any) -> RunResult:
    journal = tmp_path / "journal.sqlite"
    config = ImportConfig(input=source, dry_run=True, journal=journal, **options)
    return execute(prepare(config))


def _hostile_run(tmp_path: Path) -> RunResult:
    """The dry run of a file of hostile cells (control characters, spaces, escapes, markup)."""
    source = tmp_path / "hostile.csv"
    source.write_text(HOSTILE, encoding="utf-8")
    return _dry_run(source, tmp_path)


def _cells(path: Path) -> dict[str, Any]:
    """Every sheet as a person and a script see it: values, types, formats, layout."""
    book = load_workbook(path)
    seen: dict[str, Any] = {"titles": book.sheetnames}
    for sheet in book.worksheets:
        cells = []
        links = []
        for row in sheet.iter_rows():
            for cell in row:
                if cell.hyperlink is not None:
                    links.append((cell.coordinate, cell.hyperlink.location))
                if cell.value is None:
                    continue  # a blank cell with a format looks the same as none
                looks = (cell.number_format, bool(cell.alignment.wrap_text), cell.font.b)
                cells.append((cell.coordinate, cell.value, cell.data_type, looks))
        rules = sorted(
            (str(ranges.sqref), rule.text)
            for ranges, found in sheet.conditional_formatting._cf_rules.items()
            for rule in found
        )
        widths = {key: round(dim.width, 2) for key, dim in sheet.column_dimensions.items()}
        seen[sheet.title] = {
            "cells": cells,
            "size": (sheet.max_row, sheet.max_column),
            "dimension": sheet.calculate_dimension(),
            "filter": sheet.auto_filter.ref,
            "frozen": sheet.freeze_panes,
            "links": links,
            "rules": rules,
            "widths": widths,
        }
    return seen


def _both_ways(
    result: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """The workbook of ``result`` written cell by cell, and with every table streamed."""
    plain = write_workbook(result, tmp_path / "plain.xlsx")
    monkeypatch.setattr(report_sheets, "STREAM_ROWS_OVER", -1)
    streamed = write_workbook(result, tmp_path / "streamed.xlsx")
    monkeypatch.setattr(report_sheets, "STREAM_ROWS_OVER", report_sheets.FIT_ROWS_UP_TO)
    return plain, streamed


def _streamed_parts(path: Path) -> list[str]:
    """The sheets whose rows were streamed (they name the streamed formats)."""
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None
        styles = book.read("xl/styles.xml").decode()
        assert '<cellXfs count="259">' in styles
        return [
            info.filename
            for info in book.infolist()
            if info.filename.startswith("xl/worksheets/")
            and b' s="25' in book.read(info)  # whole 256, money 257, wrap 258
        ]


def test_hostile_cells_read_back_as_rust_xlsxwriter_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _hostile_run(tmp_path)
    assert result.problems  # the bad e-mail and the bad price: a Problems table to stream
    plain, streamed = _both_ways(result, tmp_path, monkeypatch)
    assert _cells(streamed) == _cells(plain)
    assert len(_streamed_parts(streamed)) == 2  # Orders, Rows; a few problems have links
    rows = load_workbook(streamed)["Rows"]
    values = {cell.value for row in rows.iter_rows(min_row=2) for cell in row}
    assert {" Анна ", "две\nстроки", "конец ", "=1+1"} <= values
    # openpyxl shows Excel's escapes as written (Excel reads them as \x01 and _x0041_).
    assert {"x_x0001_y", "_x005F_x0041_"} <= values


def test_a_sandbox_run_with_bill_ids_reads_back_the_same(
    server: Sandbox, samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "orders.xlsx"
    shutil.copy(samples / "orders.xlsx", source)
    config = ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        language="ru",
        journal=tmp_path / "journal.sqlite",
        out=tmp_path / "first.xlsx",
    )
    result = run_import(config)
    assert any(r.bill_id for r in result.results)
    plain, streamed = _both_ways(result, tmp_path, monkeypatch)
    assert _cells(streamed) == _cells(plain)


def test_tables_split_across_sheets_and_past_the_links_stream_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["order_id,bill_email,good_name,good_sum"]
    lines += [f"A-{n // 2},bad{n // 2},course,{n}" for n in range(40)]  # every order invalid
    source = tmp_path / "bad.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _dry_run(source, tmp_path)
    monkeypatch.setattr(report_sheets, "MAX_SHEET_ROWS", 8)  # a header and 7 lines a sheet
    monkeypatch.setattr(report_workbook, "_MAX_LINKS", 3)  # then references as text
    monkeypatch.setattr(report_workbook, "_CHUNK", 5)  # chunks that end inside a sheet
    plain, streamed = _both_ways(result, tmp_path, monkeypatch)
    seen = _cells(streamed)
    assert seen == _cells(plain)
    assert "Problems 3" in seen["titles"] and "Rows 6" in seen["titles"]
    assert len(seen["Problems"]["links"]) == 3
    assert len(_streamed_parts(streamed)) == len(seen["titles"]) - 1  # all but Summary


def test_a_streamed_results_workbook_imports_again_as_the_plain_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _hostile_run(tmp_path)
    plain, streamed = _both_ways(result, tmp_path, monkeypatch)
    read: list[RunResult] = []
    for path in (plain, streamed):
        folder = tmp_path / path.stem
        folder.mkdir()
        read.append(_dry_run(path, folder, sheet="Rows"))
    first, second = read
    assert len(second.rows) == len(result.rows)
    assert [r.order.key for r in second.results] == [r.order.key for r in result.results]
    assert second.rows.to_dict("list") == first.rows.to_dict("list")


def test_rows_xml_escapes_as_excel_reads() -> None:
    arrays = [
        pa.array(["x\x01y", " lead", "_x0041_", "a\rb", "", None, "<&>"]),
        pa.array([1, None, 3, 4, 5, 6, 7], pa.int64()),
        pa.array([1.5, None, 1e20, 0.1, float("nan"), float("inf"), -2.0]),
    ]
    xml = bytes(xml_bytes(rows_xml(2, arrays, {1: 256}))).decode()
    assert xml.startswith('<row r="2"><c r="A2" t="inlineStr"><is><t>x_x0001_y</t></is></c>')
    assert '<t xml:space="preserve"> lead</t>' in xml
    assert "<t>_x005F_x0041_</t>" in xml and "<t>a_x000D_b</t>" in xml
    assert "<t>&lt;&amp;&gt;</t>" in xml
    assert '<row r="7"><c r="B7" s="256"><v>6</v></c></row>' in xml  # no cell for nan, inf
    assert '<c r="B6" s="256"><v>5</v></c></row>' in xml  # "" and None: no cell
    assert excel_escape("_x005F_") == "_x005F_x005F_"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=3000))
def test_crc_of_two_parts_is_the_crc_of_both(first: bytes, second: bytes) -> None:
    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


def test_a_deflated_stream_goes_between_a_head_and_a_tail(tmp_path: Path) -> None:
    stream = DeflatedStream(tmp_path)
    chunks = [bytes(range(256)) * 50, b"<row/>" * 1000, b""]
    for chunk in chunks:
        stream.write(memoryview(chunk), keep=chunk)
    out = io.BytesIO()
    writer = zip_parts._ZipWriter(out)
    writer.add_streamed("part.xml", b"<head>", stream, b"</head>")
    writer.add("small.xml", b"<small/>")
    writer.close()
    stream.close()
    with zipfile.ZipFile(out) as book:
        assert book.testzip() is None
        assert book.read("part.xml") == b"<head>" + b"".join(chunks) + b"</head>"
        assert book.read("small.xml") == b"<small/>"
    assert not list(tmp_path.iterdir())  # the stream's file is gone


def test_zip64_records_are_written_when_sizes_need_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_parts, "_LIMIT", 10)  # every part "large": ZIP64 throughout
    stream = DeflatedStream()
    stream.write(memoryview(b"<row>1</row>" * 100))
    out = io.BytesIO()
    writer = zip_parts._ZipWriter(out)
    writer.add("a.xml", b"<a>" * 50)
    writer.add_streamed("b.xml", b"<b>", stream, b"</b>")
    writer.close()
    stream.close()
    assert b"PK\x06\x06" in out.getvalue() and b"PK\x06\x07" in out.getvalue()
    with zipfile.ZipFile(out) as book:
        assert book.testzip() is None
        assert book.read("b.xml") == b"<b>" + b"<row>1</row>" * 100 + b"</b>"


def test_an_error_while_deflating_reaches_the_writer(tmp_path: Path) -> None:
    stream = DeflatedStream(tmp_path)
    stream._file.close()  # the disk "fails": the thread cannot write
    stream.write(memoryview(b"x" * 100))
    with pytest.raises(ValueError):
        stream.finish()
    stream.close()


def test_a_workbook_not_written_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _hostile_run(tmp_path)
    monkeypatch.setattr(report_sheets, "STREAM_ROWS_OVER", -1)

    def broken(*_: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report_workbook, "write_with_rows", broken)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError, match="disk full"):
        write_workbook(result, out / "results.xlsx")
    assert not list(out.iterdir())  # no workbook, no temporary file, no stream left


def _as_calc_reads(path: Path, sheet: int, out: Path) -> bytes:
    """Sheet number ``sheet`` (1-based) of ``path`` as LibreOffice Calc converts it to CSV."""
    import subprocess

    # Filter options: comma, double quote, UTF-8, from row 1, ..., and the sheet to export.
    options = f"44,34,76,1,,0,false,true,false,false,false,{sheet}"
    convert = f"csv:Text - txt - csv (StarCalc):{options}"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", convert, "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (written,) = out.glob(f"{path.stem}*.csv")
    data = written.read_bytes()
    written.unlink()
    return data


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_streamed_tables_as_the_plain_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, streamed = _both_ways(_hostile_run(tmp_path), tmp_path, monkeypatch)
    for sheet in (2, 3):  # Orders, Rows
        expected = _as_calc_reads(plain, sheet, tmp_path / "calc")
        assert _as_calc_reads(streamed, sheet, tmp_path / "calc") == expected
        assert expected.count(b"\n") > 3
    rows = _as_calc_reads(streamed, 3, tmp_path / "calc").decode("utf-8")
    assert "x\x01y" in rows and ",_x0041_," in rows  # Excel's escapes read back as written
