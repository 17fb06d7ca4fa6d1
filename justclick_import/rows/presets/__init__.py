"""The presets: how each platform's export is read, one TOML file per platform in this folder.

A preset is recognised by its ``detect`` headers (all of them in the header row); the one with
most such headers wins. ``rows.profile`` describes the format, which a user's mapping file
shares.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.rows.columns import Overrides, normalise_header
from justclick_import.rows.profile import Profile, parse_profile

__all__ = ["NO_PRESET", "all_preset_columns", "detect_preset", "get_preset", "preset_names"]

NO_PRESET = "none"  # the name that turns detection off


@cache
def _presets() -> dict[str, Profile]:
    presets: dict[str, Profile] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            document = tomllib.loads(entry.read_text(encoding="utf-8"))
            profile = parse_profile(document, f"preset {entry.name}")
            presets[profile.name] = profile
    return presets


def preset_names() -> list[str]:
    """The presets' names, in alphabetical order."""
    return list(_presets())


def get_preset(name: str) -> Profile:
    """The preset called ``name`` (any case); raises ``ConfigError`` for an unknown one."""
    found = _presets().get(name.strip().casefold())
    if found is None:
        raise ConfigError(
            ErrorCode.UNKNOWN_PRESET,
            f"no preset {name!r}; the presets are {', '.join(preset_names())} (or {NO_PRESET})",
            preset=name,
        )
    return found


def detect_preset(headers: list[str]) -> Profile | None:
    """The preset whose export these headers are, or None when none fits."""
    present = {normalise_header(header) for header in headers}
    best: Profile | None = None
    for preset in _presets().values():
        wanted = {normalise_header(header) for header in preset.detect}
        if wanted and wanted <= present and (best is None or len(wanted) > len(best.detect)):
            best = preset
    return best


def all_preset_columns() -> Overrides:
    """Every preset's headers (their fields), to find a header row among titles above it."""
    merged: Overrides = {}
    for preset in _presets().values():
        for key, target in preset.columns.items():
            if target:
                merged.setdefault(key, target)
    return merged
