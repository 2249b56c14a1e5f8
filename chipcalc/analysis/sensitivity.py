"""Sensitivity: which inputs move one option's figure most (a tornado chart's bars).

Each numeric input is moved down and up, one at a time, and the model simply re-run (MODEL.md: no
demand fixing here, so a budget order buys fewer units when its chip gets dearer). How far (CLI.md):
an input written as an uncertain range moves to its own low and high, the uncertainty the scenario
declares; with `swing_points`, a rate moves that many percentage points either way; every other
input moves by `swing`, a share of its value. Each moved value is clamped into the input's valid
range. An input at 0 that only a share of its value would move cannot move: it is listed, with why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..errors import UsageError
from ..paths import numeric_inputs, with_values
from ..scenario import Scenario
from ..spec import Kind, Spec
from ..values import counted
from .common import checked_chip, checked_metric, checked_order, default_option, order_options

RANGE, SWING, POINTS = "range", "swing", "points"
"""How an input was moved (`Swing.moved_by`): to the ends of its uncertain range, by `swing` (a share of
its value), or by `swing_points` (a rate)."""
AT_ZERO = "at zero"
"""Why an input was not moved (`NotMoved.reason`): a share of 0 is 0."""


@dataclass(frozen=True)
class Swing:
    """One input moved down and up, and the metric at each end."""

    path: str
    base_value: float
    low_value: float
    """The input moved down, clamped into its valid range."""
    high_value: float
    """The input moved up, clamped into its valid range."""
    metric_low: float
    """The metric with the input at `low_value`."""
    metric_high: float
    moved_by: str
    """RANGE, SWING or POINTS."""
    clamped: bool
    """Whether the valid range cut the move short on one side or both (never for a range, whose ends are
    valid)."""

    @property
    def width(self) -> float:
        return abs(self.metric_high - self.metric_low)


@dataclass(frozen=True)
class NotMoved:
    """An input that could not be moved, and why (AT_ZERO)."""

    path: str
    base_value: float
    reason: str


@dataclass(frozen=True)
class Tornado:
    """How much each input moves one figure of one option of one order."""

    order: str
    """The order's name."""
    option: str
    """The chip key of the option whose figure is read."""
    metric: str
    swing: float
    """The share of its value each input not moved otherwise was moved by, down and up."""
    swing_points: float | None
    """The percentage points each rate was moved by, down and up (10: ±0.10), or None: by `swing`."""
    base: float
    """The metric at the scenario as given."""
    swings: tuple[Swing, ...]
    """Widest first; ties broken by path."""
    not_moved: tuple[NotMoved, ...]
    """The inputs that could not move, in file order."""


def sensitivity(scenario: Scenario, metric: str = "vs_order", option: str | None = None,
                order: int = 0, swing: float = 0.2, swing_points: float | None = None) -> Tornado:
    """Move every numeric input down and up (see the module's docstring) and read `metric`.

    `metric` is a per-option field of the order (`tco_usd`, `vs_order`,
    `usd_per_effective_pflops`, ...). `option` defaults to the cheapest chip
    other than the order's own at the scenario as given (so the tornado says
    which assumption decides whether switching pays), or the order's chip
    when it is the only one. A rate is a value of kind rate or a levy base
    written as a share. Each moved value is clamped into the input's valid
    range, staying strictly inside an open bound (a levy rate at most
    1 - 1e-12, `scenario.OPEN_BOUND_NUDGE`).

    Example: `sensitivity(scenario, "tco_usd", "ascend_910c", swing=0.1, swing_points=10)`.
    """
    _check_swing(swing)
    _check_points(swing_points)
    target = checked_order(scenario, order)
    base_options = order_options(scenario, order)
    checked_metric(metric, base_options)
    chosen = default_option(scenario, order) if option is None else checked_chip(scenario, option, "option")

    def metric_at(path: str, value: float) -> float:
        return float(order_options(with_values(scenario, {path: value}), order)[chosen][metric])

    moves, not_moved = planned_moves(scenario, swing, swing_points)
    _check_size(len(moves), len(scenario.chips))
    swings = [Swing(m.path, m.base_value, m.low_value, m.high_value, metric_at(m.path, m.low_value),
                    metric_at(m.path, m.high_value), m.moved_by, m.clamped) for m in moves]
    swings.sort(key=lambda s: (-s.width, s.path))
    base = float(base_options[chosen][metric])
    return Tornado(target.name, chosen, metric, float(swing), swing_points, base, tuple(swings),
                   tuple(not_moved))


class Move(NamedTuple):
    """Where one input goes down and up, before the model is re-run."""

    path: str
    base_value: float
    low_value: float
    high_value: float
    moved_by: str
    clamped: bool


def planned_moves(scenario: Scenario, swing: float, swing_points: float | None
                  ) -> tuple[list[Move], list[NotMoved]]:
    """Each numeric input's move (a range to its ends, a rate by points when given, the rest by the
    swing), and the inputs at 0 that a share of their value cannot move, both in file order."""
    ranges = dict(scenario.ranges)
    moves, not_moved = [], []
    for path, spec, value in numeric_inputs(scenario):
        if path in ranges:
            moves.append(_move(path, spec, value, ranges[path].low, ranges[path].high, RANGE))
        elif swing_points is not None and spec.kind in (Kind.RATE, Kind.SHARE_OR_MONEY):  # money bases: MONEY
            step = swing_points / 100
            moves.append(_move(path, spec, value, value - step, value + step, POINTS))
        elif value == 0:
            not_moved.append(NotMoved(path, float(value), AT_ZERO))
        else:
            moves.append(_move(path, spec, value, value * (1 - swing), value * (1 + swing), SWING))
    return moves, not_moved


def _move(path: str, spec: Spec, value: float, low: float, high: float, moved_by: str) -> Move:
    """The move from `low` to `high`, each clamped into the spec's valid range."""
    low_value, high_value = clamp(spec, low), clamp(spec, high)
    clamped = (low_value, high_value) != (low, high)
    return Move(path, float(value), low_value, high_value, moved_by, clamped)


MAX_RUNS = 100_000
"""The most inputs times chips a tornado costs: every input moved down and up re-costs every chip of
the order, so the work grows with the square of the chips (400 aliased chips took minutes)."""


def _check_size(inputs: int, chips: int) -> None:
    if inputs * chips > MAX_RUNS:
        raise UsageError(f"sensitivity would move {counted(inputs, 'input')} and re-cost "
                         f"{counted(chips, 'chip')} for each, "
                         f"more than {MAX_RUNS:,} in all: run it on a scenario with fewer chips")


def clamp(spec: Spec, value: float) -> float:
    """`value` moved into the spec's valid range, strictly inside an open bound."""
    floor, ceiling = spec.inside()
    value = float(value) if floor is None else max(float(value), floor)
    return value if ceiling is None else min(value, ceiling)


def _check_points(points: float | None) -> None:
    if points is not None and (isinstance(points, bool) or not isinstance(points, (int, float))
                               or not 0 < points <= 100):
        raise UsageError("swing points must be above 0 and at most 100 percentage points, e.g. 10 to move "
                         f"each rate by ±10 points, ±0.10 (got {points!r})")


def _check_swing(swing: float) -> None:
    if isinstance(swing, bool) or not isinstance(swing, (int, float)) or not 0 < swing < 1:
        raise UsageError(f"swing must be above 0 and below 1, e.g. 0.2 for ±20% (got {swing!r})")

