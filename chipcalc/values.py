"""Parsing and formatting of the value syntax scenario files use.

`400k`, `1.5B`, `400_000`; rates `25%` or `0.25`; money `$32k`, `32000 USD`,
`¥200k`, `200k CNY`; uncertain ranges `{low: 28k, high: 36k}` or `28k to 36k`.
Parsers raise `ValueError` with a message meant for the user; the loader adds
the file, line, column and path.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from .safe import quoted

SUFFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
CURRENCY_SYMBOLS = {"$": "USD", "¥": "CNY", "￥": "CNY"}
DISTRIBUTIONS = ("uniform", "triangular", "normal", "lognormal")

# The written forms, shared with the JSON Schema (`schema.py`) so both accept the same text.
NUMBER_TEXT = r"[+-]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?\s*[kKMBT]?"
NUMBER_PATTERN = rf"^\s*{NUMBER_TEXT}\s*$"
RATE_PATTERN = rf"^\s*{NUMBER_TEXT}\s*%?\s*$"
MONEY_PATTERN = rf"^\s*[$¥￥]?\s*{NUMBER_TEXT}\s*(?:[A-Za-z]{{3}})?\s*$"
RANGE_PATTERN = r"^\s*\S.*\s+to\s+\S.*$"

_NUMBER = re.compile(r"^([+-]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)\s*([kKMBT]?)$")
_MONEY = re.compile(
    r"^(?P<symbol>[$¥￥]?)\s*(?P<number>[^A-Za-z]*?(?:[eE][+-]?\d+)?[kKMBT]?)\s*(?P<code>[A-Za-z]{3})?$"
)


class Money(NamedTuple):
    """An amount in a named currency, before conversion to USD (a parsed literal, never shown)."""

    amount: float
    currency: str = "USD"


class Uncertain(NamedTuple):
    """An uncertain input: `low` and `high` bound it (5th and 95th percentiles
    for normal and lognormal), `mode` is the peak of a triangular one. A tuple: it is defined at
    every start-up, and a scenario keeps it only beside its values, in `Scenario.ranges`."""

    low: float
    high: float
    mode: float | None = None
    dist: str = "uniform"

    @property
    def point(self) -> float:
        """The value every command but `simulate` uses."""
        return self.mode if self.mode is not None else (self.low + self.high) / 2


LARGEST = 1e15
SMALLEST = 1e-9
"""No input is larger, or closer to 0 unless 0: beyond these, products and quotients of inputs in the
model overflow to infinity (then NaN) or underflow to 0 (then divide by it). Money is checked again
after conversion to USD. Messages write them as 1e15 and 1e-9."""


def checked_number(value: float, text: object) -> float:
    """`value`, or a ValueError (quoting `text`) when it is not finite or not of a size to compute with."""
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number (got {text!r})")
    magnitude = abs(value)
    if magnitude > LARGEST:
        raise ValueError(f"is too large to compute with (got {text!r}); the largest is 1e15")
    if value != 0 and magnitude < SMALLEST:
        raise ValueError(f"is too small to compute with (got {text!r}); use 0 or at least 1e-9")
    return value


def parse_number(value: object) -> float:
    """A plain number, or a string with an optional k/M/B/T suffix."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"must be a number (got {describe(value)})")
    if isinstance(value, (int, float)):
        try:
            return checked_number(float(value), value)
        except OverflowError:  # an int beyond floats; str() of it may be refused, log10 is not
            digits = math.floor(math.log10(abs(value))) + 1
            raise ValueError(f"is too large (got a number with {digits} digits)") from None
    if not isinstance(value, str):
        raise ValueError(f"must be a number (got {describe(value)})")
    match = _NUMBER.match(value.strip())
    if not match:
        raise ValueError(f"must be a number such as 400k, 1.5B or 400_000 (got {value!r})")
    digits, suffix = match.groups()
    number = float(digits.replace("_", "")) * SUFFIXES.get(suffix, 1.0)
    return checked_number(number, value)


def parse_count(value: object) -> int:
    """A whole number, written as counts are in a file: `400k`, `1M`, `1e6`, `100_000`."""
    refusal = f"must be a whole number such as 10k or 1M (got {describe(value)})"
    try:
        number = parse_number(value)
    except ValueError as error:
        raise error if "too" in str(error) else ValueError(refusal) from None  # size: its own message
    if number != math.floor(number):
        raise ValueError(refusal)
    return int(number)


def parse_rate(value: object) -> float:
    """A fraction (`0.25`) or a percentage (`25%`)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        text = value.strip()[:-1].strip()
        try:
            percent = parse_number(text)
        except ValueError:
            raise ValueError(f"must be a rate such as 25% or 0.25 (got {describe(value)})") from None
        return checked_number(percent / 100, value)  # 1e-9% is 1e-11: too small, as 1e-11 is
    try:
        return parse_number(value)
    except ValueError:
        raise ValueError(f"must be a rate such as 25% or 0.25 (got {describe(value)})") from None


def parse_money(value: object) -> Money:
    """An amount, USD unless it carries `$`, `¥` or a currency code."""
    if not isinstance(value, str):
        return Money(_money_number(value, value))
    text = value.strip()
    match = _MONEY.match(text)
    if not match or not match.group("number").strip():
        raise ValueError(
            f"must be an amount of money such as $32k, ¥200k or 200k CNY (got {value!r})"
        )
    symbol, number, code = match.group("symbol"), match.group("number"), match.group("code")
    currency = CURRENCY_SYMBOLS.get(symbol, "USD")
    if code:
        if symbol and CURRENCY_SYMBOLS[symbol] != code.upper():
            raise ValueError(f"has two different currencies (got {value!r})")
        currency = code.upper()
    return Money(_money_number(number.strip(), value), currency)


def _money_number(number: object, original: object) -> float:
    try:
        return parse_number(number)
    except ValueError as error:
        if "finite" in str(error) or "too" in str(error):
            raise
        raise ValueError(
            f"must be an amount of money such as $32k, ¥200k or 200k CNY (got {describe(original)})"
        ) from None


def is_money_text(value: object) -> bool:
    """Whether `value` is written as money, with a currency symbol or code (`$20k`, `150k CNY`)."""
    if not isinstance(value, str):
        return False
    match = _MONEY.match(value.strip())
    return bool(match and (match.group("symbol") or match.group("code")))


def split_range(value: str) -> tuple[str, str] | None:
    """The two ends of the shorthand `28k to 36k`, or None."""
    if "to" not in value:  # most values: no need to split
        return None
    parts = re.split(r"\s+to\s+", value.strip())
    return (parts[0], parts[1]) if len(parts) == 2 else None


def describe(value: object) -> str:
    """A value as a message quotes it: strings quoted (escaped, and cut to `safe.MAX_QUOTED`
    characters: a message names a value, it does not publish a file), YAML words for the rest."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (set, frozenset)):  # YAML's !!set: its items' order changes from run to run
        return "a set"
    if isinstance(value, bytes):  # YAML's !!binary
        return "binary data"
    return quoted(value) if isinstance(value, str) else str(value)


# Formatting, for tables and messages ------------------------------------


@lru_cache(maxsize=4096)
def human_number(value: float, digits: int = 3) -> str:
    """`1234567` -> `1.23M`: three significant figures with a k/M/B/T suffix.

    Remembered: a report shows the same few hundred numbers tens of thousands of times (its tables
    repeat each option's figures), so each distinct value is formatted once.
    """
    if value is None:
        return "-"
    rounded = float(f"{value:.{digits}g}")  # round first: 999.5 becomes 1.00k, not 1000
    magnitude = abs(rounded)
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if magnitude >= scale:
            return _significant(rounded / scale, digits) + suffix
    return _unsigned_zero(_significant(rounded, digits))


def _unsigned_zero(text: str) -> str:
    """`-0.000` -> `0.000`: a value that rounds to zero is shown without a sign."""
    return text[1:] if text.startswith("-") and not any(digit in text for digit in "123456789") else text


def _significant(value: float, digits: int) -> str:
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    whole_digits = len(str(int(magnitude))) if magnitude >= 1 else 0
    decimals = max(digits - whole_digits, 0)
    return f"{value:,.{decimals}f}"


def human_money(value: float | None) -> str:
    """`32000` -> `$32.0k`, `-1.25e9` -> `-$1.25B`."""
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude == 0:
        return "$0"
    if magnitude < 1:  # electricity per kWh: $0.0556; never 1e-06
        decimals = 2 - math.floor(math.log10(magnitude))  # three significant figures
        small = f"{magnitude:.3g}" if magnitude >= 1e-4 else f"{magnitude:.{decimals}f}"
        return f"{sign}${small}"
    return f"{sign}${human_number(magnitude)}"  # three figures, as every number: $6.55, $14.8, $32.0k


def human_rate(value: float | None) -> str:
    """`0.25` -> `25%`, `0.125` -> `12.5%`, `-0.031` -> `-3.1%`."""
    if value is None:
        return "-"
    percent = round(value * 100, 9)  # 0.14 * 100 is 14.000000000000002
    if percent == round(percent):
        return _unsigned_zero(f"{percent:.0f}%")
    return f"{percent:.1f}%" if abs(percent) >= 1 else _unsigned_zero(f"{percent:.2f}%")


def human_share(value: float) -> str:
    """A share of draws, however small: `12%`, `0.05%`, `1 in 2,400,000`."""
    if value == 0 or value >= 1e-4:
        return human_rate(value)
    return f"1 in {float(f'{1 / value:.2g}'):,.0f}"


def counted(count: int | str, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, the noun singular only when the count reads 1: `1 input`, `3 inputs`,
    `1,000 samples`, `0 outcomes`. A count may come written as it is shown (`"1"`, `"2.5"`): what
    the reader sees decides, so a life shown as `1` is `1 year`."""
    shown = f"{count:,}" if isinstance(count, int) else count
    return f"{shown} {noun if shown in ('1', '-1') else plural or noun + 's'}"


def key_list(keys: list[str]) -> str:
    """A list of keys (a mix rule's chips) as a file writes it: `[ascend_910c, mlu590]`."""
    return "[" + ", ".join(map(str, keys)) + "]"
