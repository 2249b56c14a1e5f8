"""`cashflow`: each option's costs period by period (CLI.md, other JSON shapes)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Sequence

from .base import SCHEMA_VERSION, Document, Row, View, scenario_head

if TYPE_CHECKING:  # the analysis is loaded by the command that runs it
    from ..analysis.cashflow import CashFlows, OptionFlows

PERIOD_COLUMNS = ("period", "start_years", "end_years", "capex_usd", "migration_usd", "energy_usd",
                  "facility_usd", "maintenance_usd", "operations_usd", "total_usd", "discounted_usd",
                  "cumulative_discounted_usd")
"""A period's fields, in CLI.md's order."""
CSV_COLUMNS = ("scenario", "order", "chip", "payback_years", *PERIOD_COLUMNS)
"""The CSV header, written also when there is no row (a scenario without orders)."""


def _option_document(option: OptionFlows) -> Document:
    return {"chip": option.chip, "payback_years": option.payback_years,
            "periods": [{name: fields[name] for name in PERIOD_COLUMNS}
                        for fields in map(asdict, option.periods)]}


def cashflow_document(flows: Sequence[CashFlows]) -> Document:
    """`period_years` at the top (every scenario is cut the same way), then per scenario and order
    each option's periods, cheapest option first as in compare."""
    return {"schema_version": SCHEMA_VERSION,
            "period_years": flows[0].period_years,
            "scenarios": [{**scenario_head(f.scenario),
                           "orders": [{"name": o.name, "chip": o.chip,
                                       "options": [_option_document(x) for x in o.options]}
                                      for o in f.orders]} for f in flows]}


def cashflow_rows(flows: Sequence[CashFlows]) -> list[Row]:
    """CSV: one row per scenario, order, option and period."""
    return [{"scenario": f.scenario.name, "order": o.name, "chip": x.chip, "payback_years": x.payback_years,
             **period} for f in flows for o in f.orders for x in o.options
            for period in _option_document(x)["periods"]]


CASHFLOW: View[Sequence[CashFlows]] = View(cashflow_document, cashflow_rows, columns=CSV_COLUMNS)
