"""The headline and the next steps: one line of what happened, and what to do, in two languages."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from justclick_import.cli.summary import fit_encoding, render_summary
from justclick_import.errors import ErrorCode
from justclick_import.language import LANGUAGES, Language
from justclick_import.models import Doubt, Order, OrderLine, OrderResult, OrderStatus, RunResult
from justclick_import.problems import ProblemCode, RowProblem
from justclick_import.report.headline import NextStep, format_rub, headline, next_steps
from justclick_import.report.tables import sorted_problems
from justclick_import.report.words import LABELS, STATUS_WORDS, stop_words
from justclick_import.sending.identity import import_name

NBSP = "\u00a0"


def order_result(number: int, status: OrderStatus, price: float | None = 1000.0) -> OrderResult:
    order = Order(
        key=f"o{number}",
        customer={"bill_email": f"b{number}@example.ru"},
        lines=[OrderLine("kurs_python", price, number + 2)],
        rows=[number + 2],
    )
    return OrderResult(order, status, bill_id=100 + number if status == "created" else None)


def run_of(*statuses: OrderStatus, target: str = "sandbox", **facts: object) -> RunResult:
    results = [order_result(i, status) for i, status in enumerate(statuses)]
    moment = datetime(2026, 11, 29, 14, 30)
    result = RunResult(
        source=Path("orders.xlsx"),
        sheet_name=None,
        rows=pd.DataFrame({"bill_email": [f"b{i}@example.ru" for i in range(len(statuses))]}),
        row_numbers=[i + 2 for i in range(len(statuses))],
        problems=[],
        results=results,
        login="demo",
        target=target,
        started=moment,
        finished=moment,
    )
    for name, value in facts.items():
        setattr(result, name, value)
    return result


CREATED, INVALID, UNCERTAIN = OrderStatus.CREATED, OrderStatus.INVALID, OrderStatus.UNCERTAIN


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (113180, f"113{NBSP}180,00{NBSP}₽"),
        (0, f"0,00{NBSP}₽"),
        (1500.5, f"1{NBSP}500,50{NBSP}₽"),
        (1234567.891, f"1{NBSP}234{NBSP}567,89{NBSP}₽"),
        (-990, f"-990,00{NBSP}₽"),
        (999.999, f"1{NBSP}000,00{NBSP}₽"),
    ],
)
def test_roubles_are_written_as_russians_write_them(amount: float, written: str) -> None:
    assert format_rub(amount) == written


@pytest.mark.parametrize(
    ("statuses", "language", "line"),
    [
        ([CREATED] * 12, "en", f"12 of 12 orders created — 12{NBSP}000,00{NBSP}₽"),
        ([CREATED] * 12, "ru", f"Создано заказов: 12 из 12 — 12{NBSP}000,00{NBSP}₽"),
        ([CREATED], "en", f"1 of 1 order created — 1{NBSP}000,00{NBSP}₽"),
        (
            [CREATED] * 9 + [INVALID] * 2 + [UNCERTAIN],
            "en",
            f"9 of 12 orders created — 9{NBSP}000,00{NBSP}₽; 2 need fixing, 1 in doubt",
        ),
        (
            [CREATED] * 9 + [INVALID] * 2 + [UNCERTAIN],
            "ru",
            f"Создано заказов: 9 из 12 — 9{NBSP}000,00{NBSP}₽; нужно исправить: 2, под вопросом: 1",
        ),
        ([OrderStatus.SKIPPED] * 3, "en", "3 orders: 3 created earlier"),
        ([OrderStatus.SKIPPED] * 3, "ru", "Заказов: 3 — созданы ранее: 3"),
        ([INVALID, OrderStatus.FAILED], "en", "2 orders: 1 refused by JustClick, 1 needs fixing"),
    ],
)
def test_the_headline_says_what_happened_counting_only_what_occurred(
    statuses: list[OrderStatus], language: Language, line: str
) -> None:
    assert headline(run_of(*statuses), language) == line


def test_a_dry_run_a_stop_and_an_interruption_say_so_first() -> None:
    dry = run_of(OrderStatus.NOT_SENT, OrderStatus.NOT_SENT, INVALID, target="dry run")
    assert headline(dry, "en") == "Dry run, nothing sent: 2 of 3 orders ready; 1 needs fixing"
    assert headline(dry, "ru") == (
        "Пробный запуск, ничего не отправлено: готово к отправке 2 из 3; нужно исправить: 1"
    )
    stopped = run_of(CREATED, OrderStatus.NOT_SENT, stop_message="JustClick refused the login")
    assert headline(stopped, "en").startswith("Stopped. 1 of 2 orders created")
    interrupted = run_of(CREATED, OrderStatus.NOT_SENT, interrupted=True)
    assert headline(interrupted, "ru").startswith("Прервано. Создано заказов: 1 из 2")


def test_next_steps_point_at_the_first_line_concerned_most_urgent_first() -> None:
    result = run_of(CREATED, OrderStatus.FAILED, INVALID, UNCERTAIN, OrderStatus.NOT_SENT, INVALID)
    result.problems = [RowProblem(3, "bill_domain", "https://x", ProblemCode.DOMAIN_SCHEME_REMOVED)]
    result.stop_message = "the API is disabled"
    result.stop_code = ErrorCode.API_DISABLED
    steps = next_steps(result, "en")
    assert [(s.code, s.count, s.sheet, s.position) for s in steps] == [
        (NextStep.STOPPED, 0, "", None),
        (NextStep.FIX_ROWS, 2, "Rows", 2),
        (NextStep.FIX_REFUSED, 1, "Orders", 1),
        (NextStep.RECONCILE, 1, "Orders", 3),
        (NextStep.SEND_REST, 1, "Orders", 4),
        (NextStep.CHECK_WARNINGS, 1, "Problems", 0),
    ]
    assert steps[0].text.startswith("The import stopped: the API is disabled. Put that right")
    russian = next_steps(result, "ru")
    assert russian[0].text.startswith("Импорт остановлен: создание заказов через API")
    assert all("--" not in step.text for step in steps + russian)  # no flag: front ends add it


def test_the_warnings_step_points_at_the_first_warning_in_the_problems_table_order() -> None:
    # The step finds the line without sorting; the table (sorted_problems) is the reference.
    rng = random.Random(14)
    codes = [ProblemCode.BAD_EMAIL, ProblemCode.ZERO_PRICE, ProblemCode.TEXTS_JOINED]
    for _ in range(200):
        problems = [
            RowProblem(rng.randint(2, 6), rng.choice("AB"), str(i), rng.choice(codes))
            for i in range(rng.randint(0, 12))
        ]
        result = run_of(INVALID)
        result.problems = problems
        table = sorted_problems(result)
        expected = [i for i, problem in enumerate(table) if not problem.is_error]
        found = [s for s in next_steps(result, "en") if s.code is NextStep.CHECK_WARNINGS]
        if not expected:
            assert found == []
            continue
        assert (found[0].count, found[0].position) == (len(expected), expected[0])
        assert table[found[0].position] is table[expected[0]]


def test_a_run_with_nothing_left_to_do_says_so() -> None:
    assert [s.code for s in next_steps(run_of(CREATED, OrderStatus.SKIPPED), "en")] == [
        NextStep.NOTHING
    ]
    dry = next_steps(run_of(OrderStatus.NOT_SENT, target="dry run"), "ru")
    assert [s.code for s in dry] == [NextStep.DRY_RUN]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_status_and_label_has_words_and_no_status_word_begins_another(
    language: Language,
) -> None:
    words = STATUS_WORDS[language]
    assert set(words) == set(OrderStatus)
    for status, word in words.items():  # the status fills match a word's beginning
        assert not any(other.startswith(word) for s, other in words.items() if s != status)
    assert all(texts.get(language) for texts in LABELS.values())
    for code in (ErrorCode.BAD_SIGNATURE, ErrorCode.UNKNOWN_LOGIN):
        assert "{" not in stop_words(code, "english words", "shop", language)


def test_the_terminal_summary_starts_with_the_headline_and_the_commands(tmp_path: Path) -> None:
    result = run_of(CREATED, UNCERTAIN)
    hints = {NextStep.RECONCILE: "justclick-import reconcile orders.xlsx"}
    text = render_summary(result, tmp_path / "orders.results.xlsx", hints=hints)
    lines = text.splitlines()
    assert lines[0] == f"1 of 2 orders created — 1{NBSP}000,00{NBSP}₽; 1 in doubt"
    assert lines[1].startswith("1. Orders in doubt: 1.")
    assert lines[2] == "   justclick-import reconcile orders.xlsx"
    assert "orders.xlsx: 2 rows, 2 orders (1 created, 1 uncertain)" in lines
    result.language = "ru"
    assert render_summary(result, tmp_path / "r.xlsx").startswith("Создано заказов: 1 из 2")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "   in doubt: 7 orders, not looked up yet: run X",
                "     (o0, o1, o2, o3, o4 and 2 more)",
                "   in doubt: 6 orders, bills to check by hand: reconcile Y",
                "     o11: bill 11 to check",
                "     ... and 1 more (see the results workbook)",
                "   in doubt: 1 orders were sent without a trustworthy answer and may exist; "
                "`justclick-import reconcile orders.xlsx` looks them up",
            ],
        ),
        (
            "ru",
            [
                "   под вопросом: заказов: 7, ещё не искали в магазине: run X",
                "     (o0, o1, o2, o3, o4 и ещё 2)",
                "   под вопросом: заказов: 6, счета нужно проверить вручную: reconcile Y",
                "     o11: bill 11 to check",
                "     ... и ещё 1 (см. книгу результатов)",
                "   под вопросом: заказов: 1, отправлены без надёжного ответа и могут уже быть в "
                "магазине; `justclick-import reconcile orders.xlsx` найдёт их там",
            ],
        ),
    ],
)
def test_the_orders_in_doubt_under_the_step_are_told_in_the_runs_language(
    tmp_path: Path, language: Language, expected: list[str]
) -> None:
    result = run_of(*[UNCERTAIN] * 14, target="https://shop.example/api/", language=language)
    for number, order in enumerate(result.results):
        order.doubt = Doubt.UNREAD if number < 7 else Doubt.CHECK if number < 13 else None
        order.error_text = f"bill {number} to check"
    result.settle_commands = {Doubt.UNREAD.value: "run X", Doubt.CHECK.value: "reconcile Y"}
    lines = render_summary(result, tmp_path / "orders.results.xlsx").splitlines()
    start = lines.index(expected[0])
    assert lines[start : start + 2] == expected[:2]
    assert lines[start + 2] == expected[2]
    assert lines[start + 7 : start + 10] == expected[3:]


@pytest.mark.parametrize(
    ("target", "language", "line"),
    [
        ("sandbox", "en", "target: sandbox (login demo)"),
        ("dry run", "en", "target: dry run (login demo)"),
        ("sandbox", "ru", "куда: песочница (логин demo)"),
        ("dry run", "ru", "куда: пробный запуск (логин demo)"),
        ("https://shop.example/api/", "ru", "куда: https://shop.example/api/ (логин demo)"),
    ],
)
def test_the_target_is_named_in_the_runs_language(
    tmp_path: Path, target: str, language: Language, line: str
) -> None:
    status = OrderStatus.NOT_SENT if target == "dry run" else CREATED
    result = run_of(status, target=target, language=language)
    assert line in render_summary(result, tmp_path / "orders.results.xlsx").splitlines()


def test_a_console_that_cannot_show_the_rouble_sign_gets_words() -> None:
    line = f"Создано заказов: 1 из 1 — 1{NBSP}500,00{NBSP}₽"
    assert fit_encoding(line, "utf-8") == line
    assert fit_encoding(line, "cp1251") == "Создано заказов: 1 из 1 - 1 500,00 руб."
    assert fit_encoding(line, "ascii").endswith("1 500,00 ???.")
    assert fit_encoding(line, None) == line


def test_the_import_name_is_read_from_the_key_column_and_from_older_workbooks(
    tmp_path: Path,
) -> None:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.cell(3, 1, "имя импорта")
    summary.cell(3, 2, "january")
    summary.cell(3, 12, "import name")
    book.save(tmp_path / "new.xlsx")
    assert import_name(tmp_path / "new.xlsx") == "january"
    older = Workbook()
    older.active.title = "Summary"
    older.active.append(["item", "value"])
    older.active.append(["import name", "december"])
    older.save(tmp_path / "old.xlsx")
    assert import_name(tmp_path / "old.xlsx") == "december"
