"""The words of the problem codes about what platform exports hold: quantities, titles, totals,
currencies, joined texts, quote marks, assumed time zones, status words (``problem_texts``
gathers them with the others). Templates take ``{row}``, ``{column}``, ``{value}``, ``{detail}``.
"""

from __future__ import annotations

__all__ = ["EXPORT_EN", "EXPORT_RU"]

# code: (summary, template of one case; "" when the summary says it all)
EXPORT_EN: dict[str, tuple[str, str]] = {
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
    "refunded-quantity-assumed": (
        "0 units are left after the refund and the file does not say how many were ordered: "
        "one unit of this line is imported, so that the refunded order is kept",
        "0 units are left after the refund and the file does not say how many were ordered: "
        "one unit of this line is imported, so that the refunded order is kept (status "
        "return); if more were ordered, export the quantity ordered too (in WooCommerce, the "
        "field Quantity) or write the units in this cell",
    ),
    "refunded-quantity-ordered": (
        "0 units are left after the refund: the units ordered are imported, so that the "
        "refunded order is kept",
        "0 units are left after the refund: the units ordered ({detail}) are imported, so that "
        "the refunded order is kept (status return)",
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

EXPORT_RU: dict[str, tuple[str, str]] = {
    "bad-quantity": (
        "это не количество; впишите целое число от 1 до 980 (каждая единица — один товар в заказе)",
        "«{value}» — не количество; впишите целое число от 1 до 980 (каждая единица — "
        "один товар в заказе)",
    ),
    "zero-quantity": (
        "0 штук: эта строка не импортируется (возвращённый или удалённый товар)",
        "",
    ),
    "refunded-quantity-assumed": (
        "после возврата осталось 0 штук, а сколько было заказано, в файле не указано: "
        "импортируется одна штука этой строки, чтобы возвращённый заказ сохранился",
        "после возврата осталось 0 штук, а сколько было заказано, в файле не указано: "
        "импортируется одна штука этой строки, чтобы возвращённый заказ сохранился (статус "
        "«Возврат»); если заказано было больше, выгрузите и заказанное количество (в "
        "WooCommerce — поле Quantity) или впишите число штук в эту ячейку",
    ),
    "refunded-quantity-ordered": (
        "после возврата осталось 0 штук: импортируется заказанное количество, чтобы "
        "возвращённый заказ сохранился",
        "после возврата осталось 0 штук: импортируется заказанное количество ({detail}), "
        "чтобы возвращённый заказ сохранился (статус «Возврат»)",
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
