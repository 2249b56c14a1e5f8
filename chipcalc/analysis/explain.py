"""How one number was computed: its formula in MODEL.md's symbols, and every term behind it.

Derived terms show their own formula; inputs show their path, value and where
they came from (a file and line, inherited through `extends`, `--set`, or a
default) with the `source:` of their chip, platform or order. The terms are
built in `terms.py`; this module holds each metric's formula.
"""

from __future__ import annotations

import difflib
from typing import Callable

from ..errors import UsageError
from ..model import Option, OrderResult, ScenarioResult
from .common import order_index
from .terms import Explanation, Term, TermCollector, Value

__all__ = ["METRICS", "Explanation", "Term", "explain"]


# What each metric is, in symbols: its formula and the terms it needs.
_TARGET_A = "b* = ((T_c − M_a) / n_a − A × (Ey_a + Fy_a + o_a)) / (1 + A × mr_a) − h_a"
_TARGET_A_NEEDS = ["T_c", "M_a", "n_a", "A", "Ey_a", "Fy_a", "o_a", "mr_a", "h_a"]
_TARGET_C = "b* = ((T_a − M_c) / n_c − A × (Ey_c + Fy_c + o_c)) / (1 + A × mr_c) − h_c"
_TARGET_C_NEEDS = ["T_a", "M_c", "n_c", "A", "Ey_c", "Fy_c", "o_c", "mr_c", "h_c"]
"""b*, the buyer price at which the two cost the same: of the order's chip a, and of the option c."""
_OPTION = {
    "units": ("n_c = D / e_c", ["D", "e_c"]),
    "buyer_price_usd": ("b_c = p_c / (1 − t × rho_c) (share base), p_c + t × L_c (money base)", ["b_c"]),
    "levy_per_unit_usd": ("L_c = rho_c × b_c (share base), r_c × V_c (money base)", ["L_c"]),
    "capex_usd": ("n_c × H_c", ["n_c", "H_c"]),
    "levy_usd": ("n_c × L_c", ["n_c", "L_c"]),
    "energy_usd": ("n_c × E_c", ["n_c", "E_c"]),
    "facility_usd": ("n_c × A × Fy_c", ["n_c", "A", "Fy_c"]),
    "maintenance_usd": ("n_c × A × My_c", ["n_c", "A", "My_c"]),
    "operations_usd": ("n_c × A × o_c", ["n_c", "A", "o_c"]),
    "migration_usd": ("M_c", ["M_c"]),
    "tco_usd": ("T_c = n_c × k_c + M_c", ["n_c", "k_c", "M_c"]),
    "attainable_tflops_per_unit": ("F'_c = min(F_c, B_c × I), F_c without a workload", ["F'_c"]),
    "effective_tflops_per_unit": ("e_c = F'_c × u_c", ["e_c"]),
    "tflops_per_kusd": ("1000 × e_c / b_c", ["e_c", "b_c"]),
    "usd_per_effective_pflops": ("T_c / (D / 1000)", ["T_c", "D"]),
    "usd_per_effective_pflops_hour": ("T_c / (D / 1000 × 8760 × A)", ["T_c", "D", "A"]),
    "usd_per_million_tokens": ("T_c / (D × 1e12 / phi × 3600 × 8760 × A / 1e6)", ["T_c", "D", "phi", "A"]),
    "vs_order": ("T_c / T_a − 1", ["T_c", "T_a"]),
    "supply_shortfall_units": ("max(0, n_c − S_c)", ["n_c", "S_c"]),
    "breakeven.demand_tflops": ("D* = (M_c − M_a) / (k_a / e_a − k_c / e_c)",
                                ["M_c", "M_a", "k_a", "e_a", "k_c", "e_c"]),
    "breakeven.levy_rate": ("r* = (1 − p_a / b*) / (t × s_a), " + _TARGET_A,
                            [*_TARGET_A_NEEDS, "p_a", "t", "s_a"]),
    "breakeven.migration_cost_usd": ("M* = T_a − n_c × k_c", ["T_a", "n_c", "k_c"]),
    "breakeven.price_usd": ("p* = b* × (1 − t × rho_c), " + _TARGET_C, [*_TARGET_C_NEEDS, "t", "rho_c"]),
    "breakeven.utilization": ("u* = D × k_c / (F'_c × (T_a − M_c))", ["D", "k_c", "F'_c", "T_a", "M_c"]),
    "breakeven.lifetime_years": ("L* = A* (d = 0), else −ln(1 − A* × ln(1 + d)) / ln(1 + d); A* = U / V, "
                                 "U = (n_c × H_c + M_c) − (n_a × H_a + M_a), V = n_a × R_a − n_c × R_c",
                                 ["n_c", "H_c", "M_c", "n_a", "H_a", "M_a", "R_a", "R_c", "d"]),
}
_MONEY_BASE = {
    "breakeven.levy_rate": ("r* = (b* − p_a) / (t × V_a), " + _TARGET_A,
                            [*_TARGET_A_NEEDS, "p_a", "t", "V_a"]),
    "breakeven.price_usd": ("p* = b* − t × L_c, " + _TARGET_C, [*_TARGET_C_NEEDS, "t", "L_c"]),
}
"""The two breakevens whose closed form differs where the levy base (of a for the levy rate, of c for the
price) is written as money, a customs value V (MODEL.md, breakevens 2 and 4)."""
_ORDER = {
    "units": ("n_a", ["n_a"]),
    "demand_tflops": ("D = n_a × e_a", ["D"]),
    "spend_usd": ("n_a × b_a", ["n_a", "b_a"]),
    "levy_usd": ("n_a × L_a", ["n_a", "L_a"]),
    "vendor_net_usd": ("n_a × (b_a − L_a)", ["n_a", "b_a", "L_a"]),
}
MIX_METRICS = ("mix.tco_usd", "mix.levy_usd", "mix.capex_usd", "mix.migration_usd")
METRICS = tuple(dict.fromkeys([*_ORDER, *_OPTION, *MIX_METRICS]))


def explain(result: ScenarioResult, metric: str, order_name: str | None = None,
            chip: str | None = None) -> Explanation:
    """Explain `metric` (a field of the compare JSON) for an order, and an option when it is per option."""
    scenario = result.scenario
    if metric not in METRICS:
        near = difflib.get_close_matches(metric, METRICS, n=3)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise UsageError(f"cannot explain '{metric}': {hint}metrics: {', '.join(METRICS)}")
    if not result.orders:
        raise UsageError(f"{scenario.file} has no orders to explain {metric} for")
    order = result.orders[order_index(scenario, order_name)]
    if metric in MIX_METRICS:
        if chip is not None:
            raise UsageError(f"{metric} is a figure of the whole mix: leave out --chip")
        return _explain_mix(result, order, metric)
    if chip is not None and metric not in _OPTION:  # spend_usd, demand_tflops, vendor_net_usd
        raise UsageError(f"{metric} is a figure of the order, not of an option: explain it without --chip")
    per_order = chip is None and metric in _ORDER
    option = None if per_order else _pick_option(order, metric, chip, result)
    context = TermCollector(scenario, result, order, option.chip if option else order.order.chip)
    formula, needs = (_ORDER if per_order else _OPTION)[metric]
    if metric in _MONEY_BASE and _money_base(result, order.order.chip if metric == "breakeven.levy_rate"
                                             else option.chip):
        formula, needs = _MONEY_BASE[metric]
    if option is not None:
        formula, needs = _for_option(formula, needs, option.is_order_chip)
    context.totals = _totals(context, option, order)
    for symbol in needs:
        context.need(symbol)
    value, reason = _value(order, option, metric, per_order)
    return Explanation(metric, scenario.name, order.order.name, None if per_order else option.chip,
                       value, reason, formula, tuple(t for t in context.terms.values() if t is not None))


def _money_base(result: ScenarioResult, chip: str) -> bool:
    return result.chips[chip].chip.levy_base_is_money


def _pick_option(order: OrderResult, metric: str, chip: str | None, result: ScenarioResult) -> Option:
    if chip is None:
        others = [o for o in order.options if not o.is_order_chip]
        if metric.startswith("breakeven."):
            if not others:
                raise UsageError("a breakeven needs a second chip to switch to")
            return others[0]  # the cheapest alternative
        return order.own
    for option in order.options:
        if option.chip == chip:
            if metric.startswith("breakeven.") and option.is_order_chip:
                raise UsageError(f"{chip} is the order's own chip: a breakeven is of switching to another "
                                 "chip; give --chip with one of "
                                 + ", ".join(o.chip for o in order.options if not o.is_order_chip))
            return option
    raise UsageError(f"no chip '{chip}' in {result.scenario.file}; chips: {', '.join(result.chips)}")


def _for_option(formula: str, needs: list[str], is_order_chip: bool) -> tuple[str, list[str]]:
    """For the order's own chip, c is a: write the formula with a's symbols."""
    if not is_order_chip:
        return formula, needs
    return formula.replace("_c", "_a"), [n.replace("_c", "_a") for n in needs]


def _totals(context: TermCollector, option: Option | None,
            order: OrderResult) -> dict[str, Callable[[], Term]]:
    """T and n of the order's chip and of the option, which depend on the order as a whole."""
    own = order.own
    totals = {"T_a": lambda: context.derived("T_a", f"TCO of {own.chip} for the demand", "n_a × k_a + M_a",
                                             own.tco_usd, "money", ["n_a", "k_a", "M_a"])}
    if option is not None and not option.is_order_chip:
        totals["n_c"] = lambda: context.derived("n_c", f"units of {option.chip} needed", "D / e_c",
                                                option.units, "number", ["D", "e_c"])
        totals["T_c"] = lambda: context.derived("T_c", f"TCO of {option.chip} for the demand",
                                                "n_c × k_c + M_c", option.tco_usd, "money",
                                                ["n_c", "k_c", "M_c"])
    return totals


def _value(order: OrderResult, option: Option | None, metric: str,
           per_order: bool) -> tuple[Value, str | None]:
    if per_order:
        return getattr(order, metric), None
    if metric.startswith("breakeven."):
        breakeven = getattr(option.breakeven, metric.split(".", 1)[1])
        return breakeven.value, breakeven.reason
    return getattr(option, metric), None


def _explain_mix(result: ScenarioResult, order: OrderResult, metric: str) -> Explanation:
    """A figure of the order's fleet mix as the sum of its chips' terms (MODEL.md, fleet mix): chip i
    of the mix is tagged i, its units x_i come from the solver, every other term from the chip."""
    from .mix import optimal_mix  # the solver loads only when a mix is explained

    index = result.orders.index(order)
    mix = optimal_mix(result, index, result.scenario.mix)
    context = TermCollector(result.scenario, result, order, order.order.chip,
                       tags={str(i): chip.chip for i, chip in enumerate(mix.chips, start=1)})
    tags = list(context.tags)
    first_on_platform: dict[str, str] = {}  # platform -> the tag whose M stands for its migration
    for tag in tags:
        chip = result.chips[context.tags[tag]]
        if chip.migration_usd > 0:
            first_on_platform.setdefault(chip.chip.platform, tag)
    migration = [f"M_{tag}" for tag in first_on_platform.values()]
    per_chip = {"mix.tco_usd": ("x_{0} × k_{0}", ["k"]), "mix.levy_usd": ("x_{0} × L_{0}", ["L"]),
                "mix.capex_usd": ("x_{0} × (b_{0} + h_{0})", ["b", "h"]), "mix.migration_usd": (None, [])}
    pattern, needs = per_chip[metric]
    parts = [pattern.format(tag) for tag in tags] if pattern else []
    if metric in ("mix.tco_usd", "mix.migration_usd"):
        parts += migration
    for tag, used in zip(tags, mix.chips):
        if pattern:
            context.terms[f"x_{tag}"] = None  # reserve the place before its own needs
            context.terms[f"x_{tag}"] = context.derived(
                f"x_{tag}", f"units of {used.chip} in the mix", f"share of demand {used.share_of_demand:.6g}"
                " × D / e_{tag}, the share from the fleet-mix LP".replace("{tag}", tag), used.units, "number",
                ["D", f"e_{tag}"])
        for need in needs:
            context.need(f"{need}_{tag}")
    for symbol in migration if metric in ("mix.tco_usd", "mix.migration_usd") else []:
        context.need(symbol)
    name = metric.split(".", 1)[1]
    chips = ", ".join(f"{tag} = {key}" for tag, key in context.tags.items())
    formula = f"{name} = " + (" + ".join(parts) or "0 (no platform migrated to)") + (
        f"; chips {chips}" if chips else "")
    reason = None
    if not mix.feasible:
        formula, reason = f"{name} = sum over the mix's chips", "no mix meets the demand within the limits"
    return Explanation(metric, result.scenario.name, order.order.name, None, getattr(mix, name), reason,
                       formula, tuple(t for t in context.terms.values() if t is not None))
