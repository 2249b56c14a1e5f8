"""The value syntax of scenario files: numbers, rates, money, ranges, and how they are shown."""

from __future__ import annotations

import datetime
import math

import pytest

from chipcalc.values import (
    Money,
    Uncertain,
    counted,
    describe,
    human_share,
    human_money,
    human_number,
    human_rate,
    parse_count,
    parse_money,
    parse_number,
    parse_rate,
    split_range,
)

# parse_number -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("400k", 400e3),
        ("400K", 400e3),
        ("1.5M", 1.5e6),
        ("1.5B", 1.5e9),
        ("2T", 2e12),
        ("400_000", 400_000),
        ("1_000.5", 1000.5),
        ("1.5 B", 1.5e9),  # a space before the suffix is allowed
        (" 42 ", 42),
        ("-5", -5),
        ("+1k", 1000),
        (".5", 0.5),
        ("1e3", 1000),
        ("0", 0),
        (400000, 400000),
        (1.5, 1.5),
        (0, 0),
        (-3, -3),
    ],
)
def test_parse_number_accepts(text, expected):
    value = parse_number(text)
    assert isinstance(value, float)
    assert value == pytest.approx(expected)


@pytest.mark.parametrize(
    "bad",
    [True, False, None, float("nan"), float("inf"), float("-inf"), "1e309", "-1e309", 10**400,
     "abc", "", "_", ".", "k", "400kk", "1.2.3", "4 00", "10%", "1m", "0x10", "--1", "nan", "inf",
     [1], {"a": 1}],
)
def test_parse_number_rejects(bad):
    with pytest.raises(ValueError):
        parse_number(bad)


@pytest.mark.parametrize(
    "bad, words",
    [
        (True, "must be a number (got true)"),
        (None, "must be a number (got nothing)"),
        (float("nan"), "must be a finite number"),
        (float("inf"), "must be a finite number"),
        ("1e309", "must be a finite number (got '1e309')"),
        ("abc", "must be a number such as 400k, 1.5B or 400_000 (got 'abc')"),
        ([1], "must be a number (got a list)"),
    ],
)
def test_parse_number_messages_say_what_is_wrong(bad, words):
    with pytest.raises(ValueError) as error:
        parse_number(bad)
    assert words in str(error.value)


def test_parse_number_underscores_as_in_python():
    assert parse_number("400_000") == parse_number(400_000) == 400000.0


def test_parse_number_ignores_every_underscore_as_yaml_does():
    # YAML 1.1 reads 4__00 and 400_ as 400; Python's float() would refuse both.
    assert parse_number("4__00") == parse_number("400_") == 400.0
    assert parse_number("4_0_0_k") == 400_000.0


# parse_rate ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25%", 0.25),
        (" 25 % ", 0.25),
        ("12.5%", 0.125),
        ("0%", 0.0),
        ("100%", 1.0),
        (0.25, 0.25),
        ("0.25", 0.25),
        (1, 1.0),
        (0, 0.0),
    ],
)
def test_parse_rate(text, expected):
    assert parse_rate(text) == pytest.approx(expected)


def test_percent_and_fraction_are_the_same():
    assert parse_rate("25%") == parse_rate(0.25) == 0.25


@pytest.mark.parametrize("bad", ["x%", "%", "abc", True, None, "nan%", "1e309%"])
def test_parse_rate_rejects(bad):
    with pytest.raises(ValueError) as error:
        parse_rate(bad)
    assert "rate" in str(error.value) or "finite" in str(error.value)


def test_parse_rate_message():
    with pytest.raises(ValueError) as error:
        parse_rate("x%")
    assert str(error.value) == "must be a rate such as 25% or 0.25 (got 'x%')"


# parse_money --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("$32k", 32e3, "USD"),
        ("$ 32k", 32e3, "USD"),
        ("32000 USD", 32e3, "USD"),
        ("32k usd", 32e3, "USD"),
        ("$32k USD", 32e3, "USD"),
        ("32000", 32e3, "USD"),
        (32000, 32e3, "USD"),
        (0.08, 0.08, "USD"),
        ("¥200k", 200e3, "CNY"),
        ("￥200k", 200e3, "CNY"),
        ("¥ 200k", 200e3, "CNY"),
        ("200k CNY", 200e3, "CNY"),
        ("200000 CNY", 200e3, "CNY"),
        ("¥0.40", 0.40, "CNY"),
        ("1.5M EUR", 1.5e6, "EUR"),
        ("$1.25B", 1.25e9, "USD"),
        ("$400_000", 400e3, "USD"),
    ],
)
def test_parse_money(text, amount, currency):
    money = parse_money(text)
    assert isinstance(money, Money)
    assert money.amount == pytest.approx(amount)
    assert money.currency == currency


def test_parse_money_usd_by_default():
    assert parse_money(32000) == Money(32000.0, "USD")
    assert parse_money("$32k") == Money(32000.0)


@pytest.mark.parametrize("bad", ["$", "abc", "", "USD 32k", "32 000 USD", None, True, [1]])
def test_parse_money_rejects(bad):
    with pytest.raises(ValueError) as error:
        parse_money(bad)
    assert "must be an amount of money such as $32k, ¥200k or 200k CNY" in str(error.value)


def test_parse_money_two_currencies():
    with pytest.raises(ValueError) as error:
        parse_money("$32k CNY")
    assert str(error.value) == "has two different currencies (got '$32k CNY')"


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_parse_money_rejects_non_finite(bad):
    with pytest.raises(ValueError) as error:
        parse_money(bad)
    assert "finite" in str(error.value)


def test_parse_money_accepts_an_exponent_like_parse_number():
    # parse_number('1.5e4') is 15000 and `units: 1.5e4` loads, so `price: 1.5e4`
    # (a string to PyYAML, which wants a sign in the exponent) should too.
    assert parse_number("1.5e4") == 15000.0
    assert parse_money("1.5e4") == Money(15000.0, "USD")
    assert parse_money("$1e3") == Money(1000.0, "USD")


def test_parse_money_huge_exponent_is_not_finite():
    with pytest.raises(ValueError):
        parse_money("$1e309")


# split_range / Uncertain --------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("28k to 36k", ("28k", "36k")),
        ("  28k   to   36k ", ("28k", "36k")),
        ("$28k to $36k", ("$28k", "$36k")),
        ("200k CNY to 300k CNY", ("200k CNY", "300k CNY")),
        ("20% to 30%", ("20%", "30%")),
        ("28k", None),
        ("28kto36k", None),
        ("1 to 2 to 3", None),
        ("", None),
    ],
)
def test_split_range(text, expected):
    assert split_range(text) == expected


def test_uncertain_point_is_the_mode():
    assert Uncertain(28e3, 36e3, 30e3, "triangular").point == 30e3


@pytest.mark.parametrize("dist", ["uniform", "normal", "lognormal"])
def test_uncertain_point_is_the_midpoint_without_mode(dist):
    assert Uncertain(28e3, 36e3, dist=dist).point == 32e3


def test_uncertain_defaults():
    range_ = Uncertain(1.0, 3.0)
    assert range_.mode is None and range_.dist == "uniform"
    assert range_.point == 2.0


def test_uncertain_mode_zero_is_a_mode():
    assert Uncertain(-1.0, 3.0, 0.0, "triangular").point == 0.0


# Formatting ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (32000, "$32.0k"),
        (1.25e9, "$1.25B"),
        (-1.25e9, "-$1.25B"),
        (12345, "$12.3k"),
        (123456789, "$123M"),
        (1000, "$1.00k"),
        (999, "$999"),
        (999_400, "$999k"),
        (1e12, "$1.00T"),
        (5, "$5.00"),
        (5.5, "$5.50"),
        (0, "$0"),
        (0.05, "$0.05"),
        # Each boundary, on both sides: three significant figures throughout (cents below $10,
        # dimes to $99.9, whole dollars to $999), then k/M/B/T.
        (0.999, "$0.999"),
        (1, "$1.00"),
        (1.5, "$1.50"),
        (9.99, "$9.99"),
        (10, "$10.0"),
        (14.8, "$14.8"),  # a levelised cost per PFLOP/s-hour, which whole dollars showed as $15
        (99.94, "$99.9"),
        (99.96, "$100"),
        (999.49, "$999"),
        (999.5, "$1.00k"),
        (-1, "-$1.00"),
        (-0.05, "-$0.05"),
        (-1e-6, "-$0.00000100"),  # never 1e-06
        (None, "-"),
    ],
)
def test_human_money(value, text):
    assert human_money(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        # Values that round up into the next unit keep three significant figures.
        (999.9, "$1.00k"),
        (999_500, "$1.00M"),
        (999_700_000, "$1.00B"),
    ],
)
def test_human_money_rounding_into_the_next_unit(value, text):
    assert human_money(value) == text


@pytest.mark.parametrize(
    "value, text",
    [(1234567, "1.23M"), (0, "0"), (999, "999"), (1000, "1.00k"), (12.345, "12.3"), (999.5, "1.00k"),
     (0.123, "0.123"), (0.5, "0.500"), (1.5, "1.50"), (-2500, "-2.50k")],
)
def test_human_number(value, text):
    assert human_number(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (0.25, "25%"),
        (0.125, "12.5%"),
        (-0.031, "-3.1%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (0.999, "99.9%"),
        (0.4, "40%"),
        # One decimal from 1%, two below it.
        (0.015, "1.5%"),
        (0.012, "1.2%"),
        (0.0045, "0.45%"),
        (-0.0045, "-0.45%"),
        (None, "-"),
    ],
)
def test_human_rate(value, text):
    assert human_rate(value) == text


@pytest.mark.parametrize("value, text", [(0.07, "7%"), (0.14, "14%"), (0.29, "29%"), (0.57, "57%"),
                                         (0.1400000000006, "14%")])
def test_human_rate_whole_percentages_despite_float_error(value, text):
    # 0.07 * 100 == 7.000000000000001: a whole percentage must still show as one,
    # like 25% does, not as '7.0%'.
    assert human_rate(value) == text


@pytest.mark.parametrize("text", ["7%", "14%", "25%", "12.5%", "40%"])
def test_human_rate_round_trips_parse_rate(text):
    assert human_rate(parse_rate(text)) == text


def test_values_are_finite_floats():
    for value in (parse_number("1T"), parse_rate("25%"), parse_money("$32k").amount):
        assert isinstance(value, float) and math.isfinite(value)


@pytest.mark.parametrize(
    "value, text",
    [
        (None, "nothing"),
        (True, "true"),
        (False, "false"),
        ({"a": 1}, "a mapping"),
        ([1], "a list"),
        ({1}, "a set"),
        pytest.param(b"x", "binary data", id="bytes"),
        ("28k", "'28k'"),
        (1.5, "1.5"),
        (datetime.date(2026, 1, 15), "2026-01-15"),  # as written in the file, not datetime.date(...)
    ],
)
def test_describe_quotes_a_value_as_the_file_wrote_it(value, text):
    assert describe(value) == text


@pytest.mark.parametrize("shown, value, text", [
    (human_rate, -1e-5, "0.00%"),  # a tornado's tiny negative width
    (human_rate, -0.0, "0%"),
    (human_number, -1e-4, "0.000"),
    (human_rate, -0.031, "-3.1%"),  # a sign that means something stays
])
def test_a_value_that_rounds_to_zero_has_no_sign(shown, value, text):
    assert shown(value) == text


# counts -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("1M", 1_000_000), ("10k", 10_000), ("1e6", 1_000_000), ("100_000", 100_000), ("1.5k", 1500), (7, 7),
])
def test_parse_count_reads_counts_as_files_write_them(text, expected):
    assert parse_count(text) == expected and isinstance(parse_count(text), int)


@pytest.mark.parametrize("bad", ["1.5", "x", "nan", "", 2.5, True])
def test_parse_count_refuses_what_is_no_whole_number(bad):
    with pytest.raises(ValueError, match="must be a whole number such as 10k or 1M"):
        parse_count(bad)


def test_parse_count_keeps_the_size_message():
    with pytest.raises(ValueError, match="is too large to compute with"):
        parse_count("1e20")


@pytest.mark.parametrize(("count", "noun", "text"), [
    (1, "input", "1 input"), (0, "input", "0 inputs"), (2, "input", "2 inputs"),
    (1000, "sample", "1,000 samples"), ("1", "year", "1 year"), ("2.5", "year", "2.5 years"),
    ("1.00", "year", "1.00 years"), (1, "scenario file", "1 scenario file"),
])
def test_counted_is_singular_only_for_one(count, noun, text):
    assert counted(count, noun) == text


@pytest.mark.parametrize(("share", "text"), [
    (0.0, "0%"), (0.05, "5%"), (0.0068, "0.68%"), (1e-4, "0.01%"),
    (1 / 2_400_000, "1 in 2,400,000"), (6.7e-5, "1 in 15,000"),  # 1 / 6.7e-5 = 14,925, to two figures
])
def test_human_share_writes_tiny_shares_as_one_in_n(share, text):
    assert human_share(share) == text
