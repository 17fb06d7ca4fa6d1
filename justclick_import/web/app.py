"""The web application: the steps' routes, the shipped assets, all behind the guard."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from justclick_import.language import LANGUAGES
from justclick_import.web import steps_history, steps_input, steps_problems, steps_send
from justclick_import.web.page import Web, redirect, web_of
from justclick_import.web.security import Guard
from justclick_import.web.texts import LANGUAGE_COOKIE

__all__ = ["build_app"]

STATIC = Path(__file__).with_name("static")


async def home(request: Request) -> Response:
    """The step to go on with: the file, or the run when one is going."""
    workspace = web_of(request).workspace
    if workspace.run is not None and workspace.run.running:
        return redirect("/send")
    return redirect("/upload" if workspace.upload is None else "/columns")


async def switch_language(request: Request) -> Response:
    """The language switch: remembered in a cookie, then back to the same step."""
    chosen = str(request.path_params["language"])
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):  # only a page of this server
        back = "/"
    response = redirect(back)
    if chosen in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, chosen, httponly=True, samesite="strict", path="/")
    return response


def build_app(web: Web) -> Guard:
    """The ASGI application of the page, wrapped in ``web.guard``'s checks."""
    routes: list[BaseRoute] = [Route("/", home), Route("/language/{language}", switch_language)]
    for module in (steps_input, steps_problems, steps_send, steps_history):
        routes += [
            Route(path, endpoint, methods=methods) for path, endpoint, methods in module.ROUTES
        ]
    routes.append(Mount("/static", app=StaticFiles(directory=STATIC), name="static"))
    app = Starlette(routes=routes)
    app.state.web = web
    web.guard.app = app
    return web.guard
