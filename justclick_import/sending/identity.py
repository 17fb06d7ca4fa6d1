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
from justclick_import.models import Order

__all__ = ["IMPORT_NAME_ITEM", "fingerprint", "import_name", "order_identity"]

# The Summary line of a results workbook that names its import (written by the report).
IMPORT_NAME_ITEM = "import name"


def order_identity(order: Order, import_name: str) -> str:
    """The journal key of ``order`` (see the module's docstring)."""
    if order.order_id:
        return f"order:{order.order_id}"
    return f"import:{import_name}:email:{order.email.casefold()}"


def fingerprint(order: Order) -> str:
    """A digest of what would be sent for ``order``, to notice a changed order."""
    return hashlib.sha256(http_build_query(order.params()).encode()).hexdigest()[:32]


def import_name(source: Path) -> str:
    """The import ``source`` belongs to: recorded in a results workbook, else the file's stem."""
    recorded = _recorded_import_name(source) if source.suffix.lower() == ".xlsx" else ""
    return recorded or source.stem


def _recorded_import_name(source: Path) -> str:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(source))
        if "Summary" not in workbook.sheet_names:
            return ""
        for row in workbook.get_sheet_by_name("Summary").to_python():
            if len(row) >= 2 and row[0] == IMPORT_NAME_ITEM and isinstance(row[1], str):
                return row[1].strip()
    except Exception:  # an unreadable workbook is reported by the reader, not here
        return ""
    return ""
