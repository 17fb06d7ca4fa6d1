"""Errors that stop a run before or while it works: each says what happened and what to do."""

from __future__ import annotations


class ImporterError(Exception):
    """A problem that ends the run, with a message meant for the person running it."""


class InputError(ImporterError):
    """The input file cannot be read as a spreadsheet of orders (exit 2)."""


class ConfigError(ImporterError):
    """The command line or environment does not describe a run that can work (exit 2)."""
