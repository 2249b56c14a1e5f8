"""The tables of `cashflow`: per order, the options side by side, then each option period by period."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ...values import counted, human_money, human_rate
from ..layout import MONEY, NUMBER, TEXT, Column, Section, Table
from .common import ORDER_MARK, scenario_section

if TYPE_CHECKING:  # the analysis is loaded by the command that runs it
    from ...analysis.cashflow import CashFlows, OptionFlows, OrderFlows

MAX_PERIOD_ROWS = 24
"""An option's table shows at most this many periods; longer runs of quarters or months are
shown as yearly subtotals (JSON and CSV carry every period)."""
PERIOD_NAMES = {1.0: "years", 0.25: "quarters", 1 / 12: "months"}


def _periods(period_years: float) -> str:
    """What the periods are called: months, or (from the library, any length) periods of 0.5 years."""
    return PERIOD_NAMES.get(period_years, f"periods of {counted(years(period_years), 'year')}")


def cashflow_sections(flows: Sequence[CashFlows]) -> list[Section]:
    sections = []
    for f in flows:
        a = f.scenario.assumptions
        section = scenario_section(f.scenario)
        section.lines.append(f"cash flows in {_periods(f.period_years)} of the {a.lifetime_years:g}-year "
                             f"life at a discount rate of {human_rate(a.discount_rate)}; discounted: "
                             "present value at the purchase")
        if not f.orders:
            section.lines.append("no orders: add an order to see its cash flows")
        for order in f.orders:
            section.tables.append(_overview(order))
            section.tables += [_periods_table(option, f.period_years) for option in order.options]
        sections.append(section)
    return sections


def years(value: float) -> str:
    """A time in years as a person reads it: 2, 0.25, 2.22."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _label(option: OptionFlows) -> str:
    return option.chip + (f" {ORDER_MARK}" if option.is_order_chip else "")


def _overview(order: OrderFlows) -> Table:
    """The options side by side: what each pays up front and a year, its TCO, when it pays back."""
    table = Table([Column("option"), Column("upfront", MONEY), Column("running/year", MONEY),
                   Column("TCO", MONEY), Column("switching pays", NUMBER)],
                  title=f"Order {order.name} ({order.chip}): the cost of each option over time")
    for option in order.options:
        table.rows.append([_label(option), option.periods[0].total_usd, option.running_per_year_usd,
                           option.tco_usd, _payback(option)])
    table.notes.append(f"{ORDER_MARK} the order's chip. upfront: capex and migration at the purchase. "
                       "running/year: energy, facility, maintenance and operations, undiscounted. TCO: "
                       "the discounted periods added up. switching pays: for a life longer (after) or "
                       "shorter (before) than the one at which the option costs as much as the order's "
                       "chip (breakeven 6); (value): beyond the life.")
    own = next(o for o in order.options if o.is_order_chip)
    for option in order.options:
        if option.crossing is not None:
            after = "from then on" if option.crossing.cheaper_after else "until then"
            table.notes.append(f"{option.chip} and {own.chip} have cost the same, "
                               f"{human_money(option.crossing.cumulative_usd)} each, at "
                               f"{counted(years(option.crossing.years), 'year')}; "
                               f"{option.chip} is cheaper {after}.")
    return table


def _payback(option: OptionFlows) -> str:
    """Breakeven 6: `after 2.22 years` (switching pays for a longer life), `before ...` (for a
    shorter one), in parentheses beyond the life; else its reason."""
    if option.payback is None:
        return "-"
    if option.payback.value is None:
        return option.payback.reason or "-"
    shown = f"{option.payback.pays} {counted(years(option.payback.value), 'year')}"
    return shown if option.crossing is not None else f"({shown})"


def _periods_table(option: OptionFlows, period_years: float) -> Table:
    from ...analysis.cashflow import by_year

    count = len(option.periods) - 1
    yearly = count > MAX_PERIOD_ROWS and period_years < 1
    table = Table([Column("period"), Column("years", TEXT), Column("upfront", MONEY),
                   Column("running", MONEY), Column("discounted", MONEY), Column("cumulative", MONEY)],
                  title=f"{_label(option)}: cash flows" + (" by year" if yearly else ""))
    previous = 0
    for p in by_year(option.periods) if yearly else option.periods:
        label = f"{previous + 1}-{p.period}" if yearly and p.period else str(p.period)
        previous = p.period
        span = "0" if p.end_years == 0 else f"{years(p.start_years)}-{years(p.end_years)}"
        table.rows.append([label, span, p.capex_usd + p.migration_usd, p.running_usd, p.discounted_usd,
                           p.cumulative_discounted_usd])
    if yearly:
        table.notes.append(f"{count} {_periods(period_years)} added up by year; -f csv or -f json "
                           "carry every period.")
    return table
