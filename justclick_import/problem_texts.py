"""The words of each problem code, per language: a one-line summary and a case's template.

Templates take ``{row}``, ``{column}``, ``{value}`` and ``{detail}``. Keys are the codes'
values (``problems.ProblemCode``); every code has both languages (a test holds it to that).
"""

from __future__ import annotations

from justclick_import.export_texts import EXPORT_EN, EXPORT_RU
from justclick_import.language import Language

__all__ = ["TEXTS"]

# code: (summary, template of one case; "" when the summary says it all)
_EN: dict[str, tuple[str, str]] = {
    "missing-email": ("the customer's e-mail is empty; every order needs one", ""),
    "bad-email": (
        "this is not an e-mail address (expected name@example.com)",
        "{value!r} is not an e-mail address (expected name@example.com)",
    ),
    "missing-product": (
        "the product id is empty; write the product's id from your JustClick shop",
        "",
    ),
    "bad-product": (
        "a product id has no spaces; use the id from your shop, not its title",
        "",
    ),
    "bad-price": ("not a price; write a number such as 1500 or 1500.50", ""),
    "ambiguous-price": (
        "unclear price: this can be read as thousands or as a fraction; "
        "write 1500 or 1500.00 (or 1.5)",
        "unclear price {value!r}: it can be read as thousands or as a fraction; "
        "write 1500 or 1500.00 (or 1.5)",
    ),
    "negative-price": ("a price cannot be negative", ""),
    "zero-price": (
        "a price of 0 does not make the item free: JustClick charges the shop's price",
        "",
    ),
    "bad-date": (
        "not a date; write it as 29.11.2026, 29.11.2026 14:30 or 2026-11-29",
        "",
    ),
    "ambiguous-date": (
        "unclear date: 03/04/2026 can be 3 April or March 4; write 03.04.2026, or say whether "
        "the day or the month comes first",
        "unclear date {value!r}: the day and the month could be either way round; write "
        "03.04.2026, or say whether the day or the month comes first",
    ),
    "bad-timer-kill": (
        "write yes (cancel an unpaid order as the product's settings say), no (never cancel) "
        "or the date to cancel it",
        "",
    ),
    "timer-kill-past": (
        "this date has passed: JustClick will cancel the unpaid order at once",
        "",
    ),
    "bad-ip": ("not an IP address (expected e.g. 192.168.0.1)", ""),
    "bad-domain": (
        "not a site's address; write the shop's domain only, such as shop.ru",
        "",
    ),
    "domain-scheme-removed": (
        "only the domain is sent: http(s):// and the final / were removed",
        "",
    ),
    "conflicting-order": (
        "rows of one order disagree",
        "rows of one order disagree ({detail}); make them equal or give the orders different "
        "order numbers",
    ),
    "affiliate-without-source": (
        "a partner sale (utm_medium affiliate) needs the partner's login in utm_source",
        "",
    ),
    "unknown-product": (
        "your shop has no product with this id (checked against the catalog)",
        "your shop has no product with the id {value!r} (checked against the catalog)",
    ),
    "missing-delivery": (
        "this product is sent by post: the order needs the delivery address",
        "this product is sent by post: the order needs the delivery address; {detail}",
    ),
    "bad-status": (
        "not an order status; write paid, sent, return or cancel (Оплачен, Отправлен, "
        "Возврат, Отменён), or leave it empty",
        "",
    ),
    "missing-tracking": (
        "a shipped order (status sent) needs its postal tracking number",
        "",
    ),
    "too-many-goods": (
        "this order has more goods than JustClick reads from one request (about 490 with "
        "prices, 980 without): split it into several orders with different order numbers",
        "this order has {value} goods, more than JustClick reads from one request (about 490 "
        "with prices, 980 without): split it into several orders with different order numbers",
    ),
    "date-out-of-range": (
        "this date is out of range; write a date between 1970 and 2100",
        "{value!r} is out of range; write a date between 1970 and 2100",
    ),
    "price-too-large": (
        "this price is far beyond any shop's (over 1,000,000,000): check it",
        "{value!r} is far beyond any shop's price (over 1,000,000,000): check it",
    ),
    "error-cell": (
        "the cell shows an error (such as #N/A) instead of a value: fix its formula or type "
        "the value",
        "the cell shows the error {value} instead of a value: fix its formula or type the value",
    ),
    "formula-without-value": (
        "the cell holds a formula whose result was never saved (the file was made by a program, "
        "not Excel): open it in Excel and save it, or type the value",
        "",
    ),
    "typed-as-number": (
        "typed as a number, so a leading 0 or + may have been lost: check it, or format the "
        "column as text",
        "{value!r} was typed as a number, so a leading 0 or + may have been lost: check it, "
        "or format the column as text",
    ),
    "cell-too-long": (
        "longer than the 32,767 characters a spreadsheet cell holds: the results workbook would "
        "cut it; shorten it",
        "{detail} characters, more than the 32,767 a spreadsheet cell holds: the results "
        "workbook would cut it; shorten it",
    ),
    "cell-cut": (
        "longer than a spreadsheet cell holds: the results workbook keeps its first 32,767 "
        "characters (the column is not sent)",
        "",
    ),
    "bad-bytes": (
        "bytes that are not UTF-8 (shown as �): retype the text, or save the file as UTF-8 again",
        "{value!r} holds bytes that are not UTF-8 (shown as �): retype the text, or save the file "
        "as UTF-8 again",
    ),
    "request-too-large": (
        "this order makes a request larger than JustClick's server takes (8 MiB): shorten its "
        "texts or split it",
        "this order makes a request of {detail}, larger than JustClick's server takes (8 MiB): "
        "shorten its texts or split it",
    ),
}


_RU: dict[str, tuple[str, str]] = {
    "missing-email": ("не указан e-mail покупателя; он нужен каждому заказу", ""),
    "bad-email": (
        "это не адрес электронной почты (ожидается имя@example.ru)",
        "«{value}» — не адрес электронной почты (ожидается имя@example.ru)",
    ),
    "missing-product": (
        "не указан товар; впишите идентификатор товара из вашего магазина JustClick",
        "",
    ),
    "bad-product": (
        "в идентификаторе товара не бывает пробелов; укажите идентификатор из магазина, "
        "а не название",
        "",
    ),
    "bad-price": ("это не цена; впишите число, например 1500 или 1500,50", ""),
    "ambiguous-price": (
        "непонятная цена: её можно прочесть и как тысячи, и как дробь; "
        "впишите 1500 или 1500,00 (или 1,5)",
        "непонятная цена «{value}»: её можно прочесть и как тысячи, и как дробь; "
        "впишите 1500 или 1500,00 (или 1,5)",
    ),
    "negative-price": ("цена не может быть отрицательной", ""),
    "zero-price": (
        "цена 0 не делает товар бесплатным: JustClick возьмёт цену из магазина",
        "",
    ),
    "bad-date": (
        "это не дата; впишите её как 29.11.2026, 29.11.2026 14:30 или 2026-11-29",
        "",
    ),
    "ambiguous-date": (
        "непонятная дата: 03/04/2026 — это 3 апреля или 4 марта; впишите 03.04.2026 "
        "или укажите, что идёт первым — день или месяц",
        "непонятная дата «{value}»: день и месяц можно прочесть в любом порядке; впишите "
        "03.04.2026 или укажите, что идёт первым — день или месяц",
    ),
    "bad-timer-kill": (
        "впишите «да» (отменить неоплаченный заказ, как задано в настройках товара), "
        "«нет» (не отменять никогда) или дату отмены",
        "",
    ),
    "timer-kill-past": (
        "эта дата уже прошла: JustClick сразу отменит неоплаченный заказ",
        "",
    ),
    "bad-ip": ("это не IP-адрес (ожидается, например, 192.168.0.1)", ""),
    "bad-domain": (
        "это не адрес сайта; впишите только домен магазина, например shop.ru",
        "",
    ),
    "domain-scheme-removed": (
        "отправлен только домен: http(s):// и завершающая / убраны",
        "",
    ),
    "conflicting-order": (
        "строки одного заказа противоречат друг другу",
        "строки одного заказа противоречат друг другу ({detail}); сделайте их одинаковыми "
        "или дайте заказам разные номера",
    ),
    "affiliate-without-source": (
        "партнёрской продаже (utm_medium affiliate) нужен логин партнёра в utm_source",
        "",
    ),
    "unknown-product": (
        "в вашем магазине нет товара с таким идентификатором (проверено по каталогу)",
        "в вашем магазине нет товара «{value}» (проверено по каталогу)",
    ),
    "missing-delivery": (
        "этот товар отправляется почтой: заказу нужен адрес доставки",
        "этот товар отправляется почтой: заказу нужен адрес доставки; {detail}",
    ),
    "bad-status": (
        "это не статус заказа; впишите Оплачен, Отправлен, Возврат или Отменён "
        "(paid, sent, return, cancel) или оставьте пустым",
        "",
    ),
    "missing-tracking": (
        "отправленному заказу (статус «Отправлен») нужен почтовый трек-номер",
        "",
    ),
    "too-many-goods": (
        "в заказе больше товаров, чем JustClick читает из одного запроса (около 490 с ценами, "
        "980 без цен): разделите его на несколько заказов с разными номерами",
        "в заказе {value} товаров — больше, чем JustClick читает из одного запроса (около 490 "
        "с ценами, 980 без цен): разделите его на несколько заказов с разными номерами",
    ),
    "date-out-of-range": (
        "дата вне допустимого диапазона; впишите дату между 1970 и 2100 годом",
        "«{value}» вне допустимого диапазона; впишите дату между 1970 и 2100 годом",
    ),
    "price-too-large": (
        "цена далеко за пределами цен любого магазина (больше 1 000 000 000): проверьте её",
        "«{value}» далеко за пределами цен любого магазина (больше 1 000 000 000): проверьте её",
    ),
    "error-cell": (
        "в ячейке ошибка (например, #Н/Д) вместо значения: исправьте формулу или впишите значение",
        "в ячейке ошибка {value} вместо значения: исправьте формулу или впишите значение",
    ),
    "formula-without-value": (
        "в ячейке формула, результат которой не сохранён (файл создан программой, а не Excel): "
        "откройте его в Excel и сохраните или впишите значение",
        "",
    ),
    "typed-as-number": (
        "введено как число, поэтому ведущий 0 или + могли пропасть: проверьте или сделайте "
        "столбец текстовым",
        "«{value}» введено как число, поэтому ведущий 0 или + могли пропасть: проверьте или "
        "сделайте столбец текстовым",
    ),
    "cell-too-long": (
        "длиннее 32 767 символов, которые вмещает ячейка таблицы: файл результатов её обрежет; "
        "сократите текст",
        "{detail} символов — больше 32 767, которые вмещает ячейка таблицы: файл результатов её "
        "обрежет; сократите текст",
    ),
    "cell-cut": (
        "длиннее, чем вмещает ячейка таблицы: в файле результатов останутся первые 32 767 "
        "символов (столбец не отправляется)",
        "",
    ),
    "bad-bytes": (
        "байты не в кодировке UTF-8 (показаны как �): перепечатайте текст или сохраните файл "
        "в UTF-8 заново",
        "«{value}» содержит байты не в кодировке UTF-8 (показаны как �): перепечатайте текст "
        "или сохраните файл в UTF-8 заново",
    ),
    "request-too-large": (
        "запрос этого заказа больше, чем принимает сервер JustClick (8 МиБ): сократите тексты "
        "или разделите заказ",
        "запрос этого заказа — {detail}, больше, чем принимает сервер JustClick (8 МиБ): "
        "сократите тексты или разделите заказ",
    ),
}

TEXTS: dict[Language, dict[str, tuple[str, str]]] = {
    "en": {**_EN, **EXPORT_EN},
    "ru": {**_RU, **EXPORT_RU},
}
