"""What every step's handler shares: the server's state, rendering a page, errors in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from justclick_import.errors import ImporterError
from justclick_import.language import Language
from justclick_import.web.security import CSRF_FIELD, Guard
from justclick_import.web.texts import error_hint, language_of, size_text, translate
from justclick_import.web.workspace import Workspace

__all__ = ["STEPS", "Web", "error_view", "redirect", "render", "web_of"]

TEMPLATES = Path(__file__).with_name("templates")
STEPS = ("upload", "columns", "problems", "shop", "send", "results", "history")


@dataclass
class Web:
    """The server's state, as the handlers see it."""

    workspace: Workspace
    guard: Guard
    demo_only: bool
    upload_limit: int
    environment: jinja2.Environment


def make_environment() -> jinja2.Environment:
    """The templates, shipped in the package, always HTML-escaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def web_of(request: Request) -> Web:
    """The server's state for a request."""
    found: Web = request.app.state.web
    return found


def redirect(path: str) -> Response:
    """See other: after a form, the page is fetched again (a reload resends nothing)."""
    return RedirectResponse(path, status_code=303)


def _steps_open(web: Web) -> dict[str, bool]:
    """Which steps can be opened now."""
    workspace = web.workspace
    has_file = workspace.upload is not None
    return {
        "upload": True,
        "columns": has_file,
        "problems": has_file,
        "shop": has_file,
        "send": has_file and workspace.shop is not None,
        "results": workspace.run is not None,
        "history": True,
    }


def render(request: Request, name: str, step: str, status: int = 200, **context: Any) -> Response:
    """The template ``name`` as the page of ``step``, in the reader's language."""
    web = web_of(request)
    language = language_of(request)
    csrf = web.guard.csrf_token

    def action(path: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"{path}{joiner}{CSRF_FIELD}={csrf}"

    t: Callable[..., str] = lambda key, **facts: translate(language, key, **facts)  # noqa: E731
    page = web.environment.get_template(name).render(
        t=t,
        lang=language,
        action=action,
        csrf=csrf,
        step=step,
        steps=STEPS,
        steps_open=_steps_open(web),
        here=request.url.path,
        workspace=web.workspace,
        size=lambda n: size_text(n, language),
        **context,
    )
    return HTMLResponse(page, status_code=status)


def error_view(request: Request, error: ImporterError) -> dict[str, str]:
    """An error as the page shows it: the library's message and this page's hint."""
    language = language_of(request)
    return {
        "message": error.message,
        "hint": error_hint(language, error.code.value, error.facts),
        "code": error.code.value,
    }


def language_for(request: Request) -> Language:
    """The reader's language (for handlers that fill messages themselves)."""
    return language_of(request)
