"""Sweeps: each grid point is exactly what `compare` gives for that scenario, and grids are what was asked."""

from __future__ import annotations

import numpy as np
import pytest

from chipcalc.analysis import sweep as sweep_module
from chipcalc.analysis.sweep import grid_values, sweep
from chipcalc.errors import UsageError
from chipcalc.loader import load_scenario
from chipcalc.model import compare
from chipcalc.paths import with_values

from .conftest import SCENARIOS

EXACT = 1e-12
H200 = SCENARIOS / "h200-2026.yaml"
CNY = 0.139  # assumptions.fx.CNY of h200-2026.yaml


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(H200)


def compared(scenario, changes: dict[str, float], order: int = 0):
    """compare() of the scenario with `changes`, as {chip: Option} for one order."""
    result = compare(with_values(scenario, changes)).orders[order]
    return {option.chip: option for option in result.options}, result.cheapest.chip


# Each point is the model re-run ---------------------------------------------


@pytest.mark.parametrize("metric", ["tco_usd", "usd_per_effective_pflops_hour", "vs_order", "units",
                                    "supply_shortfall_units", "buyer_price_usd", "levy_per_unit_usd",
                                    "effective_tflops_per_unit", "tflops_per_kusd", "attainable_tflops_per_unit"])
def test_one_way_sweep_equals_compare_at_each_point(scenario, metric):
    prices = [15_000.0, 27_000.0, 40_000.0, 61_500.5]
    result = sweep(scenario, [("chips.h200.price", prices)], metric=metric)
    assert result.paths == ("chips.h200.price",)
    assert result.chips == tuple(scenario.chips)
    for index, price in enumerate(prices):
        options, _ = compared(scenario, {"chips.h200.price": price})
        for chip in result.chips:
            assert result.values[chip].shape == (len(prices),)
            expected = getattr(options[chip], metric)
            assert result.values[chip][index] == pytest.approx(expected, rel=EXACT, abs=1e-9)


def test_two_way_sweep_rows_follow_the_first_input(scenario):
    levy_rates = grid_values(0, 0.5, 0.25)
    pass_through = grid_values(0, 1, 1 / 3)
    result = sweep(scenario, [("chips.h200.levy_rate", levy_rates),
                              ("assumptions.levy_pass_through", pass_through)])
    assert [len(axis) for axis in result.axes] == [3, 4]
    for chip in result.chips:
        assert result.values[chip].shape == (3, 4)
    for i, rate in enumerate(levy_rates):
        for j, share in enumerate(pass_through):
            options, cheapest = compared(scenario, {"chips.h200.levy_rate": rate,
                                                    "assumptions.levy_pass_through": share})
            for chip in result.chips:
                assert result.values[chip][i, j] == pytest.approx(options[chip].tco_usd, rel=EXACT)
            assert result.chips[result.cheapest[i, j]] == cheapest


def test_cheapest_matches_compare_across_a_crossing(scenario):
    # the 910C's utilisation decides between it and the H200
    utilizations = grid_values(0.05, 1, 0.05)
    result = sweep(scenario, [("chips.ascend_910c.utilization", utilizations)], metric="cheapest")
    assert result.values == {}
    winners = [result.chips[index] for index in result.cheapest]
    assert len(set(winners)) > 1
    for utilization, winner in zip(utilizations, winners):
        assert winner == compared(scenario, {"chips.ascend_910c.utilization": utilization})[1]


def test_set_on_the_command_line_gives_the_same_numbers(scenario):
    # a price written in yuan: the sweep takes USD, --set takes the file's syntax
    result = sweep(scenario, [("chips.ascend_910b.price", [100_000 * CNY, 150_000 * CNY])])
    for index, yuan in enumerate(("¥100k", "¥150k")):
        loaded = compare(load_scenario(H200, sets=[f"chips.ascend_910b.price={yuan}"])).orders[0]
        for option in loaded.options:
            assert result.values[option.chip][index] == pytest.approx(option.tco_usd, rel=EXACT)


def test_a_budget_order_buys_fewer_units_when_its_chip_gets_dearer(write_scenario):
    scenario = load_scenario(write_scenario("""\
        chips:
          a: {price: 20k, tflops: {bf16: 1000}}
          b: {price: 25k, tflops: {bf16: 1000}}
        orders:
          - chip: a
            budget: 100M
        """))
    prices = [10_000.0, 20_000.0, 40_000.0]
    result = sweep(scenario, [("chips.a.price", prices)], metric="units")
    assert list(result.values["a"]) == pytest.approx([1e8 / price for price in prices], rel=EXACT)
    assert result.order == "order-1"


def test_varying_an_exchange_rate_rescales_amounts_in_its_currency(scenario):
    rates = [0.12, 0.15]
    result = sweep(scenario, [("assumptions.fx.CNY", rates), ("chips.h200.price", [25_000.0, 30_000.0])])
    for i, rate in enumerate(rates):
        for j, price in enumerate(result.axes[1]):
            # the rate first, then the swept price as given, in USD
            changed = with_values(scenario, {"assumptions.fx.CNY": rate})
            changed = with_values(changed, {"chips.h200.price": price})
            for option in compare(changed).orders[0].options:
                assert result.values[option.chip][i, j] == pytest.approx(option.tco_usd, rel=EXACT)


def test_a_large_grid_is_evaluated_in_blocks_of_rows_with_the_same_result(scenario, monkeypatch):
    varies = [("chips.h200.levy_rate", grid_values(0, 0.9, 0.1)),
              ("chips.h200.price", grid_values(20e3, 40e3, 5e3))]
    whole = sweep(scenario, varies)
    monkeypatch.setattr(sweep_module, "BLOCK_POINTS", 7)  # one row of 5 points at a time
    blocked = sweep(scenario, varies)
    assert np.array_equal(whole.cheapest, blocked.cheapest)
    for chip in whole.chips:
        assert np.array_equal(whole.values[chip], blocked.values[chip])


def test_the_order_is_chosen_by_index(write_scenario):
    scenario = load_scenario(write_scenario("""\
        chips:
          a: {price: 20k, tflops: {bf16: 1000}}
          b: {price: 25k, tflops: {bf16: 500}}
        orders:
          - {name: small, chip: a, units: 10}
          - {name: large, chip: b, units: 1000}
        """))
    result = sweep(scenario, [("chips.a.price", [30_000.0])], order=1)
    assert result.order == "large"
    # the demand is the large order's: 1000 units of b at 500 TFLOP/s, met by 500 units of a
    assert result.values["a"][0] == pytest.approx(500 * 30_000, rel=EXACT)


# Mistakes, each with a way out ---------------------------------------------------


@pytest.mark.parametrize(("varies", "metric", "order", "message"), [
    ([("chips.h200.price", [1.0])], "tco", 0, r"unknown metric 'tco'; did you mean 'tco_usd'\?"),
    ([("chips.h200.prize", [1.0])], "tco_usd", 0,
     r"not a numeric input .*nearest numeric inputs: chips.h200.price"),
    ([("chips.h200.supply_units", [1.0])], "tco_usd", 0, r"not set in it; give it a value"),
    ([("assumptions.precision", [1.0])], "tco_usd", 0, r"not a numeric input"),
    ([("chips.h200.levy_rate", [0.2, 1.0])], "tco_usd", 0,
     r"chips.h200.levy_rate: must be below 100% \(got 100%\)"),
    ([("chips.h200.price", [-5.0])], "tco_usd", 0, r"must be positive"),
    ([("chips.h200.price", [float("nan")])], "tco_usd", 0, r"finite"),
    ([("chips.h200.price", [])], "tco_usd", 0, r"at least one value"),
    ([], "tco_usd", 0, r"varies one or two inputs \(got 0\)"),
    ([("chips.h200.price", [1.0]), ("chips.h20.price", [1.0]), ("chips.a.price", [1.0])], "tco_usd", 0,
     r"varies one or two inputs \(got 3\)"),
    ([("chips.h200.price", [1.0]), ("chips.h200.price", [2.0])], "tco_usd", 0, r"varied twice"),
    ([("chips.h200.price", [1.0])], "tco_usd", 3, r"no order 3 .*numbered from 0: 0 \(approved-2026\)"),
])
def test_mistakes_are_usage_errors_that_say_how_to_fix(scenario, varies, metric, order, message):
    with pytest.raises(UsageError, match=message):
        sweep(scenario, varies, metric=metric, order=order)


def test_too_large_a_two_way_grid_is_refused(scenario):
    axis = np.linspace(1e3, 1e5, 4000)
    with pytest.raises(UsageError, match="more than 10,000,000; use a larger step"):
        sweep(scenario, [("chips.h200.price", axis), ("chips.h20.price", axis)])


# Grids ---------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "stop", "step", "expected"), [
    (0, 0.5, 0.1, [0, 0.1, 0.2, 0.3, 0.4, 0.5]),  # decimals stay decimals: 0.3, not 0.30000000000000004
    (0, 1, 0.1, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]),
    (0, 1, 0.3, [0, 0.3, 0.6, 0.9]),  # stop off the grid: not included
    (25_000, 30_000, 1_000, [25_000, 26_000, 27_000, 28_000, 29_000, 30_000]),
    (5, 5, 1, [5]),
    (-1, 1, 0.5, [-1, -0.5, 0, 0.5, 1]),
    (0, 1 + 1e-12, 0.25, [0, 0.25, 0.5, 0.75, 1 + 1e-12]),  # within 1e-9 of a step: on the grid, ends at stop
    (0, 1 - 1e-12, 0.25, [0, 0.25, 0.5, 0.75, 1 - 1e-12]),
    (0.1, 0.7, 0.2, [0.1, 0.3, 0.5, 0.7]),
])
def test_grid_values(start, stop, step, expected):
    values = grid_values(start, stop, step)
    assert values.tolist() == expected  # exactly: each value is the double nearest the decimal


def test_grid_values_for_steps_not_written_as_short_decimals():
    values = grid_values(0, 1, 1 / 3)
    assert len(values) == 4 and values[-1] == 1.0
    assert values[:3] == pytest.approx([0, 1 / 3, 2 / 3], rel=EXACT)
    tiny = grid_values(1e-5, 1e-4, 1e-5)
    assert len(tiny) == 10 and tiny[-1] == 1e-4


@pytest.mark.parametrize(("start", "stop", "step", "message"), [
    (0, 1, 0, "step must be positive"),
    (0, 1, -0.1, "step must be positive"),
    (2, 1, 0.1, "start 2 is above its stop 1"),
    (0, 1, 1e-7, "more than 10,000,000 points"),
    (0, float("inf"), 1, "stop must be a finite number"),
])
def test_grid_values_mistakes(start, stop, step, message):
    with pytest.raises(UsageError, match=message):
        grid_values(start, stop, step)


def test_a_grid_of_exactly_ten_million_points_is_allowed():
    assert len(grid_values(1, 10_000_000, 1)) == 10_000_000


# Where the cheapest option changes ---------------------------------------------

WORKED = """\
    assumptions: {lifetime_years: 4, electricity_usd_per_kwh: 0}
    chips:
      a: {price: $20k, tflops: {bf16: 1000}, utilization: 50%}
      b: {price: $11k, tflops: {bf16: 1000}, utilization: 20%}
    orders:
      - {chip: a, units: 1000}
    """


@pytest.mark.parametrize("metric", ["tco_usd", "vs_order", "cheapest"])
def test_a_change_of_the_cheapest_option_is_solved_for_not_put_at_the_grid_midpoint(write_scenario, metric):
    # No running costs: T_a = 1000 x $20k = $20M for D = 1000 x 1000 x 50% = 500k TFLOP/s; b needs
    # 500k / (1000 u) units, T_b = 500 / u x $11k = $5.5M / u, equal to T_a at u = 5.5 / 20 = 27.5%.
    # On the grid 10%, 20%, ..., 50% the change is between 20% and 30%: the midpoint would say 25%,
    # interpolating the TCOs linearly 20% + 10% x 7.5 / (7.5 + 1.667) = 28.2%.
    scenario = load_scenario(write_scenario(WORKED))
    result = sweep(scenario, [("chips.b.utilization", grid_values(0.1, 0.5, 0.1))], metric=metric)
    (change,) = result.changes
    assert (change.before, change.after) == ("a", "b")
    assert change.value == pytest.approx(0.275, rel=1e-14)


def test_the_change_is_where_the_goal_seek_puts_it(scenario):
    from chipcalc.analysis.solve import goal_seek

    result = sweep(scenario, [("chips.ascend_910c.utilization", grid_values(0.2, 0.6, 0.1))], metric="vs_order")
    (change,) = result.changes
    assert (change.before, change.after) == ("h200", "ascend_910c")
    seek = goal_seek(scenario, "chips.ascend_910c.utilization", "ascend_910c")  # a units order: D is fixed
    assert change.value == pytest.approx(seek.value, rel=1e-12)


def test_a_sweep_of_two_inputs_or_without_a_change_lists_none(scenario):
    assert sweep(scenario, [("chips.h200.price", [20e3, 25e3])]).changes == ()
    two = sweep(scenario, [("chips.h200.levy_rate", [0.0, 0.5]), ("assumptions.levy_pass_through", [0.0, 1.0])])
    assert two.changes == ()


# Metrics: every figure of an option ------------------------------------------------


def test_every_number_of_an_option_in_the_compare_json_is_a_metric():
    import json

    from chipcalc.analysis.common import OPTION_METRICS
    from chipcalc.documents import Command, VIEWS
    from chipcalc.model import option_figures

    document = VIEWS[Command.COMPARE].document([compare(load_scenario(H200))])
    option = document["scenarios"][0]["orders"][0]["options"][0]
    numbers = {key for key, value in json.loads(json.dumps(option)).items()
               if isinstance(value, float) or (value is None and key == "usd_per_million_tokens")}
    assert set(OPTION_METRICS) == numbers
    figures = compare(load_scenario(H200)).chips["h200"]
    assert set(option_figures(1.0, figures, 1.0)) == set(OPTION_METRICS)  # the model gives them all


def test_a_sweep_of_the_levy_per_unit_worked_by_hand(scenario):
    # h200: levy 25% of a 100% base, pass-through 0%, so b = p and L = 0.25 * p
    result = sweep(scenario, [("chips.h200.price", [20_000.0, 40_000.0])], metric="levy_per_unit_usd")
    assert list(result.values["h200"]) == pytest.approx([0.25 * 20_000, 0.25 * 40_000], rel=EXACT)
    buyer = sweep(scenario, [("chips.h200.price", [20_000.0, 40_000.0])], metric="buyer_price_usd")
    assert list(buyer.values["h200"]) == pytest.approx([20_000.0, 40_000.0], rel=EXACT)


def test_a_cost_per_token_without_flops_per_token_says_what_it_needs(scenario):
    assert scenario.workload.flops_per_token is None
    with pytest.raises(UsageError) as error:
        sweep(scenario, [("chips.h200.price", [20_000.0])], metric="usd_per_million_tokens")
    assert str(error.value) == ("usd_per_million_tokens has no value here: the scenario gives no "
                                "workload.flops_per_token (FLOPs per token)")
