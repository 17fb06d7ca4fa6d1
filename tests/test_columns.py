"""Matching the file's headers to JustClick's fields: names, aliases, mapping files."""

from __future__ import annotations

from pathlib import Path

import pytest

from justclick_import.cli.hints import error_hint
from justclick_import.errors import ConfigError, ErrorCode, InputError
from justclick_import.fields import ALL_FIELDS, UTM_FIELDS
from justclick_import.rows.aliases import ALIASES
from justclick_import.rows.columns import (
    BY_ALIAS,
    BY_MAPPING,
    BY_NAME,
    LEFT_OUT,
    UNKNOWN,
    HeaderMatch,
    describe_columns,
    map_columns,
    normalise_header,
)
from justclick_import.rows.mapping_file import load_mapping, starter_mapping, write_mapping

# The issue's own examples, and more of the names exports use.
EXAMPLES = {
    "bill_email": ["E-mail", "Email", "Почта", "Эл. почта", "EMAIL ", "Электронная почта"],
    "bill_first_name": ["First name", "Имя", "first_name"],
    "bill_surname": ["Last name", "Surname", "Фамилия"],
    "bill_middle_name": ["Middle name", "Отчество", "bill_otchestvo"],
    "bill_phone": ["Phone", "Телефон", "Номер телефона"],
    "bill_country": ["Country", "Страна"],
    "bill_region": ["Region", "State", "Регион", "Область"],
    "bill_city": ["City", "Город", "Населенный пункт"],
    "bill_address": ["Address", "Адрес"],
    "bill_postal_code": ["Zip", "Postal code", "Индекс", "postal_code"],
    "bill_kupon": ["Coupon", "Promo code", "Купон", "Промокод"],
    "bill_tag": ["Tag", "Метка"],
    "bill_comment": ["Comment", "Комментарий"],
    "bill_ip": ["IP", "IP address"],
    "bill_created": ["Created", "Order date", "Дата заказа"],
    "bill_timer_kill": ["Timer kill", "Оплатить до"],
    "bill_domain": ["Domain", "Сайт"],
    "good_name": ["Product", "Product ID", "SKU", "Товар", "Код товара", "Артикул"],
    "good_sum": ["Price", "Sum", "Цена", "Сумма"],
    "order_id": ["Order ID", "Order number", "Номер заказа", "№ заказа"],
    "utm_source": ["utm_source", "utm[utm_source]", "UTM Source", "utm[source]", "Источник"],
    "utm_medium": ["UTM Medium", "utm[utm_medium]"],
    "aff_term": ["aff_term", "utm[aff_term]", "Affiliate term", "AFF term"],
}


@pytest.mark.parametrize(
    ("header", "field"), [(h, f) for f, headers in EXAMPLES.items() for h in headers]
)
def test_common_headers_are_recognised(header: str, field: str) -> None:
    assert map_columns([header]).fields == {field: header}


def test_every_field_has_other_names_and_no_name_means_two_fields() -> None:
    owner: dict[str, str] = {}
    for name in ALL_FIELDS:
        assert ALIASES[name], name
        for alias in (name, *ALIASES[name]):
            key = normalise_header(alias)
            assert owner.setdefault(key, name) == name, (alias, owner[key], name)
    for name in UTM_FIELDS:
        assert f"utm[{name}]" in ALIASES[name]


def test_headers_compare_without_case_spaces_punctuation_or_yo() -> None:
    assert normalise_header(" Эл. Почта ") == normalise_header("эл почта") == "элпочта"
    assert normalise_header("Населённый пункт") == normalise_header("НАСЕЛЕННЫЙ-ПУНКТ")


def test_unknown_headers_are_kept_aside_and_described() -> None:
    mapping = map_columns(["E-mail", "Менеджер", "good_name", "Name"])
    assert mapping.fields == {"bill_email": "E-mail", "good_name": "good_name"}
    assert mapping.ignored == ["Менеджер", "Name"]
    assert mapping.matches == [
        HeaderMatch("E-mail", "bill_email", BY_ALIAS),
        HeaderMatch("Менеджер", None, UNKNOWN),
        HeaderMatch("good_name", "good_name", BY_NAME),
        HeaderMatch("Name", None, UNKNOWN),
    ]


def test_two_columns_for_one_field_name_both(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        map_columns(["E-mail", "Почта", "good_name"], source=tmp_path / "x.csv")
    assert str(raised.value) == (
        f"{tmp_path / 'x.csv'}: columns 'E-mail' and 'Почта' both mean bill_email; remove or "
        "rename one of them, or leave one out in a mapping file"
    )
    assert raised.value.code is ErrorCode.HEADER_CLASH
    assert error_hint(raised.value.code, raised.value.facts).startswith(
        'leave one out with --mapping FILE ("Почта" = "")'
    )


def test_nothing_recognisable_says_how_to_map() -> None:
    with pytest.raises(InputError) as raised:
        map_columns(["Покупатель", "Что купил"])
    assert "no header is a JustClick field (headers found: 'Покупатель', 'Что купил')" in str(
        raised.value
    )
    assert "mapping file" in str(raised.value)
    assert raised.value.code is ErrorCode.NO_KNOWN_HEADER
    assert "--mapping FILE" in error_hint(raised.value.code)


def test_a_mapping_file_maps_and_leaves_out(samples: Path) -> None:
    overrides = load_mapping(samples / "custom-headers.mapping.toml")
    headers = ["Покупатель", "Что купил", "Оплачено, руб", "Внутренний номер", "Эл. почта (старая)"]
    mapping = map_columns(headers, overrides=overrides)
    assert mapping.fields == {
        "bill_email": "Покупатель",
        "good_name": "Что купил",
        "good_sum": "Оплачено, руб",
    }
    assert [(m.header, m.how) for m in mapping.matches] == [
        ("Покупатель", BY_MAPPING),
        ("Что купил", BY_MAPPING),
        ("Оплачено, руб", BY_MAPPING),
        ("Внутренний номер", UNKNOWN),
        ("Эл. почта (старая)", LEFT_OUT),
    ]


def test_a_mapping_file_can_leave_out_a_known_header(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[columns]\n"Почта" = ""\n"Код" = "utm[utm_source]"\n', encoding="utf-8")
    mapping = map_columns(["E-mail", "Почта", "Код"], overrides=load_mapping(path))
    assert mapping.fields == {"bill_email": "E-mail", "utm_source": "Код"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[columns]\n"A" = "bill_emial"\n', "'A' = 'bill_emial': no such JustClick field"),
        ('[columns]\n"A" = 3\n', "'A' must be given a field name in quotes"),
        ('"A" = "bill_email"\n', "no [columns] table"),
        ("[columns\n", "not a valid mapping file"),
    ],
)
def test_a_bad_mapping_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_mapping(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    with pytest.raises(ConfigError, match="cannot read the mapping file"):
        load_mapping(tmp_path / "missing.toml")


def test_a_starter_mapping_reads_back_as_the_same_columns(tmp_path: Path) -> None:
    headers = ['Эл. "почта"', "Товар", "Менеджер", "Почта", "utm[utm_source]"]
    matches = describe_columns(headers)
    assert matches[3] == HeaderMatch("Почта", "bill_email", BY_ALIAS, clash='Эл. "почта"')
    path = tmp_path / "starter.toml"
    write_mapping(path, matches)
    text = path.read_text(encoding="utf-8")
    assert text == starter_mapping(matches)
    assert '"Эл. \\"почта\\"" = "bill_email"  # common name' in text
    assert '"Менеджер" = ""  # not recognised' in text
    assert '"Почта" = ""  # same field as \'Эл. "почта"\' (bill_email): choose one' in text
    mapping = map_columns(headers, overrides=load_mapping(path))
    assert mapping.fields == {
        "bill_email": 'Эл. "почта"',
        "good_name": "Товар",
        "utm_source": "utm[utm_source]",
    }
    assert mapping.ignored == ["Менеджер", "Почта"]
