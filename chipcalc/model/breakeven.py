"""The six breakevens of switching from the order's chip `a` to an option `c` (MODEL.md), with the
zero tolerance in case splits and the tolerance at range edges."""

import math
from typing import Annotated, NamedTuple

from ..scenario import Assumptions
from ..spec import Kind
from .chip import ChipFigures

ZERO_TOLERANCE = 1e-12
"""A difference counts as 0 when it is at most this share of the larger of its two terms (MODEL.md,
zero in a case split): rounding must not turn `equal` into `never`."""
EDGE_TOLERANCE = 1e-9
"""A breakeven this close to its input's range edge is on the edge, and in range (MODEL.md)."""


class Breakeven(NamedTuple):
    """The value of one input at which switching to an option costs the same as staying.

    `value` is None when there is none, and `reason` then says why; a value
    outside its input's valid range has reason `out of range`.
    """

    value: float | None
    reason: str | None = None
    pays: str | None = None
    """For demand and lifetime: switching pays `above`/`below` the demand, `after`/`before` the life."""
    order_units: Annotated[float | None, Kind.NUMBER] = None
    """For demand only: the value in units of the order's chip."""


class Breakevens(NamedTuple):
    """The six breakevens of switching from the order's chip to one option (MODEL.md), one input
    each, the others held at the scenario's values."""

    demand_tflops: Annotated[Breakeven, Kind.NUMBER]
    levy_rate: Annotated[Breakeven, Kind.RATE]
    migration_cost_usd: Annotated[Breakeven, Kind.MONEY]
    price_usd: Annotated[Breakeven, Kind.MONEY]
    utilization: Annotated[Breakeven, Kind.RATE]
    lifetime_years: Annotated[Breakeven, Kind.NUMBER]


class Switch(NamedTuple):
    """Switching from the order's chip `a` to option `c` at the order's demand: the inputs of the
    breakevens (built for every option, never shown)."""

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
