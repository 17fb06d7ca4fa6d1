"""The wire format must match PHP byte for byte: golden cases, unit cases, properties, real PHP."""

from __future__ import annotations

import hashlib
import json
import math
import random
import string
import struct
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from php import requires_php, run_php

from justclick_import.api.signing import (
    http_build_query,
    parse_php_query,
    php_float,
    php_scalar,
    php_urlencode,
    response_hash,
    sign_query,
    signed_body,
    verify_response_hash,
)

# --- golden cases computed by PHP 8.2 (the project's shared/justclick/gen.php) --------------------

# A copy kept with the tests, so that a clone with nothing beside it runs them; the test below
# holds it equal to the shared original wherever that is beside the clone.
GOLDEN_PATH = Path(__file__).resolve().parent / "data" / "golden.json"
SHARED_GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "justclick" / "golden.json"


def test_the_golden_copy_is_the_shared_original() -> None:
    if not SHARED_GOLDEN.is_file():
        pytest.skip(f"no shared original at {SHARED_GOLDEN} to compare the copy with")
    assert GOLDEN_PATH.read_bytes() == SHARED_GOLDEN.read_bytes()


def _golden_params(section: str) -> list[Any]:
    """One param per golden case, or a single failing placeholder when the file is missing."""
    if not GOLDEN_PATH.is_file():
        return [pytest.param(None, id="golden.json-missing")]
    cases = json.loads(GOLDEN_PATH.read_text(encoding="utf-8")).get(section) or []
    if not cases:
        return [pytest.param(None, id=f"golden.json-has-no-{section}")]
    return [
        pytest.param(case, id=str(case.get("name") or f"{case.get('error_code')}-{index}"))
        for index, case in enumerate(cases)
    ]


def _require(case: dict[str, Any] | None) -> dict[str, Any]:
    if case is None:
        pytest.fail(
            f"golden cases not found: expected a non-empty golden.json at {GOLDEN_PATH}",
            pytrace=False,
        )
    return case


@pytest.mark.parametrize("case", _golden_params("requests"))
def test_golden_request_encodes_to_phps_query_and_hash(case: dict[str, Any] | None) -> None:
    case = _require(case)
    query = http_build_query(case["params"])
    assert query == case["query"]
    assert sign_query(query, case["user_id"], case["secret"]) == case["hash"]


@pytest.mark.parametrize("case", _golden_params("requests"))
def test_golden_request_body_is_query_then_hash(case: dict[str, Any] | None) -> None:
    case = _require(case)
    body = signed_body(case["params"], case["user_id"], case["secret"])
    assert body == f"{case['query']}&hash={case['hash']}"


@pytest.mark.parametrize("case", _golden_params("responses"))
def test_golden_response_hash_matches_php(case: dict[str, Any] | None) -> None:
    case = _require(case)
    code, text, secret = case["error_code"], case["error_text"], case["secret"]
    assert response_hash(code, text, secret) == case["hash"]
    assert verify_response_hash(code, text, case["hash"], secret)


@pytest.mark.parametrize("case", _golden_params("responses"))
def test_golden_response_hash_rejects_changed_text_code_or_secret(
    case: dict[str, Any] | None,
) -> None:
    case = _require(case)
    code, text, secret, given_hash = (
        case["error_code"],
        case["error_text"],
        case["secret"],
        case["hash"],
    )
    assert not verify_response_hash(code, text + " ", given_hash, secret)
    assert not verify_response_hash(code, text.upper() + "x", given_hash, secret)
    assert not verify_response_hash(code + 1, text, given_hash, secret)
    assert not verify_response_hash(code, text, given_hash, secret + "x")
    assert not verify_response_hash(code, text, given_hash, "")
    assert not verify_response_hash(code, text, "", secret)


def test_verify_response_hash_tolerates_case_and_whitespace_of_the_given_hash() -> None:
    good = response_hash(0, "Order created", "s")
    assert verify_response_hash(0, "Order created", f" {good.upper()}\n", "s")


# --- signed_body ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"bill_email": "a~b@c.d", "goods": [{"good_name": "g", "good_sum": 10.5}]},
        {"utm": {"utm_source": "x y"}, "bill_timer_kill": False, "bill_kupon": None},
    ],
    ids=["order", "utm-and-bool"],
)
def test_signed_body_is_the_signed_query_plus_md5(params: dict[str, Any]) -> None:
    query = http_build_query(params)
    expected = hashlib.md5(f"{query}::login::secret".encode()).hexdigest()
    assert signed_body(params, "login", "secret") == f"{query}&hash={expected}"
    assert sign_query(query, "login", "secret") == expected


def test_signed_body_of_no_params_is_just_the_hash() -> None:
    assert signed_body({"x": None}, "l", "s") == f"hash={sign_query('', 'l', 's')}"


# --- unit cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "query"),
    [
        ({"a": "~"}, "a=%7E"),
        ({"a": "x y"}, "a=x+y"),
        ({"a": "-_.AZaz09"}, "a=-_.AZaz09"),
        ({"a": "*'()!"}, "a=%2A%27%28%29%21"),
        ({"a": "é😀"}, "a=%C3%A9%F0%9F%98%80"),
        ({"a": None, "b": 1}, "b=1"),
        ({"a": [], "b": {}, "c": 1}, "c=1"),
        ({"a": [None, {"x": None}], "c": 1}, "c=1"),
        ({"a": ""}, "a="),
        ({"a": True, "b": False}, "a=1&b=0"),
        ({"a": 0, "b": -7}, "a=0&b=-7"),
    ],
    ids=[
        "tilde-is-percent-7E",
        "space-is-plus",
        "unreserved-stay-literal",
        "marks-are-encoded",
        "utf8-bytes-upper-hex",
        "none-omitted",
        "empty-list-and-dict-omitted",
        "containers-of-nothing-omitted",
        "empty-string-kept",
        "booleans-are-1-and-0",
        "ints-plain",
    ],
)
def test_http_build_query_encodes_scalars_like_php(params: dict[str, Any], query: str) -> None:
    assert http_build_query(params) == query


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1500.0, "1500"),
        (0.1, "0.1"),
        (1500.5, "1500.5"),
        (1e20, "1.0E+20"),
        (1.5e-7, "1.5E-7"),
        (1 / 3, "0.33333333333333"),
        (0.0001, "0.0001"),
        (1e-5, "1.0E-5"),
        (1e13, "10000000000000"),
        (1e14, "1.0E+14"),
        (-0.0, "-0"),
        (5e-324, "4.9406564584125E-324"),
    ],
)
def test_php_float_prints_like_php_precision_14(value: float, text: str) -> None:
    assert php_float(value) == text
    assert http_build_query({"f": value}) == f"f={php_urlencode(text)}"


def test_nested_utm_dict_and_flat_utm_keys_encode_the_same() -> None:
    nested = {"utm": {"utm_source": "partner login", "utm_medium": "affiliate"}}
    flat = {"utm[utm_source]": "partner login", "utm[utm_medium]": "affiliate"}
    expected = "utm%5Butm_source%5D=partner+login&utm%5Butm_medium%5D=affiliate"
    assert http_build_query(nested) == http_build_query(flat) == expected


def test_goods_list_is_indexed_from_zero_with_encoded_brackets() -> None:
    params = {"goods": [{"good_name": "a", "good_sum": 1500.0}, {"good_name": "b"}]}
    assert http_build_query(params) == (
        "goods%5B0%5D%5Bgood_name%5D=a&goods%5B0%5D%5Bgood_sum%5D=1500"
        "&goods%5B1%5D%5Bgood_name%5D=b"
    )


def test_keys_are_never_sorted() -> None:
    params = {"z": 1, "a": {"y": 2, "b": 3}, "m": [{"k": 4, "c": 5}]}
    expected = "z=1&a%5By%5D=2&a%5Bb%5D=3&m%5B0%5D%5Bk%5D=4&m%5B0%5D%5Bc%5D=5"
    assert http_build_query(params) == expected


def test_sign_query_is_md5_of_query_login_secret() -> None:
    expected = hashlib.md5("a=1::вход::секрет".encode()).hexdigest()
    assert sign_query("a=1", "вход", "секрет") == expected


# --- hypothesis properties -----------------------------------------------------------------------

TRICKY_TEXT = ["", " ", "~", "*", "'", "(", ")", "!", "~*'()!", "😀", "\x00", "\x7f", "\t\r\n"]
TRICKY_TEXT += ["+", "&", "=", "%", "%41", "%zz", "[", "]", "a[b]", ".", "é", "日本", "\u200b"]

any_text = st.text(st.characters(codec="utf-8"), max_size=12)
texts = st.one_of(
    st.sampled_from(TRICKY_TEXT),
    any_text,
    st.lists(st.one_of(st.sampled_from(TRICKY_TEXT), any_text), max_size=4).map("".join),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
top_level_keys = st.text(string.ascii_letters + string.digits + "_", min_size=1, max_size=12)
goods = st.lists(
    st.fixed_dictionaries({"good_name": texts}, optional={"good_sum": scalars}), max_size=4
)
UTM_KEYS = ["utm_medium", "utm_source", "utm_campaign", "utm_content", "utm_term", "aff_source"]
utm = st.dictionaries(st.sampled_from(UTM_KEYS), scalars, max_size=len(UTM_KEYS))
params_strategy = st.builds(
    lambda flat, nested: {**flat, **nested},
    st.dictionaries(top_level_keys, scalars, max_size=8),
    st.fixed_dictionaries({}, optional={"goods": goods, "utm": utm}),
)

PROPERTY_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(params_strategy)
def test_parsing_then_reencoding_gives_the_same_query(params: dict[str, Any]) -> None:
    query = http_build_query(params)
    assert http_build_query(parse_php_query(query)) == query


def _php_view(value: Any) -> Any:
    """What PHP's $_POST holds for ``value``: strings at the leaves, no nulls, no empty arrays."""
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return php_scalar(value)
    view: dict[Any, Any] = {}
    for key, item in items:
        if item is None:
            continue
        sub = _php_view(item)
        if sub != {}:
            view[key] = sub
    return view


@PROPERTY_SETTINGS
@given(params_strategy)
def test_parsing_the_query_gives_back_the_php_string_values(params: dict[str, Any]) -> None:
    parsed = parse_php_query(http_build_query(params))
    expected = _php_view(params)
    assert parsed == expected
    assert list(parsed) == list(expected)


# --- real PHP as a second opinion ---------------------------------------------------------------

_CHAR_POOLS = [
    string.ascii_letters + string.digits,
    "-_.~*'()! +&=%#/?:@;,\"<>[]{}|\\^`$",
    "".join(map(chr, range(32))) + "\x7f",
    "àéîõüßñÀÉ€£¥©®°±µ",
    "АБВГДЕЁЖЗИЙабвгдеёжзийщъыьэюя",
    "日本語中文한국어",
    "😀🎉👍🏽🇷🇺",
]


def _random_text(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(["", " ", "~", "0", "07", "-0", "1.5", "1e3", "true", "null"])
    chars = []
    for _ in range(rng.randint(0, 12)):
        if rng.random() < 0.1:  # any code point but a surrogate
            code = rng.randint(0, 0x10FFFF)
            chars.append(chr(code) if not 0xD800 <= code <= 0xDFFF else "x")
        else:
            chars.append(rng.choice(rng.choice(_CHAR_POOLS)))
    return "".join(chars)


def _random_float(rng: random.Random) -> float:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice([0.0, -0.0, 0.1, 1500.0, 1500.5, 1e20, 1.5e-7, 1 / 3, 5e-324, 1e14, 1e13])
    if kind == 1:
        return float(rng.randint(-(10**16), 10**16))
    if kind == 2:
        return round(rng.uniform(-1e4, 1e4), rng.randint(0, 6))
    if kind == 3:
        return rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30)
    if kind == 4:  # 9.99999999999995e+13 and friends: rounding that carries into the exponent
        return float(f"{rng.choice('159')}.{'9' * rng.randint(10, 16)}e{rng.randint(-8, 16)}")
    while True:  # any finite bit pattern
        value: float = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(value):
            return value


def _random_scalar(rng: random.Random) -> Any:
    kind = rng.randrange(8)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, 1, -1, 2**63 - 1, -(2**63), rng.randint(-(2**63), 2**63 - 1)])
    if kind == 3:
        return _random_float(rng)
    return _random_text(rng)


def _random_value(rng: random.Random, depth: int) -> Any:
    kind = rng.random()
    if depth < 3 and kind < 0.12:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 3 and kind < 0.22:
        return {_random_text(rng): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return _random_scalar(rng)


def _random_order(rng: random.Random) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for _ in range(rng.randint(0, 8)):
        roll = rng.random()
        if roll < 0.15:
            params["goods"] = [
                {"good_name": _random_text(rng), "good_sum": _random_scalar(rng)}
                for _ in range(rng.randint(0, 3))
            ]
        elif roll < 0.25:
            params["utm"] = {key: _random_scalar(rng) for key in rng.sample(UTM_KEYS, 3)}
        elif roll < 0.35:
            params[f"utm[{rng.choice(UTM_KEYS)}]"] = _random_scalar(rng)
        elif roll < 0.6:
            name = rng.choice(["email", "comment", "tag", "sum", "x"])
            params[f"bill_{name}"] = _random_scalar(rng)
        else:
            params[_random_text(rng)] = _random_value(rng, 1)
    return params


@cache
def _random_cases() -> list[dict[str, Any]]:
    rng = random.Random(20240614)
    return [_random_order(rng) for _ in range(200)]


@cache
def _php_encodings() -> list[list[str]]:
    """Per random case: PHP's query, its signature, and the query re-encoded after parse_str."""
    code = r"""
$output = [];
foreach ($input['cases'] as $params) {
    $q = http_build_query($params);
    parse_str($q, $parsed);
    $output[] = [$q, md5("$q::{$input['login']}::{$input['secret']}"), http_build_query($parsed)];
}
"""
    return list(run_php(code, {"cases": _random_cases(), "login": LOGIN, "secret": SECRET}))


LOGIN, SECRET = "shop-логин", "s3cr3t~!"


def test_random_cases_cover_the_interesting_shapes() -> None:
    queries = [http_build_query(params) for params in _random_cases()]
    for needle in ["%7E", "+", "%5B0%5D", "E%2B", "E-", "%F0%9F", "%00", "=&", "=1&"]:
        assert any(needle in query for query in queries), needle


@requires_php
def test_http_build_query_matches_real_php_on_random_cases() -> None:
    mismatches = []
    for params, (php_query, php_hash, _) in zip(_random_cases(), _php_encodings(), strict=True):
        ours = http_build_query(params)
        if ours != php_query or sign_query(ours, LOGIN, SECRET) != php_hash:
            mismatches.append(f"params={params!r}\n  php ={php_query}\n  ours={ours}")
    assert not mismatches, f"{len(mismatches)} of 200 differ:\n" + "\n".join(mismatches[:5])


@requires_php
def test_reencoding_after_parse_matches_real_php_on_random_cases() -> None:
    mismatches = []
    for params, (php_query, _, php_again) in zip(_random_cases(), _php_encodings(), strict=True):
        ours_again = http_build_query(parse_php_query(php_query))
        if ours_again != php_again:
            mismatches.append(f"params={params!r}\n  php ={php_again}\n  ours={ours_again}")
    assert not mismatches, f"{len(mismatches)} of 200 differ:\n" + "\n".join(mismatches[:5])


TRICKY_BODIES = [
    "a.b=1",
    "c d=2",
    "e[x]=3&e[]=4",
    "f[=5",
    "g]=6",
    "h[a][b]=7",
    "[x]=8",
    "i[]]=9",
    "goods[]=a&goods[]=b",
    "k=1&k=2",
    "a[ ]=1&a[ ]=2",
    "a[ x]=1&a[  ]=2",
    "w[ ][ ]=1",
    "t[%09]=1&t[%0A]=2&t[%0B]=3&t[%0C]=4&t[%0D]=5&t[%09%09]=6&t[+%09]=7&t[%09+]=7&t[%09x]=8&t[%C2%A0]=9",
    "f[a.b c[d=5",
    "p.q[ r=1",
    "h[a][b=7",
    "h[][b=7",
    " x=1",
    "  =1",
    "a%00b=1&c=%00",
    "n[-0]=1&n[0]=2&n[07]=3&n[-3]=4&n[]=5",
    "m[-5]=1&m[]=2",
    "u[]=1&u[5]=2&u[]=3",
    "n[-9223372036854775808]=1&n[9223372036854775807]=2&n[]=3",
    "n[9223372036854775808]=1&n[]=2",
    "a[b]c[d]=1",
    "x[.]=1&.a=1&a..b[c.d]=1",
    "p[[a]]=1&q[a[b]=1&r[a]]b]=1",
    "s=1&s[a]=2&t[a]=1&t=2",
    "=x&&a=1&&b",
    "[=1&[a=2&[ b=3&[.=4",
    "a[]&b=1=2",
    "%5Bx%5D=1&a%5Bb%5D=1&v+w[x+y]=1",
    "a=%zz&b=%&c=%4&d=%2",
    "goods%5B0%5D%5Bgood_name%5D=a%7Eb&goods%5B0%5D%5Bgood_sum%5D=1.0E%2B20",
]


def _as_php_json(value: Any) -> Any:
    """Shape a parse result as PHP's json_encode does: 0..n-1 keys become a list, keys text."""
    if not isinstance(value, dict):
        return value
    keys = [str(key) for key in value]
    if keys == [str(index) for index in range(len(keys))]:
        return [_as_php_json(item) for item in value.values()]
    return {str(key): _as_php_json(item) for key, item in value.items()}


@cache
def _php_parse_str() -> dict[str, Any]:
    code = r"""
$output = [];
foreach ($input as $body) {
    parse_str($body, $parsed);
    $output[] = $parsed;
}
"""
    return dict(zip(TRICKY_BODIES, run_php(code, TRICKY_BODIES), strict=True))


@requires_php
@pytest.mark.parametrize("body", TRICKY_BODIES)
def test_parse_php_query_matches_real_php_parse_str(body: str) -> None:
    ours = json.dumps(_as_php_json(parse_php_query(body)), ensure_ascii=False)
    theirs = json.dumps(_as_php_json(_php_parse_str()[body]), ensure_ascii=False)
    assert ours == theirs
