"""The languages people read the importer in, and the one to use when nobody said."""

from __future__ import annotations

import locale
import os
from typing import Literal, get_args

__all__ = ["LANGUAGES", "Language", "default_language", "parse_language"]

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


def parse_language(text: str | None) -> Language | None:
    """``ru``, ``ru_RU.UTF-8``, ``ru-RU,ru;q=0.9`` -> ``ru``; None when it names neither."""
    for part in (text or "").replace(",", " ").replace(";", " ").split():
        code = part.strip().lower()[:2]
        for language in LANGUAGES:
            if code == language:
                return language
    return None


def default_language() -> Language:
    """The language of the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        found = parse_language(os.environ.get(name))
        if found is not None:
            return found
    found = parse_language(locale.getlocale()[0])
    return found or "en"
