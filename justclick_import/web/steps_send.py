"""The steps about sending: choose the shop, send (a try first, or all), see the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from justclick_import.api.secret import Secret
from justclick_import.errors import ImporterError
from justclick_import.models import OrderResult, OrderStatus
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.connection import check_connection
from justclick_import.report.headline import headline
from justclick_import.web.headline import run_headline
from justclick_import.web.page import error_view, language_for, redirect, render, web_of
from justclick_import.web.runner import TRIAL_ORDERS
from justclick_import.web.texts import error_hint, translate
from justclick_import.web.workspace import Shop

__all__ = ["ROUTES"]

RESULT_ROWS = 1000  # orders listed on the page; the workbook has all


async def shop_page(request: Request) -> Response:
    """Step 4: the demo shop, or a real shop's login and secret."""
    web = web_of(request)
    if web.workspace.upload is None:
        return redirect("/upload")
    shop = web.workspace.shop
    check = shop.check if shop is not None else None
    verdict = None
    if check is not None:
        language = language_for(request)
        verdict = {
            "ok": check.ok,
            "message": check.message,
            "hint": "" if check.ok else error_hint(language, check.code, {}),
        }
    return render(request, "shop.html", "shop", shop=shop, verdict=verdict, demo_only=web.demo_only)


async def shop_demo(request: Request) -> Response:
    """Choose the demo shop and go on to sending."""
    web = web_of(request)
    with web.workspace.lock:
        web.workspace.shop = Shop(demo=True)
    return redirect("/send")


async def shop_real(request: Request) -> Response:
    """Keep a real shop's login and secret (in memory); check the connection if asked."""
    web = web_of(request)
    if web.demo_only:
        return redirect("/shop")
    form = await request.form()
    login = str(form.get("login", "")).strip()
    typed = str(form.get("secret", ""))
    api_url = str(form.get("api_url", "")).strip() or None
    with web.workspace.lock:
        earlier = web.workspace.shop
        secret = Secret(typed) if typed.strip() else None
        if secret is None and earlier is not None and not earlier.demo:
            secret = earlier.secret  # the secret is never sent back to the page to keep it
        shop = Shop(demo=False, login=login, secret=secret, api_url=api_url)
        web.workspace.shop = shop
    config = ImportConfig(
        input=Path("connection-check"),
        login=login,
        secret=secret,
        api_url=api_url,
        connect_timeout=5.0,
        read_timeout=15.0,
    )
    shop.check = await run_in_threadpool(check_connection, config)
    if form.get("go") == "1" and shop.check.ok:
        return redirect("/send")
    return redirect("/shop")


def _ready_counts(request: Request) -> dict[str, Any]:
    web = web_of(request)
    upload = web.workspace.upload
    assert upload is not None
    try:
        report = web.workspace.check(upload)
    except ImporterError as error:
        return {"error": error_view(request, error), "ready": 0, "invalid": 0}
    ready = report.plan.ready
    return {"error": None, "ready": ready, "invalid": len(report.plan.orders) - ready}


async def send_page(request: Request) -> Response:
    """Step 5: start a run, or watch the one going (a reload never starts another)."""
    web = web_of(request)
    workspace = web.workspace
    if workspace.upload is None:
        return redirect("/upload")
    if workspace.shop is None:
        return redirect("/shop")
    run = workspace.run
    progress = run.progress() if run is not None else None
    counts = await run_in_threadpool(_ready_counts, request)
    return render(
        request,
        "send.html",
        "send",
        run=run,
        progress=progress,
        runs_started=workspace.runs_started,
        trial_orders=TRIAL_ORDERS,
        **counts,
    )


async def send_start(request: Request) -> Response:
    """Start the run the form asked for (once), then show its progress."""
    web = web_of(request)
    form = await request.form()
    seen = str(form.get("seen", ""))
    trial = form.get("mode") == "trial"
    if seen.isdigit():  # the results in the language the page is read in
        web.workspace.start_run(expected=int(seen), trial=trial, language=language_for(request))
    return redirect("/send")


async def send_cancel(request: Request) -> Response:
    """The Cancel button: as the first Ctrl-C."""
    run = web_of(request).workspace.run
    if run is not None:
        run.cancel()
    return redirect("/send")


async def send_progress(request: Request) -> Response:
    """The run's progress for the page's script."""
    run = web_of(request).workspace.run
    if run is None:
        return JSONResponse({"state": "none"})
    data = run.progress().as_json()
    data["run"] = run.number
    return JSONResponse(data)


def _message(result: OrderResult, language: Any) -> str:
    """What to tell about one order: its problems in the reader's language, or the answer."""
    if result.status is OrderStatus.INVALID:
        errors = [p for p in result.order.problems if p.is_error]
        return "; ".join(f"{p.row}, {p.column}: {p.message_in(language)}" for p in errors)
    if result.status is OrderStatus.CREATED:
        return result.status_note  # the shop's "Order created" adds nothing to the status
    return result.error_text or result.status_note


async def results_page(request: Request) -> Response:
    """Step 6: each order's status, bill and link; the totals; the files; what to do next."""
    web = web_of(request)
    run = web.workspace.run
    if run is None:
        return render(
            request,
            "results.html",
            "results",
            run=None,
            headline=None,
            orders=[],
            files=[],
            error=None,
        )
    if run.running:
        return redirect("/send")
    language = language_for(request)
    result = run.result
    if result is None:
        assert run.error is not None
        return render(
            request,
            "results.html",
            "results",
            run=run,
            headline=None,
            orders=[],
            files=[],
            error=error_view(request, run.error),
        )
    orders = [
        {
            "key": r.order.order_id,
            "email": r.order.email,
            "rows": ", ".join(str(row) for row in r.order.rows[:5])
            + ("…" if len(r.order.rows) > 5 else ""),
            "status": r.status.value,
            "bill": r.bill_id or "",
            "link": r.link,
            "message": _message(r, language),
        }
        for r in result.results[:RESULT_ROWS]
    ]
    csv_files = run.outputs.csv_files if run.outputs else []
    stop = ""
    if result.interrupted:
        stop = translate(language, "hint-cancelled")
    elif result.stop_message:
        stop = result.stop_message + " " + error_hint(language, result.stop_code, {})
    if run.error is not None:  # sent, but the results files could not be written
        stop = f"{stop} {run.error.message}"
    return render(
        request,
        "results.html",
        "results",
        run=run,
        headline=run_headline(result),
        said=headline(result, language),  # the same words as the terminal and the workbook
        orders=orders,
        total=len(result.results),
        files=[p.name for p in csv_files],
        error=None,
        stop=stop.strip(),
        statuses=OrderStatus,
    )


def _in_run(request: Request, name: str) -> Path | None:
    run = web_of(request).workspace.run
    if run is None or run.running or run.outputs is None:
        return None
    outputs = run.outputs
    if name == "workbook":
        return outputs.workbook
    return next((path for path in outputs.csv_files if path.name == name), None)


def _download(path: Path | None) -> Response:
    if path is None or not path.is_file():
        return redirect("/results")
    return FileResponse(
        path, filename=path.name, headers={"content-disposition": _attachment(path.name)}
    )


def _attachment(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name, safe='')}"


async def results_workbook(request: Request) -> Response:
    """The results workbook of the last run."""
    return _download(_in_run(request, "workbook"))


async def results_csv(request: Request) -> Response:
    """One CSV table of the last run."""
    return _download(_in_run(request, str(request.path_params["name"])))


ROUTES: list[tuple[str, Any, list[str]]] = [
    ("/shop", shop_page, ["GET"]),
    ("/shop/demo", shop_demo, ["POST"]),
    ("/shop/real", shop_real, ["POST"]),
    ("/send", send_page, ["GET"]),
    ("/send", send_start, ["POST"]),
    ("/send/cancel", send_cancel, ["POST"]),
    ("/send/progress.json", send_progress, ["GET"]),
    ("/results", results_page, ["GET"]),
    ("/results/workbook", results_workbook, ["GET"]),
    ("/results/csv/{name}", results_csv, ["GET"]),
]
