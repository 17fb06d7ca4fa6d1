"""The JustClick wire format: PHP's ``http_build_query``, its inverse, and the md5 signatures.

JustClick's server parses the form body into ``$_POST``, drops ``hash``, re-encodes what it parsed
with PHP's ``http_build_query`` and hashes that (``../shared/justclick/API.md``).  A request is
therefore accepted only when the client produces, byte for byte, what PHP would produce.
Everything here is pure: no I/O, no state beyond caches.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import unquote_plus

__all__ = [
    "http_build_query",
    "parse_php_query",
    "php_scalar",
    "php_urlencode",
    "response_hash",
    "sign_query",
    "signed_body",
    "verify_response_hash",
]

# PHP urlencode (RFC 1738) leaves only these bytes literal, writes a space as '+' and every other
# byte as %XX (upper-case hex). Unlike quote_plus, it encodes '~'.
_PHP_SAFE_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_PHP_SAFE = re.compile(r"[A-Za-z0-9_.\-]*")
_BYTE_TEXT = tuple(
    chr(byte) if byte in _PHP_SAFE_BYTES else "+" if byte == 0x20 else f"%{byte:02X}"
    for byte in range(256)
)

# Values repeat a lot in an import (products, cities, names, utm): each distinct one is encoded
# once. The cache is emptied when full, so unique values (e-mails, phones) cannot grow it.
_ENCODED: dict[str, str] = {}
_ENCODED_LIMIT = 1 << 17
_CACHED_LENGTH = 256  # longer texts (comments) are rarely repeated: not worth the memory
_FLOAT_TEXT: dict[float, str] = {}  # non-zero floats only: 0.0 == -0.0, but PHP prints "-0"


def php_urlencode(text: str) -> str:
    """Encode ``text`` exactly as PHP's ``urlencode`` does (UTF-8 bytes, ``+`` for space)."""
    encoded = _ENCODED.get(text)
    if encoded is not None:
        return encoded
    if _PHP_SAFE.fullmatch(text):
        encoded = text
    else:  # strict: a lone surrogate has no UTF-8 bytes and raises UnicodeEncodeError
        encoded = "".join([_BYTE_TEXT[byte] for byte in text.encode("utf-8")])
    if len(text) <= _CACHED_LENGTH:
        if len(_ENCODED) >= _ENCODED_LIMIT:
            _ENCODED.clear()
        _ENCODED[text] = encoded
    return encoded


def php_float(value: float) -> str:
    """Print a float as PHP 8 does in ``http_build_query`` (``precision=14``, ``%.14G``)."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    text = f"{value:.14G}"
    if "E" not in text:
        return text
    # PHP writes 1e20 as "1.0E+20" and 1.5e-7 as "1.5E-7": ".0" on a bare mantissa, no zero padding.
    mantissa, exponent = text.split("E")
    if "." not in mantissa:
        mantissa += ".0"
    sign, digits = exponent[0], exponent[1:]
    return f"{mantissa}E{sign}{int(digits)}"


def php_scalar(value: Any) -> str:
    """Turn one scalar into the text PHP would put in a query string (before urlencoding)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int subclass; PHP prints true as 1
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return php_float(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"cannot encode a {type(value).__name__} as a query value")


def _float_text(value: float) -> str:
    """``php_urlencode(php_float(value))``, remembered for the prices that repeat."""
    text = _FLOAT_TEXT.get(value)
    if text is None:
        text = php_urlencode(php_float(value))
        if value and len(_FLOAT_TEXT) < 4096:  # never 0.0: it would answer for -0.0 too
            _FLOAT_TEXT[value] = text
    return text


def _append_pairs(parts: list[str], encoded_key: str, value: Any) -> None:
    # Exact built-in types first (the common case, and cheaper than the ABC checks below).
    kind = type(value)
    if kind is str:
        parts.append(f"{encoded_key}={php_urlencode(value)}")
        return
    if kind is float:
        parts.append(f"{encoded_key}={_float_text(value)}")
        return
    if value is None:  # PHP leaves null out entirely
        return
    if kind is dict:
        items: Any = value.items()
    elif kind is list or kind is tuple:
        items = enumerate(value)
    elif isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = enumerate(value)
    else:
        parts.append(f"{encoded_key}={php_urlencode(php_scalar(value))}")
        return
    for sub_key, sub_value in items:
        sub_encoded = f"{encoded_key}%5B{_ENCODED.get(sub_key) or php_urlencode(str(sub_key))}%5D"
        if type(sub_value) is str:  # a leaf inline: one call fewer per pair
            parts.append(f"{sub_encoded}={_ENCODED.get(sub_value) or php_urlencode(sub_value)}")
        else:
            _append_pairs(parts, sub_encoded, sub_value)


def http_build_query(params: Mapping[str, Any]) -> str:
    """Encode ``params`` exactly as PHP 8's ``http_build_query($params)`` does.

    Nested mappings and lists become ``key[sub]`` (brackets percent-encoded), lists are indexed
    from 0, ``None`` and empty containers are left out, ``True``/``False`` are ``1``/``0`` and
    floats are printed as PHP prints them.  Keys keep the order given.

    >>> http_build_query({"goods": [{"good_name": "a~b", "good_sum": 1500.0}], "x": None})
    'goods%5B0%5D%5Bgood_name%5D=a%7Eb&goods%5B0%5D%5Bgood_sum%5D=1500'
    """
    parts: list[str] = []
    for key, value in params.items():
        # A cache hit first: most keys and values were encoded before (see _ENCODED).
        encoded_key = _ENCODED.get(key) or php_urlencode(str(key))
        if type(value) is str:
            parts.append(f"{encoded_key}={_ENCODED.get(value) or php_urlencode(value)}")
        else:
            _append_pairs(parts, encoded_key, value)
    return "&".join(parts)


def sign_query(query: str, login: str, secret: str) -> str:
    """The request signature: ``md5(query + "::" + login + "::" + secret)``, lower-case hex."""
    return hashlib.md5(f"{query}::{login}::{secret}".encode()).hexdigest()


def signed_body(params: Mapping[str, Any], login: str, secret: str) -> str:
    """The form body to send: the encoded parameters, then ``&hash=`` and their signature."""
    query = http_build_query(params)
    signature = sign_query(query, login, secret)
    return f"{query}&hash={signature}" if query else f"hash={signature}"


def response_hash(error_code: int, error_text: str, secret: str) -> str:
    """The signature JustClick puts on an answer: ``md5("{code}::{text}::{secret}")``."""
    return hashlib.md5(f"{error_code}::{error_text}::{secret}".encode()).hexdigest()


def verify_response_hash(error_code: int, error_text: str, given: str, secret: str) -> bool:
    """True when ``given`` is the signature of this answer under ``secret``."""
    expected = response_hash(error_code, error_text, secret)
    return hmac.compare_digest(expected, given.strip().lower())


# --- the server's side: PHP's parse_str / $_POST -------------------------------------------------


_PHP_INT_MAX = 2**63 - 1


def _php_index(segment: str) -> str | int:
    # PHP turns canonical decimal keys that fit a 64-bit integer ("0", "17", "-3"; not "07", not
    # "-0") into integer keys.  The length check keeps int() away from huge digit strings.
    if (
        len(segment) <= 20
        and re.fullmatch(r"0|-?[1-9][0-9]*", segment)
        and -_PHP_INT_MAX - 1 <= int(segment) <= _PHP_INT_MAX
    ):
        return int(segment)
    return segment


def _next_index(container: dict[Any, Any]) -> int | None:
    # PHP 8.2 appends after the largest integer key, even a negative one ([-5 => x] then [] is -4);
    # after PHP_INT_MAX the append fails and PHP drops the value (None here).
    ints = [key for key in container if isinstance(key, int)]
    if not ints:
        return 0
    top = max(ints)
    return top + 1 if top < _PHP_INT_MAX else None


_EMPTY_INDEXES = ("", " ", "\t", "\n", "\v", "\f", "\r")


def _split_name(name: str) -> tuple[str, list[str | None]] | None:
    """Split ``base[a][]`` into ``("base", ["a", None])`` the way PHP registers variables."""
    name = name.partition("\0")[0]  # PHP handles the name as a C string: a NUL ends it
    name = name.lstrip(" ")
    bracket = name.find("[")
    base = name if bracket < 0 else name[:bracket]
    # PHP replaces ' ' and '.' in the base name with '_' (register_globals heritage).
    base = base.replace(" ", "_").replace(".", "_")
    if not base:  # PHP drops an empty name before looking at brackets ("[x]", "[", "[ a")
        return None
    segments: list[str | None] = []
    if bracket >= 0:
        rest = name[bracket:]
        while rest.startswith("["):
            close = rest.find("]")
            if close < 0:
                if not segments:  # an unterminated first bracket joins the name, mangled to '_'
                    base = base + "_" + re.sub(r"[ .\[]", "_", rest[1:])
                break
            inner = rest[1:close]
            # PHP skips one whitespace character after '[' (C isspace), so "[ ]" and "[\t]" append
            # like "[]"; "[ x]" and "[  ]" are still the keys " x" and "  ".
            segments.append(None if inner in _EMPTY_INDEXES else inner)
            rest = rest[close + 1 :]  # anything after the last ']' that is not '[' is ignored
    return base, segments


def parse_php_query(body: str) -> dict[str, Any]:
    """Parse a form body the way PHP fills ``$_POST`` (nested brackets, later keys overwrite)."""
    result: dict[Any, Any] = {}
    for pair in body.split("&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition("=")
        split = _split_name(unquote_plus(raw_name, errors="replace"))
        if split is None:
            continue
        base, segments = split
        value = unquote_plus(raw_value, errors="replace")
        container: dict[Any, Any] = result
        key: str | int = base
        for segment in segments:
            child = container.get(key)
            if not isinstance(child, dict):
                child = {}
                container[key] = child
            container = child
            next_key = _next_index(container) if segment is None else _php_index(segment)
            if next_key is None:  # no room to append: PHP drops the pair
                break
            key = next_key
        else:
            container[key] = value
    return result
