"""How a file is read: the preset it is (detected or chosen) and the user's mapping file on top."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from justclick_import.pipeline.config import ImportConfig
from justclick_import.rows.columns import HeaderMatch, Overrides, normalise_header
from justclick_import.rows.mapping_file import load_profile
from justclick_import.rows.presets import NO_PRESET, all_preset_columns, detect_preset, get_preset
from justclick_import.rows.profile import Profile

__all__ = ["Reading", "choose_reading", "label_matches", "load_user_profile", "recognised_headers"]


@dataclass(frozen=True)
class Reading:
    """The profile a file is read with: its preset (if any) extended by the mapping file."""

    profile: Profile
    preset: Profile | None = None
    how: Literal["", "detected", "chosen"] = ""
    user: Profile | None = None  # the mapping file's own settings

    def describe(self) -> str:
        """``looks like a Shopify orders export (preset shopify)``, or "" without a preset."""
        if self.preset is None:
            return ""
        if self.how == "detected":
            return f"looks like {self.preset.title} (preset {self.preset.name})"
        return f"read as {self.preset.title} (preset {self.preset.name})"


def load_user_profile(config: ImportConfig) -> Profile | None:
    """The user's mapping file (``config.mapping_file``) as a profile, or None."""
    return load_profile(config.mapping_file) if config.mapping_file else None


def _chosen_name(config: ImportConfig, user: Profile | None) -> str | None:
    if config.preset is not None:
        return config.preset.strip().casefold() or NO_PRESET
    return user.base.casefold() if user is not None and user.base else None


def recognised_headers(config: ImportConfig, user: Profile | None) -> Overrides:
    """The headers that help find a header row: every preset's (unless turned off), the user's."""
    name = _chosen_name(config, user)
    found: Overrides = {}
    if name is None:
        found.update(all_preset_columns())
    elif name != NO_PRESET:
        found.update(get_preset(name).columns)
    if user is not None:
        found.update(user.columns)
    return found


def choose_reading(config: ImportConfig, headers: list[str], user: Profile | None) -> Reading:
    """The preset ``config`` names (``none``: no preset), else the mapping file's, else the one
    the headers are (raises ``ConfigError`` for an unknown preset name)."""
    name = _chosen_name(config, user)
    preset = get_preset(name) if name not in (None, NO_PRESET) else None
    how: Literal["", "detected", "chosen"] = "chosen" if preset is not None else ""
    if name is None:
        preset = detect_preset(headers)
        how = "detected" if preset is not None else ""
    base = preset or Profile()
    profile = base.extend(user) if user is not None else base
    return Reading(profile, preset, how, user)


def label_matches(matches: list[HeaderMatch], reading: Reading) -> list[HeaderMatch]:
    """``matches`` with the columns the preset decided said so (``preset shopify``)."""
    if reading.preset is None:
        return matches
    own = reading.user.columns if reading.user is not None else {}
    labelled = []
    for match in matches:
        key = normalise_header(match.header)
        if key in reading.preset.columns and key not in own:
            how = f"preset {reading.preset.name}"
            if match.field is None:
                how = f"left out by the preset {reading.preset.name}"
            match = replace(match, how=how, preset=reading.preset.name)
        labelled.append(match)
    return labelled
