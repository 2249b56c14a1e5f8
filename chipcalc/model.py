"""The formulas of MODEL.md, and nothing else.

The formula functions use plain arithmetic only, so the same code evaluates
one scenario (floats) or many sampled ones (numpy arrays broadcast through
`+ - * /`). Choices between cases (breakeven reasons, sorting) are made at
the edges, in `evaluate`, on floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .scenario import PRECISION_BITS, Assumptions, Chip, Kind, Order, Platform, Scenario

HOURS_PER_YEAR = 8760


def _shown(kind: Kind, **default: Any) -> Any:
    """A result field with its display kind (money, rate or number): `chipcalc.kinds` reads it, so
    every table, diff and plot shows the field the same way. A new field states its kind here."""
    return field(metadata={"kind": kind}, **default)


# Per chip -----------------------------------------------------------------


def effective_levy_rate(levy_rate: Any, levy_base: Any) -> Any:
    """rho = r * s: the levy as a share of the whole sale price."""
    return levy_rate * levy_base


def price_factor(rho: Any, pass_through: Any) -> Any:
    """b / p = 1 + t * rho / (1 - rho): how much of the levy the buyer pays on top of list."""
    return 1 + pass_through * rho / (1 - rho)


def buyer_price(price: Any, rho: Any, pass_through: Any) -> Any:
    """b = p * (1 + t * rho / (1 - rho))."""
    return price * price_factor(rho, pass_through)


def energy_per_unit(power_w: Any, pue: Any, lifetime_years: Any, usd_per_kwh: Any) -> Any:
    """E = W / 1000 * pue * 8760 * lifetime * P: lifetime electricity of one unit."""
    return power_w / 1000 * pue * HOURS_PER_YEAR * lifetime_years * usd_per_kwh


def tpp(tflops: Mapping[str, float]) -> float:
    """Total processing performance: the largest TFLOP/s x bit length over precisions."""
    return max(value * PRECISION_BITS[precision] for precision, value in tflops.items())


def migration_cost(platform: Platform | None) -> Any:
    """M = migration_cost + engineer_months * cost_per_engineer_month (0 on the incumbent)."""
    if platform is None:
        return 0.0
    return platform.migration_cost_usd + platform.engineer_months * platform.cost_per_engineer_month_usd


@dataclass(frozen=True)
class ChipFigures:
    """Per-unit figures of one chip (MODEL.md, per chip)."""

    chip: Chip
    tflops: Any = _shown(Kind.NUMBER)
    """F: dense peak TFLOP/s at the scenario's precision."""
    effective_levy_rate: Any = _shown(Kind.RATE)
    buyer_price_usd: Any = _shown(Kind.MONEY)
    levy_per_unit_usd: Any = _shown(Kind.MONEY)
    vendor_net_per_unit_usd: Any = _shown(Kind.MONEY)
    effective_tflops_per_unit: Any = _shown(Kind.NUMBER)
    energy_per_unit_usd: Any = _shown(Kind.MONEY)
    cost_per_unit_usd: Any = _shown(Kind.MONEY)
    """k = b + h + E: buyer price, host cost and lifetime energy of one unit."""
    tflops_per_kusd: Any = _shown(Kind.NUMBER)
    migration_usd: Any = _shown(Kind.MONEY)
    """M: the one-time cost of moving the buyer's software to this chip's platform."""
    electricity_usd_per_kwh: Any = _shown(Kind.MONEY)

    @property
    def tpp(self) -> float:
        return tpp(self.chip.tflops)


def chip_figures(chip: Chip, assumptions: Assumptions, platforms: Mapping[str, Platform]) -> ChipFigures:
    rho = effective_levy_rate(chip.levy_rate, chip.levy_base)
    price = buyer_price(chip.price_usd, rho, assumptions.levy_pass_through)
    levy = rho * price
    effective = chip.tflops[assumptions.precision] * chip.utilization
    usd_per_kwh = (
        assumptions.electricity_usd_per_kwh if chip.electricity_usd_per_kwh is None
        else chip.electricity_usd_per_kwh
    )
    energy = energy_per_unit(chip.power_w, assumptions.pue, assumptions.lifetime_years, usd_per_kwh)
    on_incumbent = chip.platform == assumptions.incumbent_platform
    return ChipFigures(
        chip=chip,
        tflops=chip.tflops[assumptions.precision],
        effective_levy_rate=rho,
        buyer_price_usd=price,
        levy_per_unit_usd=levy,
        vendor_net_per_unit_usd=price - levy,
        effective_tflops_per_unit=effective,
        energy_per_unit_usd=energy,
        cost_per_unit_usd=price + chip.host_cost_usd + energy,
        tflops_per_kusd=1000 * effective / price,
        migration_usd=migration_cost(None if on_incumbent else platforms[chip.platform]),
        electricity_usd_per_kwh=usd_per_kwh,
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
    """For demand only: switching pays `above` or `below` the value."""
    order_units: float | None = _shown(Kind.NUMBER, default=None)
    """For demand only: the value in units of the order's chip."""


@dataclass(frozen=True)
class Breakevens:
    demand_tflops: Breakeven = _shown(Kind.NUMBER)
    levy_rate: Breakeven = _shown(Kind.RATE)
    migration_cost_usd: Breakeven = _shown(Kind.MONEY)
    price_usd: Breakeven = _shown(Kind.MONEY)
    utilization: Breakeven = _shown(Kind.RATE)


@dataclass(frozen=True)
class Option:
    """One chip as a way to meet an order's demand."""

    chip: str
    is_order_chip: bool
    units: float = _shown(Kind.NUMBER)
    buyer_price_usd: float = _shown(Kind.MONEY)
    levy_per_unit_usd: float = _shown(Kind.MONEY)
    capex_usd: float = _shown(Kind.MONEY)
    levy_usd: float = _shown(Kind.MONEY)
    energy_usd: float = _shown(Kind.MONEY)
    migration_usd: float = _shown(Kind.MONEY)
    tco_usd: float = _shown(Kind.MONEY)
    effective_tflops_per_unit: float = _shown(Kind.NUMBER)
    tflops_per_kusd: float = _shown(Kind.NUMBER)
    usd_per_effective_pflops: float = _shown(Kind.NUMBER)
    """TCO per effective PFLOP/s. A number, as diff, sweep and explain have always shown it; the
    tables headed $/PFLOP/s put the $ in their cells."""
    usd_per_effective_pflops_hour: float = _shown(Kind.NUMBER)
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
    return {key: chip_figures(chip, scenario.assumptions, scenario.platforms)
            for key, chip in scenario.chips.items()}


def evaluate(scenario: Scenario) -> ScenarioResult:
    """Evaluate a scenario: every chip, every order with every option, the totals (`chipcalc compare`)."""
    figures = evaluate_chips(scenario)
    orders = tuple(_order_result(order, figures, scenario.assumptions) for order in scenario.orders)
    by_chip = []
    for key in scenario.chips:
        mine = [result for result in orders if result.order.chip == key]
        if mine:
            by_chip.append(_levy_total(key, mine))
    return ScenarioResult(scenario, figures, orders, tuple(by_chip), _levy_total(None, orders))


compare = evaluate
"""The entry point's first name, kept for callers written before the rename."""


def _levy_total(chip: str | None, orders: Any) -> LevyTotal:
    return LevyTotal(
        chip,
        sum(o.spend_usd for o in orders),
        sum(o.levy_usd for o in orders),
        sum(o.vendor_net_usd for o in orders),
        None if chip is None else sum(o.units for o in orders),
    )


def order_figures(order: Order, figures: Mapping[str, ChipFigures], lifetime_years: Any) -> dict[str, Any]:
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
        "options": {key: option_figures(demand, fig, own_tco, lifetime_years)
                    for key, fig in figures.items()},
    }


def option_figures(demand: Any, fig: ChipFigures, own_tco: Any, lifetime_years: Any) -> dict[str, Any]:
    """One chip as a way to meet `demand` (MODEL.md, per order: every chip as an option)."""
    units = demand / fig.effective_tflops_per_unit
    total = tco(demand, fig)
    pflops = demand / 1000
    supply = fig.chip.supply_units
    excess = units - (units if supply is None else supply)
    return {
        "units": units,
        "capex_usd": units * (fig.buyer_price_usd + fig.chip.host_cost_usd),
        "levy_usd": units * fig.levy_per_unit_usd,
        "energy_usd": units * fig.energy_per_unit_usd,
        "migration_usd": fig.migration_usd,
        "tco_usd": total,
        "usd_per_effective_pflops": total / pflops,
        "usd_per_effective_pflops_hour": total / (pflops * HOURS_PER_YEAR * lifetime_years),
        "vs_order": total / own_tco - 1,
        "supply_shortfall_units": (excess + abs(excess)) / 2,  # max(0, excess), arrays too
    }


def _order_result(order: Order, figures: Mapping[str, ChipFigures], assumptions: Assumptions) -> OrderResult:
    values = order_figures(order, figures, assumptions.lifetime_years)
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
            effective_tflops_per_unit=fig.effective_tflops_per_unit,
            tflops_per_kusd=fig.tflops_per_kusd,
            breakeven=None if is_own else breakevens(
                values["demand_tflops"], own, values["units"], own_tco, fig, fields["units"],
                fields["tco_usd"], assumptions.levy_pass_through),
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


def breakevens(demand: float, a: ChipFigures, units_a: float, tco_a: float,
               c: ChipFigures, units_c: float, tco_c: float, pass_through: float) -> Breakevens:
    return Breakevens(
        demand_tflops=demand_breakeven(a, c),
        levy_rate=levy_rate_breakeven(a, units_a, tco_c, pass_through),
        migration_cost_usd=_checked(tco_a - units_c * c.cost_per_unit_usd, minimum=0.0),
        price_usd=price_breakeven(c, units_c, tco_a, pass_through),
        utilization=utilization_breakeven(demand, c, tco_a),
    )


def demand_breakeven(a: ChipFigures, c: ChipFigures) -> Breakeven:
    """D* = (M_c - M_a) / (k_a / e_a - k_c / e_c), or why there is none."""
    den = (a.cost_per_unit_usd / a.effective_tflops_per_unit
           - c.cost_per_unit_usd / c.effective_tflops_per_unit)
    num = c.migration_usd - a.migration_usd
    if (den > 0 and num > 0) or (den < 0 and num < 0):
        value = num / den
        return Breakeven(value, pays="above" if den > 0 else "below",
                         order_units=value / a.effective_tflops_per_unit)
    if (den > 0 and num <= 0) or (den == 0 and num < 0):
        return Breakeven(None, "always")
    if den == 0 and num == 0:
        return Breakeven(None, "equal")
    return Breakeven(None, "never")


def levy_rate_breakeven(a: ChipFigures, units_a: float, tco_c: float, pass_through: float) -> Breakeven:
    """r* = g / (t + g) / s_a, the levy rate on the order's chip at which T_a = T_c."""
    chip = a.chip
    g = ((tco_c - a.migration_usd) / units_a - a.energy_per_unit_usd - chip.host_cost_usd) \
        / chip.price_usd - 1
    if g < 0:
        return Breakeven(0.0, "always")
    if pass_through == 0:
        return Breakeven(None, "not passed through")
    rate = g / (pass_through + g) / chip.levy_base
    return Breakeven(rate, "out of range" if rate >= 1 else None)


def price_breakeven(c: ChipFigures, units_c: float, tco_a: float, pass_through: float) -> Breakeven:
    """p* = b* / (1 + t rho_c / (1 - rho_c)) with b* = (T_a - M_c) / n_c - E_c - h_c."""
    buyer = (tco_a - c.migration_usd) / units_c - c.energy_per_unit_usd - c.chip.host_cost_usd
    price = buyer / price_factor(c.effective_levy_rate, pass_through)
    return Breakeven(price, "out of range" if price <= 0 else None)


def utilization_breakeven(demand: float, c: ChipFigures, tco_a: float) -> Breakeven:
    """u* = D k_c / (F_c (T_a - M_c)), when T_a > M_c."""
    if not tco_a > c.migration_usd:
        return Breakeven(None, "never")
    value = demand * c.cost_per_unit_usd / (c.tflops * (tco_a - c.migration_usd))
    # A few units in the last place above 1 is 1 computed with rounding, not a utilisation out of range.
    return Breakeven(value, "out of range" if value > 1 + 4 * 2.220446049250313e-16 else None)


def _checked(value: float, minimum: float) -> Breakeven:
    return Breakeven(value, "out of range" if value < minimum else None)
