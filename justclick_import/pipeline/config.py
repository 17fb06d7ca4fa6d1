"""What one import run does: which file, how to read it, where to send it, where results go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from justclick_import.api.secret import Secret
from justclick_import.language import Language, default_language
from justclick_import.sending.options import SendOptions

__all__ = ["ImportConfig", "results_path"]


@dataclass
class ImportConfig:
    """What one import run does: which file, where to send it, where the results go.

    Only ``input`` is required. With ``sandbox`` the run sends to an embedded JustClick stand-in
    on 127.0.0.1 (started for the run, with a journal of its own) instead of ``api_url``.
    """

    input: Path
    out: Path | None = None  # the results workbook; default <input stem>.results.xlsx beside it
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    login: str = ""
    secret: Secret | None = None
    api_url: str | None = None
    sandbox: bool = False
    target_label: str | None = None  # shown instead of the URL, e.g. "sandbox"
    dry_run: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    journal: Path | None = None  # default: sending.journal.default_journal_path()
    no_auto_cancel: bool = False  # send bill_timer_kill=false: legacy bills never auto-cancel
    send: SendOptions = field(default_factory=SendOptions)
    mapping_file: Path | None = None  # TOML [columns] "header" = "field", for other headers
    timezone: str | None = None  # IANA zone of dates without an offset; default this machine's
    date_format: str | None = None  # "DMY" or "MDY": how 03/04/2026 is read; default refuse
    catalog: Path | None = None  # id,title,price,physical: products checked before sending
    report_csv: Path | None = None  # a folder for the Orders, Rows and Problems tables as CSV
    preset: str | None = None  # a platform's preset by name; "none": no preset; None: detected
    currency: str = "RUB"  # the shop's currency: orders in another one are not sent
    skip_status: tuple[str, ...] = ()  # status words whose orders are skipped (never sales)
    keep_status: tuple[str, ...] = ()  # status words whose orders are created after all
    # The language of the words people read in the results workbook (and the headline);
    # sheet names, the headers a re-import reads and the codes scripts read stay English.
    language: Language = field(default_factory=default_language)
    # How the front end says to do each next step of the results (keyed by ``NextStep`` code,
    # e.g. a command line), shown under the step; the library itself names no flag or button.
    step_hints: dict[str, str] = field(default_factory=dict)
    ca_bundle: Path | None = None  # certificates to trust instead of the system's (still verified)
    # The front end's words for what settles each kind of doubt (see ``models.Doubt``).
    settle_commands: dict[str, str] = field(default_factory=dict)


def results_path(config: ImportConfig) -> Path:
    """Where the results workbook goes: ``out``, or ``<input stem>.results.xlsx`` beside it."""
    if config.out is not None:
        return config.out
    return config.input.with_name(f"{config.input.stem}.results.xlsx")
