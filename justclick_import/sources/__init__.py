"""Stage 1, sources: a CSV file or a workbook read into a table of text, and the shop's catalog."""
