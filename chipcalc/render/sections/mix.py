"""The tables of `mix`: each order's cheapest fleet, what it costs and what holds it back.

One table per order, narrow enough for 80 columns and a PR comment: the chips used, then lines with
the mix's totals and the binding limits, each with what relaxing it would save.
"""

from __future__ import annotations

from ...analysis.mix import FleetMixes, MixLimit, MixResult, fleet_mixes, mix_applies
from ...kinds import kind_of
from ...model import ScenarioResult
from ...values import human_money, human_number, human_rate
from ..layout import COUNT, MONEY, RATE, Column, Section, Table
from .common import SummaryRow, scenario_section

LIMIT_WORDS = {"supply": "supply of {chip}", "power": "power limit", "capex": "capex limit",
               "min_share": "min share of {rule}", "max_share": "max share of {rule}"}
PER_WORDS = {"unit": "1 unit", "MW": "1 MW", "usd": "$1", "percentage_point": "1 point"}


def mix_sections(runs: list[FleetMixes]) -> list[Section]:
    sections = []
    for run in runs:
        section = scenario_section(run.result.scenario, order_tables(run))
        if not run.mixes:
            section.lines.append("no orders: add an order to find its fleet mix")
        sections.append(section)
    return sections


def order_tables(run: FleetMixes) -> list[Table]:
    """Each order's fleet and the limits that bind it (or stop it)."""
    return [table for order, mix in zip(run.result.orders, run.mixes)
            for table in (mix_table(mix, order.order.chip), binding_table(mix)) if table]


def mix_table(mix: MixResult, order_chip: str) -> Table | None:
    """One order's fleet: a row per chip used, its totals as notes; None when no mix fits."""
    if not mix.feasible:
        return None
    table = Table(
        [Column("chip"), Column("units", COUNT), Column("share", RATE), Column("capex", kind_of("capex_usd")),
         Column("levy", kind_of("levy_usd")), Column("TCO", kind_of("tco_usd"))],
        title=f"Fleet mix for order {mix.name}: {human_number(mix.demand_tflops)} effective TFLOP/s",
    )
    for used in mix.chips:
        table.rows.append([used.chip, used.units, used.share_of_demand, used.capex_usd, used.levy_usd,
                           used.tco_usd])
    table.notes += mix_notes(mix, order_chip)
    return table


def mix_notes(mix: MixResult, order_chip: str) -> list[str]:
    """The totals of a feasible mix."""
    notes = [f"Mix TCO {human_money(mix.tco_usd)} with migration {human_money(mix.migration_usd)}: "
             f"{human_rate(mix.vs_order)} vs {order_chip} alone ({human_money(mix.order_chip_tco_usd)}).",
             f"Levy paid to the US: {human_money(mix.levy_usd)}."]
    return notes + ([] if mix.binding else ["No limit binds at the optimum."])


def binding_table(mix: MixResult) -> Table | None:
    """The limits that bind (or, for an infeasible order, stop a larger demand), with what one more of
    each would save; None when none binds."""
    if not mix.binding:
        return None
    title = f"Limits on the mix for {mix.name}" if mix.feasible else f"No mix fits order {mix.name}"
    table = Table([Column("binding limit"), Column("relaxed by"), Column("saves", MONEY)], title=title)
    if not mix.feasible:
        share = human_rate(mix.max_demand_tflops / mix.demand_tflops)
        table.notes.append(f"The limits allow at most {human_number(mix.max_demand_tflops)} of its "
                           f"{human_number(mix.demand_tflops)} effective TFLOP/s ({share}); these limits "
                           "stop it.")
    for limit in mix.binding:
        table.rows.append([limit_name(limit), PER_WORDS[limit.per], _money(limit.marginal_value_usd)])
    table.notes.append("saves: the TCO one more of the limit would save (a marginal value from the LP"
                       + (")." if mix.feasible else "; none: no mix fits, so there is no TCO to save)."))
    return table


def limit_name(limit: MixLimit) -> str:
    return LIMIT_WORDS[limit.limit].format(chip=limit.chip, rule=limit.rule)


def _money(value: float | None) -> str:
    """A marginal value: cents matter for one dollar of capex, so small ones keep three digits."""
    if value is None:
        return "-"
    return f"${value:.3g}" if value < 100 else human_money(value)


def report_mix_section(result: ScenarioResult) -> Section | None:
    """The report's fleet-mix section, when a mix says more than the comparison (`mix_applies`): the
    scenario's mix limits with their sources, then each order's mix and its binding limits."""
    if not mix_applies(result):
        return None
    rows = _limit_rows(result)
    lines = ["The cheapest fleet of several chips for each order within supply"
             + (" and the limits below" if rows else "") + " (chipcalc mix)."]
    limits = Table([Column("limit"), Column("value"), Column("source", wrap=True)], rows, title="Mix limits")
    return Section("Fleet mix", lines, ([limits] if rows else []) + order_tables(fleet_mixes(result)))


def _limit_rows(result: ScenarioResult) -> list[list[str | None]]:
    mix = result.scenario.mix
    rows: list[list[str | None]] = []
    if mix.power_limit_mw is not None:
        rows.append(["power limit", f"{human_number(mix.power_limit_mw)} MW",
                     _origin(result, "mix.power_limit_mw")])
    if mix.capex_limit_usd is not None:
        rows.append(["capex limit", human_money(mix.capex_limit_usd), _origin(result, "mix.capex_limit")])
    for rule in mix.rules:
        bounds = [f"{word} {human_rate(share)}" for word, share in
                  (("at least", rule.min_share), ("at most", rule.max_share)) if share is not None]
        rows.append([f"{rule.name}: {', '.join(rule.chips)}", " and ".join(bounds), rule.source])
    return rows


def _origin(result: ScenarioResult, path: str) -> str | None:
    """Where a limit without a `source:` of its own was written (FILE:LINE:COL)."""
    mark = result.scenario.origins.get(path)
    return None if mark is None else str(mark)


def mix_summary(result: ScenarioResult) -> list[SummaryRow]:
    """The rows `compare` adds to its side-by-side summary: each order's cheapest feasible mix, its
    totals and the units of each chip in it ("none fits" when no mix meets the demand)."""
    rows: list[SummaryRow] = []
    for mix in fleet_mixes(result).mixes:
        group = f"order {mix.name}"
        rows += [(group, "cheapest feasible mix, TCO", mix.tco_usd if mix.feasible else "none fits",
                  kind_of("tco_usd")),
                 (group, "mix levy paid", mix.levy_usd, kind_of("levy_usd")),
                 (group, "mix vs order", mix.vs_order, kind_of("vs_order"))]
        rows += [(group, f"mix units of {chip.chip}", chip.units, COUNT) for chip in mix.chips]
    return rows
