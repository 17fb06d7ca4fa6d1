"""How each next step of a run is done on this command line: the commands shown under the steps.

The library says what to do in words (``report.headline.next_steps``); these hints add the
command that does it here, in the workbook's Summary and at the end of ``run``.
"""

from __future__ import annotations

import shlex

from justclick_import.language import Language
from justclick_import.pipeline.config import ImportConfig, results_path
from justclick_import.report.headline import NextStep

__all__ = ["step_hints"]

_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "then resend": "then, for those not found: the same run command with --resend-uncertain",
        "for real": "the same command without --dry-run",
    },
    "ru": {
        "then resend": "затем для ненайденных: та же команда run с --resend-uncertain",
        "for real": "та же команда без --dry-run",
    },
}


def step_hints(config: ImportConfig) -> dict[str, str]:
    """The command line of each next step ``config``'s run may lead to, by step code."""
    words = _WORDS[config.language]
    api = f" --api-url {shlex.quote(config.api_url)}" if config.api_url else ""
    target = " --sandbox" if config.sandbox else api
    again = f"justclick-import run {shlex.quote(str(results_path(config)))} --sheet Rows{target}"
    sheet = f" --sheet {shlex.quote(config.sheet)}" if config.sheet else ""
    reconcile = f"justclick-import reconcile {shlex.quote(str(config.input))}{sheet}{api}"
    return {
        NextStep.FIX_ROWS: again,
        NextStep.FIX_REFUSED: again,
        NextStep.RECONCILE: f"{reconcile}\n{words['then resend']}",
        NextStep.DRY_RUN: words["for real"],
    }
