"""A mapping file: a user's own TOML ``[columns]`` table of ``"header in the file" = "field"``."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from justclick_import.atomic import write_text_atomically
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.fields import ALL_FIELDS
from justclick_import.rows.columns import UNKNOWN, HeaderMatch, Overrides
from justclick_import.rows.profile import Profile, parse_profile

__all__ = ["load_mapping", "load_profile", "read_toml", "starter_mapping", "write_mapping"]


def _bad(message: str) -> ConfigError:
    return ConfigError(ErrorCode.BAD_MAPPING, message)


def read_toml(path: Path, what: str = "mapping file") -> dict[str, Any]:
    """A TOML file as a dictionary; raises ``ConfigError`` naming the file."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise _bad(f"cannot read the {what} {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise _bad(
            f"{path}: not a valid {what} ({error}); write lines such as "
            '"Покупатель" = "bill_email" under [columns]'
        ) from None
    return document


def load_profile(path: Path) -> Profile:
    """Read a mapping file: ``[columns]`` of ``"header in the file" = "field"`` and, as a preset
    has them, ``[statuses]``, ``[products]``, ``timezone``, ... (see ``rows.profile``).

    An empty field (``""``) leaves that column out even when its header is a known name.
    Raises ``ConfigError`` naming the file and the entry that is wrong.
    """
    return parse_profile(read_toml(path), str(path))


def load_mapping(path: Path) -> Overrides:
    """The ``[columns]`` of a mapping file (``load_profile`` has the rest)."""
    return load_profile(path).columns


def _toml_string(text: str) -> str:
    # JSON's string escapes (\" \\ \n \uXXXX) are all valid in a TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def starter_mapping(matches: list[HeaderMatch]) -> str:
    """A mapping file, as TOML text, that states how each header is understood now."""
    lines = [
        '# Column mapping for justclick-import: "header in the file" = "JustClick field".',
        '# "" leaves a column out (it stays in the results workbook, never sent).',
        f"# Fields: {', '.join(ALL_FIELDS)}.",
        "",
        "[columns]",
    ]
    for match in matches:
        target = "" if match.field is None or match.clash else match.field
        note = f"  # {match.how}"
        if match.clash:
            note = f"  # same field as {match.clash!r} ({match.field}): choose one"
        elif match.field is None and match.how == UNKNOWN:
            note = '  # not recognised: write a field name, or keep "" to leave it out'
        lines.append(f"{_toml_string(match.header)} = {_toml_string(target)}{note}")
    return "\n".join(lines) + "\n"


def write_mapping(path: Path, matches: list[HeaderMatch]) -> None:
    """Write ``starter_mapping(matches)`` to ``path``; raises ``ConfigError`` when it cannot."""
    try:
        write_text_atomically(path, starter_mapping(matches))
    except OSError as error:
        raise ConfigError(
            ErrorCode.OUTPUT_UNWRITABLE, f"cannot write the mapping file {path}: {error.strerror}"
        ) from None
