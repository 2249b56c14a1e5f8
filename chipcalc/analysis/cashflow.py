"""Cash flows over time (MODEL.md, `chipcalc cashflow`): each option's costs period by period.

The life `L` is cut into periods of `l` years, the last possibly shorter. Period 0 is the
purchase (capex and migration, undiscounted); each later period carries the running costs paid
in it, nominal and discounted with the model's own `present_value_factor`, so the discounted
periods of an option add up to its TCO. Where an option's cumulative discounted cost crosses the
order chip's inside the life, it does so at breakeven 6's `L*`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

from ..errors import UsageError
from ..model import (EDGE_TOLERANCE, Breakeven, ChipFigures, Option, OrderResult, ScenarioResult,
                     present_value_factor)
from ..scenario import Scenario
from .common import order_index

PERIOD_YEARS = {"year": 1.0, "quarter": 0.25, "month": 1 / 12}
"""The period lengths `cashflow --period` offers, in years."""
COUNT_TOLERANCE = 1e-9
"""ceil(L / l - 1e-9): a life of 4.000000000001 quarters is 4 quarters, not 5 (MODEL.md)."""


@dataclass(frozen=True)
class Period:
    """What one option pays in one period; money is nominal except the discounted fields."""

    period: int
    start_years: float
    end_years: float
    capex_usd: float
    migration_usd: float
    energy_usd: float
    facility_usd: float
    maintenance_usd: float
    operations_usd: float
    total_usd: float
    """Everything paid in the period, undiscounted."""
    discounted_usd: float
    """Its present value: period 0 as paid, period k as n R a(t0, t1)."""
    cumulative_discounted_usd: float

    @property
    def running_usd(self) -> float:
        return self.energy_usd + self.facility_usd + self.maintenance_usd + self.operations_usd


@dataclass(frozen=True)
class Crossing:
    """Where an option's cumulative discounted cost meets the order chip's, inside the life."""

    years: float
    """L*, breakeven 6."""
    cumulative_usd: float
    """What each of the two has cost by then, present value."""
    cheaper_after: bool
    """True: the option is dearer up front and cheaper from then on (breakeven 6 pays `after`);
    False: the reverse (`before`)."""


@dataclass(frozen=True)
class OptionFlows:
    """One option of an order over time: its periods and where it meets the order's chip."""

    chip: str
    is_order_chip: bool
    payback: Breakeven | None
    """Breakeven 6, the life at which switching pays back, also beyond the life; None for the
    order's chip."""
    crossing: Crossing | None
    """None when the two curves do not cross inside (0, L]."""
    running_per_year_usd: float
    """n R: what the fleet costs to run a year, nominal."""
    periods: tuple[Period, ...]

    @property
    def payback_years(self) -> float | None:
        return None if self.payback is None else self.payback.value

    @property
    def tco_usd(self) -> float:
        return self.periods[-1].cumulative_discounted_usd


@dataclass(frozen=True)
class OrderFlows:
    name: str
    chip: str
    options: tuple[OptionFlows, ...]
    """As compare lists them: cheapest first by TCO."""


@dataclass(frozen=True)
class CashFlows:
    """One scenario's cash flows: the orders asked for, each option's periods."""

    scenario: Scenario
    period_years: float
    orders: tuple[OrderFlows, ...]

    @property
    def lifetime_years(self) -> float:
        return self.scenario.assumptions.lifetime_years


def period_years(name: str) -> float:
    """The length in years of a period called `name` (year, quarter, month), or a UsageError."""
    if name not in PERIOD_YEARS:
        raise UsageError(f"--period {name!r}: expected {', '.join(PERIOD_YEARS)}")
    return PERIOD_YEARS[name]


def cash_flows(results: Sequence[ScenarioResult], period_years: float = 1.0,
               order: str | None = None) -> list[CashFlows]:
    """Each scenario's cash flows in periods of `period_years`: every order, or only the order named
    `order` (a UsageError when a scenario has no such order)."""
    flows = []
    for result in results:
        chosen = result.orders if order is None else (result.orders[order_index(result.scenario, order)],)
        flows.append(CashFlows(result.scenario, period_years,
                               tuple(order_flows(result, one, period_years) for one in chosen)))
    return flows


def order_flows(result: ScenarioResult, order: OrderResult, length: float) -> OrderFlows:
    a = result.scenario.assumptions
    flows = []
    for option in order.options:
        fig = result.chips[option.chip]
        flows.append(OptionFlows(
            option.chip, option.is_order_chip,
            None if option.breakeven is None else option.breakeven.lifetime_years,
            None, option.units * fig.running_cost_per_year_usd,
            option_periods(option, fig, a.lifetime_years, a.discount_rate, length)))
    own = next(flow for flow in flows if flow.is_order_chip)
    crossed = [replace(flow, crossing=_crossing(own, flow, a.lifetime_years, a.discount_rate))
               for flow in flows]
    return OrderFlows(order.order.name, order.order.chip, tuple(crossed))


def period_count(lifetime_years: float, length: float) -> int:
    """How many periods of `length` years cover the life, the last possibly shorter."""
    return math.ceil(lifetime_years / length - COUNT_TOLERANCE)


def option_periods(option: Option, fig: ChipFigures, lifetime_years: float, discount_rate: float,
                   length: float) -> tuple[Period, ...]:
    """Period 0, the purchase, then each period's running costs (MODEL.md, cash flows)."""
    upfront = option.capex_usd + option.migration_usd
    periods = [Period(0, 0.0, 0.0, option.capex_usd, option.migration_usd, 0.0, 0.0, 0.0, 0.0,
                      upfront, upfront, upfront)]
    units = option.units
    for k in range(1, period_count(lifetime_years, length) + 1):
        start, end = (k - 1) * length, min(k * length, lifetime_years)
        paid = [units * yearly * (end - start) for yearly in
                (fig.energy_per_year_usd, fig.facility_per_year_usd, fig.maintenance_per_year_usd,
                 fig.operations_per_year_usd)]
        discounted = units * fig.running_cost_per_year_usd * present_value_factor(start, end, discount_rate)
        periods.append(Period(k, start, end, 0.0, 0.0, *paid, sum(paid), discounted,
                              periods[-1].cumulative_discounted_usd + discounted))
    return tuple(periods)


def cumulative_usd(option: OptionFlows, years: float, discount_rate: float) -> float:
    """What an option has cost by `years` into the life, present value: the purchase plus
    n R a(0, years), the running costs paid so far."""
    return option.periods[0].total_usd \
        + option.running_per_year_usd * present_value_factor(0.0, years, discount_rate)


def _crossing(own: OptionFlows, option: OptionFlows, lifetime_years: float,
              discount_rate: float) -> Crossing | None:
    """Breakeven 6's L*, when it lies inside the life: there the two cumulative costs are equal."""
    payback = option.payback
    if payback is None or payback.value is None \
            or not 0 < payback.value <= lifetime_years * (1 + EDGE_TOLERANCE):  # the last instant counts
        return None
    return Crossing(payback.value, cumulative_usd(own, payback.value, discount_rate), payback.pays == "after")


def by_year(periods: Sequence[Period]) -> tuple[Period, ...]:
    """Period 0, then the later periods summed by year of the life (a table of a 5-year life in
    months shows 5 rows, not 60); each row's `period` is the last period summed into it."""
    years: dict[int, list[Period]] = {}
    for p in periods[1:]:
        years.setdefault(math.ceil(p.end_years - COUNT_TOLERANCE), []).append(p)
    summed = [periods[0]]
    for group in years.values():
        money = [sum(getattr(p, name) for p in group) for name in
                 ("capex_usd", "migration_usd", "energy_usd", "facility_usd", "maintenance_usd",
                  "operations_usd", "total_usd", "discounted_usd")]
        summed.append(Period(group[-1].period, group[0].start_years, group[-1].end_years, *money,
                             group[-1].cumulative_discounted_usd))
    return tuple(summed)
