"""`mix`: the cheapest fleet of several chips for each order (CLI.md, other JSON shapes), and the mix
outcomes `diff` compares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from ..model import ScenarioResult
from .base import SCHEMA_VERSION, Document, Row, View, scenario_head

if TYPE_CHECKING:  # the analysis loads when a mix is asked for, not with every command's documents
    from ..analysis.mix import FleetMixes, MixLimit, MixResult

CHIP_FIELDS = ("chip", "units", "share_of_demand", "capex_usd", "levy_usd", "tco_usd")
ORDER_FIELDS = ("feasible", "max_demand_tflops", "tco_usd", "levy_usd", "migration_usd", "capex_usd",
                "vs_order", "order_chip_tco_usd")
CSV_COLUMNS = ("scenario", "order", "demand_tflops", *(f"mix_{name}" for name in ORDER_FIELDS),
               *CHIP_FIELDS)
"""One row per order and chip used: the order's mix figures, prefixed `mix_`, then the chip's own."""


def limit_document(limit: MixLimit) -> Document:
    return {"limit": limit.limit, "chip": limit.chip, "rule": limit.rule,
            "marginal_value_usd": limit.marginal_value_usd, "per": limit.per}


def mix_order_document(mix: MixResult) -> Document:
    return {
        "name": mix.name,
        "demand_tflops": mix.demand_tflops,
        **{name: getattr(mix, name) for name in ORDER_FIELDS},
        "chips": [{name: getattr(chip, name) for name in CHIP_FIELDS} for chip in mix.chips],
        "binding": [limit_document(limit) for limit in mix.binding],
    }


def mix_document(runs: Sequence[FleetMixes]) -> Document:
    return {"schema_version": SCHEMA_VERSION,
            "scenarios": [{**scenario_head(run.result.scenario),
                           "orders": [mix_order_document(mix) for mix in run.mixes]} for run in runs]}


def mix_rows(runs: Sequence[FleetMixes]) -> list[Row]:
    rows = []
    for run in runs:
        for mix in run.mixes:
            figures = {f"mix_{name}": getattr(mix, name) for name in ORDER_FIELDS}
            head = {"scenario": run.result.scenario.name, "order": mix.name,
                    "demand_tflops": mix.demand_tflops, **figures}
            rows += [{**head, **{name: getattr(chip, name) for name in CHIP_FIELDS}} for chip in mix.chips]
    return rows


# CSV_COLUMNS is the header when no chip is used at all (no orders, or none feasible): CLI.md
MIX: View[Sequence[FleetMixes]] = View(mix_document, mix_rows, columns=CSV_COLUMNS)


# Outcomes, flat: what `diff` compares ---------------------------------------------------


def binding_text(mix: MixResult) -> str:
    """The binding limits in a word each (`supply ascend_910c, power, min_share domestic`), for a diff."""
    return ", ".join(" ".join(filter(None, (limit.limit, limit.chip, limit.rule))) for limit in mix.binding) \
        or "none"


def mix_outcomes(result: ScenarioResult) -> dict[tuple[str, str], Any]:
    """Each order's mix by (where, field), when a mix says more than compare (`mix_applies`): its
    feasibility, TCO, levy, migration, capex, vs_order, binding limits and the units of each chip."""
    from ..analysis.mix import fleet_mixes, mix_applies

    if not mix_applies(result):
        return {}
    flat: dict[tuple[str, str], Any] = {}
    for mix in fleet_mixes(result).mixes:
        where = f"order {mix.name}, mix"
        for field in ("feasible", "tco_usd", "levy_usd", "migration_usd", "capex_usd", "vs_order"):
            flat[(where, field)] = getattr(mix, field)
        flat[(where, "binding")] = binding_text(mix)
        units = {chip.chip: chip.units for chip in mix.chips}
        for key in result.chips:  # 0 for a chip left out, so that leaving one out is a change of units
            flat[(f"{where}, chip {key}", "units")] = units.get(key, 0.0)
    return flat
