"""justclick-import: spreadsheets in, signed JustClick orders out, and a results workbook back."""

__version__ = "0.1.0"
