"""Presets: recognised from the header row, chosen or turned off, extended by a mapping file;
status words that never block an order; the status table of check and a dry run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from justclick_import import ImportConfig, prepare
from justclick_import.cli.hints import error_hint
from justclick_import.cli.main import main
from justclick_import.errors import ConfigError, ErrorCode
from justclick_import.models import ExitStatus
from justclick_import.rows.presets import detect_preset, get_preset, preset_names

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CATALOG = SAMPLES / "platform-catalog.csv"
EXPORTS = {
    "shopify": "shopify-orders-export.csv",
    "woocommerce": "woocommerce-order-export.xlsx",
    "getcourse": "getcourse-orders-export.csv",
    "amocrm": "amocrm-deals-export.xlsx",
    "tilda": "tilda-leads-export.csv",
}


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def test_there_is_a_preset_per_platform_and_each_export_is_recognised() -> None:
    assert preset_names() == sorted(EXPORTS)
    for name, sample in EXPORTS.items():
        plan = prepare(ImportConfig(input=SAMPLES / sample, catalog=CATALOG))
        assert plan.reading.preset is not None and plan.reading.preset.name == name
        assert plan.reading.how == "detected"
    assert detect_preset(["E-mail", "Товар", "Цена"]) is None


def test_columns_says_which_preset_and_how_each_header_is_read() -> None:
    code, output = invoke("columns", SAMPLES / EXPORTS["shopify"])
    assert code == ExitStatus.OK
    lines = output.splitlines()
    assert lines[1] == "looks like a Shopify orders export (preset shopify)"
    assert "  Lineitem quantity            -> quantity (preset shopify)" in lines
    assert "  Billing Address1             -> ignored (left out by the preset shopify)" in lines
    code, output = invoke("columns", SAMPLES / EXPORTS["shopify"], "--preset", "none")
    assert code == ExitStatus.OK  # Email and Lineitem sku are known names anyway
    assert "preset" not in output
    assert "  Name                         -> ignored (not recognised)" in output


def test_a_preset_can_be_forced_and_an_unknown_one_is_named(tmp_path: Path) -> None:
    source = tmp_path / "orders.csv"
    source.write_text("Name,Email,SKU\nИван,a@example.ru,ebook_excel\n", encoding="utf-8")
    plan = prepare(ImportConfig(input=source, preset="tilda", timezone="UTC"))
    assert plan.reading.how == "chosen" and plan.orders[0].customer["bill_first_name"] == "Иван"
    with pytest.raises(ConfigError) as raised:
        prepare(ImportConfig(input=source, preset="magento"))
    assert raised.value.code is ErrorCode.UNKNOWN_PRESET
    assert "no preset 'magento'; the presets are amocrm, getcourse, shopify" in str(raised.value)
    assert error_hint(raised.value.code) == "--preset takes one of those names, or none"
    code, output = invoke("check", source, "--preset", "magento")
    assert code == ExitStatus.USAGE and "hint: --preset takes one of those names" in output


def test_a_mapping_file_extends_a_preset_with_columns_and_statuses(tmp_path: Path) -> None:
    source = tmp_path / "gc.csv"
    shutil.copy(SAMPLES / EXPORTS["getcourse"], source)
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        'preset = "getcourse"\n'
        'timezone = "Asia/Yekaterinburg"\n'
        "[columns]\n"
        '"Менеджер" = "bill_tag"\n'
        "[statuses]\n"
        '"Частично оплачен" = "paid"\n'
        '"Новый" = "skip"\n',
        encoding="utf-8",
    )
    plan = prepare(ImportConfig(input=source, catalog=CATALOG, mapping_file=mapping))
    assert plan.reading.preset is not None and plan.reading.preset.name == "getcourse"
    assert plan.timezone == "Asia/Yekaterinburg"
    by_key = {order.key: order for order in plan.orders}
    assert by_key["4012003"].customer["bill_tag"] == "Анна"
    assert by_key["4012003"].customer["order_status"] == "paid"
    assert [key for key, order in by_key.items() if order.skipped_by_status] == [
        "4012004",
        "4012006",
        "4012008",  # skipped: its missing e-mail no longer matters
    ]
    assert plan.problems == [p for p in plan.problems if p.code != "missing-email"]


def test_a_bad_preset_entry_in_a_mapping_file_is_named(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[statuses]\n"Ложный" = "ignore"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="status 'Ложный' = 'ignore': use one of paid, sent"):
        prepare(ImportConfig(input=SAMPLES / EXPORTS["tilda"], mapping_file=mapping))
    mapping.write_text("currency_code = 1\n[columns]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'currency_code'"):
        prepare(ImportConfig(input=SAMPLES / EXPORTS["tilda"], mapping_file=mapping))


def test_skip_and_keep_status_words_override_the_preset() -> None:
    config = ImportConfig(
        input=SAMPLES / EXPORTS["amocrm"],
        catalog=CATALOG,
        keep_status=("Переговоры",),
        skip_status=("успешно реализовано",),
    )
    plan = prepare(config)
    statuses = {s.word: (s.orders, s.status, s.known) for s in plan.statuses}
    assert statuses == {
        "Успешно реализовано": (6, "skip", True),
        "Закрыто и не реализовано": (1, "skip", True),
        "Переговоры": (1, "", True),  # kept: created with no legacy status
        "Первичный контакт": (1, "skip", False),
        "Принимают решение": (1, "skip", False),
    }
    assert plan.ready == 1 and plan.skipped == 9


def test_an_unknown_status_word_is_a_warning_and_the_order_goes_in(tmp_path: Path) -> None:
    source = tmp_path / "o.csv"
    source.write_text(
        "Order,Email,Product ID,Status\n1,a@example.ru,ebook_excel,Потерян\n", encoding="utf-8"
    )
    plan = prepare(ImportConfig(input=source, timezone="UTC"))
    assert [(p.code, p.severity) for p in plan.problems] == [("unknown-status", "warning")]
    assert plan.ready == 1


def test_check_and_a_dry_run_show_the_status_table(tmp_path: Path) -> None:
    code, output = invoke("check", SAMPLES / EXPORTS["getcourse"], "--catalog", CATALOG)
    assert code == ExitStatus.SOME_FAILED  # the order without an e-mail
    assert "10 orders, 8 ready to send, 1 skipped by their status" in output
    assert (
        "statuses (word, orders, what happens):\n"
        "  Завершен          4  created, then marked paid (with --apply-status)\n"
        "  Частично оплачен  1  created, no legacy status\n"
        "  Ложный            1  skipped: not a sale, not sent\n"
        "  Отменен           1  created, then marked cancel (with --apply-status)\n"
        "  Новый             2  created, no legacy status\n"
        "  Ожидаем оплаты    1  created, no legacy status\n"
    ) in output
    source = tmp_path / "amo.xlsx"
    shutil.copy(SAMPLES / EXPORTS["amocrm"], source)
    code, output = invoke("run", source, "--dry-run", "--catalog", CATALOG, "-q")
    assert code == ExitStatus.SOME_FAILED
    assert "4 orders skipped by their status (never sales), not sent" in output
    assert "read with the preset amocrm" in output
    assert (
        "  Переговоры                1  skipped: not a sale, not sent (unknown word; "
        "--keep-status 'Переговоры' creates them)\n"
    ) in output


def test_naive_dates_without_a_preset_or_zone_get_a_warning_saying_the_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    source = tmp_path / "o.csv"
    source.write_text(
        "Email,Product ID,Order date\n"
        "a@example.ru,ebook_excel,2026-11-29T10:00:00+03:00\n"
        "b@example.ru,ebook_excel,29.11.2026 14:30\n"
        "c@example.ru,ebook_excel,30.11.2026 09:00\n",
        encoding="utf-8",
    )
    plan = prepare(ImportConfig(input=source))
    [found] = plan.problems
    assert (found.row, found.column, found.value, found.code) == (
        3, "Order date", "29.11.2026 14:30", "naive-dates",
    )  # fmt: skip
    assert found.message == (
        "dates without a time zone were read as Asia/Tokyo time; if they were written in "
        "another zone, say which"
    )
    code, output = invoke("check", source)
    assert code == ExitStatus.OK
    assert "hint" not in output and "(pass --timezone ZONE, such as Europe/Moscow" in output
    assert prepare(ImportConfig(input=source, timezone="Asia/Tokyo")).problems == []
    shopify = prepare(ImportConfig(input=SAMPLES / EXPORTS["shopify"], catalog=CATALOG))
    assert not [p for p in shopify.problems if p.code == "naive-dates"]  # offsets written
    assert get_preset("getcourse").timezone == "Europe/Moscow"


def test_a_required_field_without_a_column_makes_columns_exit_1(tmp_path: Path) -> None:
    source = tmp_path / "o.csv"
    source.write_text("Email,Цена\na@example.ru,10\n", encoding="utf-8")
    code, output = invoke("columns", source)
    assert code == ExitStatus.SOME_FAILED
    assert "missing required: good_name" in output
    source.write_text("Email,Item name\na@example.ru,Книга\n", encoding="utf-8")
    assert invoke("columns", source)[0] == ExitStatus.OK  # a title column will do
