"""The formulas of MODEL.md, checked against worked examples computed by hand.

Every expected value below is written out as the arithmetic of MODEL.md on the
scenario's inputs (never a number copied from chipcalc's output). Breakevens
are also checked by substituting them back into the scenario: at the
breakeven, the order's chip and the option cost the same.
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

from chipcalc.loader import load_scenario
from chipcalc.model import compare
from .strategies import amount, chip_text

HOURS = 8760
EXACT = 1e-12  # hand arithmetic vs the model
CROSSING = 1e-9  # TCOs at a substituted breakeven


def approx(value: float):
    return pytest.approx(value, rel=EXACT)


def crossing(value: float):
    return pytest.approx(value, rel=CROSSING)


def write_yaml(directory: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = Path(directory) / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def scenario_file(tmp_path):
    """`scenario_file(yaml_text)` -> the path of a scenario file holding it."""
    count = iter(range(1_000_000))

    def write(text: str) -> Path:
        return write_yaml(tmp_path, text, f"scenario-{next(count)}.yaml")

    return write


def run(path: Path, *sets: str):
    """compare() on the scenario at `path`, with `--set` overrides."""
    return compare(load_scenario(path, sets=list(sets)))


def option(order_result, chip: str):
    return next(o for o in order_result.options if o.chip == chip)


def tcos(result, a: str = "a", c: str = "c", order: int = 0) -> tuple[float, float]:
    """(T_a, T_c) of the first order."""
    found = result.orders[order]
    return option(found, a).tco_usd, option(found, c).tco_usd


def with_chip(scenario, key: str, **changes):
    """The scenario with some fields of one chip changed (for values the file format would reject)."""
    chips = dict(scenario.chips)
    chips[key] = replace(chips[key], **changes)
    return replace(scenario, chips=chips)


def with_platform(scenario, key: str, **changes):
    platforms = dict(scenario.platforms)
    platforms[key] = replace(platforms[key], **changes)
    return replace(scenario, platforms=platforms)


# Per chip ------------------------------------------------------------------

LEVY_CHIP = """\
assumptions:
  levy_pass_through: {t}
chips:
  x:
    price: 30000
    levy_rate: {r}
    levy_base: {s}
    tflops: {{bf16: 1000}}
orders:
  - chip: x
    units: 1
"""


@pytest.mark.parametrize(
    ("t", "r", "s", "expected_buyer_price"),
    [
        # b = p / (1 - t * rho), rho = r * s, so that b - p = t * L
        pytest.param(0, 0.25, 1, 30000 / (1 - 0 * 0.25), id="t=0: list price"),
        pytest.param(0, 0.25, 0.6, 30000.0, id="t=0, levy base<1: list price"),
        pytest.param(0.5, 0.25, 1, 30000 / (1 - 0.5 * 0.25), id="t=0.5"),
        pytest.param(0.5, 0.25, 0.8, 30000 / (1 - 0.5 * 0.2), id="t=0.5, rho=0.25*0.8"),
        pytest.param(1, 0.25, 1, 30000 / (1 - 1 * 0.25), id="t=1"),
        pytest.param(1, 0.15, 0.6, 30000 / (1 - 1 * 0.09), id="t=1, rho=0.15*0.6"),
        pytest.param(1, 0, 1, 30000.0, id="no levy"),
    ],
)
def test_levy_figures_per_unit(scenario_file, t, r, s, expected_buyer_price):
    chip = run(scenario_file(LEVY_CHIP.format(t=t, r=r, s=s))).chips["x"]
    rho = r * s  # rho = r * s
    assert chip.effective_levy_rate == approx(rho)
    assert chip.buyer_price_usd == approx(expected_buyer_price)
    assert chip.levy_per_unit_usd == approx(rho * expected_buyer_price)  # L = rho * b
    # N = b - L
    assert chip.vendor_net_per_unit_usd == approx(expected_buyer_price - rho * expected_buyer_price)


@pytest.mark.parametrize(("r", "s"), [(0.25, 1), (0.25, 0.8), (0.5, 0.3), (0.9, 1)])
def test_full_pass_through_keeps_vendor_net_at_list_price(scenario_file, r, s):
    # t = 1: the vendor grosses its price up so that N = b - rho * b = p
    chip = run(scenario_file(LEVY_CHIP.format(t=1, r=r, s=s))).chips["x"]
    assert chip.vendor_net_per_unit_usd == approx(30000)
    assert chip.buyer_price_usd == approx(30000 / (1 - r * s))  # p / (1 - t * rho) with t = 1


@pytest.mark.parametrize("r", [0.1, 0.25, 0.5])
def test_zero_pass_through_vendor_absorbs_levy(scenario_file, r):
    # t = 0: buyers pay p; the vendor nets p - rho * p
    chip = run(scenario_file(LEVY_CHIP.format(t=0, r=r, s=0.5))).chips["x"]
    assert chip.buyer_price_usd == approx(30000)
    assert chip.levy_per_unit_usd == approx(r * 0.5 * 30000)
    assert chip.vendor_net_per_unit_usd == approx(30000 * (1 - r * 0.5))


PER_UNIT = """\
assumptions:
  precision: bf16
  lifetime_years: 5
  electricity_usd_per_kwh: 0.1
  pue: 1.2
  levy_pass_through: 0.5
chips:
  x:
    price: $30k
    levy_rate: 25%
    levy_base: 80%
    tflops: {bf16: 1000, fp8: 2500, fp64: 60}
    utilization: 40%
    power_w: 700
    host_cost: $12k
  y:
    price: 20000
    tflops: {bf16: 500, int8: 1500, fp4: 4000}
    power_w: 500
    electricity_usd_per_kwh: 0.05      # overrides the assumption
  z:
    price: 10000
    tflops: {bf16: 100}
    power_w: 400
    electricity_usd_per_kwh: 0         # an override of 0 is still an override
orders:
  - chip: x
    units: 1
"""


def test_per_unit_figures_worked_example(scenario_file):
    chips = run(scenario_file(PER_UNIT)).chips

    x = chips["x"]
    b_x = 30000 / (1 - 0.5 * 0.2)  # rho = 0.25 * 0.8
    E_x = 700 / 1000 * 1.2 * HOURS * 5 * 0.1  # W/1000 * pue * 8760 * lifetime * P (the assumption's P)
    assert x.tflops == approx(1000)
    assert x.effective_tflops_per_unit == approx(1000 * 0.4)  # e = F * u
    assert x.electricity_usd_per_kwh == approx(0.1)
    assert x.energy_per_unit_usd == approx(E_x)
    assert x.cost_per_unit_usd == approx(b_x + 12000 + E_x)  # k = b + h + E
    assert x.tflops_per_kusd == approx(1000 * (1000 * 0.4) / b_x)  # cpd = 1000 * e / b
    assert x.tpp == approx(max(1000 * 16, 2500 * 8, 60 * 64))  # max over precisions of tflops * bits
    assert x.migration_usd == 0  # on the incumbent platform

    y = chips["y"]
    E_y = 500 / 1000 * 1.2 * HOURS * 5 * 0.05  # the chip's own P = 0.05
    assert y.electricity_usd_per_kwh == approx(0.05)
    assert y.energy_per_unit_usd == approx(E_y)
    assert y.effective_tflops_per_unit == approx(500 * 1.0)  # utilisation defaults to 1
    assert y.cost_per_unit_usd == approx(20000 + 0 + E_y)  # no levy, no host cost
    assert y.tflops_per_kusd == approx(1000 * 500 / 20000)
    assert y.tpp == approx(max(500 * 16, 1500 * 8, 4000 * 4))

    z = chips["z"]
    assert z.electricity_usd_per_kwh == 0
    assert z.energy_per_unit_usd == 0  # 400 / 1000 * 1.2 * 8760 * 5 * 0
    assert z.cost_per_unit_usd == approx(10000)


@pytest.mark.parametrize(
    ("precision", "bits"),
    [("fp64", 64), ("tf32", 32), ("fp16", 16), ("bf16", 16), ("fp8", 8), ("int8", 8), ("fp4", 4)],
)
def test_tpp_bits_and_precision_choice(scenario_file, precision, bits):
    path = scenario_file(f"""\
        assumptions:
          precision: {precision}
        chips:
          x:
            price: 1000
            tflops: {{{precision}: 10}}
            utilization: 0.5
        orders:
          - chip: x
            units: 1
        """)
    chip = run(path).chips["x"]
    assert chip.tpp == approx(10 * bits)  # tpp = tflops * bits(q)
    assert chip.tflops == approx(10)  # F at the scenario's precision
    assert chip.effective_tflops_per_unit == approx(10 * 0.5)


def test_effective_throughput_uses_scenario_precision(scenario_file):
    path = scenario_file("""\
        assumptions:
          precision: fp8
        chips:
          x: {price: 1000, tflops: {bf16: 1000, fp8: 2000}, utilization: 0.5}
        orders:
          - {chip: x, units: 1}
        """)
    chip = run(path).chips["x"]
    assert chip.effective_tflops_per_unit == approx(2000 * 0.5)  # e = F[fp8] * u
    assert chip.tpp == approx(max(1000 * 16, 2000 * 8))


@pytest.mark.parametrize(
    ("incumbent", "platform_line", "expected_migration"),
    [
        pytest.param("cuda", "platform: cuda", 0.0, id="on the incumbent"),
        pytest.param("cuda", "", 0.0, id="platform defaults to the incumbent"),
        # M = migration_cost + engineer_months * cost_per_engineer_month
        pytest.param("cuda", "platform: cann", 300e6 + 600 * 20000, id="cann from cuda"),
        pytest.param("cuda", "platform: rocm", 0.0 + 0 * 0.0, id="platform entry with defaults"),
        pytest.param("cann", "platform: cann", 0.0, id="cann is the incumbent"),
        pytest.param("cann", "", 0.0, id="default platform follows the incumbent"),
        pytest.param("cann", "platform: cuda", 5e6 + 10 * 15000, id="cuda from cann"),
    ],
)
def test_migration_cost_per_chip(scenario_file, incumbent, platform_line, expected_migration):
    path = scenario_file(f"""\
        assumptions:
          incumbent_platform: {incumbent}
        platforms:
          cann: {{migration_cost: 300M, engineer_months: 600, cost_per_engineer_month: $20k}}
          cuda: {{migration_cost: 5M, engineer_months: 10, cost_per_engineer_month: 15k}}
          rocm: {{}}
        chips:
          x:
            price: 1000
            tflops: {{bf16: 10}}
            {platform_line}
        orders:
          - {{chip: x, units: 1}}
        """)
    result = run(path)
    assert result.chips["x"].migration_usd == approx(expected_migration)
    assert result.orders[0].own.migration_usd == approx(expected_migration)


# Per order -----------------------------------------------------------------

FLEET = """\
assumptions:
  lifetime_years: 4
  electricity_usd_per_kwh: 0.1
  pue: 1.5
  levy_pass_through: 0.5
  incumbent_platform: cuda
platforms:
  cann:
    migration_cost: 100M
    engineer_months: 500
    cost_per_engineer_month: 20k
chips:
  a:
    price: 30000
    levy_rate: 0.25
    levy_base: 0.8
    tflops: {bf16: 1000}
    utilization: 0.5
    power_w: 1000
    host_cost: 10000
  c:
    platform: cann
    price: 10000
    tflops: {bf16: 400}
    utilization: 0.5
    power_w: 500
    electricity_usd_per_kwh: 0.05
    host_cost: 5000
    supply_units: 100k
  d:
    price: 20000
    levy_rate: 0.1
    tflops: {bf16: 600}
    utilization: 0.5
    power_w: 700
    supply_units: 1M
orders:
  - name: fleet
    chip: a
    units: 100k
"""


def fleet_expected() -> dict[str, dict[str, float]]:
    """Every option of the FLEET order, by hand."""
    # order chip a: rho = 0.25 * 0.8 = 0.2
    b_a = 30000 / (1 - 0.5 * 0.2)
    E_a = 1000 / 1000 * 1.5 * HOURS * 4 * 0.1
    e_a = 1000 * 0.5
    k_a = b_a + 10000 + E_a
    D = 100_000 * e_a  # D = n_a * e_a
    pflops = D / 1000
    T_a = D / e_a * k_a + 0  # on the incumbent: M_a = 0

    # c: no levy, own electricity price, on cann
    b_c = 10000.0
    E_c = 500 / 1000 * 1.5 * HOURS * 4 * 0.05
    e_c = 400 * 0.5
    n_c = D / e_c
    M_c = 100e6 + 500 * 20000
    T_c = n_c * (b_c + 5000 + E_c) + M_c

    # d: rho = 0.1
    b_d = 20000 / (1 - 0.5 * 0.1)
    E_d = 700 / 1000 * 1.5 * HOURS * 4 * 0.1
    e_d = 600 * 0.5
    n_d = D / e_d
    T_d = n_d * (b_d + 0 + E_d) + 0

    def figures(n, b, L, h, E, M, T, e, supply):
        return {
            "units": n,  # n_c = D / e_c
            "buyer_price_usd": b,
            "levy_per_unit_usd": L,
            "capex_usd": n * (b + h),  # C = n * (b + h)
            "levy_usd": n * L,  # Lv = n * L
            "energy_usd": n * E,
            "migration_usd": M,
            "tco_usd": T,  # T = n * k + M
            "effective_tflops_per_unit": e,
            "tflops_per_kusd": 1000 * e / b,
            "usd_per_effective_pflops": T / pflops,  # T / (D / 1000)
            "usd_per_effective_pflops_hour": T / (pflops * HOURS * 4),  # T / (D/1000 * 8760 * lifetime)
            "vs_order": T / T_a - 1,
            "supply_shortfall_units": max(0.0, n - supply),
        }

    return {
        "a": figures(100_000, b_a, 0.2 * b_a, 10000, E_a, 0.0, T_a, e_a, math.inf),
        "c": figures(n_c, b_c, 0.0, 5000, E_c, M_c, T_c, e_c, 100_000),
        "d": figures(n_d, b_d, 0.1 * b_d, 0, E_d, 0.0, T_d, e_d, 1_000_000),
    }


def test_fleet_order_figures(scenario_file):
    order = run(scenario_file(FLEET)).orders[0]
    b_a = 30000 / (1 - 0.5 * 0.2)
    assert order.order.name == "fleet"
    assert order.units == approx(100_000)
    assert order.demand_tflops == approx(100_000 * 1000 * 0.5)  # D = n_a * F_a * u_a
    assert order.spend_usd == approx(100_000 * b_a)  # S = n_a * b_a
    assert order.levy_usd == approx(100_000 * 0.2 * b_a)  # Lv = n_a * rho_a * b_a
    assert order.vendor_net_usd == approx(100_000 * (b_a - 0.2 * b_a))  # n_a * N_a


@pytest.mark.parametrize("chip", ["a", "c", "d"])
@pytest.mark.parametrize("field", list(fleet_expected()["a"]))
def test_fleet_option_figures(scenario_file, chip, field):
    found = option(run(scenario_file(FLEET)).orders[0], chip)
    assert getattr(found, field) == approx(fleet_expected()[chip][field])


def test_fleet_options_cheapest_first_and_flags(scenario_file):
    order = run(scenario_file(FLEET)).orders[0]
    expected = fleet_expected()
    by_tco = sorted(expected, key=lambda chip: expected[chip]["tco_usd"])
    assert by_tco == ["d", "c", "a"]  # hand totals: d 4.13e9, c 4.19e9, a 4.90e9
    assert [o.chip for o in order.options] == by_tco
    assert order.cheapest.chip == "d"
    assert order.own.chip == "a" and order.own.is_order_chip
    assert order.own.breakeven is None
    assert option(order, "c").breakeven is not None and option(order, "d").breakeven is not None
    # c needs 250k units, 100k are available: short by 150k, infeasible but still costed
    assert option(order, "c").supply_shortfall_units == approx(250_000 - 100_000)
    assert not option(order, "c").feasible
    assert option(order, "d").feasible and option(order, "d").supply_shortfall_units == 0
    assert option(order, "a").feasible and option(order, "a").supply_shortfall_units == 0  # unlimited


def test_fleet_order_chip_off_the_incumbent_carries_its_migration(scenario_file):
    # The same fleet with the order's chip a moved to cann: T_a = n_a * k_a + M_a
    path = scenario_file(FLEET.replace("    levy_base: 0.8\n", "    levy_base: 0.8\n    platform: cann\n"))
    order = run(path).orders[0]
    b_a = 30000 / (1 - 0.5 * 0.2)
    k_a = b_a + 10000 + 1000 / 1000 * 1.5 * HOURS * 4 * 0.1
    M_a = 100e6 + 500 * 20000
    assert order.own.migration_usd == approx(M_a)
    assert order.own.tco_usd == approx(100_000 * k_a + M_a)
    assert order.own.vs_order == 0


def test_order_by_budget_buys_budget_over_buyer_price(scenario_file):
    path = scenario_file(FLEET.replace("    units: 100k\n", "    budget: $1B\n"))
    order = run(path).orders[0]
    b_a = 30000 / (1 - 0.5 * 0.2)
    n_a = 1e9 / b_a  # n = budget / b
    assert order.units == approx(n_a)
    assert order.demand_tflops == approx(n_a * 1000 * 0.5)
    assert order.spend_usd == approx(1e9)
    assert order.levy_usd == approx(n_a * 0.2 * b_a)
    assert order.vendor_net_usd == approx(n_a * 0.8 * b_a)
    assert order.own.units == approx(n_a)
    E_c = 500 / 1000 * 1.5 * HOURS * 4 * 0.05
    assert option(order, "c").units == approx(n_a * 500 / 200)  # n_c = D / e_c
    assert option(order, "c").tco_usd == approx(n_a * 500 / 200 * (10000 + 5000 + E_c) + 100e6 + 500 * 20000)


def test_sort_ties_are_broken_by_chip_key(scenario_file):
    path = scenario_file("""\
        chips:
          zz: {price: 1000, tflops: {bf16: 10}}
          aa: {price: 1000, tflops: {bf16: 10}}
          mm: {price: 500, tflops: {bf16: 10}}
        orders:
          - {chip: zz, units: 10}
        """)
    assert [o.chip for o in run(path).orders[0].options] == ["mm", "aa", "zz"]


# Totals ----------------------------------------------------------------------


def test_totals_per_chip_and_overall(scenario_file):
    path = scenario_file("""\
        assumptions:
          levy_pass_through: 0.5
        chips:
          a: {price: 10000, levy_rate: 0.2, tflops: {bf16: 100}}
          b: {price: 5000, levy_rate: 0.1, tflops: {bf16: 50}}
          idle: {price: 1000, tflops: {bf16: 10}}
        orders:
          - {chip: a, units: 100}
          - {chip: b, budget: 1M}
          - {chip: a, units: 50}
        """)
    result = run(path)
    b_a = 10000 / (1 - 0.5 * 0.2)
    b_b = 5000 / (1 - 0.5 * 0.1)
    n_b = 1e6 / b_b
    spend = {"a": 150 * b_a, "b": n_b * b_b}  # S = n * b, summed over orders
    levy = {"a": 150 * 0.2 * b_a, "b": n_b * 0.1 * b_b}
    net = {"a": 150 * 0.8 * b_a, "b": n_b * 0.9 * b_b}
    assert [t.chip for t in result.totals_by_chip] == ["a", "b"]  # a chip without orders has no total
    for total in result.totals_by_chip:
        assert total.spend_usd == approx(spend[total.chip])
        assert total.levy_usd == approx(levy[total.chip])
        assert total.vendor_net_usd == approx(net[total.chip])
        assert total.units == approx({"a": 100 + 50, "b": n_b}[total.chip])  # units of that chip, summed
    assert result.total.chip is None
    assert result.total.units is None  # units of different chips do not add
    assert result.total.spend_usd == approx(150 * b_a + 1e6)
    assert result.total.levy_usd == approx(150 * 0.2 * b_a + 0.1 * 1e6)
    assert result.total.vendor_net_usd == approx(150 * 0.8 * b_a + 0.9 * 1e6)


# The article's worked check ------------------------------------------------

ARTICLE = """\
assumptions:
  precision: fp16
  levy_pass_through: 0%
chips:
  h200: {price: $27k, levy_rate: 25%, tflops: {fp16: 989, bf16: 989, fp8: 1979}}
  h20: {price: $13.5k, levy_rate: 15%, tflops: {fp16: 148, bf16: 148, fp8: 296}}
orders:
  - {name: h200-four-quarters, chip: h200, budget: $40B}
  - {name: h20-same-spend, chip: h20, budget: $40B}
"""


def test_article_worked_check(scenario_file):
    result = run(scenario_file(ARTICLE))
    h200, h20 = result.orders
    # t = 0: buyers pay list; levy = budget / p * r * p = 40B * r
    assert h200.levy_usd == approx(40e9 * 0.25) == approx(10e9)
    assert h20.levy_usd == approx(40e9 * 0.15) == approx(6e9)
    assert h200.spend_usd == approx(40e9) and h20.spend_usd == approx(40e9)
    assert h200.vendor_net_usd == approx(30e9) and h20.vendor_net_usd == approx(34e9)
    assert result.total.levy_usd == approx(16e9)
    assert h200.units == approx(40e9 / 27000)
    # TPP, like for like (dense): max(989 * 16, 1979 * 8) / max(148 * 16, 296 * 8) = 15832 / 2368 = 6.7x
    assert result.chips["h200"].tpp == approx(max(989 * 16, 989 * 16, 1979 * 8))
    assert result.chips["h20"].tpp == approx(max(148 * 16, 148 * 16, 296 * 8))


def test_shipped_article_check_scenario():
    path = Path(__file__).resolve().parents[1] / "scenarios" / "article-check.yaml"
    if not path.exists():
        pytest.skip("no shipped article-check.yaml")
    orders = {o.order.name: o for o in run(path).orders}
    assert orders["h200-four-quarters"].levy_usd == approx(10e9)
    assert orders["h20-same-spend"].levy_usd == approx(6e9)


# Breakevens ------------------------------------------------------------------
# A pair of chips: a is the order's chip, c the option. Platform cann costs
# M = 1M to move to; cuda is the incumbent (M = 0).

PAIR = """\
assumptions:
  levy_pass_through: {t}
platforms:
  cann: {{migration_cost: 1M}}
chips:
  a: {a}
  c: {c}
orders:
  - chip: a
    units: {units}
"""


def pair(scenario_file, a: str, c: str, t: float = 0, units: float = 1000) -> Path:
    return scenario_file(PAIR.format(a=a, c=c, t=t, units=units))


def breakeven(result, field: str, chip: str = "c"):
    return getattr(option(result.orders[0], chip).breakeven, field)


# 1. demand: den = k_a/e_a - k_c/e_c, num = M_c - M_a

DEMAND_CASES = [
    # id, a, c, reason, pays, expected D*
    pytest.param("{price: 20000, tflops: {bf16: 100}}", "{platform: cann, price: 10000, tflops: {bf16: 100}}",
                 None, "above", 1e6 / (20000 / 100 - 10000 / 100), id="den>0,num>0: above"),
    pytest.param("{platform: cann, price: 10000, tflops: {bf16: 100}}", "{price: 20000, tflops: {bf16: 100}}",
                 None, "below", (0 - 1e6) / (10000 / 100 - 20000 / 100), id="den<0,num<0: below"),
    pytest.param("{price: 20000, tflops: {bf16: 100}}", "{price: 10000, tflops: {bf16: 100}}",
                 "always", None, None, id="den>0,num=0: always"),
    pytest.param("{platform: cann, price: 20000, tflops: {bf16: 100}}", "{price: 10000, tflops: {bf16: 100}}",
                 "always", None, None, id="den>0,num<0: always"),
    pytest.param("{platform: cann, price: 20000, tflops: {bf16: 100}}", "{price: 10000, tflops: {bf16: 50}}",
                 "always", None, None, id="den=0,num<0: always"),
    pytest.param("{price: 10000, tflops: {bf16: 100}}", "{price: 20000, tflops: {bf16: 100}}",
                 "never", None, None, id="den<0,num=0: never"),
    pytest.param("{price: 10000, tflops: {bf16: 100}}", "{platform: cann, price: 20000, tflops: {bf16: 100}}",
                 "never", None, None, id="den<0,num>0: never"),
    pytest.param("{price: 20000, tflops: {bf16: 100}}", "{platform: cann, price: 10000, tflops: {bf16: 50}}",
                 "never", None, None, id="den=0,num>0: never"),
    pytest.param("{price: 20000, tflops: {bf16: 100}}", "{price: 10000, tflops: {bf16: 50}}",
                 "equal", None, None, id="den=0,num=0: equal"),
]


@pytest.mark.parametrize(("a", "c", "reason", "pays", "expected"), DEMAND_CASES)
def test_demand_breakeven(scenario_file, a, c, reason, pays, expected):
    path = pair(scenario_file, a, c)
    found = breakeven(run(path), "demand_tflops")
    assert found.reason == reason
    assert found.pays == pays
    if expected is None:
        assert found.value is None and found.order_units is None
        return
    assert found.value == approx(expected)
    assert found.order_units == approx(expected / 100)  # D* / e_a, e_a = 100
    # Substituted back: buying D*/e_a units of a costs the same as meeting D* with c
    T_a, T_c = tcos(run(path, f"orders[0].units={found.order_units!r}"))
    assert T_a == crossing(T_c)


def test_demand_pays_above_and_below_the_breakeven(scenario_file):
    # above: switching pays at 2 D*, not at D*/2; below: the reverse
    above = pair(scenario_file, *DEMAND_CASES[0].values[:2])
    T_a, T_c = tcos(run(above, "orders[0].units=200"))  # D*/e_a = 100
    assert T_c < T_a
    T_a, T_c = tcos(run(above, "orders[0].units=50"))
    assert T_c > T_a
    below = pair(scenario_file, *DEMAND_CASES[1].values[:2])
    T_a, T_c = tcos(run(below, "orders[0].units=50"))
    assert T_c < T_a
    T_a, T_c = tcos(run(below, "orders[0].units=200"))
    assert T_c > T_a


# 2. levy rate on a: b* = ((T_c - M_a)/n_a - X_a)/q_a - h_a; r* = (1 - p_a / b*) / (t s_a)
# a: p_a = 10000, F = 100; c: F = 100, so n_c = n_a = 1000 and b* = T_c / n_a = p_c.

LEVY_A = "{{price: 10000, levy_rate: 0.1, levy_base: {s}, tflops: {{bf16: 100}}}}"

LEVY_CASES = [
    # id, t, s_a, p_c, expected value, reason
    pytest.param(0.5, 1, 9000, 0.0, "always", id="g<0: always (0)"),
    pytest.param(0, 1, 9000, 0.0, "always", id="g<0 before t=0: always"),
    pytest.param(0, 1, 12000, None, "not passed through", id="t=0, g>=0: not passed through"),
    pytest.param(0, 1, 10000, None, "not passed through", id="t=0, g=0: not passed through"),
    pytest.param(0.5, 0.8, 12000, (1 - 10000 / 12000) / (0.5 * 0.8), None, id="r* = (1 - p/b*)/(t s)"),
    pytest.param(1, 1, 11000, (1 - 10000 / 11000) / (1 * 1), None, id="t=1"),
    # (1 - 10000 / 20000) / (0.5 * 1) = 1: on the edge of [0, 1), so in range (MODEL.md)
    pytest.param(0.5, 1, 20000, (1 - 10000 / 20000) / (0.5 * 1), None, id="r* = 1: on the edge"),
    pytest.param(0.25, 0.5, 20000, (1 - 10000 / 20000) / (0.25 * 0.5), "out of range", id="r* > 1: out of range"),
]


@pytest.mark.parametrize(("t", "s", "price_c", "expected", "reason"), LEVY_CASES)
def test_levy_rate_breakeven(scenario_file, t, s, price_c, expected, reason):
    path = pair(scenario_file, LEVY_A.format(s=s), f"{{price: {price_c}, tflops: {{bf16: 100}}}}", t=t)
    found = breakeven(run(path), "levy_rate")
    assert found.reason == reason
    if expected is None:
        assert found.value is None
        return
    assert found.value == approx(expected)
    if reason == "always":
        # no crossing: c is cheaper even with no levy at all on a
        T_a, T_c = tcos(run(path, "chips.a.levy_rate=0"))
        assert T_c < T_a
    elif reason is None and found.value < 1:
        T_a, T_c = tcos(run(path, f"chips.a.levy_rate={found.value!r}"))
        assert T_a == crossing(T_c)
    else:  # out of range or on the edge: the file format refuses it, the arithmetic still crosses
        T_a, T_c = tcos(compare(with_chip(load_scenario(path), "a", levy_rate=found.value)))
        assert T_a == crossing(T_c)


# 3. migration: M* = T_a - n_c * k_c

@pytest.mark.parametrize(
    ("price_c", "expected", "reason"),
    [
        pytest.param(10000, 1000 * 20000 - 1000 * 10000, None, id="positive"),
        pytest.param(20000, 1000 * 20000 - 1000 * 20000, None, id="zero"),
        pytest.param(25000, 1000 * 20000 - 1000 * 25000, "out of range", id="negative: out of range"),
    ],
)
def test_migration_cost_breakeven(scenario_file, price_c, expected, reason):
    path = pair(scenario_file, "{price: 20000, tflops: {bf16: 100}}",
                f"{{platform: cann, price: {price_c}, tflops: {{bf16: 100}}}}")
    found = breakeven(run(path), "migration_cost_usd")
    assert found.value == approx(expected)
    assert found.reason == reason
    if reason is None:
        T_a, T_c = tcos(run(path, f"platforms.cann.migration_cost={found.value!r}"))
    else:
        T_a, T_c = tcos(compare(with_platform(load_scenario(path), "cann", migration_cost_usd=found.value)))
    assert T_a == crossing(T_c)


# 4. price: b* = ((T_a - M_c)/n_c - X_c)/q_c - h_c, p* = b* (1 - t rho_c)

PRICE_C = "{platform: cann, price: 15000, levy_rate: 0.2, tflops: {bf16: 200}, host_cost: 1000}"


@pytest.mark.parametrize(
    ("units", "expected", "reason"),
    [
        # n_a = 1000: T_a = 1000 * 20000; n_c = 1000 * 100 / 200 = 500
        pytest.param(1000, ((1000 * 20000 - 1e6) / 500 - 0 - 1000) * (1 - 0.5 * 0.2), None,
                     id="in range"),
        # n_a = 10: T_a = 10 * 20000 < M_c; n_c = 5
        pytest.param(10, ((10 * 20000 - 1e6) / 5 - 0 - 1000) * (1 - 0.5 * 0.2), "out of range",
                     id="negative: out of range"),
    ],
)
def test_price_breakeven(scenario_file, units, expected, reason):
    path = pair(scenario_file, "{price: 20000, tflops: {bf16: 100}}", PRICE_C, t=0.5, units=units)
    found = breakeven(run(path), "price_usd")
    assert found.value == approx(expected)
    assert found.reason == reason
    if reason is None:
        T_a, T_c = tcos(run(path, f"chips.c.price={found.value!r}"))
    else:
        T_a, T_c = tcos(compare(with_chip(load_scenario(path), "c", price_usd=found.value)))
    assert T_a == crossing(T_c)


# 5. utilisation: u* = D k_c / (F_c (T_a - M_c)) when T_a > M_c, else never

@pytest.mark.parametrize(
    ("units", "price_c", "expected", "reason"),
    [
        # D = units * 100, T_a = units * 20000, M_c = 1M
        pytest.param(1000, 10000, 1000 * 100 * 10000 / (100 * (1000 * 20000 - 1e6)), None, id="in range"),
        pytest.param(1000, 19000, 1000 * 100 * 19000 / (100 * (1000 * 20000 - 1e6)), None,
                     id="exactly 1: in range"),
        pytest.param(1000, 30000, 1000 * 100 * 30000 / (100 * (1000 * 20000 - 1e6)), "out of range",
                     id="above 1: out of range"),
        pytest.param(10, 10000, None, "never", id="T_a < M_c: never"),
        pytest.param(50, 10000, None, "never", id="T_a = M_c: never"),
    ],
)
def test_utilization_breakeven(scenario_file, units, price_c, expected, reason):
    path = pair(scenario_file, "{price: 20000, tflops: {bf16: 100}}",
                f"{{platform: cann, price: {price_c}, tflops: {{bf16: 100}}, utilization: 0.5}}", units=units)
    found = breakeven(run(path), "utilization")
    assert found.reason == reason
    if expected is None:
        assert found.value is None
        return
    assert found.value == approx(expected)
    if reason is None:
        T_a, T_c = tcos(run(path, f"chips.c.utilization={found.value!r}"))
    else:
        T_a, T_c = tcos(compare(with_chip(load_scenario(path), "c", utilization=found.value)))
    assert T_a == crossing(T_c)


# All five at once, with every term of the model in play -----------------------

RICH = """\
assumptions:
  lifetime_years: 4
  electricity_usd_per_kwh: 0.1
  pue: 1.25
  levy_pass_through: 0.5
platforms:
  rocm: {migration_cost: 5M}
  cann: {migration_cost: 20M, engineer_months: 100, cost_per_engineer_month: 20k}
chips:
  a: {platform: rocm, price: 20000, levy_rate: 0.2, levy_base: 0.5, tflops: {bf16: 1000},
      utilization: 0.5, power_w: 1000, host_cost: 8000}
  c: {platform: cann, price: 50000, levy_rate: 0.1, tflops: {bf16: 2000}, utilization: 0.5,
      power_w: 1200, host_cost: 6000}
orders:
  - chip: a
    {quantity}
"""


def rich_hand(n_a: float) -> dict[str, float]:
    """The five breakevens of c against a in RICH, holding n_a (and so D) fixed."""
    # a: rho_a = 0.2 * 0.5 = 0.1, on rocm (M_a = 5M)
    b_a = 20000 / (1 - 0.5 * 0.1)
    E_a = 1000 / 1000 * 1.25 * HOURS * 4 * 0.1
    h_a, e_a, M_a = 8000, 1000 * 0.5, 5e6
    k_a = b_a + h_a + E_a
    # c: rho_c = 0.1, on cann (M_c = 20M + 100 * 20k)
    b_c = 50000 / (1 - 0.5 * 0.1)
    E_c = 1200 / 1000 * 1.25 * HOURS * 4 * 0.1
    h_c, F_c, e_c, M_c = 6000, 2000, 2000 * 0.5, 20e6 + 100 * 20000
    k_c = b_c + h_c + E_c

    D = n_a * e_a
    n_c = D / e_c
    T_a = n_a * k_a + M_a
    T_c = n_c * k_c + M_c
    den, num = k_a / e_a - k_c / e_c, M_c - M_a
    b_star_a = (T_c - M_a) / n_a - E_a - h_a  # q_a = 1 and X_a = E_a: no maintenance, facility or operations
    return {
        "demand_tflops": num / den,
        "order_units": num / den / e_a,
        "levy_rate": (1 - 20000 / b_star_a) / (0.5 * 0.5),
        "migration_cost_usd": T_a - n_c * k_c,
        "price_usd": ((T_a - M_c) / n_c - E_c - h_c) * (1 - 0.5 * 0.1),
        "utilization": D * k_c / (F_c * (T_a - M_c)),
        "b_a": b_a,
        "T_a": T_a,
        "T_c": T_c,
    }


@pytest.mark.parametrize(
    ("quantity", "n_a"),
    [
        pytest.param("units: 10k", 10_000, id="units order"),
        # a budget order: n_a = budget / b_a at the scenario's prices
        pytest.param("budget: 200M", 200e6 / (20000 / (1 - 0.5 * 0.1)), id="budget order"),
    ],
)
def test_all_breakevens_worked_example(scenario_file, quantity, n_a):
    path = scenario_file(RICH.replace("{quantity}", quantity))
    result = run(path)
    hand = rich_hand(n_a)
    T_a, T_c = tcos(result)
    assert T_a == approx(hand["T_a"]) and T_c == approx(hand["T_c"])
    found = option(result.orders[0], "c").breakeven

    assert found.demand_tflops.value == approx(hand["demand_tflops"])
    assert found.demand_tflops.pays == "above"  # den > 0, num > 0
    assert found.demand_tflops.order_units == approx(hand["order_units"])
    for field in ("levy_rate", "migration_cost_usd", "price_usd", "utilization"):
        assert getattr(found, field).value == approx(hand[field]), field
    for field in ("demand_tflops", "levy_rate", "migration_cost_usd", "price_usd", "utilization"):
        assert getattr(found, field).reason is None, field  # all in range in this example

    # Substituted back, each holding the order's units n_a (so D) fixed.
    fixed_units = f"orders[0]={{chip: a, units: {n_a!r}}}"
    checks = {
        "demand": [f"orders[0]={{chip: a, units: {found.demand_tflops.order_units!r}}}"],
        "levy": [fixed_units, f"chips.a.levy_rate={found.levy_rate.value!r}"],
        # cann's total is migration_cost + 100 * 20k
        "migration": [f"platforms.cann.migration_cost={found.migration_cost_usd.value - 100 * 20000!r}"],
        "price": [f"chips.c.price={found.price_usd.value!r}"],
        "utilization": [f"chips.c.utilization={found.utilization.value!r}"],
    }
    for name, sets in checks.items():
        T_a, T_c = tcos(run(path, *sets))
        assert T_a == crossing(T_c), name


def test_budget_order_levy_breakeven_keeps_scenario_units(scenario_file):
    # MODEL.md: a budget order keeps the units its budget buys at the scenario's own
    # prices; re-running compare at r* (which would buy fewer units) is not a crossing.
    path = scenario_file(RICH.replace("{quantity}", "budget: 200M"))
    n_a = 200e6 / (20000 / (1 - 0.5 * 0.1))
    found = breakeven(run(path), "levy_rate")
    assert found.value == approx(rich_hand(n_a)["levy_rate"])
    rerun = run(path, f"chips.a.levy_rate={found.value!r}")
    assert rerun.orders[0].units < n_a  # compare re-runs: the budget buys fewer units


# Property: every finite breakeven is a crossing --------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=st.sampled_from(["cuda", "cann"]).flatmap(chip_text),
    c=st.sampled_from(["cuda", "cann", "rocm"]).flatmap(chip_text),
    t=st.one_of(st.just(0.0), st.just(1.0), st.floats(0.05, 1)),
    units=st.floats(1, 1e6),
    electricity=amount(1e-3, 0.3),
    cann=amount(1, 1e9),
    rocm=amount(1, 1e8),
)
def test_every_finite_breakeven_is_a_crossing(a, c, t, units, electricity, cann, rocm):
    text = f"""\
        assumptions: {{levy_pass_through: {t!r}, electricity_usd_per_kwh: {electricity!r}, pue: 1.3}}
        platforms:
          cann: {{migration_cost: {cann!r}}}
          rocm: {{migration_cost: {rocm!r}}}
        chips:
          a: {a}
          c: {c}
        orders:
          - {{chip: a, units: {units!r}}}
        """
    with tempfile.TemporaryDirectory() as directory:
        scenario = load_scenario(write_yaml(Path(directory), text))
    T_a, T_c = tcos(compare(scenario))
    assume(abs(T_a - T_c) > 1e-6 * T_a)  # not already at a crossing
    found = option(compare(scenario).orders[0], "c").breakeven

    substitutions = {
        "levy_rate": lambda v: with_chip(scenario, "a", levy_rate=v),
        "price_usd": lambda v: with_chip(scenario, "c", price_usd=v),
        "utilization": lambda v: with_chip(scenario, "c", utilization=v),
        "demand_tflops": lambda v: replace(
            scenario, orders=(replace(scenario.orders[0], units=found.demand_tflops.order_units),)),
    }
    c_platform = scenario.chips["c"].platform
    if c_platform != "cuda" and c_platform != scenario.chips["a"].platform:
        substitutions["migration_cost_usd"] = lambda v: with_platform(
            scenario, c_platform, migration_cost_usd=v)
    for field, substitute in substitutions.items():
        value = getattr(found, field)
        if value.value is None or value.reason == "always":
            continue
        if field == "price_usd" and value.value <= 0:
            continue  # no chip has a price of 0 or less: compute per dollar would divide by it
        new_a, new_c = tcos(compare(substitute(value.value)))
        assert new_a == crossing(new_c), field
