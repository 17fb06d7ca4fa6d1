"""Errors that end a run before or while it works: a stable code, and a message for a person.

The message says what happened and what to do in words; it never names a command-line flag or a
button. A front end adds the hint for its own controls from the code (``cli.hints``), so the CLI
and the web page explain the same error each in its own terms.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

__all__ = ["ConfigError", "ErrorCode", "ImporterError", "InputError"]


class ErrorCode(StrEnum):
    """Why a run could not start, or had to stop (kebab-case, never renamed)."""

    # The input file.
    FILE_NOT_FOUND = "file-not-found"
    NOT_A_FILE = "not-a-file"
    UNSUPPORTED_TYPE = "unsupported-file-type"
    WRONG_FORMAT = "wrong-file-format"
    EMPTY_FILE = "empty-file"
    CANNOT_DECODE = "cannot-decode"
    UNKNOWN_ENCODING = "unknown-encoding"
    BAD_DELIMITER = "bad-delimiter"
    MALFORMED_CSV = "malformed-csv"
    PASSWORD_PROTECTED = "password-protected"
    DAMAGED_WORKBOOK = "damaged-workbook"
    NO_SUCH_SHEET = "no-such-sheet"
    NO_DATA = "no-data"
    UNNAMED_COLUMN = "unnamed-column"
    DUPLICATE_HEADER = "duplicate-header"
    HEADER_CLASH = "header-clash"
    NO_KNOWN_HEADER = "no-known-header"
    MISSING_COLUMN = "missing-column"
    # The run's settings.
    BAD_MAPPING = "bad-mapping"
    BAD_CATALOG = "bad-catalog"
    UNKNOWN_TIMEZONE = "unknown-timezone"
    UNKNOWN_DATE_FORMAT = "unknown-date-format"
    NO_LOGIN = "no-login"
    NO_SECRET = "no-secret"
    INSECURE_API_URL = "insecure-api-url"
    JOURNAL_UNUSABLE = "journal-unusable"
    JOURNAL_BUSY = "journal-busy"
    NO_JOURNAL = "no-journal"
    OUTPUT_UNWRITABLE = "output-unwritable"
    UNKNOWN_RUN = "unknown-run"
    WRONG_SHOP = "wrong-shop"
    # Answers and faults that stop a run once it is sending.
    CLIENT_BUG = "client-bug"
    BAD_SIGNATURE = "bad-signature"
    UNKNOWN_LOGIN = "unknown-login"
    IP_DENIED = "ip-denied"
    ACCOUNT_DISABLED = "account-disabled"
    REQUEST_LIMIT = "request-limit"
    API_DISABLED = "api-disabled"
    TLS_UNVERIFIED = "tls-unverified"
    WRONG_API_URL = "wrong-api-url"
    UNEXPECTED = "unexpected-error"
    # Added later (settings).
    UNKNOWN_PRESET = "unknown-preset"
    # Never twice, never lost (added later; kept at the end).
    TLS_BROKEN = "tls-broken"
    UNREACHABLE = "api-unreachable"
    JOURNAL_WRITE = "journal-write-failed"
    CREDENTIALS_IN_URL = "credentials-in-url"
    SENT_BEFORE = "sent-before"
    OUTPUT_FAILED = "output-failed"
    FILE_TOO_BIG = "file-too-big"
    UNKNOWN_ORDER = "unknown-order"


class ImporterError(Exception):
    """A problem that ends the run: ``code`` for programs, the message for the person.

    ``facts`` are the particulars a front end's hint may need (``encoding``, ``header``, ...).
    """

    def __init__(self, code: ErrorCode, message: str, **facts: Any) -> None:
        super().__init__(message)
        self.code = code
        self.facts = facts

    @property
    def message(self) -> str:
        """The message for the person running the import."""
        return str(self)


class InputError(ImporterError):
    """The input file cannot be read as a spreadsheet of orders (exit 2)."""


class ConfigError(ImporterError):
    """The settings or the environment do not describe a run that can work (exit 2)."""
