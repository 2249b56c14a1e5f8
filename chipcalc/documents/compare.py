"""`compare` and `breakeven` (without --vary): every chip as an option of each order."""

from __future__ import annotations

from typing import Any, Sequence

from ..model import Breakeven, LevyTotal, Option, OrderResult, ScenarioResult
from .base import Document, Row, View, flatten, scenarios_document
from .mix import mix_outcomes

BREAKEVEN_FIELDS = ("demand_tflops", "levy_rate", "migration_cost_usd", "price_usd", "utilization",
                    "lifetime_years")


def breakeven_document(b: Breakeven, name: str) -> Document:
    """One breakeven in CLI.md's shape: demand also in order units, demand and lifetime with `pays`."""
    if name == "demand_tflops":
        return {"value": b.value, "order_units": b.order_units, "pays": b.pays, "reason": b.reason}
    if name == "lifetime_years":
        return {"value": b.value, "pays": b.pays, "reason": b.reason}
    return {"value": b.value, "reason": b.reason}


OPTION_FIELDS = ("chip", "is_order_chip", "units", "buyer_price_usd", "levy_per_unit_usd", "capex_usd",
                 "levy_usd", "energy_usd", "facility_usd", "maintenance_usd", "operations_usd",
                 "migration_usd", "tco_usd", "attainable_tflops_per_unit", "effective_tflops_per_unit",
                 "tflops_per_kusd", "usd_per_effective_pflops", "usd_per_effective_pflops_hour",
                 "usd_per_million_tokens", "vs_order", "supply_shortfall_units", "feasible")
"""An option's figures in the compare JSON, in CLI.md's order; its `breakeven` follows them."""


def option_document(o: Option) -> Document:
    breakeven = None if o.breakeven is None else {
        name: breakeven_document(getattr(o.breakeven, name), name) for name in BREAKEVEN_FIELDS
    }
    return {**{name: getattr(o, name) for name in OPTION_FIELDS}, "breakeven": breakeven}


def order_document(r: OrderResult) -> Document:
    return {
        "name": r.order.name,
        "chip": r.order.chip,
        "units": r.units,
        "budget_usd": r.order.budget_usd,
        "demand_tflops": r.demand_tflops,
        "spend_usd": r.spend_usd,
        "levy_usd": r.levy_usd,
        "vendor_net_usd": r.vendor_net_usd,
        "options": [option_document(o) for o in r.options],
    }


def totals_document(result: ScenarioResult) -> Document:
    def one(total: LevyTotal) -> Document:
        head = {} if total.chip is None else {"chip": total.chip}
        return {**head, "spend_usd": total.spend_usd, "levy_usd": total.levy_usd,
                "vendor_net_usd": total.vendor_net_usd}

    return {**one(result.total), "by_chip": [one(t) for t in result.totals_by_chip]}


def compare_document(results: Sequence[ScenarioResult]) -> Document:
    return scenarios_document(results, lambda r: {
        "orders": [order_document(o) for o in r.orders],
        "totals": totals_document(r),
    })


NO_BREAKEVEN = {name: breakeven_document(Breakeven(None), name)
                for name in BREAKEVEN_FIELDS}
"""The order's own chip in CSV: the breakeven columns, empty."""
BREAKEVEN_COLUMNS = tuple(flatten({"breakeven": NO_BREAKEVEN}))
COMPARE_COLUMNS = ("scenario", "order", *OPTION_FIELDS, *BREAKEVEN_COLUMNS)
"""The CSV header, which a scenario without orders also gets."""


def compare_rows(results: Sequence[ScenarioResult]) -> list[Row]:
    """CSV: one row per scenario, order and option, nested fields flattened."""
    rows = []
    for result in results:
        for order in result.orders:
            for option in order.options:
                fields = option_document(option)
                fields["breakeven"] = fields["breakeven"] or NO_BREAKEVEN
                rows.append({"scenario": result.scenario.name, "order": order.order.name, **flatten(fields)})
    return rows


def breakevens_document(results: Sequence[ScenarioResult]) -> Document:
    return scenarios_document(results, lambda r: {"orders": [
        {"name": o.order.name, "chip": o.order.chip,
         "options": [{"chip": option.chip, "breakeven": option_document(option)["breakeven"]}
                     for option in o.options if not option.is_order_chip]} for o in r.orders]})


def breakevens_rows(results: Sequence[ScenarioResult]) -> list[Row]:
    return [{"scenario": r.scenario.name, "order": o.order.name, "chip": option.chip,
             **flatten({"breakeven": option_document(option)["breakeven"]})}
            for r in results for o in r.orders for option in o.options if not option.is_order_chip]


COMPARE: View[Sequence[ScenarioResult]] = View(compare_document, compare_rows, columns=COMPARE_COLUMNS)
BREAKEVENS: View[Sequence[ScenarioResult]] = View(breakevens_document, breakevens_rows,
                                                  columns=("scenario", "order", "chip", *BREAKEVEN_COLUMNS))


# Outcomes, flat: what `diff` compares -------------------------------------------


def outcomes(result: ScenarioResult) -> dict[tuple[str, str], Any]:
    """Every outcome of a result by (where, field): totals, orders and their options, and each order's
    fleet mix where it says more than the options do (`mix.mix_outcomes`)."""
    flat: dict[tuple[str, str], Any] = {}
    totals = totals_document(result)
    for field in ("spend_usd", "levy_usd", "vendor_net_usd"):
        flat[("total", field)] = totals[field]
    for order in result.orders:
        document = order_document(order)
        where = f"order {order.order.name}"
        for field in ("units", "demand_tflops", "spend_usd", "levy_usd", "vendor_net_usd"):
            flat[(where, field)] = document[field]
        flat[(where, "cheapest")] = order.cheapest.chip
        for option in document["options"]:
            _flatten(option, f"{where}, option {option['chip']}", "", flat)
    flat.update(mix_outcomes(result))
    return flat


def _flatten(values: Document, where: str, prefix: str, flat: dict) -> None:
    for key, value in values.items():
        if key in ("chip", "is_order_chip"):
            continue
        field = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, where, f"{field}.", flat)
        elif value is not None or prefix:
            flat[(where, field.removesuffix(".value"))] = value
