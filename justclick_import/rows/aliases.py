"""The other names people give JustClick's fields in their headers, in English and Russian."""

from __future__ import annotations

from justclick_import.fields import ALL_FIELDS, UTM_FIELDS

__all__ = ["ALIASES", "aliases_for"]

# Headers are compared after ``columns.normalise_header`` (case, spaces, punctuation and ё/е
# ignored), so "E-mail", "e mail" and "EMAIL" are one alias. A name that could mean two fields
# ("Name", "Amount" per line or per order) is deliberately absent or kept to its safe meaning: a
# wrong guess would send wrong data, while an unmatched header is listed as ignored and can be
# mapped. A total is safe as ``order_total``: it is only compared, never sent as a line's price.
_WRITTEN: dict[str, tuple[str, ...]] = {
    "order_id": (
        "Order ID", "Order number", "Order No", "Order", "Invoice number",
        "Номер заказа", "№ заказа", "Заказ", "ID заказа", "Номер счёта",
    ),
    "bill_email": (
        "E-mail", "Email", "Mail", "E-mail address", "Email address", "Customer email",
        "Почта", "Эл. почта", "Электронная почта", "Адрес электронной почты", "Е-мейл", "Емейл",
        "Имейл", "Емайл", "E-mail покупателя", "Почта клиента",
    ),
    "bill_first_name": ("First name", "Firstname", "Given name", "Имя", "Имя покупателя"),
    "bill_surname": ("Last name", "Lastname", "Surname", "Family name", "Фамилия"),
    "bill_middle_name": ("Middle name", "Patronymic", "Отчество", "bill_otchestvo"),
    "bill_phone": (
        "Phone", "Phone number", "Telephone", "Tel", "Mobile", "Mobile phone",
        "Телефон", "Тел", "Номер телефона", "Мобильный", "Мобильный телефон",
    ),
    "bill_country": ("Country", "Страна"),
    "bill_region": ("Region", "State", "Province", "Регион", "Область", "Край", "Республика"),
    "bill_city": ("City", "Town", "Город", "Населённый пункт"),
    "bill_address": (
        "Address", "Street address", "Delivery address", "Shipping address",
        "Адрес", "Адрес доставки", "Улица, дом, квартира",
    ),
    "bill_postal_code": (
        "Zip", "Zip code", "Postal code", "Postcode", "Post code", "Индекс", "Почтовый индекс",
    ),
    "bill_kupon": (
        "Coupon", "Coupon code", "Promo code", "Promocode", "Discount code",
        "Купон", "Промокод", "Промо-код", "Код купона",
    ),
    "bill_tag": ("Tag", "Tags", "Label", "Метка", "Тег", "Теги"),
    "bill_comment": (
        "Comment", "Comments", "Note", "Notes", "Комментарий", "Комментарии", "Примечание",
    ),
    "bill_ip": ("IP", "IP address", "IP-адрес", "Адрес IP"),
    "bill_timer_kill": (
        "Timer kill", "Cancel at", "Auto cancel", "Autocancel", "Cancel unpaid",
        "Автоотмена", "Отменить", "Отменить в", "Оплатить до", "Срок оплаты",
    ),
    "bill_created": (
        "Created", "Created at", "Order date", "Date", "Date created", "Creation date",
        "Дата заказа", "Дата создания", "Дата", "Создан", "Дата оформления",
    ),
    "bill_domain": ("Domain", "Site", "Website", "Домен", "Сайт"),
    "good_name": (
        "Product", "Product ID", "Product code", "SKU", "Item", "Item ID", "Good", "Good ID",
        "Товар", "Код товара", "ID товара", "Артикул", "Продукт", "Код продукта",
    ),
    "good_sum": (
        "Price", "Sum", "Amount", "Item price", "Product price",
        "Цена", "Сумма", "Стоимость", "Цена товара",
        "Unit price", "Item cost", "Lineitem price", "Цена за единицу", "Цена за шт",
    ),
    "order_status": (
        "Status", "Order status", "Payment status", "Статус", "Статус заказа", "Статус оплаты",
    ),
    "status_date": (
        "Status date", "Paid at", "Payment date", "Shipped at", "Shipping date",
        "Дата оплаты", "Дата отправки", "Дата статуса",
    ),
    "tracking_number": (
        "Tracking number", "Tracking", "Track number", "RPO", "Трек-номер", "Трек номер",
        "Номер отправления", "ШПИ", "Почтовый идентификатор",
    ),
    "good_title": (
        "Product name", "Product title", "Item name", "Lineitem name", "Title",
        "Название товара", "Наименование", "Наименование товара", "Название продукта",
        "Состав заказа",
    ),
    "quantity": (
        "Quantity", "Qty", "Lineitem quantity", "Quantity (- Refund)", "Units",
        "Количество", "Кол-во", "Кол во", "Количество товара",
    ),
    "ordered_quantity": (
        "Ordered quantity", "Quantity ordered", "Qty ordered", "Original quantity",
        "Заказано", "Количество заказано", "Заказанное количество",
    ),
    "full_name": (
        "Full name", "Customer name", "Billing Name", "Buyer name",
        "ФИО", "Ф.И.О.", "Имя и фамилия", "Фамилия Имя Отчество", "ФИО покупателя",
        "Основной контакт", "Пользователь",
    ),
    "order_total": (
        "Total", "Order total", "Order Total Amount", "Grand total", "Total amount",
        "Итого", "Сумма заказа", "Стоимость заказа", "Итоговая сумма", "Бюджет",
        "Стоимость, RUB",
    ),
    "currency": ("Currency", "Currency code", "Валюта", "Код валюты"),
}  # fmt: skip

# utm[...] fields: the API's nested spelling, words in either order, and Russian for the main five.
_UTM_RUSSIAN: dict[str, tuple[str, ...]] = {
    "utm_source": ("Источник", "Метка utm_source"),
    "utm_medium": ("Канал", "Тип трафика", "Метка utm_medium"),
    "utm_campaign": ("Кампания", "Рекламная кампания", "Метка utm_campaign"),
    "utm_content": ("Содержание объявления", "Метка utm_content"),
    "utm_term": ("Ключевое слово", "Метка utm_term"),
}


def _utm_aliases(name: str) -> tuple[str, ...]:
    prefix, part = name.split("_", 1)
    long = {"utm": "UTM", "aff": "Affiliate"}[prefix]
    return (
        f"utm[{name}]",  # the API's own nested name
        f"{prefix}[{part}]",
        f"{prefix.upper()} {part}",
        f"{long} {part}",
        f"{part} {prefix}",
        *_UTM_RUSSIAN.get(name, ()),
    )


def _bill_short_name(name: str) -> tuple[str, ...]:
    # bill_city -> "city", bill_postal_code -> "postal code": the API name without its prefix.
    return (name.removeprefix("bill_"),) if name.startswith("bill_") else ()


def _all_aliases() -> dict[str, tuple[str, ...]]:
    aliases: dict[str, tuple[str, ...]] = {}
    for name in ALL_FIELDS:
        written = _WRITTEN.get(name, ())
        extra = _utm_aliases(name) if name in UTM_FIELDS else _bill_short_name(name)
        aliases[name] = (*extra, *written)
    return aliases


ALIASES: dict[str, tuple[str, ...]] = _all_aliases()


def aliases_for(name: str) -> tuple[str, ...]:
    """The other headers accepted for the field ``name`` (its API name is always accepted)."""
    return ALIASES.get(name, ())
