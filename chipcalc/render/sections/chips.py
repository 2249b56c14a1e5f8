"""The tables of `chips` and `levy`, and the sections of one scenario's report."""

from __future__ import annotations

from ...kinds import kind_of
from ...model import ScenarioResult
from ...values import counted, human_money, human_number, human_rate
from ..layout import COUNT, NUMBER, Column, Section, Table
from .common import SummaryRow, description, scenario_lines, scenario_section, summary_section
from .compare import compare_tables, levy_summary
from .mix import report_mix_section


def chips_sections(results: list[ScenarioResult]) -> list[Section]:
    sections = [scenario_section(r.scenario, chip_tables(r), described=True) for r in results]
    if len(results) > 1:
        sections.append(summary_section(results, _chips_summary))
    return sections


def chip_tables(result: ScenarioResult) -> list[Table]:
    """Prices per unit, compute, and the sources of the chips' figures."""
    precision = result.scenario.assumptions.precision
    prices = Table(
        [Column("chip"), Column("list\nprice", kind_of("price_usd")),
         Column("levy\nrate", kind_of("levy_rate")), Column("levy\nbase", kind_of("levy_base")),
         Column("buyer\nprice", kind_of("buyer_price_usd")),
         Column("levy\nper unit", kind_of("levy_per_unit_usd")),
         Column("vendor net\nper unit", kind_of("vendor_net_per_unit_usd")),
         Column("running\na year", kind_of("running_cost_per_year_usd")),
         Column("cost\nper unit", kind_of("cost_per_unit_usd"))],
        title="Prices per unit",
        notes=["running a year: energy, facility, maintenance and operations. cost per unit: buyer "
               "price + host cost + the running costs of the life (present value). A levy base in "
               "money is a customs value per unit."],
    )
    compute = Table(
        [Column("chip"), Column(f"{precision}\nTFLOP/s", kind_of("tflops")),
         Column("attain-\nable", kind_of("attainable_tflops")),
         Column("utili-\nzation", kind_of("utilization")),
         Column("effective\nTFLOP/s", kind_of("effective_tflops_per_unit")),
         Column("TFLOP/s\nper $1k", kind_of("tflops_per_kusd")), Column("TPP", NUMBER),
         Column("memory\nGB", kind_of("memory_gb")), Column("watts", kind_of("power_w"))],
        title=f"Compute (dense {precision}, no sparsity)",
        notes=["attainable: the peak the workload's arithmetic intensity allows (bandwidth x "
               "intensity). TFLOP/s per $1k: effective TFLOP/s per $1,000 of buyer price. TPP: the "
               "export-control metric, max over precisions of peak TFLOP/s x bits."],
    )
    for f in result.chips.values():
        c = f.chip
        base = human_money(c.levy_base) if c.levy_base_is_money else c.levy_base  # V, else the share s
        prices.rows.append([c.key, c.price_usd, c.levy_rate, base, f.buyer_price_usd,
                            f.levy_per_unit_usd, f.vendor_net_per_unit_usd, f.running_cost_per_year_usd,
                            f.cost_per_unit_usd])
        compute.rows.append([c.key, f.tflops, f.attainable_tflops, c.utilization, f.effective_tflops_per_unit,
                             f.tflops_per_kusd, f.tpp, c.memory_gb, c.power_w])
    sources = Table([Column("chip"), Column("name"), Column("as of"), Column("source", wrap=True)],
                    title="Sources")
    sources.rows = [[f.chip.key, f.chip.name, f.chip.as_of, f.chip.source] for f in result.chips.values()]
    return [prices, compute, sources]


def _chips_summary(result: ScenarioResult) -> list[SummaryRow]:
    """A chip a row, the buyer price in one table and the compute per dollar in another."""
    chips = result.chips.values()
    return ([("buyer price", f.chip.key, f.buyer_price_usd, kind_of("buyer_price_usd")) for f in chips]
            + [("TFLOP/s per $1k", f.chip.key, f.tflops_per_kusd, kind_of("tflops_per_kusd")) for f in chips])


def levy_sections(results: list[ScenarioResult]) -> list[Section]:
    sections = [scenario_section(r.scenario, [levy_table(r)]) for r in results]
    if len(results) > 1:
        sections.append(summary_section(results, levy_summary))
    return sections


def levy_table(r: ScenarioResult) -> Table:
    """Spend, levy and vendor net per order, per chip and in total."""
    table = Table(
        [Column("order"), Column("chip"), Column("units", COUNT), Column("spend", kind_of("spend_usd")),
         Column("levy rate", kind_of("effective_levy_rate")), Column("levy paid", kind_of("levy_usd")),
         Column("vendor net", kind_of("vendor_net_usd"))],
        title="Levy per order, per chip and in total",
    )
    for o in r.orders:
        chip = r.chips[o.order.chip]
        table.rows.append([o.order.name, o.order.chip, o.units, o.spend_usd,
                           chip.effective_levy_rate, o.levy_usd, o.vendor_net_usd])
    for t in r.totals_by_chip:
        table.rows.append(["all orders", t.chip, None, t.spend_usd, None, t.levy_usd, t.vendor_net_usd])
    total = r.total
    table.rows.append(["total", None, None, total.spend_usd, None, total.levy_usd, total.vendor_net_usd])
    table.notes.append("levy rate: the effective rate on the sale price (levy rate x levy base).")
    return table


def report_sections(result: ScenarioResult) -> list[Section]:
    """One scenario's full report: assumptions with sources, chips, comparisons, breakevens, the fleet
    mix (when some option is short of supply or the scenario sets mix limits), levy.
    Each section is built with its own heading: the report reuses the commands' tables, not their
    sections."""
    scenario = result.scenario
    head = Section(f"Scenario {scenario.name}", scenario_lines(scenario), _scenario_tables(result),
                   description(scenario))
    mix = report_mix_section(result)
    return [head, Section("Chips", [], chip_tables(result)),
            Section("Comparison", [], compare_tables(result)), *([mix] if mix else []),
            Section("Levy", [], [levy_table(result)])]


def _scenario_tables(result: ScenarioResult) -> list[Table]:
    """The report's tables of what the scenario assumes: settings, platforms and orders."""
    scenario = result.scenario
    a = scenario.assumptions
    assumptions = Table([Column("assumption"), Column("value", NUMBER)], title="Assumptions")
    assumptions.rows = [
        ["precision", a.precision], ["lifetime", counted(f"{a.lifetime_years:g}", "year")],
        ["electricity", f"{human_money(a.electricity_usd_per_kwh)}/kWh"], ["PUE", f"{a.pue:g}"],
        ["levy pass-through", human_rate(a.levy_pass_through)], ["incumbent platform", a.incumbent_platform],
        *([f"USD per {code}", f"{rate:g}"] for code, rate in a.fx.items()),
    ]
    platforms = Table([Column("platform"), Column("migration", kind_of("migration_cost_usd")),
                       Column("engineer-months", kind_of("engineer_months")),
                       Column("per engineer-month", kind_of("cost_per_engineer_month_usd")), Column("as of"),
                       Column("source", wrap=True)],
                      title="Platforms (migration off the incumbent)")
    platforms.rows = [[key, p.migration_cost_usd, p.engineer_months, p.cost_per_engineer_month_usd, p.as_of,
                       p.source] for key, p in scenario.platforms.items()]
    orders = Table([Column("order"), Column("chip"), Column("given"), Column("as of"),
                    Column("source", wrap=True)], title="Orders")
    orders.rows = [[o.name, o.chip, human_money(o.budget_usd) if o.budget_usd is not None else
                    f"{human_number(o.units)} units", o.as_of, o.source] for o in scenario.orders]
    return [assumptions] + ([platforms] if platforms.rows else []) + [orders]
