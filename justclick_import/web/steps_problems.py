"""Step 3, problems: the rows with problems, bad cells highlighted; fixes made in the page."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from justclick_import.errors import ImporterError
from justclick_import.pipeline.inspect import CheckReport
from justclick_import.web.page import error_view, language_for, redirect, render, web_of
from justclick_import.web.steps_input import upload_or_none

__all__ = ["ROUTES"]

PAGE_ROWS = 100  # rows with problems shown at once


def problem_rows(report: CheckReport, code: str, page: int, language: Any) -> dict[str, Any]:
    """The rows with problems (of ``code``, if given) on one page, their bad cells marked."""
    sheet = report.plan.sheet
    by_row: dict[int, list[Any]] = {}
    for problem in report.plan.problems:
        if not code or problem.code == code:
            by_row.setdefault(problem.row, []).append(problem)
    rows = sorted(by_row)
    first = max(0, (page - 1) * PAGE_ROWS)
    shown = rows[first : first + PAGE_ROWS]
    index = {row: i for i, row in enumerate(sheet.row_numbers)}
    headers = sheet.headers
    lines = []
    for row in shown:
        problems = by_row[row]
        position = index.get(row)
        values = (
            [str(v) for v in sheet.frame.iloc[position].tolist()]
            if position is not None
            else [""] * len(headers)
        )
        bad = {problem.column: problem for problem in problems}
        lines.append(
            {
                "row": row,
                "cells": [
                    {"header": h, "value": v, "problem": bad.get(h), "column": i}
                    for i, (h, v) in enumerate(zip(headers, values, strict=True))
                ],
                "messages": [(p.severity, p.column, p.message_in(language)) for p in problems],
            }
        )
    return {
        "lines": lines,
        "headers": headers,
        "total_rows": len(rows),
        "first": first + 1,
        "last": first + len(shown),
        "page": page,
        "more": first + PAGE_ROWS < len(rows),
    }


async def problems_page(request: Request) -> Response:
    """Step 3: the rows with problems, bad cells highlighted, each message beside its row."""
    upload = upload_or_none(request)
    if upload is None:
        return redirect("/upload")
    web = web_of(request)
    language = language_for(request)
    try:
        report = await run_in_threadpool(web.workspace.check, upload)
    except ImporterError as error:
        return render(
            request,
            "problems.html",
            "problems",
            error=error_view(request, error),
            upload=upload,
            report=None,
            table=None,
            code="",
            counts=[],
        )
    code = request.query_params.get("code", "")
    page = request.query_params.get("page", "1")
    number = int(page) if page.isdigit() and int(page) > 0 else 1
    table = problem_rows(report, code, number, language)
    counts = [
        (group.code.value, group.code.summary_in(language), len(group.problems), group.severity)
        for group in report.groups
    ]
    return render(
        request,
        "problems.html",
        "problems",
        error=None,
        upload=upload,
        report=report,
        table=table,
        code=code,
        counts=counts,
    )


async def problems_fix(request: Request) -> Response:
    """Keep the cells changed in the page, then check the file again."""
    upload = upload_or_none(request)
    if upload is None:
        return redirect("/upload")
    web = web_of(request)
    form = await request.form(max_fields=100_000, max_part_size=16 * 1024 * 1024)
    try:
        report = await run_in_threadpool(web.workspace.check, upload)
    except ImporterError:
        return redirect("/problems")
    sheet = report.plan.sheet
    index = {row: i for i, row in enumerate(sheet.row_numbers)}
    headers = sheet.headers
    fixes = {}
    for name, value in form.multi_items():
        parts = name.split(".")
        if len(parts) != 3 or parts[0] != "c" or not (parts[1] + parts[2]).isdigit():
            continue
        row, column = int(parts[1]), int(parts[2])
        position = index.get(row)
        if position is None or column >= len(headers):
            continue
        text = str(value)
        if text != str(sheet.frame.iat[position, column]):
            fixes[(row, headers[column])] = text
    if fixes:
        await run_in_threadpool(web.workspace.correct, upload, fixes)
    back = request.query_params.get("code", "")
    return redirect(f"/problems?code={back}" if back else "/problems")


async def corrected_download(request: Request) -> Response:
    """The corrected copy, named as the import (importing it again is the same import)."""
    upload = upload_or_none(request)
    if upload is None or upload.corrected is None:
        return redirect("/problems")
    return FileResponse(upload.corrected, filename=upload.corrected.name)


ROUTES: list[tuple[str, Any, list[str]]] = [
    ("/problems", problems_page, ["GET"]),
    ("/problems", problems_fix, ["POST"]),
    ("/problems/corrected", corrected_download, ["GET"]),
]
