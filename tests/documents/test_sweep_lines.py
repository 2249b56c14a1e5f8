"""The sweep's JSON lines, against each point written out one by one with json.dumps.

The writer formats each distinct number once and finds which figures vary along which input;
these grids hold a figure of each shape (both inputs, the column's only, the row's only, none)
with 0.0 and -0.0 side by side, which print differently and compare equal."""

from __future__ import annotations

import json

import numpy as np
import pytest

from chipcalc.analysis.sweep import Sweep
from chipcalc.documents import Analysis
from chipcalc.documents.whatif import sweep_rows


def _points(sweep: Sweep) -> list[str]:
    """The oracle: every point's object, built by hand from the arrays."""
    rows, columns = sweep.axes
    lines = []
    for i, x in enumerate(rows.tolist()):
        for j, y in enumerate(columns.tolist()):
            point = {sweep.paths[0]: x, sweep.paths[1]: y}
            point.update({chip: float(values[i, j]) for chip, values in sweep.values.items()})
            lines.append(json.dumps(point))
    return lines


@pytest.mark.parametrize("shape", [(3, 4), (1, 5), (5, 1), (1, 1)])
def test_every_point_is_written_as_json_dumps_writes_it(shape: tuple[int, int]) -> None:
    rows, columns = np.linspace(0, 0.5, shape[0]), np.linspace(0.1, 1, shape[1])
    rng = np.random.default_rng(7)
    by_column = np.where(np.arange(shape[1]) % 2, -0.0, 0.0)[None, :] * np.ones((shape[0], 1))
    by_row = np.tile(np.array([-0.0, 1.5, 0.0, 2.0, -0.0])[: shape[0], None], (1, shape[1]))
    values = {"both": rng.normal(size=shape), "column": by_column, "row": by_row,
              "none": np.full(shape, 3.25), "zeros": np.full(shape, -0.0),
              "sign": np.where(np.arange(shape[0])[:, None] == 0, -0.0, 0.0) * np.ones((1, shape[1]))}
    sweep = Sweep("tco_usd", "o", ("chips.a.levy_rate", "assumptions.levy_pass_through"),
                  (rows, columns), tuple(values), values, np.zeros(shape, dtype=np.intp))
    written = [json.dumps(row) for row in sweep_rows(Analysis(sweep, None))]  # rows need no scenario
    assert written == _points(sweep)
    assert any('"column": -0.0' in line for line in written) == (shape[1] > 1)

