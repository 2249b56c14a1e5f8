"""The terms behind a number that `explain` lists: inputs with their path, value and origin (a file and
line, `extends`, `--set`, or a default) and the `source:` of their section; derived figures with their
formula in MODEL.md's symbols. `TermCollector` collects the terms a formula needs, each once, in the order
they are first needed; `explain.py` says which formula each metric has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..model import ChipFigures, OrderResult, ScenarioResult, lifetime_factor
from ..scenario import Platform, Scenario

SHARED = ("t", "pue", "years", "d", "A", "I", "phi")
"""Scenario-wide symbols: they carry no chip suffix."""


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
class TermCollector:
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
