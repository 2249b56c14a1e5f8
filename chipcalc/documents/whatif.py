"""The what-if analyses: goal seek (`breakeven --vary`), sweep, sensitivity (a tornado), simulate.

Each takes an `Analysis`: the result and the scenario it was run on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..safe import csv_text, json_safe
from .base import SCHEMA_VERSION, Analysis, Document, Row, View, flatten

if TYPE_CHECKING:  # numpy comes with the analyses; a compare run never loads it
    import numpy as np

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
    names = np.array([json.dumps(chip) if quote else csv_text(chip) for chip in sweep.chips], dtype=object)
    texts = {name: _distinct_texts(np.ravel(column), name) for name, column in columns.items()}
    if not sweep.values:
        texts["cheapest"] = (names, np.ravel(np.broadcast_to(sweep.cheapest, shape)))
    yield list(texts)
    total = int(np.prod(shape))
    for start in range(0, total, BLOCK_ROWS):
        yield zip(*(distinct[index[start:start + BLOCK_ROWS]].tolist() for distinct, index in texts.values()))


def _distinct_texts(column: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(the text of each distinct value, each point's index into it): a grid of a million points
    holds far fewer distinct numbers (an input's own values, a figure that depends on one input
    only), and formatting a float costs far more than sorting it. Values are told apart by their
    bits, so 0.0 and -0.0 keep their own text."""
    import numpy as np

    if not np.all(np.isfinite(column)):
        raise ValueError(f"a sweep gave a value of {name} that is not finite")  # a bug, never output
    bits, index = np.unique(column.view(np.int64), return_inverse=True)
    return np.array(list(map(repr, bits.view(np.float64).tolist())), dtype=object), index  # repr: json's text


def sweep_json_pieces(run: Analysis[Sweep]) -> Iterator[str]:
    """The sweep's JSON in pieces, one point per line, written column-wise (a million points in
    seconds, not minutes) and a block of rows at a time, so that memory stays bounded whatever the
    grid. The head is dumped as JSON and closed by hand before the points are written."""
    import json

    head = json_safe(json.dumps(_sweep_head(run), indent=2, ensure_ascii=False))
    blocks = _sweep_blocks(run.result, quote=True)
    template = "    {" + ", ".join(f"{json.dumps(name)}: %s" for name in next(blocks)) + "}"
    yield head.removesuffix("\n}") + ',\n  "points": [\n'
    separator = ""
    for block in blocks:
        text = ",\n".join(template % row for row in block)
        if text:
            yield separator + text
            separator = ",\n"
    yield "\n  ]\n}\n"


def sweep_json(run: Analysis[Sweep]) -> str:
    """The sweep's JSON as one text (the library's; the CLI writes `sweep_json_pieces` as they come)."""
    return "".join(sweep_json_pieces(run))


def sweep_csv(run: Analysis[Sweep]) -> Iterator[str]:
    """CSV in pieces: one row per grid point, a block at a time. A path is letters, digits, `.`, `_`
    and `[]`; a chip's key may start with `-` (a formula to a spreadsheet), hence `safe.csv_text`."""
    blocks = _sweep_blocks(run.result, quote=False)
    yield ",".join(csv_text(name) for name in next(blocks)) + "\n"
    for block in blocks:
        yield "".join(",".join(row) + "\n" for row in block)


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
            "clamped": dict(zip(simulation.inputs, simulation.clamped)),
            "redrawn": dict(zip(simulation.inputs, simulation.redrawn)),
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
SWEEP: View[Analysis[Sweep]] = View(sweep_document, sweep_rows, json_text=sweep_json_pieces,
                                    csv_text=sweep_csv)
TORNADO: View[Analysis[Tornado]] = View(tornado_document, tornado_rows)
SIMULATION: View[Analysis[Simulation]] = View(simulation_document, simulation_rows)
