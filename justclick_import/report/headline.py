"""What a run came to, in one line, and what to do next: for the workbook, the terminal, the web.

``headline`` says what happened ("12 of 12 orders created — 113 180,00 ₽"); ``next_steps`` says
what to do about it, each step pointing at the first line concerned of the Orders, Rows or
Problems table. Both name no command-line flag and no button: a front end shows its own way of
doing a step under it (``ImportConfig.step_hints``, keyed by ``NextStep``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from justclick_import.language import Language
from justclick_import.models import OrderStatus, RunResult
from justclick_import.problems import RowProblem
from justclick_import.report.tables import created_total, reading_order
from justclick_import.report.words import status_word, stop_words

__all__ = ["NextStep", "Step", "format_rub", "headline", "next_steps"]

NBSP = "\u00a0"  # between the groups of digits and before ₽: a sum never breaks across lines


def format_rub(amount: float) -> str:
    """Roubles as Russians write them: ``113 180,00 ₽`` (no-break spaces)."""
    whole, cents = divmod(round(abs(amount) * 100), 100)
    groups = f"{whole:,}".replace(",", NBSP)
    return f"{'-' if amount < 0 and (whole or cents) else ''}{groups},{cents:02d}{NBSP}₽"


class NextStep(StrEnum):
    """The kinds of thing a person may have to do after a run (stable codes)."""

    STOPPED = "stopped"
    FIX_ROWS = "fix-rows"
    FIX_REFUSED = "fix-refused"
    RECONCILE = "reconcile"
    SEND_REST = "send-rest"
    DRY_RUN = "dry-run"
    CHECK_WARNINGS = "check-warnings"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Step:
    """One thing to do: its words, how many lines it concerns and the first of them.

    ``sheet`` is the table the step points at (``Orders``, ``Rows``, ``Problems``, or "") and
    ``position`` the 0-based line of that table (None: the step points nowhere).
    """

    code: NextStep
    text: str
    count: int = 0
    sheet: str = ""
    position: int | None = None


_HEADLINE: dict[Language, dict[str, str]] = {
    "en": {
        "created": "{created} of {total} {orders} created",
        "none created": "{total} {orders}",
        "part": "{count} {word}",
        "no orders": "No orders to send: {rows} rows need fixing",
        "dry run": "Dry run, nothing sent: {ready} of {total} orders ready",
        "joint": ": ",
        "stopped": "Stopped. ",
        "interrupted": "Interrupted. ",
    },
    "ru": {
        "created": "Создано заказов: {created} из {total}",
        "none created": "Заказов: {total}",
        "part": "{word}: {count}",
        "no orders": "Заказов для отправки нет: нужно исправить строки ({rows})",
        "dry run": "Пробный запуск, ничего не отправлено: готово к отправке {ready} из {total}",
        "joint": " — ",
        "stopped": "Остановлено. ",
        "interrupted": "Прервано. ",
    },
}

# The words of each status in a headline's list ("2 need fixing" / "нужно исправить: 2");
# English has a word for one ("1 needs fixing") after a "|".
_PARTS: dict[Language, dict[OrderStatus, str]] = {
    "en": {
        OrderStatus.ALREADY_EXISTS: "already existed",
        OrderStatus.SKIPPED: "created earlier",
        OrderStatus.FAILED: "refused by JustClick",
        OrderStatus.INVALID: "need fixing|needs fixing",
        OrderStatus.UNCERTAIN: "in doubt",
        OrderStatus.NOT_SENT: "not sent",
    },
    "ru": {
        OrderStatus.ALREADY_EXISTS: "уже были в магазине",
        OrderStatus.SKIPPED: "созданы ранее",
        OrderStatus.FAILED: "отклонены JustClick",
        OrderStatus.INVALID: "нужно исправить",
        OrderStatus.UNCERTAIN: "под вопросом",
        OrderStatus.NOT_SENT: "не отправлены",
    },
}


def headline(result: RunResult, language: Language | None = None) -> str:
    """What the run came to, in one line of ``language`` (default: the run's).

    >>> headline(result)  # doctest: +SKIP
    '9 of 12 orders created — 98 000,00 ₽; 2 need fixing, 1 in doubt'
    """
    language = language or result.language
    words = _HEADLINE[language]
    orders = "order" if len(result.results) == 1 else "orders"  # the Russian needs no plural
    counts = Counter(order_result.status for order_result in result.results)
    total = len(result.results)
    if result.target == "dry run":
        ready = counts[OrderStatus.NOT_SENT]
        line = words["dry run"].format(ready=ready, total=total)
        return line + _rest(counts, language, leave={OrderStatus.NOT_SENT}, joint="; ")
    if not total:
        rows = len({problem.row for problem in result.problems if problem.is_error})
        return words["no orders"].format(rows=rows)
    created = counts[OrderStatus.CREATED]
    if created:
        line = words["created"].format(created=created, total=total, orders=orders)
        money = created_total(result)
        line += f" — {format_rub(money)}" if money else ""
        line += _rest(counts, language, leave={OrderStatus.CREATED}, joint="; ")
    else:
        line = words["none created"].format(total=total, orders=orders)
        line += _rest(counts, language, leave={OrderStatus.CREATED}, joint=words["joint"])
    if result.stop_message:
        line = words["stopped"] + line
    elif result.interrupted:
        line = words["interrupted"] + line
    return line


def _rest(
    counts: Counter[OrderStatus], language: Language, *, leave: set[OrderStatus], joint: str
) -> str:
    parts = []
    for status in OrderStatus:
        count = counts[status]
        if count and status not in leave:
            many, _, one = _PARTS[language][status].partition("|")
            word = one if count == 1 and one else many
            parts.append(_HEADLINE[language]["part"].format(count=count, word=word))
    return joint + ", ".join(parts) if parts else ""


_STEPS: dict[Language, dict[NextStep, str]] = {
    "en": {
        NextStep.STOPPED: (
            "The import stopped: {reason}. Put that right and run the same import again: "
            "orders already created are never sent twice."
        ),
        NextStep.FIX_ROWS: (
            "Rows marked “{word}”: {count}. Fix them in Rows (Problems says what is wrong with "
            "each), then import this workbook again: orders already created are not sent twice."
        ),
        NextStep.FIX_REFUSED: (
            "Orders refused by JustClick: {count} (its answer is in Orders, column error_text). "
            "Correct their rows in Rows, then import this workbook again."
        ),
        NextStep.RECONCILE: (
            "Orders in doubt: {count}. They were sent but no trustworthy answer came, so they "
            "may exist. Reconcile them (look them up in the shop) before anything is sent "
            "again; until then they are never resent."
        ),
        NextStep.SEND_REST: "Orders not sent: {count}. Run the same import again to send them.",
        NextStep.DRY_RUN: (
            "This was a dry run: nothing was sent. Run the import for real to send the orders "
            "that are ready ({count})."
        ),
        NextStep.CHECK_WARNINGS: (
            "Warnings: {count}. They do not keep an order from being sent; check them in Problems."
        ),
        NextStep.NOTHING: "Nothing to do: every order is in the shop.",
    },
    "ru": {
        NextStep.STOPPED: (
            "Импорт остановлен: {reason}. Устраните причину и запустите тот же импорт снова: "
            "созданные заказы повторно не отправляются."
        ),
        NextStep.FIX_ROWS: (
            "Строк с пометкой «{word}»: {count}. Исправьте их на листе Rows (что не так — на "
            "листе Problems) и загрузите эту книгу снова: созданные заказы повторно не "
            "отправятся."
        ),
        NextStep.FIX_REFUSED: (
            "JustClick отклонил заказы: {count} (его ответ — на листе Orders, в столбце "
            "«сообщение»). Исправьте их строки на листе Rows и загрузите эту книгу снова."
        ),
        NextStep.RECONCILE: (
            "Заказов под вопросом: {count}. Они отправлены, но надёжного ответа не пришло, и "
            "они могут уже быть в магазине. Сверьте их с магазином, прежде чем отправлять "
            "снова; до сверки они повторно не отправляются."
        ),
        NextStep.SEND_REST: (
            "Не отправлено заказов: {count}. Запустите тот же импорт снова, чтобы отправить их."
        ),
        NextStep.DRY_RUN: (
            "Это пробный запуск: ничего не отправлено. Запустите импорт по-настоящему, чтобы "
            "отправить готовые заказы ({count})."
        ),
        NextStep.CHECK_WARNINGS: (
            "Предупреждений: {count}. Они не мешают отправить заказ; проверьте их на листе "
            "Problems."
        ),
        NextStep.NOTHING: "Делать ничего не нужно: все заказы в магазине.",
    },
}


def next_steps(result: RunResult, language: Language | None = None) -> list[Step]:
    """What to do after ``result``, most urgent first (``NOTHING`` when all is done)."""
    language = language or result.language
    texts = _STEPS[language]
    statuses = result.row_statuses()  # each row's status: no message is made
    steps: list[Step] = []

    def first_order(status: OrderStatus) -> tuple[int, int | None]:
        found = [i for i, r in enumerate(result.results) if r.status is status]
        return len(found), (found[0] if found else None)

    if result.stop_message:
        reason = stop_words(result.stop_code, result.stop_message, result.login, language)
        steps.append(Step(NextStep.STOPPED, texts[NextStep.STOPPED].format(reason=reason)))
    invalid = statuses.count(OrderStatus.INVALID)
    if invalid:
        word = status_word(OrderStatus.INVALID, language)
        text = texts[NextStep.FIX_ROWS].format(count=invalid, word=word)
        first_row = statuses.index(OrderStatus.INVALID)
        steps.append(Step(NextStep.FIX_ROWS, text, invalid, "Rows", first_row))
    for code, status, sheet in (
        (NextStep.FIX_REFUSED, OrderStatus.FAILED, "Orders"),
        (NextStep.RECONCILE, OrderStatus.UNCERTAIN, "Orders"),
    ):
        count, first = first_order(status)
        if count:
            steps.append(Step(code, texts[code].format(count=count), count, sheet, first))
    count, first = first_order(OrderStatus.NOT_SENT)
    if count and result.target == "dry run":
        text = texts[NextStep.DRY_RUN].format(count=count)
        steps.append(Step(NextStep.DRY_RUN, text, count, "Orders", first))
    elif count:
        text = texts[NextStep.SEND_REST].format(count=count)
        steps.append(Step(NextStep.SEND_REST, text, count, "Orders", first))
    warnings, first_warning = _warnings(result.problems)
    if warnings:
        text = texts[NextStep.CHECK_WARNINGS].format(count=warnings)
        steps.append(Step(NextStep.CHECK_WARNINGS, text, warnings, "Problems", first_warning))
    if not steps:
        steps.append(Step(NextStep.NOTHING, texts[NextStep.NOTHING]))
    return steps


def _warnings(problems: list[RowProblem]) -> tuple[int, int]:
    """How many of ``problems`` are warnings, and the first one's line in the Problems table
    (``sorted_problems``), found in one pass rather than by sorting them all."""
    warned = [(*reading_order(p), i) for i, p in enumerate(problems) if not p.is_error]
    if not warned:
        return 0, 0
    first = min(warned)
    return len(warned), sum(1 for i, p in enumerate(problems) if (*reading_order(p), i) < first)
