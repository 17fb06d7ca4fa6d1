"""The first steps: upload the file, say how to read it and which column is which."""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from justclick_import.errors import ImporterError
from justclick_import.fields import ALL_FIELDS
from justclick_import.language import Language
from justclick_import.rows.columns import BY_MAPPING, LEFT_OUT, HeaderMatch
from justclick_import.rows.mapping_file import starter_mapping
from justclick_import.web.page import error_view, language_for, redirect, render, web_of
from justclick_import.web.texts import preset_title, size_text, translate
from justclick_import.web.uploads import READABLE_SUFFIXES, UploadRefused, receive_upload
from justclick_import.web.workspace import ReadChoices, Upload

__all__ = ["ROUTES"]

ENCODINGS = ("utf-8", "utf-8-sig", "cp1251", "utf-16", "koi8-r")
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "bar": "|"}


async def upload_page(request: Request, refused: UploadRefused | None = None) -> Response:
    """Step 1: choose the file."""
    web = web_of(request)
    language = language_for(request)
    problem = ""
    if refused is not None:
        facts = {**refused.facts, "limit": size_text(web.upload_limit, language)}
        problem = translate(language, refused.reason, **facts)
    return render(
        request,
        "upload.html",
        "upload",
        status=413 if refused and refused.reason == "upload-too-big" else 200,
        formats=", ".join(READABLE_SUFFIXES),
        limit=size_text(web.upload_limit, language),
        problem=problem,
    )


async def upload_file(request: Request) -> Response:
    """Take the file, then show how its columns read."""
    web = web_of(request)
    run = web.workspace.run
    if run is not None and run.running:
        return await upload_page(request, UploadRefused("upload-busy"))
    folder = web.workspace.upload_folder()
    try:
        received = await receive_upload(request, folder, web.upload_limit)
    except UploadRefused as refused:
        return await upload_page(request, refused)
    web.workspace.accept(received.path, received.size)
    return redirect("/columns")


def upload_or_none(request: Request) -> Upload | None:
    return web_of(request).workspace.upload


def _how_text(match: HeaderMatch, language: Language) -> str:
    """How a header was recognised, in words: by a preset (which one), a name, the page."""
    if match.preset:
        key = "how-preset" if match.field else "how-preset-left-out"
        return translate(language, key, preset=preset_title(language, match.preset))
    return translate(language, f"how-{match.how}")


def _column_rows(upload: Upload, report: Any, language: Language) -> list[dict[str, Any]]:
    """Each header with the field it goes to now, how it was recognised, and a first value."""
    frame = report.sheet.frame
    chosen = upload.columns or {}
    rows = []
    for match in report.matches:
        field = chosen.get(match.header, match.field) if upload.columns else match.field
        values = [str(v) for v in frame[match.header].head(50) if str(v).strip()]
        rows.append(
            {
                "header": match.header,
                "field": None if match.clash and upload.columns is None else field,
                "how": _how_text(match, language),
                "clash": match.clash,
                "example": values[0] if values else "",
            }
        )
    return rows


async def columns_page(request: Request) -> Response:
    """Step 2: what was detected, and each header's field in a dropdown."""
    upload = upload_or_none(request)
    if upload is None:
        return redirect("/upload")
    web = web_of(request)
    try:
        report = await run_in_threadpool(web.workspace.describe, upload)
    except ImporterError as error:
        return render(
            request,
            "columns.html",
            "columns",
            error=error_view(request, error),
            upload=upload,
            report=None,
            rows=[],
            fields=ALL_FIELDS,
            missing=[],
            encodings=ENCODINGS,
            delimiters=DELIMITERS,
            twice=[],
            preset="",
        )
    language = language_for(request)
    rows = _column_rows(upload, report, language)
    fed = Counter(row["field"] for row in rows if row["field"])
    missing = [name for name in ("bill_email", "good_name") if not fed[name]]
    twice = [name for name, count in fed.items() if count > 1]
    return render(
        request,
        "columns.html",
        "columns",
        error=None,
        upload=upload,
        report=report,
        rows=rows,
        fields=ALL_FIELDS,
        missing=missing,
        encodings=ENCODINGS,
        delimiters=DELIMITERS,
        twice=twice,
        preset=preset_title(language, report.reading.preset.name) if report.reading.preset else "",
    )


def _choice(value: Any) -> str | None:
    text = str(value or "").strip()
    return text or None


async def columns_read(request: Request) -> Response:
    """Read the file another way: sheet, encoding, delimiter, time zone, date format."""
    upload = upload_or_none(request)
    if upload is None:
        return redirect("/upload")
    form = await request.form()
    delimiter = DELIMITERS.get(str(form.get("delimiter", "")))
    read = ReadChoices(
        sheet=_choice(form.get("sheet")),
        encoding=_choice(form.get("encoding")),
        delimiter=delimiter,
        timezone=_choice(form.get("timezone")),
        date_format=_choice(form.get("date_format")),
    )
    with contextlib.suppress(ImporterError):  # the columns page shows what is wrong then
        await run_in_threadpool(web_of(request).workspace.set_reading, upload, read)
    return redirect("/columns")


async def columns_save(request: Request) -> Response:
    """Keep the field chosen for each header, then show the problems."""
    upload = upload_or_none(request)
    if upload is None:
        return redirect("/upload")
    form = await request.form(max_fields=5000)
    headers = form.getlist("header")
    fields = form.getlist("field")
    choices = {
        str(header): (str(field) if str(field) in ALL_FIELDS else None)
        for header, field in zip(headers, fields, strict=False)
    }
    try:
        await run_in_threadpool(web_of(request).workspace.set_columns, upload, choices)
    except ImporterError:
        return redirect("/columns")
    return redirect("/problems")


async def mapping_download(request: Request) -> Response:
    """The columns as chosen, as a mapping file for ``--mapping``."""
    upload = upload_or_none(request)
    if upload is None:
        return redirect("/upload")
    report = await run_in_threadpool(web_of(request).workspace.describe, upload)
    matches = [
        HeaderMatch(row["header"], row["field"], BY_MAPPING if row["field"] else LEFT_OUT)
        for row in _column_rows(upload, report, language_for(request))
    ]
    name = f"{upload.original.stem}.mapping.toml"
    return PlainTextResponse(
        starter_mapping(matches),
        media_type="application/toml; charset=utf-8",
        headers={"content-disposition": f"attachment; filename*=UTF-8''{_quoted(name)}"},
    )


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


ROUTES: list[tuple[str, Any, list[str]]] = [
    ("/upload", upload_page, ["GET"]),
    ("/upload", upload_file, ["POST"]),
    ("/columns", columns_page, ["GET"]),
    ("/columns", columns_save, ["POST"]),
    ("/columns/read", columns_read, ["POST"]),
    ("/columns/mapping.toml", mapping_download, ["GET"]),
]
