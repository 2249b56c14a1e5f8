"""Fleet mix: the cheapest fleet of several chips that meets an order's demand (MODEL.md, fleet mix).

`compare` prices each chip alone and flags the options the buyer cannot get;
the mix answers what the buyer can: how much of each chip, within supply,
power, capex and share rules, paying each platform's migration once if any of
its chips is used. HiGHS solves the mixed-integer programme for the platforms
(`mix_lp.choose_platforms`), then the LP with those platforms fixed gives the
exact units and, from its duals, what each binding limit costs the buyer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import ScenarioResult
from ..scenario import Mix

if TYPE_CHECKING:  # the solver loads when a mix is solved: `compare` and `mix_applies` need none of it
    from .mix_lp import Binding, Problem, Solution

PER = {"supply": "unit", "power": "MW", "capex": "usd", "min_share": "percentage_point",
       "max_share": "percentage_point"}
"""What one more of each kind of limit is."""


@dataclass(frozen=True)
class MixChip:
    """One chip in the fleet (units above 0)."""

    chip: str
    units: float
    share_of_demand: float
    """x_c * e_c / D."""
    capex_usd: float
    """x_c * H_c, H_c = buyer price + host cost."""
    levy_usd: float
    """x_c * L_c: levy paid to the US on these units."""
    tco_usd: float
    """x_c * k_c; the platform's migration is counted once, in the mix's `migration_usd`."""


@dataclass(frozen=True)
class MixLimit:
    """A limit that binds: it holds with equality and relaxing it would lower the TCO."""

    limit: str
    """supply, power, capex, min_share or max_share."""
    chip: str | None
    """The chip, for supply."""
    rule: str | None
    """The rule's name, for min_share and max_share."""
    marginal_value_usd: float | None
    """The TCO saved by one more `per` of the limit (always > 0); None for an infeasible order, where the
    limit is one that stops a larger demand and there is no TCO to save."""
    per: str
    """unit, MW, usd or percentage_point."""


@dataclass(frozen=True)
class MixResult:
    """The cheapest fleet for one order; the cost fields are None when no fleet fits the limits."""

    name: str
    """The order's name."""
    demand_tflops: float
    feasible: bool
    max_demand_tflops: float | None
    """For an infeasible order, the largest demand the limits allow (over every choice of platforms, share
    rules relative to that demand); None when feasible."""
    tco_usd: float | None
    levy_usd: float | None
    migration_usd: float | None
    capex_usd: float | None
    vs_order: float | None
    """T_mix / T_a - 1 against the order's own chip alone (negative: the mix is cheaper)."""
    order_chip_tco_usd: float
    chips: tuple[MixChip, ...]
    """The chips used, largest share first (ties by chip key)."""
    binding: tuple[MixLimit, ...]


@dataclass(frozen=True)
class FleetMixes:
    """Every order's cheapest fleet in one evaluated scenario, within its `mix:` limits."""

    result: ScenarioResult
    mixes: tuple[MixResult, ...]


def fleet_mixes(result: ScenarioResult) -> FleetMixes:
    """The optimal mix of every order of `result`, within supply and the scenario's `mix:` section."""
    return FleetMixes(result, tuple(optimal_mix(result, index, result.scenario.mix)
                                    for index in range(len(result.orders))))


def mix_applies(result: ScenarioResult) -> bool:
    """Whether a mix says more than `compare`: the scenario sets limits, or some option is short of
    supply. Otherwise the mix is the cheapest option alone, and reports, summaries and diffs leave it out."""
    limits = result.scenario.mix
    limited = limits.power_limit_mw is not None or limits.capex_limit_usd is not None or bool(limits.rules)
    return limited or any(not option.feasible for order in result.orders for option in order.options)


def optimal_mix(result: ScenarioResult, order_index: int, limits: Mix) -> MixResult:
    """The cheapest fleet for order `order_index` of an evaluated scenario, within supply and `limits`.

    Example: `optimal_mix(compare(scenario), 0, Mix(power_limit_mw=900, capex_limit_usd=None, rules=()))`.
    """
    from .mix_lp import build_problem, choose_platforms, largest_demand, solve_fixed

    order = result.orders[order_index]
    problem = build_problem(result.scenario, result.chips, order.demand_tflops, limits)
    candidates = [solve_fixed(problem, platforms) for platforms in choose_platforms(problem)]
    feasible = [solution for solution in candidates if solution is not None]
    own_tco = order.own.tco_usd
    if not feasible:
        multiple, stops = largest_demand(problem)
        return MixResult(order.order.name, order.demand_tflops, False, multiple * order.demand_tflops,
                         None, None, None, None, None, own_tco, (), _limits(stops, None))
    best = min(feasible, key=lambda solution: solution.cost)
    chips = _chips(result, problem, best, order.demand_tflops)
    migration = float(sum(problem.migration_usd[p] for p in sorted(best.used)))
    tco = sum(chip.tco_usd for chip in chips) + migration
    return MixResult(
        name=order.order.name,
        demand_tflops=order.demand_tflops,
        feasible=True,
        max_demand_tflops=None,
        tco_usd=tco,
        levy_usd=sum(chip.levy_usd for chip in chips),
        migration_usd=migration,
        capex_usd=sum(chip.capex_usd for chip in chips),
        vs_order=tco / own_tco - 1,
        order_chip_tco_usd=own_tco,
        chips=chips,
        binding=_limits(best.binding, problem.unit_usd),
    )


def _chips(result: ScenarioResult, problem: Problem, solution: Solution,
           demand_tflops: float) -> tuple[MixChip, ...]:
    chips = []
    for key, share in zip(problem.keys, solution.shares):
        if share > 0:
            figures = result.chips[key]
            units = float(share) * demand_tflops / figures.effective_tflops_per_unit
            chips.append(MixChip(
                chip=key,
                units=units,
                share_of_demand=float(share),
                capex_usd=units * (figures.buyer_price_usd + figures.chip.host_cost_usd),
                levy_usd=units * figures.levy_per_unit_usd,
                tco_usd=units * figures.cost_per_unit_usd,
            ))
    return tuple(sorted(chips, key=lambda chip: (-chip.share_of_demand, chip.chip)))


def _limits(found: tuple[Binding, ...], unit_usd: float | None) -> tuple[MixLimit, ...]:
    """The solver's bindings in the result's terms: USD per `per`, or None where there is no TCO."""
    return tuple(
        MixLimit(b.limit, b.chip, b.rule, None if unit_usd is None else b.value * unit_usd, PER[b.limit])
        for b in found
    )
