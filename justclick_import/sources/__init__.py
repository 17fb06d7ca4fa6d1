"""Stage 1, sources: a CSV file or a workbook read into a table of text, and the shop's catalog."""

from justclick_import.sources.reader import read_sheet
from justclick_import.sources.sheet import Sheet

__all__ = ["Sheet", "read_sheet"]
