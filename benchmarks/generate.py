"""Generate realistic order files for the benchmarks: UTF-8 CSV, cp1251 ``;`` CSV and XLSX.

One row per product, ~2.7 rows per order, 25 columns: an order number, the customer's details in
Russian (repeated on every row of most orders, written on the first row only of the others), a
product of ``samples/catalog.csv`` with its price (sometimes empty or discounted), utm on about a
third of the orders, two columns the importer does not send, and a few bad cells (bad e-mail,
bad price) as real exports have. The same seed gives the same file.

    python benchmarks/generate.py --lines 1000000 --formats csv,cp1251
    python benchmarks/generate.py --lines 100000 --formats xlsx
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CATALOG = ROOT / "samples" / "catalog.csv"

HEADERS = (
    "order_id",
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
    "bill_created",
    "good_name",
    "good_sum",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "Менеджер",  # kept in the results, never sent
    "Статус оплаты",
)
FORMATS = ("csv", "cp1251", "xlsx")

FIRST_NAMES = (
    "Иван", "Пётр", "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Николай", "Олег",
    "Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Юлия",
    "Екатерина", "Александр", "Владимир", "Евгений", "Ксения", "Дарья", "Артём", "Фёдор",
)  # fmt: skip
SURNAMES = (
    "Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов",
    "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов",
    "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров",
)  # fmt: skip
MIDDLE_NAMES = (
    "Иванович", "Петрович", "Сергеевич", "Андреевич", "Алексеевич", "Дмитриевич",
    "Михайлович", "Николаевич", "Владимирович", "Олегович", "Юрьевич", "Викторович",
)  # fmt: skip
CITIES = (
    ("Москва", "Москва", "1"), ("Санкт-Петербург", "Санкт-Петербург", "19"),
    ("Новосибирск", "Новосибирская область", "630"),
    ("Екатеринбург", "Свердловская область", "620"),
    ("Казань", "Республика Татарстан", "420"), ("Нижний Новгород", "Нижегородская область", "603"),
    ("Челябинск", "Челябинская область", "454"), ("Самара", "Самарская область", "443"),
    ("Омск", "Омская область", "644"), ("Ростов-на-Дону", "Ростовская область", "344"),
    ("Уфа", "Республика Башкортостан", "450"), ("Красноярск", "Красноярский край", "660"),
    ("Пермь", "Пермский край", "614"), ("Воронеж", "Воронежская область", "394"),
    ("Волгоград", "Волгоградская область", "400"), ("Тюмень", "Тюменская область", "625"),
)  # fmt: skip
STREETS = (
    "ул. Ленина", "ул. Пушкина", "пр. Мира", "ул. Советская", "ул. Гагарина", "Набережная ул.",
    "ул. Садовая", "ул. Молодёжная", "ул. Лесная", "ул. Школьная", "Невский пр.", "ул. Кирова",
)  # fmt: skip
MAIL_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru")
COUPONS = ("ОСЕНЬ10", "WELCOME", "ЧЁРНАЯПЯТНИЦА", "SALE2026")
TAGS = ("вебинар", "рассылка", "повторная покупка", "партнёр")
COMMENTS = (
    "Позвонить перед доставкой",
    "Оставить у консьержа",
    "Нужен счёт на юрлицо — ООО «Ромашка»",
    "Подарок, не вкладывать чек",
    "Доставка после 18:00, домофон 25#",
)
MANAGERS = ("Ольга К.", "Игорь С.", "Марина П.", "")
PAY_STATES = ("оплачен", "ожидает оплаты", "отменён", "")
UTM = (
    ("yandex", "cpc", "осень-2026", "объявление-1", "курс python"),
    ("vk", "social", "школа-рост", "пост-12", ""),
    ("google", "cpc", "brand", "ad-7", "онлайн курс"),
    ("partner42", "affiliate", "", "", ""),
    ("email", "newsletter", "дайджест-ноябрь", "кнопка", ""),
)
LINES_PER_ORDER = (1, 1, 2, 2, 3, 3, 3, 4, 5, 3)  # mean 2.7


def load_products(path: Path = CATALOG) -> list[tuple[str, str]]:
    """``(id, price)`` of every product of the catalog."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [(row["id"], row["price"]) for row in csv.DictReader(handle)]


def _translit_login(rng: random.Random, number: int) -> str:
    names = ("ivan", "petr", "anna", "maria", "olga", "sergey", "dmitry", "elena", "alex", "yulia")
    return f"{rng.choice(names)}.{rng.choice(('k', 'p', 's', 'm', 'v'))}{number}"


def _customer(rng: random.Random, number: int) -> dict[str, str]:
    city, region, postal = rng.choice(CITIES)
    surname = rng.choice(SURNAMES)
    first = rng.choice(FIRST_NAMES)
    if first.endswith(("а", "я")):  # a woman's surname ends in -а
        surname += "а"
    return {
        "bill_email": f"{_translit_login(rng, number)}@{rng.choice(MAIL_DOMAINS)}",
        "bill_first_name": first,
        "bill_surname": surname,
        "bill_middle_name": rng.choice(MIDDLE_NAMES) if rng.random() < 0.6 else "",
        "bill_phone": f"+7 ({rng.randint(900, 999)}) {rng.randint(100, 999)}-"
        f"{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        "bill_country": "Россия",
        "bill_region": region,
        "bill_city": city,
        "bill_address": f"{rng.choice(STREETS)}, д. {rng.randint(1, 120)}, "
        f"кв. {rng.randint(1, 300)}",
        "bill_postal_code": f"{postal}{rng.randint(0, 999):03d}".ljust(6, "0")[:6],
    }


def order_rows(lines: int, *, seed: int = 2026, bad_rate: float = 0.002) -> Iterator[list[str]]:
    """``lines`` data rows (a whole number of orders, cut at ``lines``), in HEADERS order."""
    rng = random.Random(seed)
    products = load_products()
    customers: list[dict[str, str]] = []
    written = 0
    order_number = 100_000
    created = 1_760_000_000
    while written < lines:
        order_number += 1
        created += rng.randint(10, 300)
        if customers and rng.random() < 0.2:  # a returning customer
            customer = rng.choice(customers)
        else:
            customer = _customer(rng, len(customers) + 1)
            customers.append(customer)
        order: dict[str, str] = {
            "order_id": f"A-{order_number}",
            **customer,
            "bill_kupon": rng.choice(COUPONS) if rng.random() < 0.1 else "",
            "bill_tag": rng.choice(TAGS) if rng.random() < 0.2 else "",
            "bill_comment": rng.choice(COMMENTS) if rng.random() < 0.15 else "",
            "bill_ip": f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
            f"{rng.randint(1, 254)}",
            "bill_created": str(created),
            "Менеджер": rng.choice(MANAGERS),
            "Статус оплаты": rng.choice(PAY_STATES),
        }
        if rng.random() < 0.35:
            source, medium, campaign, content, term = rng.choice(UTM)
            order |= {
                "utm_source": source,
                "utm_medium": medium,
                "utm_campaign": campaign,
                "utm_content": content,
                "utm_term": term,
            }
        # Some exports write the details on the first row only (the e-mail stays on every row:
        # the validator wants it there).
        first_row_only = rng.random() < 0.3
        count = min(rng.choice(LINES_PER_ORDER), lines - written)
        for position in range(count):
            good, price = rng.choice(products)
            roll = rng.random()
            if roll < 0.1:
                price = ""  # the shop's price
            elif roll < 0.2:
                price = f"{int(price) * 0.9:.2f}".replace(".", ",")  # discounted, comma decimal
            row = (
                dict(order)
                if position == 0 or not first_row_only
                else {"order_id": order["order_id"], "bill_email": order["bill_email"]}
            )
            row["good_name"] = good
            row["good_sum"] = price
            if rng.random() < bad_rate:  # what real exports hold: a typo here and there
                if rng.random() < 0.5:
                    row["bill_email"] = order["bill_email"].replace("@", " ")
                else:
                    row["good_sum"] = "договорная"
            yield [row.get(name, "") for name in HEADERS]
        written += count


def path_for(lines: int, kind: str, seed: int = 2026, bad_rate: float = 0.002) -> Path:
    """Where the file of ``lines`` rows in format ``kind`` goes (benchmarks/data/...)."""
    suffix = {"csv": "utf8.csv", "cp1251": "cp1251.csv", "xlsx": "xlsx"}[kind]
    rate = "-clean" if not bad_rate else "" if bad_rate == 0.002 else f"-bad{bad_rate:g}"
    return DATA / f"orders-{lines}-s{seed}{rate}.{suffix}"


def write_csv(path: Path, rows: Iterator[list[str]], encoding: str, delimiter: str) -> None:
    """Write ``rows`` under HEADERS as a CSV file."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: Iterator[list[str]]) -> None:
    """Write ``rows`` under HEADERS as an XLSX workbook (xlsxwriter, constant memory)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet("Заказы")
    sheet.write_row(0, 0, HEADERS)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value:
                sheet.write_string(number, column, value)
    workbook.close()


def ensure(
    lines: int, kind: str, *, seed: int = 2026, bad_rate: float = 0.002, force: bool = False
) -> Path:
    """The file of ``lines`` rows in format ``kind``, generated unless it is already there."""
    path = path_for(lines, kind, seed, bad_rate)
    if path.exists() and not force:
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    rows = order_rows(lines, seed=seed, bad_rate=bad_rate)
    if kind == "csv":
        write_csv(partial, rows, "utf-8", ",")
    elif kind == "cp1251":
        write_csv(partial, rows, "cp1251", ";")
    else:
        write_xlsx(partial, rows)
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the files asked for and print their paths."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=100_000, help="order lines (rows) per file")
    parser.add_argument(
        "--formats", default="csv,cp1251,xlsx", help="comma-separated: " + ",".join(FORMATS)
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--bad-rate", type=float, default=0.002, help="share of rows with a bad cell"
    )
    parser.add_argument("--force", action="store_true", help="regenerate even if the file exists")
    args = parser.parse_args(argv)
    for kind in args.formats.split(","):
        if kind not in FORMATS:
            parser.error(f"unknown format {kind!r}; choose from {', '.join(FORMATS)}")
        started = time.perf_counter()
        path = ensure(args.lines, kind, seed=args.seed, bad_rate=args.bad_rate, force=args.force)
        size = path.stat().st_size / 1e6
        print(f"{path} ({size:.1f} MB, {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
