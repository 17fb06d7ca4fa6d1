"""The words of each problem code, per language: a one-line summary and a case's template.

Templates take ``{row}``, ``{column}``, ``{value}`` and ``{detail}``. Keys are the codes'
values (``problems.ProblemCode``); every code has both languages (a test holds it to that).
"""

from __future__ import annotations

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
    "bad-quantity": (
        "not a number of units; write a whole number from 1 to 980 (each unit is one product "
        "of the order)",
        "{value!r} is not a number of units; write a whole number from 1 to 980 (each unit is "
        "one product of the order)",
    ),
    "zero-quantity": (
        "0 units: this line is not imported (a refunded or removed line)",
        "",
    ),
    "unknown-title": (
        "no product of the catalog has this title",
        "no product of the catalog has the title {value!r}; the closest titles: {detail}",
    ),
    "ambiguous-title": (
        "several products of the catalog have this title; write the product's id instead",
        "several products of the catalog have the title {value!r} ({detail}); write the "
        "product's id instead",
    ),
    "title-without-catalog": (
        "this product is given by its title only: titles are matched to ids with the shop's "
        "catalog (id,title,price,physical); give it, or write the product's id",
        "",
    ),
    "not-a-product": (
        "this line is not a product (a tip, shipping or a fee): it is not imported",
        "{value!r} is not a product (a tip, shipping or a fee): this line is not imported",
    ),
    "no-goods": (
        "this order has no product left to import (each line has 0 units or is not a product)",
        "",
    ),
    "price-not-split": (
        "one price for several products: it is not used, the shop's prices are charged",
        "one price for {detail} products: it is not used, the shop's prices are charged",
    ),
    "total-differs": (
        "the order's total in the file differs from the sum of its goods (a discount, "
        "shipping or a tip?); the goods are imported at their own prices",
        "the order's total {value} differs from the sum of its goods, {detail} (a discount, "
        "shipping or a tip?); the goods are imported at their own prices",
    ),
    "foreign-currency": (
        "this order is not in the shop's currency: it is not sent (prices are never converted)",
        "this order is in {value}, the shop sells in {detail}: it is not sent (prices are "
        "never converted)",
    ),
    "texts-joined": (
        "rows of one order have different texts here: they are joined with '; '",
        "rows of one order have {detail} different texts here: sent joined as {value!r}",
    ),
    "quote-removed": (
        "the leading ' (a spreadsheet's mark for text) was removed",
        "the leading ' (a spreadsheet's mark for text) was removed, in {detail} cells of this "
        "column",
    ),
    "naive-dates": (
        "dates without a time zone were read in an assumed zone",
        "dates without a time zone were read as {detail} time; if they were written in "
        "another zone, say which",
    ),
    "unknown-status": (
        "a status word this importer does not know: the order goes in without a legacy status",
        "{value!r} is a status word this importer does not know: the order goes in without "
        "a legacy status (a mapping file's [statuses] can say what it means)",
    ),
    "open-deal": (
        "a stage of a deal still open (not a sale yet): the order is skipped",
        "{value!r} is the stage of a deal still open (not a sale yet): the order is skipped "
        "(a mapping file's [statuses] can say otherwise)",
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
    "bad-quantity": (
        "это не количество; впишите целое число от 1 до 980 (каждая единица — один товар в заказе)",
        "«{value}» — не количество; впишите целое число от 1 до 980 (каждая единица — "
        "один товар в заказе)",
    ),
    "zero-quantity": (
        "0 штук: эта строка не импортируется (возвращённый или удалённый товар)",
        "",
    ),
    "unknown-title": (
        "в каталоге нет товара с таким названием",
        "в каталоге нет товара с названием «{value}»; ближайшие названия: {detail}",
    ),
    "ambiguous-title": (
        "такое название у нескольких товаров каталога; впишите идентификатор товара",
        "название «{value}» у нескольких товаров каталога ({detail}); впишите идентификатор товара",
    ),
    "title-without-catalog": (
        "товар указан только названием: названия сопоставляются с идентификаторами по "
        "каталогу магазина (id,title,price,physical); укажите его или впишите идентификатор",
        "",
    ),
    "not-a-product": (
        "это не товар (чаевые, доставка или сбор): строка не импортируется",
        "«{value}» — не товар (чаевые, доставка или сбор): строка не импортируется",
    ),
    "no-goods": (
        "в заказе не осталось товаров для импорта (у всех строк 0 штук или это не товары)",
        "",
    ),
    "price-not-split": (
        "одна цена на несколько товаров: она не используется, берутся цены магазина",
        "одна цена на {detail} товара: она не используется, берутся цены магазина",
    ),
    "total-differs": (
        "сумма заказа в файле не равна сумме его товаров (скидка, доставка или чаевые?); "
        "товары импортируются по своим ценам",
        "сумма заказа {value} не равна сумме его товаров, {detail} (скидка, доставка или "
        "чаевые?); товары импортируются по своим ценам",
    ),
    "foreign-currency": (
        "заказ не в валюте магазина: он не отправляется (цены не пересчитываются)",
        "заказ в валюте {value}, а магазин продаёт в {detail}: он не отправляется (цены "
        "не пересчитываются)",
    ),
    "texts-joined": (
        "в строках одного заказа здесь разные тексты: они объединены через «; »",
        "в строках одного заказа здесь {detail} разных текста: отправлено «{value}»",
    ),
    "quote-removed": (
        "убран начальный ' (так таблицы помечают текст)",
        "убран начальный ' (так таблицы помечают текст), ячеек этого столбца: {detail}",
    ),
    "naive-dates": (
        "даты без часового пояса прочитаны в предполагаемом поясе",
        "даты без часового пояса прочитаны как время {detail}; если они записаны в другом "
        "поясе, укажите его",
    ),
    "unknown-status": (
        "незнакомое слово статуса: заказ импортируется без статуса",
        "«{value}» — незнакомое слово статуса: заказ импортируется без статуса (что оно "
        "значит, можно указать в [statuses] файла сопоставления)",
    ),
    "open-deal": (
        "этап ещё открытой сделки (это не продажа): заказ пропущен",
        "«{value}» — этап ещё открытой сделки (это не продажа): заказ пропущен (иначе можно "
        "указать в [statuses] файла сопоставления)",
    ),
}

TEXTS: dict[Language, dict[str, tuple[str, str]]] = {"en": _EN, "ru": _RU}
