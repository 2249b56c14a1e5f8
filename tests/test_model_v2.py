"""MODEL.md version 2, worked by hand, written before the implementation (test-first).

Each test runs twice: on tests/oracle_v2.py (the independent implementation,
which must agree with the hand arithmetic today) and on chipcalc's CLI (which
must agree once version 2 lands). The expected values are the arithmetic of
MODEL.md v2 on the inputs, written out in the test, never copied from output.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from .v2_support import IMPLEMENTATIONS, cashflows, evaluate, option, run_json, write

EXACT = 1e-12

pytestmark = pytest.mark.parametrize("impl", IMPLEMENTATIONS)


def approx(value: float, rel: float = EXACT):
    return pytest.approx(value, rel=rel, abs=0)


# Time and discounting --------------------------------------------------------

DISCOUNTED = """\
assumptions: {lifetime_years: 5, discount_rate: 0.1}
chips:
  a: {price: 10000, tflops: {bf16: 100}, operations_usd_per_year: 1000}
orders: [{name: o, chip: a, units: 1}]
"""


def test_discounting_worked_check(impl: str, tmp_path: Path) -> None:
    # MODEL.md: A = (1 - 1.1^-5) / ln 1.1 = 3.9773157; $1,000 a year for 5 years is $3,977.32 today.
    factor = (1 - 1.1**-5) / math.log(1.1)
    assert factor == pytest.approx(3.9773157, abs=5e-8)
    own = option(evaluate(impl, DISCOUNTED, tmp_path), "a")
    assert round(own["operations_usd"], 2) == 3977.32
    assert own["operations_usd"] == approx(1000 * factor)
    assert own["tco_usd"] == approx(10000 + 1000 * factor)
    # Levelised per PFLOP/s-hour over discounted hours: D = 100 TFLOP/s = 0.1 PFLOP/s.
    assert own["usd_per_effective_pflops_hour"] == approx((10000 + 1000 * factor) / (0.1 * 8760 * factor))


def test_no_discounting_gives_a_equal_to_the_life(impl: str, tmp_path: Path) -> None:
    text = DISCOUNTED.replace("discount_rate: 0.1", "discount_rate: 0")
    own = option(evaluate(impl, text, tmp_path), "a")
    assert own["operations_usd"] == approx(1000 * 5)


# Pass-through and the levy base ---------------------------------------------

H200 = """\
assumptions: {{levy_pass_through: {t}}}
chips:
  h200: {{price: 27000, levy_rate: 0.25, levy_base: {base}, tflops: {{bf16: 989}}}}
orders: [{{name: o, chip: h200, units: 1000}}]
"""


def test_full_pass_through_27k_costs_buyers_36k(impl: str, tmp_path: Path) -> None:
    # Share base: b = p / (1 - t r s) = 27000 / (1 - 0.25) = 36000; levy 0.25 * 36000 = 9000 = b - p.
    result = evaluate(impl, H200.format(t=1, base=1), tmp_path)
    chip = result["chips"]["h200"]
    assert chip["buyer_price_usd"] == approx(36000)
    assert chip["levy_per_unit_usd"] == approx(9000)
    assert chip["vendor_net_per_unit_usd"] == approx(27000)
    order = result["orders"][0]
    assert (order["spend_usd"], order["levy_usd"]) == (approx(36e6), approx(9e6))


def test_partial_pass_through_pays_that_share_of_the_levy(impl: str, tmp_path: Path) -> None:
    # t = 60%: b = 27000 / (1 - 0.6 * 0.25) = 27000 / 0.85 = 31764.70588...; L = 0.25 b = 7941.17647...;
    # b - p = 4764.70588... = 0.6 L exactly (version 1 gave b = 27000 * 1.2 = 32400: 66.7% of L = 8100).
    chip = evaluate(impl, H200.format(t=0.6, base=1), tmp_path)["chips"]["h200"]
    assert chip["buyer_price_usd"] == approx(27000 / 0.85)
    assert chip["levy_per_unit_usd"] == approx(0.25 * 27000 / 0.85)
    assert chip["buyer_price_usd"] - 27000 == approx(0.6 * chip["levy_per_unit_usd"], rel=1e-9)
    assert chip["vendor_net_per_unit_usd"] == approx(27000 / 0.85 * 0.75)


@pytest.mark.parametrize(("t", "buyer"), [(0, 27000), (0.5, 27000 + 0.5 * 5000), (1, 27000 + 5000)])
def test_levy_on_a_customs_value(impl: str, tmp_path: Path, t: float, buyer: float) -> None:
    # Money base V = $20k: L = r V = 0.25 * 20000 = 5000 whatever the price; b = p + t L.
    chip = evaluate(impl, H200.format(t=t, base="$20000"), tmp_path)["chips"]["h200"]
    assert chip["levy_per_unit_usd"] == approx(5000)
    assert chip["buyer_price_usd"] == approx(buyer)
    assert chip["vendor_net_per_unit_usd"] == approx(buyer - 5000)
    assert chip["levy_base_usd"] == approx(20000)
    assert chip["levy_base"] is None


# Throughput: the roofline ------------------------------------------------------

ROOFLINE = """\
workload: {arithmetic_intensity: 100}
chips:
  h200: {price: 27000, tflops: {bf16: 989, fp8: 1979}, bandwidth_tbps: 4.8, utilization: 0.5}
  h20: {price: 13500, tflops: {bf16: 148}, bandwidth_tbps: 4.0, utilization: 0.5}
orders: [{name: o, chip: h200, units: 1000}]
"""


def test_roofline_caps_throughput_at_bandwidth(impl: str, tmp_path: Path) -> None:
    result = evaluate(impl, ROOFLINE, tmp_path)
    h200, h20 = result["chips"]["h200"], result["chips"]["h20"]
    # h200: min(989, 4.8 TB/s * 100 FLOP/B = 480) = 480; h20: min(148, 4.0 * 100 = 400) = 148.
    assert h200["attainable_tflops_per_unit"] == approx(480)
    assert h20["attainable_tflops_per_unit"] == approx(148)
    assert h200["effective_tflops_per_unit"] == approx(240)
    assert h200["tflops_per_kusd"] == approx(1000 * 240 / 27000)
    assert h200["tpp"] == approx(1979 * 8)  # TPP uses the peak figures, never the attainable
    order = result["orders"][0]
    assert order["demand_tflops"] == approx(1000 * 240)
    assert option(result, "h20")["units"] == approx(240000 / 74)


# Running costs ---------------------------------------------------------------

RUNNING = """\
assumptions:
  lifetime_years: 4
  pue: 1.25
  electricity_usd_per_kwh: 0.1
  facility_usd_per_kw_month: 100
  maintenance_rate: 0.05
  operations_usd_per_year: 2000
chips:
  a: {price: 20000, host_cost: 5000, tflops: {bf16: 100}, power_w: 1000, power_draw: 0.6,
      facility_usd_per_kw_month: 150}
  c: {price: 10000, tflops: {bf16: 50}, power_w: 500, maintenance_rate: 0.1, operations_usd_per_year: 0}
orders: [{name: o, chip: a, units: 100}]
"""


def test_running_costs_per_chip(impl: str, tmp_path: Path) -> None:
    chips = evaluate(impl, RUNNING, tmp_path)["chips"]
    a, c = chips["a"], chips["c"]
    # a: Ey = 1000 W * 0.6 / 1000 * 1.25 * 8760 h * $0.1 = 657; Fy = 1 kW * 12 * $150 = 1800 (on W, not
    # the draw); My = 5% of (20000 + 5000) = 1250; Oy = 2000; R = 5707; k = 25000 + 4 * 5707 = 47828.
    assert a["power_draw"] == approx(0.6)
    assert a["energy_per_year_usd"] == approx(657)
    assert a["facility_per_year_usd"] == approx(1800)
    assert a["maintenance_per_year_usd"] == approx(1250)
    assert a["operations_per_year_usd"] == approx(2000)
    assert a["running_cost_per_year_usd"] == approx(5707)
    assert a["energy_per_unit_usd"] == approx(4 * 657)
    assert a["cost_per_unit_usd"] == approx(47828)
    # c: draw 100%: Ey = 0.5 * 1.25 * 8760 * 0.1 = 547.5; Fy = 0.5 * 12 * 100 = 600;
    # My = 10% of 10000 = 1000; Oy = 0 (the chip's 0 overrides the assumption); R = 2147.5.
    assert c["power_draw"] == approx(1)
    assert c["energy_per_year_usd"] == approx(547.5)
    assert c["facility_per_year_usd"] == approx(600)
    assert c["maintenance_per_year_usd"] == approx(1000)
    assert c["operations_per_year_usd"] == 0
    assert c["cost_per_unit_usd"] == approx(10000 + 4 * 2147.5)


def test_running_costs_per_option(impl: str, tmp_path: Path) -> None:
    result = evaluate(impl, RUNNING, tmp_path)
    a, c = option(result, "a"), option(result, "c")
    # 100 units of a, A = 4: energy 100 * 4 * 657 = 262,800; facility 720,000; maintenance 500,000;
    # operations 800,000; capex 2.5M; TCO 100 * 47828 = 4,782,800.
    assert (a["energy_usd"], a["facility_usd"], a["maintenance_usd"], a["operations_usd"]) == (
        approx(262800),
        approx(720000),
        approx(500000),
        approx(800000),
    )
    assert a["capex_usd"] == approx(2.5e6)
    assert a["tco_usd"] == approx(4782800)
    # c meets D = 100 * 100 = 10,000 TFLOP/s with 200 units: TCO 200 * (10000 + 8590) = 3,718,000.
    assert c["units"] == approx(200)
    assert c["tco_usd"] == approx(3718000)
    assert c["vs_order"] == approx(3718000 / 4782800 - 1)


TOKENS = """\
workload: {flops_per_token: 1000000000}
chips:
  a: {price: 10000, tflops: {bf16: 100}}
orders: [{name: o, chip: a, units: 10}]
"""


def test_cost_per_million_tokens(impl: str, tmp_path: Path) -> None:
    own = option(evaluate(impl, TOKENS, tmp_path), "a")
    # D = 1000 TFLOP/s = 1e15 FLOP/s; / 1e9 FLOP per token = 1e6 tokens/s; over 4 years (A = L = 4):
    # 1e6 * 3600 * 8760 * 4 = 1.26144e14 tokens = 1.26144e8 million; TCO $100,000.
    assert own["usd_per_million_tokens"] == approx(100000 / 1.26144e8)


def test_no_flops_per_token_gives_no_token_figure(impl: str, tmp_path: Path) -> None:
    assert option(evaluate(impl, DISCOUNTED, tmp_path), "a")["usd_per_million_tokens"] is None


# Breakevens ------------------------------------------------------------------

TWO = """\
{workload}assumptions: {{levy_pass_through: {t}, lifetime_years: 5, discount_rate: {d}}}
chips:
  a: {{platform: {pa}, price: {pa_price}, levy_rate: {ra}, levy_base: {sa}, tflops: {{bf16: 100}},
      operations_usd_per_year: {oa}, bandwidth_tbps: 100}}
  c: {{platform: {pc}, price: {pc_price}, tflops: {{bf16: {fc}}}, operations_usd_per_year: {oc},
      bandwidth_tbps: {bc}, utilization: {uc}{cx}}}
platforms: {{cann: {{migration_cost: 1000000}}}}
orders: [{{name: o, chip: a, units: 100}}]
"""
DEFAULTS = dict(
    workload="",
    t=0,
    d=0,
    pa="cuda",
    pa_price=10000,
    ra=0,
    sa=1,
    oa=0,
    pc="cuda",
    pc_price=8000,
    fc=100,
    oc=0,
    bc=100,
    uc=1,
    cx="",
)


def breakeven(impl: str, tmp_path: Path, name: str, **changes: object) -> dict:
    result = evaluate(impl, TWO.format(**{**DEFAULTS, **changes}), tmp_path)
    return option(result, "c")["breakeven"][name]


@pytest.mark.parametrize(
    ("changes", "reason", "pays", "value"),
    [
        # k_a/e_a = 10000/100 = 100, k_c/e_c = 8000/100 = 80: den = 20 > 0; num = 1e6 - 0 > 0: D* = 50,000.
        (dict(pc="cann"), None, "above", 50000),
        # a on cann (M_a = 1e6) at 8000, c on cuda at 10000: den = 80 - 100 < 0, num = -1e6 < 0: D* = 50,000.
        (dict(pa="cann", pa_price=8000, pc_price=10000), None, "below", 50000),
        (dict(), "always", None, None),  # den > 0, num = 0
        (dict(pc_price=12000), "never", None, None),  # den < 0, num = 0
        (dict(pc_price=10000), "equal", None, None),  # den = 0, num = 0
        (dict(pc_price=10000, pc="cann"), "never", None, None),  # den = 0, num > 0
    ],
)
def test_demand_breakeven_cases(impl, tmp_path, changes, reason, pays, value) -> None:
    found = breakeven(impl, tmp_path, "demand_tflops", **changes)
    assert (found["reason"], found["pays"]) == (reason, pays)
    if value is None:
        assert found["value"] is None and found["order_units"] is None
    else:
        assert found["value"] == approx(value)
        assert found["order_units"] == approx(value / 100)  # D* / e_a


@pytest.mark.parametrize(
    ("changes", "reason", "value"),
    [
        # T_c = 100 * 12000 = 1.2e6, so b* = 12000; share base s = 1, t = 0.5:
        # r* = (1 - 10000/12000) / 0.5 = 1/3.
        (dict(t=0.5, ra=0.1, pc_price=12000), None, 1 / 3),
        # Money base V = 8000: r* = (b* - p_a) / (t V) = 2000 / 4000 = 0.5.
        (dict(t=0.5, ra=0.1, sa="$8000", pc_price=12000), None, 0.5),
        (dict(t=0.5, ra=0.1, pc_price=9000), "always", 0.0),  # b* = 9000 < p_a = 10000
        (dict(t=0, ra=0.1, pc_price=12000), "not passed through", None),
        (dict(t=0.5, ra=0.1, sa="$8000", pc_price=30000), "out of range", 5.0),  # 20000 / 4000
        # On the edge: b* = 10000 + 4000 (1 + 5e-10) gives r* within 1e-9 of 1: in range. 1 + 5e-9 is not.
        (dict(t=0.5, ra=0.1, sa="$8000", pc_price=10000 + 4000 * (1 + 5e-10)), None, 1 + 5e-10),
        (dict(t=0.5, ra=0.1, sa="$8000", pc_price=10000 + 4000 * (1 + 5e-9)), "out of range", 1 + 5e-9),
    ],
)
def test_levy_rate_breakeven_cases(impl, tmp_path, changes, reason, value) -> None:
    found = breakeven(impl, tmp_path, "levy_rate", **changes)
    assert found["reason"] == reason
    assert found["value"] == (None if value is None else approx(value, rel=1e-9))


def test_price_breakeven_share_and_money_base(impl: str, tmp_path: Path) -> None:
    # T_a = 100 * 12000 = 1.2e6, n_c = 100: b* = 12000. A share base on c, rho = 0.2 * 0.5 = 0.1, t = 0.5:
    # p* = 12000 * (1 - 0.05) = 11400. A money base of $10k: L_c = 2000, p* = 12000 - 0.5 * 2000 = 11000.
    share = breakeven(
        impl, tmp_path, "price_usd", t=0.5, pa_price=12000, cx=", levy_rate: 0.2, levy_base: 0.5"
    )
    money = breakeven(
        impl, tmp_path, "price_usd", t=0.5, pa_price=12000, cx=", levy_rate: 0.2, levy_base: $10000"
    )
    assert share == {"value": approx(11400), "reason": None}
    assert money == {"value": approx(11000), "reason": None}


def test_price_breakeven_on_the_edge_of_zero(impl: str, tmp_path: Path) -> None:
    # b* = T_a / n_c - h_c = 1e6 / 100 - h_c, and p* = b* (no levy on c). A host cost of 10000 + 4e-6 gives
    # p* = -4e-6, within 1e-9 * p_c = 8e-6 of 0: on the edge, in range; 10000 + 2e-5 gives -2e-5:
    # out of range.
    inside = breakeven(impl, tmp_path, "price_usd", cx=", host_cost: " + repr(10000 + 4e-6))
    outside = breakeven(impl, tmp_path, "price_usd", cx=", host_cost: " + repr(10000 + 2e-5))
    assert inside["reason"] is None and inside["value"] == pytest.approx(-4e-6, abs=1e-9)
    assert outside["reason"] == "out of range" and outside["value"] == pytest.approx(-2e-5, abs=1e-9)


def test_migration_and_utilization_breakevens(impl: str, tmp_path: Path) -> None:
    # T_a = 1e6, n_c k_c = 100 * 8000: M* = 200,000.
    # u* = D k_c / (F'_c (T_a - M_c)) = 10000 * 8000 / (100 * 1e6) = 0.8.
    assert breakeven(impl, tmp_path, "migration_cost_usd") == {"value": approx(200000), "reason": None}
    assert breakeven(impl, tmp_path, "utilization") == {"value": approx(0.8), "reason": None}
    # c at 30000: u* = 10000 * 30000 / (100 * 1e6) = 3, out of range; M* = 1e6 - 3e6 < 0, out of range.
    assert breakeven(impl, tmp_path, "utilization", pc_price=30000) == {
        "value": approx(3),
        "reason": "out of range",
    }
    assert breakeven(impl, tmp_path, "migration_cost_usd", pc_price=30000)["reason"] == "out of range"
    # On the edge: c at 10000 (1 + 5e-10) needs u* = 1 + 5e-10, within 1e-9 of 1: in range.
    assert breakeven(impl, tmp_path, "utilization", pc_price=10000 * (1 + 5e-10))["reason"] is None
    assert breakeven(impl, tmp_path, "utilization", pc_price=10000 * (1 + 5e-9))["reason"] == "out of range"


def test_utilization_breakeven_uses_attainable_throughput(impl: str, tmp_path: Path) -> None:
    # With I = 2 FLOP/B: F'_a = min(100, 100 * 2) = 100, F'_c = min(1000, 100 * 2) = 200;
    # u_c = 0.25: e_c = 50,
    # n_c = 10000 / 50 = 200; u* = 10000 * 10000 / (200 * 1e6) = 0.5 (at 0.5, 100 units cost T_a).
    found = option(
        evaluate(
            impl,
            TWO.format(
                **{
                    **DEFAULTS,
                    "workload": "workload: {arithmetic_intensity: 2}\n",
                    "pc_price": 10000,
                    "fc": 1000,
                    "uc": 0.25,
                }
            ),
            tmp_path,
        ),
        "c",
    )
    assert found["attainable_tflops_per_unit"] == approx(200)
    assert found["breakeven"]["utilization"] == {"value": approx(0.5), "reason": None}


DELTA = math.log(1.1)


@pytest.mark.parametrize(
    ("changes", "reason", "pays", "value"),
    [
        # U = 100 * 14000 - 100 * 10000 = 400,000; V = 100 * 3000 - 100 * 1000 = 200,000: A* = 2.
        (dict(pc_price=14000, oa=3000, oc=1000), None, "after", 2.0),
        (dict(pc_price=14000, oa=3000, oc=1000, d=0.1), None, "after", -math.log(1 - 2 * DELTA) / DELTA),
        # V = 100 * 200 = 20,000: A* = 20, and 20 * ln 1.1 = 1.9 >= 1: never repaid at 10%;
        # at d = 0, 20 years.
        (dict(pc_price=14000, oa=3000, oc=2800), None, "after", 20.0),
        (dict(pc_price=14000, oa=3000, oc=2800, d=0.1), "never", None, None),
        # U = -200,000, V = -100,000: A* = 2, pays before.
        (dict(pc_price=8000, oa=0, oc=1000), None, "before", 2.0),
        (dict(pc_price=8000, oa=0, oc=1000, d=0.1), None, "before", -math.log(1 - 2 * DELTA) / DELTA),
        (dict(pc_price=8000, oa=0, oc=100, d=0.1), "always", None, None),  # U = -2e5, V = -1e4: A* = 20
        (dict(pc_price=8000, oa=1000, oc=0), "always", None, None),  # U < 0, V > 0
        (dict(pc_price=14000, oa=0, oc=1000), "never", None, None),  # U > 0, V < 0
        (dict(pc_price=10000, oa=1000, oc=1000), "equal", None, None),  # U = 0, V = 0
        (dict(pc_price=10000, oa=1000, oc=0), "always", None, None),  # U = 0, V > 0
    ],
)
def test_lifetime_breakeven_cases(impl, tmp_path, changes, reason, pays, value) -> None:
    found = breakeven(impl, tmp_path, "lifetime_years", **changes)
    assert (found["reason"], found["pays"]) == (reason, pays)
    assert found["value"] == (None if value is None else approx(value, rel=1e-9))


# The order's chip scaled x3: costs per TFLOP/s equal in exact arithmetic, not in floating point
# (k_a / e_a - k_c / e_c comes out at -1.4e-14, U at -1.5e-8, V at -2.3e-10). MODEL.md's zero
# tolerance makes them 0: `equal`, not `never` or `always`.
SCALED = """\
assumptions: {lifetime_years: 5, pue: 1.3, electricity_usd_per_kwh: 0.0764}
chips:
  a: {price: 27000.1, power_w: 700, tflops: {bf16: 989}, utilization: 0.4}
  c: {price: 81000.29999999999, power_w: 2100, tflops: {bf16: 2967}, utilization: 0.4}
orders: [{name: o, chip: a, units: 3333}]
"""


def test_scaled_copy_of_the_order_chip_is_equal(impl: str, tmp_path: Path) -> None:
    found = option(evaluate(impl, SCALED, tmp_path), "c")["breakeven"]
    assert found["demand_tflops"]["reason"] == "equal"
    assert found["lifetime_years"]["reason"] == "equal"


# Cash flows --------------------------------------------------------------------

FLOWS = TWO.format(**{**DEFAULTS, "pc_price": 14000, "oa": 3000, "oc": 1000, "d": 0.1}).replace(
    "lifetime_years: 5", "lifetime_years: 4.5"
)


@pytest.mark.parametrize(
    ("period", "count", "length"), [("year", 5, 1.0), ("quarter", 18, 0.25), ("month", 54, 1 / 12)]
)
def test_cash_flow_periods_sum_to_the_tco(impl, tmp_path, period, count, length) -> None:
    flows = cashflows(impl, FLOWS, tmp_path, period)
    tco = {
        entry["chip"]: entry["tco_usd"] for entry in evaluate(impl, FLOWS, tmp_path)["orders"][0]["options"]
    }
    for chip, entry in flows.items():
        periods = entry["periods"]
        assert len(periods) == 1 + count  # ceil(4.5 / l - 1e-9) periods after period 0
        assert periods[0]["start_years"] == periods[0]["end_years"] == 0
        assert periods[-1]["end_years"] == approx(4.5)
        assert sum(row["discounted_usd"] for row in periods) == approx(tco[chip], rel=1e-9)
        assert periods[-1]["cumulative_discounted_usd"] == approx(tco[chip], rel=1e-9)
        assert periods[1]["end_years"] == approx(length)


def test_cash_flow_rows_worked(impl: str, tmp_path: Path) -> None:
    flows = cashflows(impl, FLOWS, tmp_path, "year")
    a, c = flows["a"], flows["c"]
    # Period 0: capex 100 * 14000 for c, undiscounted; year 1: operations 100 * 1000 nominal,
    # discounted 100 * 1000 * (1 - 1.1^-1) / ln 1.1; the last year, [4, 4.5], is half a year.
    assert c["periods"][0]["capex_usd"] == approx(1.4e6)
    assert c["periods"][0]["discounted_usd"] == approx(1.4e6)
    assert c["periods"][1]["operations_usd"] == approx(1e5)
    assert c["periods"][1]["total_usd"] == approx(1e5)
    assert c["periods"][1]["discounted_usd"] == approx(1e5 * (1 - 1.1**-1) / DELTA)
    assert c["periods"][5]["operations_usd"] == approx(0.5e5)
    assert c["periods"][5]["discounted_usd"] == approx(1e5 * (1.1**-4 - 1.1**-4.5) / DELTA)
    # payback_years is breakeven 6: A* = 400,000 / 200,000 = 2, L* = -ln(1 - 2 ln 1.1) / ln 1.1 = 2.219.
    assert a["payback_years"] is None
    assert c["payback_years"] == approx(-math.log(1 - 2 * DELTA) / DELTA, rel=1e-9)


def test_cumulative_costs_cross_at_the_payback(impl: str, tmp_path: Path) -> None:
    # L* = 2.219 lies in year 3: c is dearer at the end of year 2 and cheaper at the end of year 3.
    flows = cashflows(impl, FLOWS, tmp_path, "year")
    gap = [
        c["cumulative_discounted_usd"] - a["cumulative_discounted_usd"]
        for a, c in zip(flows["a"]["periods"], flows["c"]["periods"])
    ]
    assert gap[2] > 0 > gap[3]
    # At L* itself, both have cost the same: U - a(0, L*) V = 400,000 - a(0, L*) * 200,000 = 0.
    payback = flows["c"]["payback_years"]
    assert 400000 - (1 - 1.1**-payback) / DELTA * 200000 == pytest.approx(0, abs=1e-6)


# extends: a child's range replaces its parent's whole -------------------------


def test_child_range_replaces_the_parent_range_whole(impl: str, tmp_path: Path) -> None:
    if impl == "oracle":
        pytest.skip("the oracle takes a plain dict: extends is the loader's, checked on chipcalc only")
    write(
        tmp_path,
        """\
    chips:
      a: {price: 10000, tflops: {bf16: 100}, utilization: {low: 5%, mode: 10%, high: 30%}}
    orders: [{name: o, chip: a, units: 10}]
    """,
        "parent.yaml",
    )
    child = write(
        tmp_path,
        """\
    extends: parent.yaml
    chips:
      a: {utilization: {low: 20%, high: 60%}}
    """,
        "child.yaml",
    )
    chips = run_json("chips", str(child))["scenarios"][0]["chips"]
    # The child's range has no mode: the midpoint (20% + 60%) / 2 = 40%, not the parent's 10%.
    assert chips[0]["utilization"] == approx(0.4)
    assert chips[0]["effective_tflops_per_unit"] == approx(40)
