"""The page's words in the reader's language: chosen by the page's switch or the browser."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from justclick_import.language import LANGUAGES, Language, parse_language
from justclick_import.web.texts_en import EN
from justclick_import.web.texts_ru import RU

__all__ = [
    "LANGUAGE_COOKIE",
    "TEXTS",
    "error_hint",
    "language_of",
    "preset_title",
    "size_text",
    "translate",
]

TEXTS: dict[Language, dict[str, str]] = {"en": EN, "ru": RU}
LANGUAGE_COOKIE = "justclick_import_lang"


def language_of(request: Request) -> Language:
    """The page's switch (a cookie), else the browser's ``Accept-Language``, else Russian."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    return parse_language(request.headers.get("accept-language")) or "ru"


def translate(language: Language, key: str, **facts: Any) -> str:
    """The text ``key`` in ``language`` filled with ``facts`` (English when it has none)."""
    template = TEXTS[language].get(key) or EN.get(key) or key
    try:
        return template.format(**facts)
    except (KeyError, IndexError, ValueError):  # a fact missing: the words without it
        return template


def error_hint(language: Language, code: str | None, facts: dict[str, Any]) -> str:
    """What to do about an error's code on this page ("" when the message says it all)."""
    key = f"hint-{code}"
    if code is None or key not in TEXTS[language]:
        return ""
    return translate(language, key, **facts)


def preset_title(language: Language, name: str) -> str:
    """``Shopify export`` / ``выгрузка Shopify``: the platform export a preset reads."""
    key = f"preset-{name}"
    return translate(language, key) if key in EN else name


def size_text(size: int, language: Language) -> str:
    """``12.5 MB`` / ``12,5 МБ``: a file size for people."""
    units = ("B", "KB", "MB", "GB") if language == "en" else ("Б", "КБ", "МБ", "ГБ")
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            shown = f"{value:.0f}" if unit == units[0] or value >= 100 else f"{value:.1f}"
            return f"{shown.replace('.', ',') if language == 'ru' else shown} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns
