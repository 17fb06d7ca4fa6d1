"""What to do, in terms of this command line's own flags, for each error and problem code.

The library's messages say what is wrong and what to do in words; these hints add the flag or
command that does it here (the web page has its own).
"""

from __future__ import annotations

from typing import Any

from justclick_import.errors import ErrorCode
from justclick_import.problems import ProblemCode

__all__ = ["LOGIN_ENV", "SECRET_ENV", "error_hint", "problem_hint"]

SECRET_ENV = "JUSTCLICK_SECRET"
LOGIN_ENV = "JUSTCLICK_LOGIN"

_MAPPING = "`justclick-import columns INPUT --write-mapping FILE` writes a mapping to edit"
_API_URL = "check --api-url"

_ERRORS: dict[ErrorCode, str] = {
    ErrorCode.CANNOT_DECODE: "pass --encoding {suggested}",
    ErrorCode.UNKNOWN_ENCODING: "--encoding takes a name such as utf-8, cp1251 or utf-16",
    ErrorCode.BAD_DELIMITER: "--delimiter takes one character, or tab",
    ErrorCode.MALFORMED_CSV: "if the delimiter was guessed wrong, pass --delimiter",
    ErrorCode.NO_SUCH_SHEET: "pass --sheet with one of those names",
    ErrorCode.HEADER_CLASH: f'leave one out with --mapping FILE ("{{header}}" = ""); {_MAPPING}',
    ErrorCode.NO_KNOWN_HEADER: (
        f"`justclick-import template FILE.xlsx` shows the headers; {_MAPPING}, passed with "
        "--mapping FILE"
    ),
    ErrorCode.MISSING_COLUMN: f"map a header with --mapping FILE; {_MAPPING}",
    ErrorCode.BAD_MAPPING: f"{_MAPPING} as a starter",
    ErrorCode.BAD_CATALOG: "check the file given with --catalog (columns id,title,price,physical)",
    ErrorCode.UNKNOWN_TIMEZONE: "--timezone takes a name such as Europe/Moscow",
    ErrorCode.UNKNOWN_DATE_FORMAT: "--date-format takes DMY or MDY",
    ErrorCode.NO_LOGIN: f"pass --login or set {LOGIN_ENV}",
    ErrorCode.NO_SECRET: f"set {SECRET_ENV} or pass --secret-file PATH",
    ErrorCode.INSECURE_API_URL: _API_URL,
    ErrorCode.JOURNAL_UNUSABLE: (
        "move it aside and keep it; then `--journal NEW.sqlite --lookup-first` looks every "
        "order up in the shop before sending (never a new journal without --lookup-first)"
    ),
    ErrorCode.JOURNAL_BUSY: "or pass another --journal",
    ErrorCode.NO_JOURNAL: "pass --journal if it is kept elsewhere",
    ErrorCode.OUTPUT_UNWRITABLE: "choose another file with --out",
    ErrorCode.UNKNOWN_RUN: "`justclick-import runs` lists them",
    ErrorCode.WRONG_SHOP: "pass the login of that run with --login, or none",
    ErrorCode.BAD_SIGNATURE: f"check --login and {SECRET_ENV} or --secret-file",
    ErrorCode.UNKNOWN_LOGIN: f"check --login / {LOGIN_ENV}",
    ErrorCode.TLS_UNVERIFIED: _API_URL,
    ErrorCode.WRONG_API_URL: _API_URL,
    ErrorCode.UNKNOWN_PRESET: "--preset takes one of those names, or none",
    ErrorCode.TLS_BROKEN: "run the same command again: it looks the order up first",
    ErrorCode.UNREACHABLE: f"{_API_URL} and the network; nothing was sent",
    ErrorCode.JOURNAL_WRITE: "make room on the disk, then run the same command again",
    ErrorCode.CREDENTIALS_IN_URL: "give --api-url without user:password@",
    ErrorCode.SENT_BEFORE: (
        "run again with --lookup-first (each order is looked up in the shop; only those not "
        "there are sent), with --journal OLD.sqlite if you still have the old journal, or with "
        "--new-orders if these orders were really never sent"
    ),
    ErrorCode.OUTPUT_FAILED: (
        "`justclick-import report INPUT` (with the same reading options) writes the results "
        "workbook again from the journal"
    ),
    ErrorCode.UNKNOWN_ORDER: "the keys are in the results workbook's Orders sheet, order_key",
}

_PROBLEMS: dict[ProblemCode, str] = {
    ProblemCode.AMBIGUOUS_DATE: "or run with --date-format DMY (day first) or MDY (month first)",
    ProblemCode.UNKNOWN_PRODUCT: "the products are checked against --catalog",
    ProblemCode.UNKNOWN_TITLE: "titles are matched with --catalog; add the title there",
    ProblemCode.TITLE_WITHOUT_CATALOG: "pass --catalog FILE (id,title,price,physical)",
    ProblemCode.FOREIGN_CURRENCY: "--currency sets the shop's currency",
    ProblemCode.NAIVE_DATES: "pass --timezone ZONE, such as Europe/Moscow, if they are not",
    ProblemCode.UNKNOWN_STATUS: "--skip-status WORD if such orders were never sales",
    ProblemCode.OPEN_DEAL: "--keep-status WORD creates them after all",
}


def error_hint(code: ErrorCode | None, facts: dict[str, Any] | None = None) -> str:
    """The hint for an error's code, filled from its facts ("" when there is none)."""
    template = _ERRORS.get(code) if code is not None else None
    if template is None:
        return ""
    try:
        return template.format(**(facts or {}))
    except (KeyError, IndexError):  # a fact the hint needs is missing: say it without
        return ""


def problem_hint(code: ProblemCode) -> str:
    """The hint for a problem code ("" when there is none)."""
    return _PROBLEMS.get(code, "")
