"""The words of the results a person reads, in English and Russian.

Only what people read changes with the language: status words, labels, the headers of the Orders
and Problems sheets. Sheet names, the Rows headers a re-import reads, status codes in the JSON and
the CSV files, and the Summary's keys (``sending.identity`` reads one) stay English.
"""

from __future__ import annotations

from justclick_import.errors import ErrorCode
from justclick_import.language import Language
from justclick_import.models import OrderStatus

__all__ = [
    "LABELS",
    "STATUS_WORDS",
    "header_words",
    "label",
    "severity_word",
    "status_word",
    "stop_words",
]

# No word begins another of its language: the fills of the status column match the word's start.
STATUS_WORDS: dict[Language, dict[OrderStatus, str]] = {
    "en": {
        OrderStatus.CREATED: "created",
        OrderStatus.ALREADY_EXISTS: "already exists",
        OrderStatus.FAILED: "failed",
        OrderStatus.INVALID: "invalid",
        OrderStatus.SKIPPED: "skipped",
        OrderStatus.UNCERTAIN: "in doubt",
        OrderStatus.NOT_SENT: "not sent",
    },
    "ru": {
        OrderStatus.CREATED: "создан",
        OrderStatus.ALREADY_EXISTS: "уже существует",
        OrderStatus.FAILED: "отклонён",
        OrderStatus.INVALID: "нужно исправить",
        OrderStatus.SKIPPED: "пропущен",
        OrderStatus.UNCERTAIN: "под вопросом",
        OrderStatus.NOT_SENT: "не отправлен",
    },
}

_SEVERITY: dict[Language, dict[str, str]] = {
    "en": {"error": "error", "warning": "warning"},
    "ru": {"error": "ошибка", "warning": "предупреждение"},
}

# Russian headers of the Orders and Problems sheets; a header missing here stays as it is. Of
# these only the Orders sheet's order_key, status and bill_id are read back (earlier_results
# knows their words in both languages: change them there too).
_HEADERS_RU: dict[str, str] = {
    "order_key": "заказ",
    "bill_email": "e-mail",
    "goods": "товары",
    "total": "сумма",
    "status": "статус",
    "bill_id": "номер счёта",
    "error_code": "код ошибки",
    "error_text": "сообщение",
    "source_rows": "строки файла",
    "link": "ссылка на оплату",
    "legacy_status": "статус из старого магазина",
    "source_total": "сумма в файле",
    "difference": "разница",
    "row": "строка",
    "column": "столбец",
    "value": "значение",
    "code": "код",
    "problem": "что не так",
    "severity": "важность",
    "cell": "ячейка",
}

# Summary labels: a key (English, stable) and its words in each language.
LABELS: dict[str, dict[Language, str]] = {
    "what to do": {"en": "What to do", "ru": "Что сделать"},
    "orders": {"en": "Orders", "ru": "Заказы"},
    "created total": {"en": "sum of the orders created", "ru": "сумма созданных заказов"},
    "rows": {"en": "Rows", "ru": "Строки"},
    "rows read": {"en": "rows read", "ru": "прочитано строк"},
    "rows with problems": {"en": "rows with problems", "ru": "строк с проблемами"},
    "problems": {"en": "problems", "ru": "проблем"},
    "frequent problems": {"en": "Most frequent problems", "ru": "Частые проблемы"},
    "technical details": {"en": "Technical details", "ru": "Технические сведения"},
    "chart title": {"en": "Orders by status", "ru": "Заказы по статусам"},
    "go to": {"en": "→ {place}", "ru": "→ {place}"},
    "row in": {"en": "{sheet}, row {row}", "ru": "{sheet}, строка {row}"},
    # The technical facts (their keys are what scripts may look for).
    "input file": {"en": "input file", "ru": "файл"},
    "input sha256": {"en": "input sha256", "ru": "SHA-256 файла"},
    "sheet": {"en": "sheet", "ru": "лист"},
    "login": {"en": "login", "ru": "логин"},
    "target": {"en": "target", "ru": "куда отправлено"},
    "started": {"en": "started", "ru": "начало"},
    "finished": {"en": "finished", "ru": "конец"},
    "duration seconds": {"en": "duration seconds", "ru": "длительность, с"},
    "stopped because": {"en": "stopped because", "ru": "причина остановки"},
    "interrupted": {"en": "interrupted", "ru": "прервано"},
    "import name": {"en": "import name", "ru": "имя импорта"},
    "run id": {"en": "run id", "ru": "номер запуска"},
    "journal": {"en": "journal", "ru": "журнал"},
    "previous results kept as": {
        "en": "previous results kept as",
        "ru": "прежние результаты сохранены как",
    },
    "read as": {"en": "read as", "ru": "прочитано как"},
    "dates without a time zone read in": {
        "en": "dates without a time zone read in",
        "ru": "даты без часового пояса прочитаны в поясе",
    },
    "ignored columns (never sent)": {
        "en": "ignored columns (never sent)",
        "ru": "столбцы, которые не отправляются",
    },
    "continued on": {"en": "continued on", "ru": "продолжение на листах"},
    "continued note": {
        "en": "{sheets} (Excel holds 1,048,576 rows a sheet)",
        "ru": "{sheets} (в лист Excel помещается 1 048 576 строк)",
    },
    "sandbox": {"en": "sandbox", "ru": "песочница"},
    "dry run": {"en": "dry run", "ru": "пробный запуск"},
    "yes": {"en": "yes", "ru": "да"},
    "no": {"en": "no", "ru": "нет"},
}

# The reasons a run stops (``api.codes.STOP_CODES``), in Russian; English is the stop's own.
_STOPS_RU: dict[ErrorCode, str] = {
    ErrorCode.CLIENT_BUG: "запрос ушёл неполным (ошибка импортёра; сообщите о ней)",
    ErrorCode.BAD_SIGNATURE: "JustClick не принял подпись: проверьте логин {login} и ключ API",
    ErrorCode.UNKNOWN_LOGIN: "JustClick не знает логин {login}: проверьте его",
    ErrorCode.IP_DENIED: (
        "JustClick не принимает запросы API с этого IP-адреса: разрешите его в настройках "
        "API магазина"
    ),
    ErrorCode.ACCOUNT_DISABLED: "аккаунт JustClick {login} отключён",
    ErrorCode.REQUEST_LIMIT: (
        "исчерпан лимит запросов JustClick с этого адреса или API отключён: попробуйте позже "
        "или проверьте настройки API магазина"
    ),
    ErrorCode.API_DISABLED: (
        "создание заказов через API в этом магазине выключено: включите его в JustClick"
    ),
}


def status_word(status: OrderStatus | str, language: Language) -> str:
    """The word a person reads for ``status`` (a code not known here stays as it is)."""
    try:
        return STATUS_WORDS[language][OrderStatus(status)]
    except ValueError:
        return str(status)


def severity_word(severity: str, language: Language) -> str:
    """``error`` / ``warning`` in ``language``."""
    return _SEVERITY[language].get(severity, severity)


def header_words(headers: tuple[str, ...] | list[str], language: Language) -> list[str]:
    """The Orders or Problems sheet's headers in ``language`` (never the Rows sheet's)."""
    if language == "en":
        return list(headers)
    return [_HEADERS_RU.get(header, header) for header in headers]


def label(key: str, language: Language, **facts: object) -> str:
    """The Summary's words for ``key`` in ``language``, filled from ``facts``."""
    words = LABELS.get(key, {}).get(language, key)
    return words.format(**facts) if facts else words


def stop_words(code: ErrorCode | None, message: str, login: str, language: Language) -> str:
    """Why the run stopped, in ``language`` (the stop's own English words when not known)."""
    if language == "ru" and code in _STOPS_RU:
        return _STOPS_RU[code].format(login=login or "?")
    return message
