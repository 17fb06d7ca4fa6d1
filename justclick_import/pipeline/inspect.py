"""Looking at an input without sending anything: its problems by code, and how its headers read."""

from __future__ import annotations

from dataclasses import dataclass, field

from justclick_import.models import ExitStatus
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.prepare import Plan, prepare, read_input
from justclick_import.pipeline.reading import (
    Reading,
    choose_reading,
    label_matches,
    load_user_profile,
    recognised_headers,
)
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.rows.columns import HeaderMatch, describe_columns
from justclick_import.rows.profile import Profile
from justclick_import.rows.validate import missing_fields
from justclick_import.sources import Sheet

__all__ = [
    "CheckReport",
    "ColumnsReport",
    "ProblemGroup",
    "check_input",
    "describe_input",
    "group_problems",
]


@dataclass
class ProblemGroup:
    """All problems of one code, in row order."""

    code: ProblemCode
    severity: str
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def title(self) -> str:
        """What the code means, in one line."""
        return self.code.summary


@dataclass
class CheckReport:
    """What ``check`` found in a file: everything prepared, and the problems grouped by code."""

    plan: Plan
    groups: list[ProblemGroup]

    @property
    def errors(self) -> int:
        """How many problems keep orders from being sent."""
        return sum(len(g.problems) for g in self.groups if g.severity == "error")

    @property
    def warnings(self) -> int:
        """How many problems are only told."""
        return sum(len(g.problems) for g in self.groups if g.severity != "error")

    def exit_status(self) -> ExitStatus:
        """``SOME_FAILED`` when any error was found, else ``OK``."""
        return ExitStatus.SOME_FAILED if self.errors else ExitStatus.OK


def group_problems(problems: list[RowProblem]) -> list[ProblemGroup]:
    """Problems by code: errors before warnings, each kind in order of its first row."""
    groups: dict[str, ProblemGroup] = {}
    for found in sorted(problems, key=lambda p: (p.row, p.column)):
        group = groups.get(found.code)
        if group is None:
            code = ProblemCode(found.code)
            group = groups[found.code] = ProblemGroup(code, found.severity)
        group.problems.append(found)
    return sorted(groups.values(), key=lambda g: (g.severity != "error", g.problems[0].row))


def check_input(config: ImportConfig) -> CheckReport:
    """Read, map, validate and assemble ``config.input`` and group what is wrong.

    Raises ``InputError`` or ``ConfigError`` when the file or the options cannot be used.
    """
    plan = prepare(config)
    return CheckReport(plan, group_problems(plan.problems))


@dataclass
class ColumnsReport:
    """How a file's headers are understood, for the ``columns`` command."""

    sheet: Sheet
    matches: list[HeaderMatch]
    reading: Reading = field(default_factory=lambda: Reading(Profile()))

    @property
    def missing(self) -> list[str]:
        """Required fields no header feeds (a title column stands for the product's id)."""
        fed = {match.field for match in self.matches if match.field and not match.clash}
        return missing_fields(fed)

    def exit_status(self) -> ExitStatus:
        """``SOME_FAILED`` when a required field has no column, else ``OK``."""
        return ExitStatus.SOME_FAILED if self.missing else ExitStatus.OK


def describe_input(config: ImportConfig) -> ColumnsReport:
    """Read ``config.input`` and say how each header is understood (never raises on a clash).

    Raises ``InputError`` or ``ConfigError`` when the file or the mapping cannot be read.
    """
    user = load_user_profile(config)
    sheet = read_input(config, recognised_headers(config, user))
    reading = choose_reading(config, sheet.headers, user)
    matches = describe_columns(sheet.headers, reading.profile.columns)
    return ColumnsReport(sheet, label_matches(matches, reading), reading)
