"""How one number was computed: its formula in MODEL.md's symbols, and every term behind it.

Derived terms show their own formula; inputs show their path, value and where
they came from (a file and line, inherited through `extends`, `--set`, or a
default) with the `source:` of their chip, platform or order.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable

from ..errors import UsageError
from ..model import ChipFigures, Option, OrderResult, ScenarioResult, lifetime_factor
from ..scenario import Platform, Scenario
from .common import order_index

SHARED = ("t", "pue", "years", "d", "A", "I", "phi")
"""Scenario-wide symbols: they carry no chip suffix."""

ORDER_FIELDS = ("units", "demand_tflops", "spend_usd", "levy_usd", "vendor_net_usd")
OPTION_FIELDS = ("units", "buyer_price_usd", "levy_per_unit_usd", "capex_usd", "levy_usd", "energy_usd",
                 "migration_usd", "tco_usd", "effective_tflops_per_unit", "tflops_per_kusd",
                 "usd_per_effective_pflops", "usd_per_effective_pflops_hour", "vs_order",
                 "supply_shortfall_units")
BREAKEVENS = ("breakeven.demand_tflops", "breakeven.levy_rate", "breakeven.migration_cost_usd",
              "breakeven.price_usd", "breakeven.utilization")


Value = float | str | None
"""A term's value: a number in model units; text for a choice; None for an input left unset."""


@dataclass(frozen=True)
class Term:
    symbol: str
    meaning: str
    value: Value
    kind: str
    """How to show the value: money, rate, number or text."""
    formula: str | None = None
    """For a derived term: how it is computed from other terms."""
    path: str | None = None
    """For an input: where it lives in the scenario."""
    origin: str | None = None
    """For an input: FILE:LINE:COL, `--set`, or None for a default."""
    source: str | None = None


@dataclass(frozen=True)
class Explanation:
    metric: str
    scenario: str
    order: str | None
    chip: str | None
    value: Value
    reason: str | None
    formula: str
    terms: tuple[Term, ...]


@dataclass
class _Context:
    """Collects the terms a metric needs, each once, in the order they are first needed."""

    scenario: Scenario
    result: ScenarioResult
    order: OrderResult
    chip_c: str
    terms: dict[str, Term | None] = field(default_factory=dict)
    totals: dict[str, Callable[[], Term]] = field(default_factory=dict)
    """Terms that depend on the order as a whole (T_a, n_c, T_c)."""
    tags: dict[str, str] = field(default_factory=dict)
    """The chip of each other tag than a and c: a mix numbers its chips 1, 2, ..."""

    def chip_terms(self, key: str, tag: str) -> dict[str, Callable[[], Term]]:
        """The per-chip terms of chip `key`, their symbols suffixed with `tag` (a or c): its inputs,
        then what the model derives from them."""
        return {**self._chip_inputs(key, tag), **self._chip_derived(key, tag)}

    def _chip_makers(self, key: str, tag: str) -> tuple[Callable[..., Callable[[], Term]],
                                                        Callable[..., Callable[[], Term]],
                                                        Callable[..., Callable[[], Term]]]:
        """The three makers of a chip's terms: an input of the chip's own, a derived figure, and an
        input the chip may set or leave to the scenario's assumption."""
        chip = self.result.chips[key].chip
        base = f"chips.{key}"

        def given(symbol: str, meaning: str, path: str, value: Value, kind: str,
                  source: str | None = chip.source) -> Callable[[], Term]:
            return lambda: self.input(f"{symbol}_{tag}", meaning, path, value, kind, source)

        def derived(symbol: str, meaning: str, formula: str, value: Value, kind: str,
                    needs: list[str]) -> Callable[[], Term]:
            tagged = [n if n in SHARED else f"{n}_{tag}" for n in needs]
            return lambda: self.derived(f"{symbol}_{tag}", meaning, formula.replace("_x", f"_{tag}"), value,
                                        kind, tagged)

        def own_or(symbol: str, meaning: str, name: str, own: Value, value: Value,
                   kind: str) -> Callable[[], Term]:
            """An input the chip may set, else the scenario's assumption."""
            return given(symbol, f"{meaning} of {key}", f"{base}.{name}" if own is not None
                         else f"assumptions.{name}", value, kind, chip.source if own is not None else None)

        return given, derived, own_or

    def _chip_inputs(self, key: str, tag: str) -> dict[str, Callable[[], Term]]:
        """The inputs of chip `key` the model reads."""
        f: ChipFigures = self.result.chips[key]
        chip = f.chip
        a = self.scenario.assumptions
        base = f"chips.{key}"
        own_electricity = chip.electricity_usd_per_kwh is not None
        given, _, own_or = self._chip_makers(key, tag)
        return {
            f"p_{tag}": given("p", f"list price of {key}", f"{base}.price", chip.price_usd, "money"),
            f"r_{tag}": given("r", f"levy rate of {key}", f"{base}.levy_rate", chip.levy_rate, "rate"),
            f"s_{tag}": given("s", f"levy base of {key}", f"{base}.levy_base", chip.levy_base, "rate"),
            f"V_{tag}": given("V", f"customs value per unit of {key}", f"{base}.levy_base", chip.levy_base,
                              "money"),
            f"F_{tag}": given("F", f"peak {a.precision} TFLOP/s of {key}", f"{base}.tflops.{a.precision}",
                              f.tflops, "number"),
            f"B_{tag}": given("B", f"memory bandwidth of {key}, TB/s", f"{base}.bandwidth_tbps",
                              chip.bandwidth_tbps, "number"),
            f"u_{tag}": given("u", f"utilisation of {key}", f"{base}.utilization", chip.utilization, "rate"),
            f"W_{tag}": given("W", f"watts per unit of {key}", f"{base}.power_w", chip.power_w, "number"),
            f"h_{tag}": given("h", f"host cost per unit of {key}", f"{base}.host_cost", chip.host_cost_usd,
                              "money"),
            f"P_{tag}": given("P", f"electricity price for {key}, USD/kWh",
                              f"{base}.electricity_usd_per_kwh" if own_electricity
                              else "assumptions.electricity_usd_per_kwh", f.electricity_usd_per_kwh, "money",
                              chip.source if own_electricity else None),
            f"w_{tag}": own_or("w", "average power draw", "power_draw", chip.power_draw, f.power_draw,
                               "rate"),
            f"f_{tag}": own_or("f", "facility USD per kW a month", "facility_usd_per_kw_month",
                               chip.facility_usd_per_kw_month, a.facility_usd_per_kw_month
                               if chip.facility_usd_per_kw_month is None else chip.facility_usd_per_kw_month,
                               "money"),
            f"mr_{tag}": own_or("mr", "maintenance a year, share of hardware cost", "maintenance_rate",
                                chip.maintenance_rate, f.maintenance_rate, "rate"),
            f"o_{tag}": own_or("o", "operations per unit a year", "operations_usd_per_year",
                               chip.operations_usd_per_year, f.operations_per_year_usd, "money"),
            f"S_{tag}": given("S", f"units of {key} available", f"{base}.supply_units", chip.supply_units,
                              "number"),
        }

    def _chip_derived(self, key: str, tag: str) -> dict[str, Callable[[], Term]]:
        """What the model derives for chip `key` from its inputs."""
        f: ChipFigures = self.result.chips[key]
        chip = f.chip
        a = self.scenario.assumptions
        platform = self.scenario.platforms.get(chip.platform)
        on_incumbent = chip.platform == a.incumbent_platform
        _, derived, _ = self._chip_makers(key, tag)
        money_base = chip.levy_base_is_money
        roofline = self.scenario.workload.arithmetic_intensity is not None
        migration_formula = "0 (on the incumbent platform)" if on_incumbent else "m + em × cem"
        return {
            f"rho_{tag}": derived("rho", f"effective levy rate of {key}", "L_x / b_x" if money_base
                                  else "r_x × s_x", f.effective_levy_rate, "rate",
                                  ["L", "b"] if money_base else ["r", "s"]),
            f"b_{tag}": derived("b", f"buyer price of {key}", "p_x + t × L_x" if money_base
                                else "p_x / (1 − t × rho_x)", f.buyer_price_usd, "money",
                                ["p", "t", "L"] if money_base else ["p", "t", "rho"]),
            f"L_{tag}": derived("L", f"levy per unit of {key}", "r_x × V_x" if money_base else "rho_x × b_x",
                                f.levy_per_unit_usd, "money", ["r", "V"] if money_base else ["rho", "b"]),
            f"F'_{tag}": derived("F'", f"attainable TFLOP/s of {key}", "min(F_x, B_x × I)" if roofline
                                 else "F_x (compute-bound)", f.attainable_tflops, "number",
                                 ["F", "B", "I"] if roofline else ["F"]),
            f"e_{tag}": derived("e", f"effective TFLOP/s per unit of {key}", "F'_x × u_x",
                                f.effective_tflops_per_unit, "number", ["F'", "u"]),
            f"H_{tag}": derived("H", f"hardware cost per unit of {key}", "b_x + h_x", f.hardware_cost_usd,
                                "money", ["b", "h"]),
            f"Ey_{tag}": derived("Ey", f"energy a year per unit of {key}",
                                 "W_x × w_x / 1000 × pue × 8760 × P_x",
                                 f.energy_per_year_usd, "money", ["W", "w", "pue", "P"]),
            f"Fy_{tag}": derived("Fy", f"facility a year per unit of {key}", "W_x / 1000 × 12 × f_x",
                                 f.facility_per_year_usd, "money", ["W", "f"]),
            f"My_{tag}": derived("My", f"maintenance a year per unit of {key}", "mr_x × H_x",
                                 f.maintenance_per_year_usd, "money", ["mr", "H"]),
            f"R_{tag}": derived("R", f"running cost a year per unit of {key}", "Ey_x + Fy_x + My_x + o_x",
                                f.running_cost_per_year_usd, "money", ["Ey", "Fy", "My", "o"]),
            f"E_{tag}": derived("E", f"lifetime energy per unit of {key}, present value", "A × Ey_x",
                                f.energy_per_unit_usd, "money", ["A", "Ey"]),
            f"k_{tag}": derived("k", f"cost per unit of {key}", "H_x + A × R_x", f.cost_per_unit_usd,
                                "money", ["H", "A", "R"]),
            f"M_{tag}": lambda: self.migration(f"M_{tag}", key, platform, on_incumbent, migration_formula,
                                               f.migration_usd),
        }

    def input(self, symbol: str, meaning: str, path: str, value: Value, kind: str,
              source: str | None) -> Term:
        mark = self.scenario.origins.get(path)
        origin = str(mark) if mark else None
        return Term(symbol, meaning, value, kind, path=path, origin=origin, source=source)

    def derived(self, symbol: str, meaning: str, formula: str, value: Value, kind: str,
                needs: list[str]) -> Term:
        for need in needs:
            self.need(need)
        return Term(symbol, meaning, value, kind, formula=formula)

    def migration(self, symbol: str, key: str, platform: Platform | None, on_incumbent: bool, formula: str,
                  value: float) -> Term:
        if not on_incumbent:
            base = f"platforms.{self.result.chips[key].chip.platform}"
            for letter, name, attr, kind in (("m", "migration_cost", "migration_cost_usd", "money"),
                                             ("em", "engineer_months", "engineer_months", "number"),
                                             ("cem", "cost_per_engineer_month", "cost_per_engineer_month_usd",
                                              "money")):
                self.terms.setdefault(f"{base}.{name}", self.input(
                    letter, f"{name.replace('_', ' ')} of {base}", f"{base}.{name}", getattr(platform, attr),
                    kind, platform.source))
        return Term(symbol, f"migration to {key}'s platform", value, "money", formula=formula)

    def need(self, symbol: str) -> None:
        """Add `symbol`'s term (and, through it, every term it needs) once."""
        if symbol in self.terms:
            return
        a = self.scenario.assumptions
        shared = {
            "t": lambda: self.input("t", "levy pass-through", "assumptions.levy_pass_through",
                                    a.levy_pass_through, "rate", None),
            "pue": lambda: self.input("pue", "power usage effectiveness", "assumptions.pue", a.pue, "number",
                                      None),
            "years": lambda: self.input("years", "lifetime in years", "assumptions.lifetime_years",
                                        a.lifetime_years, "number", None),
            "d": lambda: self.input("d", "discount rate a year", "assumptions.discount_rate",
                                    a.discount_rate, "rate", None),
            "A": lambda: self.derived("A", "present value of 1 USD a year over the life",
                                      "years (d = 0), else (1 − (1 + d)^−years) / ln(1 + d)",
                                      lifetime_factor(a), "number", ["years", "d"]),
            "I": lambda: self.input("I", "arithmetic intensity, FLOP per byte",
                                    "workload.arithmetic_intensity",
                                    self.scenario.workload.arithmetic_intensity, "number", None),
            "phi": lambda: self.input("phi", "FLOPs per token", "workload.flops_per_token",
                                      self.scenario.workload.flops_per_token, "number", None),
        }
        if symbol in shared:
            self.terms[symbol] = shared[symbol]()
            return
        if symbol in self.totals:
            self.terms[symbol] = None  # reserve the place before its own needs
            self.terms[symbol] = self.totals[symbol]()
            return
        if symbol in ("n_a", "D"):
            self.terms[symbol] = None  # reserve the place before its own needs
            self.terms[symbol] = self.order_term(symbol)
            return
        name, _, tag = symbol.rpartition("_")
        key = self.tags.get(tag) or (self.order.order.chip if tag == "a" else self.chip_c)
        self.terms[symbol] = None  # reserve the place: terms list in the order first needed
        self.terms[symbol] = self.chip_terms(key, tag)[symbol]()

    def order_term(self, symbol: str) -> Term:
        order, index = self.order, self.scenario.orders.index(self.order.order)
        if symbol == "D":
            self.need("n_a")
            self.need("e_a")
            return Term("D", "demand: the order's effective TFLOP/s", order.demand_tflops, "number",
                        formula="n_a × e_a")
        if order.order.units is not None:
            return self.input("n_a", f"units of {order.order.chip} ordered", f"orders[{index}].units",
                              order.units, "number", order.order.source)
        self.terms["budget"] = self.input("budget", "the order's budget", f"orders[{index}].budget",
                                          order.order.budget_usd, "money", order.order.source)
        self.need("b_a")
        return Term("n_a", f"units of {order.order.chip} the budget buys", order.units, "number",
                    formula="budget / b_a")


# What each metric is, in symbols: its formula and the terms it needs.
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
    "breakeven.levy_rate": ("r* = (1 − p_a / b*) / (t × s_a) (money base: (b* − p_a) / (t × V_a)), "
                            "b* = ((T_c − M_a) / n_a − A × (Ey_a + Fy_a + o_a)) / (1 + A × mr_a) − h_a",
                            ["T_c", "M_a", "n_a", "A", "Ey_a", "Fy_a", "o_a", "mr_a", "h_a", "p_a", "t",
                             "s_a"]),
    "breakeven.migration_cost_usd": ("M* = T_a − n_c × k_c", ["T_a", "n_c", "k_c"]),
    "breakeven.price_usd": ("p* = b* × (1 − t × rho_c) (money base: b* − t × L_c), "
                            "b* = ((T_a − M_c) / n_c − A × (Ey_c + Fy_c + o_c)) / (1 + A × mr_c) − h_c",
                            ["T_a", "M_c", "n_c", "A", "Ey_c", "Fy_c", "o_c", "mr_c", "h_c", "t", "rho_c"]),
    "breakeven.utilization": ("u* = D × k_c / (F'_c × (T_a − M_c))", ["D", "k_c", "F'_c", "T_a", "M_c"]),
    "breakeven.lifetime_years": ("L* = A* (d = 0), else −ln(1 − A* × ln(1 + d)) / ln(1 + d); A* = U / V, "
                                 "U = (n_c × H_c + M_c) − (n_a × H_a + M_a), V = n_a × R_a − n_c × R_c",
                                 ["n_c", "H_c", "M_c", "n_a", "H_a", "M_a", "R_a", "R_c", "d"]),
}
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
    context = _Context(scenario, result, order, option.chip if option else order.order.chip)
    formula, needs = (_ORDER if per_order else _OPTION)[metric]
    if option is not None:
        formula, needs = _for_option(formula, needs, option.is_order_chip)
    context.totals = _totals(context, option, order)
    for symbol in needs:
        context.need(symbol)
    value, reason = _value(order, option, metric, per_order)
    return Explanation(metric, scenario.name, order.order.name, None if per_order else option.chip,
                       value, reason, formula, tuple(t for t in context.terms.values() if t is not None))


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


def _totals(context: _Context, option: Option | None, order: OrderResult) -> dict[str, Callable[[], Term]]:
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
    context = _Context(result.scenario, result, order, order.order.chip,
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
