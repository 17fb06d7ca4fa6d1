"""JustClick's CreateOrder field names, as the importer's columns and the API know them."""

from __future__ import annotations

# Customer and order fields, in the order they are sent (API.md, "CreateOrder parameters").
CUSTOMER_FIELDS: tuple[str, ...] = (
    "bill_email",
    "bill_first_name",
    "bill_surname",
    "bill_middle_name",
    "bill_phone",
    "bill_country",
    "bill_region",
    "bill_city",
    "bill_address",
    "bill_postal_code",
    "bill_kupon",
    "bill_tag",
    "bill_comment",
    "bill_ip",
    "bill_timer_kill",
    "bill_created",
    "bill_domain",
)

# Sent nested as utm[...]; a partner sale is utm_medium=affiliate with utm_source=<partner login>.
UTM_FIELDS: tuple[str, ...] = (
    "utm_medium",
    "utm_source",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "aff_medium",
    "aff_source",
    "aff_campaign",
    "aff_content",
    "aff_term",
)

GOOD_FIELDS: tuple[str, ...] = ("good_name", "good_sum")

# The file's own order number: groups lines into one order; never sent.
ORDER_ID = "order_id"

# What the old shop knew of an order (migrations): applied after creation with
# UpdateOrderStatus, only with --apply-status; never sent to CreateOrder.
STATUS_FIELDS: tuple[str, ...] = ("order_status", "status_date", "tracking_number")

# What exports hold beyond JustClick's own fields; each becomes what JustClick takes, never sent
# as it is: a product's title (matched to its id through the catalog), how many units a line
# is (one goods entry each), how many were ordered before refunds (the units of an order
# refunded in full; without a quantity column, the line's units), and, per order, the
# customer's full name (split into first name, surname and middle name), the order's total as
# the old shop charged it (compared with the goods, never a price of every line) and its
# currency.
LINE_FIELDS: tuple[str, ...] = ("good_title", "quantity", "ordered_quantity")
SOURCE_ORDER_FIELDS: tuple[str, ...] = ("full_name", "order_total", "currency")

ALL_FIELDS: tuple[str, ...] = (
    ORDER_ID,
    *CUSTOMER_FIELDS,
    *GOOD_FIELDS,
    *UTM_FIELDS,
    *STATUS_FIELDS,
    *LINE_FIELDS,
    *SOURCE_ORDER_FIELDS,
)

# Free text: rows of one order that differ are joined (a warning), never a conflict.
FREE_TEXT_FIELDS: tuple[str, ...] = ("bill_comment", "bill_tag")

# Delivery data JustClick demands for physical goods (error 605).
DELIVERY_FIELDS: tuple[str, ...] = (
    "bill_first_name",
    "bill_surname",
    "bill_country",
    "bill_city",
    "bill_address",
)
