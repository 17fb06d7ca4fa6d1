"""How the input was read, in words: a workbook's sheet, or a text file's encoding and delimiter."""

from __future__ import annotations

from dataclasses import dataclass

from justclick_import.language import Language

__all__ = ["SourceFormat"]

# How a file was read, in each language's words (``SourceFormat.describe``).
_FORMAT_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "sheet": "sheet {name!r}, headers in row {row}",
        "text": "{encoding}{damaged}, {delimiter}-separated, headers in row {row}",
        "damaged": " ({rows} rows with bytes that are not {encoding})",
    },
    "ru": {
        "sheet": "лист «{name}», заголовки в строке {row}",
        "text": "{encoding}{damaged}, разделитель — {delimiter}, заголовки в строке {row}",
        "damaged": " (строк с байтами не в этой кодировке: {rows})",
    },
}
_DELIMITER_NAMES: dict[Language, dict[str, str]] = {
    "en": {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"},
    "ru": {",": "запятая", ";": "точка с запятой", "\t": "табуляция", "|": "вертикальная черта"},
}
_ENCODING_NAMES: dict[Language, dict[str, str]] = {
    "en": {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 with BOM",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16LE",
        "utf-16-be": "UTF-16BE",
        "cp1251": "Windows-1251",
    },
    "ru": {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 с BOM",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16LE",
        "utf-16-be": "UTF-16BE",
        "cp1251": "Windows-1251",
    },
}


@dataclass(frozen=True)
class SourceFormat:
    """How the input was read: a workbook's sheet, or a text file's encoding and delimiter."""

    header_row: int = 1  # the spreadsheet row holding the headers
    sheet_name: str | None = None  # a workbook's sheet (None: a text file)
    encoding: str | None = None
    delimiter: str | None = None
    bad_bytes_rows: int = 0  # rows whose bytes were not all of the encoding

    def describe(self, language: Language = "en") -> str:
        """``UTF-8, semicolon-separated, headers in row 1`` or ``sheet 'Orders', headers in row
        4`` (``лист «Orders», заголовки в строке 4``), in ``language``."""
        words = _FORMAT_WORDS[language]
        if self.sheet_name is not None:
            return words["sheet"].format(name=self.sheet_name, row=self.header_row)
        delimiter = _DELIMITER_NAMES[language].get(self.delimiter or "", repr(self.delimiter))
        encoding = _ENCODING_NAMES[language].get(self.encoding or "", str(self.encoding))
        damaged = ""
        if self.bad_bytes_rows:
            damaged = words["damaged"].format(rows=self.bad_bytes_rows, encoding=encoding)
        return words["text"].format(
            encoding=encoding, damaged=damaged, delimiter=delimiter, row=self.header_row
        )
