"""Data tables: one option figure over a grid of one or two inputs (`chipcalc sweep`).

The grid is evaluated by the model itself on broadcast arrays (STYLE.md
point 2): the varied inputs go in as an open mesh (a column and a row), so a
figure that depends on one input only stays one-dimensional and a 1000 x 1000
table is one model evaluation. Like `compare`, a sweep simply re-runs the
model: a budget order buys fewer units when its chip gets dearer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import UsageError
from ..paths import with_values
from ..scenario import Scenario
from ..spec import Spec
from .common import OptionFields, checked_input, checked_metric, checked_order, order_options

CHEAPEST = "cheapest"
"""The metric that asks only which option has the lowest TCO."""
MAX_POINTS = 10_000_000
"""The largest grid a sweep evaluates (the model holds a few dozen arrays of this size)."""
BLOCK_POINTS = 250_000
"""Larger grids are evaluated this many points at a time (whole rows), to bound memory: a block's
arrays (every option's figures) are what a sweep holds at its peak. A 1000 x 1000 sweep peaks at
190 MiB in blocks of 250,000 points, 290 MiB in one block, and is no slower for it."""
ON_GRID = 1e-9
"""A stop within this share of a step from the grid is taken as on it, so 0:1:0.1 ends at 1."""


@dataclass(frozen=True)
class Sweep:
    """One figure of each option of an order, over a grid of one or two inputs."""

    metric: str
    """An option field of MODEL.md (`tco_usd`, `vs_order`, ...) or `cheapest`."""
    order: str
    """The order's name."""
    paths: tuple[str, ...]
    """The varied inputs, one or two."""
    axes: tuple[np.ndarray, ...]
    """The values of each varied input (USD, fractions): axes[0] along rows, axes[1] along columns."""
    chips: tuple[str, ...]
    """The options, in scenario order."""
    values: dict[str, np.ndarray]
    """Per chip, the metric at each grid point, shaped (len(axes[0]),) or (len(axes[0]), len(axes[1]));
    empty for the `cheapest` metric."""
    cheapest: np.ndarray
    """Per grid point, the index into `chips` of the lowest-TCO option (ties: the first in scenario order)."""
    changes: tuple[Change, ...] = ()
    """For one input, where the cheapest option changes between grid points, solved for; empty for two."""


@dataclass(frozen=True)
class Change:
    """Where the cheapest option of a one-input sweep changes, between two neighbouring grid points."""

    value: float
    """The input's value at the change, to about 1e-15 relative: the model re-run between the points."""
    before: str
    """The cheapest option just below `value`..."""
    after: str
    """... and just above it."""


def sweep(scenario: Scenario, varies: list[tuple[str, Sequence[float]]], metric: str = "tco_usd",
          order: int = 0) -> Sweep:
    """The metric of every option of order number `order` at each point of the grid `varies` spans.

    Example: `sweep(scenario, [("chips.h200.levy_rate", grid_values(0, 0.5, 0.01)),
    ("assumptions.levy_pass_through", grid_values(0, 1, 0.1))])`. Raises
    UsageError for an unknown metric, a path that is not a numeric input of
    the scenario, a value outside an input's valid range, a bad order index,
    or other than one or two inputs.
    """
    target = checked_order(scenario, order)
    checked_metric(metric, order_options(scenario, order), extra=(CHEAPEST,))
    paths, axes = _checked_varies(scenario, varies)
    chips = tuple(scenario.chips)
    shape = tuple(len(axis) for axis in axes)
    values = {chip: np.empty(shape) for chip in chips} if metric != CHEAPEST else {}
    cheapest = np.empty(shape, dtype=np.intp)
    for rows in _row_blocks(shape):
        options = _evaluate(scenario, paths, (axes[0][rows],) + axes[1:], order)
        tcos = np.stack([_full(options[chip]["tco_usd"], cheapest[rows].shape) for chip in chips])
        cheapest[rows] = np.argmin(tcos, axis=0)  # the first of equal values: scenario order
        for chip, grid in values.items():
            grid[rows] = _full(options[chip][metric], grid[rows].shape)
    changes = _changes(scenario, paths[0], axes[0], cheapest, order) if len(paths) == 1 else ()
    return Sweep(metric, target.name, paths, axes, chips, values, cheapest, changes)


SPLITS = 200
"""Halvings at most to find a change (about 60 reach the nearest doubles)."""


def _changes(scenario: Scenario, path: str, axis: np.ndarray, cheapest: np.ndarray,
             order: int) -> tuple[Change, ...]:
    """Each change of the cheapest option between neighbouring grid points, found by halving the
    interval on the model's own answer to which option is cheapest (lowest TCO, ties to the first):
    the point where two options' TCOs are equal, not the grid's midpoint."""
    chips = tuple(scenario.chips)

    def cheapest_at(x: float) -> int:
        options = order_options(with_values(scenario, {path: x}), order)
        return int(np.argmin([float(options[chip]["tco_usd"]) for chip in chips]))

    changes = []
    for i in np.flatnonzero(cheapest[1:] != cheapest[:-1]) + 1:
        low, high, first = float(axis[i - 1]), float(axis[i]), int(cheapest[i - 1])
        for _ in range(SPLITS):
            middle = (low + high) / 2
            if not low < middle < high:  # no double left between them
                break
            low, high = (middle, high) if cheapest_at(middle) == first else (low, middle)
        changes.append(Change((low + high) / 2, chips[first], chips[cheapest_at(high)]))
    return tuple(changes)


def _evaluate(scenario: Scenario, paths: tuple[str, ...], axes: tuple[np.ndarray, ...],
              order: int) -> dict[str, OptionFields]:
    """Every option's fields on the grid, in one model evaluation."""
    mesh = np.meshgrid(*axes, indexing="ij", sparse=True)
    return order_options(with_values(scenario, dict(zip(paths, mesh))), order)


def _row_blocks(shape: tuple[int, ...]) -> list[slice]:
    """Whole rows, at most BLOCK_POINTS grid points at a time (one block for most sweeps)."""
    per_row = math.prod(shape[1:])
    rows = max(1, BLOCK_POINTS // per_row)
    return [slice(start, start + rows) for start in range(0, shape[0], rows)]


def _full(value: float | np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A figure on the whole grid (a figure no varied input reaches is a plain float)."""
    return np.broadcast_to(np.asarray(value, dtype=float), shape)


# Checks -----------------------------------------------------------------------


def _checked_varies(scenario: Scenario, varies: list[tuple[str, Sequence[float]]]
                    ) -> tuple[tuple[str, ...], tuple[np.ndarray, ...]]:
    if not 1 <= len(varies) <= 2:
        raise UsageError(f"a sweep varies one or two inputs (got {len(varies)}); "
                         "give --vary once for a one-way table, twice for a two-way table")
    paths = tuple(path for path, _ in varies)
    if len(set(paths)) != len(paths):
        raise UsageError(f"{paths[0]} is varied twice; vary two different inputs, or one")
    axes = tuple(_checked_axis(scenario, path, values) for path, values in varies)
    points = math.prod(len(axis) for axis in axes)
    if points > MAX_POINTS:
        raise UsageError(f"the grid has {points:,} points, more than {MAX_POINTS:,}; use a larger step")
    return paths, axes


def _checked_axis(scenario: Scenario, path: str, values: Sequence[float]) -> np.ndarray:
    """The values of one varied input as a float array, each inside the input's valid range."""
    spec, _ = checked_input(scenario, path)
    axis = np.array(values, dtype=float)
    if axis.ndim != 1 or len(axis) == 0:
        raise UsageError(f"{path}: give at least one value to vary it over, e.g. START:STOP:STEP")
    if not np.all(np.isfinite(axis)):
        raise UsageError(f"{path}: every value must be a finite number")
    outside = np.flatnonzero(~_inside(spec, axis))
    if len(outside):
        value = float(axis[outside[0]])
        raise UsageError(f"{path}: {spec.violation(value)}; keep the sweep inside {spec.bounds_text()}")
    return axis


def _inside(spec: Spec, values: np.ndarray) -> np.ndarray:
    """Whether each value lies in the spec's valid range (Spec.violation, on arrays)."""
    inside = np.ones(len(values), dtype=bool)
    if spec.low is not None:
        inside &= values > spec.low if spec.low_open else values >= spec.low
    if spec.high is not None:
        inside &= values < spec.high if spec.high_open else values <= spec.high
    return inside


# Grids --------------------------------------------------------------------------


def grid_values(start: float, stop: float, step: float) -> np.ndarray:
    """start, start + step, ... up to stop, inclusive when stop lands on the grid.

    Values are computed in decimal units when start and step are short
    decimals, so 0:0.5:0.1 gives 0.3, not 0.30000000000000004. Raises
    UsageError for a step that is not positive, start above stop, or more
    than MAX_POINTS values.
    """
    for name, value in (("start", start), ("stop", stop), ("step", step)):
        if not math.isfinite(value):
            raise UsageError(f"the grid's {name} must be a finite number (got {value!r})")
    if not step > 0:
        raise UsageError(f"the grid's step must be positive (got {step!r}), as in START:STOP:STEP")
    if start > stop:
        raise UsageError(f"the grid's start {start!r} is above its stop {stop!r}; write START:STOP:STEP "
                         "with START <= STOP")
    steps = (stop - start) / step
    if steps >= MAX_POINTS:
        raise UsageError(f"the grid has more than {MAX_POINTS:,} points; use a larger step")
    on_grid = abs(steps - round(steps)) <= ON_GRID * max(1.0, steps)
    count = round(steps) + 1 if on_grid else math.floor(steps) + 1
    values = _stepped(start, step, count)
    if on_grid:
        values[-1] = stop
    return values


def _stepped(start: float, step: float, count: int) -> np.ndarray:
    """start + i * step for i < count, exact to the decimal when start and step are short decimals."""
    places = max(_decimal_places(start), _decimal_places(step))
    if places > 15:
        return start + step * np.arange(count)
    scale = 10.0 ** places
    first, stride = round(start * scale), round(step * scale)
    if abs(first) + stride * count >= 2 ** 53 or first / scale != start or stride / scale != step:
        return start + step * np.arange(count)
    # integers below 2**53 divided by a power of ten: each value is the double nearest the decimal
    return (first + stride * np.arange(count, dtype=np.int64)) / scale


def _decimal_places(value: float) -> int:
    """Digits after the point in the shortest repr of `value` (99 when written with an exponent)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 99
    return len(text.partition(".")[2].rstrip("0"))
