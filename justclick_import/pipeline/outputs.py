"""Writing what a run did: the results workbook (an earlier one kept), and the CSV files.

After orders were sent, writing their results must never fail silently: when the workbook (or
a CSV file) cannot be written, whatever the reason (a full disk, a cell too long, a Rust panic
of the writer, which is a ``BaseException``), the run's facts are written as JSON beside it,
else in the temporary folder, and ``OutputError`` says where. The journal holds them anyway,
and the workbook can be written again from it at any time (``report_again``).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from justclick_import.atomic import write_text_atomically
from justclick_import.errors import ConfigError, ErrorCode, ImporterError
from justclick_import.models import RunResult
from justclick_import.pipeline.config import ImportConfig, results_path
from justclick_import.pipeline.gc_pause import gc_paused
from justclick_import.report.csv_files import check_csv_folder, write_csv_reports
from justclick_import.report.files import check_writable, keep_previous_results
from justclick_import.report.json_summary import run_summary_text
from justclick_import.report.workbook import write_workbook

__all__ = ["OutputError", "Outputs", "check_outputs", "write_outputs"]


@dataclass
class Outputs:
    """The files a run wrote."""

    workbook: Path
    previous: Path | None = None  # where an earlier results workbook was kept
    csv_files: list[Path] = field(default_factory=list)


class OutputError(ImporterError):
    """The results could not be written; ``result`` is the run, ``saved`` where its facts went."""

    def __init__(self, message: str, result: RunResult, saved: Path | None) -> None:
        super().__init__(ErrorCode.OUTPUT_FAILED, message, saved=str(saved or ""))
        self.result = result
        self.saved = saved


def check_outputs(config: ImportConfig) -> None:
    """Raise ``ConfigError`` now if the results could not be written after sending."""
    out = results_path(config)
    problem = check_writable(out)
    if problem:
        raise ConfigError(
            ErrorCode.OUTPUT_UNWRITABLE, f"cannot write the results to {out}: {problem}"
        )
    if config.report_csv is not None:
        problem = check_csv_folder(config.report_csv)
        if problem:
            raise ConfigError(
                ErrorCode.OUTPUT_UNWRITABLE,
                f"cannot write the CSV files to {config.report_csv}: {problem}",
            )


def write_outputs(result: RunResult, config: ImportConfig) -> Outputs:
    """Write the results workbook (keeping an earlier one) and, if asked, the CSV files.

    Raises ``OutputError`` when they cannot be written, after saving the facts elsewhere.
    """
    out = results_path(config)
    writing = out
    try:
        # Running the same command again is how people resume: keep what the last run wrote.
        result.previous_results = keep_previous_results(out)
        with gc_paused():
            write_workbook(result, out, hints=config.step_hints)
        outputs = Outputs(out, result.previous_results)
        if config.report_csv is not None:
            writing = config.report_csv
            outputs.csv_files = write_csv_reports(result, config.report_csv, out.stem)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:  # a Rust panic is a BaseException: the facts still go out
        what = f"{type(error).__name__}: {str(error).strip()[:300]}"
        saved = _save_facts(result, out)
        kept = f"the facts of this run are in {saved}" if saved else "no file could be written"
        journal = f" and in the journal {result.journal_path}" if result.journal_path else ""
        raise OutputError(
            f"could not write {writing} ({what}); {kept}{journal}; the results workbook can "
            "be written again from the journal at any time",
            result,
            saved,
        ) from None
    return outputs


def _save_facts(result: RunResult, out: Path) -> Path | None:
    """The run's facts as JSON beside ``out``, else in the temporary folder; None if neither."""
    text = run_summary_text(result, workbook=None)
    for folder in (out.parent, Path(tempfile.gettempdir())):
        path = folder / f"{out.stem}.facts.json"
        try:
            write_text_atomically(path, text)
        except (OSError, ValueError):
            continue
        return path
    return None
