"""`chips` and `levy`, and the JSON report of one scenario (`report -f json`)."""

from __future__ import annotations

from typing import Sequence

from ..model import ChipFigures, ScenarioResult
from .base import SCHEMA_VERSION, Document, Row, View, scenarios_document
from .compare import compare_document, totals_document
from .mix import mix_order_document


def chip_document(f: ChipFigures) -> Document:
    c = f.chip
    return {
        "chip": c.key,
        "name": c.name,
        "vendor": c.vendor,
        "platform": c.platform,
        "price_usd": c.price_usd,
        "levy_rate": c.levy_rate,
        "levy_base": None if c.levy_base_is_money else c.levy_base,
        "levy_base_usd": c.levy_base if c.levy_base_is_money else None,
        "buyer_price_usd": f.buyer_price_usd,
        "levy_per_unit_usd": f.levy_per_unit_usd,
        "vendor_net_per_unit_usd": f.vendor_net_per_unit_usd,
        "tflops": f.tflops,
        "attainable_tflops_per_unit": f.attainable_tflops,
        "utilization": c.utilization,
        "effective_tflops_per_unit": f.effective_tflops_per_unit,
        "tflops_per_kusd": f.tflops_per_kusd,
        "tpp": f.tpp,
        "power_w": c.power_w,
        "power_draw": f.power_draw,
        "energy_per_year_usd": f.energy_per_year_usd,
        "facility_per_year_usd": f.facility_per_year_usd,
        "maintenance_per_year_usd": f.maintenance_per_year_usd,
        "operations_per_year_usd": f.operations_per_year_usd,
        "running_cost_per_year_usd": f.running_cost_per_year_usd,
        "energy_per_unit_usd": f.energy_per_unit_usd,
        "host_cost_usd": c.host_cost_usd,
        "cost_per_unit_usd": f.cost_per_unit_usd,
        "migration_usd": f.migration_usd,
        "memory_gb": c.memory_gb,
        "bandwidth_tbps": c.bandwidth_tbps,
        "supply_units": c.supply_units,
        "source": c.source,
        "as_of": c.as_of,
    }


def chips_document(results: Sequence[ScenarioResult]) -> Document:
    return scenarios_document(results, lambda r: {"chips": [chip_document(f) for f in r.chips.values()]})


def chips_rows(results: Sequence[ScenarioResult]) -> list[Row]:
    return [{"scenario": r.scenario.name, **chip_document(f)} for r in results for f in r.chips.values()]


def levy_document(results: Sequence[ScenarioResult]) -> Document:
    return scenarios_document(results, lambda r: {
        "orders": [{"name": o.order.name, "chip": o.order.chip, "units": o.units,
                    "spend_usd": o.spend_usd, "levy_usd": o.levy_usd, "vendor_net_usd": o.vendor_net_usd}
                   for o in r.orders],
        "totals": totals_document(r),
    })


def levy_rows(results: Sequence[ScenarioResult]) -> list[Row]:
    """CSV: a row per order, per chip and for the total, told apart by `level`."""
    rows = []
    for r in results:
        base = {"scenario": r.scenario.name}
        for o in r.orders:
            rows.append({**base, "level": "order", "order": o.order.name, "chip": o.order.chip,
                         "units": o.units, "spend_usd": o.spend_usd, "levy_usd": o.levy_usd,
                         "vendor_net_usd": o.vendor_net_usd})
        for t in (*r.totals_by_chip, r.total):
            rows.append({**base, "level": "chip" if t.chip else "total", "order": None, "chip": t.chip,
                         "units": t.units, "spend_usd": t.spend_usd, "levy_usd": t.levy_usd,
                         "vendor_net_usd": t.vendor_net_usd})
    return rows


def report_document(result: ScenarioResult) -> Document:
    """One scenario's JSON report: its comparison, description and chips, and each order's fleet mix
    as `mix` gives it where the Markdown report has that section (`null` otherwise)."""
    from ..analysis.mix import fleet_mixes, mix_applies  # the mix loads with the reports that show it

    (chips,) = chips_document([result])["scenarios"]
    (compared,) = compare_document([result])["scenarios"]
    mixes = [mix_order_document(mix) for mix in fleet_mixes(result).mixes] if mix_applies(result) else None
    return {"schema_version": SCHEMA_VERSION, **compared, "description": result.scenario.description,
            "chips": chips["chips"], "mix": mixes}


CHIPS: View[Sequence[ScenarioResult]] = View(chips_document, chips_rows)
LEVY: View[Sequence[ScenarioResult]] = View(levy_document, levy_rows)
