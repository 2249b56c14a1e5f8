"""The tables of `compare` and `breakeven`: each order's options, and the breakevens of switching."""

from __future__ import annotations

from ...kinds import Display, kind_of
from ...model import Breakeven, Option, OrderResult, ScenarioResult
from ...values import human_money, human_number, human_rate
from ..layout import COUNT, MONEY, RATE, TEXT, Column, Section, Table
from ...analysis.mix import mix_applies
from .common import ORDER_MARK, SHORT_MARK, SummaryRow, scenario_section, summary_section
from .mix import mix_summary


def compare_sections(results: list[ScenarioResult]) -> list[Section]:
    sections = []
    for result in results:
        sections.append(scenario_section(result.scenario, compare_tables(result)))
        if not result.orders:
            sections[-1].lines.append("no orders: add an order to compare the chips as options")
    if len(results) > 1:  # with a mix in any scenario, every scenario's, so that the rows line up
        mixed = any(mix_applies(result) for result in results)
        sections.append(summary_section(
            results, lambda result: _compare_summary(result) + (mix_summary(result) if mixed else [])))
    return sections


def compare_tables(result: ScenarioResult) -> list[Table]:
    """Each order's options, their running costs when the scenario has any beyond energy or a
    token figure, and its breakevens."""
    tables = []
    for order in result.orders:
        running = _running_table(order)
        tables += [_options_table(order), *([running] if running else []), breakeven_table(order)]
    return tables


def breakevens_sections(results: list[ScenarioResult]) -> list[Section]:
    return [scenario_section(r.scenario, [breakeven_table(o) for o in r.orders]) for r in results]


def _order_title(order: OrderResult) -> str:
    given = (f"budget {human_money(order.order.budget_usd)} = {human_number(order.units)} units"
             if order.order.budget_usd is not None else f"{human_number(order.units)} units")
    return (f"Order {order.order.name}: {given} of {order.order.chip}, "
            f"{human_number(order.demand_tflops)} effective TFLOP/s")


def _option_label(option: Option) -> str:
    return option.chip + (f" {ORDER_MARK}" if option.is_order_chip else "") + (
        f" {SHORT_MARK}" if not option.feasible else "")


def _options_table(order: OrderResult) -> Table:
    table = Table(
        [Column("option"), Column("units", COUNT), Column("capex", kind_of("capex_usd")),
         Column("levy", kind_of("levy_usd")), Column("energy", kind_of("energy_usd")),
         Column("migration", kind_of("migration_usd")), Column("TCO", kind_of("tco_usd")),
         Column("$/PFLOP/s", kind_of("usd_per_effective_pflops")), Column("vs order", kind_of("vs_order"))],
        title=_order_title(order),
    )
    for o in order.options:
        table.rows.append([_option_label(o), o.units, o.capex_usd, o.levy_usd, o.energy_usd,
                           o.migration_usd, o.tco_usd, o.usd_per_effective_pflops,
                           None if o.is_order_chip else o.vs_order])
    table.notes.append(
        f"{ORDER_MARK} the order's chip. Levy paid {human_money(order.levy_usd)} on spend "
        f"{human_money(order.spend_usd)}. $/PFLOP/s: TCO per effective PFLOP/s."
    )
    table.notes += [f"{SHORT_MARK} {o.chip}: short of supply by {human_number(o.supply_shortfall_units)} "
                    f"units (needs {human_number(o.units)})" for o in order.options if not o.feasible]
    return table


RUNNING_COLUMNS = (("facility", "facility_usd"), ("maintenance", "maintenance_usd"),
                   ("operations", "operations_usd"))


def _running_table(order: OrderResult) -> Table | None:
    """Running costs beyond energy and the cost per million tokens, in a table of their own so that
    the options table fits 80 columns and stays as version 1 had it; None when there are neither."""
    running = [(header, name) for header, name in RUNNING_COLUMNS
               if any(getattr(o, name) for o in order.options)]
    tokens = order.own.usd_per_million_tokens is not None  # the workload gives FLOPs per token
    if not running and not tokens:
        return None
    table = Table([Column("option"), Column("energy", kind_of("energy_usd")),
                   *(Column(header, kind_of(name)) for header, name in running),
                   Column("$/PFLOP/s-h", kind_of("usd_per_effective_pflops_hour")),
                   *([Column("$/M tokens", kind_of("usd_per_million_tokens"))] if tokens else [])],
                  title="Running costs over the life (present value) and levelised costs")
    for o in order.options:  # levelised costs are a few dollars: four figures tell the chips apart
        table.rows.append([_option_label(o), o.energy_usd, *(getattr(o, name) for _, name in running),
                           _four_figures(o.usd_per_effective_pflops_hour),
                           *([_four_figures(o.usd_per_million_tokens)] if tokens else [])])
    table.notes.append("Levelised: TCO over the discounted PFLOP/s-hours"
                       + (" and million tokens" if tokens else "") + " of the life.")
    return table


def _four_figures(usd: float) -> str:
    """`$5.250`, `$14.81`: every cell of a column to the same four significant figures."""
    return ("-$" if usd < 0 else "$") + human_number(abs(usd), 4)


BREAKEVEN_COLUMNS = (("demand\nTFLOP/s", "demand_tflops"), ("levy\nrate", "levy_rate"),
                     ("migration", "migration_cost_usd"), ("list\nprice", "price_usd"),
                     ("utili-\nzation", "utilization"), ("life-\ntime", "lifetime_years"))
"""The breakeven table's columns: header and the breakeven's field."""


def _breakeven_cell(b: Breakeven, kind: Display, unit: str = "") -> str:
    if b.value is None:
        return {"not passed through": "not passed"}.get(b.reason, b.reason or "-")
    shown = {MONEY: human_money, RATE: human_rate}.get(kind, human_number)(b.value) + unit
    if b.pays:
        shown = f"{b.pays} {shown}"
    return f"({shown})" if b.reason == "out of range" else shown


def breakeven_table(order: OrderResult) -> Table:
    kinds = [kind_of(f"breakeven.{name}") for _, name in BREAKEVEN_COLUMNS]
    table = Table([Column("switch to")]
                  + [Column(header, kind) for (header, _), kind in zip(BREAKEVEN_COLUMNS, kinds)],
                  title=f"Breakevens of switching from {order.order.chip}")
    for o in order.options:
        if o.breakeven is not None:
            table.rows.append([o.chip] + [_breakeven_cell(getattr(o.breakeven, name), kind,
                                                          " y" if name == "lifetime_years" else "")
                                          for (_, name), kind in zip(BREAKEVEN_COLUMNS, kinds)])
    table.notes.append(
        "Each value makes the option cost the same as the order's chip, all else fixed; "
        "(value): outside the input's valid range. Levy rate: the order chip's; "
        "not passed: the levy does not reach buyers at 0% pass-through. Lifetime: the service "
        "life in years after (or before) which switching pays back."
    )
    return table


def _compare_summary(result: ScenarioResult) -> list[SummaryRow]:
    rows: list[SummaryRow] = levy_summary(result)
    for order in result.orders:
        group = f"order {order.order.name}"
        rows += [
            (group, f"TCO of {order.order.chip}", order.own.tco_usd, kind_of("tco_usd")),
            (group, "cheapest option", order.cheapest.chip, TEXT),
            (group, "its TCO", order.cheapest.tco_usd, kind_of("tco_usd")),
            (group, "its vs order", order.cheapest.vs_order, kind_of("vs_order")),
        ]
    return rows


def levy_summary(result: ScenarioResult) -> list[SummaryRow]:
    """The totals in the side-by-side summary of `compare` and `levy`."""
    return [(None, "spend", result.total.spend_usd, kind_of("spend_usd")),
            (None, "levy paid", result.total.levy_usd, kind_of("levy_usd")),
            (None, "vendor net revenue", result.total.vendor_net_usd, kind_of("vendor_net_usd"))]
