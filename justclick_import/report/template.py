"""An empty orders workbook with the right headers, and a sheet that explains each column."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from justclick_import.atomic import atomic_path
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.fields import UTM_FIELDS
from justclick_import.rows.aliases import aliases_for

__all__ = ["COLUMN_HELP", "TEMPLATE_COLUMNS", "write_template"]

# (column, required, what to write, example), in the order the template lists them.
COLUMN_HELP: tuple[tuple[str, str, str, str], ...] = (
    ("order_id", "no", "Your own order number: rows with the same number are one order. "
     "Without it, all rows of one e-mail are one order. Never sent.", "A-1001"),
    ("bill_email", "yes", "The customer's e-mail.", "ivan@example.ru"),
    ("bill_first_name", "for goods sent by post", "First name.", "Иван"),
    ("bill_surname", "for goods sent by post", "Surname.", "Петров"),
    ("bill_middle_name", "no", "Middle name (patronymic).", "Сергеевич"),
    ("bill_phone", "no", "Phone, as you write it.", "+7 912 345-67-89"),
    ("good_name", "yes", "The product's id in your JustClick shop (not its title). One row is "
     "one unit: two of a product is two rows.", "kurs_python"),
    ("good_sum", "no", "Price of this unit. Empty: the shop's price. 0 also means the shop's "
     "price, not free.", "1500.50"),
    ("bill_country", "for goods sent by post", "Country.", "Россия"),
    ("bill_region", "no", "Region or state.", "Московская область"),
    ("bill_city", "for goods sent by post", "City.", "Подольск"),
    ("bill_address", "for goods sent by post", "Street, house, flat.", "ул. Ленина, д. 5"),
    ("bill_postal_code", "no", "Postal code (leading zeros are kept).", "012345"),
    ("bill_kupon", "no", "Coupon code.", "SKIDKA10"),
    ("bill_tag", "no", "Tag of the order.", "vip"),
    ("bill_comment", "no", "Comment on the order.", "Позвонить после 18:00"),
    ("bill_created", "no", "When the order was made: a date cell, 29.11.2026 14:30, "
     "2026-11-29 or a unix timestamp. Times without a zone are in the import's time zone.",
     "29.11.2026"),
    ("bill_timer_kill", "no", "Cancel if unpaid: yes (as the product's settings say), no "
     "(never), or the date to cancel at.", "yes"),
    ("bill_domain", "no", "Your shop's domain, without http://.", "shop.example.ru"),
    ("bill_ip", "no", "The customer's IP address (JustClick may replace it).", "192.0.2.10"),
    *((name, "no", "Analytics tag utm[" + name + "]."
       + (" A partner sale is utm_medium affiliate with the partner's login in utm_source."
          if name == "utm_medium" else ""), "") for name in UTM_FIELDS),
    ("order_status", "no", "Migrations: the order's status in the old shop (paid, sent, return, "
     "cancel; empty for none). Applied only when asked to.", "paid"),
    ("status_date", "no", "Migrations: when it was paid or sent.", "15.03.2024"),
    ("tracking_number", "for status sent", "Migrations: the postal tracking number.",
     "RA123456789RU"),
    ("good_title", "instead of good_name", "The product's title, matched to its id with the "
     "shop's catalog (case, spaces and quotes do not matter). Never sent.",
     "Курс «Python с нуля до первого проекта»"),
    ("quantity", "no", "Units of this product (a whole number; empty is 1): each is one goods "
     "entry of the order.", "2"),
    ("ordered_quantity", "no", "Units ordered, before refunds, when quantity holds what is "
     "left after them: an order refunded in full (status return, 0 left on every line) is "
     "created with these units. Without a quantity column, these are the units.", "2"),
    ("full_name", "no", "The customer's full name, when there are no separate name columns: "
     "split into first name, surname and middle name.", "Петров Иван Сергеевич"),
    ("order_total", "no", "The order's total in the old shop: the price of an order of one "
     "product without a price, else compared with its goods (never sent as a price).", "15890"),
    ("currency", "no", "The order's currency; orders not in the shop's currency are not sent.",
     "RUB"),
)  # fmt: skip

TEMPLATE_COLUMNS: tuple[str, ...] = tuple(row[0] for row in COLUMN_HELP)


def write_template(path: Path) -> None:
    """Write an empty orders workbook to ``path``: sheet Orders with the headers, sheet Columns
    explaining each one. Raises ``ConfigError`` when the file cannot be written.
    """
    workbook = Workbook()
    orders = workbook.active
    orders.title = "Orders"
    orders.append(list(TEMPLATE_COLUMNS))
    for cell in orders[1]:
        cell.font = Font(bold=True)
        orders.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 2)
        # Text format, so that postal codes and phones keep their leading zeros when typed.
        orders.column_dimensions[cell.column_letter].number_format = "@"
    orders.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Columns")
    help_sheet.append(["column", "required", "what to write", "example", "also recognised as"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for name, required, text, example in COLUMN_HELP:
        help_sheet.append([name, required, text, example, ", ".join(aliases_for(name))])
    for letter, width in zip("ABCDE", (18, 22, 70, 22, 60), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet.freeze_panes = "A2"
    try:
        with atomic_path(path) as temporary:
            workbook.save(temporary)
    except OSError as error:
        raise ConfigError(
            ErrorCode.OUTPUT_UNWRITABLE,
            f"cannot write the template {path}: {error.strerror or error}",
        ) from None
