"""Goal seek, held to MODEL.md's closed-form breakevens and to a brute-force scan.

Where a closed form and the solver both apply they must agree within 1e-9
relative; where the closed form is out of range (or has no value), the solver
searches only the input's valid range and reports no crossing there.
"""

from __future__ import annotations

import math
import tempfile
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chipcalc.analysis.solve import (
    EQUAL_EVERYWHERE,
    NO_CROSSING,
    find_crossing,
    goal_seek,
    search_bounds,
)
from chipcalc.errors import UsageError
from chipcalc.loader import load_scenario
from chipcalc.model import compare
from chipcalc.scenario import Scenario
from chipcalc.paths import spec_at, with_values

from .conftest import SCENARIOS
from .test_model import PAIR, RICH
from .strategies import amount, chip_text

AGREE = 1e-9  # solver vs closed form (MODEL.md)


def load(text: str) -> Scenario:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "scenario.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_scenario(path)


def closed_forms(scenario: Scenario, option: str = "c", order: int = 0):
    found = compare(scenario).orders[order]
    return next(o for o in found.options if o.chip == option).breakeven


def tcos(scenario: Scenario, a: str = "a", c: str = "c") -> tuple[float, float]:
    options = {o.chip: o for o in compare(scenario).orders[0].options}
    return options[a].tco_usd, options[c].tco_usd


def units_of(scenario: Scenario, option: str) -> float:
    return next(o for o in compare(scenario).orders[0].options if o.chip == option).units


def agrees(seek, closed: float, rounding: float = 0.0) -> None:
    """`rounding`: what the costs' own rounding leaves uncertain in the crossing, absolutely."""
    assert seek.reason is None, seek
    assert seek.value == pytest.approx(closed, rel=AGREE, abs=max(rounding, AGREE if closed == 0 else 0))


# The closed forms of MODEL.md, case by case -----------------------------------
# As in test_model (its PAIR): a is the order's chip, c the option; cann costs M = 1M.

A100 = "{price: 20000, tflops: {bf16: 100}}"
LEVY_A = "{{price: 10000, levy_rate: 0.1, levy_base: {s}, tflops: {{bf16: 100}}}}"
PRICE_C = "{platform: cann, price: 15000, levy_rate: 0.2, tflops: {bf16: 200}, host_cost: 1000}"


def utilization_c(price: float) -> str:
    return f"{{platform: cann, price: {price}, tflops: {{bf16: 100}}, utilization: 0.5}}"


def levy_c(price: float) -> str:
    return f"{{price: {price}, tflops: {{bf16: 100}}}}"


CASES = [
    # id, a, c, t, units, path, breakeven field, expected: "agree" or the solver's reason
    # 1. demand, varied through the order's units: D* / e_a
    pytest.param(A100, "{platform: cann, price: 10000, tflops: {bf16: 100}}", 0, 1000,
                 "orders[0].units", "demand_tflops", "agree", id="demand: pays above"),
    pytest.param("{platform: cann, price: 10000, tflops: {bf16: 100}}", A100, 0, 1000,
                 "orders[0].units", "demand_tflops", "agree", id="demand: pays below"),
    pytest.param(A100, "{price: 10000, tflops: {bf16: 100}}", 0, 1000,
                 "orders[0].units", "demand_tflops", NO_CROSSING, id="demand: always"),
    pytest.param("{platform: cann, price: 20000, tflops: {bf16: 100}}", "{price: 10000, tflops: {bf16: 50}}",
                 0, 1000, "orders[0].units", "demand_tflops", NO_CROSSING, id="demand: den=0, always"),
    pytest.param("{price: 10000, tflops: {bf16: 100}}", "{platform: cann, price: 20000, tflops: {bf16: 100}}",
                 0, 1000, "orders[0].units", "demand_tflops", NO_CROSSING, id="demand: never"),
    pytest.param(A100, "{price: 10000, tflops: {bf16: 50}}", 0, 1000,
                 "orders[0].units", "demand_tflops", EQUAL_EVERYWHERE, id="demand: equal"),
    # 2. levy rate on a
    pytest.param(LEVY_A.format(s=0.8), levy_c(12000), 0.5, 1000, "chips.a.levy_rate", "levy_rate", "agree",
                 id="levy: r* = g/(t+g)/s"),
    pytest.param(LEVY_A.format(s=1), levy_c(11000), 1, 1000, "chips.a.levy_rate", "levy_rate", "agree",
                 id="levy: t=1"),
    pytest.param(LEVY_A.format(s=1), levy_c(9000), 0.5, 1000, "chips.a.levy_rate", "levy_rate", NO_CROSSING,
                 id="levy: g<0, always"),
    pytest.param(LEVY_A.format(s=1), levy_c(12000), 0, 1000, "chips.a.levy_rate", "levy_rate", NO_CROSSING,
                 id="levy: not passed through"),
    pytest.param(LEVY_A.format(s=1), levy_c(10000), 0, 1000, "chips.a.levy_rate", "levy_rate",
                 EQUAL_EVERYWHERE, id="levy: not passed through, already equal"),
    pytest.param(LEVY_A.format(s=0.5), levy_c(15000), 0.5, 1000, "chips.a.levy_rate", "levy_rate",
                 NO_CROSSING, id="levy: r* = 1, out of range"),
    pytest.param(LEVY_A.format(s=0.5), levy_c(20000), 0.25, 1000, "chips.a.levy_rate", "levy_rate",
                 NO_CROSSING, id="levy: r* > 1, out of range"),
    # 3. migration cost of c's platform (its whole migration cost, so M* itself)
    pytest.param(A100, "{platform: cann, price: 10000, tflops: {bf16: 100}}", 0, 1000,
                 "platforms.cann.migration_cost", "migration_cost_usd", "agree", id="migration: positive"),
    pytest.param(A100, "{platform: cann, price: 20000, tflops: {bf16: 100}}", 0, 1000,
                 "platforms.cann.migration_cost", "migration_cost_usd", "agree", id="migration: zero"),
    pytest.param(A100, "{platform: cann, price: 25000, tflops: {bf16: 100}}", 0, 1000,
                 "platforms.cann.migration_cost", "migration_cost_usd", NO_CROSSING,
                 id="migration: negative, out of range"),
    # 4. price of c
    pytest.param(A100, PRICE_C, 0.5, 1000, "chips.c.price", "price_usd", "agree", id="price: in range"),
    pytest.param(A100, PRICE_C, 0.5, 10, "chips.c.price", "price_usd", NO_CROSSING,
                 id="price: negative, out of range"),
    # 5. utilisation of c
    pytest.param(A100, utilization_c(10000), 0, 1000, "chips.c.utilization", "utilization", "agree",
                 id="utilization: in range"),
    pytest.param(A100, utilization_c(19000), 0, 1000, "chips.c.utilization", "utilization", "agree",
                 id="utilization: exactly 1"),
    pytest.param(A100, utilization_c(30000), 0, 1000, "chips.c.utilization", "utilization", NO_CROSSING,
                 id="utilization: above 1, out of range"),
    pytest.param(A100, utilization_c(10000), 0, 10, "chips.c.utilization", "utilization", NO_CROSSING,
                 id="utilization: T_a < M_c, never"),
    pytest.param(A100, utilization_c(10000), 0, 50, "chips.c.utilization", "utilization", NO_CROSSING,
                 id="utilization: T_a = M_c, never"),
]


def closed_value(found, field: str) -> float:
    """The closed form in the input's own terms: demand as units of the order's chip."""
    breakeven = getattr(found, field)
    return breakeven.order_units if field == "demand_tflops" else breakeven.value


@pytest.mark.parametrize(("a", "c", "t", "units", "path", "field", "expected"), CASES)
def test_goal_seek_matches_each_closed_form(a, c, t, units, path, field, expected):
    scenario = load(PAIR.format(a=a, c=c, t=t, units=units))
    seek = goal_seek(scenario, path, "c")
    found = closed_forms(scenario)
    if expected == "agree":
        agrees(seek, closed_value(found, field))
        assert getattr(found, field).reason is None
    else:
        assert (seek.value, seek.reason) == (None, expected)
        assert getattr(found, field).reason is not None  # the closed form has no in-range value either


# Every term of the model in play, for a units and a budget order ----------------

CANN_ENGINEERS = 100 * 20000  # the part of cann's migration that is not migration_cost


@pytest.mark.parametrize("quantity", ["units: 10k", "budget: 200M"])
def test_all_five_closed_forms_with_every_term(quantity):
    scenario = load(RICH.replace("{quantity}", quantity))
    found = closed_forms(scenario)
    buyer_price_a = compare(scenario).chips["a"].buyer_price_usd
    demand = ("orders[0].units", found.demand_tflops.order_units) if quantity.startswith("units") else (
        "orders[0].budget", found.demand_tflops.order_units * buyer_price_a)
    expected = {
        demand[0]: demand[1],
        "chips.a.levy_rate": found.levy_rate.value,
        "platforms.cann.migration_cost": found.migration_cost_usd.value - CANN_ENGINEERS,  # M* is the total
        "chips.c.price": found.price_usd.value,
        "chips.c.utilization": found.utilization.value,
    }
    for path, closed in expected.items():
        agrees(goal_seek(scenario, path, "c"), closed)


def test_budget_order_keeps_its_units_while_an_input_is_sought():
    # At the solved levy rate a re-run budget order would buy fewer units; the
    # solver holds them, as the closed form does, so the two agree.
    scenario = load(RICH.replace("{quantity}", "budget: 200M"))
    seek = goal_seek(scenario, "chips.a.levy_rate", "c")
    agrees(seek, closed_forms(scenario).levy_rate.value)
    units = compare(scenario).orders[0].units
    held = replace(scenario, orders=(replace(scenario.orders[0], units=units, budget_usd=None),))
    T_a, T_c = tcos(with_values(held, {"chips.a.levy_rate": seek.value}))
    assert T_a == pytest.approx(T_c, rel=AGREE)
    rerun = compare(with_values(scenario, {"chips.a.levy_rate": seek.value}))
    assert rerun.orders[0].units < units


@pytest.mark.parametrize("option", ["h20", "ascend_910c", "ascend_910b", "mlu590"])
def test_shipped_scenario_agrees_with_its_breakevens(option):
    scenario = load_scenario(SCENARIOS / "h200-2026.yaml")
    found = closed_forms(scenario, option)
    chip = scenario.chips[option]
    paths = {
        "orders[0].units": "demand_tflops",
        "chips.h200.levy_rate": "levy_rate",
        f"chips.{option}.price": "price_usd",
        f"chips.{option}.utilization": "utilization",
    }
    if chip.platform in scenario.platforms:
        paths[f"platforms.{chip.platform}.migration_cost"] = "migration_cost_usd"
    for path, field in paths.items():
        seek = goal_seek(scenario, path, option)
        if getattr(found, field).reason is None:
            closed = closed_value(found, field)
            if field == "migration_cost_usd":
                closed -= scenario.platforms[chip.platform].engineer_months * (
                    scenario.platforms[chip.platform].cost_per_engineer_month_usd)
            agrees(seek, closed)
        else:
            assert seek.value is None and seek.reason == NO_CROSSING, (path, seek)


# Property: the solver and every closed form agree on random pairs --------------


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=st.sampled_from(["cuda", "cann"]).flatmap(chip_text),
    c=st.sampled_from(["cuda", "cann", "rocm"]).flatmap(chip_text),
    t=st.one_of(st.just(0.0), st.just(1.0), st.floats(0.05, 1)),
    units=st.floats(1, 1e6),
    electricity=amount(1e-3, 0.3),
    cann=amount(1, 1e9),
    rocm=amount(1, 1e8),
)
def test_solver_agrees_with_closed_forms(a, c, t, units, electricity, cann, rocm):
    scenario = load(f"""\
        assumptions: {{levy_pass_through: {t!r}, electricity_usd_per_kwh: {electricity!r}, pue: 1.3}}
        platforms:
          cann: {{migration_cost: {cann!r}}}
          rocm: {{migration_cost: {rocm!r}}}
        chips:
          a: {a}
          c: {c}
        orders:
          - {{chip: a, units: {units!r}}}
        """)
    T_a, T_c = tcos(scenario)
    assume(abs(T_a - T_c) > 1e-6 * T_a)  # not already at a crossing
    found = closed_forms(scenario)
    paths = {
        "orders[0].units": "demand_tflops",
        "chips.a.levy_rate": "levy_rate",
        "chips.c.price": "price_usd",
        "chips.c.utilization": "utilization",
    }
    platform_c = scenario.chips["c"].platform
    if platform_c not in ("cuda", scenario.chips["a"].platform):
        paths[f"platforms.{platform_c}.migration_cost"] = "migration_cost_usd"
    for path, field in paths.items():
        seek = goal_seek(scenario, path, "c")
        if getattr(found, field).reason is None:
            closed = closed_value(found, field)
            if seek.low <= closed <= seek.high:  # a demand beyond the capped search is out of reach
                # M* = T_a - n_c k_c: a migration cost far below the TCOs is known only to their rounding;
                # so is a price p* = (T_a - M_c) / n_c - ..., to that rounding over the units n_c
                rounding = {"migration_cost_usd": 64 * 2.220446049250313e-16 * T_a,
                            "price_usd": 64 * 2.220446049250313e-16 * T_a / units_of(scenario, "c")}
                agrees(seek, closed, rounding.get(field, 0.0))
        else:
            assert seek.value is None, (path, getattr(found, field), seek)


# No closed form: the solver against a brute-force scan ----------------------------

BRUTE = """\
assumptions:
  electricity_usd_per_kwh: 0.1
  pue: 1.2
  lifetime_years: 4
  levy_pass_through: 0.5
  fx: {CNY: 0.14}
platforms:
  cann: {migration_cost: 2M}
chips:
  a: {price: 20000, levy_rate: 0.25, tflops: {bf16: 100}, power_w: 1500}
  c: {platform: cann, price: ¥180k, tflops: {bf16: 100}, power_w: 700}
orders:
  - chip: a
    budget: 20M
"""


def held_units(scenario: Scenario) -> Scenario:
    """The budget order as the units it buys at the scenario's prices (MODEL.md: demand held)."""
    units = compare(scenario).orders[0].units
    currencies = {path: code for path, code in scenario.currencies.items() if path != "orders[0].budget"}
    return replace(scenario, orders=(replace(scenario.orders[0], units=units, budget_usd=None),),
                   currencies=currencies)


def first_sign_change(function, grid: list[float]) -> tuple[float, float] | None:
    values = [function(x) for x in grid]
    for i in range(len(grid) - 1):
        if values[i] == 0 or (values[i] < 0) != (values[i + 1] < 0):
            return grid[i], grid[i + 1]
    return None


@pytest.mark.parametrize(
    ("path", "top"),
    [
        ("assumptions.pue", 10),
        ("chips.a.power_w", 10_000),
        ("chips.c.power_w", 10_000),
        ("assumptions.fx.CNY", 1),
        ("assumptions.levy_pass_through", 1),
        ("assumptions.lifetime_years", 100),
        ("chips.a.levy_base", 1),
    ],
)
def test_goal_seek_matches_a_brute_force_scan(path, top):
    scenario = load(BRUTE)
    seek = goal_seek(scenario, path, "c")
    held = held_units(scenario)

    def difference(x: float) -> float:
        T_a, T_c = tcos(with_values(held, {path: x}))
        return T_c - T_a

    grid = [seek.low + (min(top, seek.high) - seek.low) * i / 4000 for i in range(4001)]
    bracket = first_sign_change(difference, grid)
    if bracket is None:
        assert (seek.value, seek.reason) == (None, NO_CROSSING)
        return
    assert bracket[0] <= seek.value <= bracket[1]
    T_a, T_c = tcos(with_values(held, {path: seek.value}))
    assert T_c == pytest.approx(T_a, rel=AGREE)


def test_brute_force_scenario_has_crossings():
    # guards the table above: most of its inputs must cross, or it tests little
    scenario = load(BRUTE)
    crossing = [p for p in ("assumptions.pue", "chips.a.power_w", "chips.c.power_w", "assumptions.fx.CNY",
                            "assumptions.levy_pass_through", "assumptions.lifetime_years")
                if goal_seek(scenario, p, "c").value is not None]
    assert len(crossing) == 6


def test_exchange_rate_rescales_only_amounts_written_in_that_currency():
    # c's ¥ price moves with fx, a's $ price does not: at the solved rate the costs are equal
    scenario = load(BRUTE.replace("budget: 20M", "budget: ¥150M"))
    seek = goal_seek(scenario, "assumptions.fx.CNY", "c")
    T_a, T_c = tcos(with_values(held_units(scenario), {"assumptions.fx.CNY": seek.value}))
    assert T_c == pytest.approx(T_a, rel=AGREE)


# The range searched ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("path", "current", "expected"),
    [
        ("chips.x.levy_rate", 0.25, (0.0, 1 - 1e-12)),  # [0, 1): just below 1
        ("chips.x.utilization", 0.5, (0.5e-12, 1.0)),  # (0, 1]: just above 0
        ("chips.x.levy_base", 1.0, (1e-12, 1.0)),
        ("assumptions.levy_pass_through", 0.5, (0.0, 1.0)),
        ("chips.x.price", 30000, (30000e-12, 1e15)),  # unbounded: up to 1e15, the largest input ...
        ("orders[0].budget", 40e9, (40e9 * 1e-12, 1e15)),  # ... however large the value is now
        ("platforms.p.migration_cost", 0.0, (0.0, 1e15)),  # or small
        ("assumptions.pue", 1.3, (1.0, 1e15)),
        ("assumptions.fx.CNY", 0.139, (0.139e-12, 1e15)),
        ("assumptions.electricity_usd_per_kwh", 0.08, (0.0, 1e15)),
    ],
)
def test_search_bounds(path, current, expected):
    low, high = search_bounds(spec_at(path), current)
    assert (low, high) == pytest.approx(expected, rel=1e-12)


def test_seek_reports_the_range_searched():
    seek = goal_seek(load(PAIR.format(a=A100, c=PRICE_C, t=0.5, units=1000)), "chips.c.utilization", "c")
    assert (seek.low, seek.high) == (1e-12, 1.0)
    assert (seek.path, seek.order, seek.option) == ("chips.c.utilization", "order-1", "c")


# Root finding ----------------------------------------------------------------------

def test_crossing_refined_to_full_precision():
    # sqrt(2) lies between two scan points of [1, 2]; brentq must close in on it to the last bits
    value, reason = find_crossing(lambda x: (x * x, 2.0), 1, 2)
    assert reason is None and value == pytest.approx(math.sqrt(2), rel=1e-15)


def test_tiny_crossing_refined_relative_to_itself():
    # an absolute tolerance (brentq's default xtol is 2e-12) would stop far from a root near 1e-20
    value, reason = find_crossing(lambda x: (x, 3e-20), 0, 1e-18)
    assert reason is None and value == pytest.approx(3e-20, rel=1e-14)


def test_find_crossing_takes_the_first_sign_change():
    value, reason = find_crossing(lambda x: (math.sin(x), 0.0), 1, 10)  # crosses at pi and 2 pi
    assert reason is None and value == pytest.approx(math.pi, rel=1e-15)


@pytest.mark.parametrize(
    ("costs", "bounded", "expected"),
    [
        pytest.param(lambda x: (x + 1, 0.0), (True, True), (None, NO_CROSSING), id="none"),
        pytest.param(lambda x: (x, x), (True, True), (None, EQUAL_EVERYWHERE), id="equal"),
        pytest.param(lambda x: (x, 3.0), (True, True), (3.0, None), id="on a scan point"),
        pytest.param(lambda x: (x, 0.0), (True, True), (0.0, None), id="at the low bound"),
        pytest.param(lambda x: (255.0, x), (True, True), (255.0, None), id="at the high bound"),
        pytest.param(lambda x: (x, 0.0), (False, True), (None, NO_CROSSING), id="low end not a bound"),
        pytest.param(lambda x: (255.0, x), (True, False), (None, NO_CROSSING), id="high end not a bound"),
        # a fixed difference of 1 lost in costs of 1e20: rounding, not a crossing
        pytest.param(lambda x: (x * 1e18 + 1, x * 1e18), (True, False), (None, NO_CROSSING),
                     id="difference swamped by rounding"),
        pytest.param(lambda x: (math.nan, 0.0), (True, True), (None, NO_CROSSING), id="not a number"),
    ],
)
def test_find_crossing_cases(costs, bounded, expected):
    value, reason = find_crossing(costs, 0, 255, bounded)
    assert reason == expected[1]
    assert value == (None if expected[0] is None else pytest.approx(expected[0], rel=1e-15))


# Mistakes -------------------------------------------------------------------------

BUDGET = PAIR.format(a=A100, c=PRICE_C, t=0, units=1000).replace("units: 1000", "budget: 20M")


@pytest.mark.parametrize(
    ("text", "path", "option", "order", "message"),
    [
        (BUDGET, "chips.a.name", "c", 0, "chips.a.name is not a numeric input of this scenario "
                                          "(chips.a.name is text, not a number)"),
        (BUDGET, "chips.a.prize", "c", 0, "nearest numeric inputs: chips.a.price"),
        (BUDGET, "chips.zz.price", "c", 0, "nearest numeric inputs: chips.c.price, chips.a.price"),
        (BUDGET, "chips.a.supply_units", "c", 0, "is not set in it; give it a value in the scenario first"),
        (BUDGET, "chips..price", "c", 0, "is not a path"),
        (BUDGET, "chips.c.price", "cc", 0, "unknown option 'cc'; did you mean 'c'?; chips are: a, c"),
        (BUDGET, "chips.c.price", "a", 0, "option 'a' is the chip order 'order-1' buys; "
                                          "compare it with another chip: c"),
        (BUDGET, "chips.c.price", "c", 1,
         "no order 1 in this scenario; orders are numbered from 0: 0 (order-1)"),
        (BUDGET, "chips.c.price", "c", -1, "no order -1"),
        (BUDGET, "orders[0].units", "c", 0, "orders[0] is given as a budget, not units; "
                                            "seek orders[0].budget to vary its demand"),
        (PAIR.format(a=A100, c=PRICE_C, t=0, units=1000), "orders[0].budget", "c", 0,
         "orders[0] is given as units, not a budget; seek orders[0].units to vary its demand"),
        ("chips:\n  a: {price: 1, tflops: {bf16: 1}}\n  c: {price: 1, tflops: {bf16: 1}}\n",
         "chips.a.price", "c", 0, "the scenario has no orders"),
    ],
)
def test_mistakes_say_how_to_fix_them(text, path, option, order, message):
    with pytest.raises(UsageError) as error:
        goal_seek(load(text), path, option, order)
    assert message in str(error.value)


def test_seek_on_the_order_budget_varies_demand():
    scenario = load(BUDGET)
    seek = goal_seek(scenario, "orders[0].budget", "c")
    found = closed_forms(scenario)
    agrees(seek, found.demand_tflops.order_units * compare(scenario).chips["a"].buyer_price_usd)


# The lifetime breakeven (MODEL.md, breakeven 6) and the discount rate -----------

PAYBACK = """\
assumptions: {{electricity_usd_per_kwh: 0.1, lifetime_years: {life}, discount_rate: {d}}}
chips:
  a: {{price: 10000, tflops: {{bf16: 100}}, power_w: 1000}}
  c: {{price: 15000, tflops: {{bf16: 100}}, power_w: 200}}
orders: [{{name: o, chip: a, units: 1000}}]
"""
# U = 1000 * (15000 - 10000) = 5M upfront; V = 1000 * (1000 - 200) / 1000 * 8760 * 0.1 = 700,800 a year
A_STAR = 5e6 / 700_800  # 7.1347 years of undiscounted savings repay the upfront cost


@pytest.mark.parametrize(("d", "expected"), [
    (0, A_STAR),  # d = 0: L* = A* = 7.1347 years
    (0.1, -math.log(1 - A_STAR * math.log(1.1)) / math.log(1.1)),  # 11.96 years
])
def test_goal_seek_on_the_lifetime_matches_the_lifetime_breakeven(d, expected):
    scenario = load(PAYBACK.format(life=4, d=d))
    found = closed_forms(scenario).lifetime_years
    assert (found.pays, found.reason) == ("after", None)
    assert found.value == pytest.approx(expected, rel=1e-12)
    agrees(goal_seek(scenario, "assumptions.lifetime_years", "c"), found.value)


def test_goal_seek_on_the_discount_rate_gives_the_rate_at_which_the_life_pays_back():
    # Over 10 years, switching pays at d = 0 (A = 10 > A*); the solved d* makes A(d*) = A*, so that
    # the lifetime breakeven at d* is the life itself.
    scenario = load(PAYBACK.format(life=10, d=0))
    seek = goal_seek(scenario, "assumptions.discount_rate", "c")
    assert seek.reason is None
    delta = math.log1p(seek.value)
    assert (1 - math.exp(-delta * 10)) / delta == pytest.approx(A_STAR, rel=AGREE)
    at_rate = load(PAYBACK.format(life=10, d=seek.value))
    assert closed_forms(at_rate).lifetime_years.value == pytest.approx(10, rel=AGREE)
