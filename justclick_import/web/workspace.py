"""What the page remembers between steps: the file, how to read it, the fixes, the shop, the run.

One person uses one page, so there is one workspace per server. It lives in memory (the secret
too, never on disk) and in the server's private folder (the uploaded file, the corrected copy,
the mapping chosen, each run's results), which is removed when the server stops.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from justclick_import.api.secret import Secret
from justclick_import.errors import ImporterError
from justclick_import.language import Language
from justclick_import.pipeline.config import ImportConfig
from justclick_import.pipeline.connection import ConnectionCheck
from justclick_import.pipeline.inspect import (
    CheckReport,
    ColumnsReport,
    check_input,
    describe_input,
)
from justclick_import.pipeline.target import SANDBOX
from justclick_import.rows.columns import BY_MAPPING, LEFT_OUT, HeaderMatch
from justclick_import.rows.mapping_file import write_mapping
from justclick_import.sandbox import Sandbox
from justclick_import.sending.identity import import_name
from justclick_import.sending.options import SendOptions
from justclick_import.web.corrections import Corrections, write_corrected_copy
from justclick_import.web.runner import SendRun

__all__ = ["ReadChoices", "Shop", "Upload", "Workspace", "private_folder"]


def private_folder(path: Path) -> Path:
    """``path`` made (if needed) as a folder only this user can enter."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


@dataclass(frozen=True)
class ReadChoices:
    """How the file is read; None: as the importer guesses."""

    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    timezone: str | None = None
    date_format: str | None = None


@dataclass
class Upload:
    """The file being imported and what the page changed about it."""

    folder: Path
    original: Path
    size: int
    read: ReadChoices = field(default_factory=ReadChoices)
    columns: dict[str, str | None] | None = None  # header -> field chosen in the page
    corrections: Corrections = field(default_factory=dict)
    corrected: Path | None = None
    generation: int = 0  # counts the changes: a check is redone after each

    @property
    def name(self) -> str:
        """The file's name as uploaded."""
        return self.original.name

    @property
    def mapping_path(self) -> Path:
        """Where the columns chosen in the page are kept as a mapping file."""
        return self.folder / "mapping.toml"

    @property
    def current(self) -> Path:
        """The file that is imported: the corrected copy once a cell was fixed."""
        return self.corrected or self.original


@dataclass
class Shop:
    """Where orders go: the demo shop, or a real one (the secret only in memory)."""

    demo: bool
    login: str = ""
    secret: Secret | None = None
    api_url: str | None = None
    check: ConnectionCheck | None = None


class Workspace:
    """The page's state; its methods are called from the server's request threads."""

    def __init__(self, folder: Path, sandbox: Sandbox, journal: Path | None) -> None:
        self.folder = private_folder(folder)
        self.sandbox = sandbox
        self.journal = journal  # the real shops' journal (None: the user's default one)
        self.demo_journal = self.folder / "demo-journal.sqlite"
        self.lock = threading.RLock()
        self.upload: Upload | None = None
        self.shop: Shop | None = None
        self.run: SendRun | None = None
        self.runs_started = 0
        self.undo_results: dict[str, Path] = {}  # run id -> the undo's results workbook
        self._uploads = 0
        self._checked: tuple[int, int, CheckReport | ImporterError] | None = None

    # --- the file -------------------------------------------------------------------------

    def upload_folder(self) -> Path:
        """A new private folder for the next upload."""
        with self.lock:
            self._uploads += 1
            return private_folder(self.folder / "uploads" / str(self._uploads))

    def accept(self, path: Path, size: int) -> Upload:
        """Make the file at ``path`` (in an upload folder) the one being imported."""
        with self.lock:
            self.upload = Upload(path.parent, path, size)
            self._checked = None
            return self.upload

    def reading_config(self, upload: Upload, *, original: bool = False) -> ImportConfig:
        """How ``upload`` is read and checked (its corrected copy unless ``original``)."""
        read = upload.read
        copy = upload.corrected is not None and not original
        return ImportConfig(
            input=upload.original if original else upload.current,
            sheet=None if copy else read.sheet,
            encoding=None if copy else read.encoding,
            delimiter=None if copy else read.delimiter,
            timezone=read.timezone,
            date_format=read.date_format,
            mapping_file=upload.mapping_path if upload.columns is not None else None,
        )

    def describe(self, upload: Upload) -> ColumnsReport:
        """How the original file's headers are understood without the page's choices."""
        config = replace(self.reading_config(upload, original=True), mapping_file=None)
        return describe_input(config)

    def check(self, upload: Upload) -> CheckReport:
        """Everything prepared from the file as it stands (the last check kept until a change)."""
        with self.lock:
            cached = self._checked
            if cached and cached[0] == id(upload) and cached[1] == upload.generation:
                found = cached[2]
            else:
                try:
                    found = check_input(self.reading_config(upload))
                except ImporterError as error:
                    found = error
                self._checked = (id(upload), upload.generation, found)
        if isinstance(found, ImporterError):
            raise found
        return found

    def set_reading(self, upload: Upload, read: ReadChoices) -> None:
        """Read the file another way (the header choices are made again for what it shows)."""
        with self.lock:
            if read != upload.read:
                upload.read = read
                upload.columns = None
                self._rewrite_copy(upload)

    def set_columns(self, upload: Upload, choices: dict[str, str | None]) -> None:
        """Keep the field chosen for each header, as a mapping file the reader is given."""
        with self.lock:
            matches = [
                HeaderMatch(header, chosen, BY_MAPPING if chosen else LEFT_OUT)
                for header, chosen in choices.items()
            ]
            write_mapping(upload.mapping_path, matches)
            upload.columns = dict(choices)
            self._rewrite_copy(upload)

    def correct(self, upload: Upload, fixes: Corrections) -> None:
        """Put the cells fixed in the page into the corrected copy."""
        with self.lock:
            upload.corrections.update(fixes)
            self._rewrite_copy(upload)

    def _rewrite_copy(self, upload: Upload) -> None:
        upload.generation += 1
        if not upload.corrections:
            upload.corrected = None
            return
        original = self.reading_config(upload, original=True)
        sheet = describe_input(original).sheet
        name = import_name(upload.original)
        folder = private_folder(upload.folder / "corrected")
        upload.corrected = write_corrected_copy(sheet, upload.corrections, folder / f"{name}.xlsx")

    # --- the shop and the run -------------------------------------------------------------

    def send_config(
        self, upload: Upload, shop: Shop, folder: Path, *, language: Language
    ) -> ImportConfig:
        """The run's whole config: the file as checked, the shop, results into ``folder``.

        The results are in ``language``, the page's (never the server's locale): the person
        who downloads the workbook reads the language they read the page in.
        """
        # The page shows each created order's payment link: one more call per order.
        config = replace(
            self.reading_config(upload), send=SendOptions(fetch_links=True), language=language
        )
        out = folder / f"{import_name(upload.original)}.results.xlsx"
        if shop.demo:
            return replace(
                config,
                login=self.sandbox.login,
                secret=Secret(self.sandbox.secret),
                api_url=self.sandbox.url,
                target_label=SANDBOX,
                journal=self.demo_journal,
                out=out,
                report_csv=folder / "csv",
            )
        return replace(
            config,
            login=shop.login,
            secret=shop.secret,
            api_url=shop.api_url,
            journal=self.journal,
            out=out,
            report_csv=folder / "csv",
        )

    def start_run(self, *, expected: int, trial: bool, language: Language) -> SendRun | None:
        """Start run number ``expected + 1`` (results in ``language``) unless a run is going or
        that one was started.

        ``expected`` is the number of runs the page's form had seen: a form sent twice (a
        double click, a second tab) starts nothing new. Returns the run started, or None.
        """
        with self.lock:
            if self.run is not None and self.run.running:
                return None
            if expected != self.runs_started or self.upload is None or self.shop is None:
                return None
            self.runs_started += 1
            folder = private_folder(self.folder / "runs" / str(self.runs_started))
            private_folder(folder / "csv")
            config = self.send_config(self.upload, self.shop, folder, language=language)
            self.run = SendRun(self.runs_started, config, trial=trial).start()
            return self.run
