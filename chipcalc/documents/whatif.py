"""The what-if analyses: goal seek (`breakeven --vary`), sweep, sensitivity (a tornado), simulate.

Each takes an `Analysis`: the result and the scenario it was run on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .base import SCHEMA_VERSION, Analysis, Document, Row, View, flatten

if TYPE_CHECKING:  # numpy comes with the analyses; a compare run never loads it
    from ..analysis.sensitivity import Tornado
    from ..analysis.simulate import Simulation, Stats
    from ..analysis.solve import Seek
    from ..analysis.sweep import Sweep


def seek_document(run: Analysis[Seek]) -> Document:
    seek = run.result
    return {"schema_version": SCHEMA_VERSION, "scenario": run.scenario.name, "order": seek.order,
            "option": seek.option, "path": seek.path, "value": seek.value, "reason": seek.reason,
            "low": seek.low, "high": seek.high}


def seek_rows(run: Analysis[Seek]) -> list[Row]:
    row = seek_document(run)
    del row["schema_version"]
    return [row]


# sweep -----------------------------------------------------------------------------


def _sweep_head(run: Analysis[Sweep]) -> Document:
    sweep = run.result
    return {"schema_version": SCHEMA_VERSION, "scenario": run.scenario.name, "order": sweep.order,
            "metric": sweep.metric, "vary": list(sweep.paths)}


BLOCK_ROWS = 50_000
"""Sweep rows are turned into text this many at a time, so a million points never sit in memory
as seven million small strings at once."""


def _sweep_blocks(sweep: Sweep, quote: bool) -> Iterator[list[str] | Iterator[tuple[str, ...]]]:
    """(column names, then blocks of rows): each row the varied values and each chip's metric (or the
    cheapest chip, JSON-quoted when `quote`), every value as JSON text."""
    import json  # json and numpy load only when a sweep is written: a table of compare needs neither

    import numpy as np

    grids = np.meshgrid(*sweep.axes, indexing="ij")
    shape = grids[0].shape
    columns = {path: grid for path, grid in zip(sweep.paths, grids)}
    if sweep.values:
        columns.update({chip: np.broadcast_to(values, shape) for chip, values in sweep.values.items()})
    else:
        columns["cheapest"] = np.broadcast_to(sweep.cheapest, shape)
    names = [json.dumps(chip) if quote else chip for chip in sweep.chips]
    flat = {name: np.ravel(column) for name, column in columns.items()}
    for name, column in flat.items():
        if name != "cheapest" and not np.all(np.isfinite(column)):
            raise ValueError(f"a sweep gave a value of {name} that is not finite")  # a bug, never output
    yield list(columns)
    total = len(next(iter(flat.values())))
    for start in range(0, total, BLOCK_ROWS):
        block = []
        for name, column in flat.items():
            part = column[start:start + BLOCK_ROWS].tolist()
            block.append([names[i] for i in part] if name == "cheapest" else list(map(repr, part)))
        yield zip(*block)  # repr is what json writes for a float


def sweep_json(run: Analysis[Sweep]) -> str:
    """The sweep's JSON, one point per line, written column-wise: a million points in seconds, not
    minutes. The head is dumped as JSON and closed by hand before the points are written."""
    import json

    head = json.dumps(_sweep_head(run), indent=2, ensure_ascii=False)
    blocks = _sweep_blocks(run.result, quote=True)
    template = "    {" + ", ".join(f"{json.dumps(name)}: %s" for name in next(blocks)) + "}"
    points = ",\n".join(",\n".join(template % row for row in block) for block in blocks)
    return head.removesuffix("\n}") + ',\n  "points": [\n' + points + "\n  ]\n}\n"


def sweep_csv(run: Analysis[Sweep]) -> str:
    """CSV: one row per grid point (a chip's key needs no quoting: letters, digits, _ and -)."""
    blocks = _sweep_blocks(run.result, quote=False)
    header = ",".join(next(blocks))
    return header + "\n" + "".join("".join(",".join(row) + "\n" for row in block) for block in blocks)


def sweep_rows(run: Analysis[Sweep]) -> list[Row]:
    """One dict per grid point: what `sweep_json` and `sweep_csv` write, as values."""
    import json

    blocks = _sweep_blocks(run.result, quote=True)
    names = next(blocks)
    return [{name: json.loads(value) for name, value in zip(names, row)} for block in blocks for row in block]


def sweep_document(run: Analysis[Sweep]) -> Document:
    """The whole document as a dict (the library's; the CLI streams `sweep_json` instead)."""
    return {**_sweep_head(run), "points": sweep_rows(run)}


# sensitivity and simulate ------------------------------------------------------------


def tornado_document(run: Analysis[Tornado]) -> Document:
    tornado = run.result
    return {"schema_version": SCHEMA_VERSION, "scenario": run.scenario.name, "order": tornado.order,
            "option": tornado.option, "metric": tornado.metric, "swing": tornado.swing, "base": tornado.base,
            "inputs": tornado_rows(run)}


def tornado_rows(run: Analysis[Tornado]) -> list[Row]:
    return [{"path": s.path, "base_value": s.base_value, "low_value": s.low_value, "high_value": s.high_value,
             "metric_low": s.metric_low, "metric_high": s.metric_high, "width": s.width}
            for s in run.result.swings]


def _stats(stats: Stats) -> dict[str, float]:
    return {"p5": stats.p5, "p50": stats.p50, "p95": stats.p95, "mean": stats.mean}


def simulation_document(run: Analysis[Simulation]) -> Document:
    simulation, scenario = run.result, run.scenario
    return {"schema_version": SCHEMA_VERSION, "scenario": scenario.name, "file": scenario.file,
            "samples": simulation.samples, "seed": simulation.seed, "inputs": list(simulation.inputs),
            "orders": [{"name": o.name, "chip": o.chip, "levy_usd": _stats(o.levy_usd),
                        "options": [{"chip": x.chip, "tco_usd": _stats(x.tco_usd),
                                     "usd_per_effective_pflops": _stats(x.usd_per_effective_pflops),
                                     "p_cheapest": x.p_cheapest} for x in o.options]}
                       for o in simulation.orders]}


def simulation_rows(run: Analysis[Simulation]) -> list[Row]:
    simulation = run.result
    return [{"scenario": run.scenario.name, "samples": simulation.samples, "seed": simulation.seed,
             "order": o.name, "chip": x.chip,
             **flatten({"tco_usd": _stats(x.tco_usd),
                        "usd_per_effective_pflops": _stats(x.usd_per_effective_pflops)}),
             "p_cheapest": x.p_cheapest} for o in simulation.orders for x in o.options]


SEEK: View[Analysis[Seek]] = View(seek_document, seek_rows)
SWEEP: View[Analysis[Sweep]] = View(sweep_document, sweep_rows, json_text=sweep_json, csv_text=sweep_csv)
TORNADO: View[Analysis[Tornado]] = View(tornado_document, tornado_rows)
SIMULATION: View[Analysis[Simulation]] = View(simulation_document, simulation_rows)
