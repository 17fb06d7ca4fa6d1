"""Dates and times in cells, read as the unix timestamps JustClick takes.

``bill_created`` and ``bill_timer_kill`` arrive as real Excel dates (ISO text after reading),
``29.11.2026 14:30``, ISO with an offset, or unix timestamps. A column is parsed all at once:
pyarrow's RE2 splits the text into parts, pandas builds the moments and applies the zone.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute

from justclick_import.errors import ConfigError, ErrorCode

__all__ = [
    "DateRules",
    "date_rules",
    "parse_moment",
    "parse_moments",
    "parse_timer_kill",
    "parse_timer_kills",
    "written_with_zone",
]


@dataclass(frozen=True)
class DateRules:
    """How naive dates are read: the time zone they are in and the order of ``03/04/2026``."""

    zone: tzinfo
    zone_name: str
    order: str | None = None  # "dmy" or "mdy" for slashed dates; None: refuse ambiguous ones
    assumed: bool = False  # nobody said the zone: dates read in it are told (naive-dates)


def _local_zone() -> tuple[tzinfo, str]:
    """The machine's time zone, by its IANA name when it can be found."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name), name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    offset = timedelta(seconds=-time.timezone)
    return timezone(offset), datetime.now().astimezone().tzname() or "local time"


def date_rules(
    zone: str | None = None, order: str | None = None, *, assumed: bool | None = None
) -> DateRules:
    """The rules for a time ``zone`` (an IANA name such as Europe/Moscow; default this machine's
    zone) and a date ``order`` (``DMY`` or ``MDY``, also written ``DD/MM/YYYY``, ``MM/DD/YYYY``).
    ``assumed`` (default: no zone given) says the zone is a guess, to be told.

    Raises ``ConfigError`` for an unknown zone or format.
    """
    if zone:
        try:
            chosen: tuple[tzinfo, str] = (ZoneInfo(zone), zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                ErrorCode.UNKNOWN_TIMEZONE,
                f"unknown time zone {zone!r}; give a name such as Europe/Moscow or UTC",
            ) from None
    else:
        chosen = _local_zone()
    runs = re.findall(r"[a-zA-Z]+", (order or "").casefold())  # "DMY", "dd/mm/yyyy", "d.m.y"
    letters = runs[0] if len(runs) == 1 else "".join(run[0] for run in runs)
    if order and letters not in {"dmy", "mdy"}:
        raise ConfigError(
            ErrorCode.UNKNOWN_DATE_FORMAT,
            f"unknown date format {order!r}; use DMY (29/11/2026) or MDY (11/29/2026)",
        )
    guessed = not zone if assumed is None else assumed
    return DateRules(chosen[0], chosen[1], letters or None, guessed)


# A time with its offset, or a unix timestamp: a moment whatever the zone.
_WITH_ZONE = re.compile(
    r".*\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)|\d{9,11}"
)


def written_with_zone(text: str) -> bool:
    """True when ``text`` names its moment by itself (an offset, or a unix timestamp)."""
    return _WITH_ZONE.fullmatch(text.strip()) is not None


_TIME = (
    r"(?:(?:[T ]|,\s*|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6}))?)?)?"
)
_OFFSET = r"\s*(?P<offset>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
# (order of the three numbers a, b, c; pattern), then the time and the offset.
_DATE_PATTERNS = (
    ("ymd", r"(?P<a>\d{4})[-./](?P<b>\d{1,2})[-./](?P<c>\d{1,2})" + _TIME + _OFFSET),
    ("dmy", r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<c>\d{4}|\d{2})" + _TIME + _OFFSET),  # dotted
    ("slashed", r"(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<c>\d{4}|\d{2})" + _TIME + _OFFSET),
)
_UNIX = r"\d{9,11}"
FIRST_YEAR, LAST_YEAR = 1970, 2100  # unix time starts in 1970; later than 2100 is a typo
_PARTS = ["year", "month", "day", "hour", "minute", "second", "microsecond"]
_EPOCH = pd.Timestamp(0, tz="UTC")


def parse_moment(text: str, rules: DateRules) -> tuple[int | None, str]:
    """A date or date and time as a unix timestamp (``parse_moments`` for one value)."""
    stamps, codes = parse_moments([text], rules)
    return stamps[0], codes[0]


def parse_moments(texts: list[str], rules: DateRules) -> tuple[list[int | None], list[str]]:
    """Dates, or dates and times, as unix timestamps, all at once (vectorised with pandas).

    Accepts ``2026-11-29``, ``2026-11-29 14:30`` (also what a real Excel date cell reads as),
    ``29.11.2026``, ``29.11.2026 14:30``, ISO with an offset (``2026-11-29T14:30:00+03:00``),
    a unix timestamp, and ``29/11/2026`` when the day is clearly first (or ``rules.order`` says).
    Dates without an offset are in ``rules.zone``. Codes: ``bad-date``, ``ambiguous-date``.
    """
    count = len(texts)
    stamps = np.zeros(count, dtype=np.int64)
    codes = np.full(count, "bad-date", dtype=object)
    if not count:
        return [], []
    array = pa.array(texts, type=pa.string())
    unix = pa_compute.match_substring_regex(array, f"^{_UNIX}$").to_numpy(zero_copy_only=False)
    stamps[unix] = np.array([int(texts[i]) for i in np.flatnonzero(unix)], dtype=np.int64)
    codes[unix] = ""
    parts = [_date_parts(array, kind, pattern, rules) for kind, pattern in _DATE_PATTERNS]
    parts = [part for part in parts if len(part)]
    if parts:
        found = pd.concat(parts)
        where = found.index.to_numpy()
        codes[where[found["ambiguous"].to_numpy(dtype=bool)]] = "ambiguous-date"
        # 31.12.9999 is a cell's problem, never the file's: pandas' moments end in 2262.
        years = found["year"].astype(np.int64)
        far = ((years < FIRST_YEAR) | (years > LAST_YEAR)).to_numpy(dtype=bool)
        codes[where[far & ~found["ambiguous"].to_numpy(dtype=bool)]] = "date-out-of-range"
        found = found[~found["ambiguous"] & ~far]
        seconds, fine = _timestamps(found, rules)
        stamps[found.index.to_numpy()[fine]] = seconds[fine]
        codes[found.index.to_numpy()[fine]] = ""
    ok = codes == ""
    return [int(s) if good else None for s, good in zip(stamps, ok, strict=True)], codes.tolist()


def _date_parts(texts: pa.Array, kind: str, pattern: str, rules: DateRules) -> pd.DataFrame:
    """Year, month, day, time, offset and ambiguity of the values ``pattern`` matches."""
    # pyarrow runs the pattern in RE2 over the whole column; pandas' str.extract would call
    # Python's re once per value.
    extracted = pa_compute.extract_regex(texts, f"^{pattern}$")
    matched = extracted.is_valid().to_numpy(zero_copy_only=False)
    if not matched.any():
        return pd.DataFrame(columns=[*_PARTS, "offset", "ambiguous"])
    index = np.flatnonzero(matched)
    groups = {
        name: pd.Series(extracted.field(name).filter(extracted.is_valid()).to_pylist(), index=index)
        for name in ("a", "b", "c", "hour", "minute", "second", "fraction", "offset")
    }
    first, second = groups["a"].astype(int), groups["b"].astype(int)
    year_text = groups["a"] if kind == "ymd" else groups["c"]
    year = year_text.astype(int) + np.where(year_text.str.len() == 2, 2000, 0)
    ambiguous = pd.Series(False, index=index)
    if kind == "ymd":
        month, day = second, groups["c"].astype(int)
    elif kind == "dmy":
        day, month = first, second
    else:
        day_first = pd.Series(rules.order == "dmy", index=index)
        if rules.order is None:  # decide from the numbers, refuse when both could be months
            day_first = (first > 12) | (first == second)
            ambiguous = (first <= 12) & (second <= 12) & (first != second)
        day = first.where(day_first, second)
        month = second.where(day_first, first)
    fraction = groups["fraction"].replace("", "0").str.ljust(6, "0").str[:6]
    offset = groups["offset"].replace("", None)
    return pd.DataFrame(
        {
            "year": year,
            "month": month,
            "day": day,
            "hour": groups["hour"].replace("", "0").astype(int),
            "minute": groups["minute"].replace("", "0").astype(int),
            "second": groups["second"].replace("", "0").astype(int),
            "microsecond": fraction.astype(int),
            "offset": offset,
            "ambiguous": ambiguous,
        }
    )


def _timestamps(found: pd.DataFrame, rules: DateRules) -> tuple[np.ndarray, np.ndarray]:
    """Unix seconds of each row of date parts, and which rows are real moments."""
    in_range = (found["hour"] <= 23) & (found["minute"] <= 59) & (found["second"] <= 59)
    naive = pd.to_datetime(found[_PARTS].astype(np.int64), errors="coerce")  # 31.02: NaT
    fine = (naive.notna() & in_range).to_numpy(dtype=bool)
    seconds = np.zeros(len(found), dtype=np.int64)
    local = (found["offset"].isna() & naive.notna()).to_numpy(dtype=bool)
    if local.any():
        moments = naive[local].dt.tz_localize(
            rules.zone,
            ambiguous=np.ones(int(local.sum()), dtype=bool),  # a repeated hour: the first one
            nonexistent="shift_forward",
        )
        seconds[local] = ((moments - _EPOCH) // pd.Timedelta(seconds=1)).to_numpy()
    offset = (found["offset"].notna() & naive.notna()).to_numpy(dtype=bool)
    if offset.any():
        utc = naive[offset].dt.tz_localize("UTC")
        shift = found["offset"][offset].map(_offset_seconds).to_numpy(dtype=np.int64)
        seconds[offset] = ((utc - _EPOCH) // pd.Timedelta(seconds=1)).to_numpy() - shift
    return seconds, fine


def _offset_seconds(offset: str) -> int:
    if offset in {"Z", "UTC", "GMT"}:
        return 0
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return sign * (int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60)


_YES = {"1", "true", "yes", "y", "да", "д", "истина"}
_NO = {"0", "false", "no", "n", "нет", "н", "ложь"}


def parse_timer_kills(
    texts: list[str], rules: DateRules, now: float | None = None
) -> tuple[list[str], list[str]]:
    """``bill_timer_kill``: ``1`` (cancel per product settings), ``0`` (never) or a timestamp.

    Takes true/false/yes/no/да/нет/1/0 or any date ``parse_moments`` reads. Codes:
    ``bad-timer-kill``, ``ambiguous-date``, and the warning ``timer-kill-past``.
    """
    values = list(texts)
    codes = [""] * len(texts)
    dates: list[int] = []
    for position, text in enumerate(texts):
        word = text.casefold()
        if word in _YES or word in _NO:
            values[position] = "1" if word in _YES else "0"
        else:
            dates.append(position)
    stamps, date_codes = parse_moments([texts[i] for i in dates], rules)
    limit = time.time() if now is None else now
    for position, stamp, code in zip(dates, stamps, date_codes, strict=True):
        if stamp is None:
            kept = code in ("ambiguous-date", "date-out-of-range")
            codes[position] = code if kept else "bad-timer-kill"
        else:
            values[position] = str(stamp)
            codes[position] = "timer-kill-past" if stamp < limit else ""
    return values, codes


def parse_timer_kill(text: str, rules: DateRules, now: float | None = None) -> tuple[str, str]:
    """One ``bill_timer_kill`` cell (``parse_timer_kills`` for one value)."""
    values, codes = parse_timer_kills([text], rules, now)
    return values[0], codes[0]
