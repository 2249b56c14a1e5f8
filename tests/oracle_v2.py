"""An independent implementation of MODEL.md version 2, for checking chipcalc against it.

It imports nothing from chipcalc, on purpose: it is written from the spec
alone, so that an error shared by the two would have to be made twice. It
takes a plain scenario dict whose figures are already in USD and fractions:

    {"assumptions": {...}, "workload": {...}, "chips": {key: {...}},
     "platforms": {name: {...}}, "orders": [{"name", "chip", "units" | "budget"}]}

with the key names of SCENARIO.md (money without `_usd`: `price`, `host_cost`,
`budget`; a money levy base as `levy_base_usd` instead of `levy_base`).
Defaults are MODEL.md's. Results use the JSON field names of CLI.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

HOURS_PER_YEAR = 8760
ZERO = 1e-12
"""MODEL.md, zero in a case split: a difference this small relative to its terms counts as 0."""
EDGE = 1e-9
"""MODEL.md: a breakeven this close to its range's edge is on the edge and in range."""
BITS = {"fp64": 64, "tf32": 32, "fp16": 16, "bf16": 16, "fp8": 8, "int8": 8, "fp4": 4}
ASSUMPTION_DEFAULTS = {
    "precision": "bf16",
    "lifetime_years": 4.0,
    "pue": 1.0,
    "levy_pass_through": 0.0,
    "incumbent_platform": "cuda",
    "electricity_usd_per_kwh": 0.0,
    "discount_rate": 0.0,
    "power_draw": 1.0,
    "facility_usd_per_kw_month": 0.0,
    "maintenance_rate": 0.0,
    "operations_usd_per_year": 0.0,
}
CHIP_OVERRIDABLE = (
    "electricity_usd_per_kwh",
    "power_draw",
    "facility_usd_per_kw_month",
    "maintenance_rate",
    "operations_usd_per_year",
)
Scenario = Mapping[str, object]


def assumptions(scenario: Scenario) -> dict:
    return {**ASSUMPTION_DEFAULTS, **scenario.get("assumptions", {})}


def annuity(rate: float, start_years: float, end_years: float) -> float:
    """a(t0, t1): present value of 1 USD a year paid continuously from t0 to t1."""
    if rate == 0:
        return end_years - start_years
    delta = math.log1p(rate)
    # (exp(-delta t0) - exp(-delta t1)) / delta, written with expm1 so that a tiny rate does not cancel to 0.
    return math.exp(-delta * start_years) * -math.expm1(-delta * (end_years - start_years)) / delta


def lifetime_factor(scenario: Scenario) -> float:
    """A = a(0, L)."""
    given = assumptions(scenario)
    return annuity(given["discount_rate"], 0.0, given["lifetime_years"])


def sign(first: float, second: float) -> int:
    """The sign of first - second, 0 when within 1e-12 of the larger magnitude (MODEL.md)."""
    difference = first - second
    if abs(difference) <= ZERO * max(abs(first), abs(second)):
        return 0
    return 1 if difference > 0 else -1


def migration(scenario: Scenario, key: str) -> float:
    chip = scenario["chips"][key]
    given = assumptions(scenario)
    platform = chip.get("platform", given["incumbent_platform"])
    if platform == given["incumbent_platform"]:
        return 0.0
    entry = scenario.get("platforms", {})[platform]
    return entry.get("migration_cost", 0.0) + entry.get("engineer_months", 0.0) * entry.get(
        "cost_per_engineer_month", 0.0
    )


def chip_figures(scenario: Scenario, key: str) -> dict:
    """Per chip (MODEL.md), named as in `chips -f json`."""
    chip = scenario["chips"][key]
    given = assumptions(scenario)
    setting = {name: chip.get(name, given[name]) for name in CHIP_OVERRIDABLE}
    t = given["levy_pass_through"]
    price, rate = chip["price"], chip.get("levy_rate", 0.0)
    money_base = chip.get("levy_base_usd")
    if money_base is None:
        rho = rate * chip.get("levy_base", 1.0)
        buyer = price / (1 - t * rho)
        levy = rho * buyer
    else:
        levy = rate * money_base
        buyer = price + t * levy
    peak = chip["tflops"][given["precision"]]
    intensity = scenario.get("workload", {}).get("arithmetic_intensity")
    attainable = peak if intensity is None else min(peak, chip["bandwidth_tbps"] * intensity)
    effective = attainable * chip.get("utilization", 1.0)
    host = chip.get("host_cost", 0.0)
    power = chip.get("power_w", 0.0)
    hardware = buyer + host
    energy_year = (
        power
        * setting["power_draw"]
        / 1000
        * given["pue"]
        * HOURS_PER_YEAR
        * setting["electricity_usd_per_kwh"]
    )
    facility_year = power / 1000 * 12 * setting["facility_usd_per_kw_month"]
    maintenance_year = setting["maintenance_rate"] * hardware
    operations_year = setting["operations_usd_per_year"]
    running = energy_year + facility_year + maintenance_year + operations_year
    factor = lifetime_factor(scenario)
    return {
        "chip": key,
        "price_usd": price,
        "levy_rate": rate,
        "levy_base": None if money_base is not None else chip.get("levy_base", 1.0),
        "levy_base_usd": money_base,
        "buyer_price_usd": buyer,
        "levy_per_unit_usd": levy,
        "vendor_net_per_unit_usd": buyer - levy,
        "tflops": peak,
        "attainable_tflops_per_unit": attainable,
        "utilization": chip.get("utilization", 1.0),
        "effective_tflops_per_unit": effective,
        "tflops_per_kusd": 1000 * effective / buyer,
        "tpp": max(value * BITS[precision] for precision, value in chip["tflops"].items()),
        "power_w": power,
        "power_draw": setting["power_draw"],
        "host_cost_usd": host,
        "hardware_usd": hardware,
        "energy_per_year_usd": energy_year,
        "facility_per_year_usd": facility_year,
        "maintenance_per_year_usd": maintenance_year,
        "operations_per_year_usd": operations_year,
        "running_cost_per_year_usd": running,
        "energy_per_unit_usd": factor * energy_year,
        "cost_per_unit_usd": hardware + factor * running,
        "migration_usd": migration(scenario, key),
        "supply_units": chip.get("supply_units"),
        # q_c and X_c of the breakevens: k_c = q_c * (b_c + h_c) + X_c.
        "q": 1 + factor * setting["maintenance_rate"],
        "x": factor * (energy_year + facility_year + operations_year),
        "is_money_base": money_base is not None,
        "levy_share": rho if money_base is None else None,
    }


def option(scenario: Scenario, demand: float, fig: dict, own_tco: float) -> dict:
    """One chip as a way to meet `demand` (MODEL.md, per order), named as in `compare -f json`."""
    factor = lifetime_factor(scenario)
    units = demand / fig["effective_tflops_per_unit"]
    tco = units * fig["cost_per_unit_usd"] + fig["migration_usd"]
    pflops = demand / 1000
    phi = scenario.get("workload", {}).get("flops_per_token")
    supply = fig["supply_units"]
    shortfall = 0.0 if supply is None else max(0.0, units - supply)
    return {
        "chip": fig["chip"],
        "units": units,
        "buyer_price_usd": fig["buyer_price_usd"],
        "levy_per_unit_usd": fig["levy_per_unit_usd"],
        "capex_usd": units * fig["hardware_usd"],
        "levy_usd": units * fig["levy_per_unit_usd"],
        "energy_usd": units * factor * fig["energy_per_year_usd"],
        "facility_usd": units * factor * fig["facility_per_year_usd"],
        "maintenance_usd": units * factor * fig["maintenance_per_year_usd"],
        "operations_usd": units * factor * fig["operations_per_year_usd"],
        "migration_usd": fig["migration_usd"],
        "tco_usd": tco,
        "attainable_tflops_per_unit": fig["attainable_tflops_per_unit"],
        "effective_tflops_per_unit": fig["effective_tflops_per_unit"],
        "tflops_per_kusd": fig["tflops_per_kusd"],
        "usd_per_effective_pflops": tco / pflops,
        "usd_per_effective_pflops_hour": tco / (pflops * HOURS_PER_YEAR * factor),
        "usd_per_million_tokens": None
        if phi is None
        else tco / (demand * 1e12 / phi * 3600 * HOURS_PER_YEAR * factor / 1e6),
        "vs_order": tco / own_tco - 1,
        "supply_shortfall_units": shortfall,
        "feasible": shortfall <= 0,
    }


def order_result(scenario: Scenario, index: int) -> dict:
    """Per order: units, demand, spend, levy, vendor net, and every option cheapest first."""
    order = scenario["orders"][index]
    figures = {key: chip_figures(scenario, key) for key in scenario["chips"]}
    own = figures[order["chip"]]
    units = order["units"] if "units" in order else order["budget"] / own["buyer_price_usd"]
    demand = units * own["effective_tflops_per_unit"]
    own_tco = units * own["cost_per_unit_usd"] + own["migration_usd"]
    options = []
    for key, fig in figures.items():
        fields = option(scenario, demand, fig, own_tco)
        fields["breakeven"] = (
            None
            if key == order["chip"]
            else breakevens(scenario, demand, own, units, own_tco, fig, fields["units"], fields["tco_usd"])
        )
        options.append(fields)
    options.sort(key=lambda fields: (fields["tco_usd"], fields["chip"]))
    return {
        "name": order.get("name", f"order-{index + 1}"),
        "chip": order["chip"],
        "units": units,
        "demand_tflops": demand,
        "spend_usd": units * own["buyer_price_usd"],
        "levy_usd": units * own["levy_per_unit_usd"],
        "vendor_net_usd": units * own["vendor_net_per_unit_usd"],
        "options": options,
    }


# Breakevens --------------------------------------------------------------


def _value(value: float | None, reason: str | None = None, **extra: object) -> dict:
    return {"value": value, "reason": reason, **extra}


def _ranged(value: float, below: float | None, above: float | None, scale: float) -> dict:
    """A finite breakeven: `out of range` beyond an edge by more than 1e-9 * scale."""
    outside = (below is not None and value < below - EDGE * scale) or (
        above is not None and value > above + EDGE * scale
    )
    return _value(value, "out of range" if outside else None)


def breakevens(
    scenario: Scenario,
    demand: float,
    a: dict,
    units_a: float,
    tco_a: float,
    c: dict,
    units_c: float,
    tco_c: float,
) -> dict:
    """The six breakevens of switching from the order's chip `a` to option `c`."""
    t = assumptions(scenario)["levy_pass_through"]
    return {
        "demand_tflops": demand_breakeven(a, c),
        "levy_rate": levy_rate_breakeven(scenario, a, units_a, tco_c, t),
        "migration_cost_usd": _ranged(tco_a - units_c * c["cost_per_unit_usd"], 0.0, None, tco_a),
        "price_usd": price_breakeven(c, units_c, tco_a, t),
        "utilization": utilization_breakeven(demand, c, tco_a),
        "lifetime_years": lifetime_breakeven(scenario, a, units_a, c, units_c),
    }


def demand_breakeven(a: dict, c: dict) -> dict:
    per_a = a["cost_per_unit_usd"] / a["effective_tflops_per_unit"]
    per_c = c["cost_per_unit_usd"] / c["effective_tflops_per_unit"]
    den, num = sign(per_a, per_c), sign(c["migration_usd"], a["migration_usd"])
    if den != 0 and den == num:
        value = (c["migration_usd"] - a["migration_usd"]) / (per_a - per_c)
        return _value(
            value, pays="above" if den > 0 else "below", order_units=value / a["effective_tflops_per_unit"]
        )
    if (den > 0 and num <= 0) or (den == 0 and num < 0):
        reason = "always"
    elif den == 0 and num == 0:
        reason = "equal"
    else:
        reason = "never"
    return _value(None, reason, pays=None, order_units=None)


def levy_rate_breakeven(scenario: Scenario, a: dict, units_a: float, tco_c: float, t: float) -> dict:
    target = ((tco_c - a["migration_usd"]) / units_a - a["x"]) / a["q"] - a["host_cost_usd"]
    price = a["price_usd"]
    if sign(target, price) < 0:
        return _value(0.0, "always")
    if t == 0:
        return _value(None, "not passed through")
    if a["is_money_base"]:
        rate = (target - price) / (t * a["levy_base_usd"])
    else:
        rate = (1 - price / target) / (t * a["levy_base"])
    # Range [0, 1): a rate of 1 or more is out of range, one within 1e-9 of 1 is on the edge.
    return _ranged(rate, 0.0, 1.0, 1.0)


def price_breakeven(c: dict, units_c: float, tco_a: float, t: float) -> dict:
    buyer = ((tco_a - c["migration_usd"]) / units_c - c["x"]) / c["q"] - c["host_cost_usd"]
    if c["is_money_base"]:
        price = buyer - t * c["levy_per_unit_usd"]
    else:
        price = buyer * (1 - t * c["levy_share"])
    return _ranged(price, 0.0, None, c["price_usd"])


def utilization_breakeven(demand: float, c: dict, tco_a: float) -> dict:
    if not tco_a > c["migration_usd"]:
        return _value(None, "never")
    value = demand * c["cost_per_unit_usd"] / (c["attainable_tflops_per_unit"] * (tco_a - c["migration_usd"]))
    return _ranged(value, 0.0, 1.0, 1.0)


def upfront_and_saving(a: dict, units_a: float, c: dict, units_c: float) -> tuple[float, float, int, int]:
    """U, V and their signs (with the zero tolerance) for breakeven 6."""
    up_c = units_c * c["hardware_usd"] + c["migration_usd"]
    up_a = units_a * a["hardware_usd"] + a["migration_usd"]
    run_a = units_a * a["running_cost_per_year_usd"]
    run_c = units_c * c["running_cost_per_year_usd"]
    return up_c - up_a, run_a - run_c, sign(up_c, up_a), sign(run_a, run_c)


def lifetime_breakeven(scenario: Scenario, a: dict, units_a: float, c: dict, units_c: float) -> dict:
    upfront, saving, u, v = upfront_and_saving(a, units_a, c, units_c)
    rate = assumptions(scenario)["discount_rate"]
    if u != 0 and u == v:
        factor = upfront / saving
        if rate == 0:
            return _value(factor, pays="after" if u > 0 else "before")
        delta = math.log1p(rate)
        if factor * delta >= 1:
            return _value(None, "never" if u > 0 else "always", pays=None)
        return _value(-math.log1p(-factor * delta) / delta, pays="after" if u > 0 else "before")
    if u == 0 and v == 0:
        reason = "equal"
    elif u <= 0 and v >= 0:
        reason = "always"
    else:
        reason = "never"
    return _value(None, reason, pays=None)


# Cash flows --------------------------------------------------------------

PERIOD_YEARS = {"year": 1.0, "quarter": 0.25, "month": 1 / 12}


def cashflow(scenario: Scenario, index: int, period_years: float) -> dict[str, dict]:
    """Per option of one order: its periods (MODEL.md, cash flows) and its payback_years."""
    order = order_result(scenario, index)
    given = assumptions(scenario)
    life, rate = given["lifetime_years"], given["discount_rate"]
    count = math.ceil(life / period_years - 1e-9)
    result = {}
    for fields in order["options"]:
        fig = chip_figures(scenario, fields["chip"])
        units = fields["units"]
        first = {
            "period": 0,
            "start_years": 0.0,
            "end_years": 0.0,
            "capex_usd": fields["capex_usd"],
            "migration_usd": fields["migration_usd"],
            "energy_usd": 0.0,
            "facility_usd": 0.0,
            "maintenance_usd": 0.0,
            "operations_usd": 0.0,
        }
        first["total_usd"] = first["discounted_usd"] = first["capex_usd"] + first["migration_usd"]
        first["cumulative_discounted_usd"] = first["discounted_usd"]
        periods = [first]
        for k in range(1, count + 1):
            start, end = (k - 1) * period_years, min(k * period_years, life)
            length = end - start
            row = {
                "period": k,
                "start_years": start,
                "end_years": end,
                "capex_usd": 0.0,
                "migration_usd": 0.0,
                "energy_usd": units * fig["energy_per_year_usd"] * length,
                "facility_usd": units * fig["facility_per_year_usd"] * length,
                "maintenance_usd": units * fig["maintenance_per_year_usd"] * length,
                "operations_usd": units * fig["operations_per_year_usd"] * length,
            }
            row["total_usd"] = (
                row["energy_usd"] + row["facility_usd"] + row["maintenance_usd"] + row["operations_usd"]
            )
            row["discounted_usd"] = units * fig["running_cost_per_year_usd"] * annuity(rate, start, end)
            row["cumulative_discounted_usd"] = (
                periods[-1]["cumulative_discounted_usd"] + row["discounted_usd"]
            )
            periods.append(row)
        breakeven = fields["breakeven"]
        result[fields["chip"]] = {
            "chip": fields["chip"],
            "payback_years": None if breakeven is None else breakeven["lifetime_years"]["value"],
            "periods": periods,
        }
    return result


def cumulative_cost(scenario: Scenario, index: int, key: str, years: float) -> float:
    """The discounted cost of option `key` paid by time `years`: upfront plus a(0, years) of running."""
    order = order_result(scenario, index)
    fields = next(option for option in order["options"] if option["chip"] == key)
    fig = chip_figures(scenario, key)
    rate = assumptions(scenario)["discount_rate"]
    return (
        fields["capex_usd"]
        + fields["migration_usd"]
        + fields["units"] * fig["running_cost_per_year_usd"] * annuity(rate, 0.0, years)
    )
