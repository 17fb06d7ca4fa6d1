"""Which orders are "the same": the journal's key for an order, and an import's name.

An order is its order number when the file has one (unique for the shop's login, whichever file
it came from); otherwise the customer's e-mail within one import, an import being named after its
input file (``orders.xlsx`` -> ``orders``). A results workbook records its import's name, so
importing it again, or a renamed fixed copy of it, is the same import.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from justclick_import.api.signing import http_build_query
from justclick_import.errors import ErrorCode, InputError
from justclick_import.models import Order

__all__ = [
    "IMPORT_NAME_ITEM",
    "SUMMARY_KEY_COLUMN",
    "fingerprint",
    "import_name",
    "order_identity",
]

# The key of the Summary line of a results workbook that names its import (written by the
# report): in the Summary's hidden key column, or in its first column (earlier workbooks).
IMPORT_NAME_ITEM = "import name"
SUMMARY_KEY_COLUMN = 11  # column L


def order_identity(order: Order, import_name: str) -> str:
    """The journal key of ``order`` (see the module's docstring)."""
    if order.order_id:
        return f"order:{order.order_id}"
    return f"import:{import_name}:email:{order.email.casefold()}"


def fingerprint(order: Order) -> str:
    """A digest of what would be sent for ``order``, to notice a changed order."""
    return hashlib.sha256(http_build_query(order.params()).encode()).hexdigest()[:32]


# Workbooks a results workbook may have been saved as (Excel's "Save as" keeps the sheets).
_WORKBOOKS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


def import_name(source: Path) -> str:
    """The import ``source`` belongs to: recorded in a results workbook, else the file's stem.

    Raises ``InputError`` when a workbook's Summary sheet names an import but cannot be read:
    guessing would make its orders another import's, and send them again.
    """
    recorded = _recorded_import_name(source) if source.suffix.lower() in _WORKBOOKS else ""
    return recorded or source.stem


def _recorded_import_name(source: Path) -> str:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(source))
        if "Summary" not in workbook.sheet_names:
            return ""
        rows = workbook.get_sheet_by_name("Summary").to_python(skip_empty_area=False)
    except Exception as error:
        raise InputError(
            ErrorCode.DAMAGED_WORKBOOK,
            f"{source}: cannot read its Summary sheet, which names the import a results "
            f"workbook belongs to ({type(error).__name__}: {error}); open it in Excel and save "
            "it again, or remove the Summary sheet if this is not a results workbook",
        ) from None
    for row in rows:  # the key in column A, or in a hidden key column (L) of later workbooks
        keyed = len(row) > SUMMARY_KEY_COLUMN and row[SUMMARY_KEY_COLUMN] == IMPORT_NAME_ITEM
        if len(row) >= 2 and (keyed or row[0] == IMPORT_NAME_ITEM):
            name = str(row[1]).strip() if row[1] is not None else ""
            return name
    return ""
