"""Writing what a run did: the results workbook (an earlier one kept), and the CSV files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.models import RunResult
from justclick_import.pipeline.config import ImportConfig, results_path
from justclick_import.pipeline.gc_pause import gc_paused
from justclick_import.report.csv_files import check_csv_folder, write_csv_reports
from justclick_import.report.files import check_writable, keep_previous_results
from justclick_import.report.workbook import write_workbook

__all__ = ["Outputs", "check_outputs", "write_outputs"]


@dataclass
class Outputs:
    """The files a run wrote."""

    workbook: Path
    previous: Path | None = None  # where an earlier results workbook was kept
    csv_files: list[Path] = field(default_factory=list)


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
    """Write the results workbook (keeping an earlier one) and, if asked, the CSV files."""
    out = results_path(config)
    # Running the same command again is how people resume: keep what the last run wrote.
    result.previous_results = keep_previous_results(out)
    with gc_paused():
        write_workbook(result, out, hints=config.step_hints)
    outputs = Outputs(out, result.previous_results)
    if config.report_csv is not None:
        outputs.csv_files = write_csv_reports(result, config.report_csv, out.stem)
    return outputs
