"""The formulas of MODEL.md (version 2), and nothing else.

The formula functions use plain arithmetic, so the same code evaluates one
scenario (floats) or many sampled ones (numpy arrays broadcast through
`+ - * /`); the one exponential, discounting, goes through `_exp`/`_log1p`,
which take numpy's functions for arrays. Choices between cases (breakeven
reasons, sorting) are made at the edges, in `evaluate`, on floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from .scenario import PRECISION_BITS, Assumptions, Chip, Kind, Order, Platform, Scenario, Workload

HOURS_PER_YEAR = 8760
MONTHS_PER_YEAR = 12

ZERO_TOLERANCE = 1e-12
"""A difference counts as 0 when it is at most this share of the larger of its two terms (MODEL.md,
zero in a case split): rounding must not turn `equal` into `never`."""
EDGE_TOLERANCE = 1e-9
"""A breakeven this close to its input's range edge is on the edge, and in range (MODEL.md)."""


def _shown(kind: Kind, **default: Any) -> Any:
    """A result field with its display kind (money, rate or number): `chipcalc.kinds` reads it, so
    every table, diff and plot shows the field the same way. A new field states its kind here."""
    return field(metadata={"kind": kind}, **default)


# Time and discounting -----------------------------------------------------


def _is_array(value: Any) -> bool:
    return hasattr(value, "__array_ufunc__")


def _exp(value: Any) -> Any:
    if _is_array(value):
        import numpy as np  # already loaded: an array came in

        return np.exp(value)
    return math.exp(value)


def _expm1(value: Any) -> Any:
    if _is_array(value):
        import numpy as np

        return np.expm1(value)
    return math.expm1(value)


def _log1p(value: Any) -> Any:
    if _is_array(value):
        import numpy as np

        return np.log1p(value)
    return math.log1p(value)


def present_value_factor(start_years: Any, end_years: Any, discount_rate: Any) -> Any:
    """a(t0, t1): today's value of 1 USD a year paid evenly from year t0 to t1, discounted
    continuously at delta = ln(1 + d); t1 - t0 when d = 0."""
    length = end_years - start_years
    if not _is_array(discount_rate):
        if discount_rate == 0:
            return length
        delta = math.log1p(discount_rate)
        return -_expm1(-delta * length) / delta * _exp(-delta * start_years)
    import numpy as np

    delta = np.log1p(discount_rate)
    safe = np.where(delta > 0, delta, 1.0)  # d = 0 takes the limit t1 - t0, without dividing by 0
    discounted = -np.expm1(-safe * length) / safe * np.exp(-safe * start_years)
    return np.where(delta > 0, discounted, length)


def lifetime_factor(assumptions: Assumptions) -> Any:
    """A = a(0, L): the present value of 1 USD a year over the whole life (A = L when d = 0)."""
    return present_value_factor(0.0, assumptions.lifetime_years, assumptions.discount_rate)


# Per chip -----------------------------------------------------------------


def tpp(tflops: Mapping[str, float]) -> float:
    """Total processing performance: the largest peak TFLOP/s x bit length over precisions."""
    return max(value * PRECISION_BITS[precision] for precision, value in tflops.items())


def migration_cost(platform: Platform | None) -> Any:
    """M = migration_cost + engineer_months * cost_per_engineer_month (0 on the incumbent)."""
    if platform is None:
        return 0.0
    return platform.migration_cost_usd + platform.engineer_months * platform.cost_per_engineer_month_usd


def levy_and_price(chip: Chip, pass_through: Any) -> tuple[Any, Any]:
    """(L, b): levy per unit and buyer price, with b - p = t * L.

    Share base: rho = r * s, b = p / (1 - t * rho), L = rho * b. Money base (a customs value
    V per unit): L = r * V, b = p + t * L.
    """
    if chip.levy_base_is_money:
        levy = chip.levy_rate * chip.levy_base
        return levy, chip.price_usd + pass_through * levy
    rho = chip.levy_rate * chip.levy_base
    price = chip.price_usd / (1 - pass_through * rho)
    return rho * price, price


def attainable_tflops(chip: Chip, precision: str, workload: Workload) -> Any:
    """F' = min(F, B * I): peak throughput capped by memory bandwidth (a roofline) when the workload
    gives an arithmetic intensity; TB/s times FLOP/byte is TFLOP/s."""
    peak = chip.tflops[precision]
    if workload.arithmetic_intensity is None:
        return peak
    bound = chip.bandwidth_tbps * workload.arithmetic_intensity
    return (peak + bound - abs(peak - bound)) / 2  # min(peak, bound), arrays too


@dataclass(frozen=True)
class ChipFigures:
    """Per-unit figures of one chip (MODEL.md, per chip); lifetime figures are present values."""

    chip: Chip
    tflops: Any = _shown(Kind.NUMBER)
    """F: dense peak TFLOP/s at the scenario's precision."""
    attainable_tflops: Any = _shown(Kind.NUMBER)
    """F' = min(F, B * I): the peak the workload can reach."""
    effective_levy_rate: Any = _shown(Kind.RATE)
    """L / b: the levy as a share of the buyer price."""
    buyer_price_usd: Any = _shown(Kind.MONEY)
    levy_per_unit_usd: Any = _shown(Kind.MONEY)
    vendor_net_per_unit_usd: Any = _shown(Kind.MONEY)
    effective_tflops_per_unit: Any = _shown(Kind.NUMBER)
    """e = F' * u."""
    hardware_cost_usd: Any = _shown(Kind.MONEY)
    """H = b + h: paid at time 0."""
    power_draw: Any = _shown(Kind.RATE)
    electricity_usd_per_kwh: Any = _shown(Kind.MONEY)
    energy_per_year_usd: Any = _shown(Kind.MONEY)
    facility_per_year_usd: Any = _shown(Kind.MONEY)
    maintenance_rate: Any = _shown(Kind.RATE)
    maintenance_per_year_usd: Any = _shown(Kind.MONEY)
    operations_per_year_usd: Any = _shown(Kind.MONEY)
    running_cost_per_year_usd: Any = _shown(Kind.MONEY)
    """R = energy + facility + maintenance + operations, a year."""
    lifetime_factor: Any = _shown(Kind.NUMBER)
    """A: the present value of 1 USD a year over the life."""
    energy_per_unit_usd: Any = _shown(Kind.MONEY)
    """A * Ey: lifetime energy of one unit, present value."""
    cost_per_unit_usd: Any = _shown(Kind.MONEY)
    """k = H + A * R: the per-unit cost of ownership."""
    tflops_per_kusd: Any = _shown(Kind.NUMBER)
    migration_usd: Any = _shown(Kind.MONEY)
    """M: the one-time cost of moving the buyer's software to this chip's platform."""

    @property
    def tpp(self) -> float:
        return tpp(self.chip.tflops)

    @property
    def hardware_factor(self) -> Any:
        """q = 1 + A * m: what one dollar of hardware costs over the life, maintenance included."""
        return 1 + self.lifetime_factor * self.maintenance_rate

    @property
    def running_cost_without_maintenance_usd(self) -> Any:
        """X = A * (Ey + Fy + Oy), so that k = q * (b + h) + X."""
        return self.energy_per_unit_usd + self.lifetime_factor * self.facility_per_year_usd \
            + self.lifetime_factor * self.operations_per_year_usd


def _own_or(own: Any, scenario_wide: Any) -> Any:
    """A chip's own value of an input, else the scenario's."""
    return scenario_wide if own is None else own


def chip_figures(chip: Chip, assumptions: Assumptions, platforms: Mapping[str, Platform],
                 workload: Workload | None = None) -> ChipFigures:
    workload = workload or Workload()
    levy, price = levy_and_price(chip, assumptions.levy_pass_through)
    attainable = attainable_tflops(chip, assumptions.precision, workload)
    effective = attainable * chip.utilization
    hardware = price + chip.host_cost_usd
    draw = _own_or(chip.power_draw, assumptions.power_draw)
    usd_per_kwh = _own_or(chip.electricity_usd_per_kwh, assumptions.electricity_usd_per_kwh)
    kilowatts = chip.power_w / 1000
    drawn = kilowatts * draw * assumptions.pue * HOURS_PER_YEAR  # kWh a year
    energy = drawn * usd_per_kwh
    facility = kilowatts * MONTHS_PER_YEAR * _own_or(chip.facility_usd_per_kw_month,
                                                     assumptions.facility_usd_per_kw_month)
    maintenance_rate = _own_or(chip.maintenance_rate, assumptions.maintenance_rate)
    maintenance = maintenance_rate * hardware
    operations = _own_or(chip.operations_usd_per_year, assumptions.operations_usd_per_year)
    factor = lifetime_factor(assumptions)
    lifetime_energy = drawn * factor * usd_per_kwh  # in version 1's order: its numbers, to the last bit
    on_incumbent = chip.platform == assumptions.incumbent_platform
    return ChipFigures(
        chip=chip,
        tflops=chip.tflops[assumptions.precision],
        attainable_tflops=attainable,
        effective_levy_rate=levy / price if chip.levy_base_is_money else chip.levy_rate * chip.levy_base,
        buyer_price_usd=price,
        levy_per_unit_usd=levy,
        vendor_net_per_unit_usd=price - levy,
        effective_tflops_per_unit=effective,
        hardware_cost_usd=hardware,
        power_draw=draw,
        electricity_usd_per_kwh=usd_per_kwh,
        energy_per_year_usd=energy,
        facility_per_year_usd=facility,
        maintenance_rate=maintenance_rate,
        maintenance_per_year_usd=maintenance,
        operations_per_year_usd=operations,
        running_cost_per_year_usd=energy + facility + maintenance + operations,
        lifetime_factor=factor,
        energy_per_unit_usd=lifetime_energy,
        # k = H + A * R, added term by term so that with no new costs it is version 1's b + h + E
        cost_per_unit_usd=hardware + lifetime_energy + factor * facility + factor * maintenance
        + factor * operations,
        tflops_per_kusd=1000 * effective / price,
        migration_usd=migration_cost(None if on_incumbent else platforms[chip.platform]),
    )


# Per order ---------------------------------------------------------------


def order_units(order: Order, figures: ChipFigures) -> Any:
    """n_a: the units given, or the units the budget buys at the buyer price."""
    return order.units if order.units is not None else order.budget_usd / figures.buyer_price_usd


def order_demand(order: Order, own: ChipFigures) -> tuple[Any, Any]:
    """n_a and D = n_a * e_a: the units the order buys and the effective compute they give."""
    units = order_units(order, own)
    return units, units * own.effective_tflops_per_unit


def tco(demand: Any, figures: ChipFigures) -> Any:
    """T_c = n_c * k_c + M_c with n_c = D / e_c: the cost of meeting `demand` with this chip."""
    return demand / figures.effective_tflops_per_unit * figures.cost_per_unit_usd + figures.migration_usd


@dataclass(frozen=True)
class Breakeven:
    """The value of one input at which switching to an option costs the same as staying.

    `value` is None when there is none, and `reason` then says why; a value
    outside its input's valid range has reason `out of range`.
    """

    value: float | None
    reason: str | None = None
    pays: str | None = None
    """For demand and lifetime: switching pays `above`/`below` the demand, `after`/`before` the life."""
    order_units: float | None = _shown(Kind.NUMBER, default=None)
    """For demand only: the value in units of the order's chip."""


@dataclass(frozen=True)
class Breakevens:
    demand_tflops: Breakeven = _shown(Kind.NUMBER)
    levy_rate: Breakeven = _shown(Kind.RATE)
    migration_cost_usd: Breakeven = _shown(Kind.MONEY)
    price_usd: Breakeven = _shown(Kind.MONEY)
    utilization: Breakeven = _shown(Kind.RATE)
    lifetime_years: Breakeven = _shown(Kind.NUMBER)


@dataclass(frozen=True)
class Option:
    """One chip as a way to meet an order's demand; money is present value."""

    chip: str
    is_order_chip: bool
    units: float = _shown(Kind.NUMBER)
    buyer_price_usd: float = _shown(Kind.MONEY)
    levy_per_unit_usd: float = _shown(Kind.MONEY)
    capex_usd: float = _shown(Kind.MONEY)
    levy_usd: float = _shown(Kind.MONEY)
    energy_usd: float = _shown(Kind.MONEY)
    facility_usd: float = _shown(Kind.MONEY)
    maintenance_usd: float = _shown(Kind.MONEY)
    operations_usd: float = _shown(Kind.MONEY)
    migration_usd: float = _shown(Kind.MONEY)
    tco_usd: float = _shown(Kind.MONEY)
    attainable_tflops_per_unit: float = _shown(Kind.NUMBER)
    effective_tflops_per_unit: float = _shown(Kind.NUMBER)
    tflops_per_kusd: float = _shown(Kind.NUMBER)
    usd_per_effective_pflops: float = _shown(Kind.NUMBER)
    usd_per_effective_pflops_hour: float = _shown(Kind.NUMBER)
    usd_per_million_tokens: float | None = _shown(Kind.MONEY)
    vs_order: float = _shown(Kind.RATE)
    supply_shortfall_units: float = _shown(Kind.NUMBER)
    breakeven: Breakevens | None

    @property
    def feasible(self) -> bool:
        return self.supply_shortfall_units <= 0


@dataclass(frozen=True)
class OrderResult:
    order: Order
    units: float = _shown(Kind.NUMBER)
    demand_tflops: float = _shown(Kind.NUMBER)
    spend_usd: float = _shown(Kind.MONEY)
    levy_usd: float = _shown(Kind.MONEY)
    vendor_net_usd: float = _shown(Kind.MONEY)
    options: tuple[Option, ...]
    """Cheapest first by TCO."""

    @property
    def cheapest(self) -> Option:
        return self.options[0]

    @property
    def own(self) -> Option:
        return next(option for option in self.options if option.is_order_chip)


@dataclass(frozen=True)
class LevyTotal:
    chip: str | None
    """None for the scenario's total."""
    spend_usd: float = _shown(Kind.MONEY)
    levy_usd: float = _shown(Kind.MONEY)
    vendor_net_usd: float = _shown(Kind.MONEY)
    units: float | None = _shown(Kind.NUMBER, default=None)
    """Units of the chip bought; None for the total, where units of different chips do not add."""


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    chips: Mapping[str, ChipFigures]
    orders: tuple[OrderResult, ...]
    totals_by_chip: tuple[LevyTotal, ...]
    total: LevyTotal


def evaluate_chips(scenario: Scenario) -> dict[str, ChipFigures]:
    return {key: chip_figures(chip, scenario.assumptions, scenario.platforms, scenario.workload)
            for key, chip in scenario.chips.items()}


def evaluate(scenario: Scenario) -> ScenarioResult:
    """Evaluate a scenario: every chip, every order with every option, the totals."""
    figures = evaluate_chips(scenario)
    orders = tuple(_order_result(order, figures, scenario) for order in scenario.orders)
    by_chip = []
    for key in scenario.chips:
        mine = [result for result in orders if result.order.chip == key]
        if mine:
            by_chip.append(_levy_total(key, mine))
    return ScenarioResult(scenario, figures, orders, tuple(by_chip), _levy_total(None, orders))


compare = evaluate
"""The name of `evaluate` in chipcalc 0.1."""


def _levy_total(chip: str | None, orders: Any) -> LevyTotal:
    return LevyTotal(
        chip,
        sum(o.spend_usd for o in orders),
        sum(o.levy_usd for o in orders),
        sum(o.vendor_net_usd for o in orders),
        None if chip is None else sum(o.units for o in orders),
    )


def order_figures(order: Order, figures: Mapping[str, ChipFigures], workload: Workload) -> dict[str, Any]:
    """An order and every chip as an option for its demand, as plain arithmetic.

    Returns the order's `units`, `demand_tflops`, `spend_usd`, `levy_usd`,
    `vendor_net_usd` and, under `options`, each chip's fields by key. Works
    on floats and on numpy arrays alike.
    """
    own = figures[order.chip]
    units, demand = order_demand(order, own)
    own_tco = tco(demand, own)
    return {
        "units": units,
        "demand_tflops": demand,
        "spend_usd": units * own.buyer_price_usd,
        "levy_usd": units * own.levy_per_unit_usd,
        "vendor_net_usd": units * own.vendor_net_per_unit_usd,
        "options": {key: option_figures(demand, fig, own_tco, workload.flops_per_token)
                    for key, fig in figures.items()},
    }


def option_figures(demand: Any, fig: ChipFigures, own_tco: Any,
                   flops_per_token: Any = None) -> dict[str, Any]:
    """One chip as a way to meet `demand` (MODEL.md, per order: every chip as an option)."""
    units = demand / fig.effective_tflops_per_unit
    total = tco(demand, fig)
    pflops = demand / 1000
    supply = fig.chip.supply_units
    excess = units - (units if supply is None else supply)
    factor = fig.lifetime_factor
    return {
        "units": units,
        "capex_usd": units * fig.hardware_cost_usd,
        "levy_usd": units * fig.levy_per_unit_usd,
        "energy_usd": units * fig.energy_per_unit_usd,
        "facility_usd": units * (factor * fig.facility_per_year_usd),
        "maintenance_usd": units * (factor * fig.maintenance_per_year_usd),
        "operations_usd": units * (factor * fig.operations_per_year_usd),
        "migration_usd": fig.migration_usd,
        "tco_usd": total,
        "usd_per_effective_pflops": total / pflops,
        # levelised: over the discounted hours of the life, as a levelised cost of electricity is
        "usd_per_effective_pflops_hour": total / (pflops * HOURS_PER_YEAR * factor),
        # tokens of the life: D TFLOP/s * 1e12 / phi FLOP a token, 3600 s an hour
        "usd_per_million_tokens": None if flops_per_token is None else
        total / (demand * 1e12 / flops_per_token * 3600 * HOURS_PER_YEAR * factor / 1e6),
        "vs_order": total / own_tco - 1,
        "supply_shortfall_units": (excess + abs(excess)) / 2,  # max(0, excess), arrays too
    }


def _order_result(order: Order, figures: Mapping[str, ChipFigures], scenario: Scenario) -> OrderResult:
    values = order_figures(order, figures, scenario.workload)
    own = figures[order.chip]
    own_tco = values["options"][order.chip]["tco_usd"]
    options = []
    for key, fields in values["options"].items():
        fig = figures[key]
        is_own = key == order.chip
        options.append(Option(
            chip=key,
            is_order_chip=is_own,
            buyer_price_usd=fig.buyer_price_usd,
            levy_per_unit_usd=fig.levy_per_unit_usd,
            attainable_tflops_per_unit=fig.attainable_tflops,
            effective_tflops_per_unit=fig.effective_tflops_per_unit,
            tflops_per_kusd=fig.tflops_per_kusd,
            breakeven=None if is_own else breakevens(
                Switch(values["demand_tflops"], own, values["units"], own_tco, fig, fields["units"],
                       fields["tco_usd"]), scenario.assumptions),
            **fields,
        ))
    options.sort(key=lambda option: (option.tco_usd, option.chip))
    return OrderResult(
        order=order,
        units=values["units"],
        demand_tflops=values["demand_tflops"],
        spend_usd=values["spend_usd"],
        levy_usd=values["levy_usd"],
        vendor_net_usd=values["vendor_net_usd"],
        options=tuple(options),
    )


# Breakevens (MODEL.md: switching from the order's chip a to an option c) ---


@dataclass(frozen=True)
class Switch:
    """Switching from the order's chip `a` to option `c` at the order's demand."""

    demand: float
    a: ChipFigures
    units_a: float
    tco_a: float
    c: ChipFigures
    units_c: float
    tco_c: float


def breakevens(switch: Switch, assumptions: Assumptions) -> Breakevens:
    return Breakevens(
        demand_tflops=demand_breakeven(switch.a, switch.c),
        levy_rate=levy_rate_breakeven(switch, assumptions.levy_pass_through),
        migration_cost_usd=migration_breakeven(switch),
        price_usd=price_breakeven(switch, assumptions.levy_pass_through),
        utilization=utilization_breakeven(switch),
        lifetime_years=lifetime_breakeven(switch, assumptions.discount_rate),
    )


def difference(first: float, second: float) -> float:
    """first - second, or 0 when it is within rounding of its terms (MODEL.md, zero in a case split)."""
    value = first - second
    return 0.0 if abs(value) <= ZERO_TOLERANCE * max(abs(first), abs(second)) else value


def demand_breakeven(a: ChipFigures, c: ChipFigures) -> Breakeven:
    """D* = (M_c - M_a) / (k_a / e_a - k_c / e_c), or why there is none."""
    den = difference(a.cost_per_unit_usd / a.effective_tflops_per_unit,
                     c.cost_per_unit_usd / c.effective_tflops_per_unit)
    num = difference(c.migration_usd, a.migration_usd)
    if (den > 0 and num > 0) or (den < 0 and num < 0):
        value = num / den
        return Breakeven(value, pays="above" if den > 0 else "below",
                         order_units=value / a.effective_tflops_per_unit)
    if (den > 0 and num <= 0) or (den == 0 and num < 0):
        return Breakeven(None, "always")
    if den == 0 and num == 0:
        return Breakeven(None, "equal")
    return Breakeven(None, "never")


def levy_rate_breakeven(s: Switch, pass_through: float) -> Breakeven:
    """The levy rate r_a at which T_a = T_c, from b*, the buyer price of `a` at which they cost the same."""
    a, chip = s.a, s.a.chip
    target = ((s.tco_c - a.migration_usd) / s.units_a - a.running_cost_without_maintenance_usd) \
        / a.hardware_factor - chip.host_cost_usd
    if difference(target, chip.price_usd) < 0:
        return Breakeven(0.0, "always")
    if pass_through == 0:
        return Breakeven(None, "not passed through")
    if chip.levy_base_is_money:
        rate = (target - chip.price_usd) / (pass_through * chip.levy_base)
    else:  # rho* = 1 - p / b*, written through g = b* / p - 1 as version 1 computed it
        g = target / chip.price_usd - 1
        rate = g / (1 + g) / (pass_through * chip.levy_base)
    return Breakeven(rate, "out of range" if rate > 1 + EDGE_TOLERANCE else None)


def migration_breakeven(s: Switch) -> Breakeven:
    """M* = T_a - n_c * k_c: the largest migration cost for which switching still pays."""
    value = s.tco_a - s.units_c * s.c.cost_per_unit_usd
    return Breakeven(value, "out of range" if value < -EDGE_TOLERANCE * abs(s.tco_a) else None)


def price_breakeven(s: Switch, pass_through: float) -> Breakeven:
    """p*: the list price of `c` at which T_c = T_a, from its buyer price b*."""
    c = s.c
    target = ((s.tco_a - c.migration_usd) / s.units_c - c.running_cost_without_maintenance_usd) \
        / c.hardware_factor - c.chip.host_cost_usd
    if c.chip.levy_base_is_money:
        price = target - pass_through * c.levy_per_unit_usd
    else:
        price = target * (1 - pass_through * c.chip.levy_rate * c.chip.levy_base)
    return Breakeven(price, "out of range" if price < -EDGE_TOLERANCE * c.chip.price_usd else None)


def utilization_breakeven(s: Switch) -> Breakeven:
    """u* = D k_c / (F'_c (T_a - M_c)), when T_a > M_c."""
    c = s.c
    if not s.tco_a > c.migration_usd:
        return Breakeven(None, "never")
    value = s.demand * c.cost_per_unit_usd / (c.attainable_tflops * (s.tco_a - c.migration_usd))
    return Breakeven(value, "out of range" if value > 1 + EDGE_TOLERANCE else None)


def lifetime_breakeven(s: Switch, discount_rate: float) -> Breakeven:
    """L*: the service life at which switching pays back, where T_c - T_a = U - A * V crosses 0."""
    upfront = difference(s.units_c * s.c.hardware_cost_usd + s.c.migration_usd,
                         s.units_a * s.a.hardware_cost_usd + s.a.migration_usd)
    saving = difference(s.units_a * s.a.running_cost_per_year_usd,
                        s.units_c * s.c.running_cost_per_year_usd)
    if upfront == 0 and saving == 0:
        return Breakeven(None, "equal")
    if upfront * saving > 0:
        factor = upfront / saving
        pays = "after" if upfront > 0 else "before"
        if discount_rate == 0:
            return Breakeven(factor, pays=pays)
        delta = math.log1p(discount_rate)
        if factor * delta >= 1:  # the discounted savings never add up to the upfront difference
            return Breakeven(None, "never" if upfront > 0 else "always")
        return Breakeven(-math.log1p(-factor * delta) / delta, pays=pays)
    return Breakeven(None, "always" if upfront <= 0 and saving >= 0 else "never")
