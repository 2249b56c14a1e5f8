"""The what-if analyses: goal seek (`breakeven --vary`), sweep, sensitivity (a tornado), simulate.

Each takes an `Analysis`: the result and the scenario it was run on.
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Callable, Iterator

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
"""Sweep rows are turned into text about this many at a time, so a million points never sit in
memory as a million lines at once."""


def _sweep_lines(sweep: Sweep, quote: bool, start: str, separators: list[str],
                 end: str) -> Iterator[list[str]]:
    """Blocks of the sweep's rows as lines `start value separator value ... end`: the varied values
    and each chip's metric (or the cheapest chip, JSON-quoted when `quote`), every value as JSON text.

    A grid holds far fewer distinct texts than points: an input's own values, figures that depend
    on one input only. So each distinct number is formatted once, and a run of neighbouring values
    that vary along the same axis (the row's input, the column's, or both) is joined once per row,
    once per column, or at every point: a line of a 1000 x 1000 sweep is then four pieces joined,
    not seven numbers placed."""
    import json  # json and numpy load only when a sweep is written: a table of compare needs neither

    import numpy as np

    grids = np.meshgrid(*sweep.axes, indexing="ij", sparse=True)  # each input's own axis, not the grid
    fields = [_distinct_field(np.broadcast_to(grid, sweep.cheapest.shape), path)
              for path, grid in zip(sweep.paths, grids)]
    if sweep.values:
        fields += [_distinct_field(values, chip) for chip, values in sweep.values.items()]
    else:
        names = [json.dumps(chip) if quote else csv_text(chip) for chip in sweep.chips]
        fields.append((np.array(names, dtype=object), np.ravel(sweep.cheapest)))
    shape = (1, *sweep.cheapest.shape) if sweep.cheapest.ndim == 1 else sweep.cheapest.shape  # 1-D: one row
    runs = _runs([(texts, index.reshape(shape)) for texts, index in fields], [start, *separators])
    block: list[str] = []
    for row in range(shape[0]):
        for first in range(0, shape[1], BLOCK_ROWS):
            span = slice(first, first + BLOCK_ROWS)
            block += map("".join, zip(*(run(row, span) for run in runs), itertools.repeat(end)))
            if len(block) >= BLOCK_ROWS:
                yield block
                block = []
    yield block


Field = tuple["np.ndarray", "np.ndarray"]
"""A column of a sweep's rows: the text of each distinct value, and each point's index into it."""
Run = Callable[[int, slice], "list[str] | Iterator[str]"]
"""Neighbouring fields' joined texts at a row's columns `span` (with their leads)."""


def _runs(fields: list[Field], leads: list[str]) -> list[Run]:
    """The fields as runs of neighbours that vary along the same axis, each field led by its lead.
    A run the same on every row is joined once for the whole grid, one the same across a row once
    per row, any other at every point."""
    runs: list[Run] = []
    for along, group in itertools.groupby(zip(fields, leads), key=lambda field: _axis(field[0][1])):
        joined = functools.partial(_joined, list(group))
        if along == "columns":
            runs.append(functools.partial(_once, joined, {}))
        elif along == "rows":
            runs.append(functools.partial(_repeated, joined))
        else:
            runs.append(joined)
    return runs


def _axis(index: np.ndarray) -> str:
    """What a field's values vary with: only the column (the same on every row), only the row, or both."""
    if _same_on_every_row(index):
        return "columns"
    return "rows" if _same_on_every_column(index) else "points"


def _same_on_every_row(grid: np.ndarray) -> bool:
    return bool((grid == grid[:1, :]).all())


def _same_on_every_column(grid: np.ndarray) -> bool:
    return bool((grid == grid[:, :1]).all())


def _joined(members: list[tuple[Field, str]], row: int, span: slice) -> list[str]:
    """The members' texts at a row's columns `span`, each after its lead, joined point by point."""
    pieces = (piece for (distinct, index), lead in members
              for piece in (itertools.repeat(lead), distinct[index[row, span]].tolist()))
    return list(map("".join, zip(*pieces)))


def _repeated(joined: Run, row: int, span: slice) -> Iterator[str]:
    """A run the same across a row: its one text on that row, for every column."""
    return itertools.repeat(next(iter(joined(row, slice(0, 1)))))


def _once(joined: Run, known: dict[tuple[int, int], list[str]], row: int, span: slice) -> list[str]:
    """A run the same on every row: its texts at these columns, joined on the first row only."""
    key = (span.start, span.stop)
    if key not in known:
        known[key] = joined(0, span)
    return known[key]


def _distinct_field(grid: np.ndarray, name: str) -> Field:
    """`_distinct_texts` of a figure on the grid, found in the smallest part that repeats to the whole:
    one row when the figure depends on the column's input only, one column for the row's, one value
    for neither. Only a figure that both inputs move is sorted point by point."""
    import numpy as np

    core = grid
    if grid.ndim == 2:  # compared by their bits, as `_distinct_texts` tells them apart (0.0, -0.0)
        if _same_on_every_row(core.view(np.int64)):
            core = core[:1, :]
        if _same_on_every_column(core.view(np.int64)):
            core = core[:, :1]
    texts, index = _distinct_texts(np.ravel(core), name)
    return texts, np.broadcast_to(index.reshape(core.shape), grid.shape)


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


def _names(sweep: Sweep) -> list[str]:
    """The columns of a sweep's rows: the varied inputs, then each chip (or `cheapest`)."""
    return [*sweep.paths, *(sweep.values or ["cheapest"])]


def sweep_json_pieces(run: Analysis[Sweep]) -> Iterator[str]:
    """The sweep's JSON in pieces, one point per line, a block of rows at a time, so that memory
    stays bounded whatever the grid. The head is dumped as JSON and closed by hand before the
    points are written."""
    import json

    head = json_safe(json.dumps(_sweep_head(run), indent=2, ensure_ascii=False))
    yield head.removesuffix("\n}") + ',\n  "points": [\n'
    separator = ""
    for block in _sweep_json_lines(run.result, "    "):
        if block:
            yield separator + ",\n".join(block)
            separator = ",\n"
    yield "\n  ]\n}\n"


def _sweep_json_lines(sweep: Sweep, indent: str) -> Iterator[list[str]]:
    """Blocks of the points as JSON objects on one line each, after `indent`."""
    import json

    keys = [f"{json.dumps(name)}: " for name in _names(sweep)]
    return _sweep_lines(sweep, True, indent + "{" + keys[0], [", " + key for key in keys[1:]], "}")


def sweep_json(run: Analysis[Sweep]) -> str:
    """The sweep's JSON as one text (the library's; the CLI writes `sweep_json_pieces` as they come)."""
    return "".join(sweep_json_pieces(run))


def sweep_csv(run: Analysis[Sweep]) -> Iterator[str]:
    """CSV in pieces: one row per grid point, a block at a time. A path is letters, digits, `.`, `_`
    and `[]`; a chip's key may start with `-` (a formula to a spreadsheet), hence `safe.csv_text`."""
    names = _names(run.result)
    yield ",".join(csv_text(name) for name in names) + "\n"
    for block in _sweep_lines(run.result, False, "", [","] * (len(names) - 1), "\n"):
        yield "".join(block)


def sweep_rows(run: Analysis[Sweep]) -> list[Row]:
    """One dict per grid point: what `sweep_json` writes for each point, as values."""
    import json

    return [json.loads(line) for block in _sweep_json_lines(run.result, "") for line in block]


def sweep_document(run: Analysis[Sweep]) -> Document:
    """The whole document as a dict (the library's; the CLI streams `sweep_json` instead)."""
    return {**_sweep_head(run), "points": sweep_rows(run)}


# sensitivity and simulate ------------------------------------------------------------


def tornado_document(run: Analysis[Tornado]) -> Document:
    """The tornado; `not_moved` lists the inputs that could not move, each with its `reason`."""
    tornado = run.result
    return {"schema_version": SCHEMA_VERSION, "scenario": run.scenario.name, "order": tornado.order,
            "option": tornado.option, "metric": tornado.metric, "swing": tornado.swing,
            "swing_points": tornado.swing_points, "base": tornado.base, "inputs": tornado_rows(run),
            "not_moved": [{"path": n.path, "base_value": n.base_value, "reason": n.reason}
                          for n in tornado.not_moved]}


def tornado_rows(run: Analysis[Tornado]) -> list[Row]:
    """One row per input moved: `moved_by` is range, swing or points; `clamped` says whether its valid
    range cut the move short."""
    return [{"path": s.path, "moved_by": s.moved_by, "base_value": s.base_value, "low_value": s.low_value,
             "high_value": s.high_value, "clamped": s.clamped, "metric_low": s.metric_low,
             "metric_high": s.metric_high, "width": s.width}
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
