"""The fleet mix (MODEL.md, fleet mix), held to hand-worked examples and to an exhaustive solver.

The exhaustive solver here shares no code with chipcalc's: it tries every
subset of platforms, fills each greedily in cost per effective TFLOP/s when
only supply limits the fleet, or solves the LP in units (not shares) otherwise,
and pays each platform of the subset in full.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from dataclasses import replace

import pytest
from scipy.optimize import linprog

from chipcalc.analysis.mix import MixResult, optimal_mix
from chipcalc.loader import load_scenario
from chipcalc.model import ScenarioResult, compare
from chipcalc.scenario import Mix, MixRule

from .conftest import ROOT

NO_LIMITS = Mix(power_limit_mw=None, capex_limit_usd=None, rules=())
AGREE = 1e-6  # chipcalc vs the exhaustive solver


def limits(power_mw: float | None = None, capex_usd: float | None = None, *rules: MixRule) -> Mix:
    return Mix(power_limit_mw=power_mw, capex_limit_usd=capex_usd, rules=rules)


def rule(name: str, chips: tuple[str, ...], min_share: float | None = None,
         max_share: float | None = None) -> MixRule:
    return MixRule(name=name, chips=chips, min_share=min_share, max_share=max_share, source=None)


@pytest.fixture
def evaluate(write_scenario):
    """YAML text -> the evaluated scenario."""
    count = itertools.count()

    def run(text: str) -> ScenarioResult:
        return compare(load_scenario(write_scenario(text, f"mix-{next(count)}.yaml")))

    return run


def units(mix: MixResult) -> dict[str, float]:
    return {chip.chip: chip.units for chip in mix.chips}


def bound(mix: MixResult) -> list[tuple[str, str | None, str | None, float | None, str]]:
    return [(b.limit, b.chip, b.rule, b.marginal_value_usd, b.per) for b in mix.binding]


# Hand-worked examples ------------------------------------------------------------

SUPPLY = """
chips:
  a: {price: 10k, tflops: {bf16: 100}, supply_units: 600}
  b: {price: 15k, tflops: {bf16: 100}}
orders:
  - {chip: b, units: 1000}
"""


def test_supply_binds_and_the_rest_comes_from_the_next_chip(evaluate):
    # D = 1000 x 100 = 100,000 TFLOP/s. a costs $100 per TFLOP/s, b $150: all 600 a (60,000 TFLOP/s),
    # the other 40,000 from 400 b. TCO = 600 x 10k + 400 x 15k = 6M + 6M = 12M; b alone 15M.
    mix = optimal_mix(evaluate(SUPPLY), 0, NO_LIMITS)
    assert mix.feasible and mix.max_demand_tflops is None
    assert units(mix) == pytest.approx({"a": 600, "b": 400}, rel=1e-12)
    assert [chip.chip for chip in mix.chips] == ["a", "b"]  # largest share first
    assert [chip.share_of_demand for chip in mix.chips] == pytest.approx([0.6, 0.4], rel=1e-12)
    assert mix.tco_usd == pytest.approx(12e6, rel=1e-12)
    assert mix.capex_usd == pytest.approx(12e6, rel=1e-12)
    assert (mix.migration_usd, mix.levy_usd) == (0.0, 0.0)
    assert mix.order_chip_tco_usd == pytest.approx(15e6, rel=1e-12)
    assert mix.vs_order == pytest.approx(12 / 15 - 1, rel=1e-12)
    # one more a replaces one b: saves 15k - 10k = $5,000 per unit
    assert bound(mix) == [("supply", "a", None, pytest.approx(5000, rel=1e-9), "unit")]


def test_levy_of_the_mix(evaluate):
    # a at a 25% levy, passed through in full: b_a = 10k / (1 - 0.25) = 13,333.33, L_a = 3,333.33 a unit.
    # 600 a + 400 b: levy 600 x 3,333.33 = 2M; TCO = 600 x 13,333.33 + 400 x 15k = 8M + 6M = 14M.
    text = SUPPLY.replace("supply_units: 600}", "supply_units: 600, levy_rate: 25%}")
    mix = optimal_mix(evaluate(text + "assumptions: {levy_pass_through: 1}\n"), 0, NO_LIMITS)
    assert units(mix) == pytest.approx({"a": 600, "b": 400}, rel=1e-12)
    assert mix.levy_usd == pytest.approx(2e6, rel=1e-12)
    assert mix.tco_usd == pytest.approx(14e6, rel=1e-12)
    assert {chip.chip: chip.levy_usd for chip in mix.chips} == pytest.approx({"a": 2e6, "b": 0.0})


MIGRATION = """
chips:
  a: {{price: 10k, tflops: {{bf16: 100}}}}
  c: {{price: 8k, tflops: {{bf16: 100}}, platform: cann}}
platforms:
  cann: {{migration_cost: {migration}}}
orders:
  - {{chip: a, units: 1000}}
"""


@pytest.mark.parametrize(("migration", "expected_units", "tco"), [
    # c: 1000 x 8k = 8M + 5M migration = 13M > a's 10M: not worth it
    pytest.param("5M", {"a": 1000}, 10e6, id="not worth its migration"),
    # with 1M: 8M + 1M = 9M < 10M: all c, and the migration paid once
    pytest.param("1M", {"c": 1000}, 9e6, id="worth it"),
])
def test_a_platform_is_used_only_when_it_repays_its_migration(evaluate, migration, expected_units, tco):
    mix = optimal_mix(evaluate(MIGRATION.format(migration=migration)), 0, NO_LIMITS)
    assert units(mix) == pytest.approx(expected_units, rel=1e-12)
    assert mix.tco_usd == pytest.approx(tco, rel=1e-12)
    assert mix.migration_usd == (1e6 if "c" in expected_units else 0.0)
    assert mix.binding == ()


POWER = """
assumptions: {pue: 1.25}
chips:
  a: {price: 10k, tflops: {bf16: 100}, power_w: 1000}
  b: {price: 12k, tflops: {bf16: 100}, power_w: 500}
orders:
  - {chip: a, units: 1000}
"""


def test_the_power_limit_binds(evaluate):
    # x_a + x_b = 1000 (same TFLOP/s); 1.25 (1000 x_a + 500 x_b) <= 1 MW = 1e6 W, so
    # 1000 x_a + 500 x_b <= 800,000: 500 x_a <= 300,000, x_a = 600, x_b = 400.
    # TCO = 600 x 10k + 400 x 12k = 6M + 4.8M = 10.8M.
    mix = optimal_mix(evaluate(POWER), 0, limits(power_mw=1.0))
    assert units(mix) == pytest.approx({"a": 600, "b": 400}, rel=1e-12)
    assert mix.tco_usd == pytest.approx(10.8e6, rel=1e-12)
    # one more MW is 1e6 / 1.25 = 800,000 W at the chips: 1,600 swaps of b for a (500 W each),
    # each saving 12k - 10k = 2k: $3.2M per MW
    assert bound(mix) == [("power", None, None, pytest.approx(3.2e6, rel=1e-9), "MW")]


QUOTA = """
chips:
  a: {price: 10k, tflops: {bf16: 100}}
  d: {price: 12k, tflops: {bf16: 100}, platform: cann}
platforms:
  cann: {migration_cost: 1M}
orders:
  - {chip: a, units: 1000}
"""


def test_a_quota_binds(evaluate):
    # 30% of D = 30,000 TFLOP/s from d: 300 d and 700 a.
    # TCO = 700 x 10k + 300 x 12k + 1M migration = 7M + 3.6M + 1M = 11.6M.
    mix = optimal_mix(evaluate(QUOTA), 0, limits(None, None, rule("domestic", ("d",), min_share=0.3)))
    assert units(mix) == pytest.approx({"a": 700, "d": 300}, rel=1e-12)
    assert mix.tco_usd == pytest.approx(11.6e6, rel=1e-12)
    assert mix.migration_usd == 1e6
    assert mix.vs_order == pytest.approx(11.6 / 10 - 1, rel=1e-12)
    # one percentage point looser: 10 fewer d, 10 more a, saving 10 x 2k = $20,000
    assert bound(mix) == [
        ("min_share", None, "domestic", pytest.approx(20_000, rel=1e-9), "percentage_point")]


def test_a_share_cap_binds(evaluate):
    # a is capped at 50%: 500 a, 500 b. TCO = 500 x 10k + 500 x 15k = 5M + 7.5M = 12.5M.
    mix = optimal_mix(evaluate(SUPPLY.replace(", supply_units: 600", "")), 0,
                      limits(None, None, rule("cap", ("a",), max_share=0.5)))
    assert units(mix) == pytest.approx({"a": 500, "b": 500}, rel=1e-12)
    assert mix.tco_usd == pytest.approx(12.5e6, rel=1e-12)
    # one point more: 10 b become a, saving 10 x 5k = $50,000
    assert bound(mix) == [("max_share", None, "cap", pytest.approx(50_000, rel=1e-9), "percentage_point")]


CAPEX = """
assumptions: {electricity_usd_per_kwh: 0.1, lifetime_years: 4}
chips:
  a: {price: 9k, tflops: {bf16: 100}, power_w: 1000}
  b: {price: 12k, tflops: {bf16: 100}}
orders:
  - {chip: a, units: 1000}
"""


def test_the_capex_limit_binds(evaluate):
    # E_a = 1 kW x 8760 h x 4 years x $0.1 = $3,504, so k_a = 9k + 3,504 = 12,504 > k_b = 12,000:
    # b alone is cheapest (12M) but needs 12M of capex. Within 10.5M: 9k x_a + 12k x_b <= 10.5M with
    # x_a + x_b = 1000 gives 9M + 3k x_b <= 10.5M: x_b = 500, x_a = 500.
    # TCO = 500 x 12,504 + 500 x 12,000 = 6,252,000 + 6,000,000 = 12,252,000.
    mix = optimal_mix(evaluate(CAPEX), 0, limits(capex_usd=10.5e6))
    assert units(mix) == pytest.approx({"a": 500, "b": 500}, rel=1e-12)
    assert mix.tco_usd == pytest.approx(12_252_000, rel=1e-12)
    assert mix.capex_usd == pytest.approx(10.5e6, rel=1e-12)
    # one more dollar buys 1/3,000 of a swap of a for b, each saving 504: 504 / 3,000 = $0.168 per dollar
    assert bound(mix) == [("capex", None, None, pytest.approx(0.168, rel=1e-9), "usd")]


def test_infeasible_supply_gives_the_largest_demand(evaluate):
    # 300 a + 200 b = 500 units x 100 TFLOP/s = 50,000 of the 100,000 TFLOP/s asked for
    text = SUPPLY.replace("supply_units: 600", "supply_units: 300").replace(
        "bf16: 100}}", "bf16: 100}, supply_units: 200}")
    mix = optimal_mix(evaluate(text), 0, NO_LIMITS)
    assert not mix.feasible
    assert mix.max_demand_tflops == pytest.approx(50_000, rel=1e-12)
    assert (mix.tco_usd, mix.levy_usd, mix.migration_usd, mix.capex_usd, mix.vs_order) == (None,) * 5
    assert mix.chips == ()
    assert mix.order_chip_tco_usd == pytest.approx(15e6, rel=1e-12)
    assert bound(mix) == [("supply", "a", None, None, "unit"), ("supply", "b", None, None, "unit")]


def test_infeasible_power_gives_the_largest_demand(evaluate):
    # b is the thriftier chip, 1.25 x 500 W = 625 W per 100 TFLOP/s: 0.5 MW runs 800 b, 80,000 TFLOP/s
    mix = optimal_mix(evaluate(POWER), 0, limits(power_mw=0.5))
    assert not mix.feasible
    assert mix.max_demand_tflops == pytest.approx(80_000, rel=1e-12)
    assert bound(mix) == [("power", None, None, None, "MW")]


def test_infeasible_quota_share_relative_to_the_largest_demand(evaluate):
    # a 40% quota on d, whose supply is 200 (20,000 TFLOP/s): the fleet may be at most 20,000 / 0.4 = 50,000
    text = QUOTA.replace("platform: cann}", "platform: cann, supply_units: 200}")
    mix = optimal_mix(evaluate(text), 0, limits(None, None, rule("domestic", ("d",), min_share=0.4)))
    assert not mix.feasible
    assert mix.max_demand_tflops == pytest.approx(50_000, rel=1e-12)
    assert [(b.limit, b.chip, b.rule) for b in mix.binding] == [
        ("supply", "d", None), ("min_share", None, "domestic")]


# The exhaustive solver -------------------------------------------------------------


def exhaustive(result: ScenarioResult, mix_limits: Mix) -> tuple[float, float, dict[str, float]] | None:
    """(TCO, levy, units by chip) of the cheapest mix over every subset of platforms, or None."""
    scenario = result.scenario
    incumbent = scenario.assumptions.incumbent_platform
    others = sorted({chip.platform for chip in scenario.chips.values()} - {incumbent})
    best = None
    for size in range(len(others) + 1):
        for subset in itertools.combinations(others, size):
            allowed = [key for key, chip in scenario.chips.items() if chip.platform in (incumbent, *subset)]
            fleet = fill(result, allowed, mix_limits) if allowed else None
            if fleet is None:
                continue
            on = {scenario.chips[key].platform: key for key in allowed}  # a chip on each platform
            migration = sum(result.chips[on[p]].migration_usd for p in subset)
            tco = sum(x * result.chips[key].cost_per_unit_usd for key, x in fleet.items()) + migration
            if best is None or tco < best[0]:
                best = (tco, sum(x * result.chips[key].levy_per_unit_usd for key, x in fleet.items()), fleet)
    return best


def fill(result: ScenarioResult, allowed: list[str], mix_limits: Mix) -> dict[str, float] | None:
    """The cheapest units of the `allowed` chips for the first order's demand, or None."""
    demand = result.orders[0].demand_tflops
    figures = result.chips
    if mix_limits == NO_LIMITS:  # only supply binds: the cheapest TFLOP/s first
        fleet, left = {}, demand
        per_tflops = {k: figures[k].cost_per_unit_usd / figures[k].effective_tflops_per_unit for k in allowed}
        for key in sorted(allowed, key=per_tflops.__getitem__):
            supply = figures[key].chip.supply_units
            take = left / figures[key].effective_tflops_per_unit if supply is None else min(
                supply, left / figures[key].effective_tflops_per_unit)
            if take > 0:
                fleet[key] = take
                left -= take * figures[key].effective_tflops_per_unit
        return fleet if left <= 1e-9 * demand else None
    rows, bounds = [], []
    e = [figures[k].effective_tflops_per_unit for k in allowed]
    if mix_limits.power_limit_mw is not None:
        pue = result.scenario.assumptions.pue
        rows.append([figures[k].chip.power_w * pue / 1e6 for k in allowed])
        bounds.append(mix_limits.power_limit_mw)
    if mix_limits.capex_limit_usd is not None:
        rows.append([figures[k].buyer_price_usd + figures[k].chip.host_cost_usd for k in allowed])
        bounds.append(mix_limits.capex_limit_usd)
    for r in mix_limits.rules:
        inside = [ek if k in r.chips else 0.0 for k, ek in zip(allowed, e)]
        if r.min_share is not None:
            rows.append([-v for v in inside])
            bounds.append(-r.min_share * demand)
        if r.max_share is not None:
            rows.append(inside)
            bounds.append(r.max_share * demand)
    solved = linprog([figures[k].cost_per_unit_usd for k in allowed], A_ub=rows or None, b_ub=bounds or None,
                     A_eq=[e], b_eq=[demand], bounds=[(0, figures[k].chip.supply_units) for k in allowed],
                     method="highs")
    return dict(zip(allowed, solved.x)) if solved.status == 0 else None


PLATFORMS = ("cuda", "cann", "mlu")


def random_case(seed: int) -> tuple[str, Mix]:
    """A small random scenario (2-5 chips on up to 3 platforms, some supplies) and random limits."""
    rng = random.Random(seed)
    count = rng.randint(2, 5)
    keys = [f"c{i}" for i in range(count)]
    chips = {key: {"price": rng.uniform(5e3, 40e3), "tflops": {"bf16": rng.uniform(100, 2000)},
                   "utilization": rng.uniform(0.2, 1), "power_w": rng.randint(200, 1500),
                   "host_cost": rng.uniform(0, 10e3), "platform": rng.choice(PLATFORMS)} for key in keys}
    plain = seed % 3 == 0  # a third without supplies or rules, where power and capex bind more often
    for key in keys:
        if not plain and rng.random() < 0.5:
            chips[key]["supply_units"] = rng.randint(50, 800)
    order, units = rng.choice(keys), rng.randint(200, 1500)
    scenario = {
        "assumptions": {"electricity_usd_per_kwh": 0.08, "pue": 1.2},
        "chips": chips,
        "platforms": {p: {"migration_cost": rng.uniform(0, 3e6)} for p in PLATFORMS[1:]},
        "orders": [{"chip": order, "units": units}],
    }
    text = json.dumps(scenario)  # JSON is YAML
    if rng.random() < 0.3:
        return text, NO_LIMITS
    rules = tuple(
        rule(f"rule-{j}", tuple(rng.sample(keys, rng.randint(1, count))),
                 min_share=rng.choice([None, rng.uniform(0, 0.5)]),
             max_share=rng.choice([None, rng.uniform(0.5, 1)]))
        for j in range(0 if plain else rng.randint(0, 2))
    )
    # limits around what the fleet of the chip cheapest to buy would need, so that some bind and some
    # cases are infeasible
    demand = units * chips[order]["tflops"]["bf16"] * chips[order]["utilization"]
    needed = {key: demand / (chip["tflops"]["bf16"] * chip["utilization"]) for key, chip in chips.items()}
    cheap = min(keys, key=lambda key: needed[key] * (chips[key]["price"] + chips[key]["host_cost"]))
    power_mw = needed[cheap] * chips[cheap]["power_w"] * 1.2 / 1e6 * rng.uniform(0.5, 1.05)
    capex_usd = needed[cheap] * (chips[cheap]["price"] + chips[cheap]["host_cost"]) * rng.uniform(0.9, 1.5)
    return text, limits(rng.choice([None, power_mw]), rng.choice([None, capex_usd]), *rules)


def assert_agrees(mix: MixResult, reference: tuple[float, float, dict[str, float]] | None) -> None:
    assert mix.feasible == (reference is not None)
    if reference is None:
        return
    tco, levy, fleet = reference
    assert mix.tco_usd == pytest.approx(tco, rel=AGREE)
    assert mix.levy_usd == pytest.approx(levy, rel=AGREE, abs=AGREE * tco)
    used = {key: x for key, x in fleet.items() if x > 1e-9 * sum(fleet.values())}
    assert units(mix) == pytest.approx(used, rel=AGREE)


@pytest.mark.parametrize("seed", range(120))
def test_agrees_with_the_exhaustive_solver(evaluate, seed):
    text, mix_limits = random_case(seed)
    result = evaluate(text)
    assert_agrees(optimal_mix(result, 0, mix_limits), exhaustive(result, mix_limits))


# Marginal values against finite differences ------------------------------------------


def relaxed(result: ScenarioResult, mix_limits: Mix, binding, step: float) -> tuple[ScenarioResult, Mix]:
    """The scenario and limits with one binding limit relaxed by `step` of its units."""
    if binding.limit == "supply":
        chip = result.scenario.chips[binding.chip]
        chips = {**result.scenario.chips, binding.chip: replace(chip, supply_units=chip.supply_units + step)}
        return compare(replace(result.scenario, chips=chips)), mix_limits
    if binding.limit == "power":
        return result, replace(mix_limits, power_limit_mw=mix_limits.power_limit_mw + step)
    if binding.limit == "capex":
        return result, replace(mix_limits, capex_limit_usd=mix_limits.capex_limit_usd + step)
    rules = tuple(
        r if r.name != binding.rule else replace(r, **(
            {"min_share": r.min_share - step / 100} if binding.limit == "min_share"
            else {"max_share": r.max_share + step / 100}))
        for r in mix_limits.rules
    )
    return result, replace(mix_limits, rules=rules)


STEPS = {"supply": 1e-3, "power": 1e-6, "capex": 1.0, "min_share": 1e-4, "max_share": 1e-4}
"""Small steps, in each limit's units, that stay on one linear piece of the LP's value."""


@pytest.mark.parametrize("seed", range(120))
def test_marginal_values_are_finite_differences(evaluate, seed):
    text, mix_limits = random_case(seed)
    result = evaluate(text)
    mix = optimal_mix(result, 0, mix_limits)
    for binding in mix.binding if mix.feasible else ():
        step = STEPS[binding.limit]
        wider, wider_limits = relaxed(result, mix_limits, binding, step)
        saved = (mix.tco_usd - optimal_mix(wider, 0, wider_limits).tco_usd) / step
        assert binding.marginal_value_usd > 0
        assert saved == pytest.approx(binding.marginal_value_usd, rel=1e-4), binding


@pytest.mark.parametrize(("text", "mix_limits", "step"), [
    pytest.param(POWER, limits(power_mw=1.0), 1e-3, id="power"),
    pytest.param(CAPEX, limits(capex_usd=10.5e6), 100.0, id="capex"),
    pytest.param(QUOTA, limits(None, None, rule("domestic", ("d",), min_share=0.3)), 0.1, id="min_share"),
    pytest.param(SUPPLY, NO_LIMITS, 1.0, id="supply"),
])
def test_hand_worked_marginal_values_are_finite_differences(evaluate, text, mix_limits, step):
    result = evaluate(text)
    mix = optimal_mix(result, 0, mix_limits)
    (binding,) = mix.binding
    wider, wider_limits = relaxed(result, mix_limits, binding, step)
    saved = (mix.tco_usd - optimal_mix(wider, 0, wider_limits).tco_usd) / step
    assert saved == pytest.approx(binding.marginal_value_usd, rel=1e-9)


# Properties --------------------------------------------------------------------------


def single_chip_fits(result: ScenarioResult, key: str, mix_limits: Mix) -> bool:
    """Whether the order's demand met by chip `key` alone keeps within supply and every limit."""
    option = next(option for option in result.orders[0].options if option.chip == key)
    chip = result.scenario.chips[key]
    power_mw = option.units * chip.power_w * result.scenario.assumptions.pue / 1e6
    return (option.feasible
            and (mix_limits.power_limit_mw is None or power_mw <= mix_limits.power_limit_mw)
            and (mix_limits.capex_limit_usd is None or option.capex_usd <= mix_limits.capex_limit_usd)
            and all((r.min_share is None or (1.0 if key in r.chips else 0.0) >= r.min_share)
                    and (r.max_share is None or (1.0 if key in r.chips else 0.0) <= r.max_share)
                    for r in mix_limits.rules))


@pytest.mark.parametrize("seed", range(120))
def test_never_dearer_than_the_cheapest_feasible_single_chip(evaluate, seed):
    text, mix_limits = random_case(seed)
    result = evaluate(text)
    mix = optimal_mix(result, 0, mix_limits)
    singles = [option.tco_usd for option in result.orders[0].options
               if single_chip_fits(result, option.chip, mix_limits)]
    if singles:
        assert mix.feasible and mix.tco_usd <= min(singles) * (1 + 1e-12)


def loosened(mix_limits: Mix) -> Mix:
    return Mix(
        None if mix_limits.power_limit_mw is None else mix_limits.power_limit_mw * 1.5,
        None if mix_limits.capex_limit_usd is None else mix_limits.capex_limit_usd * 1.5,
        tuple(replace(r, min_share=None if r.min_share is None else r.min_share / 2,
                      max_share=None if r.max_share is None else (1 + r.max_share) / 2)
              for r in mix_limits.rules),
    )


@pytest.mark.parametrize("seed", range(120))
def test_relaxing_the_limits_never_raises_the_cost(evaluate, seed):
    text, mix_limits = random_case(seed)
    result = evaluate(text)
    mix = optimal_mix(result, 0, mix_limits)
    for wider in (loosened(mix_limits), NO_LIMITS):
        looser = optimal_mix(result, 0, wider)
        assert looser.feasible or not mix.feasible
        if mix.feasible:
            assert looser.tco_usd <= mix.tco_usd * (1 + 1e-12)
        elif not looser.feasible:
            assert looser.max_demand_tflops >= mix.max_demand_tflops * (1 - 1e-12)


@pytest.mark.parametrize("seed", range(60))
def test_unlimited_it_is_the_cheapest_single_chip(evaluate, seed):
    text, _ = random_case(seed)
    scenario = evaluate(text).scenario
    unlimited = {key: replace(chip, supply_units=None) for key, chip in scenario.chips.items()}
    result = compare(replace(scenario, chips=unlimited))
    mix = optimal_mix(result, 0, NO_LIMITS)
    cheapest = result.orders[0].cheapest
    assert mix.tco_usd == pytest.approx(cheapest.tco_usd, rel=1e-12)
    assert [(chip.chip, chip.share_of_demand) for chip in mix.chips] == [(cheapest.chip, 1.0)]
    assert mix.binding == ()


# Near-ties: the optimum to 1e-9, below a MILP solver's default gap ----------------------

NEAR_TIE = """
chips:
  a: {{price: 10k, tflops: {{bf16: 100}}, supply_units: 900}}
  c: {{price: 20k, tflops: {{bf16: 100}}, platform: cann}}
  m: {{price: 20k, tflops: {{bf16: 100}}, platform: mlu}}
platforms:
  cann: {{migration_cost: {cann}}}
  mlu: {{migration_cost: {mlu}}}
orders:
  - {{chip: a, units: 1000}}
"""


@pytest.mark.parametrize("relative", [1e-5, 1e-7, 1e-9])
@pytest.mark.parametrize("cheaper", ["c", "m"])
def test_a_near_tie_between_two_platforms(evaluate, relative, cheaper):
    # 900 a (9M) and the last 100 units from c or m (2M) plus its platform's migration (1M): 12M.
    # The other platform costs `relative` x 12M more, far inside HiGHS's default 1e-4 gap.
    extra = relative * 12e6
    cann, mlu = (1e6, 1e6 + extra) if cheaper == "c" else (1e6 + extra, 1e6)
    mix = optimal_mix(evaluate(NEAR_TIE.format(cann=cann, mlu=mlu)), 0, NO_LIMITS)
    assert units(mix) == pytest.approx({"a": 900, cheaper: 100}, rel=1e-12)
    assert mix.tco_usd == pytest.approx(12e6, rel=1e-14)


def near_tie_case(seed: int) -> tuple[str, Mix]:
    """Chips within 1e-4 of one another in price on four platforms, migration a few thousandths of the
    fleet: many platform choices within the default gap of the best."""
    rng = random.Random(seed)
    chips = {"c0": {"price": 10e3, "tflops": {"bf16": 100}, "power_w": rng.uniform(300, 1000),
                    "supply_units": rng.randint(300, 900)}}
    for i in range(1, rng.randint(3, 6)):
        chips[f"c{i}"] = {"price": 20e3 * (1 + rng.uniform(-1e-4, 1e-4)), "tflops": {"bf16": 100},
                          "platform": rng.choice(["p1", "p2", "p3", "p4"]), "power_w": rng.uniform(300, 1000)}
        if rng.random() < 0.6:
            chips[f"c{i}"]["supply_units"] = rng.randint(50, 600)
    platforms = {p: {"migration_cost": rng.uniform(1e3, 1e5)} for p in ["p1", "p2", "p3", "p4"]}
    scenario = {"chips": chips, "platforms": platforms, "orders": [{"chip": "c0", "units": 1000}]}
    return json.dumps(scenario), NO_LIMITS if seed % 2 else limits(rng.uniform(0.5, 1.0) * 0.65)


@pytest.mark.parametrize("seed", range(120))
def test_near_ties_are_solved_exactly(evaluate, seed):
    # With the objective scaled to ~1e-3 (HiGHS's absolute gap then 1e-3 relative) about one case in
    # thirteen here comes out dearer than the best, by up to 3e-4.
    text, mix_limits = near_tie_case(seed)
    result = evaluate(text)
    mix = optimal_mix(result, 0, mix_limits)
    reference = exhaustive(result, mix_limits)
    assert mix.feasible == (reference is not None)
    if reference is not None:
        assert mix.tco_usd == pytest.approx(reference[0], rel=1e-10)


def test_importing_the_solvers_does_not_import_scipy_or_highspy():
    # start-up: a command pays for a solver only when it solves something
    script = ("import sys, chipcalc.analysis.mix, chipcalc.analysis.solve\n"
              "assert not {'scipy', 'highspy'} & set(sys.modules), 'a solver imported at start-up'")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)


def test_a_sliver_on_a_platform_left_at_almost_zero_is_priced_both_ways(evaluate, monkeypatch):
    # HiGHS may return y_cann = 1e-7 (integral within its 1e-6 tolerance) with d carrying 1e-7 of the
    # demand: the platforms are then read both without cann and with cann paid in full.
    import numpy as np

    from chipcalc.analysis import mix_lp

    result = evaluate(QUOTA)
    problem = mix_lp.build_problem(result.scenario, result.chips, result.orders[0].demand_tflops, NO_LIMITS)
    sliver = mix_lp.Solved(x=np.array([1 - 1e-7, 1e-7, 1e-7]), row_duals=np.zeros(0),  # z_a, z_d, y_cann
                           upper_duals=np.zeros(0))
    monkeypatch.setattr(mix_lp, "_run", lambda *args, **kwargs: sliver)
    assert mix_lp.choose_platforms(problem) == (frozenset(), frozenset({0}))
