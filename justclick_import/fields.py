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

ALL_FIELDS: tuple[str, ...] = (
    ORDER_ID,
    *CUSTOMER_FIELDS,
    *GOOD_FIELDS,
    *UTM_FIELDS,
    *STATUS_FIELDS,
)

# Delivery data JustClick demands for physical goods (error 605).
DELIVERY_FIELDS: tuple[str, ...] = (
    "bill_first_name",
    "bill_surname",
    "bill_country",
    "bill_city",
    "bill_address",
)
