"""Step 7, history: the journal's runs, orders in doubt looked up, a run undone (confirmed)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from justclick_import.api.secret import Secret
from justclick_import.errors import ErrorCode, ImporterError
from justclick_import.pipeline.migration import (
    UndoPlan,
    execute_undo,
    list_runs,
    plan_undo,
    write_undo_outputs,
)
from justclick_import.pipeline.run import reconcile_import
from justclick_import.sending.journal import RunRecord, default_journal_path
from justclick_import.web.page import Web, error_view, language_for, redirect, render, web_of
from justclick_import.web.workspace import private_folder

__all__ = ["ROUTES"]

DEMO, SHOP = "demo", "shop"


def _journal(web: Web, which: str) -> Path:
    workspace = web.workspace
    if which == DEMO:
        return workspace.demo_journal
    return workspace.journal or default_journal_path()


def _runs(web: Web, which: str) -> list[RunRecord]:
    path = _journal(web, which)
    if not path.exists():
        return []
    try:
        return list_runs(path)
    except ImporterError:
        return []


async def history_page(request: Request, **extra: Any) -> Response:
    """The runs of the demo shop's journal and of the real shops' journal, newest first."""
    web = web_of(request)
    demo = await run_in_threadpool(_runs, web, DEMO)
    shop = [] if web.demo_only else await run_in_threadpool(_runs, web, SHOP)
    context: dict[str, Any] = {"reconciled": None, "error": None, **extra}
    return render(
        request,
        "history.html",
        "history",
        demo_runs=demo,
        shop_runs=shop,
        demo_only=web.demo_only,
        **context,
    )


async def history_reconcile(request: Request) -> Response:
    """Look up the current file's orders in doubt in the chosen shop."""
    web = web_of(request)
    workspace = web.workspace
    if workspace.upload is None or workspace.shop is None:
        return redirect("/history")
    run = workspace.run
    if run is not None and run.running:
        return redirect("/send")
    folder = private_folder(workspace.folder / "reconcile")
    config = workspace.send_config(
        workspace.upload, workspace.shop, folder, language=language_for(request)
    )
    try:
        done = await run_in_threadpool(reconcile_import, config)
    except ImporterError as error:
        return await history_page(request, error=error_view(request, error))
    if done.stop is not None:  # the lookups stopped: wrong login or secret, API disabled
        stopped = ImporterError(done.stop.code, done.stop.message)
        return await history_page(request, error=error_view(request, stopped))
    settled = done.settlements
    found = sum(1 for s in settled if s.bill_id is not None)
    lines = [(s.order.key, s.bill_id, s.reason) for s in settled]
    return await history_page(
        request,
        reconciled={
            "total": len(settled),
            "found": found,
            "left": len(settled) - found,
            "lines": lines,
        },
    )


def _undo_plan(web: Web, which: str, run_id: str, delete: bool) -> UndoPlan:
    """The undo of ``run_id``: the demo shop's own secret, or the real shop's from step 4."""
    workspace = web.workspace
    if which == DEMO:
        sandbox = workspace.sandbox
        return plan_undo(
            run_id,
            secret=Secret(sandbox.secret),
            api_url=sandbox.url,
            journal=workspace.demo_journal,
            delete=delete,
        )
    shop = workspace.shop
    if shop is None or shop.demo or shop.secret is None:
        raise ImporterError(ErrorCode.NO_SECRET, "undoing asks the shop: give its API secret")
    return plan_undo(
        run_id,
        secret=shop.secret,
        login=shop.login,
        api_url=shop.api_url,
        journal=workspace.journal,
        delete=delete,
    )


def _which(value: Any) -> str:
    return DEMO if str(value) == DEMO else SHOP


async def undo_confirm(request: Request) -> Response:
    """How many orders undoing the run would cancel, and the question."""
    web = web_of(request)
    which = _which(request.query_params.get("journal"))
    run_id = request.query_params.get("run", "")
    try:
        plan = await run_in_threadpool(_undo_plan, web, which, run_id, False)
    except ImporterError as error:
        return await history_page(
            request, error=error_view(request, error), need_secret=error.code == ErrorCode.NO_SECRET
        )
    shop = "demo" if which == DEMO else plan.run.login
    return render(request, "undo.html", "history", plan=plan, which=which, shop=shop, outcomes=None)


async def undo_run(request: Request) -> Response:
    """Undo the run, as confirmed; then its counts and its results workbook."""
    web = web_of(request)
    form = await request.form()
    which = _which(form.get("journal"))
    run_id = str(form.get("run", ""))
    delete = form.get("delete") == "1"
    running = web.workspace.run
    if running is not None and running.running:
        return redirect("/send")
    try:
        plan = await run_in_threadpool(_undo_plan, web, which, run_id, delete)
        outcomes = await run_in_threadpool(execute_undo, plan)
    except ImporterError as error:
        return await history_page(request, error=error_view(request, error))
    folder = private_folder(web.workspace.folder / "undo")
    path = await run_in_threadpool(
        write_undo_outputs, plan, outcomes, folder / f"undo-{run_id}.results.xlsx"
    )
    web.workspace.undo_results[run_id] = path
    counts = Counter(outcome.result for outcome in outcomes)
    shop = "demo" if which == DEMO else plan.run.login
    return render(
        request,
        "undo.html",
        "history",
        plan=plan,
        which=which,
        shop=shop,
        outcomes=sorted(counts.items()),
    )


async def undo_download(request: Request) -> Response:
    """The results workbook of an undo done on this page."""
    path = web_of(request).workspace.undo_results.get(request.query_params.get("run", ""))
    if path is None or not path.is_file():
        return redirect("/history")
    return FileResponse(path, filename=path.name)


ROUTES: list[tuple[str, Any, list[str]]] = [
    ("/history", history_page, ["GET"]),
    ("/history/reconcile", history_reconcile, ["POST"]),
    ("/history/undo", undo_confirm, ["GET"]),
    ("/history/undo", undo_run, ["POST"]),
    ("/history/undo/results", undo_download, ["GET"]),
]
