"""Sensitivity (tornado): each input moved down and up, the model re-run, checked by hand."""

from __future__ import annotations

import math
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chipcalc.analysis.sensitivity import AT_ZERO, POINTS, RANGE, SWING, Swing, Tornado, clamp, sensitivity
from chipcalc.errors import UsageError
from chipcalc.loader import load_scenario
from chipcalc.model import compare
from chipcalc.scenario import Scenario
from chipcalc.paths import numeric_inputs, spec_at, with_values

from .conftest import SCENARIOS

HOURS = 8760
EXACT = 1e-12


def approx(value: float):
    return pytest.approx(value, rel=EXACT)


def load(text: str) -> Scenario:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "scenario.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_scenario(path)


def by_path(tornado: Tornado) -> dict[str, Swing]:
    return {swing.path: swing for swing in tornado.swings}


# A tiny scenario, by hand ------------------------------------------------------
# D = 1000 * 100 = 1e5; c: e_c = 50 * 0.8 = 40, n_c = D / 40 = 2500, k_c = 10000
# (no power, no levy), M_c = 1M: T_c = 2500 * 10000 + 1M = 26M.
# a: E_a = 1000 W / 1000 * 1 * 8760 * 4 * 0.1, T_a = 1000 * (20000 + E_a).

TINY = """\
assumptions:
  lifetime_years: 4
  electricity_usd_per_kwh: 0.1
platforms:
  cann: {migration_cost: 1M}
chips:
  a: {price: 20000, tflops: {bf16: 100}, power_w: 1000}
  c: {platform: cann, price: 10000, tflops: {bf16: 50}, utilization: 0.8}
orders:
  - chip: a
    {quantity}
"""
UNITS = TINY.replace("{quantity}", "units: 1000")


def tco_c(demand: float, price: float = 10000, effective: float = 40, migration: float = 1e6) -> float:
    return demand / effective * price + migration


@pytest.mark.parametrize(
    ("path", "low_value", "high_value", "metric_low", "metric_high"),
    [
        # T_c is linear in c's price: width = 2 * 0.2 * 10000 * 2500
        ("chips.c.price", 8000, 12000, tco_c(1e5, price=8000), tco_c(1e5, price=12000)),
        # ... and in D, so in the order's units and a's throughput
        ("orders[0].units", 800, 1200, tco_c(800 * 100), tco_c(1200 * 100)),
        ("chips.a.tflops.bf16", 80, 120, tco_c(1000 * 80), tco_c(1000 * 120)),
        # a's utilisation of 100% cannot go up
        ("chips.a.utilization", 0.8, 1.0, tco_c(1000 * 80), tco_c(1000 * 100)),
        # T_c goes as 1 / e_c
        ("chips.c.tflops.bf16", 40, 60, tco_c(1e5, effective=40 * 0.8), tco_c(1e5, effective=60 * 0.8)),
        ("chips.c.utilization", 0.64, 0.96, tco_c(1e5, effective=50 * 0.64), tco_c(1e5, effective=50 * 0.96)),
        ("platforms.cann.migration_cost", 0.8e6, 1.2e6,
         tco_c(1e5, migration=0.8e6), tco_c(1e5, migration=1.2e6)),
        # c has no power, so a's price and energy do not move c's TCO
        ("chips.a.price", 16000, 24000, tco_c(1e5), tco_c(1e5)),
        ("assumptions.electricity_usd_per_kwh", 0.08, 0.12, tco_c(1e5), tco_c(1e5)),
        ("assumptions.pue", 1.0, 1.2, tco_c(1e5), tco_c(1e5)),  # pue of 1 cannot go down
    ],
)
def test_tco_swings_by_hand(path, low_value, high_value, metric_low, metric_high):
    tornado = sensitivity(load(UNITS), "tco_usd", "c")
    swing = by_path(tornado)[path]
    assert (swing.low_value, swing.high_value) == (approx(low_value), approx(high_value))
    assert (swing.metric_low, swing.metric_high) == (approx(metric_low), approx(metric_high))
    assert swing.width == pytest.approx(abs(metric_high - metric_low), rel=1e-9, abs=1e-6)


def test_price_width_is_twice_the_swing_times_the_spend():
    swing = by_path(sensitivity(load(UNITS), "tco_usd", "c", swing=0.1))["chips.c.price"]
    assert swing.width == approx(2 * 0.1 * 10000 * 2500)  # 2 * swing * p_c * n_c


def test_tornado_fields_and_base():
    tornado = sensitivity(load(UNITS), "tco_usd", "c", swing=0.2)
    assert (tornado.order, tornado.option, tornado.metric, tornado.swing) == ("order-1", "c", "tco_usd", 0.2)
    assert tornado.base == approx(tco_c(1e5))
    for swing in tornado.swings:
        assert swing.low_value <= swing.base_value <= swing.high_value


def test_default_metric_is_vs_order():
    tornado = sensitivity(load(UNITS))
    T_a = 1000 * (20000 + 1000 / 1000 * 1 * HOURS * 4 * 0.1)
    assert (tornado.metric, tornado.option) == ("vs_order", "c")
    assert tornado.base == approx(tco_c(1e5) / T_a - 1)
    price = by_path(tornado)["chips.a.price"]  # a dearer: c's TCO is a smaller share of a's
    T_a_low = 1000 * (16000 + 1000 / 1000 * 1 * HOURS * 4 * 0.1)
    assert price.metric_low == approx(tco_c(1e5) / T_a_low - 1)


def test_ranking_widest_first_ties_by_path():
    paths = [swing.path for swing in sensitivity(load(UNITS), "tco_usd", "c").swings]
    # c's throughput and utilisation move T_c by 1e5 * 1e4 / 0.8 * (1/40 - 1/60), ~10.4M, the most
    assert set(paths[:2]) == {"chips.c.tflops.bf16", "chips.c.utilization"}
    # then three inputs that each move T_c by exactly 10M, in path order
    assert paths[2:5] == ["chips.a.tflops.bf16", "chips.c.price", "orders[0].units"]
    assert paths[5:7] == ["chips.a.utilization", "platforms.cann.migration_cost"]
    # the rest leave T_c alone: width 0, by path
    assert paths[7:] == sorted(paths[7:])
    widths = [swing.width for swing in sensitivity(load(UNITS), "tco_usd", "c").swings]
    assert widths == sorted(widths, reverse=True)


def test_inputs_at_zero_are_left_out():
    # levy rates, host costs and c's power are 0: a multiplicative swing cannot move them
    paths = set(by_path(sensitivity(load(UNITS), "tco_usd", "c")))
    assert not paths & {"chips.a.levy_rate", "chips.c.host_cost", "chips.c.power_w",
                        "assumptions.levy_pass_through", "platforms.cann.engineer_months"}
    assert "chips.a.power_w" in paths


def test_budget_order_is_simply_re_run():
    # MODEL.md: no demand fixing here. A budget of 20M buys 20M / p_a units of a,
    # so a's price moves D and with it c's TCO.
    tornado = sensitivity(load(TINY.replace("{quantity}", "budget: 20M")), "tco_usd", "c")
    swing = by_path(tornado)["chips.a.price"]
    assert swing.metric_low == approx(tco_c(20e6 / 16000 * 100))
    assert swing.metric_high == approx(tco_c(20e6 / 24000 * 100))
    assert swing.width == approx(1e4 / 40 * 100 * 20e6 * (1 / 16000 - 1 / 24000))


# Clamping into the valid range ---------------------------------------------------

EDGES = """\
assumptions: {levy_pass_through: 1}
chips:
  a: {price: 20000, levy_rate: 0.9, levy_base: 1, tflops: {bf16: 100}, utilization: 1}
  c: {price: 10000, tflops: {bf16: 50}}
orders:
  - {chip: a, units: 1000}
"""


@pytest.mark.parametrize(
    ("path", "low_value", "high_value"),
    [
        ("chips.a.levy_rate", 0.9 * 0.8, 1 - 1e-12),  # [0, 1): stays below 1, by OPEN_BOUND_NUDGE
        ("chips.a.levy_base", 0.8, 1.0),  # (0, 1]
        ("chips.a.utilization", 0.8, 1.0),
        ("assumptions.levy_pass_through", 0.8, 1.0),
        ("assumptions.pue", 1.0, 1.2),  # at least 1
    ],
)
def test_moved_values_are_clamped_into_range(path, low_value, high_value):
    swing = by_path(sensitivity(load(EDGES), "tco_usd", "a"))[path]
    assert (swing.low_value, swing.high_value) == (approx(low_value), approx(high_value))


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("chips.x.levy_rate", 1.5, 1 - 1e-12),
        ("chips.x.levy_rate", -0.1, 0.0),
        ("chips.x.utilization", 0.0, 1e-12),  # open at 0: strictly inside
        ("chips.x.utilization", 1.2, 1.0),
        ("chips.x.price", 1e12, 1e12),  # no upper bound
        ("assumptions.pue", 0.5, 1.0),
    ],
)
def test_clamp(path, value, expected):
    # no absolute tolerance: approx's default of 1e-12 would take 0 for the nudge above it
    assert clamp(spec_at(path), value) == pytest.approx(expected, rel=EXACT, abs=0)


# The figures are the model's ---------------------------------------------------------

def test_swings_match_compare_on_the_shipped_scenario():
    scenario = load_scenario(SCENARIOS / "h200-2026.yaml")
    tornado = sensitivity(scenario, "tco_usd", "ascend_910c", swing=0.1)
    assert len(tornado.swings) > 20
    for swing in tornado.swings[:8]:
        for value, metric in ((swing.low_value, swing.metric_low), (swing.high_value, swing.metric_high)):
            result = compare(with_values(scenario, {swing.path: value}))
            option = next(o for o in result.orders[0].options if o.chip == "ascend_910c")
            assert metric == approx(option.tco_usd), swing.path


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(path.name for path in SCENARIOS.glob("*.yaml"))),
    swing=st.floats(1e-6, 1 - 1e-6),
)
def test_moved_values_are_valid_and_ordered(name, swing):
    scenario = load_scenario(SCENARIOS / name)
    if not scenario.orders:
        return
    tornado = sensitivity(scenario, swing=swing)
    for moved in tornado.swings:
        spec = spec_at(moved.path)
        assert spec.violation(moved.low_value) is None, moved
        assert spec.violation(moved.high_value) is None, moved
        assert moved.low_value <= moved.base_value <= moved.high_value
    widths = [moved.width for moved in tornado.swings]
    assert widths == sorted(widths, reverse=True)


# Choice of option ----------------------------------------------------------------------

THREE = """\
chips:
  a: {price: 20000, tflops: {bf16: 100}}
  b: {price: 15000, tflops: {bf16: 100}}
  c: {price: 12000, tflops: {bf16: 100}}
  d: {price: 12000, tflops: {bf16: 100}}
orders:
  - {chip: c, units: 10}
"""


def test_default_option_is_the_cheapest_other_chip():
    # c is the order's own (and cheapest); d ties with it but is another chip
    assert sensitivity(load(THREE)).option == "d"
    assert sensitivity(load(THREE.replace("d: {price: 12000", "d: {price: 30000"))).option == "b"


def test_default_option_with_a_single_chip_is_the_order_chip():
    alone = "chips:\n  a: {price: 1000, tflops: {bf16: 10}}\norders:\n  - {chip: a, units: 5}\n"
    tornado = sensitivity(load(alone), "tco_usd")
    assert tornado.option == "a"
    assert by_path(tornado)["chips.a.price"].width == approx(2 * 0.2 * 1000 * 5)


# Mistakes ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"metric": "tco"}, "unknown metric 'tco'; did you mean 'tco_usd'?; metrics are: units, buyer_price_usd, "),
        ({"metric": "spend_usd"}, "unknown metric 'spend_usd'"),
        ({"option": "e"}, "unknown option 'e'; chips are: a, b, c, d"),
        ({"order": 1}, "no order 1 in this scenario"),
        ({"swing": 0}, "swing must be above 0 and below 1, e.g. 0.2 for ±20% (got 0)"),
        ({"swing": 1}, "swing must be above 0 and below 1"),
        ({"swing": -0.2}, "swing must be above 0 and below 1"),
        ({"swing": 20}, "(got 20)"),
        ({"swing": float("nan")}, "swing must be above 0 and below 1"),
    ],
)
def test_mistakes_say_how_to_fix_them(arguments, message):
    with pytest.raises(UsageError) as error:
        sensitivity(load(THREE), **arguments)
    assert message in str(error.value)


# Declared uncertainty: a range moves to its own low and high -------------------------------
# MODEL.md v2: T_a = n_a * k_a + M_a, k_a = H_a + A * R_a, H_a = b_a + h_a, R_a = Ey_a + ...,
# Ey_a = W / 1000 * w * pue * 8760 * P, A = (1 - (1 + d)^-L) / ln(1 + d).

RANGES = """\
assumptions:
  lifetime_years: 4
  discount_rate: 10%
  electricity_usd_per_kwh: $0.05 to $0.15
  levy_pass_through: {low: 0%, mode: 0%, high: 50%}
chips:
  a: {price: 20000, levy_rate: 25%, tflops: {bf16: 100}, power_w: 1000}
  c: {price: {low: 9k, mode: 10k, high: 14k}, tflops: {bf16: 50}, utilization: 0.8}
orders:
  - {chip: a, units: 1000}
"""
A_4_YEARS_AT_10 = (1 - 1.1 ** -4) / math.log(1.1)  # 3.1698654...


def tco_a(electricity: float = 0.10, pass_through: float = 0.0) -> float:
    """T_a = 1000 * (b_a + A * Ey_a), b_a = p / (1 - t * r), Ey_a = 1 kW * 8760 h * P."""
    buyer_price = 20000 / (1 - pass_through * 0.25)
    return 1000 * (buyer_price + A_4_YEARS_AT_10 * 1 * HOURS * electricity)


def test_a_range_moves_to_its_own_low_and_high():
    tornado = sensitivity(load(RANGES), "tco_usd", "a", swing=0.2)
    electricity = by_path(tornado)["assumptions.electricity_usd_per_kwh"]
    # the midpoint of $0.05 to $0.15 is the base; the ends are the range's, not 0.10 -/+ 20%
    assert (electricity.base_value, electricity.low_value, electricity.high_value) == (
        approx(0.10), approx(0.05), approx(0.15))
    assert electricity.moved_by == RANGE and not electricity.clamped
    assert electricity.metric_low == approx(tco_a(electricity=0.05))  # 1000 * (20000 + A * 438)
    assert electricity.metric_high == approx(tco_a(electricity=0.15))  # 1000 * (20000 + A * 1314)
    assert tornado.base == approx(tco_a())


def test_a_range_at_zero_moves_and_is_not_listed():
    tornado = sensitivity(load(RANGES), "tco_usd", "a")
    pass_through = by_path(tornado)["assumptions.levy_pass_through"]
    assert (pass_through.base_value, pass_through.low_value, pass_through.high_value) == (0, 0, approx(0.5))
    # t = 50%: b_a = 20000 / (1 - 0.5 * 0.25) = 22857.14...
    assert pass_through.metric_high == approx(tco_a(pass_through=0.5))
    assert "assumptions.levy_pass_through" not in {n.path for n in tornado.not_moved}


def test_a_triangular_range_of_the_option_moves_to_its_ends():
    swing = by_path(sensitivity(load(RANGES), "tco_usd", "c"))["chips.c.price"]
    # the mode 10k is the base; n_c = 1e5 / (50 * 0.8) = 2500 units, no running cost, no migration
    assert (swing.base_value, swing.low_value, swing.high_value) == (10000, 9000, 14000)
    assert (swing.metric_low, swing.metric_high) == (approx(2500 * 9000), approx(2500 * 14000))


def test_inputs_without_a_range_still_move_by_the_swing():
    swing = by_path(sensitivity(load(RANGES), "tco_usd", "a", swing=0.1))["chips.a.price"]
    assert (swing.low_value, swing.high_value, swing.moved_by) == (approx(18000), approx(22000), SWING)
    assert swing.metric_high - swing.metric_low == approx(1000 * 4000)  # n_a * 2 * 10% * p_a, t = 0


# Inputs that cannot move ---------------------------------------------------------------------

def test_inputs_at_zero_are_listed_with_why():
    scenario = load(UNITS)
    tornado = sensitivity(scenario, "tco_usd", "c")
    listed = {n.path: n for n in tornado.not_moved}
    # the levy rates, pass-through, host costs, c's power and the porting effort are 0 in TINY
    assert {"chips.a.levy_rate", "chips.c.levy_rate", "assumptions.levy_pass_through", "chips.a.host_cost",
            "chips.c.power_w", "platforms.cann.engineer_months"} <= set(listed)
    assert all(n.reason == AT_ZERO and n.base_value == 0 for n in listed.values())
    # nothing is dropped: every numeric input is either moved or listed, never both
    moved = {s.path for s in tornado.swings}
    assert not moved & set(listed)
    assert moved | set(listed) == {path for path, _, _ in numeric_inputs(scenario)}
    zeros = [path for path, _, value in numeric_inputs(scenario) if value == 0]
    assert [n.path for n in tornado.not_moved] == zeros  # in file order


# --swing-points: rates by absolute points ---------------------------------------------------

def test_swing_points_move_a_rate_by_points():
    tornado = sensitivity(load(UNITS), "tco_usd", "c", swing=0.2, swing_points=10)
    utilization = by_path(tornado)["chips.c.utilization"]
    # 80% -/+ 10 points, not 80% * (1 -/+ 20%): e_c = 50 * u, T_c = 1e5 / e_c * 10000 + 1M
    assert (utilization.low_value, utilization.high_value) == (approx(0.7), approx(0.9))
    assert utilization.moved_by == POINTS and not utilization.clamped
    assert utilization.metric_low == approx(tco_c(1e5, effective=50 * 0.7))
    assert utilization.metric_high == approx(tco_c(1e5, effective=50 * 0.9))
    assert tornado.swing_points == 10


def test_swing_points_leave_other_inputs_to_the_swing():
    tornado = sensitivity(load(UNITS), "tco_usd", "c", swing=0.2, swing_points=10)
    price = by_path(tornado)["chips.c.price"]
    assert (price.low_value, price.high_value, price.moved_by) == (approx(8000), approx(12000), SWING)
    assert by_path(tornado)["assumptions.pue"].moved_by == SWING  # a number, not a rate


def test_swing_points_move_a_rate_at_zero_and_say_it_was_clamped():
    tornado = sensitivity(load(UNITS), "tco_usd", "a", swing_points=10)
    levy = by_path(tornado)["chips.a.levy_rate"]
    assert (levy.low_value, levy.high_value) == (0, approx(0.1))  # 0 - 10 points is clamped to 0
    assert levy.clamped and levy.moved_by == POINTS
    listed = {n.path for n in tornado.not_moved}
    assert "chips.a.levy_rate" not in listed and "assumptions.levy_pass_through" not in listed
    assert "chips.c.power_w" in listed  # a number at 0: points do not apply to it


@pytest.mark.parametrize(
    ("path", "low_value", "high_value"),
    [
        ("chips.a.levy_rate", 0.8, 1 - 1e-12),  # 90% + 10 points: kept below 100%
        ("chips.a.levy_base", 0.9, 1.0),  # a share: (0, 1]
        ("chips.a.utilization", 0.9, 1.0),
        ("assumptions.levy_pass_through", 0.9, 1.0),
    ],
)
def test_swing_points_are_clamped_into_the_valid_range(path, low_value, high_value):
    swing = by_path(sensitivity(load(EDGES), "tco_usd", "a", swing_points=10))[path]
    assert (swing.low_value, swing.high_value) == (approx(low_value), approx(high_value))
    assert swing.clamped and swing.moved_by == POINTS


def test_a_move_inside_the_range_is_not_clamped():
    swing = by_path(sensitivity(load(EDGES), "tco_usd", "a", swing=0.1))["chips.a.price"]
    assert not swing.clamped


@pytest.mark.parametrize("points", [0, -5, 100.5, float("nan"), True, "10"])
def test_bad_swing_points(points):
    with pytest.raises(UsageError, match="swing points must be above 0 and at most 100 percentage points"):
        sensitivity(load(THREE), swing_points=points)


# A levy base written as money moves as money -------------------------------------------------

MONEY_BASE = """\
assumptions: {levy_pass_through: 100%}
chips:
  a: {price: $30k, levy_rate: 25%, levy_base: $20k, tflops: {bf16: 100}}
  c: {price: $10k, tflops: {bf16: 50}}
orders:
  - {chip: a, units: 1000}
"""


def test_a_money_levy_base_moves_by_the_swing_as_money():
    # MODEL.md v2, money base: L_a = r * V, b_a = p + t * L_a; T_a = 1000 * b_a (no running costs)
    swing = by_path(sensitivity(load(MONEY_BASE), "tco_usd", "a", swing=0.2, swing_points=10))["chips.a.levy_base"]
    assert (swing.low_value, swing.high_value) == (approx(16000), approx(24000))  # not clamped to a share of 1
    assert swing.moved_by == SWING and not swing.clamped  # money, not a rate: no points
    assert swing.metric_low == approx(1000 * (30000 + 0.25 * 16000))
    assert swing.metric_high == approx(1000 * (30000 + 0.25 * 24000))


def test_a_tornado_of_the_buyer_price_moves_with_the_price_alone():
    # h200's buyer price is its price (pass-through 0%): only chips.h200.price moves it, by +-20%
    tornado = sensitivity(load_scenario(SCENARIOS / "h200-2026.yaml"), "buyer_price_usd", "h200")
    moving = [swing for swing in tornado.swings if swing.width > 0]
    assert [swing.path for swing in moving] == ["chips.h200.price"]
    assert (moving[0].metric_low, moving[0].metric_high) == pytest.approx((0.8 * 27_000, 1.2 * 27_000))


def test_a_tornado_of_a_cost_per_token_without_flops_per_token_is_refused():
    with pytest.raises(UsageError, match="usd_per_million_tokens has no value here"):
        sensitivity(load_scenario(SCENARIOS / "h200-2026.yaml"), "usd_per_million_tokens")
