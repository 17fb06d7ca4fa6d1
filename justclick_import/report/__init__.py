"""Stage 5, report: the facts of a run as a results workbook, CSV files and JSON."""
