"""Money in other currencies and uncertain ranges, through files; the Converter itself."""

from __future__ import annotations


import pytest

from chipcalc.loader import load_scenario
from chipcalc.loader.convert import Converter
from chipcalc.paths import spec_at
from chipcalc.spec import Kind
from chipcalc.values import Uncertain

from .common import MINIMAL, problems_of, write


# Money in other currencies ------------------------------------------------


def test_cny_is_converted_with_fx(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        assumptions:
          electricity_usd_per_kwh: ¥0.50
          fx:
            CNY: 0.14
        chips:
          ascend:
            price: ¥200k
            host_cost: 10k CNY
            electricity_usd_per_kwh: 0.40 CNY
            tflops: {bf16: 780}
          b:
            price: 200000 CNY
            tflops: {bf16: 1}
        orders:
          - chip: ascend
            budget: ¥1B
        """)
    scenario = load_scenario("s.yaml")
    ascend = scenario.chips["ascend"]
    assert ascend.price_usd == pytest.approx(28000)
    assert scenario.chips["b"].price_usd == pytest.approx(28000)
    assert ascend.host_cost_usd == pytest.approx(1400)
    assert ascend.electricity_usd_per_kwh == pytest.approx(0.056)
    assert scenario.assumptions.electricity_usd_per_kwh == pytest.approx(0.07)
    assert scenario.orders[0].budget_usd == pytest.approx(140e6)


def test_fx_given_in_the_parent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", "assumptions:\n  fx: {CNY: 0.14}\n" + MINIMAL)
    write(tmp_path, "child.yaml", """\
        extends: parent.yaml
        chips:
          ascend:
            price: ¥200k
            tflops: {bf16: 780}
        """)
    assert load_scenario("child.yaml").chips["ascend"].price_usd == pytest.approx(28000)


def test_fx_given_in_the_child_for_a_parent_price(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", """\
        chips:
          ascend:
            price: ¥200k
            tflops: {bf16: 780}
        """)
    write(tmp_path, "child.yaml", "extends: parent.yaml\nassumptions:\n  fx: {CNY: 0.15}\n")
    assert load_scenario("child.yaml").chips["ascend"].price_usd == pytest.approx(30000)
    assert problems_of("parent.yaml") == [
        "parent.yaml:3:12: chips.ascend.price: is in CNY, which has no exchange rate: "
        "add assumptions.fx.CNY (USD per CNY)"
    ]


# Ranges -------------------------------------------------------------------


def test_ranges_collapse_to_mode_or_midpoint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        assumptions:
          fx: {CNY: 0.14}
          levy_pass_through: 10% to 40%
        chips:
          h200:
            price: {low: 28k, high: 36k}
            levy_rate: {low: 20%, mode: 25%, high: 40%}
            tflops: {bf16: 989}
            utilization: {low: 30%, high: 50%, dist: normal}
            power_w: 600 to 800
          ascend:
            price: ¥150k to ¥250k
            tflops: {bf16: {low: 700, high: 800, dist: lognormal}}
        orders:
          - chip: h200
            units: {low: 100k, mode: 400k, high: 700k}
        """)
    scenario = load_scenario("s.yaml")
    h200, ascend = scenario.chips["h200"], scenario.chips["ascend"]
    assert h200.price_usd == 32000.0
    assert h200.levy_rate == pytest.approx(0.25)
    assert h200.utilization == pytest.approx(0.4)
    assert h200.power_w == 700.0
    assert ascend.price_usd == pytest.approx(28000)
    assert ascend.tflops["bf16"] == 750.0
    assert scenario.assumptions.levy_pass_through == pytest.approx(0.25)
    assert scenario.orders[0].units == 400e3

    ranges = dict(scenario.ranges)
    assert len(ranges) == len(scenario.ranges) == 8
    assert ranges["chips.h200.price"] == Uncertain(28e3, 36e3, None, "uniform")
    assert ranges["chips.h200.levy_rate"] == Uncertain(pytest.approx(0.2), pytest.approx(0.4),
                                                       pytest.approx(0.25), "triangular")
    assert ranges["chips.h200.utilization"].dist == "normal"
    assert ranges["chips.h200.power_w"] == Uncertain(600.0, 800.0, None, "lognormal")
    cny = ranges["chips.ascend.price"]
    assert (cny.low, cny.high, cny.dist) == (pytest.approx(21000), pytest.approx(35000), "lognormal")
    assert ranges["chips.ascend.tflops.bf16"] == Uncertain(700.0, 800.0, None, "lognormal")
    assert ranges["orders[0].units"] == Uncertain(100e3, 700e3, 400e3, "triangular")
    assert ranges["assumptions.levy_pass_through"] == Uncertain(pytest.approx(0.1), pytest.approx(0.4), None,
                                                                "lognormal")


def test_to_shorthand_is_lognormal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL.replace("price: $32k", "price: 28k to 36k"))
    scenario = load_scenario("s.yaml")
    assert scenario.ranges == (("chips.h200.price", Uncertain(28e3, 36e3, None, "lognormal")),)
    assert scenario.chips["h200"].price_usd == 32000.0


def test_range_bounds_are_checked_against_the_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL.replace("price: $32k", "price: {low: -1k, high: 36k}"))
    assert problems_of("s.yaml") == ["s.yaml:3:12: chips.h200.price: low must be positive (got -$1,000)"]


def test_range_needs_low_and_high(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL.replace("price: $32k", "price: {low: 28k}"))
    assert problems_of("s.yaml") == [
        "s.yaml:3:12: chips.h200.price: a range needs high, e.g. {low: 28k, high: 36k}"
    ]


# The Converter itself --------------------------------------------------------

PRICE = spec_at("chips.h200.price")
"""Money, positive."""


def test_money_in_another_currency_converts_at_its_rate_and_notes_the_currency():
    converter = Converter({"CNY": 0.139})
    assert converter.usd("¥200k", "chips.a.price") == pytest.approx(200_000 * 0.139)  # 27,800
    assert converter.usd("$32k", "chips.b.price") == 32_000
    assert converter.currencies == {"chips.a.price": "CNY"}


def test_money_without_a_valid_rate_says_which():
    converter = Converter({"EUR": None})
    with pytest.raises(ValueError, match=r"^is in CNY, which has no exchange rate: add assumptions\.fx\.CNY "
                                         r"\(USD per CNY\)$"):
        converter.usd("200k CNY", "p")
    with pytest.raises(ValueError, match=r"^is in EUR, whose exchange rate assumptions\.fx\.EUR is invalid$"):
        converter.usd("200k EUR", "p")


def test_money_is_checked_again_once_converted():
    # 1e15 CNY is in range as written; at 2 USD per CNY it is 2e15 USD, above the largest 1e15.
    with pytest.raises(ValueError, match=r"^is \$2e\+15 at assumptions\.fx\.CNY: too large to compute with"):
        Converter({"CNY": 2.0}).usd("1e15 CNY", "p")


def test_rates_are_read_from_the_tree_at_their_point_value():
    tree = {"assumptions": {"fx": {"CNY": {"low": 0.1, "high": 0.2}, "EUR": "1.1", "JPY": -1, "GBP": "x"}}}
    # The range's point is its midpoint (0.1 + 0.2) / 2 = 0.15; a rate that is not positive is None.
    assert Converter.from_tree(tree).fx == {"CNY": pytest.approx(0.15), "EUR": 1.1, "JPY": None, "GBP": None}
    assert Converter.from_tree({"assumptions": "none"}).fx == {}


def test_value_is_a_float_or_a_checked_range():
    converter = Converter({})
    assert converter.value(PRICE, "$32k", "p") == 32_000
    assert converter.value(PRICE, "28k to 36k", "p") == Uncertain(28e3, 36e3, None, "lognormal")
    assert converter.value(spec_at("chips.h200.levy_rate"), "25%", "r") == 0.25
    assert converter.value(PRICE, 2, "p", Kind.NUMBER) == 2.0
    with pytest.raises(ValueError, match=r"^low must be positive \(got \$0\)$"):
        converter.value(PRICE, {"low": 0, "high": 1}, "p")


def test_only_numeric_kinds_have_a_parser():
    assert Converter({}).parser(Kind.RATE, "r")("12.5%") == 0.125
    with pytest.raises(TypeError):
        Converter({}).parser(Kind.TEXT, "t")
