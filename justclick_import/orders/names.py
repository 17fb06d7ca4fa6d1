"""A customer's full name (one column: Billing Name, Пользователь, Основной контакт) split into
the first name, surname and middle name JustClick takes.

Three words with a patronymic (-ович, -евна, ...) say their own order: ``Фамилия Имя Отчество``
or ``Имя Отчество Фамилия``. Two Russian words say it when one is a common first name or only
one looks like a surname (-ов, -ина, -ский, ...). Otherwise the preset's order decides
(``first-last`` by default). Fields the file gives on their own are never replaced.
"""

from __future__ import annotations

import re

from justclick_import.models import Order

__all__ = ["apply_full_names", "split_full_name"]

_PATRONYMIC = re.compile(r".+(?:ович|евич|ьич|ич|овна|евна|ична|инична)$")
_SURNAME = re.compile(r".+(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|цкий|ская|цкая|енко|ук|юк)$")
_CYRILLIC = re.compile(r"^[а-яё-]+$")
# Common Russian first names (a name that is one of these is the first name, whatever its place).
_FIRST_NAMES = frozenset(
    {
        "александр", "алексей", "анатолий", "андрей", "антон", "аркадий", "артем", "артём", "борис",
        "вадим", "валентин", "валерий", "василий", "виктор", "виталий", "владимир", "владислав",
        "вячеслав", "геннадий", "георгий", "глеб", "григорий", "даниил", "денис", "дмитрий",
        "евгений", "егор", "иван", "игорь", "илья", "кирилл", "константин", "лев", "леонид",
        "максим", "марк", "матвей", "михаил", "никита", "николай", "олег", "павел", "петр", "пётр",
        "роман", "руслан", "святослав", "семен", "семён", "сергей", "станислав", "степан",
        "тимофей", "тимур", "федор", "фёдор", "филипп", "эдуард", "юрий", "ярослав", "александра",
        "алена", "алёна", "алина", "алиса", "алла", "анастасия", "ангелина", "анна", "антонина",
        "валентина", "валерия", "варвара", "вера", "вероника", "виктория", "галина", "дарья",
        "диана", "ева", "евгения", "екатерина", "елена", "елизавета", "жанна", "зинаида", "зоя",
        "инна", "ирина", "карина", "кира", "клавдия", "кристина", "ксения", "лариса", "лидия",
        "любовь", "людмила", "маргарита", "марина", "мария", "милана", "надежда", "наталья",
        "наталия", "нина", "оксана", "ольга", "полина", "раиса", "светлана", "софья", "софия",
        "таисия", "тамара", "татьяна", "ульяна", "юлия", "яна",
    }
)  # fmt: skip


_PARTICLES = frozenset({"de", "da", "di", "del", "la", "le", "van", "von", "der", "du", "dos"})


def _is_first(word: str) -> bool:
    return word.casefold() in _FIRST_NAMES


def _is_surname(word: str) -> bool:
    folded = word.casefold()
    return bool(_CYRILLIC.match(folded)) and bool(_SURNAME.match(folded)) and not _is_first(word)


def _two(first: str, second: str, order: str) -> tuple[str, str, str]:
    if _is_first(first) != _is_first(second):
        return (first, second, "") if _is_first(first) else (second, first, "")
    if _is_surname(first) != _is_surname(second):
        return (second, first, "") if _is_surname(first) else (first, second, "")
    return (second, first, "") if order == "last-first" else (first, second, "")


def split_full_name(text: str, order: str = "first-last") -> tuple[str, str, str]:
    """``(first name, surname, middle name)`` of one full name (see the module's docstring)."""
    words = text.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    if len(words) == 2:
        return _two(words[0], words[1], order)
    patronymic = [bool(_PATRONYMIC.match(word.casefold())) for word in words[:3]]
    if len(words) == 3 and patronymic[2] and not patronymic[1]:
        return words[1], words[0], words[2]  # Фамилия Имя Отчество
    if len(words) == 3 and patronymic[1]:
        return words[0], words[2], words[1]  # Имя Отчество Фамилия
    if order == "last-first":
        return words[1], words[0], " ".join(words[2:])
    # "Maria de la Cruz": the surname starts at its particle.
    particle = next((i for i, word in enumerate(words[1:], 1) if word in _PARTICLES), 0)
    if particle:
        return words[0], " ".join(words[particle:]), " ".join(words[1:particle])
    return words[0], words[-1], " ".join(words[1:-1])


_PARTS = ("bill_first_name", "bill_surname", "bill_middle_name")


def apply_full_names(orders: list[Order], order: str = "first-last") -> None:
    """Fill each order's empty name fields from its ``full_name``, when it has one."""
    for found in orders:
        full = found.customer.get("full_name", "")
        if not full or all(found.customer.get(part) for part in _PARTS[:2]):
            continue
        for part, value in zip(_PARTS, split_full_name(full, order or "first-last"), strict=True):
            if value and not found.customer.get(part):
                found.customer[part] = value
